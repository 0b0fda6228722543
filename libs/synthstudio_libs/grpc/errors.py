"""The one place domain errors become gRPC statuses (with google.rpc error details)."""

from __future__ import annotations

import logging
from typing import NoReturn

import grpc
from google.protobuf import duration_pb2
from google.rpc import code_pb2, error_details_pb2, status_pb2
from grpc_status import rpc_status

from synthstudio_libs.errors import (
    AlreadyExists,
    BudgetExhausted,
    FailedPrecondition,
    FieldViolation,
    InvalidInput,
    NotFound,
    PermissionDenied,
    RateLimited,
    SynthStudioError,
    Unauthenticated,
    Unavailable,
    Unimplemented,
    canonical_code,
)
from synthstudio_libs.grpc.binding import wrap_behavior

log = logging.getLogger(__name__)


def to_status(error: SynthStudioError, domain: str) -> status_pb2.Status:
    """A google.rpc.Status carrying ErrorInfo, plus BadRequest or RetryInfo where they apply."""
    info = error_details_pb2.ErrorInfo(reason=error.reason, domain=domain, metadata=error.metadata)
    details = [info]
    if isinstance(error, InvalidInput) and error.violations:
        details.append(
            error_details_pb2.BadRequest(
                field_violations=[
                    error_details_pb2.BadRequest.FieldViolation(
                        field=v.field, description=v.description
                    )
                    for v in error.violations
                ]
            )
        )
    if isinstance(error, RateLimited):
        delay = duration_pb2.Duration()
        delay.FromMilliseconds(int(error.retry_after_seconds * 1000))
        details.append(error_details_pb2.RetryInfo(retry_delay=delay))
    status = status_pb2.Status(
        code=code_pb2.Code.Value(canonical_code(error)), message=error.message
    )
    for detail in details:
        status.details.add().Pack(detail)
    return status


class ErrorInterceptor(grpc.ServerInterceptor):
    """Turns a domain error raised by any servicer method into its status, once for all."""

    def __init__(self, domain: str) -> None:
        self._domain = domain

    def intercept_service(self, continuation, handler_call_details):
        return wrap_behavior(
            continuation(handler_call_details), self._wrap_unary, self._wrap_stream
        )

    def _abort(self, context: grpc.ServicerContext, error: SynthStudioError):
        context.abort_with_status(rpc_status.to_status(to_status(error, self._domain)))

    def _wrap_unary(self, behavior):
        def wrapped(request, context):
            try:
                return behavior(request, context)
            except SynthStudioError as error:
                self._abort(context, error)

        return wrapped

    def _wrap_stream(self, behavior):
        def wrapped(request, context):
            try:
                yield from behavior(request, context)
            except SynthStudioError as error:
                self._abort(context, error)

        return wrapped


_DOMAIN_ERRORS = {
    "INVALID_ARGUMENT": InvalidInput,
    "NOT_FOUND": NotFound,
    "ALREADY_EXISTS": AlreadyExists,
    "FAILED_PRECONDITION": FailedPrecondition,
    "RESOURCE_EXHAUSTED": BudgetExhausted,
    "UNAUTHENTICATED": Unauthenticated,
    "PERMISSION_DENIED": PermissionDenied,
    "UNIMPLEMENTED": Unimplemented,
}


def raise_from_rpc(error: grpc.RpcError, service: str) -> NoReturn:
    """Re-raises another service's error status as the domain error it stands for (reason,
    metadata and field violations kept), so it reaches this service's caller unchanged.
    Failures that are not the caller's doing become Unavailable."""
    code = error.code().name
    status = rpc_status.from_call(error)
    reason, metadata, violations = "", {}, []
    for detail in status.details if status else ():
        if detail.Is(error_details_pb2.ErrorInfo.DESCRIPTOR):
            info = error_details_pb2.ErrorInfo()
            detail.Unpack(info)
            reason, metadata = info.reason, dict(info.metadata)
        elif detail.Is(error_details_pb2.BadRequest.DESCRIPTOR):
            bad = error_details_pb2.BadRequest()
            detail.Unpack(bad)
            violations = [FieldViolation(v.field, v.description) for v in bad.field_violations]
    message = error.details() or code
    cls = _DOMAIN_ERRORS.get(code)
    if cls is InvalidInput:
        raise InvalidInput(message, violations=violations, reason=reason or None, metadata=metadata)
    if cls is not None:
        raise cls(message, reason=reason or None, metadata=metadata)
    raise Unavailable(
        f"the {service} service failed ({code}: {message}); try again later",
        reason=f"{service.upper()}_UNAVAILABLE",
    )
