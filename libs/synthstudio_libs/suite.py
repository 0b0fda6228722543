"""`make run`: migrates the database, then runs the five services and the gateway as separate
processes on the embedded defaults, until Ctrl-C (or SIGTERM) stops them all.

The terminal shows what a person needs: a short banner once everything answers, a component
restarted (with backoff) after it died, and the components' warnings and errors. Everything each
component logs goes to `<data_dir>/logs/<component>.log`, and the suite's own lines also to
`suite.log` there.
"""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TextIO

import grpc
from grpc_health.v1 import health_pb2, health_pb2_grpc

from synthstudio_libs.config import SERVICE_PORTS, ConfigError, Settings, load_settings
from synthstudio_libs.lifetime import SUPERVISOR_PID_VARIABLE
from synthstudio_libs.storage.cli import prepare_database

# The command that starts each component: the same one the container images run.
COMMANDS: dict[str, list[str]] = {
    **{service: ["-m", f"synthstudio_{service}"] for service in SERVICE_PORTS},
    "gateway": ["-m", "synthstudio_gateway"],
}
_READY_TIMEOUT_SECONDS = 120.0
# A component that dies is started again after 1 s, then 2, 4... at most 30 s apart; one that
# has run this long since its last start is taken to be healthy again (back to 1 s).
_RESTART_FIRST_SECONDS = 1.0
_RESTART_MAX_SECONDS = 30.0
_STABLE_SECONDS = 60.0
# Component log lines shown in the terminal too: JSON records at these levels, and lines that
# are not JSON (a traceback), except gRPC core's own INFO and WARNING lines.
_SHOWN_LEVELS = frozenset({"WARNING", "ERROR", "CRITICAL"})
_GRPC_CORE_CHATTER = re.compile(r"^[IW]\d{4} ")
# Engine hosts run from environments of their own (`make install` builds them beside .venv):
# the address setting each one is reached at, its interpreter, and its command.
ENGINE_HOSTS: dict[str, tuple[Path, list[str]]] = {
    "engine_tabular_argn": (
        Path(sys.prefix).parent / ".venvs" / "engine-tabular-argn" / "bin" / "python",
        ["-m", "synthstudio_engine_tabular_argn"],
    ),
}


def _wait_serving(settings: Settings, service: str, process: subprocess.Popen) -> None:
    deadline = time.monotonic() + _READY_TIMEOUT_SECONDS
    with grpc.insecure_channel(settings.service_addr(service)) as channel:
        stub = health_pb2_grpc.HealthStub(channel)
        while time.monotonic() < deadline:
            if process.poll() is not None:
                raise RuntimeError(f"{service} exited with code {process.returncode}")
            try:
                reply = stub.Check(health_pb2.HealthCheckRequest(), timeout=1.0)
                if reply.status == health_pb2.HealthCheckResponse.SERVING:
                    return
            except grpc.RpcError:
                time.sleep(0.2)
    raise RuntimeError(f"{service} did not become healthy within {_READY_TIMEOUT_SECONDS:.0f}s")


class Supervisor:
    """Starts components with their output in log files, restarts one that dies (with
    backoff), and stops them all."""

    def __init__(self, logs: Path) -> None:
        logs.mkdir(parents=True, exist_ok=True)
        self.logs = logs
        self.components: dict[str, Component] = {}
        self.stopping = False
        self._suite_log = (logs / "suite.log").open("a", encoding="utf-8")

    def say(self, text: str) -> None:
        """A line for the person running the suite, also kept in suite.log."""
        print(text, file=sys.stderr, flush=True)
        stamp = datetime.now(UTC).isoformat(timespec="seconds")
        for line in text.splitlines():
            self._suite_log.write(f"{stamp} {line}\n")
        self._suite_log.flush()

    def start(self, name: str, argv: list[str]) -> subprocess.Popen:
        # A session of its own: Ctrl-C in the terminal reaches the suite only, which stops
        # each component gracefully (no KeyboardInterrupt tracebacks from six processes).
        process = subprocess.Popen(
            argv,
            env={**os.environ, SUPERVISOR_PID_VARIABLE: str(os.getpid())},
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        log = (self.logs / f"{name}.log").open("a", encoding="utf-8")
        threading.Thread(target=_pump, args=(name, process.stdout, log), daemon=True).start()
        component = self.components.setdefault(name, Component(name, argv, process))
        component.process, component.started = process, time.monotonic()
        return process

    def watch(self) -> None:
        """Restarts every component that died, once its backoff has passed."""
        now = time.monotonic()
        for component in self.components.values():
            process = component.process
            if component.restart_at is None and process.poll() is not None:
                if now - component.started >= _STABLE_SECONDS:
                    component.backoff = _RESTART_FIRST_SECONDS
                component.restart_at = now + component.backoff
                self.say(
                    f"synthstudio: {component.name} exited with code {process.returncode}; "
                    f"restarting it in {component.backoff:.0f}s "
                    f"(see {self.logs / component.name}.log)"
                )
                component.backoff = min(component.backoff * 2, _RESTART_MAX_SECONDS)
            elif component.restart_at is not None and now >= component.restart_at:
                component.restart_at = None
                component.restarts += 1
                self.start(component.name, component.argv)
                self.say(f"synthstudio: {component.name} restarted (restart {component.restarts})")

    def stop(self, grace: float) -> None:
        running = [c.process for c in self.components.values() if c.process.poll() is None]
        for process in running:
            process.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + grace
        for process in running:
            try:
                process.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        self._suite_log.close()


@dataclass
class Component:
    name: str
    argv: list[str]
    process: subprocess.Popen
    started: float = 0.0
    restarts: int = 0
    backoff: float = _RESTART_FIRST_SECONDS
    restart_at: float | None = None


def _pump(name: str, output, log: TextIO) -> None:
    """Copies a component's output to its log file, and what a person should see to stderr."""
    with log:
        for line in iter(output.readline, b""):
            text = line.decode("utf-8", errors="replace")
            log.write(text)
            log.flush()
            shown = _shown(text)
            if shown:
                print(f"[{name}] {shown}", file=sys.stderr, flush=True)


def _shown(line: str) -> str | None:
    text = line.rstrip()
    if not text:
        return None
    try:
        record = json.loads(text)
    except ValueError:
        return None if _GRPC_CORE_CHATTER.match(text) else text
    if not isinstance(record, dict):
        return text
    level = str(record.get("level", "")).upper()
    return f"{level} {record.get('message', '')}" if level in _SHOWN_LEVELS else None


def _start_engine_hosts(supervisor: Supervisor, settings: Settings) -> Settings:
    """Starts each engine host whose environment is installed and whose address is not set
    (an address set points at a host run elsewhere); the services find it by the address this
    puts in the environment they inherit."""
    for name, (python, command) in ENGINE_HOSTS.items():
        if settings.service_addr(name) or not python.exists():
            continue
        os.environ[f"SYNTHSTUDIO_{name.upper()}_ADDR"] = f"127.0.0.1:{settings.service_port(name)}"
        supervisor.start(name, [str(python), *command])
    return load_settings()


def banner(settings: Settings, logs: Path) -> str:
    url = f"http://{settings.gateway_host}:{settings.gateway_port}"
    password = (
        "SYNTHSTUDIO_ADMIN_PASSWORD"
        if settings.admin_password
        else "the one-time password printed above when the database was created"
    )
    return "\n".join(
        [
            "",
            "Synth Studio is up",
            f"  web console and REST API  {url}   (API docs: {url}/docs)",
            f"  CLI and SDK (gRPC)        synthstudio --url {settings.service_addr('synthesis')}",
            f"  sign in as                {settings.admin_email} with {password}",
            f"  logs                      {logs}/<component>.log",
            "  Ctrl-C stops it.",
            "",
        ]
    )


def run(settings: Settings) -> int:
    prepare_database(settings)
    supervisor = Supervisor(settings.data_dir / "logs")

    def request_stop(*_args) -> None:
        supervisor.stopping = True

    for stop_signal in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(stop_signal, request_stop)
    try:
        settings = _start_engine_hosts(supervisor, settings)
        for service in SERVICE_PORTS:
            supervisor.start(service, [sys.executable, *COMMANDS[service]])
        # Engine hosts are not waited for: one loads its libraries for a minute or more on a
        # busy machine, and until it answers its kinds are simply unavailable (ListEngines says
        # so, `auto` falls back). It is still restarted with the rest if it exits.
        for service in SERVICE_PORTS:
            _wait_serving(settings, service, supervisor.components[service].process)
        supervisor.start("gateway", [sys.executable, *COMMANDS["gateway"]])
        supervisor.say(banner(settings, supervisor.logs))
        while not supervisor.stopping:
            supervisor.watch()
            time.sleep(0.3)
        supervisor.say("synthstudio: stopping")
        return 0
    except RuntimeError as exc:
        supervisor.say(f"synthstudio: {exc} (see {supervisor.logs})")
        return 1
    finally:
        supervisor.stop(settings.shutdown_grace_seconds)


def main() -> None:
    try:
        settings = load_settings()
    except ConfigError as exc:
        print(f"synthstudio: {exc}", file=sys.stderr)
        sys.exit(2)
    os.environ.setdefault("PYTHONUNBUFFERED", "1")
    try:
        sys.exit(run(settings))
    except KeyboardInterrupt:
        # Ctrl-C before the components started (while migrating): nothing to stop.
        sys.exit(130)


if __name__ == "__main__":
    main()
