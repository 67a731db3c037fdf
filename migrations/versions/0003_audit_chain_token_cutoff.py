"""tamper-evident audit log (hash chain and chain head), per-user token cut-off

Existing audit events are chained in id order here, with the same hash function the app uses, so
``flask audit verify`` checks the whole history, not only what happens after the upgrade. On a large
table this reads and updates every row once (thousands per second); run it in a quiet hour.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-30 09:00:00.000000

"""
from alembic import op
import sqlalchemy as sa
import inspect_app.core.models
from inspect_app.core.audit import GENESIS_HASH, entry_hash


# revision identifiers, used by Alembic.
revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None

_events = sa.table(
    'audit_events',
    sa.column('id', sa.Integer()),
    sa.column('at', inspect_app.core.models.UTCDateTime(timezone=True)),
    sa.column('actor_id', sa.Integer()),
    sa.column('action', sa.String()),
    sa.column('object_type', sa.String()),
    sa.column('object_id', sa.String()),
    sa.column('before', sa.JSON()),
    sa.column('after', sa.JSON()),
    sa.column('seq', sa.Integer()),
    sa.column('prev_hash', sa.String()),
    sa.column('entry_hash', sa.String()),
)


def upgrade():
    op.create_table('audit_chain_head',
    sa.Column('id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('length', sa.Integer(), nullable=False),
    sa.Column('last_hash', sa.String(length=64), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_chain_head'))
    )
    with op.batch_alter_table('audit_events', schema=None) as batch_op:
        batch_op.add_column(sa.Column('seq', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('prev_hash', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('entry_hash', sa.String(length=64), nullable=True))

    length, last_hash = _chain_existing_events(op.get_bind())
    op.execute(sa.table('audit_chain_head', sa.column('id', sa.Integer()), sa.column('length', sa.Integer()),
                        sa.column('last_hash', sa.String())).insert()
               .values(id=1, length=length, last_hash=last_hash))

    with op.batch_alter_table('audit_events', schema=None) as batch_op:
        batch_op.alter_column('seq', existing_type=sa.Integer(), nullable=False)
        batch_op.alter_column('prev_hash', existing_type=sa.String(length=64), nullable=False)
        batch_op.alter_column('entry_hash', existing_type=sa.String(length=64), nullable=False)
        batch_op.create_unique_constraint(batch_op.f('uq_audit_events_seq'), ['seq'])

    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('tokens_valid_after', inspect_app.core.models.UTCDateTime(timezone=True),
                                      nullable=True))


def _chain_existing_events(bind) -> tuple[int, str]:
    """Number and hash the events already stored, oldest first; returns (length, last hash)."""
    seq, prev_hash = 0, GENESIS_HASH
    last_id = 0
    while True:
        rows = bind.execute(sa.select(_events).where(_events.c.id > last_id)
                            .order_by(_events.c.id).limit(1000)).all()
        if not rows:
            return seq, prev_hash
        for row in rows:
            seq += 1
            digest = entry_hash(seq=seq, prev_hash=prev_hash, at=row.at, actor_id=row.actor_id,
                                action=row.action, object_type=row.object_type, object_id=row.object_id,
                                before=row.before, after=row.after)
            bind.execute(_events.update().where(_events.c.id == row.id)
                         .values(seq=seq, prev_hash=prev_hash, entry_hash=digest))
            prev_hash = digest
        last_id = rows[-1].id


def downgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('tokens_valid_after')

    with op.batch_alter_table('audit_events', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_audit_events_seq'), type_='unique')
        batch_op.drop_column('entry_hash')
        batch_op.drop_column('prev_hash')
        batch_op.drop_column('seq')

    op.drop_table('audit_chain_head')
