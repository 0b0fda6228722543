"""The assistant: runs a feature request through the provider chain.

For each request: validate it, build the prompt from aggregates, redact it, then try each
remote provider in order (cache, circuit breaker, retries with backoff on 429/5xx, JSON-schema
validation with one repair turn) and fall back to the next; the offline provider closes the
chain. Every call is recorded with its outcome, tokens and latency.
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from enum import StrEnum
from typing import Any

from synthstudio_libs.errors import SynthStudioError
from synthstudio_llm.cache import CachedAnswer, CacheKey, ResponseCache
from synthstudio_llm.features import Feature, FeatureSpec, spec_for
from synthstudio_llm.json_schema import validate
from synthstudio_llm.prompting import Prompt
from synthstudio_llm.providers import (
    Completion,
    Message,
    OfflineProvider,
    Provider,
    ProviderError,
    remote_providers,
)
from synthstudio_llm.redaction import Redactor
from synthstudio_llm.resilience import CircuitBreaker, RetryPolicy
from synthstudio_llm.settings import LlmSettings

PROMPT_WITHHELD = "<prompt withheld: redaction was unavailable, so no text left the service>"


class CallOutcome(StrEnum):
    """What one provider call (or the decision not to make it) came to."""

    SUCCESS = "success"
    CACHE_HIT = "cache_hit"
    CIRCUIT_OPEN = "circuit_open"
    INVALID_OUTPUT = "invalid_output"
    RATE_LIMITED = "rate_limited"
    SERVER_ERROR = "server_error"
    TIMEOUT = "timeout"
    CONNECTION = "connection"
    REJECTED = "rejected"


@dataclass(frozen=True)
class CallRecord:
    """One provider call: who, which attempt, whether it was the JSON repair turn, and its cost.

    `error` says what went wrong (an HTTP status, a timeout, the schema violations)."""

    provider: str
    model: str
    outcome: CallOutcome
    attempt: int = 1
    repair: bool = False
    status_code: int | None = None
    prompt_tokens: int = 0
    completion_tokens: int = 0
    latency_ms: float = 0.0
    error: str = ""


@dataclass(frozen=True)
class Generation:
    """A validated answer to a feature request and everything needed to store and audit it.

    `prompt` is the redacted prompt text, exactly what was (or would have been) sent; tokens
    and latency total every call the answer took, failed ones included."""

    feature: Feature
    input_ids: tuple[str, ...]
    provider: str
    model: str
    prompt: str
    output: dict[str, Any]
    prompt_tokens: int
    completion_tokens: int
    latency_ms: float
    cache_hit: bool
    calls: tuple[CallRecord, ...]
    warnings: tuple[str, ...] = field(default_factory=tuple)


@dataclass
class _Attempt:
    """Working state of one request while it walks the chain."""

    spec: FeatureSpec[Any]
    prompt: Prompt
    calls: list[CallRecord] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


class Assistant:
    """Answers feature requests through remote providers, falling back to the offline one."""

    def __init__(
        self,
        providers: Sequence[Provider],
        redactor: Redactor,
        *,
        retry: RetryPolicy | None = None,
        breaker_failure_threshold: int = 3,
        breaker_cooldown_seconds: float = 60.0,
        cache: ResponseCache | None = None,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._providers = list(providers)
        self._redactor = redactor
        self._retry = retry or RetryPolicy()
        self._cache = cache if cache is not None else ResponseCache()
        self._sleep = sleep
        self._offline = OfflineProvider()
        self._breakers = {
            provider.name: CircuitBreaker(
                breaker_failure_threshold, breaker_cooldown_seconds, clock
            )
            for provider in self._providers
        }

    @classmethod
    def from_settings(cls, settings: LlmSettings, redactor: Redactor) -> Assistant:
        """The chain the settings describe: Groq, then Gemini (when their keys are set), then
        the offline provider."""
        return cls(
            remote_providers(settings),
            redactor,
            retry=RetryPolicy(
                max_attempts=settings.max_attempts,
                initial_delay=settings.backoff_initial_seconds,
                max_delay=settings.backoff_max_seconds,
            ),
            breaker_failure_threshold=settings.breaker_failure_threshold,
            breaker_cooldown_seconds=settings.breaker_cooldown_seconds,
            cache=ResponseCache(settings.cache_max_entries),
        )

    @property
    def provider_names(self) -> list[str]:
        """The chain in order, the offline provider last."""
        return [provider.name for provider in self._providers] + [self._offline.name]

    def breaker(self, provider: str) -> CircuitBreaker:
        """The circuit breaker of the remote provider called `provider`."""
        return self._breakers[provider]

    def generate(self, request: object) -> Generation:
        """A validated answer to `request` (any feature's request dataclass).

        Raises `InvalidInput` when the request cannot be answered. Never raises for a provider
        failure: the offline provider answers when every remote one failed.
        """
        spec = spec_for(request)
        spec.validate(request)
        started = time.perf_counter()
        prompt = spec.build_prompt(request)
        try:
            redacted = Prompt(
                self._redactor.redact(prompt.system), self._redactor.redact(prompt.user)
            )
        except SynthStudioError as error:
            return self._offline_only(spec, request, started, error)
        attempt = _Attempt(spec, redacted)
        for provider in self._providers:
            answer = self._try_provider(provider, attempt)
            if answer is not None:
                output, model, cache_hit = answer
                return self._generation(
                    attempt, request, provider.name, model, output, started, cache_hit
                )
        output = self._answer_offline(attempt, request)
        return self._generation(
            attempt, request, self._offline.name, self._offline.model, output, started, False
        )

    def close(self) -> None:
        """Close every remote provider's HTTP client."""
        for provider in self._providers:
            provider.close()

    def _offline_only(
        self, spec: FeatureSpec[Any], request: object, started: float, error: SynthStudioError
    ) -> Generation:
        attempt = _Attempt(spec, Prompt("", ""))
        attempt.warnings.append(
            f"Redaction failed ({error.message}); remote providers were skipped and the "
            "offline provider answered."
        )
        output = self._answer_offline(attempt, request)
        generation = self._generation(
            attempt, request, self._offline.name, self._offline.model, output, started, False
        )
        return replace(generation, prompt=PROMPT_WITHHELD)

    def _generation(
        self,
        attempt: _Attempt,
        request: object,
        provider: str,
        model: str,
        output: dict[str, Any],
        started: float,
        cache_hit: bool,
    ) -> Generation:
        return Generation(
            feature=attempt.spec.feature,
            input_ids=attempt.spec.input_ids(request),
            provider=provider,
            model=model,
            prompt=attempt.prompt.as_text(),
            output=output,
            prompt_tokens=sum(call.prompt_tokens for call in attempt.calls),
            completion_tokens=sum(call.completion_tokens for call in attempt.calls),
            latency_ms=round((time.perf_counter() - started) * 1000, 3),
            cache_hit=cache_hit,
            calls=tuple(attempt.calls),
            warnings=tuple(attempt.warnings),
        )

    def _answer_offline(self, attempt: _Attempt, request: object) -> dict[str, Any]:
        started = time.perf_counter()
        output = self._offline.answer(attempt.spec, request)
        attempt.calls.append(
            CallRecord(
                provider=self._offline.name,
                model=self._offline.model,
                outcome=CallOutcome.SUCCESS,
                latency_ms=_elapsed_ms(started),
            )
        )
        return output

    def _try_provider(
        self, provider: Provider, attempt: _Attempt
    ) -> tuple[dict[str, Any], str, bool] | None:
        key = CacheKey(provider.name, provider.model, attempt.prompt.digest())
        cached = self._cache.get(key)
        if cached is not None:
            attempt.calls.append(CallRecord(provider.name, cached.model, CallOutcome.CACHE_HIT))
            return cached.output, cached.model, True
        breaker = self._breakers[provider.name]
        if not breaker.allow():
            attempt.calls.append(
                CallRecord(provider.name, provider.model, CallOutcome.CIRCUIT_OPEN)
            )
            attempt.warnings.append(f"{provider.name}: circuit open, skipped.")
            return None
        try:
            output, model = self._ask_with_repair(provider, attempt)
        except ProviderError as error:
            breaker.record_failure()
            attempt.warnings.append(f"{provider.name}: {error}; fell back to the next provider.")
            return None
        # The provider answered, so it is healthy even when its JSON was unusable.
        breaker.record_success()
        if output is None:
            attempt.warnings.append(
                f"{provider.name}: invalid JSON even after a repair turn; fell back."
            )
            return None
        self._cache.put(key, CachedAnswer(output, model))
        return output, model, False

    def _ask_with_repair(
        self, provider: Provider, attempt: _Attempt
    ) -> tuple[dict[str, Any] | None, str]:
        schema = attempt.spec.output_schema
        messages = [Message("user", attempt.prompt.user)]
        completion = self._call_with_retries(provider, messages, attempt, repair=False)
        output, problems = parse_output(completion.text, schema)
        if output is not None:
            return output, completion.model
        self._mark_invalid(attempt, problems)
        repair_request = self._redactor.redact(repair_instruction(problems))
        messages += [Message("assistant", completion.text), Message("user", repair_request)]
        completion = self._call_with_retries(provider, messages, attempt, repair=True)
        output, problems = parse_output(completion.text, schema)
        if output is None:
            self._mark_invalid(attempt, problems)
        return output, completion.model

    def _call_with_retries(
        self, provider: Provider, messages: list[Message], attempt: _Attempt, *, repair: bool
    ) -> Completion:
        for number in range(1, self._retry.max_attempts + 1):
            started = time.perf_counter()
            try:
                completion = provider.complete(
                    attempt.prompt.system, messages, attempt.spec.output_schema
                )
            except ProviderError as error:
                attempt.calls.append(_failed_call(provider, error, number, repair, started))
                if not error.retryable or number == self._retry.max_attempts:
                    raise
                self._sleep(self._retry.delay(number, error.retry_after_seconds))
                continue
            attempt.calls.append(
                CallRecord(
                    provider=provider.name,
                    model=completion.model,
                    outcome=CallOutcome.SUCCESS,
                    attempt=number,
                    repair=repair,
                    prompt_tokens=completion.prompt_tokens,
                    completion_tokens=completion.completion_tokens,
                    latency_ms=_elapsed_ms(started),
                )
            )
            return completion
        raise AssertionError("the retry loop always returns or raises")

    @staticmethod
    def _mark_invalid(attempt: _Attempt, problems: list[str]) -> None:
        last = attempt.calls[-1]
        attempt.calls[-1] = replace(
            last, outcome=CallOutcome.INVALID_OUTPUT, error="; ".join(problems)[:2000]
        )


def parse_output(text: str, schema: dict[str, Any]) -> tuple[dict[str, Any] | None, list[str]]:
    """The JSON object in `text` when it conforms to `schema`, else None and the problems.

    A Markdown code fence around the object is tolerated; anything else is a problem."""
    fenced = re.fullmatch(r"\s*```(?:json)?\s*(.*?)\s*```\s*", text, flags=re.S)
    body = fenced.group(1) if fenced else text
    try:
        value = json.loads(body)
    except json.JSONDecodeError as error:
        return None, [f"not valid JSON: {error.msg} at line {error.lineno} column {error.colno}"]
    if not isinstance(value, dict):
        return None, [f"expected a JSON object, got {type(value).__name__}"]
    problems = validate(value, schema)
    return (None, problems) if problems else (value, [])


def repair_instruction(problems: list[str]) -> str:
    """The follow-up turn asking a model to fix its previous answer."""
    listed = "\n".join(f"- {problem}" for problem in problems[:20])
    return (
        "Your previous answer was not a JSON object conforming to the schema:\n"
        f"{listed}\nReply again with only the corrected JSON object."
    )


def _failed_call(
    provider: Provider, error: ProviderError, number: int, repair: bool, started: float
) -> CallRecord:
    return CallRecord(
        provider=provider.name,
        model=provider.model,
        outcome=CallOutcome(error.kind.value),
        attempt=number,
        repair=repair,
        status_code=error.status_code,
        latency_ms=_elapsed_ms(started),
        error=str(error)[:2000],
    )


def _elapsed_ms(started: float) -> float:
    return round((time.perf_counter() - started) * 1000, 3)
