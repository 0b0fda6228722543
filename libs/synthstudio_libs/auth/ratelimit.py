"""Per-principal rate limits in fixed one-minute windows: in memory by default, shared by every
process through Redis when a Redis URL is configured."""

from __future__ import annotations

import threading
import time
from typing import Protocol

from synthstudio_libs.errors import RateLimited

WINDOW_SECONDS = 60


class Counter(Protocol):
    def increment(self, key: str, window: int) -> int:
        """Adds one call to `key` in the window numbered `window`; returns the count so far."""


class MemoryCounter:
    def __init__(self) -> None:
        self._counts: dict[tuple[str, int], int] = {}
        self._lock = threading.Lock()

    def increment(self, key: str, window: int) -> int:
        with self._lock:
            if len(self._counts) > 10_000:
                self._counts = {k: v for k, v in self._counts.items() if k[1] >= window}
            count = self._counts.get((key, window), 0) + 1
            self._counts[(key, window)] = count
            return count


class RedisCounter:
    def __init__(self, url: str) -> None:
        import redis

        self._redis = redis.Redis.from_url(url, socket_timeout=2, socket_connect_timeout=2)

    def increment(self, key: str, window: int) -> int:
        name = f"synthstudio:ratelimit:{key}:{window}"
        pipeline = self._redis.pipeline()
        pipeline.incr(name)
        pipeline.expire(name, WINDOW_SECONDS * 2)
        count, _ = pipeline.execute()
        return int(count)


def make_counter(redis_url: str) -> Counter:
    return RedisCounter(redis_url) if redis_url else MemoryCounter()


class RateLimits:
    """Calls per principal per minute: one budget for ordinary methods, a stricter one for
    expensive ones (training, evaluation, the assistant)."""

    def __init__(
        self,
        counter: Counter,
        *,
        standard_per_minute: int,
        expensive_per_minute: int,
        sign_in_per_client_per_minute: int = 60,
        sign_in_global_per_minute: int = 20_000,
    ) -> None:
        self._counter = counter
        self._limits = {False: standard_per_minute, True: expensive_per_minute}
        self._sign_in_per_client = sign_in_per_client_per_minute
        self._sign_in_global = sign_in_global_per_minute

    def check(self, scope: str, principal_id: str, expensive: bool) -> None:
        kind = "expensive" if expensive else "standard"
        self._count(f"{scope}:{kind}:{principal_id}", self._limits[expensive], kind)

    def check_sign_in(self, scope: str, client: str) -> None:
        """Calls anyone may make (sign-in, refresh, logout): a budget per client address, and
        a ceiling for all clients together, far above what one client may use, so that no
        client can spend it for the others."""
        self._count(f"{scope}:sign-in:client:{client}", self._sign_in_per_client, "sign-in")
        self._count(f"{scope}:sign-in:all", self._sign_in_global, "sign-in (all clients)")

    def _count(self, key: str, limit: int, kind: str) -> None:
        now = time.time()
        window = int(now // WINDOW_SECONDS)
        if self._counter.increment(key, window) > limit:
            retry_after = (window + 1) * WINDOW_SECONDS - now
            raise RateLimited(
                f"rate limit of {limit} {kind} calls per minute reached; retry in "
                f"{retry_after:.0f} s",
                retry_after_seconds=retry_after,
                metadata={"limit": limit, "class": kind},
            )
