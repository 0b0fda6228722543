"""The offline provider: deterministic answers built by rules and templates from the same
structured inputs a remote model would see. It never leaves the process and is always the last
provider of the chain, so every feature works with no network."""

from __future__ import annotations

from typing import Any

from synthstudio_llm.features.base import FeatureSpec
from synthstudio_llm.json_schema import validate


class OfflineProvider:
    """Answers a feature request with the feature's own rule-based answer."""

    name = "offline"
    model = "rules-v1"

    def answer(self, spec: FeatureSpec[Any], request: object) -> dict[str, Any]:
        """The feature's offline answer, checked against its output schema."""
        output = spec.offline_answer(request)
        problems = validate(output, spec.output_schema)
        if problems:
            # A rule-based answer that breaks its own schema is a bug in this service.
            raise RuntimeError(f"offline answer of {spec.feature} breaks its schema: {problems}")
        return output
