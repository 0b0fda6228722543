"""The interface every remote model provider implements, and how failures are classified."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any, Literal, Protocol


class FailureKind(StrEnum):
    """Why a provider call failed; decides whether it is retried and whether it trips the
    circuit breaker."""

    RATE_LIMITED = "rate_limited"
    SERVER_ERROR = "server_error"
    TIMEOUT = "timeout"
    CONNECTION = "connection"
    REJECTED = "rejected"


# Retried with backoff on the same provider. A timeout is not: the caller already waited the
# whole per-call budget, so the next provider is a better use of the user's time.
RETRYABLE = frozenset({FailureKind.RATE_LIMITED, FailureKind.SERVER_ERROR, FailureKind.CONNECTION})


class ProviderError(Exception):
    """A provider call that did not produce a completion."""

    def __init__(
        self,
        kind: FailureKind,
        message: str,
        *,
        status_code: int | None = None,
        retry_after_seconds: float | None = None,
    ) -> None:
        super().__init__(message)
        self.kind = kind
        self.status_code = status_code
        self.retry_after_seconds = retry_after_seconds

    @property
    def retryable(self) -> bool:
        return self.kind in RETRYABLE


def failure_for_status(status_code: int) -> FailureKind:
    """429 is a rate limit, 408 and 5xx are server errors, any other status a rejection."""
    if status_code == 429:
        return FailureKind.RATE_LIMITED
    if status_code == 408 or status_code >= 500:
        return FailureKind.SERVER_ERROR
    return FailureKind.REJECTED


def retry_after(headers: Any) -> float | None:
    """Seconds from a `Retry-After` header given in seconds; None when absent or a date."""
    value = headers.get("retry-after") if headers is not None else None
    try:
        return max(0.0, float(value)) if value is not None else None
    except ValueError:
        return None


@dataclass(frozen=True)
class Message:
    """One turn of the conversation after the system instruction."""

    role: Literal["user", "assistant"]
    content: str


@dataclass(frozen=True)
class Completion:
    """A provider's raw answer and what it cost."""

    text: str
    model: str
    prompt_tokens: int
    completion_tokens: int


class Provider(Protocol):
    """A remote chat model asked for one JSON object conforming to `schema`.

    `complete` raises `ProviderError` for every failure and never retries on its own: the
    assistant owns retries, the circuit breaker and fallback.
    """

    name: str
    model: str

    def complete(self, system: str, messages: list[Message], schema: dict[str, Any]) -> Completion:
        """The model's answer to `messages` under the `system` instruction."""
        ...

    def close(self) -> None:
        """Release the HTTP client."""
        ...
