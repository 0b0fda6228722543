"""One REST call is one trace: gateway -> synthesis -> pii, chained parent -> child."""

from __future__ import annotations

import base64
import secrets
import time

from opentelemetry.proto.trace.v1 import trace_pb2

from tests.e2e.jobs import wait_for_job

SERVER, CLIENT = trace_pb2.Span.SPAN_KIND_SERVER, trace_pb2.Span.SPAN_KIND_CLIENT


def _spans_of_trace(collector, trace_id: bytes, services: set[str], timeout: float = 20.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        spans = [(s, span) for s, span in collector.snapshot() if span.trace_id == trace_id]
        if services <= {s for s, _span in spans}:
            return spans
        time.sleep(0.2)
    raise AssertionError(f"spans of {services} did not all arrive; got {spans}")


def test_create_dataset_is_one_trace_across_every_hop(http, collector):
    spans_collector, _endpoint = collector
    content = base64.b64encode(b"name,email\nAna Silva,ana.silva@example.org\n").decode()
    trace_id, caller_span_id = secrets.token_bytes(16), secrets.token_bytes(8)
    reply = http.post(
        "/v1/datasets",
        json={"displayName": "traced", "format": "TABLE_FORMAT_CSV", "content": content},
        headers={"traceparent": f"00-{trace_id.hex()}-{caller_span_id.hex()}-01"},
    )
    assert reply.status_code == 200, reply.text
    wanted = {"synthstudio-gateway", "synthstudio-synthesis", "synthstudio-pii"}
    spans = _spans_of_trace(spans_collector, trace_id, wanted)
    by_id = {span.span_id: (service, span) for service, span in spans}

    def parent_service(span):
        return by_id[span.parent_span_id][0] if span.parent_span_id in by_id else None

    gateway_client = [
        span
        for s, span in spans
        if s == "synthstudio-gateway"
        and span.kind == CLIENT
        and span.name == "/synthstudio.synthesis.v1.SynthesisService/CreateDataset"
    ]
    synthesis_server = [
        span
        for s, span in spans
        if s == "synthstudio-synthesis"
        and span.kind == SERVER
        and span.name == "/synthstudio.synthesis.v1.SynthesisService/CreateDataset"
    ]
    synthesis_client = [
        span
        for s, span in spans
        if s == "synthstudio-synthesis"
        and span.kind == CLIENT
        and span.name == "/synthstudio.pii.v1.PiiService/ScanTable"
    ]
    pii_server = [
        span
        for s, span in spans
        if s == "synthstudio-pii"
        and span.kind == SERVER
        and span.name == "/synthstudio.pii.v1.PiiService/ScanTable"
    ]
    assert len(gateway_client) == len(synthesis_server) == 1
    assert len(synthesis_client) == len(pii_server) == 1
    gateway_server = [
        span
        for s, span in spans
        if s == "synthstudio-gateway"
        and span.kind == SERVER
        and span.parent_span_id == caller_span_id
    ]
    assert len(gateway_server) == 1, "the gateway's HTTP span continues the caller's trace"
    # caller -> gateway HTTP server -> gateway gRPC client -> synthesis server -> its client -> pii.
    assert _ancestor_ids(gateway_client[0], by_id) >= {gateway_server[0].span_id}
    assert parent_service(gateway_client[0]) == "synthstudio-gateway"
    assert synthesis_server[0].parent_span_id == gateway_client[0].span_id
    assert _ancestor_ids(synthesis_client[0], by_id) >= {synthesis_server[0].span_id}
    assert pii_server[0].parent_span_id == synthesis_client[0].span_id


def _ancestor_ids(span, by_id) -> set[bytes]:
    found = set()
    while span.parent_span_id in by_id:
        found.add(span.parent_span_id)
        span = by_id[span.parent_span_id][1]
    return found


def test_dp_training_is_one_trace_from_synthesis_to_privacy(http, collector):
    spans_collector, _endpoint = collector
    frame = "\n".join(["age,income"] + [f"{20 + i % 50},{1000 + 37 * i}" for i in range(400)])
    uploaded = http.post("/v1/datasets:upload", content=frame.encode()).json()
    trace_id, caller_span_id = secrets.token_bytes(16), secrets.token_bytes(8)
    reply = http.post(
        f"/v1/datasets/{uploaded['id']}/synthesizers",
        json={
            "kind": "SYNTHESIZER_KIND_DP_TVAE",
            "differentialPrivacy": {"epsilon": 1.0, "delta": 1e-6, "epochs": 1},
        },
        headers={"traceparent": f"00-{trace_id.hex()}-{caller_span_id.hex()}-01"},
    )
    assert reply.status_code == 200, reply.text
    wanted = {"synthstudio-gateway", "synthstudio-synthesis", "synthstudio-privacy"}
    spans = _spans_of_trace(spans_collector, trace_id, wanted)
    train = "/synthstudio.privacy.v1.PrivacyService/TrainDpSynthesizer"
    client = [
        span
        for s, span in spans
        if s == "synthstudio-synthesis" and span.kind == CLIENT and span.name == train
    ]
    server = [
        span
        for s, span in spans
        if s == "synthstudio-privacy" and span.kind == SERVER and span.name == train
    ]
    assert len(client) == len(server) == 1
    assert server[0].parent_span_id == client[0].span_id


def test_a_training_job_is_a_child_of_the_request_that_started_it(http, collector):
    spans_collector, _endpoint = collector
    frame = "\n".join(["age,income"] + [f"{20 + i % 50},{1000 + 37 * i}" for i in range(300)])
    uploaded = http.post("/v1/datasets:upload", content=frame.encode()).json()
    trace_id, caller_span_id = secrets.token_bytes(16), secrets.token_bytes(8)
    reply = http.post(
        f"/v1/datasets/{uploaded['id']}/synthesizers",
        json={"kind": "SYNTHESIZER_KIND_GAUSSIAN_COPULA"},
        headers={"traceparent": f"00-{trace_id.hex()}-{caller_span_id.hex()}-01"},
    )
    assert reply.status_code == 200, reply.text
    job = wait_for_job(http, reply.json()["id"])
    assert job["state"] == "JOB_STATE_SUCCEEDED", job
    spans = _spans_of_job(spans_collector, trace_id, "job synthesis.train")
    by_id = {span.span_id: (service, span) for service, span in spans}
    (train,) = [span for s, span in spans if span.name == "job synthesis.train"]
    (server,) = [
        span
        for s, span in spans
        if s == "synthstudio-synthesis"
        and span.kind == SERVER
        and span.name == "/synthstudio.synthesis.v1.SynthesisService/TrainSynthesizer"
    ]
    # caller -> gateway -> synthesis TrainSynthesizer -> ... -> the job that trained the model.
    assert server.span_id in _ancestor_ids(train, by_id)
    assert caller_span_id in {span.parent_span_id for _s, span in spans}


def _spans_of_job(collector, trace_id: bytes, name: str, timeout: float = 20.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        spans = [(s, span) for s, span in collector.snapshot() if span.trace_id == trace_id]
        if any(span.name == name for _s, span in spans):
            return spans
        time.sleep(0.2)
    raise AssertionError(f"no span {name!r} in the trace; got {[s.name for _x, s in spans]}")
