"""A job crosses a service boundary as a message and comes back as the same domain job."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

from synthstudio_libs.auth.principal import Principal, Role
from synthstudio_libs.grpc.jobs import job_from_proto, job_to_proto
from synthstudio_libs.jobs.store import Job, JobError, JobState

CREATOR = Principal(id="usr_1", name="ana@example.org", role=Role.EDITOR)


def _job(**changes) -> Job:
    created = datetime(2026, 12, 3, 9, 30, tzinfo=UTC)
    job = Job(
        id="job_1",
        kind="privacy.train",
        state=JobState.RUNNING,
        progress=0.25,
        message="epoch 1 of 4",
        details={"epoch": 1},
        params={},
        result=None,
        error=None,
        resource="datasets/ds_1",
        creator=CREATOR,
        cancel_requested=False,
        worker=None,
        create_time=created,
        start_time=created,
        end_time=None,
        update_time=created,
    )
    return replace(job, **changes)


def test_a_running_job_round_trips():
    job = _job()
    assert job_from_proto(job_to_proto(job), CREATOR) == job


def test_a_failed_job_keeps_its_reason_and_metadata():
    ended = datetime(2026, 12, 3, 9, 31, tzinfo=UTC)
    job = _job(
        state=JobState.FAILED,
        end_time=ended,
        error=JobError(
            code="FAILED_PRECONDITION",
            reason="BUDGET_EXHAUSTED",
            message="the dataset's budget is spent",
            metadata={"dataset_id": "ds_1"},
        ),
    )
    assert job_from_proto(job_to_proto(job), CREATOR) == job


def test_a_succeeded_job_keeps_its_result():
    job = _job(state=JobState.SUCCEEDED, progress=1.0, result={"synthesizer_id": "dps_1"})
    assert job_from_proto(job_to_proto(job), CREATOR).result == {"synthesizer_id": "dps_1"}
