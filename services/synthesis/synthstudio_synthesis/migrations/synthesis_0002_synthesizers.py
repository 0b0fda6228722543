"""Synthesizers: trained models, what they were trained with, and where the sealed model is.

Revision ID: synthesis_0002
Revises: synthesis_0001
Create Date: 2026-11-25
"""

import sqlalchemy as sa
from alembic import op

revision = "synthesis_0002"
down_revision = "synthesis_0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "synthesizers",
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column("display_name", sa.String(255), nullable=False),
        sa.Column("dataset_id", sa.String(64), nullable=False),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("hyperparameters", sa.JSON, nullable=False),
        sa.Column("constraints", sa.JSON, nullable=False),
        sa.Column("sdv_metadata", sa.JSON, nullable=False),
        sa.Column("report", sa.JSON, nullable=False),
        sa.Column("engine", sa.String(64), nullable=False),
        sa.Column("artifact_key", sa.String(255), nullable=False),
        sa.Column("artifact_sha256", sa.String(64), nullable=False),
        sa.Column("job_id", sa.String(64), nullable=False),
        sa.Column("creator", sa.String(255), nullable=False),
        sa.Column("create_time", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_synthesizers_dataset_id", "synthesizers", ["dataset_id"])
    op.create_index("ix_synthesizers_create_time", "synthesizers", ["create_time"])


def downgrade() -> None:
    op.drop_table("synthesizers")
