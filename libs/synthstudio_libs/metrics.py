"""Metrics: OpenTelemetry instruments, served in the Prometheus text format on `/metrics`.

One call per process installs them: `setup_metrics(component, settings)` serves the endpoint on
the component's `SYNTHSTUDIO_<COMPONENT>_METRICS_PORT` (0, the default, leaves metrics off).
A gRPC service adds `server_metrics_interceptor()` to its server; the gateway wraps its app in
`HttpMetricsMiddleware`. Domain code counts what it does with the `record_*` functions, which
record nothing until `setup_metrics` has run, so calling them is always safe.

What is exported (Prometheus names):
- `rpc_server_call_duration_seconds` (histogram; rate, latency and errors by `rpc_service`,
  `rpc_method`, `rpc_response_status_code`) and `rpc_server_active_calls`;
- `http_server_request_duration_seconds` (histogram by `http_request_method`, `http_route`,
  `http_response_status_code`) and `http_server_active_requests`;
- `synthstudio_jobs` (jobs per `kind` and `state`, read from the jobs table on each scrape) and
  `synthstudio_job_duration_seconds` (histogram of the jobs this process ran, by end state);
- `synthstudio_rows_synthesized_total`, `synthstudio_privacy_epsilon_spent_total`,
  `synthstudio_privacy_budget_used_ratio` (per dataset), `synthstudio_llm_calls_total`,
  `synthstudio_llm_tokens_total`, `synthstudio_llm_fallbacks_total` and
  `synthstudio_llm_call_duration_seconds`.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from wsgiref.simple_server import WSGIServer

import grpc
import sqlalchemy as sa
from opentelemetry.exporter.prometheus import PrometheusMetricReader
from opentelemetry.metrics import (
    CallbackOptions,
    Counter,
    Histogram,
    Meter,
    NoOpMeter,
    Observation,
    Synchronous,
    UpDownCounter,
)
from opentelemetry.sdk.metrics import MeterProvider
from opentelemetry.sdk.resources import SERVICE_NAME, Resource
from prometheus_client import CollectorRegistry, start_http_server

from synthstudio_libs.config import SERVICE_PORTS, Settings
from synthstudio_libs.errors import SynthStudioError, canonical_code
from synthstudio_libs.grpc.binding import rpc_attributes, wrap_behavior
from synthstudio_libs.jobs.store import JobState, jobs, worker_identity
from synthstudio_libs.storage.database import create_engine
from synthstudio_libs.storage.util import as_utc, utcnow

log = logging.getLogger(__name__)

METER_NAME = "synthstudio"
METRICS_PATH = "/metrics"

# Bucket bounds in seconds: calls from milliseconds to a minute, jobs from a second to hours.
_CALL_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60]
_JOB_BUCKETS = [1, 5, 15, 30, 60, 120, 300, 600, 1800, 3600, 7200, 21600]
_LLM_BUCKETS = [0.1, 0.25, 0.5, 1, 2, 5, 10, 20, 40, 60, 120]
_HTTP_METHODS = {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"}


@dataclass(frozen=True)
class _Instruments:
    """Every instrument of a process, made from one meter (a no-op one until set up)."""

    rpc_duration: Histogram
    rpc_active: UpDownCounter
    http_duration: Histogram
    http_active: UpDownCounter
    job_duration: Histogram
    rows_synthesized: Counter
    epsilon_spent: Counter
    budget_used_ratio: Synchronous  # a synchronous gauge: `.set(value, attributes)`
    llm_calls: Counter
    llm_tokens: Counter
    llm_fallbacks: Counter
    llm_duration: Histogram

    @classmethod
    def create(cls, meter: Meter) -> _Instruments:
        return cls(
            rpc_duration=meter.create_histogram(
                "rpc.server.call.duration",
                unit="s",
                description="Duration of the gRPC calls this server handled.",
                explicit_bucket_boundaries_advisory=_CALL_BUCKETS,
            ),
            rpc_active=meter.create_up_down_counter(
                "rpc.server.active_calls", unit="{call}", description="gRPC calls in progress."
            ),
            http_duration=meter.create_histogram(
                "http.server.request.duration",
                unit="s",
                description="Duration of the HTTP requests the gateway handled.",
                explicit_bucket_boundaries_advisory=_CALL_BUCKETS,
            ),
            http_active=meter.create_up_down_counter(
                "http.server.active_requests",
                unit="{request}",
                description="HTTP requests in progress.",
            ),
            job_duration=meter.create_histogram(
                "synthstudio.job.duration",
                unit="s",
                description="Running time of the jobs this process ran, by end state.",
                explicit_bucket_boundaries_advisory=_JOB_BUCKETS,
            ),
            rows_synthesized=meter.create_counter(
                "synthstudio.rows.synthesized", unit="{row}", description="Synthetic rows sampled."
            ),
            epsilon_spent=meter.create_counter(
                "synthstudio.privacy.epsilon.spent",
                unit="1",
                description="Privacy budget (epsilon) spent from the ledger.",
            ),
            budget_used_ratio=meter.create_gauge(
                "synthstudio.privacy.budget.used_ratio",
                unit="1",
                description="Share of a dataset's epsilon budget already spent (0 to 1).",
            ),
            llm_calls=meter.create_counter(
                "synthstudio.llm.calls", unit="{call}", description="Calls to LLM providers."
            ),
            llm_tokens=meter.create_counter(
                "synthstudio.llm.tokens",
                unit="{token}",
                description="Tokens sent to and received from LLM providers.",
            ),
            llm_fallbacks=meter.create_counter(
                "synthstudio.llm.fallbacks",
                unit="{fallback}",
                description="Times a feature fell back from one LLM provider to another.",
            ),
            llm_duration=meter.create_histogram(
                "synthstudio.llm.call.duration",
                unit="s",
                description="Duration of calls to LLM providers.",
                explicit_bucket_boundaries_advisory=_LLM_BUCKETS,
            ),
        )


_NO_OP = _Instruments.create(NoOpMeter(METER_NAME))
_instruments = _NO_OP


# --- what domain code calls -------------------------------------------------------------------


def record_rows_synthesized(rows: int, *, synthesizer: str) -> None:
    """Counts synthetic rows sampled, by synthesizer type (`gaussian_copula`, `ctgan`, …)."""
    _instruments.rows_synthesized.add(rows, {"synthesizer": synthesizer})


def record_epsilon_spent(
    epsilon: float, *, dataset_id: str, spent_total: float, budget: float
) -> None:
    """Counts epsilon spent from a dataset's ledger and updates how much of its budget is used
    (`spent_total / budget`), which the "budget nearly spent" alert watches."""
    _instruments.epsilon_spent.add(epsilon)
    _instruments.budget_used_ratio.set(
        min(spent_total / budget, 1.0) if budget > 0 else 1.0, {"dataset_id": dataset_id}
    )


def record_llm_call(
    provider: str,
    *,
    feature: str,
    outcome: str,
    input_tokens: int = 0,
    output_tokens: int = 0,
    duration_seconds: float | None = None,
) -> None:
    """Counts one call to an LLM provider (`outcome`: how it ended, e.g. `success`,
    `rate_limited`, `timeout`, `cache_hit`) and its tokens."""
    attributes = {"provider": provider, "feature": feature}
    _instruments.llm_calls.add(1, {**attributes, "outcome": outcome})
    if input_tokens:
        _instruments.llm_tokens.add(input_tokens, {"provider": provider, "direction": "input"})
    if output_tokens:
        _instruments.llm_tokens.add(output_tokens, {"provider": provider, "direction": "output"})
    if duration_seconds is not None:
        _instruments.llm_duration.record(duration_seconds, {**attributes, "outcome": outcome})


def record_llm_fallback(from_provider: str, to_provider: str, *, reason: str) -> None:
    """Counts a feature falling back from one provider to the next (`reason`: a short code such
    as `rate_limited`, `unavailable`, `invalid_output`)."""
    _instruments.llm_fallbacks.add(
        1, {"provider": from_provider, "fallback_provider": to_provider, "reason": reason}
    )


# --- gRPC servers -------------------------------------------------------------------------------


def server_metrics_interceptor() -> grpc.ServerInterceptor:
    """The interceptor that times every call and records its status code. Place it outside the
    error-mapping interceptor so that it sees the codes clients get."""
    return RpcMetricsInterceptor()


def _status_name(context: grpc.ServicerContext, error: BaseException | None) -> str:
    if isinstance(error, SynthStudioError):
        return canonical_code(error)
    code = context.code()
    if code is not None:
        return code.name
    return "OK" if error is None else "UNKNOWN"


class RpcMetricsInterceptor(grpc.ServerInterceptor):
    """Records `rpc.server.call.duration` and `rpc.server.active_calls` for every call, by
    service, method and status code; streaming calls are timed until their last message."""

    def intercept_service(self, continuation, handler_call_details):
        attributes = rpc_attributes(handler_call_details.method)
        return wrap_behavior(
            continuation(handler_call_details),
            lambda behavior: _timed_unary(behavior, attributes),
            lambda behavior: _timed_stream(behavior, attributes),
        )


def _record_call(attributes: dict[str, str], started: float, status: str) -> None:
    instruments = _instruments
    instruments.rpc_active.add(-1, attributes)
    instruments.rpc_duration.record(
        time.perf_counter() - started, {**attributes, "rpc.response.status_code": status}
    )


def _timed_unary(behavior, attributes: dict[str, str]):
    def timed(request, context):
        started = time.perf_counter()
        _instruments.rpc_active.add(1, attributes)
        error: BaseException | None = None
        try:
            return behavior(request, context)
        except BaseException as exc:
            error = exc
            raise
        finally:
            _record_call(attributes, started, _status_name(context, error))

    return timed


def _timed_stream(behavior, attributes: dict[str, str]):
    def timed(request, context):
        started = time.perf_counter()
        _instruments.rpc_active.add(1, attributes)
        status = "UNKNOWN"
        try:
            yield from behavior(request, context)
            status = _status_name(context, None)
        except GeneratorExit:  # the client went away before the stream ended
            status = "CANCELLED"
            raise
        except BaseException as exc:
            status = _status_name(context, exc)
            raise
        finally:
            _record_call(attributes, started, status)

    return timed


# --- the gateway --------------------------------------------------------------------------------


class HttpMetricsMiddleware:
    """ASGI middleware recording `http.server.request.duration` by method, route template and
    status. Requests that match no route share the route `unmatched`, so that arbitrary paths
    cannot grow the number of series."""

    def __init__(self, app) -> None:
        self.app = app

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        method = scope["method"] if scope["method"] in _HTTP_METHODS else "_OTHER"
        active = {"http.request.method": method}
        response = ResponseStatus(send)
        instruments = _instruments
        instruments.http_active.add(1, active)
        started = time.perf_counter()
        try:
            await self.app(scope, receive, response.send)
        finally:
            route = getattr(scope.get("route"), "path", None) or "unmatched"
            instruments.http_active.add(-1, active)
            instruments.http_duration.record(
                time.perf_counter() - started,
                {**active, "http.route": route, "http.response.status_code": response.status},
            )


class ResponseStatus:
    """An ASGI `send` that keeps the status of the response it started (500 until then: an
    app that fails before answering is answered 500 by the server)."""

    def __init__(self, send) -> None:
        self._send = send
        self.status = 500

    async def send(self, message) -> None:
        if message["type"] == "http.response.start":
            self.status = message["status"]
        await self._send(message)


# --- jobs ---------------------------------------------------------------------------------------


class JobMetrics:
    """Job figures read from the jobs table at each scrape: how many jobs of this component's
    kinds are in each state, and the running time of the jobs this process finished.

    Reading the table rather than hooking the executor counts the same way whichever executor
    runs the jobs, and a job whose worker died (failed by the orphan sweep) is counted too.
    """

    def __init__(self, engine: sa.Engine, *, kind_prefix: str | None, worker: str) -> None:
        self._engine = engine
        self._kind_prefix = kind_prefix
        self._worker = worker
        # Only jobs that end after this process started are its own: a restarted container
        # can get the same host:pid identity as its predecessor.
        self._watermark: datetime = utcnow()
        self._seen_at_watermark: set[str] = set()
        self._lock = threading.Lock()

    def observe(self, _options: CallbackOptions) -> Iterable[Observation]:
        """The `synthstudio.jobs` gauge's callback; records finished jobs' durations first."""
        try:
            with self._lock, self._engine.connect() as connection:
                self._record_finished(connection)
                counts = self._count_by_state(connection) if self._kind_prefix is not None else {}
        except sa.exc.SQLAlchemyError as exc:
            log.warning("job metrics: cannot read the jobs table (%s)", exc.__class__.__name__)
            return []
        return [
            Observation(count, {"kind": kind, "state": state})
            for (kind, state), count in sorted(counts.items())
        ]

    def _count_by_state(self, connection: sa.Connection) -> dict[tuple[str, str], int]:
        query = (
            sa.select(jobs.c.kind, jobs.c.state, sa.func.count())
            .where(jobs.c.kind.startswith(self._kind_prefix, autoescape=True))
            .group_by(jobs.c.kind, jobs.c.state)
        )
        found = {(kind, state): count for kind, state, count in connection.execute(query)}
        # Every state of every known kind, zeros included, so series never vanish mid-alert.
        kinds = {kind for kind, _state in found}
        return {(k, s.value): found.get((k, s.value), 0) for k in kinds for s in JobState}

    def _record_finished(self, connection: sa.Connection) -> None:
        final = [s.value for s in JobState if s.is_final]
        rows = connection.execute(
            sa.select(jobs.c.id, jobs.c.kind, jobs.c.state, jobs.c.start_time, jobs.c.end_time)
            .where(
                jobs.c.worker == self._worker,
                jobs.c.state.in_(final),
                jobs.c.end_time >= self._watermark,
            )
            .order_by(jobs.c.end_time)
        ).all()
        for row in rows:
            if row.id in self._seen_at_watermark:
                continue
            end = as_utc(row.end_time)
            start = as_utc(row.start_time) or end
            _instruments.job_duration.record(
                max((end - start).total_seconds(), 0.0), {"kind": row.kind, "state": row.state}
            )
            if end > self._watermark:
                self._watermark, self._seen_at_watermark = end, set()
            self._seen_at_watermark.add(row.id)


# --- the endpoint -------------------------------------------------------------------------------


class MetricsEndpoint:
    """This process's `/metrics` server and meter provider; `shutdown()` stops both."""

    def __init__(
        self, provider: MeterProvider, server: WSGIServer, engine: sa.Engine | None
    ) -> None:
        self.provider = provider
        self._server = server
        self._engine = engine

    @property
    def port(self) -> int:
        return self._server.server_port

    def shutdown(self) -> None:
        global _instruments
        _instruments = _NO_OP
        self._server.shutdown()
        self._server.server_close()
        self.provider.shutdown()
        if self._engine is not None:
            self._engine.dispose()


def metrics_port(settings: Settings, component: str) -> int:
    """The port of a component's `/metrics` endpoint; 0 means metrics are off."""
    return getattr(settings, f"{component}_metrics_port")


def setup_metrics(
    component: str, settings: Settings, *, port: int | None = None
) -> MetricsEndpoint | None:
    """Installs this process's instruments and serves them on `/metrics` (any path, in fact).

    `component` is a service name, `gateway` or `worker`. The port is the component's
    `SYNTHSTUDIO_<COMPONENT>_METRICS_PORT` (0 there: metrics off, returns None) unless `port`
    is given (0 then picks a free port). Services also export their jobs' figures; a worker
    exports the durations of the jobs it ran. Raises OSError if the port is taken.
    """
    global _instruments
    if port is None:
        port = metrics_port(settings, component)
        if port == 0:
            return None
    registry = CollectorRegistry()
    service_name = os.environ.get("OTEL_SERVICE_NAME") or f"synthstudio-{component}"
    provider = MeterProvider(
        resource=Resource.create({SERVICE_NAME: service_name}),
        metric_readers=[PrometheusMetricReader(registry=registry, scope_info_enabled=False)],
    )
    meter = provider.get_meter(METER_NAME)
    engine = None
    if component in SERVICE_PORTS or component == "worker":
        engine = create_engine(settings.resolved_database_url)
        job_metrics = JobMetrics(
            engine,
            kind_prefix=f"{component}." if component in SERVICE_PORTS else None,
            worker=worker_identity(),
        )
        meter.create_observable_gauge(
            "synthstudio.jobs",
            callbacks=[job_metrics.observe],
            unit="{job}",
            description="Jobs of this component's kinds in each state.",
        )
    host = settings.gateway_host if component == "gateway" else settings.host
    try:
        server, _thread = start_http_server(port, addr=host, registry=registry)
    except OSError as exc:
        provider.shutdown()
        if engine is not None:
            engine.dispose()
        raise OSError(
            f"{component}: cannot serve metrics on {host}:{port} ({exc.strerror}); set "
            f"SYNTHSTUDIO_{component.upper()}_METRICS_PORT to a free port, or 0 to turn them off"
        ) from exc
    _instruments = _Instruments.create(meter)
    log.info("%s metrics on http://%s:%d%s", component, host, server.server_port, METRICS_PATH)
    return MetricsEndpoint(provider, server, engine)
