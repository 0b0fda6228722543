"""Processes that end with the process they belong to, even when it is killed with SIGKILL
and has no chance to stop them: each watches the other's pidfd, which becomes readable the
moment that process ends."""

from __future__ import annotations

import os
import select
import signal
import threading
from collections.abc import Callable

# Set by the suite's supervisor (`make run`) in the environment of every component it starts.
SUPERVISOR_PID_VARIABLE = "SYNTHSTUDIO_SUPERVISOR_PID"


def on_exit_of(pid: int, action: Callable[[], None]) -> bool:
    """Runs `action` on a daemon thread once process `pid` ends; False (and nothing watched)
    when it has already ended."""
    try:
        handle = os.pidfd_open(pid)
    except ProcessLookupError:
        return False

    def watch() -> None:
        select.select([handle], [], [])
        action()

    threading.Thread(target=watch, name=f"watch-{pid}", daemon=True).start()
    return True


def stop_with_supervisor() -> None:
    """When this component was started by the suite's supervisor, stops it the way SIGTERM
    does (gracefully: queued jobs failed with a reason, connections drained) once the
    supervisor ends, so a `kill -9` of `make run` leaves no component behind."""
    supervisor = os.environ.get(SUPERVISOR_PID_VARIABLE, "")
    if supervisor.isdigit() and not on_exit_of(int(supervisor), _terminate_self):
        _terminate_self()


def _terminate_self() -> None:
    os.kill(os.getpid(), signal.SIGTERM)
