"""Fixtures shared by every test: settings on a temporary data dir, real databases, and the
spans this process makes."""

from __future__ import annotations

import contextlib
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from concurrent import futures
from pathlib import Path

import grpc
import httpx
import pytest
import sqlalchemy as sa
from opentelemetry import trace
from opentelemetry.proto.collector.trace.v1 import trace_service_pb2, trace_service_pb2_grpc
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

from synthstudio_libs.config import SERVICE_PORTS, Settings, load_settings
from synthstudio_libs.storage.database import create_engine, discover_components, migrate

POSTGRES_ADMIN_URL = os.environ.get(
    "SYNTHSTUDIO_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def postgres_reachable() -> str | None:
    """None when the PostgreSQL test server answers, else why not."""
    try:
        engine = sa.create_engine(POSTGRES_ADMIN_URL)
        with engine.connect():
            pass
        engine.dispose()
    except Exception as exc:
        return f"PostgreSQL at {POSTGRES_ADMIN_URL} is not reachable: {exc.__class__.__name__}"
    return None


@pytest.fixture(scope="session")
def postgres_url():
    """A fresh PostgreSQL database for this test session, dropped afterwards."""
    reason = postgres_reachable()
    if reason:
        pytest.skip(reason)
    name = f"synthstudio_test_{secrets.token_hex(4)}"
    admin = sa.create_engine(POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.exec_driver_sql(f'CREATE DATABASE "{name}"')
    url = sa.make_url(POSTGRES_ADMIN_URL).set(database=name).render_as_string(hide_password=False)
    yield url
    with admin.connect() as connection:
        connection.exec_driver_sql(f'DROP DATABASE "{name}" WITH (FORCE)')
    admin.dispose()


@pytest.fixture(params=["sqlite", "postgres"])
def database_url(request, tmp_path):
    """The same test on SQLite and on the real PostgreSQL."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'test.db'}"
    return request.getfixturevalue("postgres_url")


@pytest.fixture
def engine(database_url):
    engine = create_engine(database_url)
    migrate(engine, discover_components())
    yield engine
    if engine.dialect.name == "postgresql":
        _truncate_all(engine)
    engine.dispose()


def _truncate_all(engine: sa.Engine) -> None:
    names = sa.inspect(engine).get_table_names()
    data_tables = [n for n in names if not n.startswith("alembic_version")]
    if data_tables:
        with engine.begin() as connection:
            # The audit log refuses TRUNCATE by trigger; the test's superuser skips triggers.
            connection.exec_driver_sql("SET LOCAL session_replication_role = replica")
            connection.exec_driver_sql("TRUNCATE " + ", ".join(f'"{n}"' for n in data_tables))
            # What the migrations seed, as a fresh database has it (core_0006).
            connection.exec_driver_sql(
                "INSERT INTO projects (id, name, create_time) "
                "VALUES ('default', 'default', CURRENT_TIMESTAMP)"
            )


@pytest.fixture
def settings(tmp_path) -> Settings:
    """Settings for one test: SQLite and artifacts in a temporary directory, migrated."""
    settings = load_settings(data_dir=tmp_path / "data")
    settings.data_dir.mkdir(parents=True)
    engine = create_engine(settings.resolved_database_url)
    migrate(engine, discover_components())
    engine.dispose()
    return settings


# The whole suite, started the way `make run` starts it (separate processes), with an OTLP
# receiver collecting the spans every process exports: shared by the e2e and CLI tests.
_START_TIMEOUT_SECONDS = 180
ADMIN_EMAIL = "admin@example.org"
ADMIN_PASSWORD = "e2e admin password"


class SpanCollector(trace_service_pb2_grpc.TraceServiceServicer):
    """An OTLP/gRPC trace receiver keeping every span with its service name."""

    def __init__(self) -> None:
        self.spans: list[tuple[str, object]] = []
        self._lock = threading.Lock()

    def Export(self, request, context):
        with self._lock:
            for resource_spans in request.resource_spans:
                attributes = {
                    a.key: a.value.string_value for a in resource_spans.resource.attributes
                }
                service = attributes.get("service.name", "")
                for scope in resource_spans.scope_spans:
                    self.spans.extend((service, span) for span in scope.spans)
        return trace_service_pb2.ExportTraceServiceResponse()

    def snapshot(self):
        with self._lock:
            return list(self.spans)


@pytest.fixture(scope="session")
def collector():
    servicer = SpanCollector()
    server = grpc.server(futures.ThreadPoolExecutor(max_workers=4))
    trace_service_pb2_grpc.add_TraceServiceServicer_to_server(servicer, server)
    port = server.add_insecure_port("127.0.0.1:0")
    server.start()
    yield servicer, f"http://127.0.0.1:{port}"
    server.stop(None)


@pytest.fixture(scope="session")
def suite(collector, tmp_path_factory):
    """Runs `python -m synthstudio_libs.suite` (what `make run` runs) on free ports."""
    _collector, endpoint = collector
    env = {
        **os.environ,
        "SYNTHSTUDIO_DATA_DIR": str(tmp_path_factory.mktemp("suite-data")),
        "SYNTHSTUDIO_GATEWAY_PORT": str(free_port()),
        "OTEL_EXPORTER_OTLP_ENDPOINT": endpoint,
        "OTEL_EXPORTER_OTLP_INSECURE": "true",
        "OTEL_BSP_SCHEDULE_DELAY": "200",
        "PYTHONUNBUFFERED": "1",
        "SYNTHSTUDIO_ADMIN_EMAIL": ADMIN_EMAIL,
        "SYNTHSTUDIO_ADMIN_PASSWORD": ADMIN_PASSWORD,
    }
    for service in SERVICE_PORTS:
        port = free_port()
        env[f"SYNTHSTUDIO_{service.upper()}_PORT"] = str(port)
        env[f"SYNTHSTUDIO_{service.upper()}_ADDR"] = f"127.0.0.1:{port}"
    # The suite starts the TabularARGN engine host (built by `make install`) on this port.
    env["SYNTHSTUDIO_ENGINE_TABULAR_ARGN_PORT"] = str(free_port())
    log = tmp_path_factory.mktemp("suite-log") / "suite.log"
    _SUITE_LOGS.append(log)
    with log.open("wb") as output:
        process = subprocess.Popen(
            [sys.executable, "-m", "synthstudio_libs.suite"],
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    base_url = f"http://127.0.0.1:{env['SYNTHSTUDIO_GATEWAY_PORT']}"
    try:
        _wait_healthy(base_url, process, log)
        yield base_url, env
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()


# The running suite's log, shown beside a failed test that used it: what a server did while a
# test waited (a stuck job, an error) is otherwise lost with the temporary directory.
_SUITE_LOGS: list = []
_SUITE_LOG_TAIL_BYTES = 6000


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    if report.failed and "suite" in getattr(item, "fixturenames", ()) and _SUITE_LOGS:
        tail = _SUITE_LOGS[-1].read_bytes()[-_SUITE_LOG_TAIL_BYTES:]
        report.sections.append(("suite log (tail)", tail.decode("utf-8", "replace")))
        suite = item.funcargs.get("suite")
        stacks = running_job_stacks(suite[1]) if suite else ""
        if stacks:
            report.sections.append(("stacks of the jobs still running", stacks))
    return report


def service_pid(service: str, env: dict[str, str]) -> int | None:
    """The process of `service` that the suite started with `env` (found by its port in its
    environment)."""
    wanted = f"SYNTHSTUDIO_{service.upper()}_PORT={env[f'SYNTHSTUDIO_{service.upper()}_PORT']}"
    for proc in Path("/proc").glob("[0-9]*"):
        try:
            command = (proc / "cmdline").read_bytes().split(b"\0")
            if f"synthstudio_{service}".encode() not in command:
                continue
            if wanted.encode() in (proc / "environ").read_bytes().split(b"\0"):
                return int(proc.name)
        except (FileNotFoundError, PermissionError, ProcessLookupError):
            continue
    return None


def running_job_stacks(env: dict[str, str]) -> str:
    """The stacks of the threads running jobs in the suite's services, which dump every
    thread's stack to their log on SIGUSR1: where a stuck job waits."""
    logs = Path(env["SYNTHSTUDIO_DATA_DIR"]) / "logs"
    sizes = {}
    for service in SERVICE_PORTS:
        pid, log = service_pid(service, env), logs / f"{service}.log"
        if pid is not None and log.exists():
            sizes[service] = log.stat().st_size
            os.kill(pid, signal.SIGUSR1)
    time.sleep(1)
    found = []
    for service, size in sizes.items():
        dump = (logs / f"{service}.log").read_bytes()[size:].decode("utf-8", "replace")
        threads = re.split(r"\n(?=Thread 0x|Current thread 0x)", dump)
        found += [f"{service}: {thread}" for thread in threads if "in run_job" in thread]
    return "\n".join(found)


@contextlib.contextmanager
def gateway_process(env: dict[str, str], **settings: str) -> Iterator[tuple[str, subprocess.Popen]]:
    """A gateway of its own in front of the running suite's services (`env` from the `suite`
    fixture), with `settings` on top: for tests that need to configure or kill a gateway."""
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "synthstudio_gateway"],
        env={
            **env,
            "SYNTHSTUDIO_GATEWAY_PORT": str(port),
            "OTEL_EXPORTER_OTLP_ENDPOINT": "",
            **settings,
        },
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_healthy(url, process, None)
        yield url, process
    finally:
        process.terminate()
        process.wait(timeout=10)


def _wait_healthy(base_url: str, process: subprocess.Popen, log) -> None:
    deadline = time.monotonic() + _START_TIMEOUT_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"{base_url} exited early:\n{_tail(log)}")
        try:
            if httpx.get(f"{base_url}/healthz", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.5)
    raise AssertionError(f"{base_url} did not become healthy:\n{_tail(log)}")


def _tail(log) -> str:
    return log.read_text()[-4000:] if log is not None else "(no log)"


@pytest.fixture(scope="session")
def anonymous_http(suite):
    base_url, _env = suite
    with httpx.Client(base_url=base_url, timeout=60) as client:
        yield client


@pytest.fixture(scope="session")
def admin_token(anonymous_http):
    reply = anonymous_http.post(
        "/v1/auth/login", json={"email": ADMIN_EMAIL, "password": ADMIN_PASSWORD}
    )
    assert reply.status_code == 200, reply.text
    return reply.json()["accessToken"]


@pytest.fixture(scope="session")
def editor_token(anonymous_http, admin_token):
    """A user with the editor role, created by the administrator through the API."""
    headers = {"authorization": f"Bearer {admin_token}"}
    user = {"email": "editor@example.org", "password": "e2e editor password", "role": "ROLE_EDITOR"}
    created = anonymous_http.post("/v1/users", json=user, headers=headers)
    assert created.status_code == 200, created.text
    reply = anonymous_http.post(
        "/v1/auth/login", json={"email": user["email"], "password": user["password"]}
    )
    return reply.json()["accessToken"]


@pytest.fixture(scope="session")
def admin_http(suite, admin_token):
    """A client that calls as an admin (who may read synthetic data before its release)."""
    base_url, _env = suite
    headers = {"authorization": f"Bearer {admin_token}"}
    with httpx.Client(base_url=base_url, timeout=60, headers=headers) as client:
        yield client


@pytest.fixture(scope="session")
def http(suite, editor_token):
    """A client that calls as an editor."""
    base_url, _env = suite
    headers = {"authorization": f"Bearer {editor_token}"}
    with httpx.Client(base_url=base_url, timeout=60, headers=headers) as client:
        yield client


@pytest.fixture
def spans():
    """The spans this process ends from now on, through the global tracer provider."""
    provider = trace.get_tracer_provider()
    if not isinstance(provider, TracerProvider):
        provider = TracerProvider()
        trace.set_tracer_provider(provider)
    exporter = InMemorySpanExporter()
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    yield exporter
    exporter.shutdown()
