"""The console's routes without the services: cache headers of the built files, and the CSRF
checks that refuse a refresh or sign-out before any call reaches the identity service."""

from __future__ import annotations

import pytest
from starlette.applications import Starlette
from starlette.testclient import TestClient

from synthstudio_gateway.console import (
    CONSOLE_DIR,
    CSRF_COOKIE,
    REFRESH_COOKIE,
    ConsoleRoutes,
    csrf_token_for,
)
from synthstudio_gateway.routes import discover_routes


def _unreachable(_route):
    raise AssertionError("no RPC may be made for a refused request")


@pytest.fixture
def client():
    routes = ConsoleRoutes(discover_routes(), _unreachable, lambda _route, _request: ())
    with TestClient(Starlette(routes=routes.routes()), base_url="http://127.0.0.1") as client:
        yield client


def test_the_csrf_token_is_a_digest_bound_to_its_refresh_token():
    assert csrf_token_for("refresh-a") == csrf_token_for("refresh-a")
    assert csrf_token_for("refresh-a") != csrf_token_for("refresh-b")
    assert "refresh-a" not in csrf_token_for("refresh-a")


def test_refresh_without_a_sign_in_is_unauthenticated(client):
    reply = client.post("/console/session/refresh")
    assert reply.status_code == 401
    assert reply.json()["reason"] == "SESSION_MISSING"


@pytest.mark.parametrize("path", ["/console/session/refresh", "/console/session/signout"])
def test_a_planted_or_missing_csrf_token_is_refused(client, path):
    client.cookies.set(REFRESH_COOKIE, "the-refresh-token", path="/console/session")
    client.cookies.set(CSRF_COOKIE, "planted", path="/")

    missing = client.post(path)
    planted = client.post(path, headers={"x-csrf-token": "planted"})

    assert missing.status_code == planted.status_code == 403
    assert planted.json()["reason"] == "CSRF_TOKEN_MISMATCH"


def test_a_sign_in_body_that_is_not_email_and_password_is_a_400(client):
    for body in (b"not json", b"[1, 2]", b'{"email": "a@example.org"}'):
        reply = client.post("/console/session", content=body)
        assert reply.status_code == 400, body
        assert reply.headers["content-type"] == "application/problem+json"


@pytest.mark.skipif(
    not (CONSOLE_DIR / "index.html").is_file(), reason="the console is not built: make install"
)
def test_the_page_is_revalidated_and_its_hashed_assets_cached_for_good(client):
    page = client.get("/")
    assert page.headers["cache-control"] == "no-cache"
    bundle = next(CONSOLE_DIR.glob("main-*.js")).name
    asset = client.get(f"/console/assets/{bundle}")
    assert asset.status_code == 200
    assert asset.headers["cache-control"] == "public, max-age=31536000, immutable"
    swagger = client.get("/docs/assets/swagger-ui-bundle.js")
    assert swagger.status_code == 200 and swagger.headers["cache-control"] == "no-cache"
    assert client.get("/console/assets/missing-ABCDEFGH.js").status_code == 404
