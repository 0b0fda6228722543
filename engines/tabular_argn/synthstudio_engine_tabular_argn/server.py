"""Bootstrap of the TabularARGN engine host: a small gRPC server with health, reflection, error
mapping and tracing, and no database (the synthesis service stores models and data)."""

from __future__ import annotations

import logging
import signal
import threading
from concurrent import futures

import grpc
from grpc_health.v1 import health, health_pb2, health_pb2_grpc
from grpc_reflection.v1alpha import reflection

from synthstudio.engine.v1 import engine_service_pb2, engine_service_pb2_grpc
from synthstudio_engine_tabular_argn.engine import TabularArgnEngine
from synthstudio_engine_tabular_argn.servicer import EngineServicer
from synthstudio_libs.config import Settings, load_settings
from synthstudio_libs.grpc.errors import ErrorInterceptor
from synthstudio_libs.grpc.server import message_size_options
from synthstudio_libs.grpc.tracing import TracingInterceptor
from synthstudio_libs.lifetime import stop_with_supervisor
from synthstudio_libs.telemetry import setup_telemetry, shutdown_telemetry

NAME = "engine-tabular-argn"
SERVICE_NAME = engine_service_pb2.DESCRIPTOR.services_by_name["EngineService"].full_name
# Training and sampling take turns (see TabularArgnEngine); a few threads more let health
# checks and DescribeEngine answer while one of them runs.
WORKERS = 8

log = logging.getLogger(__name__)


def create_server(settings: Settings, port: int | None = None) -> tuple[grpc.Server, int]:
    """The engine host, bound but not started; `port` 0 picks a free port."""
    server = grpc.server(
        futures.ThreadPoolExecutor(max_workers=WORKERS, thread_name_prefix=NAME),
        interceptors=[TracingInterceptor(), ErrorInterceptor(NAME)],
        options=message_size_options(settings),
    )
    engine_service_pb2_grpc.add_EngineServiceServicer_to_server(
        EngineServicer(TabularArgnEngine()), server
    )
    health_servicer = health.HealthServicer(experimental_non_blocking=True)
    health_pb2_grpc.add_HealthServicer_to_server(health_servicer, server)
    for name in (SERVICE_NAME, ""):
        health_servicer.set(name, health_pb2.HealthCheckResponse.SERVING)
    reflection.enable_server_reflection(
        [SERVICE_NAME, health.SERVICE_NAME, reflection.SERVICE_NAME], server
    )
    chosen = settings.engine_tabular_argn_port if port is None else port
    bound = server.add_insecure_port(f"{settings.host}:{chosen}")
    if bound == 0:
        raise OSError(f"{NAME}: cannot listen on {settings.host}:{chosen} (is it already in use?)")
    return server, bound


def main() -> None:
    settings = load_settings()
    setup_telemetry(f"synthstudio-{NAME}", settings.log_level)
    server, port = create_server(settings)
    server.start()
    log.info("%s listening on %s:%d", NAME, settings.host, port)
    stopping = threading.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: stopping.set())
    stop_with_supervisor()
    stopping.wait()
    server.stop(settings.shutdown_grace_seconds).wait()
    shutdown_telemetry()
