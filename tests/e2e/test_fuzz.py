"""Schemathesis fuzzes every operation of the running gateway's OpenAPI document, with and
without credentials: no request may get a 5xx, and behaviour must match the document (unknown
fields refused, bodies as declared, `Allow` on every 405, `/healthz` public, secured operations
refusing calls without credentials, bodies and parameters the document declares invalid
refused). Each run is bounded in time."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import gateway_process
from tests.e2e.jobs import FINAL_STATES

# Two runs of this many seconds each keep the whole test near half a minute.
FUZZ_SECONDS = 15
CHECKS = ",".join(
    [
        "not_a_server_error",
        "status_code_conformance",
        "content_type_conformance",
        "negative_data_rejection",
        "missing_required_header",
        "unsupported_method",
        "allow_header_conformance",
        "ignored_auth",
    ]
)


@pytest.fixture(scope="module")
def fuzz_gateway(suite):
    """A gateway of its own for the fuzzer, which believes X-Forwarded-For from loopback: the
    fuzzer calls as a client address of its own, so its sign-in attempts and calls spend no
    budget of the other tests' clients. It is healthy before the fuzzer starts (a gateway slow
    to start on a busy machine is waited for, not fuzzed as refused connections)."""
    _base_url, env = suite
    with gateway_process(
        env,
        SYNTHSTUDIO_TRUSTED_PROXIES="127.0.0.1",
        SYNTHSTUDIO_RATE_LIMIT_STANDARD_PER_MINUTE="100000",
        SYNTHSTUDIO_RATE_LIMIT_EXPENSIVE_PER_MINUTE="100000",
    ) as (url, _process):
        yield url


@pytest.fixture(scope="module")
def fuzz_token(anonymous_http, admin_token):
    """An editor of its own, in a project of its own: the fuzzer's calls count against nobody
    else's limits, and the ids it picks up from responses (and reuses) are its own. Jobs it
    started are cancelled afterwards, so none keeps working for the tests after it."""
    user = {
        "email": "fuzzer@example.org",
        "password": "fuzzer password!",
        "role": "ROLE_EDITOR",
        "project": "fuzz",
    }
    admin = {"authorization": f"Bearer {admin_token}"}
    project = anonymous_http.post("/v1/projects", json={"name": "fuzz"}, headers=admin)
    assert project.status_code == 200, project.text
    assert anonymous_http.post("/v1/users", json=user, headers=admin).status_code == 200
    signed_in = anonymous_http.post(
        "/v1/auth/login", json={"email": user["email"], "password": user["password"]}
    )
    token = signed_in.json()["accessToken"]
    yield token
    _cancel_unfinished_jobs(anonymous_http, {"authorization": f"Bearer {token}"})


def _cancel_unfinished_jobs(http, headers: dict[str, str], timeout: float = 120.0) -> None:
    listed = http.get("/v1/jobs", params={"pageSize": 500}, headers=headers).json()
    unfinished = [job["id"] for job in listed.get("jobs", []) if job["state"] not in FINAL_STATES]
    for job_id in unfinished:
        http.post(f"/v1/jobs/{job_id}:cancel", json={}, headers=headers)
    deadline = time.monotonic() + timeout
    while unfinished and time.monotonic() < deadline:
        time.sleep(0.5)
        states = {i: http.get(f"/v1/jobs/{i}", headers=headers).json()["state"] for i in unfinished}
        unfinished = [job_id for job_id, state in states.items() if state not in FINAL_STATES]
    assert not unfinished, f"the fuzzer's jobs {unfinished} did not end after a cancel"


def fuzz(url: str, tmp_path: Path, *headers: str) -> subprocess.CompletedProcess:
    arguments = [
        str(Path(sys.executable).parent / "schemathesis"),
        "run",
        f"{url}/openapi.json",
        f"--max-time={FUZZ_SECONDS}",
        f"--checks={CHECKS}",
        "--phases=coverage,fuzzing",
        "--max-examples=5",
        "--workers=1",  # two workers race in hypothesis's AST parsing on Python 3.11
        "--request-timeout=20",
        "--no-shrink",
        "--seed=15",
        # A watch lasts as long as its job, which may be minutes: not a request to fuzz.
        "--exclude-path-regex=:watch$",
        f"--report-dir={tmp_path}",
    ]
    for header in headers:
        arguments += ["--header", header]
    return subprocess.run(
        arguments, capture_output=True, text=True, timeout=FUZZ_SECONDS + 60, check=False
    )


def failures_of(run: subprocess.CompletedProcess) -> str:
    """Schemathesis's FAILURES and ERRORS sections, whichever it printed."""
    sections = [run.stdout.find(title) for title in ("FAILURES", "ERRORS")]
    start = min((at for at in sections if at >= 0), default=max(0, len(run.stdout) - 8000))
    return run.stdout[start : start + 12000] + run.stderr[-2000:]


@pytest.mark.parametrize("signed_in", [True, False], ids=["with credentials", "anonymous"])
def test_the_api_behaves_as_its_openapi_document_says(
    fuzz_gateway, fuzz_token, tmp_path, signed_in
):
    headers = ["X-Forwarded-For: 192.0.2.15" if signed_in else "X-Forwarded-For: 192.0.2.16"]
    if signed_in:
        headers.append(f"Authorization: Bearer {fuzz_token}")
    run = fuzz(fuzz_gateway, tmp_path, *headers)
    assert run.returncode == 0, failures_of(run)
    assert "passed" in run.stdout
