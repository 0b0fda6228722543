"""A small unary call through the REST gateway vs the same call straight to the service.

Prints p50/p99 latency of each (sequential calls), their ratio (target <= 2), and requests/s
through the gateway under concurrent load (target >= 1,000 on a 2-core machine). The synthesis
and pii services run in this process; the gateway runs under uvicorn in its own process, as
`make run` runs it.
"""

from __future__ import annotations

import asyncio
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import grpc
import httpx

from synthstudio.common.v1 import table_pb2
from synthstudio.synthesis.v1 import synthesis_service_pb2 as pb
from synthstudio.synthesis.v1 import synthesis_service_pb2_grpc
from synthstudio_libs.config import load_settings
from synthstudio_libs.storage.database import create_engine, discover_components, migrate
from synthstudio_pii.server import create_server as create_pii
from synthstudio_synthesis.server import create_server as create_synthesis

SEQUENTIAL_CALLS = 2000
LOAD_SECONDS = 5.0
CONCURRENCY = 64


def start_services(data_dir: Path) -> tuple[str, list[grpc.Server]]:
    settings = load_settings(data_dir=data_dir)
    engine = create_engine(settings.resolved_database_url)
    migrate(engine, discover_components())
    engine.dispose()
    pii, pii_port = create_pii(settings, port=0)
    pii.start()
    settings = load_settings(data_dir=data_dir, pii_addr=f"127.0.0.1:{pii_port}")
    synthesis, port = create_synthesis(settings, port=0)
    synthesis.start()
    return f"127.0.0.1:{port}", [pii, synthesis]


def start_gateway(synthesis_addr: str, data_dir: Path, port: int) -> subprocess.Popen:
    env = {
        **os.environ,
        "SYNTHSTUDIO_SYNTHESIS_ADDR": synthesis_addr,
        "SYNTHSTUDIO_DATA_DIR": str(data_dir),
        "SYNTHSTUDIO_GATEWAY_PORT": str(port),
        "SYNTHSTUDIO_LOG_LEVEL": "WARNING",
    }
    process = subprocess.Popen([sys.executable, "-m", "synthstudio_gateway"], env=env)
    for _ in range(200):
        try:
            httpx.get(f"http://127.0.0.1:{port}/openapi.json", timeout=1)
            return process
        except httpx.HTTPError:
            time.sleep(0.1)
    raise RuntimeError("the gateway did not start")


def percentiles(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    return statistics.median(ordered), ordered[int(len(ordered) * 0.99)]


def direct_latencies(address: str, dataset_id: str) -> list[float]:
    with grpc.insecure_channel(address) as channel:
        stub = synthesis_service_pb2_grpc.SynthesisServiceStub(channel)
        request = pb.GetDatasetRequest(dataset_id=dataset_id)
        stub.GetDataset(request)
        samples = []
        for _ in range(SEQUENTIAL_CALLS):
            start = time.perf_counter()
            stub.GetDataset(request)
            samples.append(time.perf_counter() - start)
    return samples


def gateway_latencies(url: str) -> list[float]:
    with httpx.Client() as client:
        client.get(url).raise_for_status()
        samples = []
        for _ in range(SEQUENTIAL_CALLS):
            start = time.perf_counter()
            client.get(url)
            samples.append(time.perf_counter() - start)
    return samples


async def gateway_throughput(url: str) -> float:
    limits = httpx.Limits(max_connections=CONCURRENCY, max_keepalive_connections=CONCURRENCY)
    done = 0
    async with httpx.AsyncClient(limits=limits) as client:
        deadline = time.perf_counter() + LOAD_SECONDS

        async def worker() -> None:
            nonlocal done
            while time.perf_counter() < deadline:
                reply = await client.get(url)
                reply.raise_for_status()
                done += 1

        start = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(CONCURRENCY)))
        return done / (time.perf_counter() - start)


def main() -> None:
    data_dir = Path(tempfile.mkdtemp(prefix="synthstudio-bench-"))
    address, servers = start_services(data_dir)
    port = 18000 + os.getpid() % 1000
    gateway = start_gateway(address, data_dir, port)
    try:
        with grpc.insecure_channel(address) as channel:
            stub = synthesis_service_pb2_grpc.SynthesisServiceStub(channel)
            dataset = stub.CreateDataset(
                pb.CreateDatasetRequest(
                    format=table_pb2.TABLE_FORMAT_CSV, content=b"a,b\n1,x\n2,y\n"
                )
            )
        url = f"http://127.0.0.1:{port}/v1/datasets/{dataset.id}"
        direct_p50, direct_p99 = percentiles(direct_latencies(address, dataset.id))
        gateway_p50, gateway_p99 = percentiles(gateway_latencies(url))
        rate = asyncio.run(gateway_throughput(url))
    finally:
        gateway.terminate()
        gateway.wait()
        for server in servers:
            server.stop(None)
    for label, p50, p99 in (
        ("direct gRPC", direct_p50, direct_p99),
        ("via gateway", gateway_p50, gateway_p99),
    ):
        print(f"{label}  GetDataset: p50 {p50 * 1e3:.3f} ms  p99 {p99 * 1e3:.3f} ms")
    print(f"p50 ratio gateway/direct: {gateway_p50 / direct_p50:.2f}  (target <= 2)")
    print(f"gateway throughput ({CONCURRENCY} concurrent): {rate:,.0f} req/s  (target >= 1,000)")


if __name__ == "__main__":
    main()
