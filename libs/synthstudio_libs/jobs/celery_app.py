"""The Celery worker: `celery -A synthstudio_libs.jobs.celery_app worker --pool=threads`
(`make worker`). It runs the jobs of every installed service (entry-point group
`synthstudio.services`), each service built by the same `build` function its gRPC server uses,
against the same database and artifact store as the services."""

from __future__ import annotations

from synthstudio_libs.config import load_settings
from synthstudio_libs.jobs.celery_backend import RUN_JOB_TASK, celery_app
from synthstudio_libs.jobs.runner import Heartbeat, run_job
from synthstudio_libs.jobs.store import worker_identity
from synthstudio_libs.runtime import open_runtime
from synthstudio_libs.service import installed_services
from synthstudio_libs.telemetry import setup_telemetry

settings = load_settings()
setup_telemetry("synthstudio-worker", settings.log_level)
services = list(installed_services())
runtime = open_runtime(settings, *(service.migrations for service in services))
for service in services:
    service.assemble(runtime)
heartbeat = Heartbeat(runtime.jobs, settings.job_heartbeat_seconds)
app = celery_app(settings)


@app.task(name=RUN_JOB_TASK)
def run(job_id: str) -> None:
    with heartbeat.tracking(job_id):
        delegate = runtime.identity.delegate
        run_job(
            runtime.jobs, runtime.registry, job_id, worker_identity(), delegate, runtime.projects
        )
