"""deploy/compose.yaml: valid against the Compose specification, migration first, every setting
one the settings object knows, every file it mounts present."""

from __future__ import annotations

import json
import re
from importlib import resources

import jsonschema
import pytest
import yaml

from synthstudio_libs.config import SERVICE_PORTS, load_settings
from synthstudio_libs.suite import COMMANDS
from tests.deploy.manifests import (
    DEPLOY,
    METRICS_PORT,
    compose,
    compose_built_services,
    interpolate,
    unknown_variables,
)

EXPECTED = {
    *SERVICE_PORTS,
    "gateway",
    "worker",
    "migrate",
    "postgres",
    "redis",
    "otel-collector",
    "jaeger",
    "prometheus",
    "grafana",
}


@pytest.fixture(scope="module")
def compose_schema() -> dict:
    """The Compose specification's JSON schema, as check-jsonschema ships it (no download)."""
    vendored = resources.files("check_jsonschema.builtin_schemas.vendor") / "compose-spec.json"
    return json.loads(vendored.read_text())


def test_compose_file_follows_the_compose_specification(compose_schema):
    validator = jsonschema.Draft202012Validator(compose_schema)
    errors = [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(compose())]
    assert not errors, "\n".join(errors)
    broken = {"services": {"gateway": {"image": "x", "depends_on": {"a": {"condition": "soon"}}}}}
    assert list(validator.iter_errors(broken)), "the schema accepts a bad condition"


def test_every_part_of_the_suite_is_there():
    services = compose()["services"]
    assert set(services) >= EXPECTED
    built = compose_built_services()
    assert set(built) == {*COMMANDS, "migrate", "worker"}
    for name, service in built.items():
        assert service["build"]["target"] == name
        assert service["image"].split(":")[0] == f"synthstudio/{name}"
        assert "command" not in service and "entrypoint" not in service, (
            f"{name} overrides its image's command"
        )


def _dependencies(name: str) -> dict[str, str]:
    depends = compose()["services"][name].get("depends_on", {})
    if isinstance(depends, list):
        return dict.fromkeys(depends, "service_started")
    return {other: spec.get("condition", "service_started") for other, spec in depends.items()}


def test_the_migration_completes_before_any_component_starts():
    services = compose()["services"]
    for name in services:
        for other in _dependencies(name):
            assert other in services, f"{name} depends on unknown service {other}"
    assert _dependencies("migrate") == {"postgres": "service_healthy"}
    for name in compose_built_services():
        if name == "migrate":
            continue
        seen, pending = set(), [name]
        while pending:
            for other, condition in _dependencies(pending.pop()).items():
                if other == "migrate":
                    assert condition == "service_completed_successfully", name
                if other not in seen:
                    seen.add(other)
                    pending.append(other)
        assert "migrate" in seen, f"{name} may start before the migration has run"


def test_components_are_hardened():
    for name, service in compose_built_services().items():
        assert service["read_only"] is True, name
        assert service["cap_drop"] == ["ALL"], name
        assert "no-new-privileges:true" in service["security_opt"], name
        assert "/tmp" in service["tmpfs"], name
        assert "user" not in service, f"{name} must run as the image's non-root user"
    published = [
        port for service in compose()["services"].values() for port in service.get("ports", [])
    ]
    assert published and all(port.startswith("127.0.0.1:") for port in published)


def test_every_variable_compose_sets_is_a_setting_and_loads(monkeypatch):
    assert unknown_variables(
        ["SYNTHSTUDIO_LOG_LEVEL", "OTEL_SERVICE_NAME", "SYNTHSTUDIO_NOPE"]
    ) == ["SYNTHSTUDIO_NOPE"]
    for name, service in compose_built_services().items():
        environment = {k: interpolate(str(v)) for k, v in service["environment"].items()}
        assert not unknown_variables(environment), f"{name}: {unknown_variables(environment)}"
        with monkeypatch.context() as patch:
            for variable, value in environment.items():
                patch.setenv(variable, value)
            settings = load_settings()
        assert settings.database_url.startswith("postgresql+psycopg://")
        for service_name, port in SERVICE_PORTS.items():
            assert settings.service_addr(service_name) == f"{service_name}:{port}"


def test_files_compose_mounts_exist():
    for name, service in compose()["services"].items():
        for volume in service.get("volumes", []):
            source = volume.split(":")[0]
            if source.startswith("."):
                assert (DEPLOY / source).exists(), f"{name} mounts missing {source}"


def test_prometheus_scrapes_every_component_on_its_metrics_port():
    config = yaml.safe_load((DEPLOY / "prometheus" / "prometheus.yml").read_text())
    targets = {
        job["job_name"]: [t for c in job["static_configs"] for t in c["targets"]]
        for job in config["scrape_configs"]
    }
    for component in [*COMMANDS, "worker"]:
        assert targets[component] == [f"{component}:{METRICS_PORT}"]
    assert config["rule_files"] == ["/etc/prometheus/alerts.yml"]
    mount = next(v for v in compose()["services"]["prometheus"]["volumes"] if "prometheus:ro" in v)
    assert mount.startswith("./prometheus:/etc/prometheus")


def test_the_collector_gets_the_variables_its_config_reads():
    config = (DEPLOY / "k8s" / "components" / "tracing" / "collector.yaml").read_text()
    needed = set(re.findall(r"\$\{env:(\w+)\}", config))
    assert needed
    assert needed <= set(compose()["services"]["otel-collector"]["environment"])
