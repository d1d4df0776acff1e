"""indexes for matching: scope/regio, municipality->activity, change time

ix_activity_laatst_gewijzigd_op: the in-memory match index is rebuilt when
max(laatst_gewijzigd_op) changes; this index makes that a single index read.
ix_activity_scope_regio and ix_activity_municipality_code_activity served the
first, SQL-side scope filter. Matching now filters in memory and re-checks the
shown rows by primary key, so these two only help other SQL readers that filter
by scope or gemeente; dropping them (here and in models.py) would speed up imports.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22

"""

from collections.abc import Sequence

from alembic import op

revision: str = "0002"
down_revision: str | Sequence[str] | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index("ix_activity_scope_regio", "activity", ["scope", "regio"])
    op.create_index("ix_activity_laatst_gewijzigd_op", "activity", ["laatst_gewijzigd_op"])
    op.create_index(
        "ix_activity_municipality_code_activity",
        "activity_municipality",
        ["municipality_code", "activity_id"],
    )


def downgrade() -> None:
    op.drop_index("ix_activity_municipality_code_activity", table_name="activity_municipality")
    op.drop_index("ix_activity_laatst_gewijzigd_op", table_name="activity")
    op.drop_index("ix_activity_scope_regio", table_name="activity")
