"""An index for counting a user's unfinished jobs, which every job start does (the per-user
limit on queued and running jobs).

Revision ID: core_0008
Revises: core_0007
Create Date: 2026-12-04
"""

from alembic import op

revision = "core_0008"
down_revision = "core_0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_jobs_creator_state", "jobs", ["creator", "state"])


def downgrade() -> None:
    op.drop_index("ix_jobs_creator_state", "jobs")
