"""Building and running a service's gRPC server: health, reflection, error mapping, tracing,
graceful shutdown on SIGTERM."""

from __future__ import annotations

import logging
import signal
import threading
from collections.abc import Callable
from concurrent import futures

import grpc
from grpc_health.v1 import health, health_pb2, health_pb2_grpc
from grpc_reflection.v1alpha import reflection
from opentelemetry.instrumentation.grpc import server_interceptor

from synthstudio_libs.config import Settings, load_settings
from synthstudio_libs.grpc.auth import AuthInterceptor
from synthstudio_libs.grpc.binding import Binding
from synthstudio_libs.grpc.errors import ErrorInterceptor
from synthstudio_libs.grpc.identity import identity_binding
from synthstudio_libs.grpc.jobs import job_binding
from synthstudio_libs.metrics import server_metrics_interceptor, setup_metrics
from synthstudio_libs.runtime import Runtime
from synthstudio_libs.telemetry import setup_telemetry, shutdown_telemetry

log = logging.getLogger(__name__)


def message_size_options(settings: Settings) -> list[tuple[str, int]]:
    return [
        ("grpc.max_receive_message_length", settings.grpc_max_message_bytes),
        ("grpc.max_send_message_length", settings.grpc_max_message_bytes),
    ]


def build_server(
    runtime: Runtime,
    *,
    name: str,
    bindings: list[Binding],
    port: int,
    interceptors: list[grpc.ServerInterceptor] | None = None,
    max_workers: int = 16,
) -> tuple[grpc.Server, int]:
    """A bound, not yet started server with our interceptors, health, reflection and the
    services every component hosts (jobs, identity); returns it with the port it bound (pass
    port 0 for any free port)."""
    settings = runtime.settings
    # Outermost first: the trace span covers everything; errors raised by the auth checks and
    # by the servicers alike become statuses; auth admits, binds the principal and audits.
    server = grpc.server(
        futures.ThreadPoolExecutor(max_workers=max_workers, thread_name_prefix=f"{name}-rpc"),
        interceptors=[
            server_interceptor(),
            # Outside error mapping, so it counts the codes clients get (refusals included).
            server_metrics_interceptor(),
            ErrorInterceptor(name),
            AuthInterceptor(runtime.identity, runtime.limits, runtime.audit),
            *(interceptors or []),
        ],
        options=message_size_options(settings),
    )
    bindings = [
        *bindings,
        job_binding(runtime.operations),
        identity_binding(runtime.identity, runtime.audit),
    ]
    health_servicer = health.HealthServicer(experimental_non_blocking=True)
    health_pb2_grpc.add_HealthServicer_to_server(health_servicer, server)
    for binding in bindings:
        binding.add_to_server(binding.servicer, server)
        health_servicer.set(binding.full_name, health_pb2.HealthCheckResponse.SERVING)
    health_servicer.set("", health_pb2.HealthCheckResponse.SERVING)
    service_names = [b.full_name for b in bindings]
    reflection.enable_server_reflection(
        [*service_names, health.SERVICE_NAME, reflection.SERVICE_NAME], server
    )
    bound = server.add_insecure_port(f"{settings.host}:{port}")
    if bound == 0:
        raise OSError(f"{name}: cannot listen on {settings.host}:{port} (is it already in use?)")
    return server, bound


def serve(name: str, create_server: Callable[[Settings], tuple[grpc.Server, int]]) -> None:
    """Runs a service until SIGTERM or SIGINT, then stops it within the grace period."""
    settings = load_settings()
    setup_telemetry(f"synthstudio-{name}", settings.log_level)
    metrics_endpoint = setup_metrics(name, settings)
    server, port = create_server(settings)
    server.start()
    log.info("%s listening on %s:%d", name, settings.host, port)
    stopping = threading.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: stopping.set())
    stopping.wait()
    log.info("%s stopping (grace %.0fs)", name, settings.shutdown_grace_seconds)
    server.stop(settings.shutdown_grace_seconds).wait()
    if metrics_endpoint is not None:
        metrics_endpoint.shutdown()
    shutdown_telemetry()
