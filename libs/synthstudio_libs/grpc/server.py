"""Building and running a service's gRPC server: health, reflection, error mapping, tracing,
graceful shutdown on SIGTERM."""

from __future__ import annotations

import faulthandler
import logging
import signal
import threading
from concurrent import futures

import grpc
from grpc_health.v1 import health, health_pb2, health_pb2_grpc
from grpc_reflection.v1alpha import reflection

from synthstudio_libs.config import Settings, load_settings
from synthstudio_libs.grpc.auth import AuthInterceptor
from synthstudio_libs.grpc.binding import Binding, wrap_behavior
from synthstudio_libs.grpc.errors import ErrorInterceptor
from synthstudio_libs.grpc.identity import identity_binding
from synthstudio_libs.grpc.jobs import job_binding
from synthstudio_libs.grpc.tracing import TracingInterceptor
from synthstudio_libs.grpc.validation import RequestValidation
from synthstudio_libs.lifetime import stop_with_supervisor
from synthstudio_libs.metrics import server_metrics_interceptor, setup_metrics
from synthstudio_libs.runtime import Runtime, open_runtime
from synthstudio_libs.service import Service
from synthstudio_libs.telemetry import setup_telemetry, shutdown_telemetry

log = logging.getLogger(__name__)


def message_size_options(settings: Settings) -> list[tuple[str, int]]:
    return [
        ("grpc.max_receive_message_length", settings.grpc_max_message_bytes),
        ("grpc.max_send_message_length", settings.grpc_max_message_bytes),
    ]


# gRPC's transport refuses metadata over 16 KiB itself, as RESOURCE_EXHAUSTED, which tells a
# client to retry the same call. Admitting up to this much lets the auth interceptor refuse
# oversized metadata as the caller's mistake (INVALID_ARGUMENT) instead.
_TRANSPORT_METADATA_BYTES = 1 << 20


def server_options(settings: Settings) -> list[tuple[str, int]]:
    return [
        *message_size_options(settings),
        ("grpc.max_metadata_size", _TRANSPORT_METADATA_BYTES),
        ("grpc.absolute_max_metadata_size", _TRANSPORT_METADATA_BYTES),
    ]


# Unary calls are short, and the GIL runs one thread at a time: a few threads keep both cores
# busy, while every thread more that is runnable costs GIL handoffs and context switches (16
# threads served about two thirds of the requests per second that 4 do under load).
UNARY_WORKERS = 4
# Streams (job watches, uploads, downloads, streamed samples) hold their thread for as long as
# they last, so they run on threads of their own and never starve the unary calls. Job watches
# are bounded (SYNTHSTUDIO_WATCH_STREAMS_PER_PROCESS, below this) so the rest stays for the
# other streams.
SIDE_WORKERS = 64
# Health checks must answer even while every other thread is busy: a pool of their own.
HEALTH_WORKERS = 4
_HEALTH_CHECK = f"/{health.SERVICE_NAME}/Check"


class SideThreadPool(grpc.ServerInterceptor):
    """Runs streaming calls on a pool of their own, and health checks on another (grpc's
    per-method `experimental_thread_pool`, read from the outermost handler: this interceptor
    must come first)."""

    def __init__(self, name: str) -> None:
        self._side = futures.ThreadPoolExecutor(
            max_workers=SIDE_WORKERS, thread_name_prefix=f"{name}-side"
        )
        self._health = futures.ThreadPoolExecutor(
            max_workers=HEALTH_WORKERS, thread_name_prefix=f"{name}-health"
        )

    def intercept_service(self, continuation, handler_call_details):
        handler = continuation(handler_call_details)
        if handler is None:
            return None
        if handler_call_details.method == _HEALTH_CHECK:
            pool = self._health
        elif handler.unary_unary:
            return handler
        else:
            pool = self._side
        return wrap_behavior(handler, self._on(pool), self._on(pool))

    @staticmethod
    def _on(pool: futures.ThreadPoolExecutor):
        def wrap(behavior):
            def on_own_pool(request, context):
                return behavior(request, context)

            on_own_pool.experimental_thread_pool = pool
            return on_own_pool

        return wrap


def build_server(
    runtime: Runtime,
    *,
    name: str,
    bindings: list[Binding],
    port: int,
    interceptors: list[grpc.ServerInterceptor] | None = None,
) -> tuple[grpc.Server, int]:
    """A bound, not yet started server with our interceptors, health, reflection and the
    services every component hosts (jobs, identity); returns it with the port it bound (pass
    port 0 for any free port)."""
    settings = runtime.settings
    # Outermost first: streams and health checks get threads of their own; the trace span
    # covers everything; errors raised by the auth checks and by the servicers alike become
    # statuses; auth admits, binds the principal and audits.
    server = grpc.server(
        futures.ThreadPoolExecutor(max_workers=UNARY_WORKERS, thread_name_prefix=f"{name}-rpc"),
        interceptors=[
            SideThreadPool(name),
            TracingInterceptor(),
            # Outside error mapping, so it counts the codes clients get (refusals included).
            server_metrics_interceptor(),
            ErrorInterceptor(name),
            AuthInterceptor(runtime.identity, runtime.limits, runtime.audit, runtime.projects),
            # After auth (callers without credentials learn nothing about the messages).
            RequestValidation(),
            *(interceptors or []),
        ],
        options=server_options(settings),
    )
    bindings = [
        *bindings,
        job_binding(runtime.operations),
        identity_binding(runtime.identity, runtime.projects, runtime.audit),
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


def create_server(
    service: Service, settings: Settings, port: int | None = None
) -> tuple[grpc.Server, int]:
    """`service`'s server, bound but not started, its job kinds registered; `port` 0 picks a
    free port, None the service's port setting."""
    runtime = open_runtime(settings, service.migrations)
    parts = service.assemble(runtime)
    return build_server(
        runtime,
        name=service.name,
        bindings=list(parts.bindings),
        port=service.port(settings) if port is None else port,
    )


def serve(service: Service) -> None:
    """Runs a service until SIGTERM or SIGINT, then stops it within the grace period."""
    # `kill -USR1 <pid>` writes every thread's stack to the log: how an operator (or a test)
    # sees where a stuck job waits, without stopping the service.
    faulthandler.register(signal.SIGUSR1, all_threads=True)
    settings = load_settings()
    setup_telemetry(f"synthstudio-{service.name}", settings.log_level)
    metrics_endpoint = setup_metrics(service.name, settings)
    server, port = create_server(service, settings)
    server.start()
    log.info("%s listening on %s:%d", service.name, settings.host, port)
    stopping = threading.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: stopping.set())
    stop_with_supervisor()
    stopping.wait()
    log.info("%s stopping (grace %.0fs)", service.name, settings.shutdown_grace_seconds)
    server.stop(settings.shutdown_grace_seconds).wait()
    if metrics_endpoint is not None:
        metrics_endpoint.shutdown()
    shutdown_telemetry()
