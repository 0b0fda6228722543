"""The llm use cases on SQLite and PostgreSQL: artifacts stored as DRAFTs with their prompt
and calls, self-approval refused, exports of unapproved artifacts refused, an approved
compliance report exported as a PDF whose text reads back, and a translation submitted as a
job run by a real in-process queue; every artifact event is handed to the event sink."""

from __future__ import annotations

import io
import json
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from pypdf import PdfReader

from synthstudio_libs.auth.principal import Principal, Role, bind, unbind
from synthstudio_libs.errors import FailedPrecondition, InvalidInput, NotFound, PermissionDenied
from synthstudio_libs.jobs.runner import InProcessExecutor, JobQueue, JobRegistry
from synthstudio_libs.jobs.store import JobState, JobStore
from synthstudio_libs.jobs.store import metadata as job_tables
from synthstudio_llm.assistant import Assistant, CallOutcome
from synthstudio_llm.core import GENERATE_JOB, ExportFormat, LlmCore
from synthstudio_llm.features import (
    ComplianceReportRequest,
    Feature,
    ProposeConstraintsRequest,
    Regulation,
    TranslationMode,
)
from synthstudio_llm.inputs import RequestAssembler, TranslationInput
from synthstudio_llm.profiles import (
    AnonymizationAction,
    ColumnTreatment,
    DpLedgerEntry,
    PiiFinding,
    PrivacyRiskScore,
)
from synthstudio_llm.redaction import RegexRedactor
from synthstudio_llm.repository import ArtifactRepository
from synthstudio_llm.review import ArtifactAction, ArtifactEvent, ArtifactState, ReviewDecision

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


class RecordedEvents:
    """The event sink of these tests: the artifact events in order (the service tests read
    the audit rows that `AuditTrail` writes for them)."""

    def __init__(self) -> None:
        self.events: list[ArtifactEvent] = []

    def record(self, event: ArtifactEvent) -> None:
        self.events.append(event)

    @property
    def last(self) -> ArtifactEvent:
        return self.events[-1]


class NoUpstream:
    """The dataset, report and budget sources: no upstream service runs in a unit test."""

    def facts(self, resource_id: str):
        raise NotFound(f"{resource_id} is not known here.", metadata={"id": resource_id})

    def budget(self, dataset_id: str) -> None:
        return None


@pytest.fixture
def events() -> RecordedEvents:
    return RecordedEvents()


@pytest.fixture
def jobs(llm_engine):
    """A real job queue on the test database, run by an in-process executor."""
    job_tables.create_all(llm_engine)
    store, registry = JobStore(llm_engine), JobRegistry()
    executor = InProcessExecutor(
        store, registry, workers=1, heartbeat_seconds=0.5, delegate=lambda principal: ""
    )
    yield JobQueue(store, executor), registry
    executor.shutdown()


@pytest.fixture
def core(llm_engine, events, jobs) -> Iterator[LlmCore]:
    queue, registry = jobs
    core = LlmCore(
        Assistant([], RegexRedactor()),
        ArtifactRepository(llm_engine),
        RequestAssembler(NoUpstream(), NoUpstream(), NoUpstream()),
        queue,
        events,
        owner_of=lambda principal_id: principal_id,
        clock=TickingClock(),
    )
    registry.register(GENERATE_JOB, core.run)
    # An administrator passes every project check (projects themselves are tested with the
    # services); the tests here are about the review workflow.
    acting = bind(Principal(id="user:admin", name="admin", role=Role.ADMIN), "")
    yield core
    unbind(acting)


def test_generated_artifact_is_a_stored_draft_with_prompt_and_calls(core, events, cps_profile):
    artifact = core.generate(ProposeConstraintsRequest("ds_cps1988", cps_profile), creator="ana")
    event = events.last
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
    artifact = core.generate(COMPLIANCE, creator="ana")
    with pytest.raises(PermissionDenied) as caught:
        core.review(artifact.id, reviewer="ana", decision=ReviewDecision.APPROVE)
    assert caught.value.reason == "SELF_APPROVAL"
    assert caught.value.metadata == {"artifact_id": artifact.id, "reviewer": "ana"}
    assert core.get(artifact.id).state == ArtifactState.DRAFT
    assert core.reviews(artifact.id) == []


def test_export_or_apply_of_a_draft_is_a_failed_precondition(core):
    artifact = core.generate(COMPLIANCE, creator="ana")
    with pytest.raises(FailedPrecondition) as caught:
        core.export(artifact.id, actor="ana", export_format=ExportFormat.PDF)
    assert caught.value.reason == "ARTIFACT_NOT_APPROVED"
    assert caught.value.metadata["state"] == "DRAFT"
    with pytest.raises(FailedPrecondition, match="only an APPROVED artifact can be applied"):
        core.apply(artifact.id, actor="ana")


def test_changes_requested_then_revised_then_approved(core, events):
    artifact = core.generate(COMPLIANCE, creator="ana")
    with pytest.raises(InvalidInput) as caught:
        core.review(artifact.id, reviewer="rui", decision=ReviewDecision.REQUEST_CHANGES)
    assert caught.value.violations[0].field == "comment"

    asked = core.review(
        artifact.id,
        reviewer="rui",
        decision=ReviewDecision.REQUEST_CHANGES,
        comment="Name the DPO in the scope section.",
    )
    assert asked.state == ArtifactState.CHANGES_REQUESTED
    assert (events.last.action, events.last.actor) == (ArtifactAction.CHANGES_REQUESTED, "rui")

    edited = json.loads(json.dumps(asked.output))
    edited["sections"][0]["body"] += " DPO: Jo Smith."
    with pytest.raises(PermissionDenied, match="Only ana"):
        core.revise(artifact.id, actor="rui", output=edited)
    with pytest.raises(InvalidInput, match="does not match the compliance_report schema"):
        core.revise(artifact.id, actor="ana", output={"title": "incomplete"})
    revised = core.revise(artifact.id, actor="ana", output=edited, comment="Added the DPO")
    assert (revised.state, revised.revision, events.last.action) == (
        ArtifactState.DRAFT,
        2,
        ArtifactAction.REVISED,
    )

    approved = core.review(artifact.id, reviewer="rui", decision=ReviewDecision.APPROVE)
    assert approved.state == ArtifactState.APPROVED
    assert (events.last.from_state, events.last.to_state) == (
        ArtifactState.DRAFT,
        ArtifactState.APPROVED,
    )
    decisions = [(r.revision, r.decision) for r in core.reviews(artifact.id)]
    assert decisions == [(1, ReviewDecision.REQUEST_CHANGES), (2, ReviewDecision.APPROVE)]
    with pytest.raises(FailedPrecondition, match="only a DRAFT can be reviewed"):
        core.review(artifact.id, reviewer="eve", decision=ReviewDecision.REJECT, comment="late")


def test_approved_compliance_report_exports_as_readable_pdf(core, events):
    artifact = core.generate(COMPLIANCE, creator="ana")
    core.review(artifact.id, reviewer="rui", decision=ReviewDecision.APPROVE)
    exported = core.export(artifact.id, actor="ana", export_format=ExportFormat.PDF)
    assert (exported.media_type, exported.filename) == ("application/pdf", f"{artifact.id}.pdf")
    assert (events.last.action, events.last.details) == (ArtifactAction.EXPORTED, {"format": "pdf"})
    reader = PdfReader(io.BytesIO(exported.content))
    text = " ".join(page.extract_text() for page in reader.pages)
    assert "GDPR compliance report: customers" in text
    assert "Recital 26" in text
    assert "Acme Retail SAS" in text
    assert "singling_out" in text and "0.012" in text
    assert "approved by rui" in text
    assert reader.metadata.title == "GDPR compliance report: customers"


def test_approved_artifact_exports_as_json_and_applies(core, events, cps_profile):
    artifact = core.generate(ProposeConstraintsRequest("ds_cps1988", cps_profile), creator="ana")
    core.review(artifact.id, reviewer="rui", decision=ReviewDecision.APPROVE)
    with pytest.raises(InvalidInput, match="Export it as JSON"):
        core.export(artifact.id, actor="ana", export_format=ExportFormat.PDF)
    exported = core.export(artifact.id, actor="ana", export_format=ExportFormat.JSON)
    document = json.loads(exported.content)
    assert (document["approved_by"], document["feature"]) == ("rui", "propose_constraints")
    applied = core.apply(artifact.id, actor="svc-synthesis")
    assert (applied.artifact.id, applied.output) == (artifact.id, document["output"])
    assert applied.approved_by == "rui"
    assert (events.last.action, events.last.actor) == (ArtifactAction.APPLIED, "svc-synthesis")


def test_rejected_artifact_stays_rejected(core, events):
    artifact = core.generate(COMPLIANCE, creator="ana")
    rejected = core.review(
        artifact.id, reviewer="rui", decision=ReviewDecision.REJECT, comment="Wrong regulation."
    )
    assert (rejected.state, events.last.comment) == (ArtifactState.REJECTED, "Wrong regulation.")
    with pytest.raises(FailedPrecondition, match="ARTIFACT_NOT_REVISABLE|only a DRAFT"):
        core.revise(artifact.id, actor="ana", output=rejected.output)


def test_only_approved_artifacts_are_translated(core):
    artifact = core.generate(COMPLIANCE, creator="ana")
    summarize = TranslationInput(artifact.id, "de", TranslationMode.SUMMARIZE)
    with pytest.raises(FailedPrecondition):
        core.translate(summarize, creator="ana")
    core.review(artifact.id, reviewer="rui", decision=ReviewDecision.APPROVE)
    summary = core.translate(summarize, creator="ana")
    assert (summary.feature, summary.source_artifact_id) == (
        Feature.TRANSLATE_ARTIFACT,
        artifact.id,
    )
    assert summary.input_ids == (artifact.id,)
    assert summary.output["summary"].startswith("Acme Retail SAS generated synthetic data")
    assert "German (de)" in summary.output["note"]


def test_list_pages_and_filters(core, cps_profile):
    ids = [core.generate(COMPLIANCE, creator="ana").id for _ in range(3)]
    other = core.generate(ProposeConstraintsRequest("ds_cps1988", cps_profile), creator="bo")
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
    artifact = core.generate(COMPLIANCE, creator="ana")
    core.review(artifact.id, reviewer="rui", decision=ReviewDecision.APPROVE)
    # A second reviewer acting on the copy read before the approval loses the race.
    with pytest.raises(FailedPrecondition) as caught:
        ArtifactRepository(llm_engine).save(artifact, expected_etag=artifact.etag)
    assert caught.value.reason == "CONCURRENT_MODIFICATION"


def finished(queue: JobQueue, job_id: str, timeout: float = 30.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        job = queue.get(job_id)
        if job.state.is_final:
            return job
        time.sleep(0.05)
    raise AssertionError(f"job {job_id} did not finish: {queue.get(job_id)}")


def test_a_submitted_translation_runs_as_a_job_to_a_draft(core, events, jobs):
    queue, _ = jobs
    source = core.generate(COMPLIANCE, creator="ana")
    tokens = bind(Principal(id="bo", name="bo@example.org", role=Role.ADMIN), "Bearer bo")
    try:
        item = TranslationInput(source.id, "de", TranslationMode.SUMMARIZE)
        with pytest.raises(FailedPrecondition) as caught:
            core.submit(item)
        assert caught.value.reason == "ARTIFACT_NOT_APPROVED"
        core.review(source.id, reviewer="rui", decision=ReviewDecision.APPROVE)
        job = core.submit(item)
    finally:
        unbind(tokens)
    assert (job.kind, job.resource) == (GENERATE_JOB, f"artifacts/{source.id}")
    done = finished(queue, job.id)
    assert done.state == JobState.SUCCEEDED, done.error
    summary = core.get(done.result["artifact_id"])
    assert (summary.creator, summary.source_artifact_id) == ("bo", source.id)
    assert done.result["feature"] == Feature.TRANSLATE_ARTIFACT.value
    assert (events.last.action, events.last.artifact_id) == (ArtifactAction.CREATED, summary.id)
