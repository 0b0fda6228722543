"""The job operations every service offers (get, list, cancel, watch), free of gRPC."""

from __future__ import annotations

import contextlib
import threading
import time
from collections import Counter
from collections.abc import Iterator

from synthstudio_libs.auth.principal import Role, current_principal
from synthstudio_libs.auth.projects import list_filter, require_access
from synthstudio_libs.errors import RateLimited
from synthstudio_libs.jobs.store import Job, JobState, JobStore, missing_job

# A watcher sees a change within 50 ms, at the cost of 20 small reads a second per watch.
_WATCH_POLL_SECONDS = 0.05
# A watch repeats the job unchanged after this long without a change: proxies and clients
# drop a stream that stays silent (nginx after 60 s; many HTTP clients sooner).
WATCH_KEEPALIVE_SECONDS = 10.0
# What a refused watcher is told to wait before trying again.
_WATCH_RETRY_SECONDS = 5.0


class WatchSlots:
    """Bounds the watch streams a process holds open, in all and per principal. A watch holds
    a server thread for as long as it lasts, on the pool that also serves uploads and
    downloads: without a bound, a few dozen open browser tabs (or one hostile client) would
    take every thread."""

    def __init__(self, *, per_principal: int, total: int) -> None:
        self.per_principal = per_principal
        self.total = total
        self._held: Counter[str] = Counter()
        self._lock = threading.Lock()

    @contextlib.contextmanager
    def held(self, principal_id: str) -> Iterator[None]:
        with self._lock:
            if self._held.total() >= self.total:
                raise RateLimited(
                    f"this service already serves its most job watches ({self.total}) at "
                    "once: poll GET /v1/jobs/{job_id} instead, or watch again later",
                    reason="WATCH_CAPACITY_REACHED",
                    retry_after_seconds=_WATCH_RETRY_SECONDS,
                    metadata={"limit": str(self.total)},
                )
            if self._held[principal_id] >= self.per_principal:
                raise RateLimited(
                    f"you already have {self.per_principal} job watches open on this "
                    "service: close one (or poll GET /v1/jobs/{job_id}) before opening another",
                    reason="TOO_MANY_WATCHES",
                    retry_after_seconds=_WATCH_RETRY_SECONDS,
                    metadata={"limit": str(self.per_principal)},
                )
            self._held[principal_id] += 1
        try:
            yield
        finally:
            with self._lock:
                self._held[principal_id] -= 1
                if not self._held[principal_id]:
                    del self._held[principal_id]


class JobOperations:
    """Get, list, cancel and watch jobs: the core behind every service's JobService."""

    def __init__(
        self,
        store: JobStore,
        watch_slots: WatchSlots,
        keepalive_seconds: float = WATCH_KEEPALIVE_SECONDS,
    ) -> None:
        self.store = store
        self._watch_slots = watch_slots
        self._keepalive_seconds = keepalive_seconds

    def get(self, job_id: str) -> Job:
        """The job, when the caller may see its project."""
        job = self.store.get(job_id)
        require_access(job.project, Role.VIEWER, not_found=missing_job(job_id))
        return job

    def list(
        self,
        size: int,
        token: str,
        kind: str = "",
        state: JobState | None = None,
        project: str = "",
    ) -> tuple[list[Job], str]:
        return self.store.list(
            size=size, token=token, kind=kind, state=state, projects=list_filter(project)
        )

    def cancel(self, job_id: str) -> Job:
        """Cancels the job: its creator, or an editor of its project."""
        job = self.get(job_id)
        if job.creator.id != current_principal().id:
            require_access(job.project, Role.EDITOR)
        return self.store.request_cancel(job_id)

    def watch(self, job_id: str, keep_going=lambda: True) -> Iterator[Job]:
        """Yields the job now, after each change and, while nothing changes, again every
        keep-alive interval; ends once the job is final or the caller stops wanting updates
        (`keep_going` returns False). Raises `RateLimited` when the process, or the caller,
        holds as many watches as the settings allow."""
        job = self.get(job_id)
        with self._watch_slots.held(current_principal().id):
            yield job
            last, last_sent = job.update_time, time.monotonic()
            while not job.state.is_final and keep_going():
                time.sleep(_WATCH_POLL_SECONDS)
                job = self.store.get(job_id)
                silent_for = time.monotonic() - last_sent
                if job.update_time != last or silent_for >= self._keepalive_seconds:
                    last, last_sent = job.update_time, time.monotonic()
                    yield job
