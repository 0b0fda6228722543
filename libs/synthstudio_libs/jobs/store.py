"""The jobs table and every read and write of it."""

from __future__ import annotations

import os
import socket
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

import sqlalchemy as sa

from synthstudio_libs.auth.principal import Principal, Role
from synthstudio_libs.errors import FailedPrecondition, NotFound
from synthstudio_libs.storage.util import (
    as_utc,
    new_id,
    read_page,
    utcnow,
)

metadata = sa.MetaData()

jobs = sa.Table(
    "jobs",
    metadata,
    sa.Column("id", sa.String(64), primary_key=True),
    sa.Column("kind", sa.String(64), nullable=False),
    sa.Column("state", sa.String(16), nullable=False),
    sa.Column("progress", sa.Float, nullable=False),
    sa.Column("message", sa.Text, nullable=False),
    sa.Column("details", sa.JSON, nullable=False),
    sa.Column("params", sa.JSON, nullable=False),
    sa.Column("result", sa.JSON),
    sa.Column("error", sa.JSON),
    sa.Column("resource", sa.String(255), nullable=False),
    sa.Column("creator", sa.String(255), nullable=False),
    sa.Column("creator_role", sa.String(16), nullable=False),
    sa.Column("creator_name", sa.String(320), nullable=False),
    sa.Column("cancel_requested", sa.Boolean, nullable=False),
    sa.Column("worker", sa.String(255)),
    sa.Column("heartbeat_at", sa.DateTime(timezone=True)),
    sa.Column("create_time", sa.DateTime(timezone=True), nullable=False),
    sa.Column("start_time", sa.DateTime(timezone=True)),
    sa.Column("end_time", sa.DateTime(timezone=True)),
    sa.Column("update_time", sa.DateTime(timezone=True), nullable=False),
    sa.Column("trace_context", sa.JSON),
    # The project of the resource the job works on (core_0006).
    sa.Column("project_id", sa.String(64), nullable=False, server_default="default"),
)


class JobState(StrEnum):
    QUEUED = "QUEUED"
    RUNNING = "RUNNING"
    SUCCEEDED = "SUCCEEDED"
    FAILED = "FAILED"
    CANCELLED = "CANCELLED"

    @property
    def is_final(self) -> bool:
        return self in (JobState.SUCCEEDED, JobState.FAILED, JobState.CANCELLED)


@dataclass(frozen=True)
class JobError:
    """Why a job failed: a canonical status name, an ErrorInfo reason, a message, metadata."""

    code: str
    reason: str
    message: str
    metadata: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Job:
    id: str
    kind: str
    state: JobState
    progress: float
    message: str
    details: dict[str, Any]
    params: dict[str, Any]
    result: dict[str, Any] | None
    error: JobError | None
    resource: str
    creator: Principal
    cancel_requested: bool
    worker: str | None
    create_time: datetime
    start_time: datetime | None
    end_time: datetime | None
    update_time: datetime
    # The W3C trace context (traceparent/tracestate) of the request that queued the job.
    trace_context: dict[str, str] = field(default_factory=dict)
    # The project of the resource the job works on.
    project: str = "default"


def missing_job(job_id: str) -> NotFound:
    """What a job that does not exist, or that the caller may not see, is."""
    return NotFound(f"job '{job_id}' does not exist", metadata={"job_id": job_id})


def worker_identity() -> str:
    """`host:pid` of this process, recorded on the jobs it runs."""
    return f"{socket.gethostname()}:{os.getpid()}"


def _row_to_job(row: sa.Row) -> Job:
    error = JobError(**row.error) if row.error else None
    return Job(
        id=row.id,
        kind=row.kind,
        state=JobState(row.state),
        progress=row.progress,
        message=row.message,
        details=row.details or {},
        params=row.params or {},
        result=row.result,
        error=error,
        resource=row.resource,
        creator=Principal(id=row.creator, name=row.creator_name, role=Role(row.creator_role)),
        cancel_requested=row.cancel_requested,
        worker=row.worker,
        create_time=as_utc(row.create_time),
        start_time=as_utc(row.start_time),
        end_time=as_utc(row.end_time),
        update_time=as_utc(row.update_time),
        trace_context=row.trace_context or {},
        project=row.project_id,
    )


class JobStore:
    """Reads and writes job rows. Every state change is one short transaction."""

    def __init__(self, engine: sa.Engine) -> None:
        self.engine = engine

    def create(
        self,
        kind: str,
        params: dict[str, Any],
        *,
        resource: str = "",
        creator: Principal,
        trace_context: dict[str, str] | None = None,
        project: str = "default",
    ) -> Job:
        now = utcnow()
        values = {
            "id": new_id("job"),
            "kind": kind,
            "state": JobState.QUEUED.value,
            "progress": 0.0,
            "message": "queued",
            "details": {},
            "params": params,
            "resource": resource,
            "creator": creator.id,
            "creator_role": creator.role.value,
            "creator_name": creator.name,
            "cancel_requested": False,
            "create_time": now,
            "update_time": now,
            "trace_context": trace_context or None,
            "project_id": project,
        }
        with self.engine.begin() as connection:
            connection.execute(jobs.insert().values(**values))
        return self.get(values["id"])

    def count_unfinished(self, creator_id: str, kind_prefix: str) -> int:
        """Queued and running jobs of `creator_id` whose kind starts with `kind_prefix`."""
        query = (
            sa.select(sa.func.count())
            .select_from(jobs)
            .where(jobs.c.creator == creator_id)
            .where(jobs.c.kind.startswith(kind_prefix, autoescape=True))
            .where(jobs.c.state.in_([JobState.QUEUED.value, JobState.RUNNING.value]))
        )
        with self.engine.connect() as connection:
            return int(connection.execute(query).scalar_one())

    def get(self, job_id: str) -> Job:
        with self.engine.connect() as connection:
            row = connection.execute(jobs.select().where(jobs.c.id == job_id)).first()
        if row is None:
            raise missing_job(job_id)
        return _row_to_job(row)

    def list(
        self,
        *,
        size: int = 0,
        token: str = "",
        kind: str = "",
        state: JobState | None = None,
        projects: list[str] | None = None,
    ) -> tuple[list[Job], str]:
        """A page of jobs, newest first; only of `projects` unless None."""
        query = jobs.select().order_by(jobs.c.create_time.desc(), jobs.c.id)
        if projects is not None:
            query = query.where(jobs.c.project_id.in_(projects))
        if kind:
            query = query.where(jobs.c.kind == kind)
        if state is not None:
            query = query.where(jobs.c.state == state.value)
        with self.engine.connect() as connection:
            rows, next_token = read_page(connection, query, size, token)
        return [_row_to_job(r) for r in rows], next_token

    def start(self, job_id: str, worker: str) -> bool:
        """Moves a queued job to RUNNING for `worker`; False if it is no longer queued."""
        now = utcnow()
        with self.engine.begin() as connection:
            updated = connection.execute(
                jobs.update()
                .where(jobs.c.id == job_id, jobs.c.state == JobState.QUEUED.value)
                .values(
                    state=JobState.RUNNING.value,
                    worker=worker,
                    start_time=now,
                    heartbeat_at=now,
                    update_time=now,
                    message="running",
                )
            ).rowcount
        return updated == 1

    def hold(self, job_id: str, holder: str) -> None:
        """Records which process holds a queued job until it starts (`host:pid` for a service's
        own pool, the broker's queue for Celery), so a queued job whose holder died is failed
        instead of waiting forever. A holder that beats (see `heartbeat`) is also failed when
        its beats stop; Celery's broker gives a lost worker's jobs to another, so it never
        beats for queued jobs."""
        with self.engine.begin() as connection:
            connection.execute(
                jobs.update()
                .where(jobs.c.id == job_id, jobs.c.state == JobState.QUEUED.value)
                .values(worker=holder, update_time=utcnow())
            )

    def report_progress(
        self, job_id: str, fraction: float, message: str, details: dict[str, Any]
    ) -> bool:
        """Records progress of a running job; returns whether cancellation was requested."""
        now = utcnow()
        with self.engine.begin() as connection:
            connection.execute(
                jobs.update()
                .where(jobs.c.id == job_id, jobs.c.state == JobState.RUNNING.value)
                .values(
                    progress=min(max(fraction, 0.0), 1.0),
                    message=message,
                    details=details,
                    heartbeat_at=now,
                    update_time=now,
                )
            )
            requested = connection.execute(
                sa.select(jobs.c.cancel_requested).where(jobs.c.id == job_id)
            ).scalar_one()
        return bool(requested)

    def heartbeat(self, job_ids: list[str]) -> None:
        if not job_ids:
            return
        with self.engine.begin() as connection:
            connection.execute(
                jobs.update()
                .where(jobs.c.id.in_(job_ids), jobs.c.state.in_(_ACTIVE))
                .values(heartbeat_at=utcnow())
            )

    def succeed(self, job_id: str, result: dict[str, Any]) -> None:
        self._finish(job_id, JobState.SUCCEEDED, result=result, progress=1.0, message="done")

    def fail(self, job_id: str, error: JobError) -> None:
        self._finish(job_id, JobState.FAILED, error=error.__dict__, message=error.message)

    def mark_cancelled(self, job_id: str) -> None:
        self._finish(job_id, JobState.CANCELLED, message="cancelled")

    def _finish(self, job_id: str, state: JobState, **values: Any) -> None:
        now = utcnow()
        with self.engine.begin() as connection:
            connection.execute(
                jobs.update()
                .where(jobs.c.id == job_id, jobs.c.state.in_(_ACTIVE))
                .values(state=state.value, end_time=now, update_time=now, **values)
            )

    def request_cancel(self, job_id: str) -> Job:
        """Cancels a queued job at once; flags a running one to stop at its next report."""
        job = self.get(job_id)
        if job.state.is_final:
            raise FailedPrecondition(
                f"job '{job_id}' already ended ({job.state.value}); only queued or running "
                "jobs can be cancelled",
                reason="JOB_ALREADY_ENDED",
                metadata={"job_id": job_id, "state": job.state.value},
            )
        now = utcnow()
        with self.engine.begin() as connection:
            connection.execute(
                jobs.update()
                .where(jobs.c.id == job_id)
                .values(cancel_requested=True, update_time=now)
            )
            connection.execute(
                jobs.update()
                .where(jobs.c.id == job_id, jobs.c.state == JobState.QUEUED.value)
                .values(state=JobState.CANCELLED.value, end_time=now, message="cancelled")
            )
        return self.get(job_id)

    def fail_orphans(self, stale_after: timedelta) -> int:
        """Fails the jobs whose process died: on this host a holder whose process is gone,
        anywhere one whose heartbeat is older than `stale_after`. A running job fails with
        WORKER_LOST; a queued one with JOB_NEVER_STARTED (it read no data), as does a job
        reserved longer than `stale_after` ago that no process ever took. Returns how many."""
        now = utcnow()
        with self.engine.begin() as connection:
            rows = connection.execute(
                sa.select(
                    jobs.c.id, jobs.c.state, jobs.c.worker, jobs.c.heartbeat_at, jobs.c.create_time
                ).where(jobs.c.state.in_(_ACTIVE))
            ).all()
            lost = {JobState.RUNNING: [], JobState.QUEUED: []}
            for row in rows:
                if _holder_is_gone(row, now - stale_after):
                    lost[JobState(row.state)].append(row.id)
            for state, ids in lost.items():
                if ids:
                    error = WORKER_LOST if state is JobState.RUNNING else NEVER_STARTED
                    connection.execute(
                        jobs.update()
                        .where(jobs.c.id.in_(ids), jobs.c.state == state.value)
                        .values(
                            state=JobState.FAILED.value,
                            error=error.__dict__,
                            message=error.message,
                            end_time=now,
                            update_time=now,
                        )
                    )
        return sum(len(ids) for ids in lost.values())

    def fail_queued(self, job_ids: list[str]) -> None:
        """Fails queued jobs that this process held and will not start (it is stopping)."""
        if not job_ids:
            return
        now = utcnow()
        with self.engine.begin() as connection:
            connection.execute(
                jobs.update()
                .where(jobs.c.id.in_(job_ids), jobs.c.state == JobState.QUEUED.value)
                .values(
                    state=JobState.FAILED.value,
                    error=NEVER_STARTED.__dict__,
                    message=NEVER_STARTED.message,
                    end_time=now,
                    update_time=now,
                )
            )


WORKER_LOST = JobError(
    code="ABORTED",
    reason="WORKER_LOST",
    message="the worker running this job stopped before it finished; nothing it produced "
    "was kept — start the job again",
)
# Keyed on by the privacy service: a job that never started read no data, so what it spent
# is given back.
NEVER_STARTED = JobError(
    code="ABORTED",
    reason="JOB_NEVER_STARTED",
    message="the service holding this queued job stopped before the job started; it read no "
    "data and produced nothing — start the job again",
)


def _holder_is_gone(row: sa.Row, stale_before: datetime) -> bool:
    if row.worker is None:
        # Reserved (a budget being spent, say) but never handed to an executor.
        created = as_utc(row.create_time)
        return created is not None and created < stale_before
    beat = as_utc(row.heartbeat_at)
    return _worker_is_dead(row.worker) or (beat is not None and beat < stale_before)


_ACTIVE = (JobState.QUEUED.value, JobState.RUNNING.value)


def _worker_is_dead(worker: str | None) -> bool:
    """Whether `worker` (`host:pid`) is a process of this host that no longer exists."""
    worker_host, _, pid = (worker or "").rpartition(":")
    if worker_host != socket.gethostname() or not pid.isdigit():
        return False
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    return False
