"""Text analysis (spans and scores) and redaction before text leaves for an LLM."""

from __future__ import annotations

import pytest

from synthstudio_libs.errors import InvalidInput
from synthstudio_pii.text import analyze_text, redact_text

TEXT = (
    "Please call Maria Gonzalez at 212-555-0143 or write to maria.gonzalez@example.com; "
    "her SSN is 653-45-6292 and she paid with 4111 1111 1111 1111."
)
RAW_PII = [
    "Maria Gonzalez",
    "212-555-0143",
    "maria.gonzalez@example.com",
    "653-45-6292",
    "4111 1111 1111 1111",
]


def test_analyze_text_returns_spans_with_positions_types_and_scores(analyzer):
    spans = analyze_text(analyzer, TEXT)
    found = {(span.entity_type, span.text) for span in spans}
    assert {
        ("PERSON", "Maria Gonzalez"),
        ("PHONE_NUMBER", "212-555-0143"),
        ("EMAIL_ADDRESS", "maria.gonzalez@example.com"),
        ("US_SSN", "653-45-6292"),
        ("CREDIT_CARD", "4111 1111 1111 1111"),
    } <= found
    for span in spans:
        assert TEXT[span.start : span.end] == span.text
        assert 0.35 <= span.score <= 1.0
    assert [span.start for span in spans] == sorted(span.start for span in spans)


def test_entity_filter_and_threshold(analyzer):
    only_email = analyze_text(analyzer, TEXT, entities=["EMAIL_ADDRESS"])
    assert [span.entity_type for span in only_email] == ["EMAIL_ADDRESS"]
    strict = analyze_text(analyzer, TEXT, score_threshold=0.99)
    assert {span.entity_type for span in strict} <= {"EMAIL_ADDRESS", "CREDIT_CARD", "UK_NHS"}


def test_redact_text_replaces_pii_with_typed_placeholders(analyzer):
    redacted = redact_text(analyzer, TEXT)
    for value in RAW_PII:
        assert value not in redacted.text
    for placeholder in ("<PERSON>", "<EMAIL_ADDRESS>", "<US_SSN>", "<CREDIT_CARD>"):
        assert placeholder in redacted.text
    assert redacted.text.startswith("Please call <PERSON> at ")
    assert redacted.entity_counts["PERSON"] == 1
    assert sum(redacted.entity_counts.values()) == redacted.text.count("<")


def test_redact_text_leaves_clean_text_alone(analyzer):
    clean = "The synthetic table has 12 columns and a fidelity score of 0.91."
    assert redact_text(analyzer, clean).text == clean
    assert redact_text(analyzer, "").entity_counts == {}


def test_text_over_the_size_limit_is_invalid_input(analyzer):
    with pytest.raises(InvalidInput) as raised:
        analyze_text(analyzer, "x" * 101, max_chars=100)
    error = raised.value
    assert error.violations[0].field == "text"
    assert error.reason == "TEXT_TOO_LONG"
    assert error.metadata == {"length": "101", "max_length": "100"}
    with pytest.raises(InvalidInput):
        redact_text(analyzer, "x" * 101, max_chars=100)


def test_score_threshold_out_of_range_is_invalid_input(analyzer):
    with pytest.raises(InvalidInput) as raised:
        analyze_text(analyzer, TEXT, score_threshold=1.5)
    assert raised.value.violations[0].field == "score_threshold"
