"""The gateway's spans: one SERVER span per request, named after its route and continuing the
caller's trace; a CLIENT span per call whose context the call's metadata carries."""

from __future__ import annotations

import pytest
from opentelemetry import trace
from starlette.applications import Starlette
from starlette.responses import JSONResponse
from starlette.routing import Route
from starlette.testclient import TestClient

from synthstudio_gateway.tracing import ClientSpan, HttpTracing

TRACE_ID, PARENT_ID = "4bf92f3577b34da6a3ce929d0e0e4736", "00f067aa0ba902b7"


async def _dataset(request):
    span = ClientSpan("/pkg.Service/GetDataset", (("authorization", "x"),))
    carried = dict(span.metadata)
    assert carried["authorization"] == "x"
    span.end()
    status = 503 if request.path_params["dataset_id"] == "broken" else 200
    return JSONResponse({"traceparent": carried["traceparent"]}, status_code=status)


@pytest.fixture
def client():
    app = Starlette(
        routes=[
            Route("/v1/datasets/{dataset_id}", _dataset),
            Route("/healthz", lambda _request: JSONResponse({})),
        ]
    )
    app.add_middleware(HttpTracing, excluded_paths=("/healthz",))
    with TestClient(app) as test_client:
        yield test_client


def test_a_request_is_one_server_span_named_after_its_route(client, spans):
    reply = client.get(
        "/v1/datasets/ds_1", headers={"traceparent": f"00-{TRACE_ID}-{PARENT_ID}-01"}
    )
    (server,) = [s for s in spans.get_finished_spans() if s.kind is trace.SpanKind.SERVER]
    assert server.name == "GET /v1/datasets/{dataset_id}"
    assert format(server.context.trace_id, "032x") == TRACE_ID
    assert format(server.parent.span_id, "016x") == PARENT_ID
    assert server.attributes["http.route"] == "/v1/datasets/{dataset_id}"
    assert server.attributes["http.response.status_code"] == 200
    assert server.status.status_code is trace.StatusCode.UNSET
    # The call made while serving it is its child, and its metadata carries the call's span.
    (client_span,) = [s for s in spans.get_finished_spans() if s.kind is trace.SpanKind.CLIENT]
    assert client_span.parent.span_id == server.context.span_id
    carried = reply.json()["traceparent"]
    assert carried == f"00-{TRACE_ID}-{format(client_span.context.span_id, '016x')}-01"


def test_a_server_error_marks_the_span(client, spans):
    assert client.get("/v1/datasets/broken").status_code == 503
    (server,) = [s for s in spans.get_finished_spans() if s.kind is trace.SpanKind.SERVER]
    assert server.attributes["http.response.status_code"] == 503
    assert server.status.status_code is trace.StatusCode.ERROR


def test_health_probes_are_not_traced(client, spans):
    assert client.get("/healthz").status_code == 200
    assert not spans.get_finished_spans()
