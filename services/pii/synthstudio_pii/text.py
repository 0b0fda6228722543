"""PII in free text: entity spans with scores, and redaction with typed placeholders.

`redact_text` is what every other service calls before any text leaves for an LLM provider.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from presidio_analyzer import RecognizerResult
from presidio_anonymizer import AnonymizerEngine
from presidio_anonymizer.entities import OperatorConfig

from synthstudio_libs.errors import InvalidInput
from synthstudio_pii.analyzer import PiiAnalyzer
from synthstudio_pii.recognizers import ResolvedRecognizers, check_entities

DEFAULT_MAX_TEXT_CHARS = 100_000
# Presidio's weakest pattern matches (0.01-0.05: any 8 digits as a driver's licence) would
# redact every number of a report; 0.35 keeps context-confirmed and validated findings.
DEFAULT_SCORE_THRESHOLD = 0.35


@dataclass(frozen=True)
class EntitySpan:
    """One finding: `text[start:end]` is PII of `entity_type` with Presidio's `score` (0-1)."""

    start: int
    end: int
    entity_type: str
    score: float
    text: str


@dataclass(frozen=True)
class RedactedText:
    """Text with PII replaced by `<ENTITY_TYPE>` placeholders, and how many of each type.

    It deliberately carries no spans of the original, so nothing of the PII travels on.
    """

    text: str
    entity_counts: Mapping[str, int]


def detect(
    analyzer: PiiAnalyzer,
    text: str,
    *,
    recognizers: ResolvedRecognizers | None = None,
    entities: Sequence[str] = (),
    score_threshold: float = DEFAULT_SCORE_THRESHOLD,
    max_chars: int = DEFAULT_MAX_TEXT_CHARS,
) -> list[RecognizerResult]:
    """Presidio findings in `text` at or above `score_threshold`, ordered by position.

    Raises InvalidInput when the text is over `max_chars`, the threshold is outside [0, 1],
    or an entity type is unknown to the selected recognizers.
    """
    if len(text) > max_chars:
        raise InvalidInput(
            f"Text has {len(text)} characters, over the limit of {max_chars}: split it into "
            "smaller parts.",
            field="text",
            reason="TEXT_TOO_LONG",
            metadata={"length": len(text), "max_length": max_chars},
        )
    if not 0.0 <= score_threshold <= 1.0:
        raise InvalidInput(
            f"score_threshold {score_threshold} is out of range: use a value in [0, 1].",
            field="score_threshold",
            metadata={"score_threshold": score_threshold},
        )
    resolved = recognizers or ResolvedRecognizers(entities=analyzer.supported_entities())
    check_entities(entities, resolved)
    if not text.strip():
        return []
    with resolved.slot():
        results = analyzer.analyze(
            text, entities=entities or None, ad_hoc_recognizers=resolved.ad_hoc
        )
    kept = [result for result in results if result.score >= score_threshold]
    return sorted(kept, key=lambda result: (result.start, -result.score))


def analyze_text(
    analyzer: PiiAnalyzer,
    text: str,
    *,
    recognizers: ResolvedRecognizers | None = None,
    entities: Sequence[str] = (),
    score_threshold: float = DEFAULT_SCORE_THRESHOLD,
    max_chars: int = DEFAULT_MAX_TEXT_CHARS,
) -> list[EntitySpan]:
    """Entity spans found in `text` (overlapping findings of different types are all kept)."""
    results = detect(
        analyzer,
        text,
        recognizers=recognizers,
        entities=entities,
        score_threshold=score_threshold,
        max_chars=max_chars,
    )
    return [
        EntitySpan(r.start, r.end, r.entity_type, round(r.score, 4), text[r.start : r.end])
        for r in results
    ]


def redact_text(
    analyzer: PiiAnalyzer,
    text: str,
    *,
    recognizers: ResolvedRecognizers | None = None,
    entities: Sequence[str] = (),
    score_threshold: float = DEFAULT_SCORE_THRESHOLD,
    max_chars: int = DEFAULT_MAX_TEXT_CHARS,
) -> RedactedText:
    """Replace every PII span with `<ENTITY_TYPE>` (e.g. `<EMAIL_ADDRESS>`); overlapping
    findings are merged by Presidio's anonymizer, the higher score naming the placeholder."""
    results = detect(
        analyzer,
        text,
        recognizers=recognizers,
        entities=entities,
        score_threshold=score_threshold,
        max_chars=max_chars,
    )
    if not results:
        return RedactedText(text, {})
    operators = {r.entity_type: OperatorConfig("replace", {}) for r in results}
    anonymized = AnonymizerEngine().anonymize(text, results, operators)
    counts = Counter(item.entity_type for item in anonymized.items)
    return RedactedText(anonymized.text, dict(counts))
