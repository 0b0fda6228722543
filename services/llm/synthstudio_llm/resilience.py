"""Retry with exponential backoff, and a circuit breaker per provider."""

from __future__ import annotations

import random
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum


@dataclass(frozen=True)
class RetryPolicy:
    """At most `max_attempts` calls; the n-th retry waits `initial * multiplier**(n-1)` seconds
    (capped at `max_delay`, at least a server's Retry-After), spread by +/- `jitter`."""

    max_attempts: int = 3
    initial_delay: float = 0.5
    max_delay: float = 8.0
    multiplier: float = 2.0
    jitter: float = 0.2

    def delay(self, retry_number: int, retry_after: float | None = None) -> float:
        """Seconds to wait before retry `retry_number` (1 for the first retry)."""
        backoff = self.initial_delay * self.multiplier ** (retry_number - 1)
        if retry_after is not None:
            backoff = max(backoff, retry_after)
        spread = 1 + random.uniform(-self.jitter, self.jitter) if self.jitter else 1.0
        return min(self.max_delay, backoff * spread)


class BreakerState(StrEnum):
    """CLOSED lets calls through; OPEN refuses them; HALF_OPEN lets one trial call through."""

    CLOSED = "closed"
    OPEN = "open"
    HALF_OPEN = "half_open"


class CircuitBreaker:
    """Opens after `failure_threshold` consecutive failed calls and refuses calls for
    `cooldown_seconds`; then one trial call decides between closing and opening again."""

    def __init__(
        self,
        failure_threshold: int,
        cooldown_seconds: float,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._threshold = failure_threshold
        self._cooldown = cooldown_seconds
        self._clock = clock
        self._lock = threading.Lock()
        self._state = BreakerState.CLOSED
        self._failures = 0
        self._opened_at = 0.0
        self._trial_running = False

    @property
    def state(self) -> BreakerState:
        with self._lock:
            self._maybe_half_open()
            return self._state

    def allow(self) -> bool:
        """Whether a call may go through now (in HALF_OPEN, only the one trial call)."""
        with self._lock:
            self._maybe_half_open()
            if self._state == BreakerState.CLOSED:
                return True
            if self._state == BreakerState.HALF_OPEN and not self._trial_running:
                self._trial_running = True
                return True
            return False

    def record_success(self) -> None:
        with self._lock:
            self._state = BreakerState.CLOSED
            self._failures = 0
            self._trial_running = False

    def record_failure(self) -> None:
        with self._lock:
            self._failures += 1
            self._trial_running = False
            if self._state == BreakerState.HALF_OPEN or self._failures >= self._threshold:
                self._state = BreakerState.OPEN
                self._opened_at = self._clock()

    def _maybe_half_open(self) -> None:
        cooled = self._clock() - self._opened_at >= self._cooldown
        if self._state == BreakerState.OPEN and cooled:
            self._state = BreakerState.HALF_OPEN
