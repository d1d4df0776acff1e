"""coaches log in through bot.accounts: account_id on handoff_coaches, existing
coach accounts (username, argon2 hash, active) copied into accounts_users with the
role coach or teamleider for their team

Revision ID: 0002_coach_accounts
Revises: 0001_handoff_tables
Create Date: 2026-12-01 16:25:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0002_coach_accounts"
down_revision = "0001_handoff_tables"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("handoff_coaches", schema=None) as batch_op:
        batch_op.add_column(sa.Column("account_id", sa.Integer(), nullable=True))
        batch_op.alter_column("password_hash", existing_type=sa.String(length=255), nullable=True)
        batch_op.create_index(batch_op.f("ix_handoff_coaches_account_id"), ["account_id"], unique=True)

    # bot.handoff.db.migrate runs the accounts migrations first, so accounts_users exists.
    bind = op.get_bind()
    coaches = bind.execute(
        sa.text(
            "SELECT c.id, c.username, c.password_hash, c.is_lead, c.active, c.created_at, t.code "
            "FROM handoff_coaches c JOIN handoff_teams t ON t.id = c.team_id "
            "WHERE c.account_id IS NULL"
        )
    ).fetchall()
    for coach_id, username, password_hash, is_lead, active, created_at, team_code in coaches:
        existing = bind.execute(
            sa.text("SELECT id FROM accounts_users WHERE username = :u"), {"u": username}
        ).scalar()
        if existing is None:
            bind.execute(
                sa.text(
                    "INSERT INTO accounts_users "
                    "(username, password_hash, active, created_at, password_changed_at) "
                    "VALUES (:u, :h, :a, :c, :c)"
                ),
                {"u": username, "h": password_hash, "a": bool(active), "c": created_at},
            )
            existing = bind.execute(
                sa.text("SELECT id FROM accounts_users WHERE username = :u"), {"u": username}
            ).scalar()
        roles = ["coach", "teamleider"] if is_lead else ["coach"]
        for role in roles:
            bind.execute(
                sa.text(
                    "INSERT INTO accounts_roles (user_id, role, scope_kind, scope_code, created_at) "
                    "VALUES (:user, :role, 'team', :team, :c)"
                ),
                {"user": existing, "role": role, "team": team_code, "c": created_at},
            )
        bind.execute(
            sa.text("UPDATE handoff_coaches SET account_id = :a, password_hash = NULL WHERE id = :id"),
            {"a": existing, "id": coach_id},
        )


def downgrade() -> None:
    with op.batch_alter_table("handoff_coaches", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_handoff_coaches_account_id"))
        batch_op.drop_column("account_id")
