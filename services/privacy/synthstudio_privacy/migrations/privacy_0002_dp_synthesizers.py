"""DP synthesizers: one row per trained model (its file lives in the artifact store).

Revision ID: privacy_0002
Revises: privacy_0001
Create Date: 2026-11-26
"""

import sqlalchemy as sa
from alembic import op

revision = "privacy_0002"
down_revision = "privacy_0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "dp_synthesizers",
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column("display_name", sa.String(255), nullable=False),
        sa.Column("dataset_id", sa.String(128), nullable=False),
        sa.Column("table_name", sa.String(255), nullable=False),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("config", sa.JSON, nullable=False),
        sa.Column("schema", sa.JSON, nullable=False),
        sa.Column("guarantee", sa.JSON, nullable=False),
        sa.Column("training", sa.JSON, nullable=False),
        sa.Column("job_id", sa.String(128), nullable=False),
        sa.Column("spend_id", sa.String(32), nullable=False),
        sa.Column("model_sha256", sa.String(64), nullable=False),
        sa.Column("creator", sa.String(256), nullable=False),
        sa.Column("create_time", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index(
        "ix_dp_synthesizers_dataset_created", "dp_synthesizers", ["dataset_id", "create_time"]
    )
    op.create_index("ix_dp_synthesizers_created", "dp_synthesizers", ["create_time"])


def downgrade() -> None:
    op.drop_table("dp_synthesizers")
