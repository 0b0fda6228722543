"""`client.releases`: release gates, sign-off and evidence packs of synthetic datasets."""

from __future__ import annotations

import os
from pathlib import Path

from synthstudio.evaluation.v1 import evaluation_service_pb2 as evaluation_pb
from synthstudio_sdk.files import write_exported
from synthstudio_sdk.transport import Connection


class Releases:
    """A synthetic dataset leaves only released: its report's gate passes under the project's
    policy (or an admin overrides it with a reason) and a reviewer who did not request the
    release signs it off. Released datasets come with a signed evidence pack."""

    def __init__(self, connection: Connection) -> None:
        self._connection = connection

    def _call(self, method: str, request):
        return self._connection.unary("evaluation", method, request)

    def request(self, dataset_id: str, *, report_id: str = "") -> evaluation_pb.Release:
        """Asks for the release (editors); refused naming the failing checks of the gate."""
        request = evaluation_pb.RequestReleaseRequest(dataset_id=dataset_id, report_id=report_id)
        return self._call("RequestRelease", request)

    def approve(self, dataset_id: str, *, comment: str = "") -> evaluation_pb.Release:
        """Signs the release off (a reviewer or admin who did not request it)."""
        request = evaluation_pb.ApproveReleaseRequest(dataset_id=dataset_id, comment=comment)
        return self._call("ApproveRelease", request)

    def override(
        self, dataset_id: str, reason: str, *, report_id: str = ""
    ) -> evaluation_pb.Release:
        """Lets a failing gate through (admins, with a reason for the audit log)."""
        request = evaluation_pb.OverrideReleaseGateRequest(
            dataset_id=dataset_id, reason=reason, report_id=report_id
        )
        return self._call("OverrideReleaseGate", request)

    def get(self, dataset_id: str) -> evaluation_pb.Release:
        return self._call("GetRelease", evaluation_pb.GetReleaseRequest(dataset_id=dataset_id))

    def check(self, dataset_id: str) -> evaluation_pb.ReleaseCheck:
        """Whether the dataset is released, and what is missing if not."""
        return self._call("CheckRelease", evaluation_pb.CheckReleaseRequest(dataset_id=dataset_id))

    def policy(self, project: str = "default") -> evaluation_pb.ReleasePolicy:
        request = evaluation_pb.GetReleasePolicyRequest(project=project)
        return self._call("GetReleasePolicy", request)

    def set_policy(
        self, policy: evaluation_pb.ReleasePolicy, project: str = "default"
    ) -> evaluation_pb.ReleasePolicy:
        """Replaces a project's release policy (admins)."""
        request = evaluation_pb.UpdateReleasePolicyRequest(project=project, policy=policy)
        return self._call("UpdateReleasePolicy", request)

    def export_evidence(self, dataset_id: str, path: str | os.PathLike | None = None) -> Path:
        """Writes the released dataset's signed evidence pack (a zip) to `path` (a file, or a
        directory for the service's file name; default the current directory)."""
        exported = self._call(
            "ExportEvidence", evaluation_pb.ExportEvidenceRequest(dataset_id=dataset_id)
        )
        return write_exported(exported, path)

    def public_key(self) -> evaluation_pb.EvidencePublicKey:
        """The suite's Ed25519 public key that verifies evidence packs."""
        request = evaluation_pb.GetEvidencePublicKeyRequest()
        return self._call("GetEvidencePublicKey", request)
