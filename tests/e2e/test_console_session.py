"""The console's sign-in over plain HTTP, against the suite as `make run` starts it: the cookies'
attributes, the CSRF check on refresh and sign-out, revocation, and that the console and
Swagger UI pages name only assets the gateway serves itself."""

from __future__ import annotations

import re

import httpx
import pytest

from tests.conftest import ADMIN_EMAIL, ADMIN_PASSWORD


@pytest.fixture
def browserless(suite):
    base_url, _env = suite
    with httpx.Client(base_url=base_url, timeout=30) as client:
        yield client


def sign_in(client: httpx.Client) -> httpx.Response:
    reply = client.post("/console/session", json={"email": ADMIN_EMAIL, "password": ADMIN_PASSWORD})
    assert reply.status_code == 200, reply.text
    return reply


def test_sign_in_keeps_the_refresh_token_in_an_httponly_strict_cookie(browserless):
    reply = sign_in(browserless)

    body = reply.json()
    assert set(body) == {"accessToken", "expiresIn", "csrfToken"}
    cookies = {c.split("=", 1)[0]: c for c in reply.headers.get_list("set-cookie")}
    refresh = cookies["synthstudio_refresh"].lower()
    assert "httponly" in refresh and "samesite=strict" in refresh
    assert "path=/console/session" in refresh
    csrf = cookies["synthstudio_csrf"].lower()
    assert "httponly" not in csrf and "samesite=strict" in csrf
    assert browserless.cookies["synthstudio_csrf"] == body["csrfToken"]
    me = browserless.get("/v1/auth/me", headers={"authorization": f"Bearer {body['accessToken']}"})
    assert me.json()["name"] == ADMIN_EMAIL


def test_refresh_needs_the_csrf_header_and_rotates_the_cookie(browserless):
    csrf = sign_in(browserless).json()["csrfToken"]
    old_refresh = browserless.cookies["synthstudio_refresh"]

    refused = browserless.post("/console/session/refresh")
    assert refused.status_code == 403
    assert refused.json()["reason"] == "CSRF_TOKEN_MISMATCH"
    forged = browserless.post("/console/session/refresh", headers={"x-csrf-token": "forged"})
    assert forged.status_code == 403

    renewed = browserless.post("/console/session/refresh", headers={"x-csrf-token": csrf})
    assert renewed.status_code == 200, renewed.text
    assert browserless.cookies["synthstudio_refresh"] != old_refresh
    assert renewed.json()["csrfToken"] == browserless.cookies["synthstudio_csrf"] != csrf


def test_sign_out_revokes_the_sign_in(browserless, anonymous_http):
    csrf = sign_in(browserless).json()["csrfToken"]
    refresh_token = browserless.cookies["synthstudio_refresh"]

    signed_out = browserless.post("/console/session/signout", headers={"x-csrf-token": csrf})

    assert signed_out.status_code == 204
    assert "synthstudio_refresh" not in browserless.cookies
    reused = anonymous_http.post("/v1/auth/refresh", json={"refreshToken": refresh_token})
    assert reused.status_code == 401


def test_bad_sign_in_bodies_and_passwords_are_problems(browserless):
    assert browserless.post("/console/session", content=b"[1]").status_code == 400
    wrong = browserless.post("/console/session", json={"email": ADMIN_EMAIL, "password": "no"})
    assert wrong.status_code == 401
    assert "synthstudio_refresh" not in browserless.cookies


def test_the_pages_load_only_local_assets_under_a_same_origin_policy(browserless):
    for page in ("/", "/docs"):
        reply = browserless.get(page)
        assert reply.status_code == 200, reply.text
        assert reply.headers["content-type"].startswith("text/html")
        assert "default-src 'self'" in reply.headers["content-security-policy"]
        assert "//" not in re.sub(r"<!doctype html>", "", reply.text, flags=re.I)
        for asset in re.findall(r'(?:src|href)="(/[^"]+)"', reply.text):
            fetched = browserless.get(asset)
            assert fetched.status_code == 200, asset
    assert (
        browserless.get("/healthz")
        .headers["content-security-policy"]
        .startswith("default-src 'none'")
    )
