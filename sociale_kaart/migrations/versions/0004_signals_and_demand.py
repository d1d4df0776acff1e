"""signals from the field ("Klopt dit niet?", coach flags) and unmet-demand counts

activity_signal: one row per report, a reason code and the day; no free text from
residents, no sender, no time of day. unmet_demand_count: counts per week x theme x
gemeente x outcome of a search (lokaal, alleen_elders, geen); no text at all.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-01

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | Sequence[str] | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "activity_signal",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("activity_id", sa.String(120), nullable=False),
        sa.Column("reden", sa.String(30), nullable=False),
        sa.Column("bron", sa.String(20), nullable=False),
        sa.Column("gemeld_op", sa.Date(), nullable=False),
        sa.Column("melder", sa.String(80)),
        sa.Column("notitie", sa.String(300)),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("afgehandeld_door", sa.String(80)),
        sa.Column("afgehandeld_op", sa.DateTime()),
    )
    op.create_index("ix_activity_signal_activity_id", "activity_signal", ["activity_id"])
    op.create_index("ix_activity_signal_status_activity", "activity_signal", ["status", "activity_id"])
    op.create_table(
        "unmet_demand_count",
        sa.Column("week", sa.Date(), primary_key=True),
        sa.Column("theme_code", sa.String(60), primary_key=True),
        sa.Column("municipality_code", sa.String(6), primary_key=True),
        sa.Column("uitkomst", sa.String(20), primary_key=True),
        sa.Column("aantal", sa.Integer(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("unmet_demand_count")
    op.drop_index("ix_activity_signal_status_activity", "activity_signal")
    op.drop_index("ix_activity_signal_activity_id", "activity_signal")
    op.drop_table("activity_signal")
