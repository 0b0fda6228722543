"""REST <-> gRPC: a request's path, query and JSON body become the RPC's request message, and
its reply becomes protobuf's canonical JSON."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Callable

import grpc
from google.protobuf import json_format
from starlette.requests import Request
from starlette.responses import Response, StreamingResponse

from synthstudio_gateway import protojson
from synthstudio_gateway.problems import from_domain_error, from_rpc_error, problem
from synthstudio_gateway.routes import Route
from synthstudio_gateway.tracing import ClientSpan, traced_unary
from synthstudio_libs.auth.ratelimit import RateLimits
from synthstudio_libs.errors import SynthStudioError, Unauthenticated
from synthstudio_libs.grpc.auth import credential_fingerprint


class BadRequestBody(Exception):
    """The HTTP request cannot be turned into the RPC's request message."""


def _json_response(message) -> Response:
    return Response(protojson.to_json(message), media_type="application/json")


async def build_request(route: Route, request: Request):
    """The RPC request: the JSON body (where the rule has one), then the query string (for
    rules without a body), then the path variables, which win."""
    fields: dict = {}
    if route.body:
        raw = await request.body()
        if raw.strip():
            try:
                fields = json.loads(raw)
            except (UnicodeDecodeError, json.JSONDecodeError) as exc:
                raise BadRequestBody(f"the request body is not valid JSON: {exc}") from None
            if not isinstance(fields, dict):
                raise BadRequestBody("the request body must be a JSON object")
    else:
        for key in request.query_params:
            values = request.query_params.getlist(key)
            fields[key] = values if len(values) > 1 else values[0]
    fields.update(request.path_params)
    message = route.request_class()
    try:
        json_format.ParseDict(fields, message, ignore_unknown_fields=False)
    except json_format.ParseError as exc:
        raise BadRequestBody(
            f"the request does not match {route.method.input_type.name}: {exc}"
        ) from None
    return message


def _admit(route: Route, request: Request, limits: RateLimits) -> tuple[tuple[str, str], ...]:
    """The metadata to forward (the caller's own credentials: the service verifies them and
    acts for that principal). Calls without credentials are refused here already, and each
    credential has its own rate limit at the gateway as well as at the service."""
    authorization = request.headers.get("authorization", "")
    policy = route.policy
    if not authorization and not policy.public:
        raise Unauthenticated(
            "credentials are missing: send `Authorization: Bearer <token>` (sign in at "
            "POST /v1/auth/login) or an API key",
            reason="CREDENTIALS_MISSING",
        )
    caller = (
        credential_fingerprint(authorization)
        if authorization
        else f"peer:{request.client.host if request.client else ''}"
    )
    limits.check("http", caller, policy.expensive)
    return (("authorization", authorization),) if authorization else ()


def admitter(limits: RateLimits):
    """`admit(route, request)`: the metadata to forward, or the problem response refusing it."""

    def admit(route: Route, request: Request):
        try:
            return _admit(route, request, limits)
        except SynthStudioError as error:
            return from_domain_error(error)

    return admit


def make_endpoint(route: Route, stub_for: Callable[[Route], object], admit):
    """The Starlette endpoint serving one route through its RPC."""

    async def endpoint(request: Request) -> Response:
        metadata = admit(route, request)
        if isinstance(metadata, Response):
            return metadata
        try:
            message = await build_request(route, request)
        except BadRequestBody as exc:
            return problem(400, "Invalid argument", str(exc), code="INVALID_ARGUMENT")
        call = stub_for(route)
        if route.streaming:
            span = ClientSpan(route.rpc_path, metadata)
            return await _stream(call(message, metadata=span.metadata), span)
        try:
            reply = await traced_unary(call, route.rpc_path, message, metadata)
        except grpc.aio.AioRpcError as error:
            return from_rpc_error(error)
        return _json_response(reply)

    endpoint.__name__ = route.method.name
    return endpoint


async def _stream(call, span: ClientSpan) -> Response:
    """A server-streaming RPC as newline-delimited JSON; an error before the first message is
    an ordinary problem response. The call's span ends with its last message."""
    iterator = call.__aiter__()
    try:
        first = await iterator.__anext__()
    except StopAsyncIteration:
        span.end()
        return Response(b"", media_type="application/x-ndjson")
    except grpc.aio.AioRpcError as error:
        span.failed_with(error)
        span.end()
        return from_rpc_error(error)

    async def lines() -> AsyncIterator[bytes]:
        try:
            yield _line(first)
            async for item in iterator:
                yield _line(item)
        except grpc.aio.AioRpcError as error:
            span.failed_with(error)
            failure = {"error": {"code": error.code().name, "detail": error.details()}}
            yield (json.dumps(failure) + "\n").encode()
        finally:
            span.end()

    return StreamingResponse(lines(), media_type="application/x-ndjson")


def _line(message) -> bytes:
    return (protojson.to_json(message) + "\n").encode()
