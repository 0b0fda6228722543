"""Client channels to other services, traced so one trace spans every hop."""

from __future__ import annotations

import grpc
from opentelemetry.instrumentation.grpc import client_interceptor, grpcext

from synthstudio_libs.config import Settings
from synthstudio_libs.grpc.credentials import forwarding_credentials
from synthstudio_libs.grpc.server import message_size_options


def service_channel(settings: Settings, service: str) -> grpc.Channel:
    """A channel to the named service (`pii`, `privacy`, …) at its configured address that
    carries the credentials of the call being served, so the callee acts for the same
    principal."""
    channel = grpc.insecure_channel(
        settings.service_addr(service), options=message_size_options(settings)
    )
    traced = grpcext.intercept_channel(channel, client_interceptor())
    return grpc.intercept_channel(traced, forwarding_credentials())
