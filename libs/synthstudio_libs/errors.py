"""Domain errors shared by every service.

Domain code raises these; one gRPC server interceptor maps them to status codes with
`google.rpc.ErrorInfo` (and `BadRequest` for field violations), and the gateway maps those to
HTTP problem JSON. Messages say what was wrong and how to fix it; `metadata` carries every value
the message mentions, as strings.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class FieldViolation:
    """One wrong input field: its path in the request (`conditions[0].column`) and why."""

    field: str
    description: str


class SynthStudioError(Exception):
    """Base of every error a user can act on. Subclasses fix the status they map to."""

    default_reason = "ERROR"

    def __init__(
        self,
        message: str,
        *,
        reason: str | None = None,
        metadata: dict[str, object] | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.reason = reason or self.default_reason
        self.metadata = {key: str(value) for key, value in (metadata or {}).items()}


class InvalidInput(SynthStudioError):
    """The request itself is wrong (INVALID_ARGUMENT / HTTP 400)."""

    default_reason = "INVALID_ARGUMENT"

    def __init__(
        self,
        message: str,
        *,
        field: str | None = None,
        violations: list[FieldViolation] | None = None,
        reason: str | None = None,
        metadata: dict[str, object] | None = None,
    ) -> None:
        super().__init__(message, reason=reason, metadata=metadata)
        found = list(violations or [])
        if field is not None:
            found.insert(0, FieldViolation(field, message))
        self.violations = found


class NotFound(SynthStudioError):
    """A named resource does not exist (NOT_FOUND / HTTP 404)."""

    default_reason = "NOT_FOUND"


class AlreadyExists(SynthStudioError):
    """A resource with that id exists already (ALREADY_EXISTS / HTTP 409)."""

    default_reason = "ALREADY_EXISTS"


class FailedPrecondition(SynthStudioError):
    """The request is valid but the system cannot run it now (FAILED_PRECONDITION / 400)."""

    default_reason = "FAILED_PRECONDITION"


class BudgetExhausted(SynthStudioError):
    """A quota or privacy budget would be exceeded (RESOURCE_EXHAUSTED / HTTP 429)."""

    default_reason = "BUDGET_EXHAUSTED"


class RateLimited(SynthStudioError):
    """Too many calls; retry after `retry_after_seconds` (RESOURCE_EXHAUSTED + RetryInfo / 429)."""

    default_reason = "RATE_LIMITED"

    def __init__(self, message: str, *, retry_after_seconds: float, **kwargs) -> None:
        super().__init__(message, **kwargs)
        self.retry_after_seconds = retry_after_seconds


class Unauthenticated(SynthStudioError):
    """No valid credentials (UNAUTHENTICATED / HTTP 401)."""

    default_reason = "UNAUTHENTICATED"


class PermissionDenied(SynthStudioError):
    """Credentials are valid but the principal may not do this (PERMISSION_DENIED / HTTP 403)."""

    default_reason = "PERMISSION_DENIED"


class Unimplemented(SynthStudioError):
    """The platform does not offer this yet (UNIMPLEMENTED / HTTP 501)."""

    default_reason = "UNIMPLEMENTED"


class Unavailable(SynthStudioError):
    """A dependency is down; retrying later may succeed (UNAVAILABLE / HTTP 503)."""

    default_reason = "UNAVAILABLE"


class JobCancelled(Exception):
    """Raised inside a running job when its cancellation was requested; the job ends CANCELLED."""


@dataclass
class Warnings:
    """Non-fatal notes a domain operation collects for its result (a dropped constant column, …)."""

    items: list[str] = field(default_factory=list)

    def add(self, message: str) -> None:
        self.items.append(message)


_CANONICAL_CODES: dict[type[SynthStudioError], str] = {
    InvalidInput: "INVALID_ARGUMENT",
    NotFound: "NOT_FOUND",
    AlreadyExists: "ALREADY_EXISTS",
    FailedPrecondition: "FAILED_PRECONDITION",
    BudgetExhausted: "RESOURCE_EXHAUSTED",
    RateLimited: "RESOURCE_EXHAUSTED",
    Unauthenticated: "UNAUTHENTICATED",
    PermissionDenied: "PERMISSION_DENIED",
    Unimplemented: "UNIMPLEMENTED",
    Unavailable: "UNAVAILABLE",
}


def canonical_code(error: SynthStudioError) -> str:
    """The canonical status name (`INVALID_ARGUMENT`, …) an error maps to, everywhere."""
    for cls in type(error).__mro__:
        if cls in _CANONICAL_CODES:
            return _CANONICAL_CODES[cls]
    return "UNKNOWN"
