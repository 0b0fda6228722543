"""What every assistant feature provides: a typed request, an output schema, a prompt builder
and a deterministic offline answer built from the same structured inputs."""

from __future__ import annotations

from abc import ABC, abstractmethod
from enum import StrEnum
from typing import Any, ClassVar, Generic, TypeVar

from synthstudio_libs.errors import InvalidInput
from synthstudio_llm.prompting import Prompt
from synthstudio_llm.semantics import name_tokens

RequestT = TypeVar("RequestT")


class Feature(StrEnum):
    """The eleven assistant features; the value is the name stored with each artifact."""

    SCHEMA_FROM_DESCRIPTION = "schema_from_description"
    EXPLAIN_EVALUATION = "explain_evaluation"
    COMPLIANCE_REPORT = "compliance_report"
    SUGGEST_SYNTHESIZER = "suggest_synthesizer"
    EXPLAIN_PRIVACY_RISK = "explain_privacy_risk"
    CLASSIFY_COLUMNS = "classify_columns"
    DETECT_ANOMALIES = "detect_anomalies"
    DATA_DICTIONARY = "data_dictionary"
    ANSWER_QUESTION = "answer_question"
    PROPOSE_CONSTRAINTS = "propose_constraints"
    TRANSLATE_ARTIFACT = "translate_artifact"


class FeatureSpec(ABC, Generic[RequestT]):
    """One feature. Subclasses set the class attributes and implement the three builders."""

    feature: ClassVar[Feature]
    request_type: ClassVar[type]
    title: ClassVar[str]
    output_schema: ClassVar[dict[str, Any]]

    def validate(self, request: RequestT) -> None:
        """Raise `InvalidInput` when `request` cannot be answered; the default accepts all."""

    @abstractmethod
    def input_ids(self, request: RequestT) -> tuple[str, ...]:
        """Ids of the resources the answer is about (dataset, report, artifact ids)."""

    @abstractmethod
    def build_prompt(self, request: RequestT) -> Prompt:
        """The prompt for a remote model, from aggregates only (before redaction)."""

    @abstractmethod
    def offline_answer(self, request: RequestT) -> dict[str, Any]:
        """A schema-conforming answer derived from `request` by rules and templates."""


def require_text(value: str, field: str, what: str) -> None:
    """Raise `InvalidInput` on `field` when `value` is blank."""
    if not value.strip():
        raise InvalidInput(f"{what} is empty; write at least a few words.", field=field)


def require_range(value: float, field: str, low: float, high: float) -> None:
    """Raise `InvalidInput` on `field` when `value` is outside [low, high]."""
    if not low <= value <= high:
        raise InvalidInput(
            f"{field} is {value}; it must lie between {low} and {high}.",
            field=field,
            metadata={"value": value, "low": low, "high": high},
        )


def string_list(min_items: int = 0) -> dict[str, Any]:
    """Schema of a list of non-empty strings."""
    return {"type": "array", "items": {"type": "string", "minLength": 1}, "minItems": min_items}


def obj(properties: dict[str, Any], *, optional: tuple[str, ...] = ()) -> dict[str, Any]:
    """Schema of an object whose properties are all required except `optional` ones."""
    return {
        "type": "object",
        "properties": properties,
        "required": [name for name in properties if name not in optional],
    }


def rating(risk: float) -> str:
    """The band a privacy-risk value in [0, 1] falls in: low (< 0.05), medium (< 0.2), high."""
    if risk < 0.05:
        return "low"
    return "medium" if risk < 0.2 else "high"


def percent(fraction: float) -> str:
    """0.1234 -> "12.3%"."""
    return f"{fraction * 100:.1f}%"


def humanize(name: str) -> str:
    """`monthly_spend_eur` -> "monthly spend eur"."""
    return " ".join(name_tokens(name))
