"""Datasets: uploaded tables and what the PII scan found in them.

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
        sa.Column("row_count", sa.BigInteger, nullable=False),
        sa.Column("size_bytes", sa.BigInteger, nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("columns", sa.JSON, nullable=False),
        sa.Column("pii_findings", sa.JSON, nullable=False),
        sa.Column("artifact_key", sa.String(255), nullable=False),
    )
    op.create_index("ix_datasets_create_time", "datasets", ["create_time"])


def downgrade() -> None:
    op.drop_table("datasets")
