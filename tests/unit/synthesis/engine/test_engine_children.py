"""Worker processes die with the service that started them: after a `kill -9` of the parent,
joblib's loky workers (ctgan's column transforms) and the sampling pool's workers exit within
seconds instead of living on for minutes."""

from __future__ import annotations

import os
import subprocess
import sys
import time

import pytest

# Starts workers the way the service does, prints their process ids, then waits to be killed.
_PARENTS = {
    "joblib": """
import os
from joblib import Parallel, delayed
from synthstudio_synthesis.children import bind_joblib_workers
bind_joblib_workers()
print(*set(Parallel(n_jobs=2)(delayed(os.getpid)() for _ in range(8))), flush=True)
""",
    "sampling pool": """
import operator, os
from synthstudio_engine_sdv.sampling import ParallelSampler
sampler = ParallelSampler(workers=1)
# The "model" is os.getpid, and the work calls it: the worker's id comes back.
with sampler.lease(os.getpid) as model:
    print(sampler.submit(model, operator.call).result(), flush=True)
""",
}


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().split(") ", 1)[1][0] != "Z"  # a zombie has exited
    except FileNotFoundError:
        return False


def _wait_gone(pids: list[int], seconds: float) -> list[int]:
    deadline = time.monotonic() + seconds
    while (alive := [pid for pid in pids if _alive(pid)]) and time.monotonic() < deadline:
        time.sleep(0.1)
    return alive


@pytest.mark.parametrize("kind", sorted(_PARENTS))
def test_workers_exit_when_their_service_is_killed(kind):
    script = _PARENTS[kind] + "import threading; threading.Event().wait()\n"
    parent = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    try:
        workers = [int(pid) for pid in parent.stdout.readline().split()]
        assert workers and parent.pid not in workers
        assert all(_alive(pid) for pid in workers)
        # The sampling pool's workers are children of multiprocessing's fork server.
        between = {_parent_of(pid) for pid in workers} - {parent.pid}
    finally:
        parent.kill()
        parent.wait()
    assert _wait_gone([*workers, *between], seconds=10) == []
    assert os.getpid() not in workers


def _parent_of(pid: int) -> int:
    with open(f"/proc/{pid}/stat") as stat:
        return int(stat.read().split(") ", 1)[1].split()[1])
