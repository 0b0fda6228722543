"""The Kubernetes manifests: every overlay and component builds with kustomize, validates against
the Kubernetes schemas offline, and keeps the promises docs/deployment.md makes."""

from __future__ import annotations

import kubernetes_validate
import pytest

from synthstudio_libs.config import SERVICE_PORTS, load_settings
from synthstudio_libs.suite import COMMANDS
from tests.deploy.manifests import (
    COMPONENTS,
    METRICS_PORT,
    OVERLAYS,
    build_component_on_base,
    build_overlay,
    by_kind,
    container_environment,
    ours,
    pod_spec,
    unknown_variables,
)

# The oldest Kubernetes the manifests support (gRPC probes, policy/v1, autoscaling/v2) and the
# newest whose schemas kubernetes-validate ships.
KUBERNETES_VERSIONS = ["1.29.0", kubernetes_validate.utils.latest_version()]


@pytest.fixture(scope="module")
def builds(tmp_path_factory) -> dict[str, tuple[dict, ...]]:
    """Every overlay, and the base with each opt-in component."""
    built = {f"overlays/{name}": build_overlay(name) for name in OVERLAYS}
    for component in COMPONENTS:
        workdir = tmp_path_factory.mktemp(f"with-{component}")
        built[f"components/{component}"] = build_component_on_base(component, workdir)
    return built


def workloads(resources):
    for resource in resources:
        spec = pod_spec(resource)
        if spec is not None:
            yield resource, spec


def test_the_expected_overlays_and_components_exist():
    assert {"dev", "prod"} <= set(OVERLAYS)
    assert {"tracing", "network-policies", "autoscaling", "celery-worker"} <= set(COMPONENTS)


@pytest.mark.parametrize("version", KUBERNETES_VERSIONS)
def test_every_manifest_validates_against_the_kubernetes_schemas(builds, version):
    failures = []
    for build, resources in builds.items():
        assert resources, f"{build} rendered nothing"
        for resource in resources:
            try:
                kubernetes_validate.validate(resource, version, strict=True)
            except kubernetes_validate.ValidationError as error:
                name = f"{resource['kind']}/{resource['metadata']['name']}"
                failures.append(f"{build} {name}: {error.message}")
    assert not failures, "\n".join(failures)


def test_an_invalid_manifest_is_refused():
    broken = {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": {"name": "x"},
        "spec": {"replicas": "two", "selector": {}, "template": {}},
    }
    with pytest.raises(kubernetes_validate.ValidationError):
        kubernetes_validate.validate(broken, KUBERNETES_VERSIONS[-1], strict=True)


def test_every_overlay_runs_every_component_and_the_migration(builds):
    for overlay in OVERLAYS:
        resources = builds[f"overlays/{overlay}"]
        deployments, services = by_kind(resources, "Deployment"), by_kind(resources, "Service")
        for component in COMMANDS:
            assert component in deployments, f"{overlay}: no Deployment {component}"
            assert component in services, f"{overlay}: no Service {component}"
        (job,) = by_kind(resources, "Job").values()
        (container,) = pod_spec(job)["containers"]
        assert container["image"].split(":")[0] == "synthstudio/migrate"


def test_images_run_their_own_command(builds):
    """Manifests never override an image's command: the image runs what the tests start."""
    for build, resources in builds.items():
        for resource, spec in workloads(resources):
            for container in filter(ours, spec["containers"]):
                assert "command" not in container and "args" not in container, (
                    f"{build} {resource['metadata']['name']} overrides its image's command"
                )
                name = resource["metadata"]["name"]
                image = container["image"].split(":")[0]
                if name in COMMANDS:
                    assert image == f"synthstudio/{name}"


def test_services_serve_named_ports_with_grpc_probes(builds):
    for build, resources in builds.items():
        services = by_kind(resources, "Service")
        for name, port in SERVICE_PORTS.items():
            deployment = by_kind(resources, "Deployment")[name]
            (container,) = pod_spec(deployment)["containers"]
            ports = {p["name"]: p["containerPort"] for p in container["ports"]}
            assert ports == {"grpc": port, "metrics": METRICS_PORT}, f"{build} {name}"
            for probe in ("startupProbe", "readinessProbe", "livenessProbe"):
                assert container[probe]["grpc"] == {"port": port}, f"{build} {name} {probe}"
            service_ports = {p["name"]: p for p in services[name]["spec"]["ports"]}
            assert service_ports["grpc"]["port"] == port
            assert service_ports["grpc"]["targetPort"] == "grpc"
        gateway = by_kind(resources, "Service")["gateway"]
        assert {p["name"] for p in gateway["spec"]["ports"]} == {"http", "metrics"}


def test_every_container_is_hardened(builds):
    for build, resources in builds.items():
        for resource, spec in workloads(resources):
            name = f"{build} {resource['kind']}/{resource['metadata']['name']}"
            assert spec["securityContext"]["runAsNonRoot"] is True, name
            assert spec["securityContext"]["seccompProfile"]["type"] == "RuntimeDefault", name
            assert spec.get("automountServiceAccountToken") is False, name
            mounts_tmp = False
            for container in spec["containers"]:
                security = container["securityContext"]
                assert security["readOnlyRootFilesystem"] is True, name
                assert security["allowPrivilegeEscalation"] is False, name
                assert security["capabilities"]["drop"] == ["ALL"], name
                resources_ = container["resources"]
                assert {"cpu", "memory"} <= set(resources_["requests"]), name
                assert {"cpu", "memory"} <= set(resources_["limits"]), name
                mounts_tmp |= any(m["mountPath"] == "/tmp" for m in container["volumeMounts"])
            if any(map(ours, spec["containers"])):
                volumes = {v["name"]: v for v in spec["volumes"]}
                assert mounts_tmp and "emptyDir" in volumes["tmp"], f"{name}: /tmp not writable"


def test_every_deployment_of_the_suite_has_a_disruption_budget(builds):
    for build, resources in builds.items():
        budgets = [
            b["spec"]["selector"]["matchLabels"]
            for b in by_kind(resources, "PodDisruptionBudget").values()
        ]
        for name, deployment in by_kind(resources, "Deployment").items():
            if not any(map(ours, pod_spec(deployment)["containers"])):
                continue
            labels = deployment["spec"]["template"]["metadata"]["labels"]
            assert any(selector.items() <= labels.items() for selector in budgets), (
                f"{build}: Deployment {name} has no PodDisruptionBudget"
            )


def test_metrics_ports_are_announced_to_prometheus(builds):
    for build, resources in builds.items():
        for resource, spec in workloads(resources):
            if resource["kind"] != "Deployment" or not any(map(ours, spec["containers"])):
                continue
            annotations = resource["spec"]["template"]["metadata"]["annotations"]
            assert annotations["prometheus.io/scrape"] == "true", build
            assert annotations["prometheus.io/port"] == str(METRICS_PORT), build


def test_every_variable_the_manifests_set_is_a_setting_and_loads(builds, monkeypatch):
    for build, resources in builds.items():
        for resource, spec in workloads(resources):
            for container in filter(ours, spec["containers"]):
                environment = container_environment(container, resources)
                where = f"{build} {resource['metadata']['name']}"
                assert not unknown_variables(environment), (
                    f"{where}: {unknown_variables(environment)}"
                )
                with monkeypatch.context() as patch:
                    for name, value in environment.items():
                        patch.setenv(name, value)
                    load_settings()  # raises ConfigError naming any value it refuses


def test_tracing_sends_every_component_to_the_collector(builds):
    for build in ("overlays/dev", "overlays/prod", "components/tracing"):
        resources = builds[build]
        assert "otel-collector" in by_kind(resources, "Deployment")
        for _resource, spec in workloads(resources):
            for container in filter(ours, spec["containers"]):
                environment = container_environment(container, resources)
                assert environment["OTEL_EXPORTER_OTLP_ENDPOINT"] == "http://otel-collector:4317"


def _sources(policy: dict) -> list[dict]:
    return [source for rule in policy["spec"].get("ingress", []) for source in rule.get("from", [])]


def test_network_policies_let_only_the_gateway_reach_services_and_only_services_the_database(
    builds,
):
    policies = by_kind(builds["components/network-policies"], "NetworkPolicy")
    deny = policies["default-deny-ingress"]["spec"]
    assert deny["podSelector"] == {} and deny["policyTypes"] == ["Ingress"]
    assert "ingress" not in deny

    def allowed_components(target: dict) -> set[str]:
        found = set()
        for policy in policies.values():
            selector = policy["spec"]["podSelector"].get("matchLabels", {})
            if selector and selector.items() <= target.items():
                for source in _sources(policy):
                    assert "namespaceSelector" not in source or "podSelector" not in source
                    labels = source.get("podSelector", {}).get("matchLabels", {})
                    found.add(labels.get("app.kubernetes.io/component", "<other>"))
        return found

    service = {"app.kubernetes.io/component": "service", "app.kubernetes.io/name": "pii"}
    assert allowed_components(service) == {"gateway", "service", "worker"}
    database = {"app.kubernetes.io/name": "postgresql"}
    assert allowed_components(database) == {"service", "worker", "migration"}
    # The gateway's own traffic may go nowhere near a database, in the cluster or outside it.
    egress = policies["gateway-egress"]["spec"]
    ports = {p["port"] for rule in egress["egress"] for p in rule["ports"]}
    assert 5432 not in ports and "postgresql" not in ports


def test_autoscalers_scale_the_gateway_and_the_workers(builds):
    autoscaled = {
        build: {
            h["spec"]["scaleTargetRef"]["name"]
            for h in by_kind(resources, "HorizontalPodAutoscaler").values()
        }
        for build, resources in builds.items()
    }
    assert "gateway" in autoscaled["components/autoscaling"]
    assert "worker" in autoscaled["components/celery-worker"]
    for build, targets in autoscaled.items():
        deployments = by_kind(builds[build], "Deployment")
        assert targets <= set(deployments), f"{build}: autoscaler without its Deployment"


def test_the_worker_runs_the_worker_image(builds):
    worker = by_kind(builds["components/celery-worker"], "Deployment")["worker"]
    (container,) = pod_spec(worker)["containers"]
    assert container["image"] == "synthstudio/worker"
    assert worker["spec"]["template"]["metadata"]["labels"]["app.kubernetes.io/component"] == (
        "worker"
    )


def test_the_worker_has_a_liveness_probe_that_pings_this_worker(builds):
    worker = by_kind(builds["components/celery-worker"], "Deployment")["worker"]
    (container,) = pod_spec(worker)["containers"]
    command = " ".join(container["livenessProbe"]["exec"]["command"])
    assert "inspect ping" in command and '--destination "celery@$HOSTNAME"' in command
    assert container["livenessProbe"]["timeoutSeconds"] > 10


def test_the_apache_profile_runs_the_images_built_without_business_source_packages(builds):
    """components/apache-profile points every image of ours at its `--build-arg PROFILE=apache`
    build (tag suffix -apache)."""
    images = [
        container["image"]
        for _resource, spec in workloads(builds["components/apache-profile"])
        for container in filter(ours, [*spec.get("initContainers", []), *spec["containers"]])
    ]
    assert images and all(image.endswith("-apache") for image in images), images
