"""accounts: users, roles with a scope, server-side sessions

Revision ID: 0001_accounts_tables
Revises:
Create Date: 2026-12-01 16:20:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0001_accounts_tables"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "accounts_users",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("username", sa.String(length=80), nullable=False),
        sa.Column("password_hash", sa.String(length=255), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("password_changed_at", sa.DateTime(), nullable=False),
        sa.Column("disabled_at", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_accounts_users")),
        sa.UniqueConstraint("username", name=op.f("uq_accounts_users_username")),
    )
    op.create_table(
        "accounts_roles",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("role", sa.String(length=30), nullable=False),
        sa.Column("scope_kind", sa.String(length=20), nullable=False),
        sa.Column("scope_code", sa.String(length=120), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["accounts_users.id"],
            name=op.f("fk_accounts_roles_user_id_accounts_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_accounts_roles")),
        sa.UniqueConstraint("user_id", "role", "scope_kind", "scope_code", name="uq_accounts_roles_grant"),
    )
    with op.batch_alter_table("accounts_roles", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_accounts_roles_user_id"), ["user_id"], unique=False)
    op.create_table(
        "accounts_sessions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("last_seen_at", sa.DateTime(), nullable=False),
        sa.Column("expires_at", sa.DateTime(), nullable=False),
        sa.Column("revoked_at", sa.DateTime(), nullable=True),
        sa.Column("revoke_reason", sa.String(length=30), nullable=True),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["accounts_users.id"],
            name=op.f("fk_accounts_sessions_user_id_accounts_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_accounts_sessions")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_accounts_sessions_token_hash")),
    )
    with op.batch_alter_table("accounts_sessions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_accounts_sessions_user_id"), ["user_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_accounts_sessions_expires_at"), ["expires_at"], unique=False)


def downgrade() -> None:
    op.drop_table("accounts_sessions")
    op.drop_table("accounts_roles")
    op.drop_table("accounts_users")
