"""A small unary call through the REST gateway vs the same call straight to the service.

Runs the suite as `make run` does (each component its own process), signs in, then prints p50
and p99 latency of sequential GetDataset calls made directly over gRPC and through the gateway,
their ratio (target <= 2), and requests/s through the gateway under concurrent load (target
>= 1,000 on a 2-core machine).

The throughput target was set on a machine where a bare sync gRPC round trip (a Python client
and server, no interceptors) ran 1,900 times a second. Machines of the same kind vary by 2x
from day to day, so the run also measures that bare round trip, first, and prints the
gateway's throughput against it: the target is the same ratio, 1,000 / 1,900.
"""

from __future__ import annotations

import contextlib
import http.client
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
from concurrent import futures

import grpc
import httpx
from grpc_health.v1 import health, health_pb2, health_pb2_grpc

from synthstudio.common.v1 import table_pb2
from synthstudio.synthesis.v1 import synthesis_service_pb2 as pb
from synthstudio.synthesis.v1 import synthesis_service_pb2_grpc
from synthstudio_libs.config import SERVICE_PORTS
from synthstudio_libs.grpc.credentials import bearer_credentials

SEQUENTIAL_CALLS = 2000
ROUNDS = 10
LOAD_SECONDS = 5.0
CONCURRENCY = 32
PASSWORD = "bench password 0123"
# Where the targets were set: 1,000 req/s through the gateway; 1,900 bare round trips/s.
TARGET_RATE = 1000.0
REFERENCE_ROUND_TRIPS = 1900.0


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_suite(
    overrides: dict[str, str] | None = None,
) -> tuple[subprocess.Popen, dict[str, str]]:
    """The suite on free ports with a fresh data dir; `overrides` replace settings."""
    env = {
        **os.environ,
        "SYNTHSTUDIO_DATA_DIR": tempfile.mkdtemp(prefix="synthstudio-bench-"),
        "SYNTHSTUDIO_GATEWAY_PORT": str(free_port()),
        "SYNTHSTUDIO_ADMIN_EMAIL": "bench@example.org",
        "SYNTHSTUDIO_ADMIN_PASSWORD": PASSWORD,
        "SYNTHSTUDIO_LOG_LEVEL": "WARNING",
        "SYNTHSTUDIO_RATE_LIMIT_STANDARD_PER_MINUTE": "1000000",
        **(overrides or {}),
    }
    for service in SERVICE_PORTS:
        port = free_port()
        env[f"SYNTHSTUDIO_{service.upper()}_PORT"] = str(port)
        env[f"SYNTHSTUDIO_{service.upper()}_ADDR"] = f"127.0.0.1:{port}"
    process = subprocess.Popen(
        [sys.executable, "-m", "synthstudio_libs.suite"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{env['SYNTHSTUDIO_GATEWAY_PORT']}"
    for _ in range(600):
        try:
            if httpx.get(f"{url}/healthz", timeout=1).status_code == 200:
                return process, {**env, "url": url}
        except httpx.HTTPError:
            pass
        time.sleep(0.3)
    process.terminate()
    raise RuntimeError("the suite did not start")


def percentiles(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    return statistics.median(ordered), ordered[int(len(ordered) * 0.99)]


def timed(call, count: int) -> list[float]:
    call()
    samples = []
    for _ in range(count):
        start = time.perf_counter()
        call()
        samples.append(time.perf_counter() - start)
    return samples


def interleaved(direct_call, gateway_call) -> tuple[tuple[float, float], tuple[float, float]]:
    """p50 and p99 of each kind of call, measured in alternating rounds so that the machine's
    speed drifting during the run (it does, by tens of percent) weighs on both alike."""
    direct: list[float] = []
    via_gateway: list[float] = []
    per_round = SEQUENTIAL_CALLS // ROUNDS
    for _ in range(ROUNDS):
        direct += timed(direct_call, per_round)
        via_gateway += timed(gateway_call, per_round)
    return percentiles(direct), percentiles(via_gateway)


def bare_round_trips(seconds: float = 3.0) -> float:
    """Round trips/s of sequential health checks from a sync Python client to a sync Python
    server with no interceptors, in this process: how fast this machine runs gRPC today."""
    server = grpc.server(futures.ThreadPoolExecutor(max_workers=4))
    health_pb2_grpc.add_HealthServicer_to_server(health.HealthServicer(), server)
    port = server.add_insecure_port("127.0.0.1:0")
    server.start()
    try:
        with grpc.insecure_channel(f"127.0.0.1:{port}") as channel:
            check = health_pb2_grpc.HealthStub(channel).Check
            request = health_pb2.HealthCheckRequest()
            check(request)
            done, start = 0, time.perf_counter()
            while time.perf_counter() - start < seconds:
                check(request)
                done += 1
            return done / (time.perf_counter() - start)
    finally:
        server.stop(grace=None)


def wrk_throughput(url: str, headers: dict[str, str]) -> float | None:
    """Requests/s measured by wrk (a C load generator, Debian package `wrk`), which leaves the
    two cores to the gateway and the service (a Python load generator would take most of
    one); None when wrk is not installed."""
    if shutil.which("wrk") is None:
        return None
    arguments = ["wrk", "-t1", f"-c{CONCURRENCY}", f"-d{LOAD_SECONDS:.0f}s"]
    for name, value in headers.items():
        arguments += ["-H", f"{name}: {value}"]
    output = subprocess.run([*arguments, url], capture_output=True, text=True, check=True).stdout
    match = re.search(r"Requests/sec:\s+([\d.]+)", output)
    if "Non-2xx" in output or match is None:
        raise RuntimeError(f"wrk saw failed requests:\n{output}")
    return float(match.group(1))


def rest_getter(url: str, path: str, headers: dict[str, str]):
    """A GET over one kept-alive HTTP/1.1 connection with the standard library's client: as
    lean on the client's side as grpc's C client is (httpx spends about 0.9 ms of CPU a call
    itself, twice as much), so that the latencies compare the gateway, not the clients."""
    parts = urllib.parse.urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port)

    def get() -> None:
        connection.request("GET", path, headers=headers)
        reply = connection.getresponse()
        reply.read()
        if reply.status != 200:
            raise RuntimeError(f"GET {path} answered {reply.status}")

    return get, connection


def main() -> None:
    reference = bare_round_trips()
    process, env = start_suite()
    try:
        url = env["url"]
        token = httpx.post(
            f"{url}/v1/auth/login", json={"email": "bench@example.org", "password": PASSWORD}
        ).json()["accessToken"]
        headers = {"authorization": f"Bearer {token}"}
        channel = grpc.intercept_channel(
            grpc.insecure_channel(env["SYNTHSTUDIO_SYNTHESIS_ADDR"]), bearer_credentials(token)
        )
        stub = synthesis_service_pb2_grpc.SynthesisServiceStub(channel)
        dataset = stub.CreateDataset(
            pb.CreateDatasetRequest(format=table_pb2.TABLE_FORMAT_CSV, content=b"a,b\n1,x\n")
        )
        request = pb.GetDatasetRequest(dataset_id=dataset.id)
        path = f"/v1/datasets/{dataset.id}"
        get, connection = rest_getter(url, path, headers)
        with contextlib.closing(connection):
            direct, via_gateway = interleaved(lambda: stub.GetDataset(request), get)
        wrk_rate = wrk_throughput(f"{url}{path}", headers)
    finally:
        process.terminate()
        process.wait()
    for label, (p50, p99) in (("direct gRPC", direct), ("via gateway", via_gateway)):
        print(f"{label}  GetDataset: p50 {p50 * 1e3:.3f} ms  p99 {p99 * 1e3:.3f} ms")
    print(f"p50 ratio gateway/direct: {via_gateway[0] / direct[0]:.2f}  (target <= 2)")
    print(
        f"bare sync gRPC round trips on this machine now: {reference:,.0f}/s "
        f"(where the targets were set: {REFERENCE_ROUND_TRIPS:,.0f}/s)"
    )
    if wrk_rate is None:
        print("install wrk (Debian package) to measure the throughput")
        return
    scaled_target = TARGET_RATE * reference / REFERENCE_ROUND_TRIPS
    print(
        f"gateway throughput ({CONCURRENCY} concurrent, wrk): {wrk_rate:,.0f} req/s  "
        f"(target >= {TARGET_RATE:,.0f} where bare round trips ran {REFERENCE_ROUND_TRIPS:,.0f}/s; "
        f"{scaled_target:,.0f} at this machine's speed now)"
    )
    print(
        f"gateway throughput / bare round trips: {wrk_rate / reference:.2f}  "
        f"(target >= {TARGET_RATE / REFERENCE_ROUND_TRIPS:.2f})"
    )


if __name__ == "__main__":
    main()
