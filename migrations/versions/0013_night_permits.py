"""Night-work permits (夜间施工证明)

night_permits: a site's permits to work at night (《噪声污染防治法》第四十三条) — number (unique per
site), issuing office, first and last night, permitted hours (22:00–06:00 wraps midnight), works
covered, note; revoked with time, user and reason. The status (valid / expired / not yet valid /
revoked) is derived, never stored.

Revision ID: 0013
Revises: 0012
Create Date: 2026-11-30

"""
from alembic import op
import sqlalchemy as sa
import inspect_app.core.models


# revision identifiers, used by Alembic.
revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('night_permits',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('site_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.String(length=60), nullable=False),
    sa.Column('issuing_office', sa.String(length=120), nullable=False),
    sa.Column('valid_from', sa.Date(), nullable=False),
    sa.Column('valid_to', sa.Date(), nullable=False),
    sa.Column('start_time', sa.String(length=5), nullable=False),
    sa.Column('end_time', sa.String(length=5), nullable=False),
    sa.Column('works', sa.String(length=500), nullable=True),
    sa.Column('note', sa.String(length=500), nullable=True),
    sa.Column('revoked_at', inspect_app.core.models.UTCDateTime(timezone=True), nullable=True),
    sa.Column('revoked_by_id', sa.Integer(), nullable=True),
    sa.Column('revoke_reason', sa.String(length=500), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', inspect_app.core.models.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', inspect_app.core.models.UTCDateTime(timezone=True), nullable=False),
    sa.CheckConstraint('start_time <> end_time', name=op.f('ck_night_permits_hours_not_empty')),
    sa.CheckConstraint('valid_to >= valid_from', name=op.f('ck_night_permits_dates_in_order')),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_night_permits_created_by_id_users')),
    sa.ForeignKeyConstraint(['revoked_by_id'], ['users.id'], name=op.f('fk_night_permits_revoked_by_id_users')),
    sa.ForeignKeyConstraint(['site_id'], ['sites.id'], name=op.f('fk_night_permits_site_id_sites')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_night_permits')),
    sa.UniqueConstraint('site_id', 'number', name='uq_night_permits_site_number')
    )
    with op.batch_alter_table('night_permits', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_night_permits_site_id'), ['site_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_night_permits_valid_to'), ['valid_to'], unique=False)


def downgrade():
    with op.batch_alter_table('night_permits', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_night_permits_valid_to'))
        batch_op.drop_index(batch_op.f('ix_night_permits_site_id'))
    op.drop_table('night_permits')
