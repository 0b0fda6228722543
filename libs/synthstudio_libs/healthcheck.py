"""`python -m synthstudio_libs.healthcheck COMPONENT`: exits 0 when the component running beside
it is healthy, 1 (with the reason on stderr) when not, 2 on a usage or settings error.

A service is healthy when its gRPC health check answers SERVING; the gateway when it answers
HTTP on its port. Container HEALTHCHECKs and compose's `depends_on: service_healthy` use it;
Kubernetes probes the gRPC health service itself.
"""

from __future__ import annotations

import sys
import urllib.error
import urllib.request

import grpc
from grpc_health.v1 import health_pb2, health_pb2_grpc

from synthstudio_libs.config import SERVICE_PORTS, ConfigError, Settings, load_settings

TIMEOUT_SECONDS = 3.0


def _local(host: str) -> str:
    """Where to reach a server listening on `host` from the same machine."""
    return "127.0.0.1" if host in ("0.0.0.0", "", "::") else host


def check(component: str, settings: Settings, timeout: float = TIMEOUT_SECONDS) -> str | None:
    """None when `component` is healthy, else why not."""
    if component == "gateway":
        url = f"http://{_local(settings.gateway_host)}:{settings.gateway_port}/openapi.json"
        try:
            with urllib.request.urlopen(url, timeout=timeout) as reply:
                return None if reply.status == 200 else f"{url} answered HTTP {reply.status}"
        except (urllib.error.URLError, OSError) as exc:
            return f"{url} did not answer: {exc}"
    address = f"{_local(settings.host)}:{settings.service_port(component)}"
    with grpc.insecure_channel(address) as channel:
        try:
            reply = health_pb2_grpc.HealthStub(channel).Check(
                health_pb2.HealthCheckRequest(), timeout=timeout
            )
        except grpc.RpcError as exc:
            return f"{component} at {address} did not answer its health check ({exc.code().name})"
    if reply.status != health_pb2.HealthCheckResponse.SERVING:
        status = health_pb2.HealthCheckResponse.ServingStatus.Name(reply.status)
        return f"{component} at {address} is {status}"
    return None


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    components = [*SERVICE_PORTS, "gateway"]
    if len(args) != 1 or args[0] not in components:
        sys.stderr.write(f"usage: python -m synthstudio_libs.healthcheck {'|'.join(components)}\n")
        return 2
    try:
        settings = load_settings()
    except ConfigError as exc:
        sys.stderr.write(f"healthcheck: {exc}\n")
        return 2
    problem = check(args[0], settings)
    if problem:
        sys.stderr.write(f"healthcheck: {problem}\n")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
