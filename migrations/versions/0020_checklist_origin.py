"""Checklist versions published from the admin desk: where a version came from and who published it

``origin`` is "file" (flask checklists sync) or "screen"; sync refuses to replace a screen version
silently. ``published_by_id`` names the admin who published a screen version.

Revision ID: 0020
Revises: 0019
Create Date: 2026-11-30

"""
from alembic import op
import sqlalchemy as sa
import inspect_app.core.models


# revision identifiers, used by Alembic.
revision = '0020'
down_revision = '0019'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('checklist_versions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('origin', sa.String(length=10), server_default='file', nullable=False))
        batch_op.add_column(sa.Column('published_by_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_checklist_versions_published_by_id_users'), 'users',
                                    ['published_by_id'], ['id'])


def downgrade():
    with op.batch_alter_table('checklist_versions', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_checklist_versions_published_by_id_users'), type_='foreignkey')
        batch_op.drop_column('published_by_id')
        batch_op.drop_column('origin')
