"""Alert rules, the Grafana dashboard and the collector's configuration: valid PromQL, and every
metric they query is one the components really export (taken from a real scrape)."""

from __future__ import annotations

import json
import re
import urllib.request
from concurrent import futures

import grpc
import promql_parser
import pytest
import yaml
from grpc_health.v1 import health, health_pb2, health_pb2_grpc
from prometheus_client.parser import text_string_to_metric_families
from starlette.applications import Starlette
from starlette.responses import PlainTextResponse
from starlette.routing import Route
from starlette.testclient import TestClient

from synthstudio_libs import metrics
from synthstudio_libs.auth.principal import ANONYMOUS
from synthstudio_libs.jobs.store import JobStore, worker_identity
from synthstudio_libs.storage.database import create_engine
from tests.deploy.manifests import DEPLOY

# Grafana's own variables, replaced by what they stand for before PromQL parses the queries.
GRAFANA_VARIABLES = {"$__rate_interval": "1m", "$__range": "6h", "$__interval": "30s"}
ALWAYS_THERE = {"up"}  # written by Prometheus itself


def _exported_sample_names(port: int) -> set[str]:
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=5) as reply:
        text = reply.read().decode()
    return {s.name for f in text_string_to_metric_families(text) for s in f.samples}


@pytest.fixture(scope="module")
def exported(tmp_path_factory) -> set[str]:
    """Every sample name a component exports once each instrument has recorded something:
    a gRPC call, an HTTP request, a finished job and each domain counter."""
    from synthstudio_libs.config import load_settings
    from synthstudio_libs.storage.database import discover_components, migrate

    settings = load_settings(data_dir=tmp_path_factory.mktemp("observability"))
    engine = create_engine(settings.resolved_database_url)
    migrate(engine, discover_components())
    endpoint = metrics.setup_metrics("synthesis", settings, port=0)
    try:
        store = JobStore(engine)
        job = store.create("synthesis.train", {}, creator=ANONYMOUS)
        store.start(job.id, worker_identity())
        store.succeed(job.id, {})

        server = grpc.server(
            futures.ThreadPoolExecutor(max_workers=2),
            interceptors=[metrics.server_metrics_interceptor()],
        )
        health_pb2_grpc.add_HealthServicer_to_server(health.HealthServicer(), server)
        port = server.add_insecure_port("127.0.0.1:0")
        server.start()
        with grpc.insecure_channel(f"127.0.0.1:{port}") as channel:
            health_pb2_grpc.HealthStub(channel).Check(health_pb2.HealthCheckRequest())
        server.stop(None)

        app = Starlette(routes=[Route("/ok", lambda _r: PlainTextResponse("ok"))])
        app.add_middleware(metrics.HttpMetricsMiddleware)
        with TestClient(app) as client:
            client.get("/ok")

        metrics.record_rows_synthesized(10, synthesizer="ctgan")
        metrics.record_epsilon_spent(0.1, dataset_id="ds_1", spent_total=0.1, budget=1.0)
        metrics.record_llm_call(
            "groq", feature="f", outcome="ok", input_tokens=1, output_tokens=1, duration_seconds=1
        )
        metrics.record_llm_fallback("groq", "gemini", reason="unavailable")
        names = _exported_sample_names(endpoint.port)
    finally:
        endpoint.shutdown()
        engine.dispose()
    return names | ALWAYS_THERE


def _metric_names(expression: str) -> set[str]:
    for variable, value in GRAFANA_VARIABLES.items():
        expression = expression.replace(variable, value)
    names: list[str] = []

    def collect(node) -> None:
        if isinstance(node, promql_parser.VectorSelector) and node.name:
            names.append(node.name)

    promql_parser.walk(promql_parser.parse(expression), pre_visit=collect)
    return set(names)


def _alert_rules() -> list[dict]:
    rules = yaml.safe_load((DEPLOY / "prometheus" / "alerts.yml").read_text())
    return [rule for group in rules["groups"] for rule in group["rules"]]


def _dashboard() -> dict:
    return json.loads((DEPLOY / "grafana" / "dashboards" / "synthstudio.json").read_text())


def test_alerts_cover_errors_latency_jobs_and_the_privacy_budget(exported):
    rules = _alert_rules()
    queried: dict[str, set[str]] = {}
    for rule in rules:
        assert re.fullmatch(r"SynthStudio[A-Za-z]+", rule["alert"])
        assert rule["labels"]["severity"] in ("warning", "critical")
        assert rule["annotations"]["summary"] and rule["annotations"]["description"]
        queried[rule["alert"]] = _metric_names(rule["expr"])
        missing = queried[rule["alert"]] - exported
        assert not missing, f"{rule['alert']} queries metrics nobody exports: {missing}"
    everything = set().union(*queried.values())
    assert "rpc_server_call_duration_seconds_count" in everything  # error rate
    assert "rpc_server_call_duration_seconds_bucket" in everything  # latency
    assert "http_server_request_duration_seconds_count" in everything
    assert "synthstudio_jobs" in everything  # failed and stuck jobs
    assert "synthstudio_privacy_budget_used_ratio" in everything
    assert len({r["alert"] for r in rules}) == len(rules)


def test_invalid_promql_is_caught():
    with pytest.raises(ValueError):
        _metric_names("sum(rate(rpc_server_call_duration_seconds_count[5m])")


def test_the_dashboard_queries_exported_metrics_from_the_provisioned_source(exported):
    dashboard = _dashboard()
    sources = yaml.safe_load(
        (DEPLOY / "grafana" / "provisioning" / "datasources" / "datasources.yaml").read_text()
    )
    prometheus_uid = next(s["uid"] for s in sources["datasources"] if s["type"] == "prometheus")
    panels = [p for p in dashboard["panels"] if p["type"] != "row"]
    assert len({p["id"] for p in dashboard["panels"]}) == len(dashboard["panels"])
    shown: set[str] = set()
    for panel in panels:
        assert panel["datasource"]["uid"] == prometheus_uid, panel["title"]
        assert panel["targets"], panel["title"]
        for target in panel["targets"]:
            names = _metric_names(target["expr"])
            assert names and not names - exported, f"{panel['title']}: {names - exported}"
            shown |= names
    # Every family the components export is on the dashboard (target_info aside).
    families = {re.sub(r"_(bucket|count|sum)$", "", n) for n in exported - ALWAYS_THERE}
    on_dashboard = {re.sub(r"_(bucket|count|sum)$", "", n) for n in shown}
    assert families - on_dashboard == {"target_info"}


def test_grafana_loads_the_dashboards_folder_compose_mounts():
    provider = yaml.safe_load(
        (DEPLOY / "grafana" / "provisioning" / "dashboards" / "dashboards.yaml").read_text()
    )
    (entry,) = provider["providers"]
    compose = yaml.safe_load((DEPLOY / "compose.yaml").read_text())
    mounts = compose["services"]["grafana"]["volumes"]
    assert f"./grafana/dashboards:{entry['options']['path']}:ro" in mounts


def test_the_collector_pipeline_uses_only_what_it_defines():
    config = yaml.safe_load(
        (DEPLOY / "k8s" / "components" / "tracing" / "collector.yaml").read_text()
    )
    for pipeline in config["service"]["pipelines"].values():
        for kind in ("receivers", "processors", "exporters"):
            assert set(pipeline.get(kind, [])) <= set(config[kind]), kind
    assert set(config["service"]["extensions"]) <= set(config["extensions"])
    assert config["receivers"]["otlp"]["protocols"]["grpc"]["endpoint"].endswith(":4317")
