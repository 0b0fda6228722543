"""JobService: translates between the protobuf Job and the domain's job operations."""

from __future__ import annotations

import grpc
from google.rpc import code_pb2, error_details_pb2, status_pb2

from synthstudio.common.v1 import job_pb2, job_pb2_grpc
from synthstudio_libs.auth.principal import Principal
from synthstudio_libs.grpc.binding import Binding
from synthstudio_libs.grpc.convert import struct, struct_to_dict, timestamp, to_datetime
from synthstudio_libs.jobs.service import JobOperations
from synthstudio_libs.jobs.store import Job, JobError, JobState


def job_to_proto(job: Job) -> job_pb2.Job:
    message = job_pb2.Job(
        id=job.id,
        kind=job.kind,
        state=job_pb2.JobState.Value(f"JOB_STATE_{job.state.value}"),
        progress=job.progress,
        message=job.message,
        details=struct(job.details),
        result=struct(job.result),
        resource=job.resource,
        creator=job.creator.id,
        cancel_requested=job.cancel_requested,
        create_time=timestamp(job.create_time),
        start_time=timestamp(job.start_time),
        end_time=timestamp(job.end_time),
        update_time=timestamp(job.update_time),
        project=job.project,
    )
    if job.error is not None:
        status = status_pb2.Status(
            code=code_pb2.Code.Value(job.error.code), message=job.error.message
        )
        status.details.add().Pack(
            error_details_pb2.ErrorInfo(
                reason=job.error.reason, domain="jobs", metadata=job.error.metadata
            )
        )
        message.error.CopyFrom(status)
    return message


def job_from_proto(message: job_pb2.Job, creator: Principal) -> Job:
    """The domain job another service answered with; `creator` is the principal the call was
    made for (the message carries only its id)."""
    return Job(
        id=message.id,
        kind=message.kind,
        state=JobState(job_pb2.JobState.Name(message.state).removeprefix("JOB_STATE_")),
        progress=message.progress,
        message=message.message,
        details=struct_to_dict(message.details),
        params={},
        result=struct_to_dict(message.result) if message.HasField("result") else None,
        error=_error_from_status(message.error) if message.HasField("error") else None,
        resource=message.resource,
        creator=creator,
        cancel_requested=message.cancel_requested,
        worker=None,
        create_time=to_datetime(message.create_time),
        start_time=to_datetime(message.start_time, message.HasField("start_time")),
        end_time=to_datetime(message.end_time, message.HasField("end_time")),
        update_time=to_datetime(message.update_time),
        project=message.project or "default",
    )


def _error_from_status(status: status_pb2.Status) -> JobError:
    info = error_details_pb2.ErrorInfo()
    reason, metadata = "", {}
    for detail in status.details:
        if detail.Unpack(info):
            reason, metadata = info.reason, dict(info.metadata)
    return JobError(
        code=code_pb2.Code.Name(status.code),
        reason=reason,
        message=status.message,
        metadata=metadata,
    )


def _state_filter(state: int) -> JobState | None:
    if state == job_pb2.JOB_STATE_UNSPECIFIED:
        return None
    return JobState(job_pb2.JobState.Name(state).removeprefix("JOB_STATE_"))


class JobServicer(job_pb2_grpc.JobServiceServicer):
    def __init__(self, operations: JobOperations) -> None:
        self._jobs = operations

    def GetJob(self, request, context):
        return job_to_proto(self._jobs.get(request.job_id))

    def ListJobs(self, request, context):
        jobs, token = self._jobs.list(
            request.page_size,
            request.page_token,
            request.kind,
            _state_filter(request.state),
            project=request.project,
        )
        return job_pb2.ListJobsResponse(jobs=[job_to_proto(j) for j in jobs], next_page_token=token)

    def CancelJob(self, request, context):
        return job_to_proto(self._jobs.cancel(request.job_id))

    def WatchJob(self, request, context: grpc.ServicerContext):
        for job in self._jobs.watch(request.job_id, keep_going=context.is_active):
            yield job_to_proto(job)


def job_binding(operations: JobOperations) -> Binding:
    """The JobService binding every service serves over the shared jobs table."""
    return Binding(
        job_pb2_grpc.add_JobServiceServicer_to_server,
        JobServicer(operations),
        job_pb2.DESCRIPTOR.services_by_name["JobService"].full_name,
    )
