"""Holdout splits, and reports with their headline figures.

The first revision's `evaluation_reports` was a placeholder no release wrote to (the skeleton
served only ListReports), so it is replaced rather than altered.

Revision ID: evaluation_0002
Revises: evaluation_0001
Create Date: 2026-11-25
"""

import sqlalchemy as sa
from alembic import op

revision = "evaluation_0002"
down_revision = "evaluation_0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "evaluation_holdout_splits",
        sa.Column("dataset_id", sa.String(64), primary_key=True),
        sa.Column("seed", sa.BigInteger, nullable=False),
        sa.Column("holdout_fraction", sa.Float, nullable=False),
        sa.Column("split_table", sa.String(255), nullable=False),
        sa.Column("record", sa.JSON, nullable=False),
        sa.Column("sdv_metadata", sa.JSON, nullable=False),
        sa.Column("creator", sa.String(255), nullable=False),
        sa.Column("create_time", sa.DateTime(timezone=True), nullable=False),
    )
    op.drop_index("ix_evaluation_reports_create_time", table_name="evaluation_reports")
    op.drop_table("evaluation_reports")
    op.create_table(
        "evaluation_reports",
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column("job_id", sa.String(64), nullable=False),
        sa.Column("real_dataset_id", sa.String(64), nullable=False),
        sa.Column("synthetic_dataset_id", sa.String(64), nullable=False),
        sa.Column("synthesizer_name", sa.String(255), nullable=False),
        sa.Column("dataset_name", sa.String(255), nullable=False),
        sa.Column("holdout_index_sha256", sa.String(64), nullable=False),
        sa.Column("target_column", sa.String(255)),
        sa.Column("quality_score", sa.Float),
        sa.Column("diagnostic_score", sa.Float),
        sa.Column("utility_ratio", sa.Float),
        sa.Column("dcr_share", sa.Float),
        sa.Column("exact_copy_rate", sa.Float),
        sa.Column("membership_inference_auc", sa.Float),
        sa.Column("fidelity_score", sa.Float),
        sa.Column("utility_score", sa.Float),
        sa.Column("privacy_score", sa.Float),
        sa.Column("overall_score", sa.Float),
        sa.Column("privacy_verdict", sa.String(16), nullable=False),
        sa.Column("overall_verdict", sa.String(16), nullable=False),
        sa.Column("summary", sa.JSON, nullable=False),
        sa.Column("artifact_key", sa.String(255), nullable=False),
        sa.Column("artifact_sha256", sa.String(64), nullable=False),
        sa.Column("artifact_size", sa.BigInteger, nullable=False),
        sa.Column("creator", sa.String(255), nullable=False),
        sa.Column("create_time", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_evaluation_reports_create_time", "evaluation_reports", ["create_time"])
    op.create_index(
        "ix_evaluation_reports_real_dataset_id", "evaluation_reports", ["real_dataset_id"]
    )


def downgrade() -> None:
    op.drop_table("evaluation_reports")
    op.drop_table("evaluation_holdout_splits")
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
