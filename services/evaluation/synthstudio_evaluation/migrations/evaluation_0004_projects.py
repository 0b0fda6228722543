"""Reports and holdout splits belong to a project (existing ones to `default`), so a user sees
and changes only those of the projects they are a member of.

Revision ID: evaluation_0004
Revises: evaluation_0003
Create Date: 2026-12-04
"""

import sqlalchemy as sa
from alembic import op

revision = "evaluation_0004"
down_revision = "evaluation_0003"
branch_labels = None
depends_on = None

_TABLES = ("evaluation_reports", "evaluation_holdout_splits")


def upgrade() -> None:
    for table in _TABLES:
        op.add_column(
            table, sa.Column("project", sa.String(64), nullable=False, server_default="default")
        )
        op.create_index(f"ix_{table}_project", table, ["project"])


def downgrade() -> None:
    for table in _TABLES:
        op.drop_index(f"ix_{table}_project", table)
        op.drop_column(table, "project")
