"""Inspection form: the reason for finishing outside the geofence, annotated photo copies

Revision ID: 0015
Revises: 0014
Create Date: 2026-11-30

Issue 12 (a faster form): ``inspections.off_site_reason`` is the inspector's optional reason for
finishing outside the site's geofence (the server's off_site flag stays); ``inspections.photo_annotations``
the annotated copies the submission declared ({copy: original}); ``photos.annotates_uuid`` links a stored
copy to the photo it annotates. All nullable: existing rows need nothing.
"""
from alembic import op
import sqlalchemy as sa
import inspect_app.core.models


# revision identifiers, used by Alembic.
revision = '0015'
down_revision = '0014'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('inspections', schema=None) as batch_op:
        batch_op.add_column(sa.Column('off_site_reason', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('photo_annotations', sa.JSON(), nullable=True))
    with op.batch_alter_table('photos', schema=None) as batch_op:
        batch_op.add_column(sa.Column('annotates_uuid', sa.String(length=36), nullable=True))


def downgrade():
    with op.batch_alter_table('photos', schema=None) as batch_op:
        batch_op.drop_column('annotates_uuid')
    with op.batch_alter_table('inspections', schema=None) as batch_op:
        batch_op.drop_column('photo_annotations')
        batch_op.drop_column('off_site_reason')
