"""Slim clients: the SDK and the CLI neither declare nor import the server runtime, and the llm
service needs a remote provider's client only when that provider is configured."""

from __future__ import annotations

import subprocess
import sys
from importlib.metadata import PackageNotFoundError, distribution

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

SERVER_RUNTIME = {"celery", "sqlalchemy", "psycopg", "alembic", "redis", "torch", "sdv"}


def requirement_closure(name: str, extras: frozenset[str] = frozenset()) -> set[str]:
    """Every distribution `name` (with `extras`) pulls in, by its declared requirements."""
    seen: set[str] = set()
    pending = [(canonicalize_name(name), extras)]
    while pending:
        current, wanted = pending.pop()
        if current in seen:
            continue
        seen.add(current)
        try:
            requires = distribution(current).requires or []
        except PackageNotFoundError:
            continue
        for line in requires:
            requirement = Requirement(line)
            marker = requirement.marker
            if marker and not any(marker.evaluate({"extra": extra}) for extra in wanted or {""}):
                continue
            pending.append((canonicalize_name(requirement.name), frozenset(requirement.extras)))
    return seen


def test_the_client_declares_no_server_runtime():
    closure = requirement_closure("synthstudio-client")
    assert "synthstudio-libs" in closure and "grpcio" in closure
    assert not closure & SERVER_RUNTIME, closure & SERVER_RUNTIME


def test_services_declare_the_server_runtime():
    closure = requirement_closure("synthstudio-synthesis")
    assert {"celery", "sqlalchemy", "psycopg"} <= closure


def _modules_after(code: str) -> set[str]:
    probe = f"{code}\nimport sys\nprint('\\n'.join(sorted(sys.modules)))"
    output = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, timeout=120
    ).stdout
    return {line.split(".")[0] for line in output.splitlines()}


def test_the_sdk_and_cli_import_no_server_runtime():
    loaded = _modules_after("import synthstudio_sdk, synthstudio_cli.main")
    assert "grpc" in loaded
    assert not loaded & SERVER_RUNTIME, loaded & SERVER_RUNTIME


def _with_provider_clients_missing(code: str) -> subprocess.CompletedProcess:
    # `None` in sys.modules makes `import groq` raise ImportError, as if the extra were absent.
    setup = "import sys\nsys.modules['groq'] = None\nsys.modules['google.genai'] = None\n"
    return subprocess.run(
        [sys.executable, "-c", setup + code], capture_output=True, text=True, timeout=120
    )


def test_the_offline_provider_needs_no_provider_client():
    ran = _with_provider_clients_missing(
        "from synthstudio_llm.providers import remote_providers\n"
        "from synthstudio_llm.settings import LlmSettings\n"
        "import dataclasses\n"
        "fields = {f.name for f in dataclasses.fields(LlmSettings)}\n"
        "print(remote_providers(LlmSettings(**{n: None for n in fields})))\n"
    )
    assert ran.returncode == 0, ran.stderr
    assert ran.stdout.strip() == "[]"


def test_a_configured_provider_without_its_client_names_the_extra():
    ran = _with_provider_clients_missing(
        "from synthstudio_llm.server import llm_settings\n"
        "from synthstudio_llm.providers import remote_providers\n"
        "from synthstudio_libs.config import load_settings\n"
        "remote_providers(llm_settings(load_settings(GROQ_API_KEY='gsk-x')))\n"
    )
    assert ran.returncode != 0
    assert "ProviderNotInstalled" in ran.stderr
    assert "pip install 'synthstudio-llm[groq]'" in ran.stderr
