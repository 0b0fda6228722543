"""AI artifacts belong to a project (existing ones to `default`).

Revision ID: llm_0003
Revises: llm_0002
Create Date: 2026-12-03
"""

import sqlalchemy as sa
from alembic import op

revision = "llm_0003"
down_revision = "llm_0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column(
        "llm_artifacts",
        sa.Column("project_id", sa.String(64), nullable=False, server_default="default"),
    )
    op.create_index("ix_llm_artifacts_project_id", "llm_artifacts", ["project_id"])


def downgrade() -> None:
    op.drop_index("ix_llm_artifacts_project_id", "llm_artifacts")
    op.drop_column("llm_artifacts", "project_id")
