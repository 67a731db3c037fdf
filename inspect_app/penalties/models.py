"""Rectification items (整改) and penalty cases queued for 区城管执法局."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, Date, Float, ForeignKey, Index, Integer, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from inspect_app.auth.models import User
from inspect_app.core.models import Unit, UTCDateTime
from inspect_app.core.timeutil import utcnow
from inspect_app.extensions import db
from inspect_app.inspections.models import Inspection
from inspect_app.sites.models import Site

VIOLATION_STATUSES = ("open", "overdue", "closed", "void")
OPEN_STATUSES = ("open", "overdue")
# referred_out: an overload case (超载) belongs to 区交管队, not the bureau; the supervisor hands it over
# and closes it when the traffic police report back. The bureau never decides it.
# decision_pending: a reduced fine (减轻处罚) waits for a second bureau user; paid: the fine is paid (缴款);
# withdrawn: the bureau withdrew an accepted case with a reason (撤案). See penalties/decisions.py.
CASE_STATUSES = ("pending_review", "approved", "dismissed", "referred_out", "accepted", "decision_pending",
                 "decided", "paid", "closed", "withdrawn")
CASE_REASONS = ("veto", "overdue_refail", "repeat_failures")
# 区城管执法局 decides; 区交管队, 区住建局 and 生态环境分局 cases are referred out (penalties.workflow).
AUTHORITIES = ("bureau", "traffic_police", "housing", "ecology")
# 警告 | 罚款 | 罚款并责令停工整治 | 责令停工整治 | 不予处罚 | 减轻处罚 (《行政处罚法》第九条、第三十二条、第三十三条)
DECISIONS = ("warning", "fine", "fine_and_stop_work", "stop_work", "no_penalty", "reduced_fine")


class Violation(db.Model):
    """A failed requirement at a site that must be rectified by a deadline.

    At most one open (or overdue) violation exists per site and requirement: a re-failure updates
    it instead of opening another (partial unique index).
    """

    __tablename__ = "violations"
    __table_args__ = (
        Index("uq_violations_open_site_item", "site_id", "item_key", unique=True,
              sqlite_where=text("status IN ('open', 'overdue')"),
              postgresql_where=text("status IN ('open', 'overdue')")),
        # "Did this site and item have an earlier violation?" (rankings' repeat violations): a probe.
        Index("ix_violations_site_item_found", "site_id", "item_key", "found_at", "id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    site_id: Mapped[int | None] = mapped_column(ForeignKey("sites.id"), index=True)
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"), index=True)
    item_key: Mapped[str] = mapped_column(String(60))
    checklist_item_id: Mapped[int] = mapped_column(ForeignKey("checklist_items.id"))
    opened_by_inspection_id: Mapped[int] = mapped_column(ForeignKey("inspections.id"), index=True)
    last_failed_inspection_id: Mapped[int] = mapped_column(ForeignKey("inspections.id"))
    closed_by_inspection_id: Mapped[int | None] = mapped_column(ForeignKey("inspections.id"))
    status: Mapped[str] = mapped_column(String(10), default="open", index=True)
    found_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    deadline: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    fail_count: Mapped[int] = mapped_column(Integer, default=1)
    note: Mapped[str | None] = mapped_column(Text)
    # A violation of a muck truck (roadside check) is held against the plate, its registry vehicle
    # (if known) and that vehicle's haulage company; site_id stays NULL for these.
    plate: Mapped[str | None] = mapped_column(String(12), index=True)
    vehicle_id: Mapped[int | None] = mapped_column(ForeignKey("vehicles.id"), index=True)
    company_id: Mapped[int | None] = mapped_column(ForeignKey("haulage_companies.id"), index=True)

    site: Mapped[Site | None] = relationship(lazy="joined")
    opened_by: Mapped[Inspection] = relationship(
        foreign_keys=[opened_by_inspection_id],
        backref=db.backref("opened_violations", lazy="selectin"),
    )


class PenaltyCase(db.Model):
    """A case referred for punishment, with its legal basis and fine range filled in."""

    __tablename__ = "penalty_cases"
    # One case per inspection, authority and liable party (penalties/parties.py): replaying or
    # re-processing an inspection never doubles it. A roadside check may need two: unsealed (bureau,
    # the haulier) and overloaded (区交管队, the driver); a site inspection two bureau cases when the
    # contractor's and the builder's items fail.
    __table_args__ = (UniqueConstraint("inspection_id", "authority", "party",
                                       name="uq_penalty_cases_inspection_authority_party"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_number: Mapped[str] = mapped_column(String(40), unique=True)
    inspection_id: Mapped[int] = mapped_column(ForeignKey("inspections.id"), index=True)
    site_id: Mapped[int | None] = mapped_column(ForeignKey("sites.id"), index=True)
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"), index=True)
    contractor: Mapped[str | None] = mapped_column(String(120))
    # 当事人: the liable party of the case's items (contractor | builder | haulier | driver) and its
    # name as the case states it (the site's 施工单位 or 建设单位, the truck's 运输单位, "车牌 X 的驾驶人")
    party: Mapped[str] = mapped_column(String(12), default="contractor")
    party_name: Mapped[str | None] = mapped_column(String(120))
    status: Mapped[str] = mapped_column(String(16), default="pending_review", index=True)
    authority: Mapped[str] = mapped_column(String(20), default="bureau")  # one of AUTHORITIES
    items: Mapped[list] = mapped_column(JSON)  # [{item_key, text_zh, reasons, legal_basis}]
    photo_ids: Mapped[list] = mapped_column(JSON, default=list)
    fine_min: Mapped[float | None] = mapped_column(Float)
    fine_max: Mapped[float | None] = mapped_column(Float)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    # Filled in as the case moves through the queue (see operations.transition_case).
    dismissal_reason: Mapped[str | None] = mapped_column(Text)
    referral_note: Mapped[str | None] = mapped_column(Text)  # handover to the outside authority
    # What the outside authority (区交管队, 生态环境分局, 区住建局) reported back, recorded by a supervisor
    referral_outcome: Mapped[str | None] = mapped_column(Text)
    decision: Mapped[str | None] = mapped_column(String(20))  # one of DECISIONS
    fine_amount: Mapped[float | None] = mapped_column(Float)  # the sum of decision_amounts
    rectification_order: Mapped[str | None] = mapped_column(Text)  # 责令停工整治 的整改要求
    decision_number: Mapped[str | None] = mapped_column(String(60), unique=True)  # 决定书文号
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # 处罚决定 (penalties/decisions.py): an amount per violation [{item_key, amount}], the date on the
    # 决定书, the legal reason of 不予处罚/减轻处罚, who decided and (减轻处罚) the second approver.
    decision_amounts: Mapped[list | None] = mapped_column(JSON)
    decision_date: Mapped[date | None] = mapped_column(Date)
    decision_reason_code: Mapped[str | None] = mapped_column(String(30))
    decision_reason: Mapped[str | None] = mapped_column(Text)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    second_approver_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    paid_on: Mapped[date | None] = mapped_column(Date)  # 缴款日期
    receipt_number: Mapped[str | None] = mapped_column(String(60))  # 缴款收据号
    withdrawal_reason: Mapped[str | None] = mapped_column(Text)  # 撤案理由
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Muck-truck cases (roadside): the plate, registry vehicle and haulage company (contractor holds its name).
    plate: Mapped[str | None] = mapped_column(String(12), index=True)
    vehicle_id: Mapped[int | None] = mapped_column(ForeignKey("vehicles.id"), index=True)
    company_id: Mapped[int | None] = mapped_column(ForeignKey("haulage_companies.id"), index=True)

    site: Mapped[Site | None] = relationship(lazy="joined")
    unit: Mapped[Unit | None] = relationship(lazy="select")
    inspection: Mapped[Inspection] = relationship(
        backref=db.backref("penalty_cases", lazy="selectin")
    )
    events: Mapped[list[CaseEvent]] = relationship(
        back_populates="case", order_by="CaseEvent.id", lazy="select"
    )
    decided_by: Mapped[User | None] = relationship(foreign_keys=[decided_by_id], lazy="select")
    second_approver: Mapped[User | None] = relationship(foreign_keys=[second_approver_id], lazy="select")


class CaseEvent(db.Model):
    """One move of a penalty case (or a note on it): who, from which state to which, with what.

    ``request_id`` is the client's id for a transition request: a retried request with the same
    id answers with the case instead of moving it again (unique per case).
    """

    __tablename__ = "penalty_case_events"
    __table_args__ = (UniqueConstraint("case_id", "request_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("penalty_cases.id", ondelete="CASCADE"), index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    from_status: Mapped[str] = mapped_column(String(16))
    to_status: Mapped[str] = mapped_column(String(16))
    note: Mapped[str | None] = mapped_column(Text)
    # transition data (decision, fine, …) or {"system": code} for events the system records
    fields: Mapped[dict] = mapped_column(JSON, default=dict)
    request_id: Mapped[str | None] = mapped_column(String(64))
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    case: Mapped[PenaltyCase] = relationship(back_populates="events")
    actor: Mapped[User | None] = relationship(lazy="joined")
