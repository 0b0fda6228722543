"""The `synthstudio` command and the SDK against the whole suite, started the way `make run`
starts it (the e2e fixtures), each command run as a real subprocess."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

# The suite and its users come from the shared fixtures in tests/conftest.py (the same
# processes `make run` starts).

COMMAND_TIMEOUT_SECONDS = 240


def synthstudio_command() -> list[str]:
    """The installed console script beside this interpreter, else `python -m`."""
    script = shutil.which("synthstudio", path=str(Path(sys.executable).parent))
    return [script] if script else [sys.executable, "-m", "synthstudio_cli"]


@dataclass
class Result:
    code: int
    stdout: str
    stderr: str

    @property
    def json(self) -> dict:
        lines = [line for line in self.stdout.splitlines() if line.strip()]
        assert len(lines) == 1, f"expected one JSON line, got:\n{self.stdout}\n{self.stderr}"
        return json.loads(lines[0])


@pytest.fixture(scope="session")
def suite_env(suite) -> dict[str, str]:
    """The environment the suite runs with (it names every service's address)."""
    _base_url, env = suite
    return env


@pytest.fixture
def config_dir(tmp_path) -> Path:
    return tmp_path / "config"


@pytest.fixture
def cli(suite_env, config_dir):
    """Runs `synthstudio ARGS` as a subprocess; `token=` signs it in with SYNTHSTUDIO_TOKEN."""

    def run(*args: str, token: str | None = None, env: dict | None = None, stdin: str = ""):
        environment = {
            key: value
            for key, value in {**os.environ, **suite_env}.items()
            if key not in ("SYNTHSTUDIO_TOKEN", "SYNTHSTUDIO_API_KEY", "SYNTHSTUDIO_URL")
        }
        environment["SYNTHSTUDIO_CONFIG_DIR"] = str(config_dir)
        if token:
            environment["SYNTHSTUDIO_TOKEN"] = token
        environment.update(env or {})
        completed = subprocess.run(
            [*synthstudio_command(), *args],
            env=environment,
            input=stdin,
            capture_output=True,
            text=True,
            timeout=COMMAND_TIMEOUT_SECONDS,
        )
        return Result(completed.returncode, completed.stdout, completed.stderr)

    return run


@pytest.fixture
def sdk_env(suite_env, monkeypatch, config_dir):
    """This process's environment pointed at the suite, as a user's shell would be."""
    for service in ("SYNTHESIS", "EVALUATION", "PRIVACY", "PII", "LLM"):
        name = f"SYNTHSTUDIO_{service}_ADDR"
        monkeypatch.setenv(name, suite_env[name])
    for name in ("SYNTHSTUDIO_URL", "SYNTHSTUDIO_TOKEN", "SYNTHSTUDIO_API_KEY"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("SYNTHSTUDIO_CONFIG_DIR", str(config_dir))
    return suite_env
