"""TabularARGN through the synthesis service: the real engine host, started from its own
environment (numpy 2, built by `make install`), behind a synthesis server that reaches it by
address, on a real packaged table (AER CPS1988)."""

from __future__ import annotations

import os
import subprocess
import time

import grpc
import pandas as pd
import pyarrow as pa
import pytest
from google.protobuf.struct_pb2 import Value
from grpc_health.v1 import health_pb2, health_pb2_grpc

from synthstudio.common.v1 import job_pb2, job_pb2_grpc, table_pb2
from synthstudio.synthesis.v1 import synthesis_service_pb2 as pb
from synthstudio.synthesis.v1 import synthesis_service_pb2_grpc
from synthstudio_libs.auth.principal import Role
from synthstudio_libs.datasets_client import DatasetClient
from synthstudio_libs.grpc.server import create_server
from synthstudio_libs.suite import ENGINE_HOSTS
from synthstudio_synthesis.server import SERVICE
from tests.conftest import free_port
from tests.service.conftest import open_channels
from tests.service.test_synthesis import cps_frame, error_of, sample, train, wait

ENGINE_PYTHON, ENGINE_COMMAND = ENGINE_HOSTS["engine_tabular_argn"]
# Tiny budgets keep the tests short; fidelity is bench/synthesis_engines.py's business.
QUICK = pb.TabularArgnHyperparameters(max_training_time=0.1, max_epochs=2, model_size="small")


@pytest.fixture(scope="module")
def engine_host():
    """The TabularARGN engine host as `make run` starts it, on a free port."""
    if not ENGINE_PYTHON.exists():
        pytest.fail(f"{ENGINE_PYTHON} is missing: `make install` builds the engine environment")
    port = free_port()
    env = {**os.environ, "SYNTHSTUDIO_ENGINE_TABULAR_ARGN_PORT": str(port)}
    process = subprocess.Popen([str(ENGINE_PYTHON), *ENGINE_COMMAND], env=env)
    address = f"127.0.0.1:{port}"
    try:
        _wait_serving(address, process)
        yield address
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _wait_serving(address: str, process: subprocess.Popen) -> None:
    deadline = time.monotonic() + 180
    with grpc.insecure_channel(address) as channel:
        health = health_pb2_grpc.HealthStub(channel)
        while time.monotonic() < deadline:
            assert process.poll() is None, f"the engine host exited with {process.returncode}"
            try:
                health.Check(health_pb2.HealthCheckRequest(), timeout=1.0)
                return
            except grpc.RpcError:
                time.sleep(0.5)
    raise AssertionError("the engine host did not answer within 180 s")


@pytest.fixture(scope="module")
def synthesis_address(servers, engine_host):
    """A synthesis server that has the engine host (and shares the database and the other
    services with the session's servers)."""
    addresses, settings = servers
    with_engine = settings.model_copy(update={"engine_tabular_argn_addr": engine_host})
    server, port = create_server(SERVICE, with_engine, port=0)
    server.start()
    yield f"127.0.0.1:{port}"
    server.stop(grace=None)


@pytest.fixture(scope="module")
def channel(synthesis_address, tokens):
    """An editor's channel to that server."""
    (opened,) = open_channels({"synthesis": synthesis_address}, tokens[Role.EDITOR]).values()
    yield opened
    opened.close()


@pytest.fixture(scope="module")
def admin_channel(synthesis_address, tokens):
    """An admin's: synthetic data leaves only released, except to admins (the release flow
    has its own tests)."""
    (opened,) = open_channels({"synthesis": synthesis_address}, tokens[Role.ADMIN]).values()
    yield opened
    opened.close()


@pytest.fixture(scope="module")
def stub(channel):
    return synthesis_service_pb2_grpc.SynthesisServiceStub(channel)


@pytest.fixture(scope="module")
def jobs(channel):
    return job_pb2_grpc.JobServiceStub(channel)


@pytest.fixture(scope="module")
def datasets(channel):
    return DatasetClient(channel)


@pytest.fixture(scope="module")
def cps(datasets):
    return datasets.create({"cps": cps_frame(800)}, display_name="cps1988 for tabular_argn")


@pytest.fixture(scope="module")
def argn(stub, jobs, cps):
    return train(stub, jobs, cps.id, pb.SYNTHESIZER_KIND_TABULAR_ARGN, tabular_argn=QUICK)


def test_list_engines_shows_each_engine_with_its_licence_and_kinds(stub):
    engines = {e.name: e for e in stub.ListEngines(pb.ListEnginesRequest()).engines}
    assert engines["tabular_argn"].licence == "Apache-2.0"
    assert engines["tabular_argn"].version.startswith("mostlyai-engine 2.7")
    assert list(engines["tabular_argn"].kinds) == [pb.SYNTHESIZER_KIND_TABULAR_ARGN]
    assert engines["tabular_argn"].available
    assert engines["sdv"].licence == "BUSL-1.1"
    assert pb.SYNTHESIZER_KIND_TABULAR_ARGN not in engines["sdv"].kinds
    assert pb.SYNTHESIZER_KIND_GAUSSIAN_COPULA in engines["sdv"].kinds


def test_tabular_argn_trains_as_a_job_and_is_stored_like_every_model(argn, cps):
    assert argn.kind == pb.SYNTHESIZER_KIND_TABULAR_ARGN
    assert argn.engine.startswith("mostlyai-engine 2.7")
    assert argn.dataset_id == cps.id
    assert argn.hyperparameters["max_training_time"] == pytest.approx(0.1)
    assert argn.hyperparameters["model_size"] == "small"
    # Trained on the training part of the dataset's holdout split, as every model is.
    (rows,) = argn.training_rows.values()
    assert 0 < rows < 800


def test_the_same_seed_gives_the_same_rows_and_the_rows_look_like_the_table(
    stub, jobs, admin_channel, argn
):
    reader = DatasetClient(admin_channel)
    _id, first = sample(stub, jobs, reader, argn.id, num_rows=300, seed=11)
    _id, again = sample(stub, jobs, reader, argn.id, num_rows=300, seed=11)
    _id, other = sample(stub, jobs, reader, argn.id, num_rows=300, seed=12)
    (rows,), (same,), (different,) = first.values(), again.values(), other.values()
    assert len(rows) == 300
    pd.testing.assert_frame_equal(rows, same)
    assert not rows.equals(different)
    real = cps_frame(800)
    assert list(rows.columns) == list(real.columns)
    for column in ("ethnicity", "smsa", "region", "parttime"):
        assert set(rows[column].dropna()) <= set(real[column])


def test_streamed_rows_condition_on_exact_values(admin_channel, argn):
    condition = pb.SampleCondition(column="region", equals=Value(string_value="south"))
    stub = synthesis_service_pb2_grpc.SynthesisServiceStub(admin_channel)
    chunks = list(
        stub.StreamSample(
            pb.StreamSampleRequest(
                synthesizer_id=argn.id,
                num_rows=120,
                seed=3,
                conditions=[condition],
                format=table_pb2.TABLE_FORMAT_ARROW_IPC,
            )
        )
    )
    frame = pa.Table.from_batches(
        [b for c in chunks for b in pa.ipc.open_stream(c.data).read_all().to_batches()]
    ).to_pandas()
    assert len(frame) == 120
    assert set(frame["region"]) == {"south"}


def test_bad_requests_are_clear_errors_before_any_job(stub, argn, cps):
    ranged = error_of(
        lambda: stub.SampleSynthesizer(
            pb.SampleSynthesizerRequest(
                synthesizer_id=argn.id,
                num_rows=5,
                conditions=[pb.SampleCondition(column="wage", between=pb.NumericRange(low=1))],
            )
        )
    )
    assert ranged.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert "exact values" in ranged.details()
    unknown = error_of(
        lambda: stub.SampleSynthesizer(
            pb.SampleSynthesizerRequest(
                synthesizer_id=argn.id,
                num_rows=5,
                conditions=[pb.SampleCondition(column="nope", equals=Value(number_value=1))],
            )
        )
    )
    assert unknown.code() == grpc.StatusCode.INVALID_ARGUMENT
    size = error_of(
        lambda: stub.TrainSynthesizer(
            pb.TrainSynthesizerRequest(
                dataset_id=cps.id,
                kind=pb.SYNTHESIZER_KIND_TABULAR_ARGN,
                tabular_argn=pb.TabularArgnHyperparameters(model_size="huge"),
            )
        )
    )
    assert size.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert "hyperparameters.model_size" in size.details()
    constrained = error_of(
        lambda: stub.TrainSynthesizer(
            pb.TrainSynthesizerRequest(
                dataset_id=cps.id,
                kind=pb.SYNTHESIZER_KIND_TABULAR_ARGN,
                constraints=[
                    pb.Constraint(
                        inequality=pb.Constraint.Inequality(
                            low_column="education", high_column="experience"
                        )
                    )
                ],
            )
        )
    )
    assert constrained.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert "takes no constraints" in constrained.details()


def test_auto_chooses_tabular_argn_whose_training_reports_progress_and_cancels(stub, jobs, cps):
    before = len(stub.ListSynthesizers(pb.ListSynthesizersRequest(page_size=500)).synthesizers)
    job = stub.TrainSynthesizer(pb.TrainSynthesizerRequest(dataset_id=cps.id))
    # The engine's own training callback reports epochs: only TabularARGN says this.
    current = _when_it_says(jobs, job, "training, epoch")
    assert 0.0 < current.progress < 1.0
    jobs.CancelJob(job_pb2.CancelJobRequest(job_id=job.id))
    done = wait(jobs, job, timeout=60)
    assert done.state == job_pb2.JOB_STATE_CANCELLED
    after = len(stub.ListSynthesizers(pb.ListSynthesizersRequest(page_size=500)).synthesizers)
    assert after == before


def test_a_training_waiting_for_the_busy_engine_says_so_and_can_be_cancelled(
    stub, jobs, admin_channel, cps
):
    busy = stub.TrainSynthesizer(pb.TrainSynthesizerRequest(dataset_id=cps.id))
    _when_it_says(jobs, busy, "training, epoch")
    # Another user's training reaches the engine host while it trains the first model.
    other = synthesis_service_pb2_grpc.SynthesisServiceStub(admin_channel)
    other_jobs = job_pb2_grpc.JobServiceStub(admin_channel)
    request = pb.TrainSynthesizerRequest(
        dataset_id=cps.id, kind=pb.SYNTHESIZER_KIND_TABULAR_ARGN, tabular_argn=QUICK
    )
    waiting = other.TrainSynthesizer(request)
    _when_it_says(other_jobs, waiting, "waiting for the engine, which is running another task")
    other_jobs.CancelJob(job_pb2.CancelJobRequest(job_id=waiting.id))
    assert wait(other_jobs, waiting, timeout=60).state == job_pb2.JOB_STATE_CANCELLED
    jobs.CancelJob(job_pb2.CancelJobRequest(job_id=busy.id))
    assert wait(jobs, busy, timeout=60).state == job_pb2.JOB_STATE_CANCELLED


def _when_it_says(jobs, job, text: str, timeout: float = 120.0) -> job_pb2.Job:
    """The running job once its message contains `text`."""
    deadline = time.monotonic() + timeout
    while text not in (current := jobs.GetJob(job_pb2.GetJobRequest(job_id=job.id))).message:
        assert current.state in (job_pb2.JOB_STATE_QUEUED, job_pb2.JOB_STATE_RUNNING), current
        assert time.monotonic() < deadline, current
        time.sleep(0.3)
    return current
