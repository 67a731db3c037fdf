"""``flask demo``: migrate, load demo data and the demo enforcement history, print the logins, and serve."""
from __future__ import annotations

from datetime import timedelta

import click
from flask import current_app
from flask.cli import with_appcontext
from werkzeug.serving import run_simple
from flask_migrate import upgrade
from sqlalchemy import select

from inspect_app.auth import operations as auth_ops
from inspect_app.auth.queries import get_user_by_username
from inspect_app.checklists.operations import KEEP, sync_checklists
from inspect_app.complaints import operations as complaint_ops
from inspect_app.complaints.models import Complaint
from inspect_app.core.models import Unit
from inspect_app.core.units import ensure_units
from inspect_app.core.i18n import translate
from inspect_app.demo import messages  # noqa: F401  (registers strings)
from inspect_app.demo.data import (DEMO_AUTHORITY_USERS, DEMO_COMPANIES, DEMO_PASSWORD, DEMO_UNKNOWN_PLATE, DEMO_USERS,
                                   demo_night_permits, demo_sites, demo_vehicles)
from inspect_app.demo.data import SITE_NAMES, demo_organisations, demo_site_parties
from inspect_app.demo.history import load_demo_history
from inspect_app.core.timeutil import to_local, utcnow
from inspect_app.extensions import db
from inspect_app.nightwork import operations as night_ops
from inspect_app.organisations import operations as organisation_ops
from inspect_app.organisations.queries import live_by_name
from inspect_app.nightwork.models import NightPermit
from inspect_app.followups.models import FollowUp
from inspect_app.penalties.models import PenaltyCase
from inspect_app.sites import operations as site_ops
from inspect_app.sites.models import Site
from inspect_app.trucks import operations as truck_ops
from inspect_app.trucks.queries import get_company_by_name, get_vehicle_by_plate


def load_demo_organisations() -> None:
    """The demo parties as organisation records, attached to the demo sites that have none yet."""
    by_name = {name: records[0] for name, records in live_by_name().items()}
    for data in demo_organisations():
        if data["name"] not in by_name:
            by_name[data["name"]] = organisation_ops.create_organisation(None, data)
    for index, name in enumerate(SITE_NAMES):
        site = db.session.scalar(select(Site).where(Site.name == name))
        if site is None or site.contractor_org_id is not None:
            continue
        site_ops.update_site(None, site, {f"{party}_id": by_name[org].id
                                          for party, org in demo_site_parties(index).items()})


def load_demo_data() -> list[tuple[str, str]]:
    """Idempotently load units, checklists, sites, users and trucks; returns (username, role) pairs
    (an enforcement user's role names its authority). No inspections: see :func:`load_demo_history`."""
    ensure_units()
    # A version an admin published on the desk stays current: the demo never replaces the office's work.
    sync_checklists(None, current_app.config["CHECKLIST_DIR"], published=KEEP)
    existing = set(db.session.scalars(select(Site.name)))
    for data in demo_sites():
        if data["name"] not in existing:
            site_ops.create_site(None, data)
    created = []
    for username, role, name, units in DEMO_USERS:
        if get_user_by_username(username) is None:
            auth_ops.create_user(None, username=username, display_name=name, role=role,
                                 password=DEMO_PASSWORD, units=units)
        created.append((username, role))
    for username, name, authority in DEMO_AUTHORITY_USERS:
        if get_user_by_username(username) is None:
            auth_ops.create_user(None, username=username, display_name=name, role="enforcement",
                                 password=DEMO_PASSWORD, authority=authority)
        created.append((username, f"enforcement ({translate(f'authority_{authority}')})"))
    load_demo_organisations()
    load_demo_trucks()
    load_demo_night_permits()
    load_demo_complaints()
    db.session.commit()
    return created


def load_demo_complaints() -> None:
    """Two 12345 tickets entered once, through the real operation, received two hours before the first run:
    one at a demo site of 新华西路街道 (a task for its inspectors, matched by WGS-84 coordinates) and one by
    address only (no site matched: the supervisor chooses it at the desk)."""
    if db.session.scalar(select(Complaint.id).where(Complaint.ticket_number.like("DEMO-%")).limit(1)):
        return
    site = db.session.scalars(select(Site).join(Unit, Unit.id == Site.unit_id)
                              .where(Unit.code == "xinhuaxilu", Site.status == "active").order_by(Site.id)).first()
    received = to_local(utcnow()).replace(tzinfo=None, second=0, microsecond=0) - timedelta(hours=2)
    base = {"channel": "12345", "received_at": received, "complainant_name": "刘女士", "complainant_phone": "13947100000"}
    tickets = [
        {"ticket_number": f"DEMO-{received:%Y%m%d}-1", "category": "dust", "address": "新华西街",
         "text": "工地土方没有覆盖，风一吹全是土", "lat": site.lat, "lon": site.lon, "datum": "WGS84"} if site else None,
        {"ticket_number": f"DEMO-{received:%Y%m%d}-2", "category": "night_noise", "address": "通道南街某小区北侧",
         "text": "晚上十一点后还在打桩", "lat": None, "lon": None, "datum": "WGS84"},
    ]
    supervisor = get_user_by_username("supervisor")
    for ticket in filter(None, tickets):
        complaint_ops.enter(supervisor, {**base, **ticket})


def load_demo_night_permits() -> None:
    """Idempotently record the demo night-work permits (by site and number), dated from the first run."""
    sites = {site.name: site for site in db.session.scalars(select(Site))}
    for site_name, data in demo_night_permits(to_local(utcnow()).date()):
        site = sites.get(site_name)
        if site is None or db.session.scalar(select(NightPermit.id).where(
                NightPermit.site_id == site.id, NightPermit.number == data["number"])) is not None:
            continue
        night_ops.create_permit(None, site, data)


def load_demo_trucks() -> list[dict]:
    """Idempotently register the demo haulage companies and trucks (by name and plate); returns the
    trucks as in :func:`demo_vehicles`. A truck already registered is left as it is."""
    for data in DEMO_COMPANIES:
        if get_company_by_name(data["name"]) is None:
            truck_ops.create_company(None, dict(data))
    sites = dict(db.session.execute(select(Site.name, Site.id)).all())
    vehicles = demo_vehicles()
    for vehicle in vehicles:
        if get_vehicle_by_plate(vehicle["plate"]) is None:
            data = {key: value for key, value in vehicle.items() if key not in ("company", "sites", "path")}
            truck_ops.create_vehicle(None, data | {
                "company_id": get_company_by_name(vehicle["company"]).id,
                "site_ids": [sites[name] for name in vehicle["sites"] if name in sites]})
    return vehicles


def history_lines(notices: dict) -> list[str]:
    """What the demo command prints about the enforcement chain it recorded (one line per story)."""
    lines = [translate("demo_history_heading")]
    for story, notice in notices.items():
        task = db.session.scalar(select(FollowUp).where(FollowUp.notice_id == notice.id))
        case = db.session.scalar(select(PenaltyCase).where(PenaltyCase.inspection_id == notice.inspection_id,
                                                           PenaltyCase.authority == "bureau"))
        lines.append("  " + translate(f"demo_history_{story}", number=notice.number, site=notice.site.name,
                                      due=task.due_on.isoformat() if task else "-",
                                      decision=case.decision_number if case else "-"))
    return lines


def truck_lines() -> list[str]:
    """What the demo command prints about the trucks: one line per path a roadside check can take."""
    lines = [translate("demo_trucks_heading")]
    for vehicle in demo_vehicles():
        path = translate(f"demo_truck_path_{vehicle['path']}", expires=vehicle["filing_expires_on"])
        lines.append("  " + translate("demo_truck_line", plate=vehicle["plate"], company=vehicle["company"],
                                      rated=f"{vehicle['rated_load_t']:g}", path=path))
    lines.append("  " + translate("demo_truck_unknown", plate=DEMO_UNKNOWN_PLATE))
    return lines


@click.command("demo")
@click.option("--serve/--no-serve", default=True, help="Start the development server afterwards.")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True)
@with_appcontext
def demo_cli(serve: bool, host: str, port: int):
    """Create the schema, load demo data (idempotent), print logins and serve on SQLite."""
    upgrade(directory=current_app.extensions["migrate"].directory)
    users = load_demo_data()
    notices = load_demo_history()
    db.session.commit()
    click.echo("\nDemo users (password for all: %s):" % DEMO_PASSWORD)
    for username, role in users:
        click.echo(f"  {username:<12} {role}")
    click.echo("\n" + "\n".join(truck_lines()))
    click.echo("\n" + "\n".join(history_lines(notices)))
    click.echo(f"\nPhone app: http://{host}:{port}/app/   API docs: http://{host}:{port}/api/docs\n")
    if serve:
        # app.run() is ignored inside a `flask` command; serve with werkzeug directly.
        run_simple(host, port, current_app._get_current_object(), threaded=True, use_reloader=False)
