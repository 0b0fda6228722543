"""A servicer to serve, with what health checking and reflection need to know of it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import grpc


@dataclass(frozen=True)
class Binding:
    """A servicer, the generated `add_*_to_server` function and the service's full name."""

    add_to_server: Callable[[object, grpc.Server], None]
    servicer: object
    full_name: str


def wrap_behavior(
    handler: grpc.RpcMethodHandler | None,
    unary: Callable[[Callable], Callable],
    stream: Callable[[Callable], Callable],
) -> grpc.RpcMethodHandler | None:
    """The handler with its behaviour wrapped, for server interceptors: `unary(behavior)` for
    calls answered with one message, `stream(behavior)` for calls answered with a stream."""
    if handler is None:
        return None
    if handler.unary_unary:
        return handler._replace(unary_unary=unary(handler.unary_unary))
    if handler.stream_unary:
        return handler._replace(stream_unary=unary(handler.stream_unary))
    if handler.unary_stream:
        return handler._replace(unary_stream=stream(handler.unary_stream))
    return handler._replace(stream_stream=stream(handler.stream_stream))


def rpc_attributes(method: str) -> dict[str, str]:
    """The OpenTelemetry attributes naming a call, from its path `/package.Service/Method`."""
    service, _, name = method.lstrip("/").rpartition("/")
    return {"rpc.system": "grpc", "rpc.service": service, "rpc.method": name}
