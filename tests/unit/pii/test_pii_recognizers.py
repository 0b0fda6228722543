"""Recognizer library: checksum templates, custom regex and deny-list recognizers, bad input."""

from __future__ import annotations

import pytest
from pii_fixtures import luhn_complete

from synthstudio_libs.errors import FailedPrecondition, InvalidInput, RateLimited
from synthstudio_pii.recognizers import (
    MAX_CONCURRENT_CUSTOM_REQUESTS,
    MAX_CUSTOM_PATTERNS,
    CustomRecognizer,
    RecognizerLibrary,
    RecognizerSelection,
    RegexPattern,
    dea_checksum_valid,
)
from synthstudio_pii.text import analyze_text

TEMPLATES = RecognizerSelection(templates=("healthcare", "finance"))


@pytest.fixture(scope="module")
def library(analyzer) -> RecognizerLibrary:
    return RecognizerLibrary(analyzer.supported_entities())


def _found(analyzer, library, text, entity, selection=TEMPLATES) -> list[str]:
    spans = analyze_text(analyzer, text, recognizers=library.resolve(selection), entities=[entity])
    return [span.text for span in spans if span.entity_type == entity]


@pytest.mark.parametrize(
    ("entity", "valid", "invalid", "template"),
    [
        # NPI: Luhn over the number prefixed with 80840 (CMS).
        ("US_NPI", "1245319599", "1245319598", "healthcare"),
        # DEA: (d1+d3+d5) + 2*(d2+d4+d6) ends in d7.
        ("DEA_NUMBER", "AB1234563", "AB1234564", "healthcare"),
        # ABA routing: 3-7-1 weighted sum divisible by 10.
        ("ABA_ROUTING_NUMBER", "021000021", "021000022", "finance"),
        # IBAN: mod-97 of the rearranged number is 1.
        ("IBAN_CODE", "DE89370400440532013000", "DE89370400440532013001", "finance"),
        # Card numbers: Luhn.
        ("CREDIT_CARD", luhn_complete("411111111111111"), "4111111111111112", "finance"),
    ],
)
def test_checksum_recognizers_accept_valid_and_reject_invalid_numbers(
    analyzer, library, entity, valid, invalid, template
):
    selection = RecognizerSelection(templates=(template,))
    text = "Reference number {} was on the form."
    assert _found(analyzer, library, text.format(valid), entity, selection) == [valid]
    assert _found(analyzer, library, text.format(invalid), entity, selection) == []


def test_dea_checksum_function():
    assert dea_checksum_valid("BJ6125341")  # 6+2+3 + 2*(1+5+4) = 31 -> 1
    assert not dea_checksum_valid("BJ6125342")
    assert not dea_checksum_valid("BJ612534")


def test_templates_add_their_entity_types_only_when_selected(analyzer, library):
    text = "Patient MRN 00452311, diagnosis E11.9, wire to DEUTDEFF."
    plain = {span.entity_type for span in analyze_text(analyzer, text)}
    assert not {"MEDICAL_RECORD_NUMBER", "ICD10_CODE", "SWIFT_CODE"} & plain
    assert _found(analyzer, library, text, "MEDICAL_RECORD_NUMBER") == ["MRN 00452311"]
    assert _found(analyzer, library, text, "ICD10_CODE") == ["E11.9"]
    assert _found(analyzer, library, text, "SWIFT_CODE") == ["DEUTDEFF"]
    # A SWIFT code's country must exist; ordinary capitalised words are not codes.
    assert _found(analyzer, library, "Wire to DEUTXQFF now.", "SWIFT_CODE") == []
    assert _found(analyzer, library, "The HOSPITAL wing.", "SWIFT_CODE") == []


def test_custom_regex_and_deny_list_recognizers(analyzer, library):
    selection = RecognizerSelection(
        custom=(
            CustomRecognizer(
                name="employee-id",
                entity_type="EMPLOYEE_ID",
                patterns=(RegexPattern("emp", r"\bEMP-\d{6}\b", 0.9),),
            ),
            CustomRecognizer(
                name="project-codenames",
                entity_type="PROJECT_CODENAME",
                deny_list=("Bluebird", "Nightjar"),
            ),
        )
    )
    text = "EMP-004512 moved from project bluebird to Nightjar; EMP-12 is not an id."
    resolved = library.resolve(selection)
    spans = analyze_text(analyzer, text, recognizers=resolved)
    found = {(span.entity_type, span.text) for span in spans}
    assert ("EMPLOYEE_ID", "EMP-004512") in found
    assert ("PROJECT_CODENAME", "bluebird") in found
    assert ("PROJECT_CODENAME", "Nightjar") in found
    assert not any(span.text == "EMP-12" for span in spans)
    assert {"EMPLOYEE_ID", "PROJECT_CODENAME"} <= resolved.entities


def test_street_addresses_are_found_in_prose_but_not_every_road(analyzer):
    spans = analyze_text(analyzer, "She lives at 221 Baker Street, Springfield, IL 62704 now.")
    assert ("STREET_ADDRESS", "221 Baker Street, Springfield, IL 62704") in {
        (s.entity_type, s.text) for s in spans
    }
    prose = analyze_text(analyzer, "We walked 2 miles down the road to the lake.")
    assert "STREET_ADDRESS" not in {s.entity_type for s in prose}


def _violation(error: InvalidInput) -> str:
    return error.violations[0].field


@pytest.mark.parametrize(
    ("recognizer", "field", "words"),
    [
        (
            CustomRecognizer("ids", "EMPLOYEE_ID", patterns=(RegexPattern("p", r"EMP-(\d{6}"),)),
            "recognizers.custom[0].patterns[0].regex",
            "does not compile",
        ),
        (
            CustomRecognizer("ids", "EMPLOYEE_ID", patterns=(RegexPattern("p", r"\d*"),)),
            "recognizers.custom[0].patterns[0].regex",
            "empty string",
        ),
        (
            CustomRecognizer("ids", "EMPLOYEE_ID", patterns=(RegexPattern("p", r"\d+", 1.5),)),
            "recognizers.custom[0].patterns[0].score",
            "out of range",
        ),
        (
            CustomRecognizer("ids", "employee id", patterns=(RegexPattern("p", r"\d+"),)),
            "recognizers.custom[0].entity_type",
            "UPPER_SNAKE_CASE",
        ),
        (
            CustomRecognizer("Bad Name", "EMPLOYEE_ID", deny_list=("x",)),
            "recognizers.custom[0].name",
            "lower-case",
        ),
        (
            CustomRecognizer("ids", "EMPLOYEE_ID"),
            "recognizers.custom[0].patterns",
            "neither patterns nor a deny-list",
        ),
        (
            CustomRecognizer("ids", "EMPLOYEE_ID", deny_list=("ok", "  ")),
            "recognizers.custom[0].deny_list[1]",
            "blank",
        ),
    ],
)
def test_invalid_custom_recognizers_name_the_field(library, recognizer, field, words):
    with pytest.raises(InvalidInput) as raised:
        library.resolve(RecognizerSelection(custom=(recognizer,)))
    assert _violation(raised.value) == field
    assert words in raised.value.message


def test_invalid_regex_error_carries_the_regex_and_the_parser_message(library):
    recognizer = CustomRecognizer("ids", "EMPLOYEE_ID", patterns=(RegexPattern("p", "[a-"),))
    with pytest.raises(InvalidInput) as raised:
        library.resolve(RecognizerSelection(custom=(recognizer,)))
    assert raised.value.metadata["regex"] == "[a-"
    assert raised.value.metadata["error"]
    assert raised.value.reason == "INVALID_ARGUMENT"


def test_unknown_entity_type_is_invalid_input(analyzer, library):
    with pytest.raises(InvalidInput) as raised:
        analyze_text(analyzer, "hello", entities=["EMAIL_ADDRESS", "SHOE_SIZE"])
    assert _violation(raised.value) == "entities[1]"
    assert raised.value.metadata == {"entity_type": "SHOE_SIZE"}
    # Known once a template or a custom recognizer of the request provides it.
    assert analyze_text(
        analyzer, "NPI 1245319599", recognizers=library.resolve(TEMPLATES), entities=["US_NPI"]
    )
    with pytest.raises(InvalidInput):
        analyze_text(analyzer, "NPI 1245319599", entities=["US_NPI"])


def test_unknown_template_and_duplicate_names_are_invalid_input(library):
    with pytest.raises(InvalidInput) as raised:
        library.resolve(RecognizerSelection(templates=("finance", "astrology")))
    assert _violation(raised.value) == "recognizers.templates[1]"
    assert "healthcare" in raised.value.message
    twice = CustomRecognizer("ids", "EMPLOYEE_ID", deny_list=("x",))
    with pytest.raises(InvalidInput) as raised:
        library.resolve(RecognizerSelection(custom=(twice, twice)))
    assert _violation(raised.value) == "recognizers.custom[1].name"


def test_saved_recognizers_need_a_store(library):
    with pytest.raises(FailedPrecondition):
        library.resolve(RecognizerSelection(saved=("employee-id",)))


def _hostile(name: str, regex: str) -> RecognizerSelection:
    pattern = RegexPattern("hostile", regex, 0.9)
    return RecognizerSelection(custom=(CustomRecognizer(name, "HOSTILE", (pattern,)),))


def test_a_catastrophic_pattern_runs_on_re2_and_finds_its_matches(analyzer, library):
    # `(a+)+$` backtracks exponentially in Python's engines (the probe that pinned the
    # service); RE2 runs it in linear time.
    selection = _hostile("nested", r"(a+)+$")
    resolved = library.resolve(selection)
    assert all(p.compiled_regex.linear for p in resolved.ad_hoc[0].patterns)
    assert analyze_text(analyzer, "a" * 30_000 + "b", recognizers=resolved) == []
    spans = analyze_text(analyzer, "aaaa", recognizers=library.resolve(selection))
    assert [(s.entity_type, s.text) for s in spans] == [("HOSTILE", "aaaa")]


def test_a_pattern_re2_cannot_run_is_stopped_with_a_clear_error(analyzer, library):
    # A back-reference needs the `regex` module, which backtracks: the request's time is up
    # after CUSTOM_REGEX_SECONDS and the error names the pattern to rewrite.
    resolved = library.resolve(_hostile("backref", r"(a|a)+\1$"))
    assert not resolved.ad_hoc[0].patterns[0].compiled_regex.linear
    with pytest.raises(InvalidInput) as caught:
        analyze_text(analyzer, "a" * 40 + "c", recognizers=resolved)
    assert caught.value.reason == "REGEX_TOO_SLOW"
    assert caught.value.violations[0].field == "recognizers.custom[0].patterns[0].regex"
    # A well-behaved back-reference still works.
    doubled = library.resolve(_hostile("doubled", r"\b(\w+) \1\b"))
    spans = analyze_text(analyzer, "it was was fine", recognizers=doubled)
    assert [s.text for s in spans if s.entity_type == "HOSTILE"] == ["was was"]


def test_a_request_brings_a_bounded_number_of_patterns(library):
    patterns = tuple(RegexPattern(f"p{i}", f"code-{i:03d}", 0.5) for i in range(8))
    many = tuple(CustomRecognizer(f"r{i}", "CODE", patterns) for i in range(3))
    assert 3 * len(patterns) > MAX_CUSTOM_PATTERNS
    with pytest.raises(InvalidInput) as caught:
        library.resolve(RecognizerSelection(custom=many))
    assert caught.value.reason == "TOO_MANY_PATTERNS"
    assert caught.value.violations[0].field == "recognizers.custom"


def test_requests_with_custom_patterns_share_a_few_slots(library):
    resolved = library.resolve(_hostile("nested", r"(a+)+$"))
    built_in_only = library.resolve(TEMPLATES)
    held = [resolved.slot() for _ in range(MAX_CONCURRENT_CUSTOM_REQUESTS)]
    for slot in held:
        slot.__enter__()
    try:
        with pytest.raises(RateLimited) as caught, resolved.slot():
            pass
        assert caught.value.reason == "CUSTOM_PATTERNS_BUSY"
        with built_in_only.slot():  # requests without custom patterns are never held back
            pass
    finally:
        for slot in held:
            slot.__exit__(None, None, None)
    with resolved.slot():
        pass
