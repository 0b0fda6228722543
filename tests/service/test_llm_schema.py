"""The llm service's migrations build, from scratch, exactly the tables its repository uses, on
SQLite and on PostgreSQL."""

from __future__ import annotations

import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from synthstudio_libs.storage.database import CORE, create_engine, migrate
from synthstudio_llm.repository import metadata
from synthstudio_llm.storage import MIGRATIONS


def test_migrations_match_the_repository_tables(database_url):
    engine = create_engine(database_url)
    try:
        migrate(engine, [CORE, MIGRATIONS])
        with engine.connect() as connection:
            context = MigrationContext.configure(
                connection,
                opts={
                    "include_name": lambda name, kind, _parent: (
                        kind != "table" or name in metadata.tables
                    )
                },
            )
            assert compare_metadata(context, metadata) == []
            heads = connection.execute(
                sa.text(f"SELECT version_num FROM {MIGRATIONS.version_table}")
            ).scalars()
            assert list(heads) == ["llm_0003"]
    finally:
        if engine.dialect.name == "postgresql":
            with engine.begin() as connection:
                for table in [*reversed(metadata.sorted_tables)]:
                    connection.execute(sa.text(f'DROP TABLE IF EXISTS "{table.name}" CASCADE'))
                connection.execute(sa.text(f"DROP TABLE IF EXISTS {MIGRATIONS.version_table}"))
        engine.dispose()
