"""The job framework on SQLite and on the real PostgreSQL."""

from __future__ import annotations

import contextlib
import socket
import subprocess
import sys
import threading
import time
from datetime import timedelta

import pytest

from synthstudio_libs.auth.principal import (
    Principal,
    Role,
    acting_as,
    bind,
    current_credentials,
    current_principal,
    unbind,
)
from synthstudio_libs.errors import FailedPrecondition, InvalidInput, NotFound, RateLimited
from synthstudio_libs.jobs.runner import InProcessExecutor, JobQueue, JobRegistry, StoreProgress
from synthstudio_libs.jobs.service import JobOperations, WatchSlots
from synthstudio_libs.jobs.store import JobState, JobStore, jobs
from synthstudio_libs.storage.util import utcnow


def wait_final(store: JobStore, job_id: str, timeout: float = 20.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        job = store.get(job_id)
        if job.state.is_final:
            return job
        time.sleep(0.05)
    raise AssertionError(f"job {job_id} did not finish: {store.get(job_id)}")


@pytest.fixture
def store(engine):
    return JobStore(engine)


@pytest.fixture
def registry():
    return JobRegistry()


ADMIN = Principal(id="user:admin", name="admin", role=Role.ADMIN)
ANA = Principal(id="user:ana", name="ana@example.org", role=Role.EDITOR)


def mint(principal: Principal) -> str:
    return f"Bearer minted-for-{principal.id}"


@pytest.fixture
def queue(store, registry):
    executor = InProcessExecutor(store, registry, workers=2, heartbeat_seconds=0.2, delegate=mint)
    yield JobQueue(store, executor)
    executor.shutdown()


@pytest.fixture
def as_ana():
    tokens = bind(ANA, "Bearer ana-token")
    yield ANA
    unbind(tokens)


def test_a_job_reports_progress_and_its_result(store, registry, queue, as_ana):
    def count(context):
        for step in range(1, 4):
            context.progress.update(step / 3, f"step {step}/3", step=step)
        return {"total": context.job.params["n"] * 2}

    registry.register("test.count", count)
    job = queue.enqueue("test.count", {"n": 21}, resource="datasets/ds_1")
    assert job.state is JobState.QUEUED
    done = wait_final(store, job.id)
    assert done.state is JobState.SUCCEEDED
    assert done.result == {"total": 42}
    assert done.progress == 1.0
    assert done.details == {"step": 3}
    assert done.creator == ANA and done.resource == "datasets/ds_1"
    assert done.start_time <= done.end_time


def test_a_running_job_says_how_long_it_still_needs_at_its_rate_so_far(store):
    job = store.create("test.slow", {}, creator=ANA)
    assert store.start(job.id, "worker-1")
    now = [100.0]
    progress = StoreProgress(store, job.id, clock=lambda: now[0])

    now[0] += 1.0
    progress.update(0.25, "early")  # too soon to extrapolate from
    assert "seconds_left" not in store.get(job.id).details
    now[0] += 9.0
    progress.update(0.25, "a quarter done in 10 s", epoch=1)

    assert store.get(job.id).details == {"epoch": 1, "seconds_left": 30}
    progress.update(1.0, "done")
    assert "seconds_left" not in store.get(job.id).details


def test_a_warning_is_written_at_once_and_kept_through_later_updates(store):
    job = store.create("test.warned", {}, creator=ANA)
    assert store.start(job.id, "worker-1")
    now = [100.0]
    progress = StoreProgress(store, job.id, clock=lambda: now[0])
    progress.update(0.0, "reading")

    progress.update(0.0, "checking", warning="ctgan fits this table poorly")  # same instant
    assert store.get(job.id).details == {"warning": "ctgan fits this table poorly"}
    now[0] += 1.0
    progress.update(0.5, "epoch 1/2", epoch=1)

    assert store.get(job.id).details == {"epoch": 1, "warning": "ctgan fits this table poorly"}


def test_a_job_acts_for_its_creator_with_delegated_credentials(store, registry, queue, as_ana):
    def who(context):
        return {"principal": current_principal().id, "forwards": current_credentials()}

    registry.register("test.who", who)
    done = wait_final(store, queue.enqueue("test.who", {}).id)
    assert done.result == {"principal": "user:ana", "forwards": "Bearer minted-for-user:ana"}


def test_a_domain_error_fails_the_job_with_its_code_and_reason(store, registry, queue):
    def refuse(context):
        raise InvalidInput("epochs must be positive", field="epochs", metadata={"epochs": -1})

    registry.register("test.refuse", refuse)
    done = wait_final(store, queue.enqueue("test.refuse", {}).id)
    assert done.state is JobState.FAILED
    assert done.error.code == "INVALID_ARGUMENT"
    assert done.error.message == "epochs must be positive"
    assert done.error.metadata == {"epochs": "-1"}


def test_a_crash_fails_the_job_without_losing_the_message(store, registry, queue):
    def crash(context):
        raise ZeroDivisionError("division by zero")

    registry.register("test.crash", crash)
    done = wait_final(store, queue.enqueue("test.crash", {}).id)
    assert done.state is JobState.FAILED
    assert done.error.code == "INTERNAL"
    assert "ZeroDivisionError" in done.error.message


def test_cancelling_a_running_job_stops_it_at_its_next_report(store, registry, queue):
    started = threading.Event()

    def endless(context):
        started.set()
        while True:
            context.progress.update(0.5, "working")
            time.sleep(0.05)

    registry.register("test.endless", endless)
    job = queue.enqueue("test.endless", {})
    assert started.wait(10)
    acting = bind(ADMIN, "")  # an administrator passes the job's project check
    try:
        JobOperations(store, WatchSlots(per_principal=8, total=32)).cancel(job.id)
    finally:
        unbind(acting)
    done = wait_final(store, job.id)
    assert done.state is JobState.CANCELLED
    assert done.cancel_requested


def test_cancelling_a_finished_job_is_refused(store, registry, queue):
    registry.register("test.quick", lambda context: {})
    done = wait_final(store, queue.enqueue("test.quick", {}).id)
    with pytest.raises(FailedPrecondition, match="already ended"):
        store.request_cancel(done.id)


def test_a_queued_job_is_cancelled_at_once(store):
    job = store.create("test.never", {}, creator=ANA)
    assert store.request_cancel(job.id).state is JobState.CANCELLED


def test_a_job_left_running_by_a_dead_process_fails_on_restart(store, registry):
    dead = subprocess.Popen(["true"])
    dead.wait()
    job = store.create("test.orphan", {}, creator=ANA)
    assert store.start(job.id, f"{socket.gethostname()}:{dead.pid}")
    executor = InProcessExecutor(store, registry, workers=1, heartbeat_seconds=5, delegate=mint)
    executor.shutdown()
    orphan = store.get(job.id)
    assert orphan.state is JobState.FAILED
    assert orphan.error.reason == "WORKER_LOST"


def test_a_live_worker_keeps_its_job(store, registry):
    job = store.create("test.alive", {}, creator=ANA)
    assert store.start(job.id, f"{socket.gethostname()}:1")
    executor = InProcessExecutor(store, registry, workers=1, heartbeat_seconds=5, delegate=mint)
    executor.shutdown()
    assert store.get(job.id).state is JobState.RUNNING


def test_watch_yields_each_change_until_the_end(store, registry, queue):
    gate = threading.Event()

    def gated(context):
        context.progress.update(0.5, "half")
        gate.wait(10)
        return {"ok": True}

    registry.register("test.gated", gated)
    job = queue.enqueue("test.gated", {})
    seen = []
    acting = bind(ADMIN, "")  # an administrator passes the job's project check
    for update in JobOperations(store, WatchSlots(per_principal=8, total=32)).watch(job.id):
        seen.append(update.state)
        if update.progress == 0.5:
            gate.set()
    unbind(acting)
    assert seen[-1] is JobState.SUCCEEDED
    assert JobState.RUNNING in seen


def test_a_watch_repeats_a_silent_job_so_the_stream_never_idles(store, registry, queue):
    gate = threading.Event()
    registry.register("test.silent", lambda context: {"ok": gate.wait(10)})
    job = queue.enqueue("test.silent", {})
    operations = JobOperations(store, WatchSlots(per_principal=8, total=32), keepalive_seconds=0.2)
    acting = bind(ADMIN, "")
    seen = []
    for update in operations.watch(job.id):
        seen.append(update)
        if len(seen) == 4:
            gate.set()
    unbind(acting)
    unchanged = [a for a, b in zip(seen, seen[1:], strict=False) if a == b]
    assert unchanged, "a job without news is sent again after the keep-alive interval"
    assert seen[-1].state is JobState.SUCCEEDED


BEN = Principal(id="user:ben", name="ben@example.org", role=Role.EDITOR)


def test_one_users_burst_never_takes_every_worker_from_another_user(store, registry, queue):
    gate = threading.Event()
    registry.register("test.slow", lambda context: {"released": gate.wait(20)})
    registry.register("test.quick", lambda context: {"ok": True})
    with acting_as(ANA, "Bearer ana"):
        burst = [queue.enqueue("test.slow", {}) for _ in range(3)]
    with acting_as(BEN, "Bearer ben"):
        quick = queue.enqueue("test.quick", {})
    # Two workers: Ana's burst runs on one at a time, Ben's job on the other at once.
    assert wait_final(store, quick.id).state is JobState.SUCCEEDED
    states = [store.get(job.id).state for job in burst]
    assert states == [JobState.RUNNING, JobState.QUEUED, JobState.QUEUED]
    gate.set()
    assert all(wait_final(store, job.id).state is JobState.SUCCEEDED for job in burst)


def test_a_user_with_too_many_unfinished_jobs_is_refused_until_one_ends(store, registry):
    gate = threading.Event()
    registry.register("test.held", lambda context: {"released": gate.wait(20)})
    executor = InProcessExecutor(store, registry, workers=1, heartbeat_seconds=5, delegate=mint)
    queue = JobQueue(store, executor, jobs_per_user=2)
    try:
        with acting_as(ANA, "Bearer ana"):
            held = [queue.enqueue("test.held", {}) for _ in range(2)]
            with pytest.raises(RateLimited, match="already have 2 unfinished test jobs") as caught:
                queue.enqueue("test.held", {})
        assert caught.value.reason == "TOO_MANY_JOBS"
        with acting_as(BEN, "Bearer ben"):
            assert queue.enqueue("test.held", {}).state is JobState.QUEUED
        gate.set()
        wait_final(store, held[0].id)
        with acting_as(ANA, "Bearer ana"):
            assert queue.enqueue("test.held", {}).state is JobState.QUEUED
    finally:
        gate.set()
        executor.shutdown()


def test_listing_pages_through_every_job(store):
    created = {store.create("test.page", {}, creator=ANA).id for _ in range(7)}
    listed, token = store.list(size=3)
    pages = [listed]
    while token:
        listed, token = store.list(size=3, token=token)
        pages.append(listed)
    assert [len(p) for p in pages] == [3, 3, 1]
    assert {j.id for page in pages for j in page} == created


def test_an_unknown_job_or_page_token_is_a_clear_error(store):
    with pytest.raises(NotFound, match="job 'job_nope' does not exist"):
        store.get("job_nope")
    with pytest.raises(InvalidInput, match="page_token"):
        store.list(token="garbage!")


def test_a_job_whose_worker_stopped_beating_elsewhere_is_failed(engine, store, registry):
    job = store.create("test.lost", {}, creator=ANA)
    assert store.start(job.id, "another-host:4242")
    executor = InProcessExecutor(store, registry, workers=1, heartbeat_seconds=0.2, delegate=mint)
    assert store.get(job.id).state is JobState.RUNNING
    # The other host's worker dies: its heartbeat stops and grows old.
    stale = utcnow() - timedelta(minutes=5)
    with engine.begin() as connection:
        connection.execute(jobs.update().where(jobs.c.id == job.id).values(heartbeat_at=stale))
    try:
        lost = wait_final(store, job.id, timeout=10)
    finally:
        executor.shutdown()
    assert lost.state is JobState.FAILED and lost.error.reason == "WORKER_LOST"


def test_watch_slots_bound_watches_per_principal_and_in_all():
    slots = WatchSlots(per_principal=2, total=3)
    with contextlib.ExitStack() as held:
        held.enter_context(slots.held("user:a"))
        held.enter_context(slots.held("user:a"))
        with pytest.raises(RateLimited) as mine, slots.held("user:a"):
            pass
        assert mine.value.reason == "TOO_MANY_WATCHES"
        held.enter_context(slots.held("user:b"))
        with pytest.raises(RateLimited) as full, slots.held("user:c"):
            pass
        assert full.value.reason == "WATCH_CAPACITY_REACHED"
        assert "GET /v1/jobs/{job_id}" in full.value.message
    with slots.held("user:c"), slots.held("user:a"):
        pass


_HOLDER = """
import sys, threading
import sqlalchemy as sa
from synthstudio_libs.auth.principal import Principal, Role, bind
from synthstudio_libs.jobs.runner import InProcessExecutor, JobQueue, JobRegistry
from synthstudio_libs.jobs.store import JobStore

store = JobStore(sa.create_engine(sys.argv[1]))
registry = JobRegistry()
registry.register("test.forever", lambda context: threading.Event().wait())
executor = InProcessExecutor(store, registry, workers=1, heartbeat_seconds=5, delegate=str)
bind(Principal(id="user:ana", name="ana@example.org", role=Role.EDITOR), lambda: "")
queue = JobQueue(store, executor)
print(queue.enqueue("test.forever", {}).id, queue.enqueue("test.forever", {}).id, flush=True)
threading.Event().wait()
"""


def test_jobs_of_a_killed_service_fail_on_restart_queued_ones_as_never_started(
    database_url, store, registry
):
    holder = subprocess.Popen(
        [sys.executable, "-c", _HOLDER, database_url], stdout=subprocess.PIPE, text=True
    )
    try:
        running_id, queued_id = holder.stdout.readline().split()
        deadline = time.monotonic() + 20
        while store.get(running_id).state is not JobState.RUNNING:
            assert time.monotonic() < deadline
            time.sleep(0.05)
    finally:
        holder.kill()
        holder.wait()
    assert store.get(queued_id).state is JobState.QUEUED
    executor = InProcessExecutor(store, registry, workers=1, heartbeat_seconds=5, delegate=mint)
    executor.shutdown()
    running, queued = store.get(running_id), store.get(queued_id)
    assert running.state is JobState.FAILED and running.error.reason == "WORKER_LOST"
    assert queued.state is JobState.FAILED and queued.error.reason == "JOB_NEVER_STARTED"
    assert queued.error.code == "ABORTED" and "read no data" in queued.error.message


def test_jobs_still_queued_when_a_service_stops_fail_as_never_started(store, registry):
    gate = threading.Event()
    registry.register("test.gated", lambda context: gate.wait(10) and {})
    executor = InProcessExecutor(store, registry, workers=1, heartbeat_seconds=5, delegate=mint)
    queue = JobQueue(store, executor)
    acting = bind(ANA, lambda: "token")
    try:
        first, second = queue.enqueue("test.gated", {}), queue.enqueue("test.gated", {})
    finally:
        unbind(acting)
    deadline = time.monotonic() + 10
    while store.get(first.id).state is not JobState.RUNNING:
        assert time.monotonic() < deadline
        time.sleep(0.05)
    executor.shutdown()
    gate.set()
    assert wait_final(store, first.id).state is JobState.SUCCEEDED
    never = store.get(second.id)
    assert never.state is JobState.FAILED and never.error.reason == "JOB_NEVER_STARTED"


def test_a_reserved_job_never_handed_over_fails_once_stale(engine, store, registry):
    reserved = store.create("test.reserved", {}, creator=ANA)
    fresh = store.create("test.reserved", {}, creator=ANA)
    stale = utcnow() - timedelta(minutes=5)
    with engine.begin() as connection:
        connection.execute(jobs.update().where(jobs.c.id == reserved.id).values(create_time=stale))
    executor = InProcessExecutor(store, registry, workers=1, heartbeat_seconds=5, delegate=mint)
    executor.shutdown()
    assert store.get(reserved.id).error.reason == "JOB_NEVER_STARTED"
    assert store.get(fresh.id).state is JobState.QUEUED


def test_a_job_queued_on_celery_waits_for_the_broker(engine, store, registry):
    job = store.create("synthesis.train", {}, creator=ANA)
    store.hold(job.id, "celery:synthesis")
    stale = utcnow() - timedelta(hours=1)
    with engine.begin() as connection:
        connection.execute(jobs.update().where(jobs.c.id == job.id).values(create_time=stale))
    executor = InProcessExecutor(store, registry, workers=1, heartbeat_seconds=5, delegate=mint)
    executor.shutdown()
    assert store.get(job.id).state is JobState.QUEUED
