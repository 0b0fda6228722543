"""Security through the REST gateway of the running suite."""

from __future__ import annotations

import base64
import os
import secrets
import subprocess
import sys
import time

import httpx
import pytest
import redis

from synthstudio_gateway.routes import discover_routes
from tests.conftest import ADMIN_EMAIL, ADMIN_PASSWORD, free_port

REDIS_URL = "redis://127.0.0.1:6379/0"


def concrete_path(template: str) -> str:
    path = template
    for name in ("dataset_id", "job_id", "key_id"):
        path = path.replace("{" + name + "}", "x_1")
    return path


@pytest.mark.parametrize(
    "route",
    [r for r in discover_routes() if not r.policy.public],
    ids=lambda r: f"{r.verb} {r.template}",
)
def test_every_route_refuses_a_call_without_credentials(anonymous_http, route):
    reply = anonymous_http.request(route.verb, concrete_path(route.template), json={})
    assert reply.status_code == 401, reply.text
    assert reply.headers["content-type"] == "application/problem+json"
    assert reply.json()["reason"] == "CREDENTIALS_MISSING"


def test_an_invalid_token_is_401_from_the_service(anonymous_http):
    reply = anonymous_http.get("/v1/datasets", headers={"authorization": "Bearer nonsense"})
    assert reply.status_code == 401
    assert reply.json()["reason"] == "TOKEN_INVALID"


def test_sign_in_refresh_and_logout(anonymous_http):
    login = anonymous_http.post(
        "/v1/auth/login", json={"email": ADMIN_EMAIL, "password": ADMIN_PASSWORD}
    ).json()
    assert login["tokenType"] == "Bearer"
    me = anonymous_http.get(
        "/v1/auth/me", headers={"authorization": f"Bearer {login['accessToken']}"}
    ).json()
    assert me["name"] == ADMIN_EMAIL and me["role"] == "ROLE_ADMIN"
    rotated = anonymous_http.post("/v1/auth/refresh", json={"refreshToken": login["refreshToken"]})
    assert rotated.status_code == 200
    reused = anonymous_http.post("/v1/auth/refresh", json={"refreshToken": login["refreshToken"]})
    assert reused.status_code == 401 and reused.json()["reason"] == "REFRESH_TOKEN_REUSED"
    after = anonymous_http.post(
        "/v1/auth/refresh", json={"refreshToken": rotated.json()["refreshToken"]}
    )
    assert after.status_code == 401


def test_a_wrong_password_is_401_without_saying_which_part_was_wrong(anonymous_http):
    reply = anonymous_http.post(
        "/v1/auth/login", json={"email": ADMIN_EMAIL, "password": "not the password"}
    )
    assert reply.status_code == 401
    assert reply.json()["detail"] == "the e-mail or password is wrong"


def test_an_editor_may_not_manage_users(http):
    reply = http.post(
        "/v1/users", json={"email": "x@example.org", "password": "x" * 12, "role": "ROLE_ADMIN"}
    )
    assert reply.status_code == 403
    assert reply.json()["reason"] == "ROLE_NOT_ALLOWED"


def test_the_audit_log_has_the_call_with_its_trace_and_verifies(http, anonymous_http, admin_token):
    trace_id = secrets.token_hex(16)
    content = base64.b64encode(b"a,b\n1,2\n").decode()
    created = http.post(
        "/v1/datasets",
        json={"format": "TABLE_FORMAT_CSV", "content": content},
        headers={"traceparent": f"00-{trace_id}-{secrets.token_hex(8)}-01"},
    ).json()
    admin = {"authorization": f"Bearer {admin_token}"}
    events = anonymous_http.get(
        "/v1/auditEvents", params={"action": "CreateDataset", "pageSize": 500}, headers=admin
    ).json()["events"]
    event = next(e for e in events if e["resource"] == f"dataset/{created['id']}")
    assert event["traceId"] == trace_id
    assert event["outcome"] == "OK" and event["role"] == "ROLE_EDITOR"
    verified = anonymous_http.post("/v1/auditEvents:verify", json={}, headers=admin).json()
    assert verified["intact"] is True and int(verified["checked"]) >= 1


def test_responses_carry_security_headers(http):
    headers = http.get("/v1/datasets").headers
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["x-frame-options"] == "DENY"
    assert "default-src 'none'" in headers["content-security-policy"]


def test_an_oversized_body_is_413_before_it_is_read(http):
    reply = http.post("/v1/datasets", content=b"x" * (17 * 1024 * 1024))
    assert reply.status_code == 413
    assert reply.json()["code"] == "REQUEST_TOO_LARGE"


@pytest.fixture
def shared_redis():
    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping()
    except redis.RedisError as exc:
        pytest.skip(f"Redis at {REDIS_URL} is not reachable: {exc}")
    return REDIS_URL


def start_gateway(env: dict[str, str], redis_url: str) -> tuple[subprocess.Popen, str]:
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "synthstudio_gateway"],
        env={
            **env,
            "SYNTHSTUDIO_GATEWAY_PORT": str(port),
            "SYNTHSTUDIO_REDIS_URL": redis_url,
            "SYNTHSTUDIO_RATE_LIMIT_STANDARD_PER_MINUTE": "5",
            "OTEL_EXPORTER_OTLP_ENDPOINT": "",
        },
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            httpx.get(f"{url}/openapi.json", timeout=1)
            return process, url
        except httpx.HTTPError:
            time.sleep(0.2)
    process.kill()
    raise AssertionError("the extra gateway did not start")


def test_two_gateways_share_the_rate_limit_through_redis(suite, editor_token, shared_redis):
    _base_url, env = suite
    env = {k: v for k, v in env.items() if k != "OTEL_EXPORTER_OTLP_ENDPOINT"}
    gateways = [start_gateway({**os.environ, **env}, shared_redis) for _ in range(2)]
    # Each window of a minute has its own budget: start in a fresh one so all calls share it.
    if time.time() % 60 > 50:
        time.sleep(61 - time.time() % 60)
    try:
        headers = {"authorization": f"Bearer {editor_token}"}
        codes = [
            httpx.get(f"{gateways[i % 2][1]}/v1/datasets", headers=headers).status_code
            for i in range(6)
        ]
        assert codes[:5] == [200] * 5
        assert codes[5] == 429
        limited = httpx.get(f"{gateways[0][1]}/v1/datasets", headers=headers)
        assert limited.status_code == 429
        assert 1 <= int(limited.headers["retry-after"]) <= 60
        assert limited.json()["reason"] == "RATE_LIMITED"
    finally:
        for process, _url in gateways:
            process.terminate()
            process.wait(timeout=10)
