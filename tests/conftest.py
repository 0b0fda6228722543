"""Fixtures shared by every test: settings on a temporary data dir, and real databases."""

from __future__ import annotations

import os
import secrets
import socket

import pytest
import sqlalchemy as sa

from synthstudio_libs.config import Settings, load_settings
from synthstudio_libs.storage.database import create_engine, discover_components, migrate

POSTGRES_ADMIN_URL = os.environ.get(
    "SYNTHSTUDIO_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def postgres_reachable() -> str | None:
    """None when the PostgreSQL test server answers, else why not."""
    try:
        engine = sa.create_engine(POSTGRES_ADMIN_URL)
        with engine.connect():
            pass
        engine.dispose()
    except Exception as exc:
        return f"PostgreSQL at {POSTGRES_ADMIN_URL} is not reachable: {exc.__class__.__name__}"
    return None


@pytest.fixture(scope="session")
def postgres_url():
    """A fresh PostgreSQL database for this test session, dropped afterwards."""
    reason = postgres_reachable()
    if reason:
        pytest.skip(reason)
    name = f"synthstudio_test_{secrets.token_hex(4)}"
    admin = sa.create_engine(POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.exec_driver_sql(f'CREATE DATABASE "{name}"')
    url = sa.make_url(POSTGRES_ADMIN_URL).set(database=name).render_as_string(hide_password=False)
    yield url
    with admin.connect() as connection:
        connection.exec_driver_sql(f'DROP DATABASE "{name}" WITH (FORCE)')
    admin.dispose()


@pytest.fixture(params=["sqlite", "postgres"])
def database_url(request, tmp_path):
    """The same test on SQLite and on the real PostgreSQL."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'test.db'}"
    return request.getfixturevalue("postgres_url")


@pytest.fixture
def engine(database_url):
    engine = create_engine(database_url)
    migrate(engine, discover_components())
    yield engine
    if engine.dialect.name == "postgresql":
        _truncate_all(engine)
    engine.dispose()


def _truncate_all(engine: sa.Engine) -> None:
    names = sa.inspect(engine).get_table_names()
    data_tables = [n for n in names if not n.startswith("alembic_version")]
    if data_tables:
        with engine.begin() as connection:
            connection.exec_driver_sql("TRUNCATE " + ", ".join(f'"{n}"' for n in data_tables))


@pytest.fixture
def settings(tmp_path) -> Settings:
    """Settings for one test: SQLite and artifacts in a temporary directory, migrated."""
    settings = load_settings(data_dir=tmp_path / "data")
    settings.data_dir.mkdir(parents=True)
    engine = create_engine(settings.resolved_database_url)
    migrate(engine, discover_components())
    engine.dispose()
    return settings
