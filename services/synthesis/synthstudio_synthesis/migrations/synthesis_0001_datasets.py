"""Datasets: stored tables, their lineage, SDV metadata and what the PII scan found.

Revision ID: synthesis_0001
Revises:
Create Date: 2026-11-25
"""

import sqlalchemy as sa
from alembic import op

revision = "synthesis_0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "datasets",
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column("display_name", sa.String(255), nullable=False),
        sa.Column("creator", sa.String(255), nullable=False),
        sa.Column("create_time", sa.DateTime(timezone=True), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("derived_from", sa.String(64), nullable=False, server_default=""),
        sa.Column("sdv_metadata", sa.JSON, nullable=False),
        sa.Column("tables", sa.JSON, nullable=False),
        sa.Column("pii_findings", sa.JSON, nullable=False),
    )
    op.create_index("ix_datasets_create_time", "datasets", ["create_time"])
    op.create_index("ix_datasets_derived_from", "datasets", ["derived_from"])


def downgrade() -> None:
    op.drop_table("datasets")
