"""Long-running jobs (training, sampling, scans, reports, assistant answers): get, list,
cancel, watch, and wait with a live progress bar fed by JobService.WatchJob."""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

from google.protobuf import json_format

from synthstudio.common.v1 import job_pb2
from synthstudio_sdk.errors import (
    DeadlineExceeded,
    JobCancelled,
    JobFailed,
    Unavailable,
    UsageError,
    from_status,
)
from synthstudio_sdk.messages import whole_numbers
from synthstudio_sdk.transport import Connection

Job = job_pb2.Job
FINAL_STATES = frozenset(
    {job_pb2.JOB_STATE_SUCCEEDED, job_pb2.JOB_STATE_FAILED, job_pb2.JOB_STATE_CANCELLED}
)
_WATCH_RECONNECTS = 20


def job_id_of(job: Job | str) -> str:
    return job if isinstance(job, str) else job.id


def state_name(job: Job) -> str:
    """`succeeded`, `running`, … for people."""
    return job_pb2.JobState.Name(job.state).removeprefix("JOB_STATE_").lower()


def job_result(job: Job) -> dict[str, Any]:
    """What a succeeded job produced (its `result`), e.g. {"synthesizer_id": "syn_…"};
    whole numbers come back as ints."""
    return whole_numbers(json_format.MessageToDict(job.result))


def progress_line(job: Job) -> str:
    """The job's progress message for people, with the time it still needs when the service
    has estimated it (`epoch 3/10 · about 2 min left`)."""
    message = job.message or state_name(job)
    left = job.details.fields.get("seconds_left")
    if left is None or is_final(job):
        return message
    seconds = round(left.number_value)
    remaining = f"{seconds // 60} min" if seconds >= 120 else f"{seconds} s"
    return f"{message} · about {remaining} left"


def is_final(job: Job) -> bool:
    return job.state in FINAL_STATES


def parse_state(value: str) -> int:
    """A JobState from `running`, `RUNNING` or `JOB_STATE_RUNNING`."""
    name = value.strip().upper()
    name = name if name.startswith("JOB_STATE_") else f"JOB_STATE_{name}"
    try:
        return job_pb2.JobState.Value(name)
    except ValueError:
        known = ", ".join(
            n.removeprefix("JOB_STATE_").lower()
            for n in job_pb2.JobState.keys()  # noqa: SIM118 - an enum wrapper, not a dict
            if not n.endswith("UNSPECIFIED")
        )
        raise UsageError(f"unknown job state {value!r}: use one of {known}") from None


def raise_for_outcome(job: Job) -> Job:
    """The job if it succeeded; JobFailed or JobCancelled otherwise."""
    if job.state == job_pb2.JOB_STATE_FAILED:
        raise JobFailed(job, from_status(job.error, job.kind.split(".", 1)[0]))
    if job.state == job_pb2.JOB_STATE_CANCELLED:
        raise JobCancelled(job)
    return job


class Jobs:
    """`client.jobs`: the one place to follow every service's long-running work."""

    def __init__(self, connection: Connection) -> None:
        self._connection = connection

    def get(self, job: Job | str) -> Job:
        return self._connection.unary(
            "jobs", "GetJob", job_pb2.GetJobRequest(job_id=job_id_of(job))
        )

    def list(
        self, *, kind: str = "", state: str | None = None, limit: int = 50, project: str = ""
    ) -> list[Job]:
        """The newest jobs first, at most `limit`, optionally of one kind (`synthesis.train`),
        state (`running`) or project (id or name)."""
        request = job_pb2.ListJobsRequest(
            kind=kind, state=parse_state(state) if state else job_pb2.JOB_STATE_UNSPECIFIED
        )
        request.project = project
        found: list[Job] = []
        while len(found) < limit:
            request.page_size = min(500, limit - len(found))
            reply = self._connection.unary("jobs", "ListJobs", request)
            found.extend(reply.jobs)
            if not reply.next_page_token:
                break
            request.page_token = reply.next_page_token
        return found[:limit]

    def cancel(self, job: Job | str) -> Job:
        """Asks the job to stop; a queued job stops at once, a running one at its next
        progress report. A finished job cannot be cancelled (FailedPrecondition)."""
        return self._connection.unary(
            "jobs", "CancelJob", job_pb2.CancelJobRequest(job_id=job_id_of(job))
        )

    def watch(self, job: Job | str, *, timeout: float | None = None) -> Iterator[Job]:
        """The job now and after each change, ending once it is final. A broken stream is
        picked up again (the job is kept by the server, nothing is lost)."""
        job_id = job_id_of(job)
        deadline = None if timeout is None else time.monotonic() + timeout
        reconnects = 0
        while True:
            remaining = None if deadline is None else max(0.1, deadline - time.monotonic())
            last = None
            try:
                for update in self._connection.server_stream(
                    "jobs", "WatchJob", job_pb2.WatchJobRequest(job_id=job_id), timeout=remaining
                ):
                    last = update
                    yield update
            except Unavailable:
                # Unreachable from the start (already retried): give up. Broken mid-way: resume.
                reconnects += 1
                if last is None or reconnects > _WATCH_RECONNECTS:
                    raise
                time.sleep(min(5.0, 0.25 * reconnects))
                continue
            except DeadlineExceeded:
                raise TimeoutError(f"job {job_id} did not finish within {timeout:g} s") from None
            if last is None or is_final(last):
                return
            # The stream ended before the job did (a service restart): watch again.

    def wait(
        self,
        job: Job | str,
        *,
        progress: bool = False,
        timeout: float | None = None,
        check: bool = True,
        console: Any = None,
    ) -> Job:
        """Follows the job until it is final and returns it. With `progress`, shows a live
        progress bar (rich, on stderr unless `console` is given). With `check` (default), a
        failed job raises JobFailed and a cancelled one JobCancelled."""
        job_id = job_id_of(job)
        final: Job | None = None
        if progress:
            final = _wait_with_bar(self.watch(job_id, timeout=timeout), console)
        else:
            for update in self.watch(job_id, timeout=timeout):
                final = update
        if final is None or not is_final(final):
            final = self.get(job_id)
        return raise_for_outcome(final) if check else final


def _wait_with_bar(updates: Iterator[Job], console: Any) -> Job | None:
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        Progress,
        SpinnerColumn,
        TaskProgressColumn,
        TextColumn,
        TimeElapsedColumn,
    )

    console = console or Console(stderr=True)
    final: Job | None = None
    with Progress(
        SpinnerColumn(),
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        TaskProgressColumn(),
        TimeElapsedColumn(),
        TextColumn("{task.fields[message]}"),
        console=console,
        transient=False,
    ) as bar:
        task = None
        warned: set[str] = set()
        for update in updates:
            final = update
            warning = update.details.fields.get("warning")
            if warning is not None and warning.string_value not in warned:
                warned.add(warning.string_value)
                bar.console.print(f"warning: {warning.string_value}", highlight=False)
            description = update.kind
            message = progress_line(update)
            if task is None:
                task = bar.add_task(description, total=1.0, message=message)
            bar.update(task, completed=update.progress, message=message)
            if update.state == job_pb2.JOB_STATE_SUCCEEDED:
                bar.update(task, completed=1.0)
    return final
