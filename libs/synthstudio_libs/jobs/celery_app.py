"""The Celery worker: `celery -A synthstudio_libs.jobs.celery_app worker --pool=threads`
(`make worker`). It runs the jobs of every installed service that registers job handlers
(entry-point group `synthstudio.jobs`), against the same database and artifact store as the
services."""

from __future__ import annotations

from importlib.metadata import entry_points

from synthstudio_libs.config import load_settings
from synthstudio_libs.jobs.celery_backend import RUN_JOB_TASK, celery_app
from synthstudio_libs.jobs.runner import Heartbeat, run_job
from synthstudio_libs.jobs.store import worker_identity
from synthstudio_libs.runtime import open_runtime
from synthstudio_libs.storage.database import discover_components
from synthstudio_libs.telemetry import setup_telemetry

JOBS_ENTRY_POINT_GROUP = "synthstudio.jobs"

settings = load_settings()
setup_telemetry("synthstudio-worker", settings.log_level)
runtime = open_runtime(settings, *discover_components())
for entry in entry_points(group=JOBS_ENTRY_POINT_GROUP):
    entry.load()(runtime)
heartbeat = Heartbeat(runtime.jobs, settings.job_heartbeat_seconds)
app = celery_app(settings)


@app.task(name=RUN_JOB_TASK)
def run(job_id: str) -> None:
    with heartbeat.tracking(job_id):
        delegate = runtime.identity.delegate
        run_job(runtime.jobs, runtime.registry, job_id, worker_identity(), delegate)
