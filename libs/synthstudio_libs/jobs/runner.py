"""Running jobs: the handler registry, progress backed by the jobs table, the in-process pool."""

from __future__ import annotations

import contextlib
import logging
import threading
import time
from collections import Counter, deque
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any, Protocol

from opentelemetry import propagate, trace

from synthstudio_libs.auth.principal import Principal, bind, current_principal, unbind
from synthstudio_libs.auth.projects import ProjectDirectory, serving
from synthstudio_libs.errors import JobCancelled, RateLimited, SynthStudioError, canonical_code
from synthstudio_libs.jobs.store import Job, JobError, JobStore, worker_identity

log = logging.getLogger(__name__)

# Progress is written at most this often; a final or first report always goes through.
_PROGRESS_INTERVAL_SECONDS = 0.25
# A job's time left is extrapolated from its rate so far once this much of it is done and this
# long has passed: earlier, start-up costs (imports, reading the table) dominate the rate.
_ESTIMATE_AFTER_FRACTION = 0.02
_ESTIMATE_AFTER_SECONDS = 2.0
# A `warning=` detail stays in the job's details through later updates, and is written at once:
# a warning a client could miss between two polls would not have been said.
_STICKY_DETAIL = "warning"
# What a caller with too many unfinished jobs is told to wait before trying again.
_FULL_RETRY_SECONDS = 30.0


@dataclass(frozen=True)
class JobContext:
    """What a handler gets: the job (with its params) and where to report progress."""

    job: Job
    progress: StoreProgress


JobHandler = Callable[[JobContext], dict[str, Any]]


class JobRegistry:
    """Maps a job kind (`synthesis.train`) to the function that runs it."""

    def __init__(self) -> None:
        self._handlers: dict[str, JobHandler] = {}

    def register(self, kind: str, handler: JobHandler) -> None:
        self._handlers[kind] = handler

    def handler(self, kind: str) -> JobHandler:
        return self._handlers[kind]


class StoreProgress:
    """`Progress` that records updates in the jobs table and raises JobCancelled on request."""

    def __init__(
        self, store: JobStore, job_id: str, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self._store = store
        self._job_id = job_id
        self._clock = clock
        self._last_write = 0.0
        self._started = clock()
        self._warning: float | int | str | None = None

    def update(self, fraction: float, message: str = "", **details: float | int | str) -> None:
        now = self._clock()
        warning = details.get(_STICKY_DETAIL)
        news = warning is not None and warning != self._warning
        if not news and fraction < 1.0 and now - self._last_write < _PROGRESS_INTERVAL_SECONDS:
            return
        self._last_write = now
        if warning is not None:
            self._warning = warning
        elif self._warning is not None:
            details[_STICKY_DETAIL] = self._warning
        left = self._seconds_left(fraction, now)
        if left is not None and "seconds_left" not in details:
            details["seconds_left"] = left
        if self._store.report_progress(self._job_id, fraction, message, details):
            raise JobCancelled(f"job '{self._job_id}' was cancelled")

    def _seconds_left(self, fraction: float, now: float) -> int | None:
        """The time the job still needs at its rate so far (None while too early to say)."""
        elapsed = now - self._started
        if fraction >= 1.0 or fraction < _ESTIMATE_AFTER_FRACTION:
            return None
        if elapsed < _ESTIMATE_AFTER_SECONDS:
            return None
        return round(elapsed * (1.0 - fraction) / fraction)


Delegate = Callable[[Principal], str]


def run_job(
    store: JobStore,
    registry: JobRegistry,
    job_id: str,
    worker: str,
    delegate: Delegate,
    directory: ProjectDirectory | None = None,
) -> None:
    """Runs one queued job to its end state, acting for the principal that started it (calls
    to other services carry a token `delegate` mints for it) and checking access against
    `directory` (the process's installed one when None). Handlers commit what they produce
    only when they succeed, so a failed or cancelled job leaves stored data as it was."""
    if not store.start(job_id, worker):
        return
    job = store.get(job_id)
    tracer = trace.get_tracer(__name__)
    acting_as = bind(job.creator, lambda: delegate(job.creator))
    try:
        with serving(directory):
            _run(store, registry, job, tracer)
    finally:
        unbind(acting_as)


def _run(store: JobStore, registry: JobRegistry, job: Job, tracer: trace.Tracer) -> None:
    # A child of the request that queued the job, whichever process or worker runs it.
    parent = propagate.extract(job.trace_context)
    with tracer.start_as_current_span(
        f"job {job.kind}", context=parent, kind=trace.SpanKind.CONSUMER
    ) as span:
        span.set_attribute("synthstudio.job_id", job.id)
        try:
            result = registry.handler(job.kind)(JobContext(job, StoreProgress(store, job.id)))
        except JobCancelled:
            store.mark_cancelled(job.id)
        except SynthStudioError as exc:
            store.fail(job.id, job_error(exc))
        except Exception as exc:  # a bug, not the user's mistake: keep the trace in the log
            log.exception("job %s (%s) failed", job.id, job.kind)
            span.record_exception(exc)
            store.fail(
                job.id,
                JobError(
                    code="INTERNAL",
                    reason="JOB_CRASHED",
                    message=f"the job failed unexpectedly ({type(exc).__name__}: {exc}); "
                    "stored data is unchanged",
                ),
            )
        else:
            store.succeed(job.id, result)


def job_error(exc: SynthStudioError) -> JobError:
    return JobError(
        code=canonical_code(exc), reason=exc.reason, message=exc.message, metadata=exc.metadata
    )


class Executor(Protocol):
    """Where queued jobs run: in this process (default) or on Celery workers."""

    def submit(self, job: Job) -> None: ...

    def shutdown(self) -> None: ...


class Heartbeat:
    """Proves, every interval, that this process's queued and running jobs are alive, and fails
    the jobs of processes that stopped proving it (a dead process on this host at once; any
    whose heartbeat is older than six intervals): see JobStore.fail_orphans."""

    def __init__(self, store: JobStore, interval_seconds: float) -> None:
        self._store = store
        self._interval = interval_seconds
        self._running: set[str] = set()
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._reap()
        self._thread = threading.Thread(target=self._beat, name="job-heartbeat", daemon=True)
        self._thread.start()

    @contextlib.contextmanager
    def tracking(self, job_id: str):
        self.track(job_id)
        try:
            yield
        finally:
            self.untrack(job_id)

    def track(self, job_id: str) -> None:
        with self._lock:
            self._running.add(job_id)

    def untrack(self, job_id: str) -> None:
        with self._lock:
            self._running.discard(job_id)

    def _reap(self) -> None:
        failed = self._store.fail_orphans(stale_after=timedelta(seconds=6 * self._interval))
        if failed:
            log.warning("failed %d job(s) left queued or running by a stopped process", failed)

    def _beat(self) -> None:
        while not self._stop.wait(self._interval):
            with self._lock:
                running = list(self._running)
            try:
                self._store.heartbeat(running)
                self._reap()
            except Exception:  # the database may be briefly away; the next beat retries
                log.exception("job heartbeat failed")

    def stop(self) -> None:
        self._stop.set()


class FairTurns:
    """Jobs waiting for a worker, handed out in turns by principal: a burst of one user's jobs
    waits behind another user's single job instead of in front of it, and no principal runs
    jobs on every worker at once (with two workers or more), so one user's long jobs never take
    the service from everyone else."""

    def __init__(self, workers: int) -> None:
        self._most_per_principal = max(1, workers - 1)
        # Principal id -> its waiting job ids, in the order their turns come.
        self._waiting: dict[str, deque[str]] = {}
        self._running: Counter[str] = Counter()
        self._changed = threading.Condition()
        self._closed = False

    def put(self, principal_id: str, job_id: str) -> None:
        with self._changed:
            self._waiting.setdefault(principal_id, deque()).append(job_id)
            self._changed.notify()

    def take(self) -> tuple[str, str] | None:
        """The next (principal id, job id) to run, once one may start; None once closed."""
        with self._changed:
            while not self._closed:
                turn = self._next_turn()
                if turn is not None:
                    return turn
                self._changed.wait()
            return None

    def _next_turn(self) -> tuple[str, str] | None:
        for principal_id, queued in self._waiting.items():
            if self._running[principal_id] < self._most_per_principal:
                job_id = queued.popleft()
                # The principal's next job, if any, takes its turn after everyone else's.
                del self._waiting[principal_id]
                if queued:
                    self._waiting[principal_id] = queued
                self._running[principal_id] += 1
                return principal_id, job_id
        return None

    def done(self, principal_id: str) -> None:
        with self._changed:
            self._running[principal_id] -= 1
            if self._running[principal_id] <= 0:
                del self._running[principal_id]
            self._changed.notify_all()

    def close(self) -> list[str]:
        """Stops handing out jobs; returns the ids of those never started."""
        with self._changed:
            self._closed = True
            never_started = [job_id for queued in self._waiting.values() for job_id in queued]
            self._waiting.clear()
            self._changed.notify_all()
        return never_started


class InProcessExecutor:
    """Runs jobs on worker threads in the service's own process, in turns by principal (see
    FairTurns)."""

    def __init__(
        self,
        store: JobStore,
        registry: JobRegistry,
        *,
        workers: int,
        heartbeat_seconds: float,
        delegate: Delegate,
        directory: ProjectDirectory | None = None,
    ) -> None:
        self._store = store
        self._registry = registry
        self._delegate = delegate
        self._directory = directory
        self._turns = FairTurns(workers)
        self._worker = worker_identity()
        self._heartbeat = Heartbeat(store, heartbeat_seconds)
        for number in range(workers):
            threading.Thread(target=self._work, name=f"job_{number}", daemon=True).start()

    def submit(self, job: Job) -> None:
        # Held and beaten for from now: if this process dies before a worker reaches the job,
        # the next start (or another replica) fails it rather than leaving it queued forever.
        self._store.hold(job.id, self._worker)
        self._heartbeat.track(job.id)
        self._turns.put(job.creator.id, job.id)

    def _work(self) -> None:
        while (turn := self._turns.take()) is not None:
            principal_id, job_id = turn
            try:
                run_job(
                    self._store,
                    self._registry,
                    job_id,
                    self._worker,
                    self._delegate,
                    self._directory,
                )
            except Exception:  # the database went away mid-job: the heartbeat's reaper ends it
                log.exception("job %s could not be run to its end", job_id)
            finally:
                self._heartbeat.untrack(job_id)
                self._turns.done(principal_id)

    def shutdown(self) -> None:
        self._heartbeat.stop()
        self._store.fail_queued(self._turns.close())


class JobQueue:
    """Creates a job row and hands it to the executor: the one way services start long work."""

    def __init__(self, store: JobStore, executor: Executor, jobs_per_user: int = 20) -> None:
        self.store = store
        self.executor = executor
        self._jobs_per_user = jobs_per_user

    def enqueue(
        self, kind: str, params: dict[str, Any], *, resource: str = "", project: str = "default"
    ) -> Job:
        """Starts `kind` for the principal of the call being served, in the trace of that call,
        on a resource of `project`."""
        return self.submit(self.reserve(kind, params, resource=resource, project=project))

    def reserve(
        self, kind: str, params: dict[str, Any], *, resource: str = "", project: str = "default"
    ) -> Job:
        """A QUEUED job row for the call being served that no executor has yet: for work that
        must do something (spend a budget) between creating the job and running it.
        RateLimited when the caller already has as many unfinished jobs of this service as one
        user may."""
        self._check_room(kind)
        trace_context: dict[str, str] = {}
        propagate.inject(trace_context)
        return self.store.create(
            kind,
            params,
            resource=resource,
            creator=current_principal(),
            trace_context=trace_context,
            project=project,
        )

    def _check_room(self, kind: str) -> None:
        # Soft: two calls at the same moment may both pass at the limit, which bounds nothing
        # the limit is for (a flood of jobs queued in front of everyone else's).
        service = kind.partition(".")[0]
        unfinished = self.store.count_unfinished(current_principal().id, f"{service}.")
        if unfinished >= self._jobs_per_user:
            raise RateLimited(
                f"you already have {unfinished} unfinished {service} jobs, the most one user may "
                "have at once: wait for some to end, or cancel some (`synthstudio jobs list`, "
                "`synthstudio jobs cancel JOB_ID`)",
                retry_after_seconds=_FULL_RETRY_SECONDS,
                reason="TOO_MANY_JOBS",
                metadata={"unfinished": unfinished, "limit": self._jobs_per_user},
            )

    def submit(self, job: Job) -> Job:
        """Hands a reserved job to the executor."""
        self.executor.submit(job)
        return job

    def fail(self, job_id: str, error: JobError) -> None:
        """Ends a reserved job that will not run, with the reason."""
        self.store.fail(job_id, error)

    def get(self, job_id: str) -> Job:
        return self.store.get(job_id)
