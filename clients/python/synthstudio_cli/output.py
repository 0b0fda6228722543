"""What a command prints: one JSON object with `--json`, or text and tables for people; and
the exit codes scripts can rely on."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from rich.console import Console
from rich.table import Table

# Exit codes (documented in docs/user-guide/cli.md).
OK = 0
SERVER_ERROR = 1  # the server refused or failed the request
USAGE = 2  # wrong command line or local file
AUTH = 3  # not signed in, expired sign-in, or a role that may not do this
NOT_FOUND = 4  # the named dataset, job, report, … does not exist
UNAVAILABLE = 5  # the service could not be reached (after retries) or timed out
JOB_FAILED = 6  # the job ran and failed
JOB_CANCELLED = 7  # the job was cancelled
EVIDENCE_INVALID = 8  # an evidence pack failed verification (changed, or another key)
INTERNAL = 70  # a bug in the command itself (SYNTHSTUDIO_DEBUG=1 shows the traceback)
INTERRUPTED = 130  # Ctrl-C

Render = Callable[[Console], None]


@dataclass
class Output:
    """A command's outcome: `data` is what `--json` prints, `render` what people see."""

    data: dict[str, Any]
    render: Render | None = None
    exit_code: int = OK
    extra: list[str] = field(default_factory=list)


def emit(output: Output, *, as_json: bool, console: Console) -> None:
    if as_json:
        sys.stdout.write(json.dumps(output.data, default=str) + "\n")
        sys.stdout.flush()
    elif output.render is not None:
        output.render(console)


def table(*columns: str, title: str | None = None) -> Table:
    grid = Table(title=title, show_edge=False, header_style="bold", pad_edge=False)
    for index, column in enumerate(columns):
        # Ids (the first column) stay whole so they can be copied.
        grid.add_column(column, overflow="fold", no_wrap=index == 0, min_width=None)
    return grid


def size(count: int | float) -> str:
    value = float(count)
    for unit in ("B", "KiB", "MiB", "GiB"):
        if value < 1024 or unit == "GiB":
            return f"{value:.0f} {unit}" if unit == "B" else f"{value:.1f} {unit}"
        value /= 1024
    return f"{value:.1f} GiB"


def figure(value: Any, digits: int = 3) -> str:
    if value is None or value == "":
        return "-"
    if isinstance(value, float):
        return f"{value:.{digits}f}"
    return str(value)


def lines(*texts: str) -> Render:
    def render(console: Console) -> None:
        for text in texts:
            console.print(text, highlight=False, soft_wrap=True)

    return render
