"""Following a job of the running suite over REST, the two ways a client can."""

from __future__ import annotations

import json
import time

import pytest

FINAL_STATES = {"JOB_STATE_SUCCEEDED", "JOB_STATE_FAILED", "JOB_STATE_CANCELLED"}


def wait_for_job(http, job_id: str, timeout: float = 120.0) -> dict:
    """The job once it is final, polled with GET; fails the test with its last state after
    `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        job = http.get(f"/v1/jobs/{job_id}").json()
        if job["state"] in FINAL_STATES:
            return job
        if time.monotonic() > deadline:
            pytest.fail(f"job {job_id} unfinished after {timeout:.0f} s: {job}")
        time.sleep(0.3)


def watch(http, job_id: str, timeout: float = 240.0) -> dict:
    """The job once it is final, followed on its watch stream; a job still unfinished after
    `timeout` seconds fails the test with the state it is stuck in (the watch repeats a silent
    job every few seconds, so the stream itself never times out)."""
    deadline = time.monotonic() + timeout
    with http.stream("GET", f"/v1/jobs/{job_id}:watch", timeout=60) as reply:
        for line in reply.iter_lines():
            job = json.loads(line) if line.strip() else None
            if job and job["state"] in FINAL_STATES:
                return job
            if time.monotonic() > deadline:
                break
    pytest.fail(f"job unfinished after {timeout:.0f} s: {http.get(f'/v1/jobs/{job_id}').json()}")
