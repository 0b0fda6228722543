"""The web console on the gateway's own origin: its built files at `/`, the vendored Swagger UI at
`/docs`, a cookie-backed sign-in for the browser, and job progress as server-sent events.

Sign-in: the access token lives only in the page's memory. The refresh token travels in an
httpOnly, SameSite=Strict cookie scoped to `/console/session`, so page scripts cannot read it
and no other path (the API included) ever receives it. Refreshing and signing out also need
the double-submit CSRF token: a readable cookie whose value must be echoed in the
`x-csrf-token` header and must equal a digest of the refresh token, so a cookie planted
without the refresh token is refused too. The API itself keeps taking only bearer tokens."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from collections.abc import AsyncIterator, Callable
from pathlib import Path

import grpc
from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, Response, StreamingResponse
from starlette.routing import BaseRoute, Mount
from starlette.routing import Route as StarletteRoute
from starlette.staticfiles import StaticFiles

from synthstudio.common.v1 import job_pb2
from synthstudio.identity.v1 import identity_service_pb2 as identity_pb
from synthstudio_gateway import protojson
from synthstudio_gateway.bytestreams import open_stream
from synthstudio_gateway.problems import from_rpc_error, problem
from synthstudio_gateway.routes import Route
from synthstudio_gateway.tracing import ClientSpan, traced_unary

STATIC_DIR = Path(__file__).parent / "static"
CONSOLE_DIR = STATIC_DIR / "console"
SWAGGER_DIR = STATIC_DIR / "swagger-ui"
SESSION_PATH = "/console/session"
REFRESH_COOKIE = "synthstudio_refresh"
CSRF_COOKIE = "synthstudio_csrf"
CSRF_HEADER = "x-csrf-token"

_IDENTITY = "synthstudio.identity.v1.IdentityService"
_LOGIN = f"{_IDENTITY}.Login"
_REFRESH = f"{_IDENTITY}.Refresh"
_LOGOUT = f"{_IDENTITY}.Logout"
_WATCH_JOB = "synthstudio.common.v1.JobService.WatchJob"

# Built assets carry a content hash in their names; the pages that name them must be revalidated.
_IMMUTABLE = {"cache-control": "public, max-age=31536000, immutable"}
_REVALIDATE = {"cache-control": "no-cache"}

_DOCS_PAGE = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Synth Studio API</title>
<link rel="stylesheet" href="/docs/assets/swagger-ui.css">
</head>
<body>
<main id="swagger-ui"></main>
<script src="/docs/assets/swagger-ui-bundle.js"></script>
<script src="/docs/assets/swagger-init.js"></script>
</body>
</html>
"""


def csrf_token_for(refresh_token: str) -> str:
    """The CSRF token bound to a refresh token: a digest, so it reveals nothing of the token."""
    digest = hashlib.sha256(b"synthstudio-console-csrf:" + refresh_token.encode()).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


class ConsoleRoutes:
    """The console's routes. Their RPCs go through the gateway's own stubs and admission
    (credentials, rate limits), as every API route's do."""

    def __init__(self, routes: list[Route], stub_for: Callable[[Route], object], admit) -> None:
        by_name = {route.method.full_name: route for route in routes}
        self._login = by_name[_LOGIN]
        self._refresh = by_name[_REFRESH]
        self._logout = by_name[_LOGOUT]
        self._watch = by_name[_WATCH_JOB]
        self._stub_for = stub_for
        self._admit = admit

    def routes(self) -> list[BaseRoute]:
        return [
            StarletteRoute("/", self.index, methods=["GET"]),
            StarletteRoute(SESSION_PATH, self.sign_in, methods=["POST"]),
            # Sub-paths, not `:verb`s: a cookie scoped to /console/session reaches only paths
            # below it (RFC 6265 path-match), and /console/session:refresh is not one.
            StarletteRoute(f"{SESSION_PATH}/refresh", self.refresh, methods=["POST"]),
            StarletteRoute(f"{SESSION_PATH}/signout", self.sign_out, methods=["POST"]),
            StarletteRoute("/console/jobs/{job_id}/events", self.job_events, methods=["GET"]),
            StarletteRoute("/docs", self.docs, methods=["GET"]),
            Mount("/console/assets", app=_Assets(directory=CONSOLE_DIR, check_dir=False)),
            Mount("/docs/assets", app=_Assets(directory=SWAGGER_DIR, check_dir=False)),
        ]

    async def index(self, _request: Request) -> Response:
        page = CONSOLE_DIR / "index.html"
        if not page.is_file():
            return _not_built()
        return FileResponse(page, media_type="text/html", headers=_REVALIDATE)

    async def docs(self, _request: Request) -> Response:
        if not (SWAGGER_DIR / "swagger-ui-bundle.js").is_file():
            return _not_built()
        return Response(_DOCS_PAGE, media_type="text/html", headers=_REVALIDATE)

    async def sign_in(self, request: Request) -> Response:
        try:
            fields = json.loads(await request.body())
            message = identity_pb.LoginRequest(
                email=str(fields["email"]), password=str(fields["password"])
            )
        except (ValueError, KeyError, TypeError):
            return problem(
                400,
                "Invalid argument",
                'the body must be JSON: {"email": …, "password": …}',
                code="INVALID_ARGUMENT",
            )
        return await self._exchange(self._login, message, request)

    async def refresh(self, request: Request) -> Response:
        refused = _csrf_refusal(request)
        if refused is not None:
            return refused
        message = identity_pb.RefreshRequest(refresh_token=request.cookies[REFRESH_COOKIE])
        return await self._exchange(self._refresh, message, request)

    async def sign_out(self, request: Request) -> Response:
        refused = _csrf_refusal(request)
        if refused is not None:
            return refused
        metadata = self._admit(self._logout, request)
        if isinstance(metadata, Response):
            return metadata
        message = identity_pb.LogoutRequest(refresh_token=request.cookies[REFRESH_COOKIE])
        try:
            await traced_unary(
                self._stub_for(self._logout), self._logout.rpc_path, message, metadata
            )
        except grpc.aio.AioRpcError as error:
            # An expired or already revoked sign-in is signed out all the same.
            if error.code() != grpc.StatusCode.UNAUTHENTICATED:
                return from_rpc_error(error)
        response = Response(status_code=204)
        response.delete_cookie(REFRESH_COOKIE, path=SESSION_PATH)
        response.delete_cookie(CSRF_COOKIE, path="/")
        return response

    async def _exchange(self, route: Route, message, request: Request) -> Response:
        """Runs Login or Refresh; the access token goes in the body, the refresh token into
        the httpOnly cookie, never into the body."""
        metadata = self._admit(route, request)
        if isinstance(metadata, Response):
            return metadata
        try:
            pair = await traced_unary(self._stub_for(route), route.rpc_path, message, metadata)
        except grpc.aio.AioRpcError as error:
            return from_rpc_error(error)
        csrf = csrf_token_for(pair.refresh_token)
        body = {
            "accessToken": pair.access_token,
            "expiresIn": pair.expires_in,
            "csrfToken": csrf,
        }
        response = JSONResponse(body, headers={"cache-control": "no-store"})
        secure = request.url.scheme == "https"
        response.set_cookie(
            REFRESH_COOKIE,
            pair.refresh_token,
            max_age=pair.refresh_expires_in,
            path=SESSION_PATH,
            httponly=True,
            samesite="strict",
            secure=secure,
        )
        response.set_cookie(
            CSRF_COOKIE,
            csrf,
            max_age=pair.refresh_expires_in,
            path="/",
            samesite="strict",
            secure=secure,
        )
        return response

    async def job_events(self, request: Request) -> Response:
        """The job watch stream as server-sent events: one `job` event per change, then `end`.
        The page reads it with fetch, since EventSource cannot send the bearer token."""
        metadata = self._admit(self._watch, request)
        if isinstance(metadata, Response):
            return metadata
        span = ClientSpan(self._watch.rpc_path, metadata)
        call = self._stub_for(self._watch)(
            job_pb2.WatchJobRequest(job_id=request.path_params["job_id"]),
            metadata=span.metadata,
        )
        opened = await open_stream(call, span)
        if isinstance(opened, Response):
            return opened
        iterator, first = opened

        async def events() -> AsyncIterator[bytes]:
            try:
                if first is not None:
                    yield _event("job", protojson.to_json(first))
                async for job in iterator:
                    yield _event("job", protojson.to_json(job))
                yield _event("end", "{}")
            except grpc.aio.AioRpcError as error:
                span.failed_with(error)
                failure = {"code": error.code().name, "detail": error.details()}
                yield _event("error", json.dumps(failure))
            finally:
                # A page that navigates away closes the response: stop watching at the service
                # too (a no-op once the stream has ended).
                call.cancel()
                span.end()

        headers = {"cache-control": "no-store", "x-accel-buffering": "no"}
        return StreamingResponse(events(), media_type="text/event-stream", headers=headers)


class _Assets(StaticFiles):
    """Static files that may be cached for good: their names change with their content."""

    async def get_response(self, path: str, scope) -> Response:
        response = await super().get_response(path, scope)
        if response.status_code == 200:
            response.headers.update(_IMMUTABLE if _hashed(path) else _REVALIDATE)
        return response


def _hashed(path: str) -> bool:
    # esbuild names bundles `main-ABCD1234.js`; Swagger UI's vendored files keep their names.
    stem = Path(path).stem
    return "-" in stem and stem.rsplit("-", 1)[1].isupper()


def _event(name: str, data: str) -> bytes:
    return f"event: {name}\ndata: {data}\n\n".encode()


def _csrf_refusal(request: Request) -> Response | None:
    refresh_token = request.cookies.get(REFRESH_COOKIE)
    if not refresh_token:
        return problem(
            401,
            "Unauthenticated",
            "no console sign-in: sign in at POST /console/session",
            code="UNAUTHENTICATED",
            extra={"reason": "SESSION_MISSING"},
        )
    sent = request.headers.get(CSRF_HEADER, "")
    cookie = request.cookies.get(CSRF_COOKIE, "")
    expected = csrf_token_for(refresh_token)
    if not (hmac.compare_digest(sent, cookie) and hmac.compare_digest(sent, expected)):
        return problem(
            403,
            "Permission denied",
            f"the {CSRF_HEADER} header must echo the {CSRF_COOKIE} cookie of this sign-in",
            code="PERMISSION_DENIED",
            extra={"reason": "CSRF_TOKEN_MISMATCH"},
        )
    return None


def _not_built() -> Response:
    return problem(
        503,
        "Unavailable",
        "the console is not built: run `make install` (it runs `npm run build` in console/)",
        code="UNAVAILABLE",
        extra={"reason": "CONSOLE_NOT_BUILT"},
    )
