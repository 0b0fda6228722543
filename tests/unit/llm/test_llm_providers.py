"""The real groq and google-genai clients against local servers speaking their wire formats:
success, retries on 429, fallback on 5xx and timeouts, JSON repair, the circuit breaker,
redaction of what leaves, and the response cache."""

from __future__ import annotations

import pytest

from synthstudio_llm.assistant import Assistant, CallOutcome
from synthstudio_llm.features import AnswerQuestionRequest, ClassifyColumnsRequest
from synthstudio_llm.profiles import DatasetProfile
from synthstudio_llm.redaction import RegexRedactor
from synthstudio_llm.resilience import BreakerState, RetryPolicy
from synthstudio_llm.settings import LlmSettings
from tests.unit.llm.conftest import CUSTOMER_EMAILS, CUSTOMER_NAMES
from tests.unit.llm.fake_providers import gemini_provider, groq_provider

ANSWER = {"answer": "Two customers are gold.", "confidence": "high", "evidence": []}
OTHER_ANSWER = {"answer": "Gemini says two.", "confidence": "medium", "evidence": []}


class FakeClock:
    """A monotonic clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def sleeps() -> list[float]:
    """Backoff delays the assistant asked for; recorded instead of slept."""
    return []


def assistant(providers, sleeps, *, attempts=3, threshold=3, clock=None, redactor=None):
    built = Assistant(
        providers,
        redactor or RegexRedactor(),
        retry=RetryPolicy(max_attempts=attempts, initial_delay=0.5, max_delay=8.0, jitter=0),
        breaker_failure_threshold=threshold,
        breaker_cooldown_seconds=30.0,
        sleep=sleeps.append,
        clock=clock or FakeClock(),
    )
    return built


@pytest.fixture
def question(customers_profile) -> AnswerQuestionRequest:
    return AnswerQuestionRequest(
        "How many customers like Alice Martin (alice.martin@example.com) are gold tier?",
        DatasetProfile("ds_customers", (customers_profile,)),
    )


def test_groq_success_records_tokens_and_sends_json_mode(groq_server, sleeps, question):
    groq_server.answer_json(ANSWER, tokens=(321, 45))
    result = assistant([groq_provider(groq_server)], sleeps).generate(question)
    assert (result.provider, result.model, result.output) == ("groq", "llama-fake", ANSWER)
    assert (result.prompt_tokens, result.completion_tokens) == (321, 45)
    assert [call.outcome for call in result.calls] == [CallOutcome.SUCCESS]
    sent = groq_server.requests[0]
    assert sent.path == "/openai/v1/chat/completions"
    assert sent.headers["authorization"] == "Bearer gsk-test-key"
    assert sent.body["response_format"] == {"type": "json_object"}
    assert [message["role"] for message in sent.body["messages"]] == ["system", "user"]


def test_gemini_success_sends_schema_and_system_instruction(gemini_server, sleeps, question):
    gemini_server.answer_json(ANSWER, tokens=(210, 30))
    result = assistant([gemini_provider(gemini_server)], sleeps).generate(question)
    assert (result.provider, result.output, result.prompt_tokens) == ("gemini", ANSWER, 210)
    sent = gemini_server.requests[0]
    assert sent.path == "/v1beta/models/gemini-fake:generateContent"
    assert sent.headers["x-goog-api-key"] == "gemini-test-key"
    config = sent.body["generationConfig"]
    assert config["responseMimeType"] == "application/json"
    assert config["responseJsonSchema"]["required"] == ["answer", "confidence", "evidence"]
    assert "JSON Schema" in sent.body["systemInstruction"]["parts"][0]["text"]


@pytest.mark.parametrize("flavor", ["groq", "gemini"])
def test_429_is_retried_with_backoff_then_succeeds(
    flavor, groq_server, gemini_server, sleeps, question
):
    server, provider = (
        (groq_server, groq_provider(groq_server))
        if flavor == "groq"
        else (gemini_server, gemini_provider(gemini_server))
    )
    server.fail(429, headers={"Retry-After": "3"})
    server.fail(429)
    server.answer_json(ANSWER)
    result = assistant([provider], sleeps).generate(question)
    assert result.provider == flavor
    assert [call.outcome for call in result.calls] == [
        CallOutcome.RATE_LIMITED,
        CallOutcome.RATE_LIMITED,
        CallOutcome.SUCCESS,
    ]
    assert [call.attempt for call in result.calls] == [1, 2, 3]
    # The first wait honours Retry-After (3 s); the second doubles the 0.5 s backoff.
    assert sleeps == [3.0, 1.0]
    assert len(server.requests) == 3


def test_500_exhausts_retries_then_falls_back_to_gemini(
    groq_server, gemini_server, sleeps, question
):
    groq_server.fail(500, times=3)
    gemini_server.answer_json(OTHER_ANSWER)
    result = assistant(
        [groq_provider(groq_server), gemini_provider(gemini_server)], sleeps
    ).generate(question)
    assert (result.provider, result.output) == ("gemini", OTHER_ANSWER)
    assert [(call.provider, call.outcome) for call in result.calls] == [
        ("groq", CallOutcome.SERVER_ERROR),
        ("groq", CallOutcome.SERVER_ERROR),
        ("groq", CallOutcome.SERVER_ERROR),
        ("gemini", CallOutcome.SUCCESS),
    ]
    assert result.calls[0].status_code == 500
    assert sleeps == [0.5, 1.0]
    assert any("groq" in warning and "fell back" in warning for warning in result.warnings)


def test_timeout_falls_back_without_retrying(groq_server, gemini_server, sleeps, question):
    groq_server.answer_slowly(3.0, ANSWER)
    gemini_server.answer_slowly(3.0, ANSWER)
    providers = [
        groq_provider(groq_server, timeout=0.3),
        gemini_provider(gemini_server, timeout=0.3),
    ]
    result = assistant(providers, sleeps).generate(question)
    assert result.provider == "offline"
    assert [(call.provider, call.outcome) for call in result.calls] == [
        ("groq", CallOutcome.TIMEOUT),
        ("gemini", CallOutcome.TIMEOUT),
        ("offline", CallOutcome.SUCCESS),
    ]
    assert (len(groq_server.requests), len(gemini_server.requests), sleeps) == (1, 1, [])
    # The offline answer still reads the profile: "tier" is a column it can describe.
    assert "gold (40.0%)" in result.output["answer"]


def test_malformed_json_is_repaired_once(groq_server, sleeps, question):
    groq_server.answer_text("Sure! Here it is: {answer: two}")
    groq_server.answer_json(ANSWER, tokens=(400, 20))
    result = assistant([groq_provider(groq_server)], sleeps).generate(question)
    assert (result.provider, result.output) == ("groq", ANSWER)
    assert [(call.outcome, call.repair) for call in result.calls] == [
        (CallOutcome.INVALID_OUTPUT, False),
        (CallOutcome.SUCCESS, True),
    ]
    assert "not valid JSON" in result.calls[0].error
    assert result.prompt_tokens == 520  # both calls are counted
    repair_turn = groq_server.requests[1].body["messages"]
    assert repair_turn[2] == {"role": "assistant", "content": "Sure! Here it is: {answer: two}"}
    assert "Reply again with only the corrected JSON object" in repair_turn[3]["content"]


def test_schema_violation_after_repair_falls_back(groq_server, gemini_server, sleeps, question):
    groq_server.answer_json({"answer": "two"})
    groq_server.answer_json({"answer": "two", "confidence": "certain", "evidence": []})
    gemini_server.answer_json(OTHER_ANSWER)
    result = assistant(
        [groq_provider(groq_server), gemini_provider(gemini_server)], sleeps
    ).generate(question)
    assert result.provider == "gemini"
    assert [call.outcome for call in result.calls] == [
        CallOutcome.INVALID_OUTPUT,
        CallOutcome.INVALID_OUTPUT,
        CallOutcome.SUCCESS,
    ]
    assert "missing required property 'confidence'" in result.calls[0].error
    assert "'certain' is not one of" in result.calls[1].error
    # A provider that answers, even badly, is up: its breaker stays closed.
    assert "circuit" not in " ".join(result.warnings)


def test_circuit_opens_after_repeated_failures_and_half_opens(groq_server, sleeps, question):
    clock = FakeClock()
    chain = assistant([groq_provider(groq_server)], sleeps, attempts=1, threshold=2, clock=clock)
    groq_server.fail(503, times=2)
    for _ in range(2):
        assert chain.generate(question).provider == "offline"
    assert chain.breaker("groq").state == BreakerState.OPEN

    skipped = chain.generate(question)
    assert skipped.provider == "offline"
    assert skipped.calls[0].outcome == CallOutcome.CIRCUIT_OPEN
    assert len(groq_server.requests) == 2  # the open circuit sent nothing

    clock.now += 31  # past the 30 s cool-down: one trial call goes through
    assert chain.breaker("groq").state == BreakerState.HALF_OPEN
    groq_server.answer_json(ANSWER)
    assert chain.generate(question).provider == "groq"
    assert chain.breaker("groq").state == BreakerState.CLOSED


def test_personal_data_reaches_the_provider_redacted(groq_server, sleeps, customers_profile):
    # The names are those the PII scan reported; the e-mail addresses match by pattern.
    redactor = RegexRedactor(terms=CUSTOMER_NAMES)
    request = AnswerQuestionRequest(
        "Is Bob Okafor (bob.okafor@example.org, +33 6 12 34 56 78) a gold customer?",
        DatasetProfile("ds_customers", (customers_profile,)),
    )
    groq_server.answer_json(ANSWER)
    result = assistant([groq_provider(groq_server)], sleeps, redactor=redactor).generate(request)
    received = "\n".join(groq_server.user_texts())
    for secret in [*CUSTOMER_NAMES, *CUSTOMER_EMAILS, "+33 6 12 34 56 78"]:
        assert secret not in received
        assert secret not in result.prompt
    assert "Is <PERSON> (<EMAIL_ADDRESS>, <PHONE_NUMBER>) a gold customer?" in received
    # Values of personal-data columns are withheld from the profile before redaction runs.
    assert received.count("<withheld: personal data>") == 3  # full_name, contact, notes
    assert '"value":"gold"' in received  # aggregates of other columns still travel
    # What is stored is exactly what was sent.
    sent = groq_server.requests[0].body["messages"]
    assert result.prompt == f"[system]\n{sent[0]['content']}\n\n[user]\n{sent[1]['content']}"


def test_repeated_prompt_hits_the_cache(groq_server, sleeps, customers_profile):
    request = ClassifyColumnsRequest("ds_customers", customers_profile)
    output = {
        "table": "customers",
        "columns": [
            {
                "column": "age",
                "semantic_type": "age",
                "is_pii": False,
                "quasi_identifier": True,
                "confidence": 0.9,
                "reason": "Named age.",
            }
        ],
    }
    groq_server.answer_json(output)
    chain = assistant([groq_provider(groq_server)], sleeps)
    first, second = chain.generate(request), chain.generate(request)
    assert (first.cache_hit, second.cache_hit) == (False, True)
    assert second.output == first.output == output
    assert second.provider == "groq" and second.prompt_tokens == 0
    assert [call.outcome for call in second.calls] == [CallOutcome.CACHE_HIT]
    assert len(groq_server.requests) == 1


def test_settings_build_groq_then_gemini_then_offline(groq_server, gemini_server, question):
    settings = LlmSettings(
        groq_api_key="gsk-test-key",
        groq_base_url=groq_server.base_url,
        groq_model="llama-fake",
        gemini_api_key="gemini-test-key",
        gemini_base_url=gemini_server.base_url,
        gemini_model="gemini-fake",
        max_attempts=1,
    )
    chain = Assistant.from_settings(settings, RegexRedactor())
    assert chain.provider_names == ["groq", "gemini", "offline"]
    groq_server.fail(401)
    gemini_server.answer_json(OTHER_ANSWER)
    result = chain.generate(question)
    assert result.provider == "gemini"
    assert result.calls[0].outcome == CallOutcome.REJECTED
    chain.close()
    offline_only = Assistant.from_settings(LlmSettings(), RegexRedactor())
    assert offline_only.provider_names == ["offline"]
