"""The audit log as the release desk writes to it and the evidence pack reads it."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from synthstudio_libs.auth.audit import AuditLog
from synthstudio_libs.auth.principal import current_principal

_PAGE = 500


class AuditTrail:
    def __init__(self, audit: AuditLog) -> None:
        self._audit = audit

    def write(self, action: str, resource: str, details: dict[str, Any]) -> None:
        """An event by the current principal, with `details` (e.g. an override's reason)."""
        principal = current_principal()
        self._audit.append(
            principal=principal.id,
            role=principal.role.value,
            action=action,
            resource=resource,
            details=details,
        )

    def events(self) -> Iterator[dict[str, Any]]:
        """Every event, newest first, JSON-ready."""
        token = ""
        while True:
            page, token = self._audit.list(_PAGE, token)
            for event in page:
                yield {**event.__dict__, "time": event.time.isoformat()}
            if not token:
                return
