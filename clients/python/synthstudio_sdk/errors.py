"""What the SDK raises: one class per kind of failure a caller can act on, each carrying the
server's canonical code, `reason` (google.rpc.ErrorInfo) and the values it names."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import grpc
from google.rpc import code_pb2, error_details_pb2, status_pb2
from grpc_status import rpc_status


class SynthStudioError(Exception):
    """Base of every error the SDK raises."""


class UsageError(SynthStudioError, ValueError):
    """An argument is wrong before anything is sent (a missing file, an unknown kind)."""


@dataclass(frozen=True)
class Violation:
    """One wrong request field, as the server's BadRequest detail names it."""

    field: str
    description: str


class ApiError(SynthStudioError):
    """The server refused or failed a call. `code` is the canonical gRPC code name
    (`NOT_FOUND`), `reason` the machine-readable cause (`DATASET_NOT_FOUND`), `service` the
    service that answered, `metadata` the values the message mentions."""

    code = "UNKNOWN"

    def __init__(
        self,
        message: str,
        *,
        reason: str = "",
        service: str = "",
        metadata: dict[str, str] | None = None,
        violations: list[Violation] | None = None,
        retry_after: float | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.reason = reason or self.code
        self.service = service
        self.metadata = dict(metadata or {})
        self.violations = list(violations or [])
        self.retry_after = retry_after

    def __str__(self) -> str:
        return f"{self.message} ({self.reason})"


class InvalidArgument(ApiError):
    code = "INVALID_ARGUMENT"


class NotFound(ApiError):
    code = "NOT_FOUND"


class AlreadyExists(ApiError):
    code = "ALREADY_EXISTS"


class FailedPrecondition(ApiError):
    code = "FAILED_PRECONDITION"


class ResourceExhausted(ApiError):
    """A rate limit (with `retry_after`) or a privacy budget is exhausted."""

    code = "RESOURCE_EXHAUSTED"


class Unauthenticated(ApiError):
    """No, expired or invalid credentials: sign in (`synthstudio login`) or pass a token."""

    code = "UNAUTHENTICATED"


class PermissionDenied(ApiError):
    code = "PERMISSION_DENIED"


class Unavailable(ApiError):
    """The service could not be reached, even after retrying with backoff."""

    code = "UNAVAILABLE"


class DeadlineExceeded(ApiError):
    code = "DEADLINE_EXCEEDED"


class Unimplemented(ApiError):
    code = "UNIMPLEMENTED"


class DataLoss(ApiError):
    """What arrived is not what the server stored: a download cut short or corrupted on the way
    (its size or SHA-256 differs from the dataset's). Nothing was written; download again."""

    code = "DATA_LOSS"


class ServerError(ApiError):
    """The server failed (INTERNAL, UNKNOWN, DATA_LOSS, …)."""

    code = "INTERNAL"


_CLASSES: dict[str, type[ApiError]] = {
    cls.code: cls
    for cls in (
        InvalidArgument,
        NotFound,
        AlreadyExists,
        FailedPrecondition,
        ResourceExhausted,
        Unauthenticated,
        PermissionDenied,
        Unavailable,
        DeadlineExceeded,
        Unimplemented,
        DataLoss,
    )
}
_CLASSES["OUT_OF_RANGE"] = InvalidArgument
_CLASSES["ABORTED"] = FailedPrecondition
_CLASSES["CANCELLED"] = Unavailable


@dataclass
class _Details:
    reason: str = ""
    metadata: dict[str, str] = field(default_factory=dict)
    violations: list[Violation] = field(default_factory=list)
    retry_after: float | None = None


def _details(status: status_pb2.Status | None) -> _Details:
    found = _Details()
    for detail in status.details if status is not None else ():
        if detail.Is(error_details_pb2.ErrorInfo.DESCRIPTOR):
            info = error_details_pb2.ErrorInfo()
            detail.Unpack(info)
            found.reason, found.metadata = info.reason, dict(info.metadata)
        elif detail.Is(error_details_pb2.BadRequest.DESCRIPTOR):
            bad = error_details_pb2.BadRequest()
            detail.Unpack(bad)
            found.violations = [Violation(v.field, v.description) for v in bad.field_violations]
        elif detail.Is(error_details_pb2.RetryInfo.DESCRIPTOR):
            info = error_details_pb2.RetryInfo()
            detail.Unpack(info)
            found.retry_after = info.retry_delay.ToMilliseconds() / 1000
    return found


def error_class(code: str) -> type[ApiError]:
    return _CLASSES.get(code, ServerError)


def from_rpc_error(error: grpc.RpcError, service: str, method: str = "") -> ApiError:
    """The ApiError a failed call stands for, with its ErrorInfo, BadRequest and RetryInfo."""
    code = error.code().name if error.code() is not None else "UNKNOWN"
    try:
        status = rpc_status.from_call(error)
    except ValueError:  # a status whose details do not match its code
        status = None
    details = _details(status)
    message = error.details() or code
    if code == "UNAVAILABLE" and not details.reason:
        message = f"the {service} service is not reachable ({message})"
    elif code == "UNIMPLEMENTED" and not details.reason:
        call = f" {method}" if method else " this call"
        message = f"the {service} service does not offer{call} (is it older than this client?)"
    return error_class(code)(
        message,
        reason=details.reason,
        service=service,
        metadata=details.metadata,
        violations=details.violations,
        retry_after=details.retry_after,
    )


def from_status(status: status_pb2.Status, service: str = "") -> ApiError:
    """The ApiError a google.rpc.Status stands for (a failed job's `error`)."""
    code = code_pb2.Code.Name(status.code) if status.code in code_pb2.Code.values() else "UNKNOWN"
    details = _details(status)
    return error_class(code)(
        status.message or code,
        reason=details.reason,
        service=service,
        metadata=details.metadata,
        violations=details.violations,
    )


class JobFailed(SynthStudioError):
    """A job ended FAILED; `error` is the ApiError its status stands for."""

    def __init__(self, job: Any, error: ApiError) -> None:
        super().__init__(f"job {job.id} ({job.kind}) failed: {error}")
        self.job = job
        self.error = error


class JobCancelled(SynthStudioError):
    """A job ended CANCELLED."""

    def __init__(self, job: Any) -> None:
        super().__init__(f"job {job.id} ({job.kind}) was cancelled")
        self.job = job
