"""Honest clients under a denial-of-service attempt: error rate and p99 with and without it.

Runs the suite as `make run` does, then for each phase (quiet, then under attack) runs 16
honest clients for SECONDS: 12 read `GET /v1/datasets` (each as its own user, 5 calls a second,
within the per-principal limit) and 4 sign in (each from its own loopback address, one sign-in
every 2 s, within the per-client limit). The attacker, from an address of its own, floods
sign-in with wrong passwords for unknown e-mails (issue 15: 61 a minute from one client used to
lock everyone out) and opens job watches until refused (about 64 used to starve the service's
stream threads), re-opening them as the server refuses. Prints the honest clients' error rate
and p99 per route in each phase. Target: no errors under attack, p99 within 2x of quiet.
"""

from __future__ import annotations

import argparse
import sys
import threading
import time
from concurrent import futures
from pathlib import Path

import httpx

from synthstudio_libs.auth.principal import Principal, Role
from synthstudio_libs.jobs.store import JobStore
from synthstudio_libs.storage.database import create_engine

sys.path.insert(0, str(Path(__file__).parent))
from gateway_overhead import PASSWORD, free_port, start_suite  # noqa: E402

READERS = 12
SIGNERS = 4
READ_INTERVAL = 0.2
SIGN_IN_INTERVAL = 2.0
ATTACK_THREADS = 4
WATCHES = 96


class Recorder:
    def __init__(self) -> None:
        self.samples: dict[str, list[float]] = {}
        self.errors: dict[str, int] = {}
        self._lock = threading.Lock()

    def record(self, route: str, seconds: float, ok: bool) -> None:
        with self._lock:
            self.samples.setdefault(route, []).append(seconds)
            self.errors[route] = self.errors.get(route, 0) + (not ok)

    def summary(self, route: str) -> tuple[int, float, float, float]:
        """Calls, error rate, p50 and p99 (seconds) of `route`."""
        samples = sorted(self.samples.get(route, []))
        if not samples:
            return 0, 0.0, 0.0, 0.0
        p99 = samples[min(len(samples) - 1, int(len(samples) * 0.99))]
        return len(samples), self.errors[route] / len(samples), samples[len(samples) // 2], p99


def client(url: str, address: str, read_timeout: float = 30) -> httpx.Client:
    return httpx.Client(
        base_url=url,
        transport=httpx.HTTPTransport(local_address=address),
        timeout=httpx.Timeout(30, read=read_timeout),
    )


def paced(stop: threading.Event, interval: float, call) -> None:
    while not stop.is_set():
        started = time.monotonic()
        call()
        stop.wait(max(0.0, interval - (time.monotonic() - started)))


def reader(url: str, token: str, recorder: Recorder, stop: threading.Event) -> None:
    with client(url, "127.0.0.1") as http:
        headers = {"authorization": f"Bearer {token}"}

        def read() -> None:
            started = time.perf_counter()
            try:
                ok = http.get("/v1/datasets", headers=headers).status_code == 200
            except httpx.HTTPError:
                ok = False
            recorder.record("GET /v1/datasets", time.perf_counter() - started, ok)

        paced(stop, READ_INTERVAL, read)


def signer(url: str, address: str, email: str, recorder: Recorder, stop: threading.Event):
    with client(url, address) as http:

        def sign_in() -> None:
            started = time.perf_counter()
            try:
                reply = http.post("/v1/auth/login", json={"email": email, "password": PASSWORD})
                ok = reply.status_code == 200
            except httpx.HTTPError:
                ok = False
            recorder.record("POST /v1/auth/login", time.perf_counter() - started, ok)

        paced(stop, SIGN_IN_INTERVAL, sign_in)


def sign_in_flood(url: str, counts: dict[int, int], stop: threading.Event) -> None:
    with client(url, "127.0.0.250") as http:
        while not stop.is_set():
            try:
                code = http.post(
                    "/v1/auth/login",
                    json={"email": f"nobody{time.monotonic_ns()}@example.org", "password": "x"},
                ).status_code
            except httpx.HTTPError:
                code = 0
            counts[code] = counts.get(code, 0) + 1


def watch_flood(url: str, token: str, job_id: str, counts: dict[int, int], stop: threading.Event):
    """Holds as many watch streams open as the server lets it, re-trying refused ones (a
    stream with nothing to say times out after 5 s and is opened again, so each notices the
    end of the phase)."""
    headers = {"authorization": f"Bearer {token}"}
    with client(url, "127.0.0.251", 5) as http, futures.ThreadPoolExecutor(WATCHES) as pool:

        def hold() -> None:
            while not stop.is_set():
                try:
                    with http.stream("GET", f"/v1/jobs/{job_id}:watch", headers=headers) as reply:
                        counts[reply.status_code] = counts.get(reply.status_code, 0) + 1
                        if reply.status_code == 200:
                            for _line in reply.iter_lines():
                                if stop.is_set():
                                    return
                        else:
                            stop.wait(0.5)
                except httpx.HTTPError:
                    stop.wait(0.5)

        for _ in range(WATCHES):
            pool.submit(hold)
        stop.wait()


def run_phase(url: str, seconds: float, readers, signers, attack=None) -> Recorder:
    recorder, stop = Recorder(), threading.Event()
    threads = [threading.Thread(target=reader, args=(url, t, recorder, stop)) for t in readers]
    threads += [
        threading.Thread(target=signer, args=(url, f"127.0.0.{10 + i}", email, recorder, stop))
        for i, email in enumerate(signers)
    ]
    threads += [threading.Thread(target=run, args=(*args, stop)) for run, args in attack or []]
    for thread in threads:
        thread.start()
    time.sleep(seconds)
    stop.set()
    for thread in threads:
        thread.join(timeout=60)
    return recorder


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=float, default=30.0, help="length of each phase")
    seconds = parser.parse_args().seconds
    process, env = start_suite(
        {
            # The limits as deployed (gateway_overhead lifts the per-principal one).
            "SYNTHSTUDIO_RATE_LIMIT_STANDARD_PER_MINUTE": "600",
            # The TabularARGN engine host is not needed; keep it off other suites' ports.
            "SYNTHSTUDIO_ENGINE_TABULAR_ARGN_PORT": str(free_port()),
        }
    )
    try:
        url = env["url"]
        admin = httpx.post(
            f"{url}/v1/auth/login", json={"email": "bench@example.org", "password": PASSWORD}
        ).json()["accessToken"]
        emails = [f"user{i}@example.org" for i in range(READERS + SIGNERS + 1)]
        for email in emails:
            httpx.post(
                f"{url}/v1/users",
                json={"email": email, "password": PASSWORD, "role": "ROLE_VIEWER"},
                headers={"authorization": f"Bearer {admin}"},
            ).raise_for_status()
        tokens = [
            httpx.post(f"{url}/v1/auth/login", json={"email": e, "password": PASSWORD}).json()[
                "accessToken"
            ]
            for e in emails[:READERS] + emails[-1:]
        ]
        readers, attacker = tokens[:READERS], tokens[-1]
        signers = emails[READERS : READERS + SIGNERS]
        engine = create_engine(f"sqlite:///{Path(env['SYNTHSTUDIO_DATA_DIR']) / 'synthstudio.db'}")
        creator = Principal(id="user:bench", name="bench", role=Role.ADMIN)
        job = JobStore(engine).create("bench.never_runs", {}, creator=creator)
        engine.dispose()

        quiet = run_phase(url, seconds, readers, signers)
        flood_codes: dict[int, int] = {}
        watch_codes: dict[int, int] = {}
        attacked = run_phase(
            url,
            seconds,
            readers,
            signers,
            attack=[(sign_in_flood, (url, flood_codes)) for _ in range(ATTACK_THREADS)]
            + [(watch_flood, (url, attacker, job.id, watch_codes))],
        )
    finally:
        process.terminate()
        process.wait()
    print(f"{READERS + SIGNERS} honest clients, {seconds:.0f} s per phase")
    for route in ("GET /v1/datasets", "POST /v1/auth/login"):
        calm, busy = quiet.summary(route), attacked.summary(route)
        ratio = busy[3] / calm[3] if calm[3] else float("nan")
        for phase, (calls, errors, p50, p99) in (("quiet", calm), ("attacked", busy)):
            print(
                f"{route} {phase}: {calls} calls, {errors:.1%} errors, "
                f"p50 {p50 * 1e3:.0f} ms, p99 {p99 * 1e3:.0f} ms"
            )
        print(f"{route}: p99 attacked/quiet {ratio:.2f} (target: 0 errors, <= 2)")
    print(f"attacker sign-in flood answers: {dict(sorted(flood_codes.items()))}")
    print(f"attacker watch answers: {dict(sorted(watch_codes.items()))}")


if __name__ == "__main__":
    main()
