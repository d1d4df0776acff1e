"""verification reminders of the editors' back office through the outbox: an outbox row
may belong to no hand-off request (kind "verificatieherinnering"), and one row per
reminder of an entry (activity, verification date it was sent for, number) so two
schedulers can never queue the same reminder twice

Revision ID: 0004_verification_reminders
Revises: 0003_referral_loop
Create Date: 2026-12-01 19:50:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0004_verification_reminders"
down_revision = "0003_referral_loop"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("handoff_outbox", schema=None) as batch_op:
        batch_op.alter_column("request_id", existing_type=sa.Integer(), nullable=True)
    op.create_table(
        "handoff_verification_reminders",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("activity_id", sa.String(length=200), nullable=False),
        sa.Column("checked_on", sa.String(length=10), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("outbox_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["outbox_id"], ["handoff_outbox.id"],
            name=op.f("fk_handoff_verification_reminders_outbox_id_handoff_outbox"), ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_handoff_verification_reminders")),
        sa.UniqueConstraint("activity_id", "checked_on", "number", name="uq_handoff_verification_reminders_round"),
    )
    with op.batch_alter_table("handoff_verification_reminders", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_handoff_verification_reminders_activity_id"), ["activity_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("handoff_verification_reminders", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_handoff_verification_reminders_activity_id"))
    op.drop_table("handoff_verification_reminders")
    op.execute("DELETE FROM handoff_outbox WHERE request_id IS NULL")
    with op.batch_alter_table("handoff_outbox", schema=None) as batch_op:
        batch_op.alter_column("request_id", existing_type=sa.Integer(), nullable=False)
