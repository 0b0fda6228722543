"""The review workflow on SQLite and PostgreSQL: artifacts stored as DRAFTs with their prompt
and calls, self-approval refused, exports of unapproved artifacts refused, and an approved
compliance report exported as a PDF whose text reads back."""

from __future__ import annotations

import io
import json
from datetime import UTC, datetime, timedelta

import pytest
from pypdf import PdfReader

from synthstudio_libs.errors import FailedPrecondition, InvalidInput, NotFound, PermissionDenied
from synthstudio_llm.assistant import Assistant, CallOutcome
from synthstudio_llm.core import ExportFormat, LlmCore
from synthstudio_llm.features import (
    ComplianceReportRequest,
    Feature,
    ProposeConstraintsRequest,
    Regulation,
    TranslationMode,
)
from synthstudio_llm.profiles import (
    AnonymizationAction,
    ColumnTreatment,
    DpLedgerEntry,
    PiiFinding,
    PrivacyRiskScore,
)
from synthstudio_llm.redaction import RegexRedactor
from synthstudio_llm.repository import ArtifactRepository
from synthstudio_llm.review import ArtifactAction, ArtifactState, ReviewDecision

COMPLIANCE = ComplianceReportRequest(
    regulation=Regulation.GDPR,
    dataset_id="ds_customers",
    dataset_name="customers",
    pii_findings=(
        PiiFinding("full_name", "PERSON", 0.97),
        PiiFinding("contact", "EMAIL_ADDRESS", 1.0),
    ),
    treatments=(
        ColumnTreatment("full_name", AnonymizationAction.PSEUDONYMISE),
        ColumnTreatment("contact", AnonymizationAction.DROP),
    ),
    dp_ledger=(DpLedgerEntry("syn_7", 1.0, 1e-6, "DP-SGD", "2026-11-24T09:00:00Z"),),
    privacy_risks=(PrivacyRiskScore("singling_out", 0.012), PrivacyRiskScore("linkability", 0.02)),
    synthesizer="ctgan",
    organisation="Acme Retail SAS",
)


class TickingClock:
    """UTC times one second apart, so ordering by time is deterministic."""

    def __init__(self) -> None:
        self._now = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        self._now += timedelta(seconds=1)
        return self._now


@pytest.fixture
def core(llm_engine) -> LlmCore:
    return LlmCore(
        Assistant([], RegexRedactor()), ArtifactRepository(llm_engine), clock=TickingClock()
    )


def test_generated_artifact_is_a_stored_draft_with_prompt_and_calls(core, cps_profile):
    artifact, event = core.generate(
        ProposeConstraintsRequest("ds_cps1988", cps_profile), creator="ana"
    )
    assert (artifact.state, artifact.creator, artifact.revision) == (ArtifactState.DRAFT, "ana", 1)
    assert (event.action, event.from_state, event.to_state) == (
        ArtifactAction.CREATED,
        None,
        ArtifactState.DRAFT,
    )
    assert event.details["feature"] == "propose_constraints"
    stored = core.get(artifact.id)
    assert stored == artifact
    assert stored.input_ids == ("ds_cps1988",)
    assert stored.provider == "offline" and stored.model == "rules-v1"
    assert '"name":"wage"' in stored.prompt  # the (redacted) prompt is kept with the answer
    assert stored.output["constraints"][0]["kind"] == "not_null"
    calls = core.calls(artifact.id)
    assert [(call.provider, call.outcome) for call in calls] == [("offline", CallOutcome.SUCCESS)]


def test_creator_cannot_approve_their_own_artifact(core):
    artifact, _ = core.generate(COMPLIANCE, creator="ana")
    with pytest.raises(PermissionDenied) as caught:
        core.review(artifact.id, reviewer="ana", decision=ReviewDecision.APPROVE)
    assert caught.value.reason == "SELF_APPROVAL"
    assert caught.value.metadata == {"artifact_id": artifact.id, "reviewer": "ana"}
    assert core.get(artifact.id).state == ArtifactState.DRAFT
    assert core.reviews(artifact.id) == []


def test_export_or_apply_of_a_draft_is_a_failed_precondition(core):
    artifact, _ = core.generate(COMPLIANCE, creator="ana")
    with pytest.raises(FailedPrecondition) as caught:
        core.export(artifact.id, actor="ana", export_format=ExportFormat.PDF)
    assert caught.value.reason == "ARTIFACT_NOT_APPROVED"
    assert caught.value.metadata["state"] == "DRAFT"
    with pytest.raises(FailedPrecondition, match="only an APPROVED artifact can be applied"):
        core.apply(artifact.id, actor="ana")


def test_changes_requested_then_revised_then_approved(core):
    artifact, _ = core.generate(COMPLIANCE, creator="ana")
    with pytest.raises(InvalidInput) as caught:
        core.review(artifact.id, reviewer="rui", decision=ReviewDecision.REQUEST_CHANGES)
    assert caught.value.violations[0].field == "comment"

    asked, event = core.review(
        artifact.id,
        reviewer="rui",
        decision=ReviewDecision.REQUEST_CHANGES,
        comment="Name the DPO in the scope section.",
    )
    assert asked.state == ArtifactState.CHANGES_REQUESTED
    assert (event.action, event.actor) == (ArtifactAction.CHANGES_REQUESTED, "rui")

    edited = json.loads(json.dumps(asked.output))
    edited["sections"][0]["body"] += " DPO: Jo Smith."
    with pytest.raises(PermissionDenied, match="Only ana"):
        core.revise(artifact.id, actor="rui", output=edited)
    with pytest.raises(InvalidInput, match="does not match the compliance_report schema"):
        core.revise(artifact.id, actor="ana", output={"title": "incomplete"})
    revised, event = core.revise(artifact.id, actor="ana", output=edited, comment="Added the DPO")
    assert (revised.state, revised.revision, event.action) == (
        ArtifactState.DRAFT,
        2,
        ArtifactAction.REVISED,
    )

    approved, event = core.review(artifact.id, reviewer="rui", decision=ReviewDecision.APPROVE)
    assert approved.state == ArtifactState.APPROVED
    assert (event.from_state, event.to_state) == (ArtifactState.DRAFT, ArtifactState.APPROVED)
    decisions = [(r.revision, r.decision) for r in core.reviews(artifact.id)]
    assert decisions == [(1, ReviewDecision.REQUEST_CHANGES), (2, ReviewDecision.APPROVE)]
    with pytest.raises(FailedPrecondition, match="only a DRAFT can be reviewed"):
        core.review(artifact.id, reviewer="eve", decision=ReviewDecision.REJECT, comment="late")


def test_approved_compliance_report_exports_as_readable_pdf(core):
    artifact, _ = core.generate(COMPLIANCE, creator="ana")
    core.review(artifact.id, reviewer="rui", decision=ReviewDecision.APPROVE)
    exported, event = core.export(artifact.id, actor="ana", export_format=ExportFormat.PDF)
    assert (exported.media_type, exported.filename) == ("application/pdf", f"{artifact.id}.pdf")
    assert (event.action, event.details) == (ArtifactAction.EXPORTED, {"format": "pdf"})
    reader = PdfReader(io.BytesIO(exported.content))
    text = " ".join(page.extract_text() for page in reader.pages)
    assert "GDPR compliance report: customers" in text
    assert "Recital 26" in text
    assert "Acme Retail SAS" in text
    assert "singling_out" in text and "0.012" in text
    assert "approved by rui" in text
    assert reader.metadata.title == "GDPR compliance report: customers"


def test_approved_artifact_exports_as_json_and_applies(core, cps_profile):
    artifact, _ = core.generate(ProposeConstraintsRequest("ds_cps1988", cps_profile), creator="ana")
    core.review(artifact.id, reviewer="rui", decision=ReviewDecision.APPROVE)
    with pytest.raises(InvalidInput, match="Export it as JSON"):
        core.export(artifact.id, actor="ana", export_format=ExportFormat.PDF)
    exported, _ = core.export(artifact.id, actor="ana", export_format=ExportFormat.JSON)
    document = json.loads(exported.content)
    assert (document["approved_by"], document["feature"]) == ("rui", "propose_constraints")
    applied, event = core.apply(artifact.id, actor="svc-synthesis")
    assert applied == document["output"]
    assert (event.action, event.actor) == (ArtifactAction.APPLIED, "svc-synthesis")


def test_rejected_artifact_stays_rejected(core):
    artifact, _ = core.generate(COMPLIANCE, creator="ana")
    rejected, event = core.review(
        artifact.id, reviewer="rui", decision=ReviewDecision.REJECT, comment="Wrong regulation."
    )
    assert (rejected.state, event.comment) == (ArtifactState.REJECTED, "Wrong regulation.")
    with pytest.raises(FailedPrecondition, match="ARTIFACT_NOT_REVISABLE|only a DRAFT"):
        core.revise(artifact.id, actor="ana", output=rejected.output)


def test_only_approved_artifacts_are_translated(core):
    artifact, _ = core.generate(COMPLIANCE, creator="ana")
    with pytest.raises(FailedPrecondition):
        core.translate(
            artifact.id, target_language="de", mode=TranslationMode.SUMMARIZE, creator="ana"
        )
    core.review(artifact.id, reviewer="rui", decision=ReviewDecision.APPROVE)
    summary, _ = core.translate(
        artifact.id, target_language="de", mode=TranslationMode.SUMMARIZE, creator="ana"
    )
    assert (summary.feature, summary.source_artifact_id) == (
        Feature.TRANSLATE_ARTIFACT,
        artifact.id,
    )
    assert summary.input_ids == (artifact.id,)
    assert summary.output["summary"].startswith("Acme Retail SAS generated synthetic data")
    assert "German (de)" in summary.output["note"]


def test_list_pages_and_filters(core, cps_profile):
    ids = [core.generate(COMPLIANCE, creator="ana")[0].id for _ in range(3)]
    other, _ = core.generate(ProposeConstraintsRequest("ds_cps1988", cps_profile), creator="bo")
    first, token = core.list(page_size=2)
    second, last = core.list(page_size=2, page_token=token)
    assert [a.id for a in first + second] == [other.id, *reversed(ids)]
    assert last == ""
    reports, _ = core.list(feature=Feature.COMPLIANCE_REPORT, creator="ana")
    assert {a.id for a in reports} == set(ids)
    assert core.list(state=ArtifactState.APPROVED) == ([], "")


def test_unknown_artifact_is_not_found(core):
    with pytest.raises(NotFound) as caught:
        core.get("art_missing")
    assert caught.value.metadata == {"artifact_id": "art_missing"}


def test_a_stale_etag_is_refused(llm_engine, core):
    artifact, _ = core.generate(COMPLIANCE, creator="ana")
    core.review(artifact.id, reviewer="rui", decision=ReviewDecision.APPROVE)
    # A second reviewer acting on the copy read before the approval loses the race.
    with pytest.raises(FailedPrecondition) as caught:
        ArtifactRepository(llm_engine).save(artifact, expected_etag=artifact.etag)
    assert caught.value.reason == "CONCURRENT_MODIFICATION"
