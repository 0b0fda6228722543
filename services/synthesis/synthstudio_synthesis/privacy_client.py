"""Where DP synthesizers are trained: the privacy service. Not reachable from this build yet."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from synthstudio_libs.errors import Unimplemented
from synthstudio_libs.jobs.store import Job


class PrivacyServiceNotWired:
    """Refuses DP training clearly until the privacy service trains DP synthesizers."""

    def train(
        self, dataset_id: str, kind: str, privacy: Mapping[str, Any], display_name: str
    ) -> Job:
        raise Unimplemented(
            f"{kind} synthesizers are trained by the privacy service, which does not train "
            "them yet: train a non-private kind, or wait for differential privacy support",
            reason="DP_TRAINING_UNAVAILABLE",
            metadata={"kind": kind, "dataset_id": dataset_id},
        )
