"""Metrics set-up, the gateway's HTTP middleware and the domain counters, scraped over HTTP."""

from __future__ import annotations

import socket
import urllib.request

import pytest
from prometheus_client.parser import text_string_to_metric_families
from starlette.applications import Starlette
from starlette.responses import JSONResponse
from starlette.routing import Route
from starlette.testclient import TestClient

from synthstudio_libs import metrics
from synthstudio_libs.config import load_settings
from synthstudio_llm.assistant import CallOutcome, CallRecord
from synthstudio_llm.core import record_provider_calls


def _samples(port: int) -> list:
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=5) as reply:
        text = reply.read().decode()
    return [s for family in text_string_to_metric_families(text) for s in family.samples]


def _value(samples, name: str, **labels) -> float:
    matching = [
        s.value
        for s in samples
        if s.name == name and all(s.labels.get(k) == v for k, v in labels.items())
    ]
    assert len(matching) == 1, f"{name}{labels}: {len(matching)} samples"
    return matching[0]


@pytest.fixture
def gateway_endpoint(tmp_path):
    endpoint = metrics.setup_metrics("gateway", load_settings(data_dir=tmp_path), port=0)
    yield endpoint
    endpoint.shutdown()


def test_metrics_are_off_unless_a_port_is_set(tmp_path):
    settings = load_settings(data_dir=tmp_path)
    assert settings.synthesis_metrics_port == 0
    assert metrics.setup_metrics("synthesis", settings) is None
    # Recording without an endpoint is a no-op, never an error.
    metrics.record_rows_synthesized(5, synthesizer="gaussian_copula")


def test_a_taken_port_names_the_setting_to_change(tmp_path):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        settings = load_settings(data_dir=tmp_path, gateway_host="127.0.0.1")
        with pytest.raises(OSError, match="SYNTHSTUDIO_GATEWAY_METRICS_PORT"):
            metrics.setup_metrics("gateway", settings, port=port)


def test_http_middleware_records_route_templates_and_statuses(gateway_endpoint):
    async def dataset(request):
        if request.path_params["name"] == "missing":
            return JSONResponse({"detail": "no such dataset"}, status_code=404)
        return JSONResponse({"name": request.path_params["name"]})

    app = Starlette(routes=[Route("/v1/datasets/{name}", dataset, methods=["GET"])])
    app.add_middleware(metrics.HttpMetricsMiddleware)
    with TestClient(app) as client:
        assert client.get("/v1/datasets/ds_1").status_code == 200
        assert client.get("/v1/datasets/ds_2").status_code == 200
        assert client.get("/v1/datasets/missing").status_code == 404
        assert client.get("/no/such/path/ds_3").status_code == 404

    samples = _samples(gateway_endpoint.port)
    count = "http_server_request_duration_seconds_count"
    route = {"http_request_method": "GET", "http_route": "/v1/datasets/{name}"}
    assert _value(samples, count, **route, http_response_status_code="200") == 2
    assert _value(samples, count, **route, http_response_status_code="404") == 1
    assert _value(samples, count, http_route="unmatched", http_response_status_code="404") == 1
    assert not [s for s in samples if "ds_1" in s.labels.get("http_route", "")]
    assert _value(samples, "http_server_active_requests", http_request_method="GET") == 0


def test_domain_counters_reach_the_endpoint(gateway_endpoint):
    metrics.record_rows_synthesized(1000, synthesizer="ctgan")
    metrics.record_rows_synthesized(500, synthesizer="ctgan")
    metrics.record_epsilon_spent(1.5, dataset_id="ds_a", spent_total=9.5, budget=10.0)
    metrics.record_epsilon_spent(0.5, dataset_id="ds_b", spent_total=0.5, budget=0.0)
    metrics.record_llm_call(
        "groq",
        feature="explain_report",
        outcome="ok",
        input_tokens=120,
        output_tokens=80,
        duration_seconds=0.8,
    )
    metrics.record_llm_call("groq", feature="explain_report", outcome="error")
    metrics.record_llm_fallback("groq", "gemini", reason="rate_limited")

    samples = _samples(gateway_endpoint.port)
    assert _value(samples, "synthstudio_rows_synthesized_total", synthesizer="ctgan") == 1500
    assert _value(samples, "synthstudio_privacy_epsilon_spent_total") == 2.0
    ratio = "synthstudio_privacy_budget_used_ratio"
    assert _value(samples, ratio, dataset_id="ds_a") == pytest.approx(0.95)
    assert _value(samples, ratio, dataset_id="ds_b") == 1.0  # a zero budget is all spent
    calls = "synthstudio_llm_calls_total"
    assert _value(samples, calls, provider="groq", outcome="ok") == 1
    assert _value(samples, calls, provider="groq", outcome="error") == 1
    tokens = "synthstudio_llm_tokens_total"
    assert _value(samples, tokens, provider="groq", direction="input") == 120
    assert _value(samples, tokens, provider="groq", direction="output") == 80
    duration = "synthstudio_llm_call_duration_seconds_sum"
    assert _value(samples, duration, provider="groq", outcome="ok") == pytest.approx(0.8)
    fallbacks = "synthstudio_llm_fallbacks_total"
    assert _value(samples, fallbacks, provider="groq", fallback_provider="gemini") == 1
    assert _value(samples, "target_info", service_name="synthstudio-gateway") == 1


def test_the_assistants_provider_calls_and_fallbacks_are_counted(gateway_endpoint):
    calls = [
        CallRecord("groq", "llama", CallOutcome.SERVER_ERROR, status_code=500, latency_ms=40),
        CallRecord("gemini", "flash", CallOutcome.RATE_LIMITED, status_code=429, latency_ms=30),
        CallRecord(
            "offline",
            "rules",
            CallOutcome.SUCCESS,
            prompt_tokens=50,
            completion_tokens=20,
            latency_ms=5,
        ),
    ]
    record_provider_calls("explain_evaluation", calls)
    samples = _samples(gateway_endpoint.port)
    counted = "synthstudio_llm_calls_total"
    assert _value(samples, counted, provider="groq", outcome="server_error") == 1
    assert _value(samples, counted, provider="offline", outcome="success") == 1
    tokens = "synthstudio_llm_tokens_total"
    assert _value(samples, tokens, provider="offline", direction="input") == 50
    fallbacks = "synthstudio_llm_fallbacks_total"
    assert _value(samples, fallbacks, provider="groq", fallback_provider="gemini") == 1
    assert _value(samples, fallbacks, provider="gemini", fallback_provider="offline") == 1
