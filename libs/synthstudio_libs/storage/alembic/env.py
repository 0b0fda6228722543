"""Alembic environment shared by every component; the caller passes the connection and the
component's version table in `config.attributes` (see synthstudio_libs.storage.database)."""

from alembic import context

connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    version_table=context.config.attributes["version_table"],
    render_as_batch=connection.dialect.name == "sqlite",
)
with context.begin_transaction():
    context.run_migrations()
