"""Jobs on Celery workers with Redis as the broker (`SYNTHSTUDIO_JOB_BACKEND=celery`).

The job row stays the source of truth: the broker only carries job ids. Tasks are acknowledged
late and given back when a worker dies, and every worker's heartbeat fails the jobs of workers
that stopped, so no job is left running forever.
"""

from __future__ import annotations

from celery import Celery

from synthstudio_libs.config import Settings
from synthstudio_libs.jobs.runner import Heartbeat
from synthstudio_libs.jobs.store import Job, JobStore

RUN_JOB_TASK = "synthstudio.run_job"


def queue_for(kind: str) -> str:
    """Each service's jobs go to its own queue (`synthesis.train` -> `synthesis`), so workers
    can be scaled per service."""
    return kind.split(".", 1)[0]


def celery_app(settings: Settings) -> Celery:
    app = Celery("synthstudio", broker=settings.redis_url)
    app.conf.update(
        task_acks_late=True,
        task_reject_on_worker_lost=True,
        worker_prefetch_multiplier=1,
        task_default_queue="synthesis",
        broker_connection_retry_on_startup=True,
        worker_hijack_root_logger=False,
    )
    return app


class CeleryExecutor:
    """Hands queued jobs to Celery workers. Its heartbeat tracks no job of its own but fails
    the jobs of workers that died, even while no other worker is up."""

    def __init__(self, settings: Settings, store: JobStore) -> None:
        self._app = celery_app(settings)
        self._store = store
        self._heartbeat = Heartbeat(store, settings.job_heartbeat_seconds)

    def submit(self, job: Job) -> None:
        queue = queue_for(job.kind)
        self._store.hold(job.id, f"celery:{queue}")
        self._app.send_task(RUN_JOB_TASK, args=[job.id], queue=queue)

    def shutdown(self) -> None:
        self._heartbeat.stop()
        self._app.close()
