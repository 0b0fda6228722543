"""Security through the REST gateway of the running suite."""

from __future__ import annotations

import base64
import json
import secrets
import socket
import time
from pathlib import Path

import httpx
import pytest
import redis

from synthstudio_gateway.routes import discover_routes
from synthstudio_libs.auth.principal import Principal, Role
from synthstudio_libs.auth.tokens import TokenSigner, load_secret
from tests.conftest import ADMIN_EMAIL, ADMIN_PASSWORD, gateway_process

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


def test_two_gateways_share_the_rate_limit_through_redis(suite, editor_token, shared_redis):
    _base_url, env = suite
    limits = {
        "SYNTHSTUDIO_REDIS_URL": shared_redis,
        "SYNTHSTUDIO_RATE_LIMIT_STANDARD_PER_MINUTE": "5",
    }
    with gateway_process(env, **limits) as first, gateway_process(env, **limits) as second:
        urls = [first[0], second[0]]
        # Each window of a minute has its own budget: start in a fresh one so all calls share it.
        if time.time() % 60 > 50:
            time.sleep(61 - time.time() % 60)
        headers = {"authorization": f"Bearer {editor_token}"}
        codes = [
            httpx.get(f"{urls[i % 2]}/v1/datasets", headers=headers).status_code for i in range(6)
        ]
        assert codes[:5] == [200] * 5
        assert codes[5] == 429
        limited = httpx.get(f"{urls[0]}/v1/datasets", headers=headers)
        assert limited.status_code == 429
        assert 1 <= int(limited.headers["retry-after"]) <= 60
        assert limited.json()["reason"] == "RATE_LIMITED"


def client_from(base_url: str, address: str) -> httpx.Client:
    """A client calling from another loopback address: another client, as the gateway sees it."""
    transport = httpx.HTTPTransport(local_address=address)
    return httpx.Client(base_url=base_url, transport=transport, timeout=60)


def test_a_sign_in_flood_from_one_client_leaves_the_others_signing_in(suite):
    base_url, _env = suite
    with client_from(base_url, "127.0.0.2") as attacker, client_from(base_url, "127.0.0.3") as user:
        # Two windows' worth, so the flood crosses the limit whatever second it starts in.
        codes = [
            attacker.post("/v1/auth/refresh", json={"refreshToken": "rt_x.guess"}).status_code
            for _ in range(125)
        ]
        assert 429 in codes and set(codes) <= {401, 429}
        signed_in = user.post(
            "/v1/auth/login", json={"email": ADMIN_EMAIL, "password": ADMIN_PASSWORD}
        )
        assert signed_in.status_code == 200, signed_in.text


def wait_until_refused(client: httpx.Client, token: str) -> httpx.Response:
    """GET /v1/auth/me with `token` until it is refused (revocation is seen within 2 s)."""
    deadline = time.monotonic() + 10
    while True:
        reply = client.get("/v1/auth/me", headers={"authorization": f"Bearer {token}"})
        if reply.status_code != 200 or time.monotonic() > deadline:
            return reply
        time.sleep(0.25)


def sign_in(client: httpx.Client) -> dict:
    reply = client.post("/v1/auth/login", json={"email": ADMIN_EMAIL, "password": ADMIN_PASSWORD})
    assert reply.status_code == 200, reply.text
    return reply.json()


def test_an_access_token_stops_working_after_logout(anonymous_http):
    ended, kept = sign_in(anonymous_http), sign_in(anonymous_http)
    logout = anonymous_http.post("/v1/auth/logout", json={"refreshToken": ended["refreshToken"]})
    assert logout.status_code == 200
    refused = wait_until_refused(anonymous_http, ended["accessToken"])
    assert refused.status_code == 401 and refused.json()["reason"] == "SESSION_ENDED"
    headers = {"authorization": f"Bearer {kept['accessToken']}"}
    me = anonymous_http.get("/v1/auth/me", headers=headers)
    assert me.status_code == 200


def test_access_tokens_stop_working_once_a_refresh_token_is_reused(anonymous_http):
    stolen = sign_in(anonymous_http)
    rotated = anonymous_http.post("/v1/auth/refresh", json={"refreshToken": stolen["refreshToken"]})
    assert rotated.status_code == 200
    reused = anonymous_http.post("/v1/auth/refresh", json={"refreshToken": stolen["refreshToken"]})
    assert reused.json()["reason"] == "REFRESH_TOKEN_REUSED"
    for token in (stolen["accessToken"], rotated.json()["accessToken"]):
        refused = wait_until_refused(anonymous_http, token)
        assert refused.status_code == 401 and refused.json()["reason"] == "SESSION_ENDED"


def test_a_token_of_an_unknown_user_is_refused(suite, anonymous_http):
    _base_url, env = suite
    secret = load_secret("", Path(env["SYNTHSTUDIO_DATA_DIR"]))
    ghost = TokenSigner(secret, ttl_seconds=300).issue(
        Principal(id="user:usr_deleted", name="gone@example.org", role=Role.ADMIN)
    )
    refused = anonymous_http.get("/v1/users", headers={"authorization": f"Bearer {ghost}"})
    assert refused.status_code == 401 and refused.json()["reason"] == "USER_UNKNOWN"


def raw_request(base_url: str, method: str, path: str, authorization: bytes) -> tuple[int, dict]:
    """Sends a request as raw bytes (HTTP clients refuse to send malformed headers)."""
    host, port = base_url.removeprefix("http://").split(":")
    body = b'{"refreshToken": "x"}' if method == "POST" else b""
    head = (
        f"{method} {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n"
        f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n"
    ).encode()
    with socket.create_connection((host, int(port)), timeout=30) as connection:
        connection.sendall(head + b"Authorization: " + authorization + b"\r\n\r\n" + body)
        reply = b""
        while chunk := connection.recv(65536):
            reply += chunk
    status_line, _, rest = reply.partition(b"\r\n")
    payload = rest.partition(b"\r\n\r\n")[2]
    return int(status_line.split()[1]), json.loads(payload) if payload.startswith(b"{") else {}


@pytest.mark.parametrize(
    ("authorization", "status"),
    [
        (b"Bearer abc\x01def", 400),
        (b"Bearer \x7f", 400),
        (b"Bearer caf\xc3\xa9", 400),
        (b"Bearer \x80\xff", 400),
        (b"Bearer " + b"a" * 5000, 431),
    ],
    ids=["control character", "delete", "non-ascii", "obs-text", "oversized"],
)
def test_an_authorization_header_that_cannot_be_forwarded_is_a_4xx(suite, authorization, status):
    base_url, _env = suite
    for method, path in (("GET", "/v1/datasets"), ("POST", "/v1/auth/logout")):
        code, body = raw_request(base_url, method, path, authorization)
        assert code == status, body
        # The HTTP server refuses some bytes itself, with a plain-text 400.
        assert not body or "Authorization header" in body["detail"]


def test_an_undefined_enum_number_is_400(http):
    reply = http.post("/v1/datasets/ds_x/synthesizers", json={"kind": 99})
    assert reply.status_code == 400, reply.text
    problem = reply.json()
    assert "names or numbers of SynthesizerKind, not the number 99" in problem["detail"]
    assert problem["violations"][0]["field"] == "kind"


def test_json_nested_100000_deep_is_400(http):
    deep = '{"displayName": ' + "[" * 100_000 + "]" * 100_000 + "}"
    reply = http.post("/v1/datasets", content=deep, headers={"content-type": "application/json"})
    assert reply.status_code == 400, reply.text
    assert "nested too deeply" in reply.json()["detail"]


def test_a_display_name_of_a_megabyte_or_with_nul_is_400(http):
    csv = {"format": "TABLE_FORMAT_CSV", "content": "YQoxCg=="}
    for name in ("x" * 1024 * 1024, "nul\x00name"):
        reply = http.post("/v1/datasets", json={**csv, "displayName": name})
        assert reply.status_code == 400, reply.text
        assert reply.json()["violations"][0]["field"] == "display_name"
