"""a resident's opt-in at hand-off for a short message when a coach picks the request up

Revision ID: 0005_pickup_notices
Revises: 0004_verification_reminders
Create Date: 2026-12-01 20:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0005_pickup_notices"
down_revision = "0004_verification_reminders"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "handoff_pickup_notices",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("request_id", sa.Integer(), nullable=False),
        sa.Column("channel", sa.String(length=20), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=True),
        sa.Column("address_encrypted", sa.Text(), nullable=True),
        sa.Column("opted_in_at", sa.DateTime(), nullable=False),
        sa.Column("due_at", sa.DateTime(), nullable=True),
        sa.Column("sent_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["request_id"], ["handoff_requests.id"],
            name=op.f("fk_handoff_pickup_notices_request_id_handoff_requests"), ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_handoff_pickup_notices")),
        sa.UniqueConstraint("request_id", name=op.f("uq_handoff_pickup_notices_request_id")),
    )
    with op.batch_alter_table("handoff_pickup_notices", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_handoff_pickup_notices_token_hash"), ["token_hash"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("handoff_pickup_notices", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_handoff_pickup_notices_token_hash"))
    op.drop_table("handoff_pickup_notices")
