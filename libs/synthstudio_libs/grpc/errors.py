"""The one place domain errors become gRPC statuses (with google.rpc error details)."""

from __future__ import annotations

import logging

import grpc
from google.protobuf import duration_pb2
from google.rpc import code_pb2, error_details_pb2, status_pb2
from grpc_status import rpc_status

from synthstudio_libs.errors import (
    InvalidInput,
    RateLimited,
    SynthStudioError,
    canonical_code,
)

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
        handler = continuation(handler_call_details)
        if handler is None:
            return None
        if handler.unary_unary:
            return handler._replace(unary_unary=self._wrap_unary(handler.unary_unary))
        if handler.stream_unary:
            return handler._replace(stream_unary=self._wrap_unary(handler.stream_unary))
        if handler.unary_stream:
            return handler._replace(unary_stream=self._wrap_stream(handler.unary_stream))
        return handler._replace(stream_stream=self._wrap_stream(handler.stream_stream))

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
