"""The /metrics endpoint of a running gRPC service, scraped over HTTP after real calls."""

from __future__ import annotations

import time
import urllib.request
from concurrent import futures

import grpc
import pytest
from grpc_health.v1 import health, health_pb2, health_pb2_grpc
from prometheus_client.parser import text_string_to_metric_families

from synthstudio.common.v1 import job_pb2, job_pb2_grpc
from synthstudio_libs.auth.principal import ANONYMOUS, Role
from synthstudio_libs.errors import InvalidInput
from synthstudio_libs.grpc.auth import AuthInterceptor
from synthstudio_libs.grpc.credentials import bearer_credentials
from synthstudio_libs.grpc.errors import ErrorInterceptor
from synthstudio_libs.grpc.jobs import job_binding
from synthstudio_libs.jobs.store import JobStore
from synthstudio_libs.metrics import server_metrics_interceptor, setup_metrics
from synthstudio_libs.runtime import open_runtime

PASSWORD = "metrics admin password"


def _wait_final(store: JobStore, job_id: str) -> None:
    deadline = time.monotonic() + 20
    while not store.get(job_id).state.is_final:
        assert time.monotonic() < deadline, f"job {job_id} did not finish"
        time.sleep(0.05)


def _scrape(port: int) -> dict[str, list]:
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=5) as reply:
        assert reply.status == 200
        text = reply.read().decode()
    return {family.name: family.samples for family in text_string_to_metric_families(text)}


def _value(samples, name: str, **labels) -> float:
    matching = [
        s.value
        for s in samples
        if s.name == name and all(s.labels.get(k) == v for k, v in labels.items())
    ]
    assert len(matching) == 1, f"{name}{labels}: {len(matching)} samples"
    return matching[0]


@pytest.fixture
def service(settings):
    """A synthesis-named server with the jobs service, the production error, auth and metrics
    interceptors, an in-process job executor and the metrics endpoint on a free port; calls
    come from an administrator."""
    runtime = open_runtime(settings)
    endpoint = setup_metrics("synthesis", settings, port=0)
    server = grpc.server(
        futures.ThreadPoolExecutor(max_workers=4),
        interceptors=[
            server_metrics_interceptor(),
            ErrorInterceptor("synthesis"),
            AuthInterceptor(runtime.identity, runtime.limits, runtime.audit, runtime.projects),
        ],
    )
    binding = job_binding(runtime.operations)
    binding.add_to_server(binding.servicer, server)
    health_pb2_grpc.add_HealthServicer_to_server(health.HealthServicer(), server)
    port = server.add_insecure_port("127.0.0.1:0")
    server.start()
    runtime.identity.create_user("root@example.org", PASSWORD, Role.ADMIN)
    token = runtime.identity.login("root@example.org", PASSWORD).access_token
    channel = grpc.intercept_channel(
        grpc.insecure_channel(f"127.0.0.1:{port}"), bearer_credentials(token)
    )
    yield channel, runtime.queue, runtime.registry, endpoint
    channel.close()
    server.stop(None)
    endpoint.shutdown()
    runtime.close()


def test_rpc_and_job_metrics_after_real_calls(service):
    channel, queue, registry, endpoint = service
    registry.register("synthesis.echo", lambda context: {"echo": context.job.params["n"]})

    def refuse(_context):
        raise InvalidInput("n must be positive", field="n")

    registry.register("synthesis.refuse", refuse)
    done = queue.enqueue("synthesis.echo", {"n": 1})
    failed = queue.enqueue("synthesis.refuse", {"n": -1})
    queue.store.create(
        "synthesis.echo", {"n": 2}, creator=ANONYMOUS
    )  # stays queued: never handed to the executor
    queue.store.create(
        "evaluation.report", {}, creator=ANONYMOUS
    )  # another component's kind: not ours to count
    for job in (done, failed):
        _wait_final(queue.store, job.id)

    jobs = job_pb2_grpc.JobServiceStub(channel)
    jobs.GetJob(job_pb2.GetJobRequest(job_id=done.id))
    jobs.ListJobs(job_pb2.ListJobsRequest(kind="synthesis.echo"))
    with pytest.raises(grpc.RpcError) as missing:
        jobs.GetJob(job_pb2.GetJobRequest(job_id="job_missing"))
    assert missing.value.code() is grpc.StatusCode.NOT_FOUND
    assert [j.id for j in jobs.WatchJob(job_pb2.WatchJobRequest(job_id=done.id))] == [done.id]
    health_pb2_grpc.HealthStub(channel).Check(health_pb2.HealthCheckRequest())

    metrics = _scrape(endpoint.port)

    calls = metrics["rpc_server_call_duration_seconds"]
    service_name = "synthstudio.common.v1.JobService"
    count = "rpc_server_call_duration_seconds_count"
    get = {"rpc_service": service_name, "rpc_method": "GetJob"}
    assert _value(calls, count, **get, rpc_response_status_code="OK") == 1
    assert _value(calls, count, **get, rpc_response_status_code="NOT_FOUND") == 1
    assert _value(calls, count, rpc_method="WatchJob", rpc_response_status_code="OK") == 1
    assert _value(calls, count, rpc_method="ListJobs", rpc_response_status_code="OK") == 1
    assert _value(calls, count, rpc_service="grpc.health.v1.Health") == 1
    slowest_bucket = _value(
        calls,
        "rpc_server_call_duration_seconds_bucket",
        **get,
        le="+Inf",
        rpc_response_status_code="OK",
    )
    assert slowest_bucket == 1
    active = metrics["rpc_server_active_calls"]
    assert _value(active, "rpc_server_active_calls", rpc_method="GetJob") == 0

    states = metrics["synthstudio_jobs"]
    assert _value(states, "synthstudio_jobs", kind="synthesis.echo", state="SUCCEEDED") == 1
    assert _value(states, "synthstudio_jobs", kind="synthesis.echo", state="QUEUED") == 1
    assert _value(states, "synthstudio_jobs", kind="synthesis.echo", state="FAILED") == 0
    assert _value(states, "synthstudio_jobs", kind="synthesis.refuse", state="FAILED") == 1
    assert not [s for s in states if s.labels["kind"].startswith("evaluation.")]

    durations = metrics["synthstudio_job_duration_seconds"]
    name = "synthstudio_job_duration_seconds_count"
    assert _value(durations, name, kind="synthesis.echo", state="SUCCEEDED") == 1
    assert _value(durations, name, kind="synthesis.refuse", state="FAILED") == 1

    # A second scrape counts each finished job once.
    again = _scrape(endpoint.port)["synthstudio_job_duration_seconds"]
    assert _value(again, name, kind="synthesis.echo", state="SUCCEEDED") == 1
