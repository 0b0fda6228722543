"""The one interface long-running domain work uses to report progress and notice cancellation."""

from __future__ import annotations

from typing import Protocol


class Progress(Protocol):
    """Handed to long-running domain work by the job framework.

    `update` records how far the work is (0.0 to 1.0) with a short human message and optional
    figures (`epoch=3`, `epsilon_spent=0.8`). It raises `synthstudio_libs.errors.JobCancelled`
    when the job's cancellation was requested, so work stops at its next progress report.
    """

    def update(self, fraction: float, message: str = "", **details: float | int | str) -> None: ...


class NullProgress:
    """Progress that records nothing and never cancels: for direct calls and unit tests."""

    def update(self, fraction: float, message: str = "", **details: float | int | str) -> None:
        return None
