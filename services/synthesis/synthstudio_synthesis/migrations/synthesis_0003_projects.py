"""Datasets and synthesizers belong to a project (existing ones to `default`); a dataset records
whether it is synthetic (sampled by a synthesizer): only those may be downloaded by viewers.

Revision ID: synthesis_0003
Revises: synthesis_0002
Create Date: 2026-12-03
"""

import sqlalchemy as sa
from alembic import op

revision = "synthesis_0003"
down_revision = "synthesis_0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    for table in ("datasets", "synthesizers"):
        op.add_column(
            table,
            sa.Column("project_id", sa.String(64), nullable=False, server_default="default"),
        )
        op.create_index(f"ix_{table}_project_id", table, ["project_id"])
    # Rows from before are not known to be synthetic: they stay raw (editors only).
    op.add_column(
        "datasets", sa.Column("synthetic", sa.Boolean, nullable=False, server_default=sa.false())
    )


def downgrade() -> None:
    op.drop_column("datasets", "synthetic")
    for table in ("datasets", "synthesizers"):
        op.drop_index(f"ix_{table}_project_id", table)
        op.drop_column(table, "project_id")
