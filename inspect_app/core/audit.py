"""Writing and checking the audit log. Every operation that changes state calls :func:`record`.

The log is tamper-evident: events form a hash chain. Event ``seq`` stores ``prev_hash`` (the
``entry_hash`` of event ``seq - 1``, or :data:`GENESIS_HASH` for the first) and its own
``entry_hash``, the SHA-256 of a canonical serialisation of its fields and ``prev_hash``. Editing a
row changes its hash; deleting one leaves a gap in ``seq`` and a ``prev_hash`` that points nowhere;
cutting events off the end disagrees with the chain head. :func:`verify_chain` walks it all.

Links are assigned when the transaction commits, not when :func:`record` is called: the events wait
in ``session.info`` until ``before_commit``, which first flushes everything else, then locks the
single ``audit_chain_head`` row (an ``UPDATE``, so SQLite takes its write lock too), numbers and
hashes the events and moves the head. Two transactions therefore append one after the other and the
chain cannot fork, and the head is locked only for the last moment of a transaction, after every
other row it writes, so waiting for it never closes a deadlock cycle.
"""
from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from sqlalchemy import event, func, insert, select, update
from sqlalchemy.orm import Session

from inspect_app.core.models import AuditChainHead, AuditEvent
from inspect_app.core.timeutil import as_utc, utcnow
from inspect_app.extensions import db

GENESIS_HASH = "0" * 64
_PENDING = "audit_pending"
_HEAD_ID = 1


def record(actor, action: str, obj: Any, before: dict | None = None, after: dict | None = None,
           *, object_type: str | None = None, object_id: str | None = None) -> AuditEvent:
    """Append one audit event to the current transaction; it is stored when the caller commits."""
    audit_event = AuditEvent(
        at=utcnow(),
        actor_id=getattr(actor, "id", None),
        action=action,
        object_type=object_type or getattr(obj, "__tablename__", type(obj).__name__),
        object_id=str(object_id if object_id is not None else getattr(obj, "id", "")),
        before=_jsonable(before),
        after=_jsonable(after),
    )
    session = db.session()
    if not session.in_transaction():
        session.begin()  # so a rollback before any SQL still drops the event
    session.info.setdefault(_PENDING, []).append((_open_transactions(session), audit_event))
    return audit_event


def _jsonable(value):
    """Summaries must be JSON: datetimes and other objects become strings."""
    if value is None:
        return None
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if isinstance(value, (str, int, float, bool)):
        return value
    return str(value)


def entry_hash(*, seq: int, prev_hash: str, at, actor_id: int | None, action: str, object_type: str,
               object_id: str, before, after) -> str:
    """SHA-256 over the canonical JSON of an event's fields and the previous event's hash.

    Canonical: sorted keys, no whitespace, UTF-8, the time as UTC ISO 8601 with microseconds. The
    row's database ``id`` is left out (the chain position ``seq`` is in), so a dump restored into a
    fresh table still verifies. Migration 0003 hashes pre-chain rows with this same function.
    """
    payload = {
        "seq": seq, "prev_hash": prev_hash, "at": as_utc(at).isoformat(timespec="microseconds"),
        "actor_id": actor_id, "action": action, "object_type": object_type, "object_id": object_id,
        "before": before, "after": after,
    }
    text = json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


# --- appending at commit ------------------------------------------------------------------------

def _open_transactions(session: Session) -> tuple:
    """The transactions (innermost first) an event was recorded in, to drop it if one rolls back."""
    chain, transaction = [], session.get_transaction()
    nested = session.get_nested_transaction()
    transaction = nested or transaction
    while transaction is not None:
        chain.append(transaction)
        transaction = transaction.parent
    return tuple(chain)


@event.listens_for(db.session, "before_commit")
def _chain_pending_events(session: Session) -> None:
    """Number, link and insert the events recorded in this transaction, under the chain-head lock."""
    if session.in_nested_transaction() or not session.info.get(_PENDING):
        return  # a savepoint is released (its events wait for the real commit), or nothing to chain
    session.flush()  # every other row first: after the head is locked, only audit rows are written
    pending = [audit_event for _, audit_event in session.info.pop(_PENDING, ())]
    seq, prev_hash = _lock_head(session, len(pending))
    for audit_event in pending:
        audit_event.seq, audit_event.prev_hash = seq, prev_hash
        audit_event.entry_hash = prev_hash = _hash_of(audit_event)
        seq += 1
    session.add_all(pending)
    session.execute(update(AuditChainHead.__table__).where(AuditChainHead.id == _HEAD_ID)
                    .values(last_hash=prev_hash))


def _lock_head(session: Session, count: int) -> tuple[int, str]:
    """Reserve ``count`` chain positions; returns (first seq, hash of the event before it).

    The ``UPDATE`` comes first: on PostgreSQL it takes the row lock (a second appender waits here
    until the first commits, then reads its new head), on SQLite it takes the database write lock.
    """
    head = AuditChainHead.__table__
    bump = update(head).where(head.c.id == _HEAD_ID).values(length=head.c.length + count)
    if session.execute(bump).rowcount == 0:
        _create_head(session)
        session.execute(bump)
    length, last_hash = session.execute(
        select(head.c.length, head.c.last_hash).where(head.c.id == _HEAD_ID)).one()
    return length - count + 1, last_hash


def _create_head(session: Session) -> None:
    """The head row for an empty chain; concurrent creators agree (insert-or-ignore)."""
    dialect = session.get_bind().dialect.name
    values = {"id": _HEAD_ID, "length": 0, "last_hash": GENESIS_HASH}
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as dialect_insert
    elif dialect == "sqlite":
        from sqlalchemy.dialects.sqlite import insert as dialect_insert
    else:  # pragma: no cover - the app supports SQLite and PostgreSQL
        session.execute(insert(AuditChainHead.__table__).values(**values))
        return
    session.execute(dialect_insert(AuditChainHead.__table__).values(**values)
                    .on_conflict_do_nothing(index_elements=["id"]))


def _hash_of(row) -> str:
    return entry_hash(seq=row.seq, prev_hash=row.prev_hash, at=row.at, actor_id=row.actor_id,
                      action=row.action, object_type=row.object_type, object_id=row.object_id,
                      before=row.before, after=row.after)


@event.listens_for(db.session, "after_soft_rollback")
def _drop_rolled_back_events(session: Session, previous_transaction) -> None:
    """Events recorded inside a transaction or savepoint that rolled back never happened."""
    pending = session.info.get(_PENDING)
    if pending:
        session.info[_PENDING] = [(chain, e) for chain, e in pending if previous_transaction not in chain]


@event.listens_for(db.session, "after_transaction_end")
def _forget_events_of_ended_transaction(session: Session, transaction) -> None:
    """A closed session or ended outer transaction leaves nothing waiting for the next one."""
    if transaction.parent is None:
        session.info.pop(_PENDING, None)


# --- verifying ----------------------------------------------------------------------------------

@dataclass
class ChainReport:
    """The outcome of a walk: how many events were checked, and the first broken link if any."""

    checked: int
    head_hash: str
    broken: str | None = None
    broken_seq: int | None = None

    @property
    def ok(self) -> bool:
        return self.broken is None


def verify_chain(progress: Callable[[int, int], None] | None = None, batch_size: int = 5000) -> ChainReport:
    """Walk the chain in ``seq`` order and report the first event that does not link or hash."""
    total = db.session.scalar(select(func.count()).select_from(AuditEvent)) or 0
    expected_seq, expected_prev, checked = 1, GENESIS_HASH, 0
    for row in _rows_in_chain_order(batch_size):
        if row.seq != expected_seq:
            return ChainReport(checked, expected_prev, _gap_message(expected_seq, row), expected_seq)
        if row.prev_hash != expected_prev:
            return ChainReport(checked, expected_prev, (
                f"event #{row.seq} (id {row.id}) does not follow event #{row.seq - 1}: its prev_hash "
                f"{row.prev_hash[:12]}… is not that event's hash {expected_prev[:12]}…"), row.seq)
        if _hash_of(row) != row.entry_hash:
            return ChainReport(checked, expected_prev, (
                f"event #{row.seq} (id {row.id}, {row.action}) was altered: its fields no longer "
                f"match its hash"), row.seq)
        expected_seq, expected_prev, checked = expected_seq + 1, row.entry_hash, checked + 1
        if progress and checked % batch_size == 0:
            progress(checked, total)
    return _check_head(checked, expected_prev)


def _rows_in_chain_order(batch_size: int) -> Iterator:
    """Keyset pages over ``seq``: constant memory on a long chain, one query per page."""
    last = 0
    while True:
        rows = db.session.execute(
            select(AuditEvent.__table__).where(AuditEvent.seq > last)
            .order_by(AuditEvent.seq).limit(batch_size)).all()
        if not rows:
            return
        yield from rows
        last = rows[-1].seq


def _gap_message(expected_seq: int, row) -> str:
    if row.seq > expected_seq:
        missing = (f"#{expected_seq}" if row.seq == expected_seq + 1
                   else f"#{expected_seq}–#{row.seq - 1}")
        return (f"event {missing} is missing: the chain jumps from #{expected_seq - 1} to #{row.seq} "
                f"(id {row.id}); rows were deleted")
    return f"event #{row.seq} (id {row.id}) appears twice or out of order"


def _check_head(checked: int, last_hash: str) -> ChainReport:
    """The head must name the last event walked: otherwise events were cut off the end."""
    head = db.session.execute(select(AuditChainHead.__table__).where(AuditChainHead.id == _HEAD_ID)).first()
    head_length = head.length if head else 0
    head_hash = head.last_hash if head else GENESIS_HASH
    if head_length != checked or head_hash != last_hash:
        return ChainReport(checked, last_hash, (
            f"the chain head records {head_length} events ending in {head_hash[:12]}…, but the table "
            f"holds {checked} ending in {last_hash[:12]}…: events after #{checked} were deleted "
            f"or the head was changed"), checked + 1)
    return ChainReport(checked, last_hash)
