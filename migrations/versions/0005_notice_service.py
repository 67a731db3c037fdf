"""Service records (送达) of notices; whether a rendering shows the service

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-30

"""
from alembic import op
import sqlalchemy as sa
import inspect_app.core.models


# revision identifiers, used by Alembic.
revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('notice_services',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uuid', sa.String(length=36), nullable=False),
    sa.Column('notice_id', sa.Integer(), nullable=False),
    sa.Column('method', sa.String(length=10), nullable=False),
    sa.Column('channel', sa.String(length=10), nullable=False),
    sa.Column('signer_name', sa.String(length=60), nullable=True),
    sa.Column('signer_role', sa.String(length=60), nullable=True),
    sa.Column('witness_name', sa.String(length=60), nullable=True),
    sa.Column('note', sa.String(length=500), nullable=True),
    sa.Column('served_at', inspect_app.core.models.UTCDateTime(timezone=True), nullable=False),
    sa.Column('lat', sa.Float(), nullable=True),
    sa.Column('lon', sa.Float(), nullable=True),
    sa.Column('accuracy_m', sa.Float(), nullable=True),
    sa.Column('recorded_by_id', sa.Integer(), nullable=False),
    sa.Column('content_hash', sa.String(length=64), nullable=False),
    sa.Column('evidence_id', sa.String(length=36), nullable=True),
    sa.Column('evidence_sha256', sa.String(length=64), nullable=True),
    sa.Column('evidence_format', sa.String(length=8), nullable=True),
    sa.Column('evidence_bytes', sa.Integer(), nullable=True),
    sa.Column('evidence_width', sa.Integer(), nullable=True),
    sa.Column('evidence_height', sa.Integer(), nullable=True),
    sa.Column('evidence_key', sa.String(length=80), nullable=True),
    sa.Column('evidence_thumb_key', sa.String(length=80), nullable=True),
    sa.Column('evidence_received_at', inspect_app.core.models.UTCDateTime(timezone=True), nullable=True),
    sa.Column('created_at', inspect_app.core.models.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['notice_id'], ['notices.id'], name=op.f('fk_notice_services_notice_id_notices')),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['users.id'], name=op.f('fk_notice_services_recorded_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_notice_services')),
    sa.UniqueConstraint('evidence_id', name=op.f('uq_notice_services_evidence_id')),
    sa.UniqueConstraint('notice_id', name=op.f('uq_notice_services_notice_id')),
    sa.UniqueConstraint('uuid', name=op.f('uq_notice_services_uuid'))
    )
    with op.batch_alter_table('notice_services', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_notice_services_evidence_sha256'), ['evidence_sha256'], unique=False)
        batch_op.create_index(batch_op.f('ix_notice_services_recorded_by_id'), ['recorded_by_id'], unique=False)

    with op.batch_alter_table('notice_renderings', schema=None) as batch_op:
        batch_op.add_column(sa.Column('shows_service', sa.Boolean(), server_default=sa.false(), nullable=False))


def downgrade():
    with op.batch_alter_table('notice_renderings', schema=None) as batch_op:
        batch_op.drop_column('shows_service')

    with op.batch_alter_table('notice_services', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_notice_services_recorded_by_id'))
        batch_op.drop_index(batch_op.f('ix_notice_services_evidence_sha256'))

    op.drop_table('notice_services')
