"""A flood of open job watches (a viewer, many browser tabs, a hostile client) must not starve
health checks, uploads or other users: watches are bounded per principal and per process."""

from __future__ import annotations

import time

import grpc
import pytest
from google.rpc import error_details_pb2
from grpc_health.v1 import health_pb2, health_pb2_grpc
from grpc_status import rpc_status

from synthstudio.common.v1 import job_pb2, job_pb2_grpc
from synthstudio.synthesis.v1 import synthesis_service_pb2 as pb
from synthstudio.synthesis.v1 import synthesis_service_pb2_grpc
from synthstudio_libs.auth.principal import Principal, Role
from synthstudio_libs.jobs.store import JobStore
from synthstudio_libs.storage.database import create_engine
from tests.service.conftest import PASSWORD, open_channels


@pytest.fixture
def endless_job(servers):
    """A job that stays QUEUED (no handler runs it), so its watches stay open."""
    _addresses, settings = servers
    engine = create_engine(settings.resolved_database_url)
    admin = Principal(id="user:test", name="test", role=Role.ADMIN)
    yield JobStore(engine).create("test.never_runs", {}, creator=admin)
    engine.dispose()


def open_watch(channel: grpc.Channel, job_id: str):
    """A watch stream that has answered its first message (so it holds its slot)."""
    call = job_pb2_grpc.JobServiceStub(channel).WatchJob(
        job_pb2.WatchJobRequest(job_id=job_id), timeout=60
    )
    next(call)
    return call


def refusal_reason(error: grpc.RpcError) -> str:
    info = error_details_pb2.ErrorInfo()
    rpc_status.from_call(error).details[0].Unpack(info)
    return info.reason


def test_a_watch_flood_starves_neither_health_nor_uploads_nor_other_users(
    servers, identity, tokens, endless_job
):
    addresses, settings = servers
    per_principal = settings.watch_streams_per_principal
    flooders = [tokens[Role.VIEWER], tokens[Role.REVIEWER], tokens[Role.ADMIN]]
    # All but one principal's worth of the process's watches, each principal to its own cap.
    for n in range(settings.watch_streams_per_process // per_principal - 1 - len(flooders)):
        email = f"watcher{n}@example.org"
        identity.create_user(email, PASSWORD, Role.VIEWER)
        flooders.append(identity.login(email, PASSWORD).access_token)
    channels = [open_channels(addresses, token)["synthesis"] for token in flooders]
    watches = []
    try:
        for channel in channels:
            watches += [open_watch(channel, endless_job.id) for _ in range(per_principal)]
            with pytest.raises(grpc.RpcError) as mine:
                open_watch(channel, endless_job.id)
            assert mine.value.code() == grpc.StatusCode.RESOURCE_EXHAUSTED
            assert refusal_reason(mine.value) == "TOO_MANY_WATCHES"

        editor = open_channels(addresses, tokens[Role.EDITOR])["synthesis"]
        # The editor's first watch still fits; past the process's bound, watches are refused.
        watches.append(open_watch(editor, endless_job.id))
        with pytest.raises(grpc.RpcError) as full:
            while True:
                watches.append(open_watch(editor, endless_job.id))
        assert full.value.code() == grpc.StatusCode.RESOURCE_EXHAUSTED
        assert refusal_reason(full.value) == "WATCH_CAPACITY_REACHED"
        assert "poll GET /v1/jobs/{job_id}" in full.value.details()
        assert len(watches) == settings.watch_streams_per_process

        health = health_pb2_grpc.HealthStub(editor).Check(
            health_pb2.HealthCheckRequest(), timeout=2
        )
        assert health.status == health_pb2.HealthCheckResponse.SERVING
        uploaded = synthesis_service_pb2_grpc.SynthesisServiceStub(editor).UploadDataset(
            iter(
                [
                    pb.UploadDatasetRequest(table=pb.TableStart(name="t", format=1)),
                    pb.UploadDatasetRequest(data=b"a\n1\n"),
                ]
            ),
            timeout=30,
        )
        assert uploaded.id
    finally:
        for watch in watches:
            watch.cancel()
    # Closed watches give their slots back.
    deadline = time.monotonic() + 10
    while True:
        try:
            open_watch(channels[0], endless_job.id).cancel()
            break
        except grpc.RpcError:
            assert time.monotonic() < deadline, "closed watches kept their slots"
            time.sleep(0.2)
