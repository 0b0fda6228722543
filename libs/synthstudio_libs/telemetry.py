"""OpenTelemetry and structured logging, configured by the standard `OTEL_*` variables only.

`OTEL_EXPORTER_OTLP_ENDPOINT` set: spans go to that OTLP/gRPC collector. `OTEL_TRACES_EXPORTER`
set to `console`: spans are printed. Otherwise spans are still created (so trace ids reach the
logs and propagate to other services) but not exported.
"""

from __future__ import annotations

import json
import logging
import os
import sys
import time

from opentelemetry import trace
from opentelemetry.sdk.resources import SERVICE_NAME, Resource
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import (
    BatchSpanProcessor,
    ConsoleSpanExporter,
    SimpleSpanProcessor,
)

ATTRIBUTE_PREFIX = "synthstudio."

_provider: TracerProvider | None = None


def setup_telemetry(default_service_name: str, log_level: str = "INFO") -> TracerProvider:
    """Installs the tracer provider and JSON logging for this process; returns the provider.

    Idempotent: a second call returns the provider installed by the first. Raises if the
    configured exporter cannot be created, so a broken setup is loud, not silently untraced.
    """
    global _provider
    if _provider is not None:
        return _provider
    service_name = os.environ.get("OTEL_SERVICE_NAME") or default_service_name
    provider = TracerProvider(resource=Resource.create({SERVICE_NAME: service_name}))
    if os.environ.get("OTEL_EXPORTER_OTLP_ENDPOINT") or os.environ.get(
        "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT"
    ):
        from opentelemetry.exporter.otlp.proto.grpc.trace_exporter import OTLPSpanExporter

        provider.add_span_processor(BatchSpanProcessor(OTLPSpanExporter()))
    elif os.environ.get("OTEL_TRACES_EXPORTER", "").strip() == "console":
        provider.add_span_processor(SimpleSpanProcessor(ConsoleSpanExporter()))
    trace.set_tracer_provider(provider)
    setup_logging(service_name, log_level)
    _provider = provider
    return provider


def shutdown_telemetry() -> None:
    """Flushes and closes the exporters (spans still queued are sent)."""
    if _provider is not None:
        _provider.shutdown()


def tracer(name: str) -> trace.Tracer:
    """A tracer for our own spans; attributes of ours use the `synthstudio.` prefix."""
    return trace.get_tracer(name)


class JsonFormatter(logging.Formatter):
    """One JSON object per line, carrying the current trace and span ids."""

    def __init__(self, service_name: str) -> None:
        super().__init__()
        self.service_name = service_name

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(record.created))
            + f".{int(record.msecs):03d}Z",
            "level": record.levelname,
            "service": self.service_name,
            "logger": record.name,
            "message": record.getMessage(),
        }
        context = trace.get_current_span().get_span_context()
        if context.is_valid:
            entry["trace_id"] = format(context.trace_id, "032x")
            entry["span_id"] = format(context.span_id, "016x")
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, default=str)


def setup_logging(service_name: str, level: str = "INFO") -> None:
    """Routes every logger to stderr as JSON lines."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonFormatter(service_name))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
