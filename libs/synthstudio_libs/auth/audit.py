"""The append-only audit log: every state-changing call, each row chained to the one before it
by a SHA-256 hash, so a changed, removed or reordered row is detected."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa

from synthstudio_libs.auth.tables import audit_log
from synthstudio_libs.storage.database import locked_transaction
from synthstudio_libs.storage.util import (
    as_utc,
    decode_page_token,
    next_page_token,
    page_size,
    utcnow,
)

GENESIS_HASH = "0" * 64
# Serialises appends on PostgreSQL (SQLite's write lock does it there).
_APPEND_LOCK_ID = 7_401_000_001


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
    )


class AuditLog:
    def __init__(self, engine: sa.Engine) -> None:
        self._engine = engine

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
            event = AuditEvent(**{**draft.__dict__, "hash": event_hash(draft)})
            connection.execute(audit_log.insert().values(**event.__dict__))
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
        limit, offset = page_size(size), decode_page_token(token)
        query = audit_log.select().order_by(audit_log.c.sequence.desc())
        if principal:
            query = query.where(audit_log.c.principal == principal)
        if action:
            query = query.where(audit_log.c.action.contains(action, autoescape=True))
        if outcome:
            query = query.where(audit_log.c.outcome == outcome)
        with self._engine.connect() as connection:
            rows = connection.execute(query.offset(offset).limit(limit + 1)).all()
        return [_event(r) for r in rows[:limit]], next_page_token(offset, limit, len(rows))

    def verify(self) -> ChainCheck:
        """Recomputes the chain from the first row; names the first row that does not fit."""
        previous, checked = GENESIS_HASH, 0
        expected_sequence = 1
        with self._engine.connect() as connection:
            rows = connection.execution_options(yield_per=1000).execute(
                audit_log.select().order_by(audit_log.c.sequence)
            )
            for row in rows:
                event = _event(row)
                problem = _problem(event, expected_sequence, previous)
                if problem:
                    return ChainCheck(False, checked, event.sequence, problem)
                previous, checked = event.hash, checked + 1
                expected_sequence += 1
        return ChainCheck(True, checked)


def _problem(event: AuditEvent, expected_sequence: int, previous: str) -> str:
    if event.sequence != expected_sequence:
        return f"event {expected_sequence} is missing: rows were removed"
    if event.previous_hash != previous:
        return "its previous_hash does not match the event before it: rows were removed or changed"
    if event_hash(event) != event.hash:
        return "its content does not match its hash: the row was changed"
    return ""
