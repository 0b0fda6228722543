"""The hash-chained audit log, on SQLite and on the real PostgreSQL."""

from __future__ import annotations

import threading
from dataclasses import replace

import pytest
import sqlalchemy as sa

from synthstudio_libs.artifacts import ArtifactStore
from synthstudio_libs.auth.audit import AuditEvent, AuditLog, ChainAnchor, event_hash
from synthstudio_libs.auth.tables import audit_log
from synthstudio_libs.storage.util import utcnow

KEY = "test audit key, not in the database"


@pytest.fixture
def artifacts(tmp_path) -> ArtifactStore:
    return ArtifactStore(tmp_path / "artifacts")


@pytest.fixture
def audit(engine, artifacts) -> AuditLog:
    return AuditLog(engine, ChainAnchor(KEY, artifacts))


def append_some(audit: AuditLog, count: int) -> None:
    for index in range(count):
        audit.append(
            principal=f"user:u{index % 3}",
            role="EDITOR",
            action="synthstudio.synthesis.v1.SynthesisService/CreateDataset",
            resource=f"dataset/ds_{index}",
            trace_id=f"{index:032x}",
            details={"rows": index},
        )


def tamper(engine: sa.Engine, statement: str) -> None:
    """Changes the log directly in the database, as an intruder with database access would:
    first removing the append-only guard."""
    with engine.begin() as connection:
        if engine.dialect.name == "postgresql":
            connection.exec_driver_sql(
                "ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only"
            )
            connection.exec_driver_sql(statement)
            connection.exec_driver_sql("ALTER TABLE audit_log ENABLE TRIGGER audit_log_append_only")
        else:
            connection.exec_driver_sql("DROP TRIGGER IF EXISTS audit_log_no_update")
            connection.exec_driver_sql("DROP TRIGGER IF EXISTS audit_log_no_delete")
            connection.exec_driver_sql(statement)


def test_each_event_chains_to_the_one_before(audit):
    append_some(audit, 5)
    events, _token = audit.list()
    assert [e.sequence for e in events] == [5, 4, 3, 2, 1]
    for newer, older in zip(events, events[1:], strict=False):
        assert newer.previous_hash == older.hash
    check = audit.verify()
    assert check.intact and check.checked == 5


def test_a_changed_row_is_detected_and_named(engine, audit):
    append_some(audit, 6)
    tamper(engine, "UPDATE audit_log SET principal = 'user:someone-else' WHERE sequence = 4")
    check = audit.verify()
    assert not check.intact
    assert check.first_bad_sequence == 4
    assert check.checked == 3
    assert "changed" in check.reason


def test_a_removed_row_is_detected(engine, audit):
    append_some(audit, 6)
    tamper(engine, "DELETE FROM audit_log WHERE sequence = 2")
    check = audit.verify()
    assert not check.intact and check.first_bad_sequence == 3


def test_the_log_refuses_updates_and_deletes(engine, audit):
    append_some(audit, 1)
    for statement in ("UPDATE audit_log SET outcome = 'OK'", "DELETE FROM audit_log"):
        with pytest.raises(sa.exc.DBAPIError, match="append-only"), engine.begin() as connection:
            connection.exec_driver_sql(statement)


def test_concurrent_appends_keep_one_unbroken_chain(audit):
    threads = [threading.Thread(target=append_some, args=(audit, 5)) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    check = audit.verify()
    assert check.intact and check.checked == 20


def test_filters_narrow_the_list(audit):
    append_some(audit, 6)
    audit.append(principal="user:admin", role="ADMIN", action="x/RevokeApiKey", outcome="NOT_FOUND")
    by_principal, _ = audit.list(principal="user:u1")
    assert {e.principal for e in by_principal} == {"user:u1"} and len(by_principal) == 2
    failed, _ = audit.list(outcome="NOT_FOUND")
    assert [e.action for e in failed] == ["x/RevokeApiKey"]
    revokes, _ = audit.list(action="RevokeApiKey")
    assert len(revokes) == 1


def test_removing_the_newest_rows_is_detected(engine, audit):
    append_some(audit, 6)
    tamper(engine, "DELETE FROM audit_log WHERE sequence >= 5")
    check = audit.verify()
    assert not check.intact and check.first_bad_sequence == 5
    assert "newest rows were removed" in check.reason


def rehash_from(engine: sa.Engine, audit: AuditLog, sequence: int, keep_macs: bool) -> None:
    """Rewrites event `sequence` and re-hashes every event after it, as an intruder without
    the audit key can: the chain of plain hashes is whole again."""
    events, _token = audit.list(size=100)
    previous = None
    for event in reversed(events):
        if event.sequence == sequence:
            event = replace(event, principal="user:someone-else")
        if event.sequence >= sequence:
            event = replace(event, previous_hash=previous or event.previous_hash)
            event = replace(event, hash=event_hash(event))
            mac = f"'{event.mac}'" if keep_macs else "NULL"
            tamper(
                engine,
                f"UPDATE audit_log SET principal = '{event.principal}', "
                f"previous_hash = '{event.previous_hash}', hash = '{event.hash}', mac = {mac} "
                f"WHERE sequence = {event.sequence}",
            )
        previous = event.hash


@pytest.mark.parametrize("keep_macs", [True, False], ids=["macs kept", "macs removed"])
def test_a_row_rewritten_and_the_chain_rehashed_is_detected(engine, audit, keep_macs):
    append_some(audit, 6)
    rehash_from(engine, audit, 3, keep_macs)
    check = audit.verify()
    assert not check.intact
    assert check.first_bad_sequence in (3, 6)
    assert "MAC" in check.reason or "signed head" in check.reason


def test_a_log_checked_with_another_key_does_not_verify(engine, artifacts, audit):
    append_some(audit, 2)
    other = AuditLog(engine, ChainAnchor("another key", artifacts))
    assert not other.verify().intact


def test_rows_written_before_the_mac_existed_still_verify(engine, audit):
    draft = _draft(sequence=1)
    legacy = replace(draft, hash=event_hash(draft))
    with engine.begin() as connection:
        connection.execute(audit_log.insert().values(**{**legacy.__dict__, "mac": None}))
    append_some(audit, 3)
    check = audit.verify()
    assert check.intact and check.checked == 4


def _draft(sequence: int) -> AuditEvent:
    return AuditEvent(
        sequence=sequence,
        time=utcnow(),
        principal="user:old",
        role="ADMIN",
        action="x/Old",
        resource="",
        outcome="OK",
        trace_id="",
    )


def test_truncate_is_refused_on_postgresql(engine, audit):
    if engine.dialect.name != "postgresql":
        pytest.skip("SQLite has no TRUNCATE (DELETE is refused by trigger there)")
    append_some(audit, 1)
    with pytest.raises(sa.exc.DBAPIError, match="append-only"), engine.begin() as connection:
        connection.exec_driver_sql("TRUNCATE audit_log")
