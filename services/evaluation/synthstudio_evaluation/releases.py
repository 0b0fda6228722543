"""Releases of synthetic datasets: a report's gate under the project's policy, then a sign-off.

    (no release) --request (gate passes)--------------> PENDING --approve--> RELEASED
    (no release) --override (admin, written reason)---> PENDING --approve--> RELEASED

A request needs a report of the synthetic dataset whose gate passes under the project's current
policy; an admin may override a failing gate with a reason (written to the audit log). The
sign-off is by a reviewer or admin who is not the requester (four eyes, as the review of AI
artifacts). A new request replaces a pending one; a released dataset stays released.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime
from enum import StrEnum
from typing import Any

import sqlalchemy as sa

from synthstudio_evaluation.gate import Gate, GateContext, judge_report, missing_text
from synthstudio_evaluation.release_policy import PolicyStore
from synthstudio_evaluation.report_catalog import ReportCatalog, StoredReport
from synthstudio_evaluation.sources import DatasetSource
from synthstudio_evaluation.storage import releases
from synthstudio_libs.auth.principal import Principal, Role, current_principal
from synthstudio_libs.auth.projects import require_access
from synthstudio_libs.errors import FailedPrecondition, InvalidInput, NotFound, PermissionDenied
from synthstudio_libs.storage.util import as_utc, utcnow

MIN_REASON_LENGTH = 10
MAX_TEXT_LENGTH = 2000
SIGN_OFF = "sign-off by a reviewer other than the requester"


class ReleaseState(StrEnum):
    PENDING = "PENDING"
    RELEASED = "RELEASED"


@dataclass(frozen=True)
class Release:
    dataset_id: str
    project: str
    report_id: str
    real_dataset_id: str
    synthesizer_id: str
    state: ReleaseState
    gate: Gate
    requester: str
    request_time: datetime
    approver: str = ""
    approve_time: datetime | None = None
    comment: str = ""
    override_by: str = ""
    override_reason: str = ""

    def missing(self) -> list[str]:
        """What stands between this release and data leaving: failing checks, the sign-off."""
        found = [] if self.override_by else [missing_text(c) for c in self.gate.blocking()]
        return found + ([] if self.state is ReleaseState.RELEASED else [SIGN_OFF])

    def to_dict(self) -> dict[str, Any]:
        values = {**self.__dict__, "state": self.state.value, "gate": self.gate.to_dict()}
        for name in ("request_time", "approve_time"):
            values[name] = None if values[name] is None else values[name].isoformat()
        return values


@dataclass(frozen=True)
class ReleaseCheck:
    released: bool
    missing: list[str]
    dataset_id: str = ""


#: Appends an audit event: (action, resource, details).
AuditWriter = Callable[[str, str, dict[str, Any]], None]


class ReleaseStore:
    """Release records, one per synthetic dataset, in `evaluation_releases`."""

    def __init__(self, engine: sa.Engine) -> None:
        self._engine = engine

    def find(self, dataset_id: str) -> Release | None:
        with self._engine.connect() as connection:
            row = connection.execute(
                releases.select().where(releases.c.dataset_id == dataset_id)
            ).first()
        return None if row is None else _release(row)

    def released_of_synthesizer(self, synthesizer_id: str) -> Release | None:
        query = (
            releases.select()
            .where(
                releases.c.synthesizer_id == synthesizer_id,
                releases.c.state == ReleaseState.RELEASED.value,
            )
            .order_by(releases.c.approve_time.desc())
            .limit(1)
        )
        with self._engine.connect() as connection:
            row = connection.execute(query).first()
        return None if row is None else _release(row)

    def put(self, release: Release) -> Release:
        values = {**release.__dict__, "state": release.state.value}
        values["gate"] = release.gate.to_dict()
        with self._engine.begin() as connection:
            connection.execute(releases.delete().where(releases.c.dataset_id == release.dataset_id))
            connection.execute(releases.insert().values(**values))
        return release


def _release(row: sa.Row) -> Release:
    values = row._asdict()
    values["state"] = ReleaseState(values["state"])
    values["gate"] = Gate.from_dict(values["gate"])
    values["request_time"] = as_utc(values["request_time"])
    values["approve_time"] = values["approve_time"] and as_utc(values["approve_time"])
    return Release(**values)


class ReleaseDesk:
    """Requests, overrides, sign-offs and checks of releases."""

    def __init__(
        self,
        catalog: ReportCatalog,
        policies: PolicyStore,
        store: ReleaseStore,
        datasets: DatasetSource,
        audit: AuditWriter,
    ) -> None:
        self._catalog = catalog
        self._policies = policies
        self._store = store
        self._datasets = datasets
        self._audit = audit

    def request(self, dataset_id: str, report_id: str = "") -> Release:
        """A PENDING release; FailedPrecondition naming the failing checks when the gate
        fails."""
        release = self._judged(dataset_id, report_id)
        blocking = release.gate.blocking()
        if blocking:
            names = ", ".join(check.name for check in blocking)
            raise FailedPrecondition(
                f"Synthetic dataset '{dataset_id}' fails its release gate (report "
                f"'{release.report_id}', project '{release.project}'): "
                + "; ".join(f"{c.name}: {c.explanation}" for c in blocking)
                + " Train a better synthesizer and evaluate its sample, or ask an admin to "
                "override the gate with a reason.",
                reason="RELEASE_GATE_FAILED",
                metadata={"dataset_id": dataset_id, "failed_checks": names},
            )
        return self._store.put(release)

    def override(self, dataset_id: str, reason: str, report_id: str = "") -> Release:
        """A PENDING release although the gate fails, with the admin's reason in the audit
        log."""
        reason = reason.strip()
        if len(reason) < MIN_REASON_LENGTH or len(reason) > MAX_TEXT_LENGTH:
            raise InvalidInput(
                f"reason must say why the gate may be ignored, in {MIN_REASON_LENGTH} to "
                f"{MAX_TEXT_LENGTH} characters; got {len(reason)}.",
                field="reason",
            )
        admin = current_principal().id
        release = replace(
            self._judged(dataset_id, report_id), override_by=admin, override_reason=reason
        )
        self._audit(
            "evaluation.release.gate_overridden",
            f"dataset/{dataset_id}",
            {
                "reason": reason,
                "report_id": release.report_id,
                "failed_checks": ",".join(c.name for c in release.gate.blocking()),
            },
        )
        return self._store.put(release)

    def approve(self, dataset_id: str, comment: str = "") -> Release:
        """Signs a PENDING release off; PermissionDenied for its requester."""
        if len(comment) > MAX_TEXT_LENGTH:
            raise InvalidInput(
                f"comment has {len(comment)} characters; use at most {MAX_TEXT_LENGTH}.",
                field="comment",
            )
        release = self.get(dataset_id)
        approver = current_principal()
        _check_approver(release, approver)
        if release.state is ReleaseState.RELEASED:
            raise FailedPrecondition(
                f"Synthetic dataset '{dataset_id}' is already released (signed off by "
                f"{release.approver}).",
                reason="ALREADY_RELEASED",
                metadata={"dataset_id": dataset_id},
            )
        approved = replace(
            release,
            state=ReleaseState.RELEASED,
            approver=approver.id,
            approve_time=utcnow(),
            comment=comment,
        )
        return self._store.put(approved)

    def get(self, dataset_id: str) -> Release:
        _require(dataset_id, "dataset_id")
        release = self._store.find(dataset_id)
        missing = NotFound(
            f"Synthetic dataset '{dataset_id}' has no release request: evaluate it, then "
            "request its release (RequestRelease).",
            reason="RELEASE_NOT_FOUND",
            metadata={"dataset_id": dataset_id},
        )
        if release is None:
            raise missing
        require_access(release.project, Role.VIEWER, not_found=missing)
        return release

    def check(self, dataset_id: str = "", synthesizer_id: str = "") -> ReleaseCheck:
        """Whether the dataset (or some sample of the synthesizer) is released, and what is
        missing if not."""
        if bool(dataset_id) == bool(synthesizer_id):
            raise InvalidInput(
                "Name exactly one of dataset_id and synthesizer_id.", field="dataset_id"
            )
        if synthesizer_id:
            found = self._store.released_of_synthesizer(synthesizer_id)
            if found is None:
                return ReleaseCheck(
                    False,
                    [
                        f"a released sample of synthesizer '{synthesizer_id}' (evaluate a sample "
                        "naming the synthesizer, then request and approve its release)"
                    ],
                )
            require_access(found.project, Role.VIEWER, not_found=_no_synthesizer(synthesizer_id))
            return ReleaseCheck(True, [], found.dataset_id)
        release = self._store.find(dataset_id)
        if release is None:
            return ReleaseCheck(False, ["a release request with a passing gate", SIGN_OFF])
        require_access(release.project, Role.VIEWER, not_found=_no_dataset(dataset_id))
        missing = release.missing()
        return ReleaseCheck(not missing, missing, dataset_id)

    def released(self, dataset_id: str) -> Release:
        """The dataset's release; FailedPrecondition naming what is missing unless released."""
        release = self.get(dataset_id)
        if release.missing():
            raise FailedPrecondition(
                f"Synthetic dataset '{dataset_id}' is not released; missing: "
                + "; ".join(release.missing())
                + ".",
                reason="NOT_RELEASED",
                metadata={"dataset_id": dataset_id, "missing": "; ".join(release.missing())},
            )
        return release

    def _judged(self, dataset_id: str, report_id: str) -> Release:
        _require(dataset_id, "dataset_id")
        current = self._store.find(dataset_id)
        if current is not None and current.state is ReleaseState.RELEASED:
            raise FailedPrecondition(
                f"Synthetic dataset '{dataset_id}' is already released.",
                reason="ALREADY_RELEASED",
                metadata={"dataset_id": dataset_id},
            )
        info = self._datasets.describe(dataset_id)
        require_access(info.project, Role.EDITOR)
        stored = self._report(dataset_id, report_id)
        document = json.loads(self._catalog.document(stored))
        context = GateContext.from_dict(stored.summary.get("gate_context", {}))
        gate = judge_report(document, context, self._policies.get(info.project))
        return Release(
            dataset_id=dataset_id,
            project=info.project,
            report_id=stored.id,
            real_dataset_id=stored.real_dataset_id,
            synthesizer_id=stored.summary.get("synthesizer_id", ""),
            state=ReleaseState.PENDING,
            gate=gate,
            requester=current_principal().id,
            request_time=utcnow(),
        )

    def _report(self, dataset_id: str, report_id: str) -> StoredReport:
        if report_id:
            stored = self._catalog.get(report_id)
            if stored.synthetic_dataset_id != dataset_id:
                raise InvalidInput(
                    f"Report '{report_id}' evaluates dataset '{stored.synthetic_dataset_id}', "
                    f"not '{dataset_id}'.",
                    field="report_id",
                )
            return stored
        stored = self._catalog.newest_of_synthetic(dataset_id)
        if stored is None:
            raise FailedPrecondition(
                f"Synthetic dataset '{dataset_id}' has no evaluation report: evaluate it against "
                "the real dataset it imitates (CreateReport) before requesting its release.",
                reason="NO_REPORT",
                metadata={"dataset_id": dataset_id},
            )
        return stored


def _check_approver(release: Release, approver: Principal) -> None:
    """A reviewer of the release's project (or an admin) who did not request it."""
    require_access(release.project, Role.REVIEWER)
    if approver.id == release.requester:
        raise PermissionDenied(
            f"{approver.id} requested the release of '{release.dataset_id}' and cannot also sign "
            "it off: another reviewer or admin must approve it (four eyes).",
            reason="REQUESTER_CANNOT_APPROVE",
            metadata={"dataset_id": release.dataset_id},
        )


def _no_dataset(dataset_id: str) -> NotFound:
    return NotFound(
        f"dataset '{dataset_id}' does not exist: list datasets to find its id",
        reason="DATASET_NOT_FOUND",
        metadata={"dataset_id": dataset_id},
    )


def _no_synthesizer(synthesizer_id: str) -> NotFound:
    return NotFound(
        f"synthesizer '{synthesizer_id}' does not exist: list synthesizers to find its id",
        reason="SYNTHESIZER_NOT_FOUND",
        metadata={"synthesizer_id": synthesizer_id},
    )


def _require(value: str, field: str) -> None:
    if not value:
        raise InvalidInput(f"{field} is required.", field=field)
