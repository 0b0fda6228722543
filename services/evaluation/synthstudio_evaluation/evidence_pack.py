"""The evidence pack of a released synthetic dataset: what proves how useful and how private it
is, who let it out and why, signed so that a reader can check nothing was changed.

Files: `report/report.{json,html,pdf}`, `release/{policy,gate,release}.json`,
`training/synthesizer.json`, `privacy/{guarantee,ledger}.json` (DP synthesizers),
`audit/lineage.json` (audit events of the datasets, synthesizer, report and release) and
`data/sha256.json` (the stored files' digests); `manifest.json` lists every file's SHA-256 and
is signed with Ed25519 (`synthstudio_libs.evidence`).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, Protocol

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from synthstudio_evaluation.core import stored_gate
from synthstudio_evaluation.export import report_html, report_pdf
from synthstudio_evaluation.gate import DP_SYNTHESIZER_PREFIX
from synthstudio_evaluation.releases import Release, ReleaseDesk
from synthstudio_evaluation.report_catalog import ReportCatalog
from synthstudio_evaluation.sources import DatasetSource
from synthstudio_libs.evidence import build_pack, key_id, public_pem
from synthstudio_libs.storage.util import utcnow

#: Audit events read when collecting a lineage, newest first.
MAX_AUDIT_EVENTS = 20_000


class TrainingRecords(Protocol):
    """The synthesis service's record of a synthesizer (GetSynthesizer, JSON form)."""

    def summary(self, synthesizer_id: str) -> dict[str, Any]: ...


class PrivacyRecords(Protocol):
    """The privacy service's DP synthesizer and ledger spends (JSON forms)."""

    def dp_synthesizer(self, synthesizer_id: str) -> dict[str, Any]: ...

    def spends(self, dataset_id: str) -> list[dict[str, Any]]: ...


#: Audit events, newest first, as JSON-ready dicts.
AuditEvents = Callable[[], Iterable[dict[str, Any]]]


@dataclass(frozen=True)
class EvidencePack:
    filename: str
    content: bytes


class EvidenceBuilder:
    def __init__(
        self,
        desk: ReleaseDesk,
        catalog: ReportCatalog,
        datasets: DatasetSource,
        training: TrainingRecords,
        privacy: PrivacyRecords,
        audit_events: AuditEvents,
        key: Ed25519PrivateKey,
    ) -> None:
        self._desk = desk
        self._catalog = catalog
        self._datasets = datasets
        self._training = training
        self._privacy = privacy
        self._audit_events = audit_events
        self._key = key

    def public_key(self) -> tuple[str, str]:
        """The PEM public key that checks packs, and its id."""
        return public_pem(self._key), key_id(self._key)

    def export(self, dataset_id: str) -> EvidencePack:
        """The signed pack of a released dataset; FailedPrecondition naming what is missing
        when it is not released."""
        release = self._desk.released(dataset_id)
        model_files = self._model_files(release)
        files = {
            **self._report_files(release),
            "release/policy.json": _json(release.gate.policy.to_dict()),
            "release/gate.json": _json(release.gate.to_dict()),
            "release/release.json": _json(release.to_dict()),
            **model_files,
            "audit/lineage.json": _json(self._lineage(release, model_files)),
            "data/sha256.json": _json(self._digests(release)),
        }
        subject = {
            "dataset_id": release.dataset_id,
            "real_dataset_id": release.real_dataset_id,
            "report_id": release.report_id,
            "synthesizer_id": release.synthesizer_id,
            "project": release.project,
            "created": utcnow().isoformat(),
        }
        content = build_pack(files, subject, self._key)
        return EvidencePack(f"evidence-{dataset_id}.zip", content)

    def _report_files(self, release: Release) -> dict[str, bytes]:
        stored = self._catalog.get(release.report_id)
        report = self._catalog.load(stored)
        gate = stored_gate(stored)
        return {
            "report/report.json": self._catalog.document(stored),
            "report/report.html": report_html(report, gate),
            "report/report.pdf": report_pdf(report, gate),
        }

    def _model_files(self, release: Release) -> dict[str, bytes]:
        synthesizer_id = release.synthesizer_id
        if not synthesizer_id:
            note = {"note": "The report named no synthesizer; no training summary is recorded."}
            return {"training/synthesizer.json": _json(note)}
        if not synthesizer_id.startswith(DP_SYNTHESIZER_PREFIX):
            return {"training/synthesizer.json": _json(self._training.summary(synthesizer_id))}
        model = self._privacy.dp_synthesizer(synthesizer_id)
        spends = [
            spend
            for spend in self._privacy.spends(model.get("datasetId", release.real_dataset_id))
            if spend.get("synthesizerId") == synthesizer_id
            or spend.get("spendId") == model.get("spendId")
        ]
        return {
            "training/synthesizer.json": _json(model),
            "privacy/guarantee.json": _json(model.get("guarantee", {})),
            "privacy/ledger.json": _json(spends),
        }

    def _lineage(self, release: Release, model_files: dict[str, bytes]) -> list[dict[str, Any]]:
        """Audit events of the datasets, the synthesizer and its training job, the report and
        its job, and the release."""
        stored = self._catalog.get(release.report_id)
        training = json.loads(model_files["training/synthesizer.json"])
        ids = {
            release.dataset_id,
            release.real_dataset_id,
            release.report_id,
            stored.job_id,
            release.synthesizer_id,
            training.get("jobId", ""),
        } - {""}
        found = []
        for index, event in enumerate(self._audit_events()):
            if index >= MAX_AUDIT_EVENTS:
                break
            if event["resource"].rpartition("/")[2] in ids:
                found.append(event)
        return sorted(found, key=lambda event: event["sequence"])

    def _digests(self, release: Release) -> dict[str, Any]:
        return {
            "synthetic": {
                "dataset_id": release.dataset_id,
                "tables": self._datasets.describe(release.dataset_id).sha256,
            },
            "real": {
                "dataset_id": release.real_dataset_id,
                "tables": self._datasets.describe(release.real_dataset_id).sha256,
            },
        }


def _json(value: Any) -> bytes:
    return json.dumps(value, indent=2, sort_keys=True, default=str).encode()
