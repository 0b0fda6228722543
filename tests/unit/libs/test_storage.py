"""Migrations and the artifact store."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from synthstudio_libs.artifacts import ArtifactStore
from synthstudio_libs.errors import FailedPrecondition, NotFound
from synthstudio_libs.storage.database import (
    CORE,
    check_schema,
    create_engine,
    discover_components,
    migrate,
)


def test_every_component_migrates_to_head(engine):
    names = set(sa.inspect(engine).get_table_names())
    assert {"jobs", "datasets", "evaluation_reports", "llm_artifacts"} <= names
    check_schema(engine, discover_components())


def test_migrating_twice_changes_nothing(engine):
    migrate(engine, discover_components())
    check_schema(engine, discover_components())


def test_a_database_behind_the_code_fails_fast(tmp_path):
    engine = create_engine(f"sqlite:///{tmp_path / 'empty.db'}")
    with pytest.raises(FailedPrecondition, match="make migrate"):
        check_schema(engine, [CORE])


def test_the_sqlite_file_is_readable_by_its_owner_only(tmp_path):
    path = tmp_path / "synthstudio.db"
    engine = create_engine(f"sqlite:///{path}")
    migrate(engine, [CORE])
    engine.dispose()
    created = [p for p in tmp_path.iterdir() if p.name.startswith("synthstudio.db")]
    assert path in created
    assert all(p.stat().st_mode & 0o777 == 0o600 for p in created), created
    # A file an older version left world-readable is narrowed when next opened.
    path.chmod(0o644)
    create_engine(f"sqlite:///{path}").dispose()
    assert path.stat().st_mode & 0o777 == 0o600


def test_an_artifact_appears_only_when_its_write_succeeds(tmp_path):
    store = ArtifactStore(tmp_path)
    with pytest.raises(RuntimeError), store.writer("datasets/ds_1/table.parquet") as handle:
        handle.write(b"half")
        raise RuntimeError("the job failed")
    assert not store.exists("datasets/ds_1/table.parquet")
    assert list((tmp_path / "datasets/ds_1").iterdir()) == []
    store.put_bytes("datasets/ds_1/table.parquet", b"whole")
    assert store.read_bytes("datasets/ds_1/table.parquet") == b"whole"
    store.delete_prefix("datasets/ds_1")
    with pytest.raises(NotFound):
        store.open("datasets/ds_1/table.parquet")


def test_artifact_keys_cannot_escape_the_store(tmp_path):
    store = ArtifactStore(tmp_path)
    for key in ("../etc/passwd", "/abs", "a/../../b"):
        with pytest.raises(ValueError):
            store.path(key)
