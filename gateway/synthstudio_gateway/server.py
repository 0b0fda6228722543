"""Runs the gateway under uvicorn."""

from __future__ import annotations

import uvicorn

from synthstudio_gateway.app import create_app
from synthstudio_libs.config import load_settings
from synthstudio_libs.lifetime import stop_with_supervisor
from synthstudio_libs.metrics import setup_metrics
from synthstudio_libs.telemetry import setup_telemetry, shutdown_telemetry


def main() -> None:
    settings = load_settings()
    setup_telemetry("synthstudio-gateway", settings.log_level)
    metrics_endpoint = setup_metrics("gateway", settings)
    # A SIGTERM once uvicorn runs is its graceful stop; one before it ends the process at once.
    stop_with_supervisor()
    uvicorn.run(
        create_app(settings),
        host=settings.gateway_host,
        port=settings.gateway_port,
        log_config=None,
        access_log=False,
        timeout_graceful_shutdown=int(settings.shutdown_grace_seconds),
    )
    if metrics_endpoint is not None:
        metrics_endpoint.shutdown()
    shutdown_telemetry()
