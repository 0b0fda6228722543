"""REST <-> gRPC: a request's path, query and JSON body become the RPC's request message, and
its reply becomes protobuf's canonical JSON."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Callable

import grpc
from google.protobuf import json_format
from google.protobuf.descriptor import Descriptor
from google.protobuf.message import Message
from starlette.requests import Request
from starlette.responses import Response, StreamingResponse

from synthstudio_gateway import protojson, requestjson
from synthstudio_gateway.problems import from_domain_error, from_rpc_error, problem
from synthstudio_gateway.routes import Route
from synthstudio_gateway.tracing import ClientSpan, traced_unary
from synthstudio_libs.auth.clients import (
    ClientVouching,
    Network,
    client_address,
    parse_trusted_proxies,
)
from synthstudio_libs.auth.ratelimit import RateLimits
from synthstudio_libs.auth.tokens import load_secret
from synthstudio_libs.config import Settings
from synthstudio_libs.errors import InvalidInput, SynthStudioError, Unauthenticated
from synthstudio_libs.grpc.auth import credential_fingerprint
from synthstudio_libs.runtime import rate_limits

# gRPC refuses metadata over 8 KiB in all; a bearer token or API key is far shorter.
MAX_AUTHORIZATION_BYTES = 4096


_TOO_DEEP = "the request body is nested too deeply: no request needs more than a few levels"


class BadRequestBody(Exception):
    """The HTTP request cannot be turned into the RPC's request message."""

    def __init__(self, detail: str, field: str = "", description: str = "") -> None:
        super().__init__(detail)
        self.violations = [{"field": field, "description": description}] if field else []


def _refuse_constant(name: str):
    raise ValueError(f"{name} is not a JSON number")


def _json_response(message) -> Response:
    return Response(protojson.to_json(message), media_type="application/json")


async def build_request(route: Route, request: Request):
    """The RPC request: the JSON body (where the rule has one), then the query string (for
    rules without a body), then the path variables, which win."""
    fields: dict = {}
    input_type = route.method.input_type
    if route.body:
        raw = await request.body()
        if raw.strip():
            fields = body_fields(raw, input_type)
    else:
        params = {key: request.query_params.getlist(key) for key in request.query_params}
        fields = _checked(requestjson.query_fields, params, input_type)
    fields.update(request.path_params)
    return to_message(fields, route.request_class())


def body_fields(raw: bytes, input_type: Descriptor) -> dict:
    """The JSON body as a dict, each field's JSON type as the OpenAPI document declares it."""
    try:
        fields = json.loads(raw, parse_constant=_refuse_constant)
    except (UnicodeDecodeError, ValueError) as exc:
        raise BadRequestBody(f"the request body is not valid JSON: {exc}") from None
    except RecursionError:
        raise BadRequestBody(_TOO_DEEP) from None
    if not isinstance(fields, dict):
        raise BadRequestBody("the request body must be a JSON object")
    _checked(requestjson.check_body, fields, input_type)
    return fields


def to_message(fields: dict, message: Message) -> Message:
    """`message` filled from the request's fields by protobuf's canonical JSON parser."""
    try:
        json_format.ParseDict(fields, message, ignore_unknown_fields=False)
    except json_format.ParseError as exc:
        raise BadRequestBody(
            f"the request does not match {message.DESCRIPTOR.name}: {exc}"
        ) from None
    except RecursionError:
        raise BadRequestBody(_TOO_DEEP) from None
    return message


def _checked(check, fields: dict, input_type: Descriptor):
    """`check(fields, input_type)`, its refusal a BadRequestBody naming the field."""
    try:
        return check(fields, input_type)
    except requestjson.RequestFieldError as exc:
        raise BadRequestBody(
            f"the request does not match {input_type.name}: {exc}", exc.field, exc.description
        ) from None
    except RecursionError:
        raise BadRequestBody(_TOO_DEEP) from None


class HeaderTooLarge(Exception):
    """A request header is longer than the gateway forwards."""


def _authorization(request: Request) -> str:
    """The Authorization header, if it can travel as gRPC metadata (printable ASCII, short)."""
    authorization = request.headers.get("authorization", "")
    if len(authorization) > MAX_AUTHORIZATION_BYTES:
        raise HeaderTooLarge(
            f"the Authorization header is over {MAX_AUTHORIZATION_BYTES} bytes: send "
            "`Bearer <token or API key>`"
        )
    if not all(" " <= char <= "~" for char in authorization):
        raise InvalidInput(
            "the Authorization header holds a control or non-ASCII character: send "
            "`Bearer <token or API key>`",
            field="authorization",
            reason="CREDENTIALS_MALFORMED",
        )
    return authorization


class Admission:
    """Who may call through the gateway: credentials are required (the service verifies
    them), each credential has its own rate limit here as well as at the service, and calls
    anyone may make (sign-in) are limited per client, whose address the gateway vouches for
    to the service."""

    def __init__(
        self, limits: RateLimits, clients: ClientVouching, proxies: tuple[Network, ...]
    ) -> None:
        self._limits = limits
        self._clients = clients
        self._proxies = proxies

    def metadata(self, route: Route, request: Request) -> tuple[tuple[str, str], ...]:
        """The metadata to forward: the caller's own credentials, and for public calls the
        vouched-for client address."""
        authorization = _authorization(request)
        credentials = (("authorization", authorization),) if authorization else ()
        if route.policy.public:
            client = client_address(
                request.client.host if request.client else "",
                request.headers.get("x-forwarded-for", ""),
                self._proxies,
            )
            self._limits.check_sign_in("http", client)
            return (*credentials, *self._clients.metadata(client))
        if not authorization:
            raise Unauthenticated(
                "credentials are missing: send `Authorization: Bearer <token>` (sign in at "
                "POST /v1/auth/login) or an API key",
                reason="CREDENTIALS_MISSING",
            )
        self._limits.check("http", credential_fingerprint(authorization), route.policy.expensive)
        return credentials


def admitter(settings: Settings):
    """`admit(route, request)`: the metadata to forward, or the problem response refusing it."""
    admission = Admission(
        rate_limits(settings),
        ClientVouching(load_secret(settings.jwt_secret, settings.data_dir)),
        parse_trusted_proxies(settings.trusted_proxies),
    )

    def admit(route: Route, request: Request):
        try:
            return admission.metadata(route, request)
        except SynthStudioError as error:
            return from_domain_error(error)
        except HeaderTooLarge as error:
            return problem(431, "Header too large", str(error), code="HEADER_TOO_LARGE")

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
            extra = {"violations": exc.violations} if exc.violations else None
            return problem(400, "Invalid argument", str(exc), code="INVALID_ARGUMENT", extra=extra)
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
