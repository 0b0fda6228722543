"""The pieces under the assistant: schema validation, redaction, what a prompt may carry,
the circuit breaker, backoff and the response cache."""

from __future__ import annotations

import numpy as np
import pytest

from synthstudio_libs.errors import Unavailable
from synthstudio_llm.assistant import PROMPT_WITHHELD, Assistant, parse_output
from synthstudio_llm.cache import CachedAnswer, CacheKey, ResponseCache
from synthstudio_llm.features import ClassifyColumnsRequest
from synthstudio_llm.json_schema import validate
from synthstudio_llm.profiles import LONG_RIGHT_TAIL, ColumnKind, ColumnProfile, right_tail_ratio
from synthstudio_llm.prompting import WITHHELD, render_table
from synthstudio_llm.redaction import RegexRedactor
from synthstudio_llm.resilience import BreakerState, CircuitBreaker, RetryPolicy
from synthstudio_llm.semantics import personal_data_columns
from tests.unit.llm.conftest import CUSTOMER_EMAILS, CUSTOMER_NAMES
from tests.unit.llm.fake_providers import groq_provider

SCHEMA = {
    "type": "object",
    "properties": {
        "name": {"type": "string", "minLength": 1},
        "score": {"type": "number", "minimum": 0, "maximum": 1},
        "tags": {"type": "array", "items": {"type": "string"}, "minItems": 1},
        "kind": {"type": "string", "enum": ["a", "b"]},
        "parent": {"type": ["string", "null"]},
    },
    "required": ["name", "score"],
    "additionalProperties": False,
}


def test_validator_accepts_a_conforming_object():
    good = {"name": "x", "score": 0.5, "tags": ["t"], "kind": "a", "parent": None}
    assert validate(good, SCHEMA) == []


def test_validator_reports_every_problem_with_its_path():
    bad = {"score": 1.5, "tags": [], "kind": "c", "parent": 3, "extra": True}
    assert validate(bad, SCHEMA) == [
        "$: missing required property 'name'",
        "$.score: 1.5 is above the maximum 1",
        "$.tags: fewer than 1 items",
        "$.kind: 'c' is not one of ['a', 'b']",
        "$.parent: expected string or null, got integer",
        "$: unexpected property 'extra'",
    ]
    assert validate({"name": "x", "score": True}, SCHEMA) == [
        "$.score: expected number, got boolean"
    ]


def test_parse_output_tolerates_a_code_fence_only():
    fenced = '```json\n{"name": "x", "score": 1}\n```'
    assert parse_output(fenced, SCHEMA) == ({"name": "x", "score": 1}, [])
    assert parse_output("[1, 2]", SCHEMA) == (None, ["expected a JSON object, got list"])
    output, problems = parse_output("Here: {}", SCHEMA)
    assert output is None and problems[0].startswith("not valid JSON")


def test_regex_redactor_replaces_identifiers_and_keeps_figures():
    redactor = RegexRedactor(terms=["Alice Martin"])
    text = (
        "alice MARTIN <alice.martin@example.com>, +1 (555) 201-3344, card 4111 1111 1111 1111, "
        "SSN 219-09-9999, IBAN FR76 3000 6000 0112 3456 7890 189, host 10.0.0.12; "
        "28,155 rows, mean 603.73, from 2023-01-05, order 1234567890123"
    )
    assert redactor.redact(text) == (
        "<PERSON> <<EMAIL_ADDRESS>>, <PHONE_NUMBER>, card <CREDIT_CARD>, SSN <US_SSN>, "
        "IBAN <IBAN_CODE>, host <IP_ADDRESS>; 28,155 rows, mean 603.73, from 2023-01-05, "
        "order 1234567890123"
    )


def test_profiles_never_carry_values_of_personal_data_columns(customers_profile):
    assert personal_data_columns(customers_profile) == {"full_name", "contact", "notes"}
    rendered = str(render_table(customers_profile))
    assert rendered.count(WITHHELD) == 3
    assert not any(value in rendered for value in [*CUSTOMER_NAMES, *CUSTOMER_EMAILS])
    assert "'value': 'gold'" in rendered


class UnreachableRedactor:
    """The PII service's redaction while that service is down."""

    def redact(self, text: str) -> str:
        raise Unavailable("pii service unreachable at 127.0.0.1:50054")


def test_redaction_failure_never_sends_and_still_answers_offline(groq_server, customers_profile):
    chain = Assistant([groq_provider(groq_server)], UnreachableRedactor())
    result = chain.generate(ClassifyColumnsRequest("ds_customers", customers_profile))
    assert result.provider == "offline"
    assert result.prompt == PROMPT_WITHHELD
    assert groq_server.requests == []
    assert "pii service unreachable" in result.warnings[0]
    assert {c["column"]: c["semantic_type"] for c in result.output["columns"]}["contact"] == "email"


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_breaker_opens_half_opens_for_one_trial_and_reopens():
    clock = Clock()
    breaker = CircuitBreaker(failure_threshold=2, cooldown_seconds=10, clock=clock)
    breaker.record_failure()
    assert breaker.allow() and breaker.state == BreakerState.CLOSED
    breaker.record_failure()
    assert not breaker.allow() and breaker.state == BreakerState.OPEN
    clock.now = 10
    assert breaker.allow()  # the one trial call
    assert not breaker.allow()  # a second caller waits for the trial's verdict
    breaker.record_failure()
    assert breaker.state == BreakerState.OPEN
    clock.now = 20
    assert breaker.allow()
    breaker.record_success()
    assert breaker.state == BreakerState.CLOSED and breaker.allow()


def test_backoff_doubles_honours_retry_after_and_is_capped():
    policy = RetryPolicy(initial_delay=0.5, max_delay=8.0, jitter=0)
    assert [policy.delay(n) for n in (1, 2, 3, 4, 5, 6)] == [0.5, 1.0, 2.0, 4.0, 8.0, 8.0]
    assert policy.delay(1, retry_after=3) == 3
    assert policy.delay(1, retry_after=60) == 8.0
    spread = RetryPolicy(initial_delay=1.0, jitter=0.2)
    assert all(0.8 <= spread.delay(1) <= 1.2 for _ in range(50))


def test_cache_evicts_least_recently_used_and_copies_outputs():
    cache = ResponseCache(max_entries=2)
    keys = [CacheKey("groq", "m", digest) for digest in ("a", "b", "c")]
    cache.put(keys[0], CachedAnswer({"n": 0}, "m"))
    cache.put(keys[1], CachedAnswer({"n": 1}, "m"))
    cache.get(keys[0])  # "a" is now more recently used than "b"
    cache.put(keys[2], CachedAnswer({"n": 2}, "m"))
    assert cache.get(keys[1]) is None  # evicted: "a" was used more recently
    hit = cache.get(keys[0])
    hit.output["n"] = 99
    assert cache.get(keys[0]).output == {"n": 0}
    assert len(cache) == 2


@pytest.mark.parametrize("model", ["m1", "m2"])
def test_cache_key_separates_models(model):
    cache = ResponseCache()
    cache.put(CacheKey("groq", "m1", "x"), CachedAnswer({"from": "m1"}, "m1"))
    found = cache.get(CacheKey("groq", model, "x"))
    assert (found is not None) == (model == "m1")


def test_a_long_right_tail_shows_in_order_statistics_not_in_the_maximum():
    rng = np.random.default_rng(0)

    def bounds(values):
        ordered = np.sort(values)
        return ColumnProfile(
            "x",
            ColumnKind.NUMERICAL,
            minimum=float(ordered[9]),
            maximum=float(ordered[-10]),
            mean=float(values.mean()),
        )

    skewed = bounds(rng.exponential(600.0, 2000))
    symmetric = bounds(rng.normal(600.0, 100.0, 2000))
    assert right_tail_ratio(skewed) > LONG_RIGHT_TAIL
    assert right_tail_ratio(symmetric) < 1.5
    assert right_tail_ratio(ColumnProfile("y", ColumnKind.NUMERICAL, minimum=-1.0)) is None
