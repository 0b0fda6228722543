"""The identity and audit tables (core component)."""

from __future__ import annotations

import sqlalchemy as sa

metadata = sa.MetaData()

users = sa.Table(
    "users",
    metadata,
    sa.Column("id", sa.String(64), primary_key=True),
    sa.Column("email", sa.String(320), nullable=False, unique=True),
    sa.Column("password_hash", sa.String(255), nullable=False),
    sa.Column("role", sa.String(16), nullable=False),
    sa.Column("failed_logins", sa.Integer, nullable=False),
    sa.Column("locked_until", sa.DateTime(timezone=True)),
    sa.Column("create_time", sa.DateTime(timezone=True), nullable=False),
    # A disabled user cannot sign in; their tokens and API keys stop working (core_0006).
    sa.Column("disabled", sa.Boolean, nullable=False, server_default=sa.false()),
)

# What owns every resource (core_0006); the migration creates the `default` project.
projects = sa.Table(
    "projects",
    metadata,
    sa.Column("id", sa.String(64), primary_key=True),
    sa.Column("name", sa.String(128), nullable=False, unique=True),
    sa.Column("create_time", sa.DateTime(timezone=True), nullable=False),
)

# A user's role in a project.
project_members = sa.Table(
    "project_members",
    metadata,
    sa.Column("project_id", sa.String(64), primary_key=True),
    sa.Column("user_id", sa.String(64), primary_key=True, index=True),
    sa.Column("role", sa.String(16), nullable=False),
    sa.Column("create_time", sa.DateTime(timezone=True), nullable=False),
)

# Failed sign-ins of one client for one account (core_0007); `users.failed_logins` counts
# those of every client, against a higher ceiling.
login_failures = sa.Table(
    "login_failures",
    metadata,
    sa.Column("user_id", sa.String(64), primary_key=True),
    sa.Column("client", sa.String(255), primary_key=True),
    sa.Column("failures", sa.Integer, nullable=False),
    sa.Column("locked_until", sa.DateTime(timezone=True)),
    sa.Column("update_time", sa.DateTime(timezone=True), nullable=False),
)

refresh_tokens = sa.Table(
    "refresh_tokens",
    metadata,
    sa.Column("id", sa.String(64), primary_key=True),
    sa.Column("family_id", sa.String(64), nullable=False, index=True),
    sa.Column("user_id", sa.String(64), nullable=False),
    sa.Column("token_hash", sa.String(64), nullable=False),
    sa.Column("expire_time", sa.DateTime(timezone=True), nullable=False),
    sa.Column("use_time", sa.DateTime(timezone=True)),
    sa.Column("revoke_time", sa.DateTime(timezone=True)),
    sa.Column("create_time", sa.DateTime(timezone=True), nullable=False),
)

api_keys = sa.Table(
    "api_keys",
    metadata,
    sa.Column("id", sa.String(64), primary_key=True),
    sa.Column("name", sa.String(255), nullable=False),
    sa.Column("prefix", sa.String(32), nullable=False, unique=True),
    sa.Column("key_hash", sa.String(64), nullable=False),
    sa.Column("role", sa.String(16), nullable=False),
    sa.Column("creator", sa.String(255), nullable=False),
    sa.Column("create_time", sa.DateTime(timezone=True), nullable=False),
    sa.Column("revoke_time", sa.DateTime(timezone=True)),
)

audit_log = sa.Table(
    "audit_log",
    metadata,
    sa.Column("sequence", sa.BigInteger, primary_key=True, autoincrement=False),
    sa.Column("time", sa.DateTime(timezone=True), nullable=False),
    sa.Column("principal", sa.String(255), nullable=False),
    sa.Column("role", sa.String(16), nullable=False),
    sa.Column("action", sa.String(255), nullable=False),
    sa.Column("resource", sa.String(255), nullable=False),
    sa.Column("outcome", sa.String(32), nullable=False),
    sa.Column("trace_id", sa.String(32), nullable=False),
    sa.Column("details", sa.JSON, nullable=False),
    sa.Column("previous_hash", sa.String(64), nullable=False),
    sa.Column("hash", sa.String(64), nullable=False),
    # HMAC of `hash` under the audit key (core_0005); empty on rows written before it.
    sa.Column("mac", sa.String(64)),
)
