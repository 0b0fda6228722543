"""`python -m synthstudio_libs.healthcheck`, what container HEALTHCHECKs and compose rely on."""

from __future__ import annotations

import subprocess
import sys
import threading
from concurrent import futures
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import grpc
import pytest
from grpc_health.v1 import health, health_pb2, health_pb2_grpc

from synthstudio_libs.config import load_settings
from synthstudio_libs.healthcheck import check
from tests.conftest import free_port


@pytest.fixture
def health_server():
    servicer = health.HealthServicer()
    server = grpc.server(futures.ThreadPoolExecutor(max_workers=2))
    health_pb2_grpc.add_HealthServicer_to_server(servicer, server)
    port = server.add_insecure_port("127.0.0.1:0")
    server.start()
    yield servicer, port
    server.stop(None)


def test_a_serving_service_is_healthy_and_exits_zero(health_server, tmp_path):
    servicer, port = health_server
    servicer.set("", health_pb2.HealthCheckResponse.SERVING)
    settings = load_settings(data_dir=tmp_path, host="0.0.0.0", pii_port=port)
    assert check("pii", settings) is None
    result = subprocess.run(
        [sys.executable, "-m", "synthstudio_libs.healthcheck", "pii"],
        env={"SYNTHSTUDIO_PII_PORT": str(port), "SYNTHSTUDIO_DATA_DIR": str(tmp_path)},
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert result.returncode == 0, result.stderr


def test_a_service_not_serving_or_not_there_is_unhealthy(health_server, tmp_path):
    servicer, port = health_server
    servicer.set("", health_pb2.HealthCheckResponse.NOT_SERVING)
    settings = load_settings(data_dir=tmp_path, llm_port=port)
    assert check("llm", settings) == f"llm at 127.0.0.1:{port} is NOT_SERVING"
    away = load_settings(data_dir=tmp_path, llm_port=free_port())
    assert "did not answer its health check (UNAVAILABLE)" in check("llm", away, timeout=1)


def test_the_gateway_is_healthy_when_it_answers_http(tmp_path):
    class OpenApi(BaseHTTPRequestHandler):
        def do_GET(self):
            self.send_response(200 if self.path == "/openapi.json" else 404)
            self.end_headers()

        def log_message(self, *_args):
            return None

    server = ThreadingHTTPServer(("127.0.0.1", 0), OpenApi)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        settings = load_settings(data_dir=tmp_path, gateway_port=server.server_port)
        assert check("gateway", settings) is None
    finally:
        server.shutdown()
        server.server_close()
    assert "did not answer" in check("gateway", settings, timeout=1)


def test_an_unknown_component_is_a_usage_error():
    result = subprocess.run(
        [sys.executable, "-m", "synthstudio_libs.healthcheck", "database"],
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert result.returncode == 2
    assert "usage: python -m synthstudio_libs.healthcheck synthesis|" in result.stderr
