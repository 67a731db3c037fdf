"""Site registry (一企一档): organisation records, the site's parties and project fields, phase history

organisations: 建设/施工/监理单位 with the unified social credit code (unique when given); a merged
duplicate points at its survivor. sites: FKs to the three parties, project type, planned dates, floor
area, 项目负责人 and 扬尘治理负责人, dust-control plan filing, the datum coordinates were entered in, the
reason a site is finished or closed. site_phase_history: one row per phase change, opened for every
existing site with its current phase.

Revision ID: 0019
Revises: 0018
Create Date: 2026-11-30

"""
from alembic import op
import sqlalchemy as sa
import inspect_app.core.models


# revision identifiers, used by Alembic.
revision = '0019'
down_revision = '0018'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('organisations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('credit_code', sa.String(length=18), nullable=True),
    sa.Column('address', sa.String(length=200), nullable=True),
    sa.Column('contact_name', sa.String(length=60), nullable=True),
    sa.Column('contact_phone', sa.String(length=30), nullable=True),
    sa.Column('merged_into_id', sa.Integer(), nullable=True),
    sa.Column('created_at', inspect_app.core.models.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', inspect_app.core.models.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['merged_into_id'], ['organisations.id'], name=op.f('fk_organisations_merged_into_id_organisations')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_organisations')),
    sa.UniqueConstraint('credit_code', name=op.f('uq_organisations_credit_code'))
    )
    with op.batch_alter_table('organisations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_organisations_merged_into_id'), ['merged_into_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_organisations_name'), ['name'], unique=False)

    op.create_table('site_phase_history',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('site_id', sa.Integer(), nullable=False),
    sa.Column('phase', sa.String(length=20), nullable=False),
    sa.Column('previous_phase', sa.String(length=20), nullable=True),
    sa.Column('changed_at', inspect_app.core.models.UTCDateTime(timezone=True), nullable=False),
    sa.Column('changed_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['changed_by_id'], ['users.id'], name=op.f('fk_site_phase_history_changed_by_id_users')),
    sa.ForeignKeyConstraint(['site_id'], ['sites.id'], name=op.f('fk_site_phase_history_site_id_sites'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_site_phase_history'))
    )
    with op.batch_alter_table('site_phase_history', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_site_phase_history_site_id'), ['site_id'], unique=False)

    with op.batch_alter_table('sites', schema=None) as batch_op:
        batch_op.add_column(sa.Column('builder_org_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('contractor_org_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('supervisor_org_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('project_type', sa.String(length=20), nullable=True))
        batch_op.add_column(sa.Column('planned_start', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('planned_finish', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('floor_area_m2', sa.Float(), nullable=True))
        batch_op.add_column(sa.Column('project_manager_name', sa.String(length=60), nullable=True))
        batch_op.add_column(sa.Column('project_manager_phone', sa.String(length=30), nullable=True))
        batch_op.add_column(sa.Column('dust_officer_name', sa.String(length=60), nullable=True))
        batch_op.add_column(sa.Column('dust_officer_phone', sa.String(length=30), nullable=True))
        batch_op.add_column(sa.Column('dust_plan_filed', sa.Boolean(), server_default=sa.false(), nullable=False))
        batch_op.add_column(sa.Column('dust_plan_filed_on', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('entered_datum', sa.String(length=8), nullable=True))
        batch_op.add_column(sa.Column('status_reason', sa.String(length=200), nullable=True))
        batch_op.create_index(batch_op.f('ix_sites_builder_org_id'), ['builder_org_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_sites_contractor_org_id'), ['contractor_org_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_sites_supervisor_org_id'), ['supervisor_org_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_sites_contractor_org_id_organisations'), 'organisations', ['contractor_org_id'], ['id'])
        batch_op.create_foreign_key(batch_op.f('fk_sites_builder_org_id_organisations'), 'organisations', ['builder_org_id'], ['id'])
        batch_op.create_foreign_key(batch_op.f('fk_sites_supervisor_org_id_organisations'), 'organisations', ['supervisor_org_id'], ['id'])

    # Every existing site opens its phase history with the phase it has now, from its creation.
    op.execute("INSERT INTO site_phase_history (site_id, phase, previous_phase, changed_at) "
               "SELECT id, phase, NULL, created_at FROM sites")


def downgrade():
    with op.batch_alter_table('sites', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_sites_supervisor_org_id_organisations'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('fk_sites_builder_org_id_organisations'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('fk_sites_contractor_org_id_organisations'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_sites_supervisor_org_id'))
        batch_op.drop_index(batch_op.f('ix_sites_contractor_org_id'))
        batch_op.drop_index(batch_op.f('ix_sites_builder_org_id'))
        batch_op.drop_column('status_reason')
        batch_op.drop_column('entered_datum')
        batch_op.drop_column('dust_plan_filed_on')
        batch_op.drop_column('dust_plan_filed')
        batch_op.drop_column('dust_officer_phone')
        batch_op.drop_column('dust_officer_name')
        batch_op.drop_column('project_manager_phone')
        batch_op.drop_column('project_manager_name')
        batch_op.drop_column('floor_area_m2')
        batch_op.drop_column('planned_finish')
        batch_op.drop_column('planned_start')
        batch_op.drop_column('project_type')
        batch_op.drop_column('supervisor_org_id')
        batch_op.drop_column('contractor_org_id')
        batch_op.drop_column('builder_org_id')

    with op.batch_alter_table('site_phase_history', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_site_phase_history_site_id'))

    op.drop_table('site_phase_history')
    with op.batch_alter_table('organisations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_organisations_name'))
        batch_op.drop_index(batch_op.f('ix_organisations_merged_into_id'))

    op.drop_table('organisations')
