"""Evaluation reports.

Revision ID: evaluation_0001
Revises:
Create Date: 2026-11-25
"""

import sqlalchemy as sa
from alembic import op

revision = "evaluation_0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "evaluation_reports",
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column("real_dataset_id", sa.String(64), nullable=False),
        sa.Column("synthetic_dataset_id", sa.String(64), nullable=False),
        sa.Column("quality_score", sa.Float, nullable=False),
        sa.Column("creator", sa.String(255), nullable=False),
        sa.Column("create_time", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_evaluation_reports_create_time", "evaluation_reports", ["create_time"])


def downgrade() -> None:
    op.drop_table("evaluation_reports")
