"""Users choose their own password: users.must_change_password

Set when an admin sets a password (a new account, a reset); until its owner changes it, every endpoint but
"me", "log out" and "change my password" answers 403 password_change_required. Existing accounts keep working.

Revision ID: 0022
Revises: 0021
Create Date: 2026-11-30

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0022'
down_revision = '0021'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('must_change_password', sa.Boolean(), server_default=sa.false(),
                                      nullable=False))


def downgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('must_change_password')
