"""Engines for SQLite (default) and PostgreSQL (psycopg 3), and per-component migrations.

Each component (the shared core and every service) owns its tables and its own Alembic history,
kept in its own version table (`alembic_version_<component>`), so services evolve their schemas
independently. Components are found through the `synthstudio.migrations` entry-point group.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from dataclasses import dataclass
from importlib.metadata import entry_points
from pathlib import Path

import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory

from synthstudio_libs.errors import FailedPrecondition

_ALEMBIC_DIR = Path(__file__).parent / "alembic"
ENTRY_POINT_GROUP = "synthstudio.migrations"


@dataclass(frozen=True)
class Component:
    """A component's migration history: its name and the folder of its Alembic revisions."""

    name: str
    versions_dir: Path

    @property
    def version_table(self) -> str:
        return f"alembic_version_{self.name}"


CORE = Component("core", Path(__file__).parent / "versions")


def create_engine(url: str) -> sa.Engine:
    """An engine tuned for the backend: SQLite in WAL mode with a busy timeout, so the
    services' processes can share one file; PostgreSQL with pre-ping for long-lived pools."""
    if url.startswith("sqlite"):
        _make_private(sa.make_url(url).database or "")
        # A pool as large as a server's thread pool: opening a SQLite connection (and its
        # PRAGMAs) on every call once the pool overflows costs more than the query.
        engine = sa.create_engine(
            url,
            connect_args={"check_same_thread": False, "timeout": 30},
            pool_size=20,
            max_overflow=20,
        )
        sa.event.listen(engine, "connect", _configure_sqlite)
        sa.event.listen(engine, "begin", _begin_sqlite)
        return engine
    return sa.create_engine(url, pool_pre_ping=True, pool_size=10, max_overflow=20)


def _make_private(database: str) -> None:
    """Creates the SQLite file readable by its owner only (0600, like the secrets), or narrows
    an existing one: it holds password hashes and the audit log. SQLite gives its -wal and
    -shm files the database file's mode."""
    if not database or database == ":memory:" or database.startswith("file:"):
        return
    path = Path(database)
    if not path.parent.is_dir():
        return
    os.close(os.open(path, os.O_WRONLY | os.O_CREAT, 0o600))
    for file in (path, path.with_name(f"{path.name}-wal"), path.with_name(f"{path.name}-shm")):
        with contextlib.suppress(FileNotFoundError):
            if file.stat().st_mode & 0o077:
                file.chmod(0o600)


def _configure_sqlite(dbapi_connection, _record) -> None:
    # pysqlite's own transaction handling is disabled so that `_begin_sqlite` decides how each
    # transaction begins.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def _begin_sqlite(connection) -> None:
    # Reads begin deferred so readers never queue behind one another; a read-then-write
    # transaction asks for IMMEDIATE (see `locked_transaction`) so it takes the write lock
    # first and waits for it instead of failing when it upgrades; a single-statement read
    # needs no BEGIN at all (see `read_connection`).
    mode = connection.get_execution_options().get(_SQLITE_BEGIN, "DEFERRED")
    if mode is not None:
        connection.exec_driver_sql(f"BEGIN {mode}")


_SQLITE_BEGIN = "synthstudio_sqlite_begin"


@contextlib.contextmanager
def locked_transaction(engine: sa.Engine) -> Iterator[sa.Connection]:
    """A transaction that holds the write lock from its start: on SQLite BEGIN IMMEDIATE, on
    PostgreSQL an ordinary one in which the caller takes row locks (SELECT ... FOR UPDATE)."""
    options = {_SQLITE_BEGIN: "IMMEDIATE"}
    with engine.connect().execution_options(**options) as connection, connection.begin():
        yield connection


def read_connection(engine: sa.Engine) -> sa.Connection:
    """A connection for one read statement. On SQLite the statement is its own transaction (a
    consistent snapshot of its own): no BEGIN and ROLLBACK around it, which cost more than the
    read itself when many threads read at once. Reads of several statements that must agree
    with one another use `engine.connect()`; PostgreSQL is the same either way."""
    return engine.connect().execution_options(**{_SQLITE_BEGIN: None})


def discover_components() -> list[Component]:
    """The core plus every installed component that registers migrations."""
    found = [CORE]
    for entry in sorted(entry_points(group=ENTRY_POINT_GROUP), key=lambda e: e.name):
        found.append(entry.load())
    return found


def _alembic_config(connection: sa.Connection, component: Component) -> Config:
    config = Config()
    config.set_main_option("script_location", str(_ALEMBIC_DIR))
    config.set_main_option("version_locations", str(component.versions_dir))
    config.attributes["connection"] = connection
    config.attributes["version_table"] = component.version_table
    return config


def migrate(engine: sa.Engine, components: list[Component] | None = None) -> None:
    """Upgrades each component's tables to its newest revision."""
    for component in components or discover_components():
        with engine.begin() as connection:
            command.upgrade(_alembic_config(connection, component), "head")


def check_schema(engine: sa.Engine, components: list[Component]) -> None:
    """Fails fast when a component's tables are behind its code."""
    for component in components:
        with engine.connect() as connection:
            script = ScriptDirectory.from_config(_alembic_config(connection, component))
            context = MigrationContext.configure(
                connection, opts={"version_table": component.version_table}
            )
            current = set(context.get_current_heads())
        if current != set(script.get_heads()):
            raise FailedPrecondition(
                f"the database schema of '{component.name}' is not up to date: run "
                "`make migrate` (or `synthstudio-migrate`) before starting the services",
                reason="SCHEMA_OUT_OF_DATE",
                metadata={"component": component.name},
            )
