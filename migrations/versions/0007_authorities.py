"""Authorities of items, cases and enforcement users; legal data

Enforcement users belong to an authority (区城管执法局 ``bureau``, 区交管队 ``traffic_police``,
区住建局 ``housing``, 生态环境分局 ``ecology``) and see only its queue; every existing user gets
``bureau``, the only authority enforcement users had before. A case referred to an outside
authority records the outcome that authority reported back. (Item authorities live in the items'
legal_basis JSON; the corrected legal data arrives with ``flask checklists sync`` as new versions.)

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-30
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('authority', sa.String(length=20), server_default='bureau', nullable=False))
    with op.batch_alter_table('penalty_cases', schema=None) as batch_op:
        batch_op.add_column(sa.Column('referral_outcome', sa.Text(), nullable=True))


def downgrade():
    with op.batch_alter_table('penalty_cases', schema=None) as batch_op:
        batch_op.drop_column('referral_outcome')
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('authority')
