"""Components end with the supervisor that started them, even when it is killed with SIGKILL."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap

from synthstudio_libs.lifetime import SUPERVISOR_PID_VARIABLE, on_exit_of

# A component: stops gracefully on SIGTERM (saying so), else would sleep for a minute.
_COMPONENT = textwrap.dedent(
    """
    import signal, sys, time
    from synthstudio_libs.lifetime import stop_with_supervisor

    def graceful(*_):
        print("stopped gracefully", flush=True)
        sys.exit(0)

    signal.signal(signal.SIGTERM, graceful)
    stop_with_supervisor()
    print("running", flush=True)
    time.sleep(60)
    """
)


def _component(supervisor_pid: int) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-c", _COMPONENT],
        env={**os.environ, SUPERVISOR_PID_VARIABLE: str(supervisor_pid)},
        stdout=subprocess.PIPE,
        text=True,
    )


def test_a_component_stops_gracefully_when_its_supervisor_is_killed():
    supervisor = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    component = _component(supervisor.pid)
    assert component.stdout.readline().strip() == "running"

    supervisor.send_signal(signal.SIGKILL)
    supervisor.wait()

    output, _ = component.communicate(timeout=10)
    assert component.returncode == 0 and output.strip() == "stopped gracefully"


def test_a_component_whose_supervisor_is_already_gone_stops_at_once():
    supervisor = subprocess.Popen([sys.executable, "-c", "pass"])
    supervisor.wait()

    output, _ = _component(supervisor.pid).communicate(timeout=10)

    assert output.strip() == "stopped gracefully"


def test_watching_a_process_that_has_ended_says_so():
    ended = subprocess.Popen([sys.executable, "-c", "pass"])
    ended.wait()
    assert on_exit_of(ended.pid, lambda: None) is False
