"""AI-generated artifacts.

Revision ID: llm_0001
Revises:
Create Date: 2026-11-25
"""

import sqlalchemy as sa
from alembic import op

revision = "llm_0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "llm_artifacts",
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column("feature", sa.String(64), nullable=False),
        sa.Column("state", sa.String(32), nullable=False),
        sa.Column("provider", sa.String(64), nullable=False),
        sa.Column("model", sa.String(128), nullable=False),
        sa.Column("creator", sa.String(255), nullable=False),
        sa.Column("create_time", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_llm_artifacts_create_time", "llm_artifacts", ["create_time"])


def downgrade() -> None:
    op.drop_table("llm_artifacts")
