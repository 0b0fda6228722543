"""The eleven assistant features and the registry that finds one from its request type."""

from __future__ import annotations

from typing import Any

from synthstudio_libs.errors import InvalidInput
from synthstudio_llm.features.base import Feature, FeatureSpec
from synthstudio_llm.features.columns import (
    ClassifyColumns,
    ClassifyColumnsRequest,
    DataDictionary,
    DataDictionaryRequest,
    ProposeConstraints,
    ProposeConstraintsRequest,
)
from synthstudio_llm.features.evaluation import (
    DetectAnomalies,
    DetectAnomaliesRequest,
    ExplainEvaluation,
    ExplainEvaluationRequest,
)
from synthstudio_llm.features.privacy import (
    ComplianceReport,
    ComplianceReportRequest,
    ExplainPrivacyRisk,
    ExplainPrivacyRiskRequest,
    Regulation,
)
from synthstudio_llm.features.questions import AnswerQuestion, AnswerQuestionRequest
from synthstudio_llm.features.schema_design import (
    SchemaFromDescription,
    SchemaFromDescriptionRequest,
)
from synthstudio_llm.features.synthesizer import (
    Goal,
    SuggestSynthesizer,
    SuggestSynthesizerRequest,
)
from synthstudio_llm.features.translation import (
    TranslateArtifact,
    TranslateArtifactRequest,
    TranslationMode,
)

FEATURES: dict[Feature, FeatureSpec[Any]] = {
    spec.feature: spec
    for spec in (
        SchemaFromDescription(),
        ExplainEvaluation(),
        ComplianceReport(),
        SuggestSynthesizer(),
        ExplainPrivacyRisk(),
        ClassifyColumns(),
        DetectAnomalies(),
        DataDictionary(),
        AnswerQuestion(),
        ProposeConstraints(),
        TranslateArtifact(),
    )
}
_BY_REQUEST_TYPE = {spec.request_type: spec for spec in FEATURES.values()}


def spec_for(request: object) -> FeatureSpec[Any]:
    """The feature that answers `request`, found from the request's type."""
    spec = _BY_REQUEST_TYPE.get(type(request))
    if spec is None:
        raise InvalidInput(
            f"{type(request).__name__} is not a feature request; use one of "
            f"{sorted(t.__name__ for t in _BY_REQUEST_TYPE)}.",
            field="request",
        )
    return spec


__all__ = [
    "FEATURES",
    "AnswerQuestionRequest",
    "ClassifyColumnsRequest",
    "ComplianceReportRequest",
    "DataDictionaryRequest",
    "DetectAnomaliesRequest",
    "ExplainEvaluationRequest",
    "ExplainPrivacyRiskRequest",
    "Feature",
    "FeatureSpec",
    "Goal",
    "ProposeConstraintsRequest",
    "Regulation",
    "SchemaFromDescriptionRequest",
    "SuggestSynthesizerRequest",
    "TranslateArtifactRequest",
    "TranslationMode",
    "spec_for",
]
