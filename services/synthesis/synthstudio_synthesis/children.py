"""Worker processes that die with the service that started them.

ctgan transforms columns on joblib's loky workers, and sampling runs on a process pool. A
`kill -9` of the service gives neither a chance to stop them: loky's idle workers (~850 MB
each after a CTGAN fit) once lived on for minutes, and the sampling pool's workers, children
of multiprocessing's fork server, for good. Each worker therefore watches the service's process
(through a pidfd, so it wakes the moment the service ends) and exits with it.
PR_SET_PDEATHSIG would not do: it fires when the *thread* that spawned a worker ends, and it
sees only the direct parent (the fork server, which lives as long as its children).
"""

from __future__ import annotations

import os

from joblib import register_parallel_backend
from joblib._parallel_backends import LokyBackend

from synthstudio_libs.lifetime import on_exit_of

BACKEND_NAME = "loky-bound-to-parent"


def die_with(service_pid: int | None = None) -> None:
    """Exits this process when `service_pid` (by default this process's parent) ends: run
    first in every worker process."""
    # Once the service is gone, nothing this worker computes can be delivered.
    if not on_exit_of(service_pid or os.getppid(), lambda: os._exit(1)):
        os._exit(1)


class ParentBoundLokyBackend(LokyBackend):
    """joblib's loky backend with workers that die with the process that started them."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, initializer=die_with, **kwargs)


def bind_joblib_workers() -> None:
    """Makes every `joblib.Parallel` of this process (ctgan's among them) use workers that die
    with it."""
    register_parallel_backend(BACKEND_NAME, ParentBoundLokyBackend, make_default=True)
