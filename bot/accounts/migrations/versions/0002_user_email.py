"""accounts: an optional work e-mail address per user (verification reminders of the
editors' back office go to the owner of an entry)

Revision ID: 0002_user_email
Revises: 0001_accounts_tables
Create Date: 2026-12-01 19:50:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0002_user_email"
down_revision = "0001_accounts_tables"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("accounts_users", schema=None) as batch_op:
        batch_op.add_column(sa.Column("email", sa.String(length=320), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("accounts_users", schema=None) as batch_op:
        batch_op.drop_column("email")
