"""`make run` as a person sees it: a banner once everything answers, each component's output in
its own log file, and a component that dies restarted (and said so) instead of the whole suite
stopping."""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path

import grpc
from grpc_health.v1 import health_pb2, health_pb2_grpc

from synthstudio_libs.lifetime import SUPERVISOR_PID_VARIABLE
from tests.conftest import service_pid


def _parent_of(pid: int) -> int:
    # /proc/PID/stat: "pid (command) state ppid ...", and the command may hold spaces.
    return int((Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2]).split()[1])


def _serving(address: str) -> bool:
    with grpc.insecure_channel(address) as channel:
        try:
            reply = health_pb2_grpc.HealthStub(channel).Check(
                health_pb2.HealthCheckRequest(), timeout=2
            )
        except grpc.RpcError:
            return False
    return reply.status == health_pb2.HealthCheckResponse.SERVING


def test_the_banner_and_each_components_log_file(suite):
    base_url, env = suite
    logs = Path(env["SYNTHSTUDIO_DATA_DIR"]) / "logs"
    banner = (logs / "suite.log").read_text()
    assert "Synth Studio is up" in banner and base_url in banner
    assert f"sign in as                {env['SYNTHSTUDIO_ADMIN_EMAIL']}" in banner
    assert "synthstudio --url " + env["SYNTHSTUDIO_SYNTHESIS_ADDR"] in banner
    assert "listening on" in (logs / "synthesis.log").read_text()


def test_a_component_that_dies_is_restarted_and_the_log_says_so(suite):
    _base_url, env = suite
    killed = service_pid("llm", env)
    assert killed is not None
    os.kill(killed, signal.SIGKILL)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        restarted = service_pid("llm", env)
        if restarted not in (None, killed) and _serving(env["SYNTHSTUDIO_LLM_ADDR"]):
            break
        time.sleep(0.5)
    else:
        raise AssertionError("the llm service was not restarted within 120 s")
    log = (Path(env["SYNTHSTUDIO_DATA_DIR"]) / "logs" / "suite.log").read_text()
    assert "llm exited with code -9; restarting it in 1s" in log
    assert "llm restarted (restart 1)" in log
    assert _serving(env["SYNTHSTUDIO_SYNTHESIS_ADDR"])
    # Told whom to end with should the supervisor be killed (tests/unit/libs/test_lifetime.py).
    environ = Path(f"/proc/{restarted}/environ").read_bytes().split(b"\0")
    assert f"{SUPERVISOR_PID_VARIABLE}={_parent_of(restarted)}".encode() in environ
