"""Routes and the OpenAPI document come from the descriptors, for every annotated RPC."""

from __future__ import annotations

from google.api import annotations_pb2

from synthstudio_gateway.openapi import build_openapi
from synthstudio_gateway.routes import discover_routes
from synthstudio_libs.contracts import services


def test_every_rpc_of_every_service_has_a_route():
    rpcs = {m.full_name for service, _host in services() for m in service.methods}
    routes = discover_routes()
    assert {r.method.full_name for r in routes} == rpcs
    for route in routes:
        assert route.method.GetOptions().HasExtension(annotations_pb2.http)


def test_get_and_delete_routes_take_no_body():
    for route in discover_routes():
        if route.verb in ("GET", "DELETE"):
            assert route.body == "", route.method.full_name


def test_custom_verbs_do_not_swallow_the_id():
    cancel = next(r for r in discover_routes() if r.method.name == "CancelJob")
    assert cancel.starlette_path == "/v1/jobs/{job_id:seg}:cancel"
    assert cancel.path_fields == ["job_id"]


def test_openapi_has_an_operation_per_route_with_typed_schemas():
    routes = discover_routes()
    spec = build_openapi(routes)
    operations = {op["operationId"] for path in spec["paths"].values() for op in path.values()}
    assert operations == {r.method.name for r in routes}
    job = spec["components"]["schemas"]["synthstudio.common.v1.Job"]["properties"]
    assert job["state"]["enum"][0] == "JOB_STATE_UNSPECIFIED"
    # Canonical JSON reads null as the default, so request fields take it too.
    assert job["createTime"]["type"] == ["string", "null"]
    assert job["createTime"]["format"] == "date-time"
    listing = spec["paths"]["/v1/datasets"]["get"]["parameters"]
    assert {"pageSize", "pageToken", "filter"} <= {p["name"] for p in listing}
