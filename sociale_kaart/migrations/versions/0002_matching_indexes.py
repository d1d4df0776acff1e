"""indexes for matching: scope/regio, municipality->activity, change time

Matching filters one scope at a time (docs/contracts.md): activities of a gemeente
through activity_municipality, region-wide ones by (scope, regio), online ones by
scope. The free-text index is rebuilt when max(laatst_gewijzigd_op) changes, so
that column is indexed too (a max() then reads one index entry).

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
