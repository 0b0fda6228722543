"""The job operations every service offers (get, list, cancel, watch), free of gRPC."""

from __future__ import annotations

import time
from collections.abc import Iterator

from synthstudio_libs.jobs.store import Job, JobState, JobStore

# A watcher sees a change within 50 ms, at the cost of 20 small reads a second per watch.
_WATCH_POLL_SECONDS = 0.05


class JobOperations:
    """Get, list, cancel and watch jobs: the core behind every service's JobService."""

    def __init__(self, store: JobStore) -> None:
        self.store = store

    def get(self, job_id: str) -> Job:
        return self.store.get(job_id)

    def list(
        self, size: int, token: str, kind: str = "", state: JobState | None = None
    ) -> tuple[list[Job], str]:
        return self.store.list(size=size, token=token, kind=kind, state=state)

    def cancel(self, job_id: str) -> Job:
        return self.store.request_cancel(job_id)

    def watch(self, job_id: str, keep_going=lambda: True) -> Iterator[Job]:
        """Yields the job now and after each change, ending once it is final or the caller
        stops wanting updates (`keep_going` returns False)."""
        job = self.store.get(job_id)
        yield job
        last = job.update_time
        while not job.state.is_final and keep_going():
            time.sleep(_WATCH_POLL_SECONDS)
            job = self.store.get(job_id)
            if job.update_time != last:
                last = job.update_time
                yield job
