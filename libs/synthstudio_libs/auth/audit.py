"""The append-only audit log: every state-changing call, each row chained to the one before it
by a SHA-256 hash, so a changed, removed or reordered row is detected.

A hash chain alone proves nothing to someone who can write the table: they can rewrite a row and
re-hash every row after it, or drop the newest rows. So each row also carries a MAC of its hash
under a key the database does not hold, and the newest row's sequence and hash (the head) are
signed with that key and kept outside the database, in the artifact store; `verify` checks both.
Rows written before the MAC existed carry none; once one row has a MAC, every later one must.
"""

from __future__ import annotations

import fcntl
import hashlib
import hmac
import json
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa

from synthstudio_libs.artifacts import ArtifactStore
from synthstudio_libs.auth.tables import audit_log
from synthstudio_libs.storage.database import locked_transaction
from synthstudio_libs.storage.util import (
    as_utc,
    read_page,
    utcnow,
)

GENESIS_HASH = "0" * 64
# Serialises appends on PostgreSQL (SQLite's write lock does it there).
_APPEND_LOCK_ID = 7_401_000_001
HEAD_KEY = "audit/head.json"


@dataclass(frozen=True)
class AuditEvent:
    sequence: int
    time: datetime
    principal: str
    role: str
    action: str
    resource: str
    outcome: str
    trace_id: str
    details: dict[str, Any] = field(default_factory=dict)
    previous_hash: str = GENESIS_HASH
    hash: str = ""
    mac: str | None = None


@dataclass(frozen=True)
class ChainCheck:
    intact: bool
    checked: int
    first_bad_sequence: int = 0
    reason: str = ""


def _utc(value: datetime) -> datetime:
    return as_utc(value).astimezone(UTC)


def event_hash(event: AuditEvent) -> str:
    content = json.dumps(
        {
            "sequence": event.sequence,
            "time": _utc(event.time).isoformat(),
            "principal": event.principal,
            "role": event.role,
            "action": event.action,
            "resource": event.resource,
            "outcome": event.outcome,
            "trace_id": event.trace_id,
            "details": event.details,
        },
        sort_keys=True,
        separators=(",", ":"),
    )
    return hashlib.sha256((event.previous_hash + content).encode()).hexdigest()


def _event(row: sa.Row) -> AuditEvent:
    return AuditEvent(
        sequence=row.sequence,
        time=_utc(row.time),
        principal=row.principal,
        role=row.role,
        action=row.action,
        resource=row.resource,
        outcome=row.outcome,
        trace_id=row.trace_id,
        details=row.details or {},
        previous_hash=row.previous_hash,
        hash=row.hash,
        mac=row.mac,
    )


@dataclass(frozen=True)
class Head:
    """The newest row as last recorded outside the database, signed."""

    sequence: int
    hash: str


class ChainAnchor:
    """The audit key's two uses: a MAC on each row's hash, and the signed head kept in the
    artifact store."""

    def __init__(self, key: str, store: ArtifactStore) -> None:
        self._key = key.encode()
        self._store = store

    def mac(self, row_hash: str) -> str:
        return hmac.new(self._key, f"row:{row_hash}".encode(), hashlib.sha256).hexdigest()

    def _head_signature(self, head: Head) -> str:
        message = f"head:{head.sequence}:{head.hash}".encode()
        return hmac.new(self._key, message, hashlib.sha256).hexdigest()

    def record_head(self, head: Head) -> None:
        """Records `head` unless a newer one is recorded already (appends of several
        processes may finish in any order); a file lock orders the writers."""
        lock_path = self._store.path(HEAD_KEY + ".lock")
        lock_path.parent.mkdir(parents=True, exist_ok=True)
        with lock_path.open("a") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            recorded = self.read_head()
            if recorded is not None and recorded.sequence >= head.sequence:
                return
            body = {"sequence": head.sequence, "hash": head.hash}
            body["signature"] = self._head_signature(head)
            self._store.put_bytes(HEAD_KEY, json.dumps(body).encode())

    def read_head(self) -> Head | None:
        """The recorded head (None if none was ever recorded); raises ValueError when the file
        is not a head signed with our key."""
        if not self._store.exists(HEAD_KEY):
            return None
        try:
            body = json.loads(self._store.read_bytes(HEAD_KEY))
            head = Head(sequence=int(body["sequence"]), hash=str(body["hash"]))
            signature = str(body["signature"])
        except (ValueError, KeyError, TypeError):
            raise ValueError("the recorded head of the audit chain is unreadable") from None
        if not hmac.compare_digest(signature, self._head_signature(head)):
            raise ValueError("the recorded head of the audit chain is not signed with our key")
        return head


class AuditLog:
    def __init__(self, engine: sa.Engine, anchor: ChainAnchor) -> None:
        self._engine = engine
        self._anchor = anchor

    def append(
        self,
        *,
        principal: str,
        role: str,
        action: str,
        resource: str = "",
        outcome: str = "OK",
        trace_id: str = "",
        details: dict[str, Any] | None = None,
    ) -> AuditEvent:
        with locked_transaction(self._engine) as connection:
            if connection.dialect.name == "postgresql":
                connection.execute(sa.select(sa.func.pg_advisory_xact_lock(_APPEND_LOCK_ID)))
            last = connection.execute(
                sa.select(audit_log.c.sequence, audit_log.c.hash)
                .order_by(audit_log.c.sequence.desc())
                .limit(1)
            ).first()
            draft = AuditEvent(
                sequence=(last.sequence + 1) if last else 1,
                time=utcnow(),
                principal=principal,
                role=role,
                action=action,
                resource=resource,
                outcome=outcome,
                trace_id=trace_id,
                details=details or {},
                previous_hash=last.hash if last else GENESIS_HASH,
            )
            row_hash = event_hash(draft)
            event = AuditEvent(
                **{**draft.__dict__, "hash": row_hash, "mac": self._anchor.mac(row_hash)}
            )
            connection.execute(audit_log.insert().values(**event.__dict__))
        self._anchor.record_head(Head(event.sequence, event.hash))
        return event

    def list(
        self,
        size: int = 0,
        token: str = "",
        *,
        principal: str = "",
        action: str = "",
        outcome: str = "",
    ) -> tuple[list[AuditEvent], str]:
        query = audit_log.select().order_by(audit_log.c.sequence.desc())
        if principal:
            query = query.where(audit_log.c.principal == principal)
        if action:
            query = query.where(audit_log.c.action.contains(action, autoescape=True))
        if outcome:
            query = query.where(audit_log.c.outcome == outcome)
        with self._engine.connect() as connection:
            rows, next_token = read_page(connection, query, size, token)
        return [_event(r) for r in rows], next_token

    def verify(self) -> ChainCheck:
        """Recomputes the chain from the first row and checks each row's MAC and the signed
        head; names the first row that does not fit."""
        try:
            head = self._anchor.read_head()
        except ValueError as error:
            return ChainCheck(False, 0, 0, str(error))
        previous, checked, signed = GENESIS_HASH, 0, False
        hash_at_head = None
        with self._engine.connect() as connection:
            rows = connection.execution_options(yield_per=1000).execute(
                audit_log.select().order_by(audit_log.c.sequence)
            )
            for row in rows:
                event = _event(row)
                problem = _problem(event, checked + 1, previous) or self._mac_problem(event, signed)
                if problem:
                    return ChainCheck(False, checked, event.sequence, problem)
                signed = signed or event.mac is not None
                if head is not None and event.sequence == head.sequence:
                    hash_at_head = event.hash
                previous, checked = event.hash, checked + 1
        return _head_check(head, hash_at_head, checked, signed)

    def _mac_problem(self, event: AuditEvent, signed_before: bool) -> str:
        if event.mac is None:
            if signed_before:
                return "it has no MAC while rows before it have one: it was not written here"
            return ""
        if not hmac.compare_digest(event.mac, self._anchor.mac(event.hash)):
            return "its MAC does not match: the row was written or re-hashed without the audit key"
        return ""


def _head_check(head: Head | None, hash_at_head: str | None, checked: int, signed: bool):
    if head is None:
        if signed:
            return ChainCheck(False, checked, 0, "the signed head of the chain is missing")
        return ChainCheck(True, checked)
    if head.sequence > checked:
        return ChainCheck(
            False,
            checked,
            checked + 1,
            f"the signed head names event {head.sequence}, but the log ends at {checked}: "
            "the newest rows were removed",
        )
    if hash_at_head != head.hash:
        return ChainCheck(
            False, checked, head.sequence, "the event the signed head names was changed"
        )
    return ChainCheck(True, checked)


def _problem(event: AuditEvent, expected_sequence: int, previous: str) -> str:
    if event.sequence != expected_sequence:
        return f"event {expected_sequence} is missing: rows were removed"
    if event.previous_hash != previous:
        return "its previous_hash does not match the event before it: rows were removed or changed"
    if event_hash(event) != event.hash:
        return "its content does not match its hash: the row was changed"
    return ""
