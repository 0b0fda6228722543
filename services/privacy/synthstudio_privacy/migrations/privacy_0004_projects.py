"""DP synthesizers belong to their dataset's project (existing ones to `default`).

Revision ID: privacy_0004
Revises: privacy_0003
Create Date: 2026-12-03
"""

import sqlalchemy as sa
from alembic import op

revision = "privacy_0004"
down_revision = "privacy_0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column(
        "dp_synthesizers",
        sa.Column("project_id", sa.String(64), nullable=False, server_default="default"),
    )
    op.create_index("ix_dp_synthesizers_project_id", "dp_synthesizers", ["project_id"])


def downgrade() -> None:
    op.drop_index("ix_dp_synthesizers_project_id", "dp_synthesizers")
    op.drop_column("dp_synthesizers", "project_id")
