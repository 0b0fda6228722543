"""Client-side credentials: interceptors that put an `authorization` value on every call.

Only grpc and the principal's context variables: the SDK and the CLI use this module, and
must not pull in the server runtime (databases, job queues).
"""

from __future__ import annotations

import collections

import grpc

from synthstudio_libs.auth.principal import current_credentials


class _ClientCallDetails(
    collections.namedtuple(
        "_ClientCallDetails",
        ("method", "timeout", "metadata", "credentials", "wait_for_ready", "compression"),
    ),
    grpc.ClientCallDetails,
):
    pass


class _MetadataInterceptor(
    grpc.UnaryUnaryClientInterceptor,
    grpc.UnaryStreamClientInterceptor,
    grpc.StreamUnaryClientInterceptor,
    grpc.StreamStreamClientInterceptor,
):
    """Adds an `authorization` value to every call that does not carry one."""

    def __init__(self, authorization) -> None:
        self._authorization = authorization

    def _details(self, details):
        metadata = list(details.metadata or [])
        value = self._authorization()
        if value and not any(key == "authorization" for key, _ in metadata):
            metadata.append(("authorization", value))
        return _ClientCallDetails(
            details.method,
            details.timeout,
            metadata,
            details.credentials,
            details.wait_for_ready,
            details.compression,
        )

    def intercept_unary_unary(self, continuation, details, request):
        return continuation(self._details(details), request)

    def intercept_unary_stream(self, continuation, details, request):
        return continuation(self._details(details), request)

    def intercept_stream_unary(self, continuation, details, request_iterator):
        return continuation(self._details(details), request_iterator)

    def intercept_stream_stream(self, continuation, details, request_iterator):
        return continuation(self._details(details), request_iterator)


def forwarding_credentials() -> grpc.UnaryUnaryClientInterceptor:
    """Carries the caller's own credentials on calls to other services (service-to-service
    calls act, and are audited, as the principal that started them)."""
    return _MetadataInterceptor(current_credentials)


def bearer_credentials(secret: str) -> grpc.UnaryUnaryClientInterceptor:
    """Sends `authorization: Bearer <secret>` (an access token or an API key) on every call."""
    return _MetadataInterceptor(lambda: f"Bearer {secret}")
