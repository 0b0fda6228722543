"""HTTP hardening as plain ASGI (no per-request overhead beyond a header check): request body
size limit and security headers on every response."""

from __future__ import annotations

import json

SECURITY_HEADERS = [
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"no-referrer"),
    (b"cross-origin-opener-policy", b"same-origin"),
    (b"strict-transport-security", b"max-age=31536000; includeSubDomains"),
]
# The API serves JSON only. The console and Swagger UI pages load their scripts and styles from
# this origin only (vendored, built at install); Swagger UI sets inline styles.
_API_CSP = (b"content-security-policy", b"default-src 'none'; frame-ancestors 'none'")
_PAGE_CSP = (
    b"content-security-policy",
    b"default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
    b"object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
)
_PAGE_PATHS = ("/docs", "/console/")


class _TooLarge(Exception):
    pass


class Hardening:
    def __init__(self, app, *, max_body_bytes: int, max_upload_bytes: int) -> None:
        self.app = app
        self.max_body_bytes = max_body_bytes
        self.max_upload_bytes = max_upload_bytes

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        headers = dict(scope.get("headers") or ())
        # Table uploads stream to the service chunk by chunk; only JSON bodies are read whole.
        limit = self.max_upload_bytes if scope["path"].endswith(":upload") else self.max_body_bytes
        declared = headers.get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > limit:
            return await self._too_large(send, limit)
        extra = list(SECURITY_HEADERS)
        page = scope["path"] == "/" or scope["path"].startswith(_PAGE_PATHS)
        extra.append(_PAGE_CSP if page else _API_CSP)
        received = 0
        started = False

        async def limited_receive():
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise _TooLarge
            return message

        async def send_with_headers(message):
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                message["headers"] = [*message.get("headers", []), *extra]
            await send(message)

        try:
            await self.app(scope, limited_receive, send_with_headers)
        except _TooLarge:
            if not started:
                await self._too_large(send, limit)

    async def _too_large(self, send, limit: int) -> None:
        body = json.dumps(
            {
                "type": "https://synthstudio.dev/problems/request-too-large",
                "title": "Request too large",
                "status": 413,
                "detail": f"the request body is over {limit} bytes: send large tables through "
                "the streaming upload, POST /v1/datasets:upload",
                "code": "REQUEST_TOO_LARGE",
            }
        ).encode()
        await send(
            {
                "type": "http.response.start",
                "status": 413,
                "headers": [
                    (b"content-type", b"application/problem+json"),
                    (b"content-length", str(len(body)).encode()),
                    *SECURITY_HEADERS,
                ],
            }
        )
        await send({"type": "http.response.body", "body": body})
