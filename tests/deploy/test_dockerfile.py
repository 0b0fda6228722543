"""deploy/Dockerfile: lint-clean, one target per component running the command the tests start
it with, each installing only its own package. No engine runs containers here, so the images
themselves are not built."""

from __future__ import annotations

import re
import subprocess
import sys
import textwrap
import tomllib

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from synthstudio_libs.config import SERVICE_PORTS
from synthstudio_libs.suite import COMMANDS
from tests.deploy.manifests import (
    DEPLOY,
    METRICS_PORT,
    ROOT,
    Stage,
    dockerfile_stages,
    tool,
    unknown_variables,
)

CONSTRAINTS = (ROOT / "constraints.txt").read_text()
TORCH_PIN = re.search(r"^torch==(\S+)$", CONSTRAINTS, re.MULTILINE).group(1)
CPU_INDEX = "https://download.pytorch.org/whl/cpu"
WORKER_COMMAND = ["celery", "-A", "synthstudio_libs.jobs.celery_app", "worker"]


def _pyproject(path: str) -> dict:
    return tomllib.loads((ROOT / path / "pyproject.toml").read_text())["project"]


def _name(requirement: str) -> str:
    return canonicalize_name(Requirement(requirement).name)


def _requirements(project: dict) -> list[str]:
    """A package's dependencies with those of all its extras."""
    extras = project.get("optional-dependencies", {}).values()
    return [*project["dependencies"], *(r for extra in extras for r in extra)]


def _package_dir(component: str) -> str:
    return "gateway" if component == "gateway" else f"services/{component}"


def _chain(stage: Stage) -> list[Stage]:
    """The stage and every stage it is built FROM, nearest first."""
    stages, chain = dockerfile_stages(), [stage]
    while chain[-1].base in stages:
        chain.append(stages[chain[-1].base])
    return chain


def _build_stage(target: str) -> Stage:
    (copy,) = [c for c in dockerfile_stages()[target].all("COPY") if c.startswith("--from=")]
    return dockerfile_stages()[copy.split()[0].removeprefix("--from=")]


def _pip_installs(stage: Stage) -> list[str]:
    runs = [run for s in _chain(stage) for run in s.all("RUN")]
    return [cmd.strip() for run in runs for cmd in run.split("&&") if "pip install" in cmd]


def test_the_dockerfile_is_lint_clean():
    hadolint = tool("hadolint")
    result = subprocess.run(
        [hadolint, "--no-color", str(DEPLOY / "Dockerfile")], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_hadolint_catches_what_it_should(tmp_path):
    hadolint = tool("hadolint")
    bad = tmp_path / "Dockerfile"
    bad.write_text("FROM python\nRUN pip install requests\nCMD python app.py\n")
    result = subprocess.run([hadolint, "--no-color", str(bad)], capture_output=True, text=True)
    assert result.returncode != 0
    for rule in ("DL3006", "DL3013", "DL3025"):
        assert rule in result.stdout


def test_each_target_runs_the_command_the_suite_starts_it_with():
    stages = dockerfile_stages()
    for component, arguments in COMMANDS.items():
        assert stages[component].command() == ["python", *arguments], component
    scripts = _pyproject("libs")["scripts"]
    (migrate,) = [name for name, target in scripts.items() if target.endswith("storage.cli:main")]
    assert stages["migrate"].command() == [migrate]
    assert stages["worker"].command()[: len(WORKER_COMMAND)] == WORKER_COMMAND


def test_component_images_run_unprivileged_on_the_runtime_base():
    stages = dockerfile_stages()
    runtime = stages["runtime"]
    (user,) = runtime.all("USER")
    assert user.split(":")[0] not in ("0", "root")
    assert user.split(":")[0].isdigit(), "a numeric uid lets Kubernetes check runAsNonRoot"
    for target in [*COMMANDS, "migrate", "worker"]:
        assert stages[target].base == "runtime", target
        assert not stages[target].all("USER"), f"{target} must not change the user"


# The remote model providers' clients are extras of the llm package; its image has both.
PACKAGE_EXTRAS = {"llm": "groq,gemini"}


def _engine_dirs(stage: Stage) -> list[str]:
    """The engine packages (engines/...) a build stage installs."""
    return sorted({m for i in _pip_installs(stage) for m in re.findall(r"\./(engines/\w+)", i)})


def test_each_image_installs_only_its_own_package_with_the_locked_versions():
    for component in COMMANDS:
        installs = _pip_installs(_build_stage(component))
        packages = [i for i in installs if "./" in i and "./engines/" not in i]
        package = f"./{_package_dir(component)}"
        if component in PACKAGE_EXTRAS:
            package = f'"{package}[{PACKAGE_EXTRAS[component]}]"'
        assert packages == [f"pip install -c constraints.txt ./libs {package}"]


def test_torch_is_the_pinned_cpu_build_and_only_where_needed():
    for component in COMMANDS:
        stage = _build_stage(component)
        dependencies = [
            *_pyproject(_package_dir(component))["dependencies"],
            *(d for engine in _engine_dirs(stage) for d in _pyproject(engine)["dependencies"]),
        ]
        needs_torch = any(re.match(r"torch\b", d) for d in dependencies)
        torch = [i for i in _pip_installs(_build_stage(component)) if " torch==" in i]
        if not needs_torch:
            assert not torch, f"{component} does not need torch"
            continue
        assert torch == [f"pip install --no-deps --index-url {CPU_INDEX} torch=={TORCH_PIN}+cpu"], (
            component
        )


def test_the_migration_image_takes_no_domain_library():
    installs = _pip_installs(_build_stage("migrate"))
    assert installs[0] == 'pip install -c constraints.txt "./libs[server]"'
    assert installs[1].startswith("pip install --no-deps ")
    assert set(installs[1].split()[3:]) == {f"./services/{s}" for s in SERVICE_PORTS}


def test_migrations_are_discovered_without_any_service_dependency():
    """What the migrate image relies on: loading every component's migrations imports none of
    the libraries its service packages bring (they are installed there without dependencies)."""
    libs = {_name(r) for r in _requirements(_pyproject("libs"))}
    service_only = sorted(
        {_name(d) for s in SERVICE_PORTS for d in _requirements(_pyproject(f"services/{s}"))}
        - libs
        - {"synthstudio-libs", "numpy"}  # numpy comes with pandas, a libs dependency
    )
    script = textwrap.dedent(
        f"""
        import importlib.metadata, sys
        from packaging.utils import canonicalize_name
        blocked = set({service_only!r})
        modules = {{
            module
            for module, distributions in importlib.metadata.packages_distributions().items()
            if any(canonicalize_name(d) in blocked for d in distributions)
        }}
        assert {{"torch", "presidio_analyzer", "groq"}} <= modules, sorted(modules)

        class Refuse:
            def find_spec(self, name, path=None, target=None):
                if name.split(".")[0] in modules:
                    raise ImportError(f"the migrate image has no {{name}}")

        sys.meta_path.insert(0, Refuse())
        from synthstudio_libs.storage.database import discover_components
        print(sorted(c.name for c in discover_components()))
        """
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert "synthesis" in result.stdout


def test_image_settings_are_settings_and_metrics_ports_are_exposed():
    stages = dockerfile_stages()
    assert not unknown_variables(
        [k for s in stages.values() for k in s.env() if k.startswith("SYNTHSTUDIO_")]
    )
    for target in [*COMMANDS, "worker"]:
        stage = stages[target]
        assert stage.env()[f"SYNTHSTUDIO_{target.upper()}_METRICS_PORT"] == str(METRICS_PORT)
        exposed = {int(p) for e in stage.all("EXPOSE") for p in e.split()}
        assert METRICS_PORT in exposed, target
        if target in SERVICE_PORTS:
            assert SERVICE_PORTS[target] in exposed, target
            assert stage.all("HEALTHCHECK"), f"{target} has no HEALTHCHECK"


def test_the_sdv_engine_goes_only_into_images_of_the_default_profile():
    """`--build-arg PROFILE=apache` leaves out the SDV engine and every Business-Source package
    (sdmetrics' declared copulas included), and checks that none is left in the venv."""
    for target in ("synthesis", "evaluation", "worker"):
        stage = _build_stage(target)
        assert stage.all("ARG") == ["PROFILE"], target
        runs = stage.all("RUN")
        assert runs[-1].endswith('python tools/profiles.py check "$PROFILE"'), target
        engine = [r for r in runs if "./engines/sdv" in r]
        assert _engine_dirs(stage) == ([] if target == "evaluation" else ["engines/sdv"])
        assert all(
            re.search(r'"\$PROFILE" != apache \]; then pip install', r)
            or re.search(r'"\$PROFILE" = apache \]; then .*else pip install', r)
            for r in engine
        ), target


def test_the_build_context_keeps_only_what_images_need():
    ignore = (DEPLOY / "Dockerfile.dockerignore").read_text().split()
    assert ignore[ignore.index("*") :][:1] == ["*"]
    copied = {
        c.split()[0].rstrip("/")
        for s in dockerfile_stages().values()
        for c in s.all("COPY")
        if not c.startswith("--from=")
    }
    for source in copied:
        top = source.split("/")[0]
        assert f"!{top}" in ignore or f"!{top}/" in ignore, f"{source} is not in the context"
