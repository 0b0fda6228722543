"""Rate limits in memory and shared through the real Redis."""

from __future__ import annotations

import secrets

import pytest

from synthstudio_libs.auth.ratelimit import MemoryCounter, RateLimits, RedisCounter
from synthstudio_libs.errors import RateLimited

REDIS_URL = "redis://127.0.0.1:6379/0"


def test_the_limit_applies_per_principal_and_class():
    limits = RateLimits(MemoryCounter(), standard_per_minute=3, expensive_per_minute=1)
    for _ in range(3):
        limits.check("grpc", "user:a", expensive=False)
    with pytest.raises(RateLimited) as refused:
        limits.check("grpc", "user:a", expensive=False)
    assert 0 < refused.value.retry_after_seconds <= 60
    limits.check("grpc", "user:b", expensive=False)
    limits.check("grpc", "user:a", expensive=True)
    with pytest.raises(RateLimited, match="1 expensive calls per minute"):
        limits.check("grpc", "user:a", expensive=True)


@pytest.fixture
def redis_url():
    import redis

    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping()
    except redis.RedisError as exc:
        pytest.skip(f"Redis at {REDIS_URL} is not reachable: {exc}")
    return REDIS_URL


def test_two_processes_share_one_budget_through_redis(redis_url):
    principal = f"user:{secrets.token_hex(6)}"
    first = RateLimits(RedisCounter(redis_url), standard_per_minute=4, expensive_per_minute=1)
    second = RateLimits(RedisCounter(redis_url), standard_per_minute=4, expensive_per_minute=1)
    for limits in (first, second, first, second):
        limits.check("http", principal, expensive=False)
    with pytest.raises(RateLimited):
        second.check("http", principal, expensive=False)
