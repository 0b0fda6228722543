"""The server plumbing of libs: streams and health checks run on threads of their own, so that
long streams never starve unary calls, nor slow unary calls the health checks, however few
unary threads there are; and each call gets a SERVER span that continues the caller's trace and
records the status the caller got."""

from __future__ import annotations

import threading
from concurrent import futures

import grpc
import pytest
from grpc_health.v1 import health, health_pb2, health_pb2_grpc
from opentelemetry import trace

from synthstudio_libs.grpc.server import SideThreadPool
from synthstudio_libs.grpc.tracing import TracingInterceptor

SERVICE = "test.Probe"
STREAMS = 6


def _identity(raw: bytes) -> bytes:
    return raw


class _Probe:
    """A unary `Echo`, a `Hold` stream and a unary `Block` that last until released, and a
    `Fail` that aborts."""

    def __init__(self) -> None:
        self.release = threading.Event()
        self.holding = threading.Semaphore(0)

    def echo(self, request: bytes, _context) -> bytes:
        return request

    def hold(self, request: bytes, _context):
        self.holding.release()
        self.release.wait(30)
        yield request

    def block(self, request: bytes, _context) -> bytes:
        self.holding.release()
        self.release.wait(30)
        return request

    def fail(self, _request: bytes, context) -> bytes:
        context.abort(grpc.StatusCode.NOT_FOUND, "no such probe")

    def handlers(self) -> grpc.GenericRpcHandler:
        codec = {"request_deserializer": _identity, "response_serializer": _identity}
        return grpc.method_handlers_generic_handler(
            SERVICE,
            {
                "Echo": grpc.unary_unary_rpc_method_handler(self.echo, **codec),
                "Hold": grpc.unary_stream_rpc_method_handler(self.hold, **codec),
                "Block": grpc.unary_unary_rpc_method_handler(self.block, **codec),
                "Fail": grpc.unary_unary_rpc_method_handler(self.fail, **codec),
            },
        )


@pytest.fixture
def probe():
    """A server with ONE unary thread and the interceptors under test, and a channel to it."""
    servicer = _Probe()
    server = grpc.server(
        futures.ThreadPoolExecutor(max_workers=1),
        interceptors=[SideThreadPool("probe"), TracingInterceptor()],
    )
    server.add_generic_rpc_handlers([servicer.handlers()])
    health_pb2_grpc.add_HealthServicer_to_server(health.HealthServicer(), server)
    port = server.add_insecure_port("127.0.0.1:0")
    server.start()
    channel = grpc.insecure_channel(f"127.0.0.1:{port}")
    yield servicer, channel
    servicer.release.set()
    channel.close()
    server.stop(grace=None)


def _call(channel: grpc.Channel, name: str):
    return channel.unary_unary(
        f"/{SERVICE}/{name}", request_serializer=_identity, response_deserializer=_identity
    )


def test_streams_held_open_do_not_starve_unary_calls(probe):
    servicer, channel = probe
    hold = channel.unary_stream(
        f"/{SERVICE}/Hold", request_serializer=_identity, response_deserializer=_identity
    )
    streams = [hold(b"held") for _ in range(STREAMS)]
    for _ in range(STREAMS):
        assert servicer.holding.acquire(timeout=10), "every stream is being served at once"
    assert _call(channel, "Echo")(b"still answered", timeout=5) == b"still answered"
    servicer.release.set()
    assert [next(stream) for stream in streams] == [b"held"] * STREAMS


def test_health_checks_answer_while_every_unary_thread_is_busy(probe):
    servicer, channel = probe
    blocked = _call(channel, "Block").future(b"slow", timeout=30)
    assert servicer.holding.acquire(timeout=10), "the one unary thread is taken"
    reply = health_pb2_grpc.HealthStub(channel).Check(health_pb2.HealthCheckRequest(), timeout=5)
    assert reply.status == health_pb2.HealthCheckResponse.SERVING
    servicer.release.set()
    assert blocked.result() == b"slow"


def test_a_call_continues_the_callers_trace(probe, spans):
    _servicer, channel = probe
    trace_id, parent_id = "4bf92f3577b34da6a3ce929d0e0e4736", "00f067aa0ba902b7"
    traceparent = f"00-{trace_id}-{parent_id}-01"
    _call(channel, "Echo")(b"x", metadata=[("traceparent", traceparent)], timeout=5)
    (span,) = [s for s in spans.get_finished_spans() if s.name == f"/{SERVICE}/Echo"]
    assert span.kind is trace.SpanKind.SERVER
    assert format(span.context.trace_id, "032x") == trace_id
    assert format(span.parent.span_id, "016x") == parent_id
    assert span.attributes["rpc.method"] == "Echo"
    assert span.attributes["rpc.grpc.status_code"] == 0
    assert span.status.status_code is trace.StatusCode.UNSET


def test_a_failed_call_has_its_status_on_its_span(probe, spans):
    _servicer, channel = probe
    with pytest.raises(grpc.RpcError) as failed:
        _call(channel, "Fail")(b"x", timeout=5)
    assert failed.value.code() is grpc.StatusCode.NOT_FOUND
    (span,) = [s for s in spans.get_finished_spans() if s.name == f"/{SERVICE}/Fail"]
    assert span.attributes["rpc.grpc.status_code"] == grpc.StatusCode.NOT_FOUND.value[0]
    assert span.status.status_code is trace.StatusCode.ERROR
    assert "no such probe" in span.status.description
    assert not span.events, "an abort is a status, not an exception"
