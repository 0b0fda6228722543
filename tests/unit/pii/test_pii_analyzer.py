"""The analyzer factory: spaCy NER when installed, a loud pattern-only fallback otherwise."""

from __future__ import annotations

import logging

import pandas as pd
import pytest

from synthstudio_pii.analyzer import DEFAULT_SPACY_MODEL, build_analyzer
from synthstudio_pii.columns import classify_table
from synthstudio_pii.text import analyze_text


def test_analyzer_runs_spacy_ner_from_the_installed_model(analyzer):
    status = analyzer.status
    assert status.nlp_available
    assert status.model_name == DEFAULT_SPACY_MODEL
    assert {"PERSON", "LOCATION", "EMAIL_ADDRESS", "STREET_ADDRESS"} <= set(
        status.supported_entities
    )
    # Ignored as in Presidio's default configuration: organisations are not personal data.
    assert "ORGANIZATION" not in status.supported_entities
    spans = analyze_text(analyzer, "Maria Gonzalez moved to Chicago last year.")
    assert {("PERSON", "Maria Gonzalez"), ("LOCATION", "Chicago")} <= {
        (s.entity_type, s.text) for s in spans
    }


@pytest.fixture(scope="module")
def pattern_only(request):
    """An analyzer whose spaCy model is not installed, with the warning it logged."""
    records: list[logging.LogRecord] = []

    class Collect(logging.Handler):
        def emit(self, record):
            records.append(record)

    handler = Collect(level=logging.WARNING)
    logger = logging.getLogger("synthstudio_pii.analyzer")
    logger.addHandler(handler)
    try:
        built = build_analyzer("en_core_web_not_installed")
    finally:
        logger.removeHandler(handler)
    return built, records


def test_missing_model_falls_back_to_patterns_and_says_so(pattern_only):
    analyzer, records = pattern_only
    assert not analyzer.status.nlp_available
    assert analyzer.status.model_name is None
    assert "en_core_web_not_installed" in analyzer.status.reason
    assert "not installed" in analyzer.status.reason
    assert "PERSON" not in analyzer.status.supported_entities
    warnings = [r for r in records if r.levelno == logging.WARNING]
    assert len(warnings) == 1
    assert "WITHOUT NER" in warnings[0].getMessage()
    assert "en_core_web_not_installed" in warnings[0].getMessage()


def test_pattern_only_analyzer_still_finds_structured_pii(pattern_only):
    analyzer, _ = pattern_only
    spans = analyze_text(analyzer, "Mail ana.lima@example.com, SSN 653-45-6292, Ana Lima.")
    types = {s.entity_type for s in spans}
    assert {"EMAIL_ADDRESS", "US_SSN"} <= types
    assert "PERSON" not in types


def test_pattern_only_classification_flags_name_columns_from_their_name(pattern_only):
    analyzer, _ = pattern_only
    frame = pd.DataFrame(
        {
            "first_name": ["Ana", "Bruno", "Chloe", "Dmitri", "Elena", "Farid", "Greta"]
            + ["Hiro", "Ines", "Jonas", "Kofi", "Lena", "Marta", "Nils", "Olga"]
            + ["Pavel", "Rosa", "Sven", "Tomas", "Ugo"],
            "email": [f"user{i}@example.com" for i in range(20)],
            "colour": ["red", "green", "blue", "teal"] * 5,
        }
    )
    result = classify_table(analyzer, frame)
    first_name = result.verdict("first_name")
    assert first_name.entity_type == "PERSON"
    assert first_name.matched_cells == 0
    # Without NER the name hint, the cells' shape and the name dictionary decide.
    signals = {signal.name: signal.value for signal in first_name.signals}
    assert signals["name_hint"] == 1.0 and signals["recognizer_share"] == 0.0
    assert signals["name_dictionary"] >= 0.9
    assert first_name.confidence == first_name.score >= 0.85
    assert result.verdict("email").entity_type == "EMAIL_ADDRESS"
    assert not result.verdict("colour").is_pii


def test_ner_can_be_disabled_explicitly():
    analyzer = build_analyzer(None)
    assert not analyzer.status.nlp_available
    assert "disabled" in analyzer.status.reason
