"""`make run`: migrates the database, then runs the five services and the gateway as separate
processes on the embedded defaults, until Ctrl-C (or SIGTERM) stops them all."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import grpc
from grpc_health.v1 import health_pb2, health_pb2_grpc

from synthstudio_libs.config import SERVICE_PORTS, ConfigError, Settings, load_settings
from synthstudio_libs.storage.cli import prepare_database

# The command that starts each component: the same one the container images run.
COMMANDS: dict[str, list[str]] = {
    **{service: ["-m", f"synthstudio_{service}"] for service in SERVICE_PORTS},
    "gateway": ["-m", "synthstudio_gateway"],
}
_READY_TIMEOUT_SECONDS = 120.0
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


def _stop(processes: dict[str, subprocess.Popen], grace: float) -> None:
    for process in processes.values():
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
    deadline = time.monotonic() + grace
    for process in processes.values():
        try:
            process.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _start_engine_hosts(settings: Settings, processes: dict[str, subprocess.Popen]) -> Settings:
    """Starts each engine host whose environment is installed and whose address is not set
    (an address set points at a host run elsewhere); the services find it by the address this
    puts in the environment they inherit."""
    for name, (python, command) in ENGINE_HOSTS.items():
        if settings.service_addr(name) or not python.exists():
            continue
        os.environ[f"SYNTHSTUDIO_{name.upper()}_ADDR"] = f"127.0.0.1:{settings.service_port(name)}"
        processes[name] = subprocess.Popen([str(python), *command])
    return load_settings()


def run(settings: Settings) -> int:
    prepare_database(settings)
    processes: dict[str, subprocess.Popen] = {}
    stopping = False

    def request_stop(*_args) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGINT, request_stop)
    signal.signal(signal.SIGTERM, request_stop)
    try:
        settings = _start_engine_hosts(settings, processes)
        for service in SERVICE_PORTS:
            processes[service] = subprocess.Popen([sys.executable, *COMMANDS[service]])
        for name, process in list(processes.items()):
            _wait_serving(settings, name, process)
        processes["gateway"] = subprocess.Popen([sys.executable, *COMMANDS["gateway"]])
        url = f"http://{settings.gateway_host}:{settings.gateway_port}"
        print(f"Synth Studio is up: {url} (API docs: {url}/docs). Ctrl-C stops it.", flush=True)
        while not stopping:
            exited = {name: p.returncode for name, p in processes.items() if p.poll() is not None}
            if exited:
                print(f"stopping: a component exited unexpectedly {exited}", file=sys.stderr)
                return 1
            time.sleep(0.3)
        return 0
    except RuntimeError as exc:
        print(f"synthstudio: {exc}", file=sys.stderr)
        return 1
    finally:
        _stop(processes, settings.shutdown_grace_seconds)


def main() -> None:
    try:
        settings = load_settings()
    except ConfigError as exc:
        print(f"synthstudio: {exc}", file=sys.stderr)
        sys.exit(2)
    os.environ.setdefault("PYTHONUNBUFFERED", "1")
    sys.exit(run(settings))


if __name__ == "__main__":
    main()
