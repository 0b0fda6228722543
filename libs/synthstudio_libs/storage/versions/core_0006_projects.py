"""Projects own resources; users are members with a role per project, and can be disabled.
Every existing user joins the `default` project with their role; existing jobs belong to it.

Revision ID: core_0006
Revises: core_0005
Create Date: 2026-12-03
"""

import sqlalchemy as sa
from alembic import op

revision = "core_0006"
down_revision = "core_0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "projects",
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column("name", sa.String(128), nullable=False, unique=True),
        sa.Column("create_time", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "project_members",
        sa.Column("project_id", sa.String(64), primary_key=True),
        sa.Column("user_id", sa.String(64), primary_key=True),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("create_time", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_project_members_user_id", "project_members", ["user_id"])
    op.add_column(
        "users", sa.Column("disabled", sa.Boolean, nullable=False, server_default=sa.false())
    )
    op.add_column(
        "jobs",
        sa.Column("project_id", sa.String(64), nullable=False, server_default="default"),
    )
    op.execute(
        "INSERT INTO projects (id, name, create_time) VALUES ('default', 'default', "
        "CURRENT_TIMESTAMP)"
    )
    op.execute(
        "INSERT INTO project_members (project_id, user_id, role, create_time) "
        "SELECT 'default', id, role, CURRENT_TIMESTAMP FROM users"
    )


def downgrade() -> None:
    op.drop_column("jobs", "project_id")
    op.drop_column("users", "disabled")
    op.drop_index("ix_project_members_user_id", "project_members")
    op.drop_table("project_members")
    op.drop_table("projects")
