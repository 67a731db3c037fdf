"""Models every feature shares: the district's units and the append-only, hash-chained audit log."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, DateTime, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from inspect_app.core.timeutil import as_utc, utcnow
from inspect_app.extensions import db

# 七办一镇: the seven street offices and one town of 回民区, in the plan's order.
UNIT_NAMES = (
    ("xinhuaxilu", "新华西路街道", "Xinhua West Road Subdistrict"),
    ("zhongshanxilu", "中山西路街道", "Zhongshan West Road Subdistrict"),
    ("guangminglu", "光明路街道", "Guangming Road Subdistrict"),
    ("hailaerxilu", "海拉尔西路街道", "Hailar West Road Subdistrict"),
    ("huanhejie", "环河街街道", "Huanhe Street Subdistrict"),
    ("tongdaojie", "通道街街道", "Tongdao Street Subdistrict"),
    ("gangtielu", "钢铁路街道", "Gangtie Road Subdistrict"),
    ("youyouban", "攸攸板镇", "Youyouban Town"),
)


class UTCDateTime(db.TypeDecorator):
    """DateTime stored as UTC and always returned timezone-aware (SQLite drops the zone)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        return as_utc(value) if value is not None else None

    def process_result_value(self, value, dialect):
        return as_utc(value) if value is not None else None


class Unit(db.Model):
    """One of the eight responsible units (七办一镇); sites and users are scoped by it."""

    __tablename__ = "units"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name_zh: Mapped[str] = mapped_column(String(40), unique=True)
    name_en: Mapped[str] = mapped_column(String(80))


class AuditEvent(db.Model):
    """Append-only record of a state change: who, what, on which object, before and after.

    The log is a hash chain (``core/audit.py``): event number ``seq`` carries the hash of event
    ``seq - 1`` (``prev_hash``) and its own hash over its fields and ``prev_hash`` (``entry_hash``),
    so an edited, deleted or inserted row breaks the chain where ``flask audit verify`` names it.
    """

    __tablename__ = "audit_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    action: Mapped[str] = mapped_column(String(60), index=True)
    object_type: Mapped[str] = mapped_column(String(40))
    object_id: Mapped[str] = mapped_column(String(64))
    before: Mapped[dict | None] = mapped_column(JSON)
    after: Mapped[dict | None] = mapped_column(JSON)
    # Position in the chain (1, 2, 3 … without gaps, in commit order) and the two links.
    seq: Mapped[int] = mapped_column(Integer, unique=True)
    prev_hash: Mapped[str] = mapped_column(String(64))
    entry_hash: Mapped[str] = mapped_column(String(64))


class AuditChainHead(db.Model):
    """The one row (id 1) naming the chain's last event: appends lock it, so the chain never forks.

    It also lets ``flask audit verify`` notice events deleted from the end of the chain.
    """

    __tablename__ = "audit_chain_head"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    length: Mapped[int] = mapped_column(Integer, default=0)
    last_hash: Mapped[str] = mapped_column(String(64))
