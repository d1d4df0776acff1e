"""editors' workflow: versions of each activity, owner, archive reason, lock counter

activity.versie is the number of the published version the row holds (optimistic
locking: a save based on an older number is refused). activity_version keeps every
version (concept, ter_controle, gepubliceerd, ...) as a clean record in JSON.
The activity row itself always holds the published content, so residents, exports
and the API never see a concept.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-01

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | Sequence[str] | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("activity") as batch:
        batch.add_column(sa.Column("versie", sa.Integer(), nullable=False, server_default="0"))
        batch.add_column(sa.Column("eigenaar", sa.String(200)))
        batch.add_column(sa.Column("archief_reden", sa.Text()))
        batch.add_column(sa.Column("gearchiveerd_op", sa.DateTime()))
    op.create_index("ix_activity_eigenaar", "activity", ["eigenaar"])
    op.create_table(
        "activity_version",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("activity_id", sa.String(120), nullable=False, index=True),
        sa.Column("nummer", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(20), nullable=False, index=True),
        sa.Column("record", sa.Text(), nullable=False),
        sa.Column("auteur", sa.String(80), nullable=False),
        sa.Column("gemaakt_op", sa.DateTime(), nullable=False),
        sa.Column("beoordeeld_door", sa.String(80)),
        sa.Column("beoordeeld_op", sa.DateTime()),
        sa.Column("notitie", sa.Text()),
        sa.UniqueConstraint("activity_id", "nummer", name="uq_activity_version_nummer"),
    )


def downgrade() -> None:
    op.drop_table("activity_version")
    op.drop_index("ix_activity_eigenaar", "activity")
    with op.batch_alter_table("activity") as batch:
        for column in ("gearchiveerd_op", "archief_reden", "eigenaar", "versie"):
            batch.drop_column(column)
