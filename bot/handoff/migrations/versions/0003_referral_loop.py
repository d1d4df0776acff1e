"""the referral loop: source and referrer of a request, outcome fields, feedback,
actor on every status change, referrer organisations, outbox rows by kind

Revision ID: 0003_referral_loop
Revises: 0002_coach_accounts
Create Date: 2026-12-01 16:40:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0003_referral_loop"
down_revision = "0002_coach_accounts"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("handoff_requests", schema=None) as batch_op:
        batch_op.add_column(sa.Column("source", sa.String(length=20), nullable=False, server_default="chat"))
        batch_op.add_column(sa.Column("referrer_org_code", sa.String(length=120), nullable=True))
        batch_op.add_column(sa.Column("referrer_user_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("contact_way", sa.String(length=20), nullable=True))
        batch_op.add_column(sa.Column("conversations", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("activity", sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column("outcome_detail", sa.String(length=40), nullable=True))
        batch_op.add_column(sa.Column("feedback_encrypted", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("feedback_at", sa.DateTime(), nullable=True))
        batch_op.create_index(batch_op.f("ix_handoff_requests_source"), ["source"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_handoff_requests_referrer_org_code"), ["referrer_org_code"], unique=False
        )
    with op.batch_alter_table("handoff_status_history", schema=None) as batch_op:
        batch_op.add_column(sa.Column("actor", sa.String(length=80), nullable=True))
    with op.batch_alter_table("handoff_outbox", schema=None) as batch_op:
        batch_op.add_column(sa.Column("kind", sa.String(length=40), nullable=False, server_default="nieuw"))
        batch_op.drop_constraint("uq_handoff_outbox_request_id", type_="unique")
        batch_op.create_unique_constraint("uq_handoff_outbox_kind", ["request_id", "channel", "kind"])
    op.create_table(
        "handoff_referrer_orgs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=120), nullable=False),
        sa.Column("naam", sa.String(length=200), nullable=False),
        sa.Column("soort", sa.String(length=40), nullable=False),
        sa.Column("email", sa.String(length=320), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_handoff_referrer_orgs")),
        sa.UniqueConstraint("code", name=op.f("uq_handoff_referrer_orgs_code")),
    )


def downgrade() -> None:
    op.drop_table("handoff_referrer_orgs")
    with op.batch_alter_table("handoff_outbox", schema=None) as batch_op:
        batch_op.drop_constraint("uq_handoff_outbox_kind", type_="unique")
        batch_op.create_unique_constraint("uq_handoff_outbox_request_id", ["request_id", "channel"])
        batch_op.drop_column("kind")
    with op.batch_alter_table("handoff_status_history", schema=None) as batch_op:
        batch_op.drop_column("actor")
    with op.batch_alter_table("handoff_requests", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_handoff_requests_referrer_org_code"))
        batch_op.drop_index(batch_op.f("ix_handoff_requests_source"))
        for column in (
            "feedback_at",
            "feedback_encrypted",
            "outcome_detail",
            "activity",
            "conversations",
            "contact_way",
            "referrer_user_id",
            "referrer_org_code",
            "source",
        ):
            batch_op.drop_column(column)
