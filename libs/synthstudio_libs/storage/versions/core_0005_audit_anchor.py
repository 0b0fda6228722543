"""The audit log is anchored: each row carries a MAC of its hash under a key kept outside the
database, and TRUNCATE, which skips row triggers, is refused on PostgreSQL too.

Revision ID: core_0005
Revises: core_0004
Create Date: 2026-12-03
"""

import sqlalchemy as sa
from alembic import op

revision = "core_0005"
down_revision = "core_0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # A plain ADD COLUMN: SQLite's batch mode would copy the table and lose its triggers.
    op.add_column("audit_log", sa.Column("mac", sa.String(64), nullable=True))
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            "CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log "
            "FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only()"
        )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER audit_log_no_truncate ON audit_log")
    op.drop_column("audit_log", "mac")
