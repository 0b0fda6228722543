"""Stored evaluation reports: headline figures in a table, the full report in the artifact store.

The full report (`EvaluationReport.to_dict(include_plots=True)`, JSON) is written atomically
before its row is inserted, and removed again if the insert fails, so a report is either
complete or absent.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import math
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa

from synthstudio_evaluation.report import EvaluationReport
from synthstudio_evaluation.storage import reports
from synthstudio_evaluation.verdicts import Verdict, judge
from synthstudio_libs.artifacts import ArtifactStore
from synthstudio_libs.errors import NotFound
from synthstudio_libs.storage.util import (
    as_utc,
    read_page,
    utcnow,
)


@dataclass(frozen=True)
class StoredReport:
    """A report's row: who, on what, and its headline figures (None where a part did not run).

    `summary` holds the list-valued headline parts (`anonymeter_risks`, `verdict_reasons`,
    `warnings`) and the report's context (`config`, `holdout`, `rows`, `plots`, `modality`,
    `focus_table`, `versions`) in their JSON form.
    """

    id: str
    job_id: str
    real_dataset_id: str
    synthetic_dataset_id: str
    synthesizer_name: str
    dataset_name: str
    holdout_index_sha256: str
    target_column: str | None
    quality_score: float | None
    diagnostic_score: float | None
    utility_ratio: float | None
    dcr_share: float | None
    exact_copy_rate: float | None
    membership_inference_auc: float | None
    fidelity_score: float | None
    utility_score: float | None
    privacy_score: float | None
    overall_score: float | None
    privacy_verdict: Verdict
    overall_verdict: Verdict
    summary: dict[str, Any]
    artifact_key: str
    artifact_sha256: str
    artifact_size: int
    creator: str
    create_time: datetime
    project: str


def report_not_found(report_id: str) -> NotFound:
    return NotFound(
        f"Report '{report_id}' does not exist; list reports with ListReports.",
        reason="REPORT_NOT_FOUND",
        metadata={"report_id": report_id},
    )


class ReportCatalog:
    """Reads and writes reports: rows in `evaluation_reports`, documents under `reports/`."""

    def __init__(self, engine: sa.Engine, artifacts: ArtifactStore) -> None:
        self._engine = engine
        self._artifacts = artifacts

    def add(
        self,
        report_id: str,
        report: EvaluationReport,
        *,
        job_id: str,
        real_dataset_id: str,
        synthetic_dataset_id: str,
        creator: str,
        project: str,
        annotations: dict[str, Any] | None = None,
    ) -> StoredReport:
        """Stores `report` in `project` (document first, then its row); nothing remains if
        either fails. `annotations` join the row's summary (the release gate and what it was
        judged on)."""
        document = json.dumps(report.to_dict(include_plots=True)).encode("utf-8")
        key = f"reports/{report_id}/report.json"
        self._artifacts.put_bytes(key, document)
        try:
            with self._engine.begin() as connection:
                connection.execute(
                    reports.insert().values(
                        id=report_id,
                        job_id=job_id,
                        real_dataset_id=real_dataset_id,
                        synthetic_dataset_id=synthetic_dataset_id,
                        creator=creator,
                        create_time=utcnow(),
                        project=project,
                        artifact_key=key,
                        artifact_sha256=hashlib.sha256(document).hexdigest(),
                        artifact_size=len(document),
                        **_annotated(_headline(report), annotations or {}),
                    )
                )
        except BaseException:
            with contextlib.suppress(OSError):
                self._artifacts.delete_prefix(f"reports/{report_id}")
            raise
        return self.get(report_id)

    def get(self, report_id: str) -> StoredReport:
        with self._engine.connect() as connection:
            row = connection.execute(reports.select().where(reports.c.id == report_id)).first()
        if row is None:
            raise report_not_found(report_id)
        return _stored(row)

    def load(self, stored: StoredReport) -> EvaluationReport:
        """The full report, plots included."""
        return EvaluationReport.from_dict(json.loads(self.document(stored)))

    def newest_of_synthetic(self, synthetic_dataset_id: str) -> StoredReport | None:
        """The newest report evaluating this synthetic dataset, if any."""
        query = (
            reports.select()
            .where(reports.c.synthetic_dataset_id == synthetic_dataset_id)
            .order_by(reports.c.create_time.desc(), reports.c.id)
            .limit(1)
        )
        with self._engine.connect() as connection:
            row = connection.execute(query).first()
        return None if row is None else _stored(row)

    def document(self, stored: StoredReport) -> bytes:
        """The stored JSON document of the report."""
        return self._artifacts.read_bytes(stored.artifact_key)

    def list(
        self,
        size: int = 0,
        token: str = "",
        *,
        real_dataset_id: str = "",
        projects: list[str] | None = None,
    ) -> tuple[list[StoredReport], str]:
        """A page of reports, newest first: of these `projects` only, unless None (all)."""
        query = reports.select().order_by(reports.c.create_time.desc(), reports.c.id)
        if real_dataset_id:
            query = query.where(reports.c.real_dataset_id == real_dataset_id)
        if projects is not None:
            query = query.where(reports.c.project.in_(projects))
        with self._engine.connect() as connection:
            rows, next_token = read_page(connection, query, size, token)
        return [_stored(row) for row in rows], next_token

    def delete(self, report_id: str) -> None:
        with self._engine.begin() as connection:
            deleted = connection.execute(reports.delete().where(reports.c.id == report_id)).rowcount
        if not deleted:
            raise report_not_found(report_id)
        self._artifacts.delete_prefix(f"reports/{report_id}")


def _headline(report: EvaluationReport) -> dict[str, Any]:
    fidelity, utility, privacy = report.fidelity, report.utility, report.privacy
    verdicts = judge(report)
    document = report.to_dict()
    ceiling = None if fidelity is None else fidelity.holdout_ceiling
    return _finite(
        {
            "synthesizer_name": report.synthesizer_name,
            "dataset_name": report.dataset_name,
            "holdout_index_sha256": report.holdout.holdout_index_sha256,
            "target_column": report.config.target_column,
            "quality_score": None if fidelity is None else fidelity.quality_score,
            "diagnostic_score": None if fidelity is None else fidelity.diagnostic_score,
            "utility_ratio": None if utility is None else utility.ratio,
            "dcr_share": None if privacy is None else privacy.dcr_share,
            "exact_copy_rate": None if privacy is None else privacy.exact_copy_rate,
            "membership_inference_auc": None
            if privacy is None
            else privacy.membership_inference_auc,
            "fidelity_score": report.scores.fidelity,
            "utility_score": report.scores.utility,
            "privacy_score": report.scores.privacy,
            "overall_score": report.scores.overall,
            "privacy_verdict": verdicts.privacy.value,
            "overall_verdict": verdicts.overall.value,
            "summary": {
                "anonymeter_risks": [] if privacy is None else document["privacy"]["attacks"],
                "verdict_reasons": verdicts.reasons,
                "warnings": document["warnings"],
                "config": document["config"],
                "holdout": document["holdout"],
                "rows": document["rows"],
                "plots": document["plots"],
                "modality": document["modality"],
                "focus_table": document["focus_table"],
                "versions": document["versions"],
                "training_data": report.training_data,
                "synthesizer_id": report.synthesizer_id,
                "holdout_quality_score": None if ceiling is None else ceiling.quality_score,
                "above_holdout_ceiling": ceiling is not None and ceiling.above_ceiling,
                "privacy_checks": [] if privacy is None else document["privacy"]["checks"],
            },
        }
    )


def _annotated(headline: dict[str, Any], annotations: dict[str, Any]) -> dict[str, Any]:
    return {**headline, "summary": {**headline["summary"], **_finite(annotations)}}


def _finite(value: Any) -> Any:
    """`value` with NaN and infinities as None (PostgreSQL's JSON has no NaN)."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {key: _finite(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_finite(item) for item in value]
    return value


def _stored(row: sa.Row) -> StoredReport:
    values = row._asdict()
    values["create_time"] = as_utc(row.create_time)
    values["privacy_verdict"] = Verdict(row.privacy_verdict)
    values["overall_verdict"] = Verdict(row.overall_verdict)
    return StoredReport(**values)
