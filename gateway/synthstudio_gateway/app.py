"""The gateway application: routes from the protos, problem JSON, health, OpenAPI, tracing."""

from __future__ import annotations

import asyncio
import contextlib

import grpc
from fastapi import FastAPI
from grpc_health.v1 import health_pb2, health_pb2_grpc
from starlette.convertors import Convertor, register_url_convertor
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Match
from starlette.routing import Route as StarletteRoute

from synthstudio_gateway.bytestreams import (
    DOWNLOAD,
    UPLOAD,
    make_download_endpoint,
    make_upload_endpoint,
)
from synthstudio_gateway.console import ConsoleRoutes
from synthstudio_gateway.hardening import Hardening
from synthstudio_gateway.openapi import build_openapi
from synthstudio_gateway.problems import problem
from synthstudio_gateway.routes import Route, discover_routes
from synthstudio_gateway.tracing import HttpTracing
from synthstudio_gateway.transcoding import admitter, make_endpoint
from synthstudio_libs.config import SERVICE_PORTS, Settings
from synthstudio_libs.grpc.server import message_size_options
from synthstudio_libs.metrics import HttpMetricsMiddleware

_HEALTH_TIMEOUT_SECONDS = 2.0


class SegmentConvertor(Convertor):
    """A path segment that stops at `/` and at a `:verb` suffix."""

    regex = "[^/:]+"

    def convert(self, value: str) -> str:
        return value

    def to_string(self, value: str) -> str:
        return value


register_url_convertor("seg", SegmentConvertor())


class Backends:
    """One async channel per service, opened inside the server's event loop."""

    def __init__(self, settings: Settings) -> None:
        self._settings = settings
        self.channels: dict[str, grpc.aio.Channel] = {}
        self._stubs: dict[str, object] = {}

    def open(self) -> None:
        for service in SERVICE_PORTS:
            self.channels[service] = grpc.aio.insecure_channel(
                self._settings.service_addr(service),
                options=message_size_options(self._settings),
            )

    async def close(self) -> None:
        await asyncio.gather(*(c.close() for c in self.channels.values()))
        self.channels.clear()
        self._stubs.clear()

    def channel_for(self, route: Route) -> grpc.aio.Channel:
        return self.channels[route.backend]

    def stub_for(self, route: Route):
        """The callable for a route's RPC, made once per route."""
        stub = self._stubs.get(route.rpc_path)
        if stub is None:
            channel = self.channels[route.backend]
            factory = channel.unary_stream if route.streaming else channel.unary_unary
            stub = factory(
                route.rpc_path,
                request_serializer=route.request_class.SerializeToString,
                response_deserializer=route.response_class.FromString,
            )
            self._stubs[route.rpc_path] = stub
        return stub

    async def health(self) -> dict[str, str]:
        async def check(service: str, channel: grpc.aio.Channel) -> tuple[str, str]:
            try:
                reply = await health_pb2_grpc.HealthStub(channel).Check(
                    health_pb2.HealthCheckRequest(service=""), timeout=_HEALTH_TIMEOUT_SECONDS
                )
            except grpc.aio.AioRpcError as error:
                return service, f"UNREACHABLE ({error.code().name})"
            return service, health_pb2.HealthCheckResponse.ServingStatus.Name(reply.status)

        results = await asyncio.gather(*(check(s, c) for s, c in self.channels.items()))
        return dict(results)


def _endpoint(route: Route, backends: Backends, admit):
    if route.method.full_name == UPLOAD:
        return make_upload_endpoint(route, backends.channel_for, admit)
    if route.method.full_name == DOWNLOAD:
        return make_download_endpoint(route, backends.channel_for, admit)
    return make_endpoint(route, backends.stub_for, admit)


def create_app(settings: Settings) -> FastAPI:
    """The gateway app; its channels open when the server starts it."""
    backends = Backends(settings)

    @contextlib.asynccontextmanager
    async def lifespan(_app: FastAPI):
        backends.open()
        yield
        await backends.close()

    app = FastAPI(
        title="Synth Studio API",
        version="v1",
        lifespan=lifespan,
        docs_url=None,
        redoc_url=None,
        openapi_url=None,
        # HttpTracing and HttpMetricsMiddleware observe each request once; FastAPI's own
        # OpenTelemetry spans and metrics would count it a second time.
        telemetry={"tracing": False, "metrics": False, "logs": False},
    )
    admit = admitter(settings)
    routes = discover_routes()
    for route in routes:
        app.router.routes.append(
            StarletteRoute(
                route.starlette_path,
                _endpoint(route, backends, admit),
                methods=[route.verb],
                name=route.method.full_name,
            )
        )
    spec = build_openapi(routes, extra_paths=_HEALTH_PATH)

    async def healthz(_request: Request) -> Response:
        services = await backends.health()
        healthy = all(status == "SERVING" for status in services.values())
        body = {"status": "SERVING" if healthy else "DEGRADED", "services": services}
        return JSONResponse(body, status_code=200 if healthy else 503)

    async def openapi(_request: Request) -> Response:
        return JSONResponse(spec)

    async def not_found(request: Request, _exc) -> Response:
        return problem(
            404,
            "Not found",
            f"no route {request.method} {request.url.path}: see /docs for the API",
            code="NOT_FOUND",
        )

    async def method_not_allowed(request: Request, _exc) -> Response:
        # RFC 9110: a 405 lists every method the path allows (Starlette names only those of
        # the first route that matched the path).
        allowed = sorted(
            method
            for route in app.router.routes
            if getattr(route, "methods", None) and route.matches(request.scope)[0] != Match.NONE
            for method in route.methods
        )
        return problem(
            405,
            "Method not allowed",
            f"{request.method} is not allowed on {request.url.path}: see /docs for the API",
            code="METHOD_NOT_ALLOWED",
            headers={"Allow": ", ".join(allowed)},
        )

    app.router.add_route("/healthz", healthz, methods=["GET"])
    app.router.add_route("/openapi.json", openapi, methods=["GET"], include_in_schema=False)
    # The console at / and Swagger UI at /docs, from files built at install: nothing from a CDN.
    app.router.routes.extend(ConsoleRoutes(routes, backends.stub_for, admit).routes())
    app.add_exception_handler(404, not_found)
    app.add_exception_handler(405, method_not_allowed)
    if settings.cors_origin_list:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=settings.cors_origin_list,
            allow_methods=["GET", "POST", "PATCH", "DELETE"],
            allow_headers=["authorization", "content-type", "traceparent"],
            expose_headers=["retry-after"],
        )
    app.add_middleware(
        Hardening,
        max_body_bytes=settings.max_request_bytes,
        max_upload_bytes=settings.max_upload_bytes,
    )
    # Added last, so outermost: refusals by the hardening layer are counted and traced too.
    app.add_middleware(HttpMetricsMiddleware)
    app.add_middleware(HttpTracing, excluded_paths=("/healthz",))
    return app


_HEALTH_PATH = {
    "/healthz": {
        "get": {
            "operationId": "Healthz",
            "tags": ["Gateway"],
            "description": "No credentials needed (for probes and load balancers).",
            "security": [],
            "summary": "Health of the gateway and of every service behind it",
            "responses": {
                "200": {"description": "Every service is SERVING"},
                "503": {"description": "At least one service is not SERVING"},
            },
        }
    }
}
