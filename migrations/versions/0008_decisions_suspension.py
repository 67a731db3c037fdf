"""Decisions, payments, withdrawals; site suspension and resumption

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-30

Decisions (penalties/decisions.py): the wider decision vocabulary (fine_and_stop_work needs 20
characters), an amount per violation, the 决定书 date, the legal reason of 不予处罚/减轻处罚, who decided
and the second approver of a reduction, payment (缴款) and withdrawal (撤案). 决定书文号 becomes unique:
numbers typed twice before this revision keep the lowest case's number, the others get ``#<case id>``
appended so nothing is lost and the index can be built.
"""
from alembic import op
import sqlalchemy as sa
import inspect_app.core.models


# revision identifiers, used by Alembic.
revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


DEDUPLICATE_DECISION_NUMBERS = """
UPDATE penalty_cases SET decision_number = decision_number || '#' || CAST(id AS VARCHAR(12))
WHERE decision_number IS NOT NULL AND id > (
    SELECT min(other.id) FROM penalty_cases other WHERE other.decision_number = penalty_cases.decision_number)
"""


def upgrade():
    # ---- decisions (task D) ----
    op.execute(DEDUPLICATE_DECISION_NUMBERS)
    with op.batch_alter_table('penalty_cases', schema=None) as batch_op:
        batch_op.alter_column('decision', existing_type=sa.String(length=12), type_=sa.String(length=20),
                              existing_nullable=True)
        batch_op.add_column(sa.Column('decision_amounts', sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column('decision_date', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('decision_reason_code', sa.String(length=30), nullable=True))
        batch_op.add_column(sa.Column('decision_reason', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('decided_by_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('second_approver_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('paid_on', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('receipt_number', sa.String(length=60), nullable=True))
        batch_op.add_column(sa.Column('withdrawal_reason', sa.Text(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_penalty_cases_decided_by_id_users'), 'users',
                                    ['decided_by_id'], ['id'])
        batch_op.create_foreign_key(batch_op.f('fk_penalty_cases_second_approver_id_users'), 'users',
                                    ['second_approver_id'], ['id'])
        batch_op.create_unique_constraint(batch_op.f('uq_penalty_cases_decision_number'), ['decision_number'])
    # ---- end of decisions ----

    # ---- suspension and resumption (task E) ----
    with op.batch_alter_table('sites', schema=None) as batch_op:
        batch_op.add_column(sa.Column('suspension_order_number', sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column('suspended_since', inspect_app.core.models.UTCDateTime(timezone=True),
                                      nullable=True))
    with op.batch_alter_table('checklist_items', schema=None) as batch_op:
        batch_op.add_column(sa.Column('site_statuses', sa.JSON(), nullable=True))
    op.create_table('site_suspensions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('site_id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('decision_number', sa.String(length=60), nullable=False),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('started_at', inspect_app.core.models.UTCDateTime(timezone=True), nullable=False),
    sa.Column('ended_at', inspect_app.core.models.UTCDateTime(timezone=True), nullable=True),
    sa.Column('ordered_by_id', sa.Integer(), nullable=True),
    sa.Column('applied_at', inspect_app.core.models.UTCDateTime(timezone=True), nullable=True),
    sa.Column('applied_by_id', sa.Integer(), nullable=True),
    sa.Column('application_note', sa.Text(), nullable=True),
    sa.Column('resumption_inspection_id', sa.Integer(), nullable=True),
    sa.Column('approved_at', inspect_app.core.models.UTCDateTime(timezone=True), nullable=True),
    sa.Column('approved_by_id', sa.Integer(), nullable=True),
    sa.Column('approval_note', sa.Text(), nullable=True),
    sa.Column('created_at', inspect_app.core.models.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['applied_by_id'], ['users.id'], name=op.f('fk_site_suspensions_applied_by_id_users')),
    sa.ForeignKeyConstraint(['approved_by_id'], ['users.id'], name=op.f('fk_site_suspensions_approved_by_id_users')),
    sa.ForeignKeyConstraint(['case_id'], ['penalty_cases.id'], name=op.f('fk_site_suspensions_case_id_penalty_cases')),
    sa.ForeignKeyConstraint(['ordered_by_id'], ['users.id'], name=op.f('fk_site_suspensions_ordered_by_id_users')),
    sa.ForeignKeyConstraint(['resumption_inspection_id'], ['inspections.id'],
                            name=op.f('fk_site_suspensions_resumption_inspection_id_inspections')),
    sa.ForeignKeyConstraint(['site_id'], ['sites.id'], name=op.f('fk_site_suspensions_site_id_sites')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_site_suspensions')),
    sa.UniqueConstraint('case_id', name=op.f('uq_site_suspensions_case_id'))
    )
    with op.batch_alter_table('site_suspensions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_site_suspensions_ended_at'), ['ended_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_site_suspensions_site_id'), ['site_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_site_suspensions_status'), ['status'], unique=False)
    # ---- end of suspension and resumption ----


def downgrade():
    # ---- suspension and resumption (task E) ----
    with op.batch_alter_table('site_suspensions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_site_suspensions_status'))
        batch_op.drop_index(batch_op.f('ix_site_suspensions_site_id'))
        batch_op.drop_index(batch_op.f('ix_site_suspensions_ended_at'))
    op.drop_table('site_suspensions')
    with op.batch_alter_table('checklist_items', schema=None) as batch_op:
        batch_op.drop_column('site_statuses')
    with op.batch_alter_table('sites', schema=None) as batch_op:
        batch_op.drop_column('suspended_since')
        batch_op.drop_column('suspension_order_number')
    # ---- end of suspension and resumption ----

    # ---- decisions (task D) ----
    # the old 12-character column cannot hold fine_and_stop_work: it was a fine (the order is in the events)
    op.execute("UPDATE penalty_cases SET decision = 'fine' WHERE decision = 'fine_and_stop_work'")
    with op.batch_alter_table('penalty_cases', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_penalty_cases_decision_number'), type_='unique')
        batch_op.drop_constraint(batch_op.f('fk_penalty_cases_second_approver_id_users'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('fk_penalty_cases_decided_by_id_users'), type_='foreignkey')
        for column in ('withdrawal_reason', 'receipt_number', 'paid_on', 'second_approver_id', 'decided_by_id',
                       'decision_reason', 'decision_reason_code', 'decision_date', 'decision_amounts'):
            batch_op.drop_column(column)
        batch_op.alter_column('decision', existing_type=sa.String(length=20), type_=sa.String(length=12),
                              existing_nullable=True)
    # ---- end of decisions ----
