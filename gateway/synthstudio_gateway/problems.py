"""The one place gRPC statuses become HTTP statuses and RFC 9457 problem JSON."""

from __future__ import annotations

import math

import grpc
from google.rpc import error_details_pb2, status_pb2
from starlette.responses import JSONResponse

from synthstudio_libs.errors import SynthStudioError, canonical_code
from synthstudio_libs.grpc.errors import to_status

HTTP_STATUS = {
    grpc.StatusCode.OK: 200,
    grpc.StatusCode.CANCELLED: 499,
    grpc.StatusCode.UNKNOWN: 500,
    grpc.StatusCode.INVALID_ARGUMENT: 400,
    grpc.StatusCode.DEADLINE_EXCEEDED: 504,
    grpc.StatusCode.NOT_FOUND: 404,
    grpc.StatusCode.ALREADY_EXISTS: 409,
    grpc.StatusCode.PERMISSION_DENIED: 403,
    grpc.StatusCode.RESOURCE_EXHAUSTED: 429,
    grpc.StatusCode.FAILED_PRECONDITION: 400,
    grpc.StatusCode.ABORTED: 409,
    grpc.StatusCode.OUT_OF_RANGE: 400,
    grpc.StatusCode.UNIMPLEMENTED: 501,
    grpc.StatusCode.INTERNAL: 500,
    grpc.StatusCode.UNAVAILABLE: 503,
    grpc.StatusCode.DATA_LOSS: 500,
    grpc.StatusCode.UNAUTHENTICATED: 401,
}

PROBLEM_MEDIA_TYPE = "application/problem+json"


def problem(
    status: int,
    title: str,
    detail: str,
    *,
    code: str,
    extra: dict | None = None,
    headers: dict[str, str] | None = None,
) -> JSONResponse:
    body = {
        "type": f"https://synthstudio.dev/problems/{code.lower().replace('_', '-')}",
        "title": title,
        "status": status,
        "detail": detail,
        "code": code,
        **(extra or {}),
    }
    return JSONResponse(body, status_code=status, media_type=PROBLEM_MEDIA_TYPE, headers=headers)


def from_domain_error(error: SynthStudioError) -> JSONResponse:
    """Problem JSON for an error the gateway raises itself, mapped exactly as a service's."""
    status = to_status(error, domain="gateway")
    return _from_status(grpc.StatusCode[canonical_code(error)], status.message, status.details)


def from_rpc_error(error: grpc.aio.AioRpcError) -> JSONResponse:
    """Problem JSON for a failed call, carrying the ErrorInfo, field violations and retry."""
    return _from_status(error.code(), error.details(), _status_details(error))


def _from_status(code: grpc.StatusCode, message: str, details) -> JSONResponse:
    status = HTTP_STATUS.get(code, 500)
    extra: dict = {}
    headers: dict[str, str] = {}
    for detail in details:
        if detail.Is(error_details_pb2.ErrorInfo.DESCRIPTOR):
            info = error_details_pb2.ErrorInfo()
            detail.Unpack(info)
            extra.update(reason=info.reason, domain=info.domain, metadata=dict(info.metadata))
        elif detail.Is(error_details_pb2.BadRequest.DESCRIPTOR):
            bad = error_details_pb2.BadRequest()
            detail.Unpack(bad)
            extra["violations"] = [
                {"field": v.field, "description": v.description} for v in bad.field_violations
            ]
        elif detail.Is(error_details_pb2.RetryInfo.DESCRIPTOR):
            retry = error_details_pb2.RetryInfo()
            detail.Unpack(retry)
            seconds = retry.retry_delay.ToTimedelta().total_seconds()
            headers["Retry-After"] = str(max(1, math.ceil(seconds)))
    title = code.name.replace("_", " ").capitalize()
    return problem(status, title, message or title, code=code.name, extra=extra, headers=headers)


def _status_details(error: grpc.aio.AioRpcError):
    for key, value in error.trailing_metadata() or ():
        if key == "grpc-status-details-bin":
            status = status_pb2.Status.FromString(value)
            return list(status.details)
    return []
