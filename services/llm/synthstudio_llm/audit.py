"""Artifact events written to the audit log, one row per event."""

from __future__ import annotations

import logging
from typing import Any, Protocol

from opentelemetry import trace

from synthstudio_libs.auth.audit import AuditLog
from synthstudio_libs.auth.principal import current_principal
from synthstudio_llm.review import ArtifactEvent

log = logging.getLogger(__name__)


class EventSink(Protocol):
    """Where artifact events go: the audit log."""

    def record(self, event: ArtifactEvent) -> None: ...


class AuditTrail:
    """Writes each artifact event to the audit log as its own row (`llm.artifact.approved`,
    ...), with the states it moved between, the comment and the event's details. The RPC that
    caused it has its own row, written by the auth interceptor."""

    def __init__(self, audit: AuditLog) -> None:
        self._audit = audit

    def record(self, event: ArtifactEvent) -> None:
        principal = current_principal()
        details: dict[str, Any] = {
            "from_state": event.from_state.value if event.from_state else "",
            "to_state": event.to_state.value,
            **event.details,
        }
        if event.comment:
            details["comment"] = event.comment
        try:
            self._audit.append(
                principal=event.actor,
                role=principal.role.value if principal.id == event.actor else "",
                action=event.action.value,
                resource=f"artifact/{event.artifact_id}",
                outcome="OK",
                trace_id=_trace_id(),
                details=details,
            )
        except Exception:  # the transition stands; a lost audit row is logged loudly
            log.exception("could not write the audit event %s", event.action.value)


def _trace_id() -> str:
    context = trace.get_current_span().get_span_context()
    return format(context.trace_id, "032x") if context.is_valid else ""
