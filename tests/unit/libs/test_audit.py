"""The hash-chained audit log, on SQLite and on the real PostgreSQL."""

from __future__ import annotations

import threading

import pytest
import sqlalchemy as sa

from synthstudio_libs.auth.audit import AuditLog


@pytest.fixture
def audit(engine) -> AuditLog:
    return AuditLog(engine)


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
            connection.exec_driver_sql("DROP TRIGGER audit_log_no_update")
            connection.exec_driver_sql("DROP TRIGGER audit_log_no_delete")
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
