"""Privacy budget ledger: per-dataset budgets and the append-only spend log.

Revision ID: privacy_0001
Revises:
Create Date: 2026-11-25
"""

import sqlalchemy as sa
from alembic import op

revision = "privacy_0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "privacy_budgets",
        sa.Column("dataset_id", sa.String(128), primary_key=True),
        sa.Column("total_epsilon", sa.Float, nullable=False),
        sa.Column("total_delta", sa.Float, nullable=False),
        sa.Column("updated_by", sa.String(256), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "privacy_spends",
        sa.Column("spend_id", sa.String(32), primary_key=True),
        sa.Column(
            "dataset_id",
            sa.String(128),
            sa.ForeignKey("privacy_budgets.dataset_id"),
            nullable=False,
        ),
        sa.Column("epsilon", sa.Float, nullable=False),
        sa.Column("delta", sa.Float, nullable=False),
        sa.Column("job_id", sa.String(128), nullable=False, unique=True),
        sa.Column("synthesizer_id", sa.String(128), nullable=True),
        sa.Column("principal", sa.String(256), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index(
        "ix_privacy_spends_dataset_created", "privacy_spends", ["dataset_id", "created_at"]
    )


def downgrade() -> None:
    op.drop_table("privacy_spends")
    op.drop_table("privacy_budgets")
