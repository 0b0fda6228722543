"""Nesting progress: each step reports 0..1 and its parent sees a slice of its own 0..1."""

from __future__ import annotations

from synthstudio_libs.jobs.progress import Progress


class ScaledProgress:
    """A `Progress` that maps a sub-step's 0..1 onto [start, end] of `parent`.

    Cancellation still surfaces: the parent's `update` raises `JobCancelled`.
    """

    def __init__(self, parent: Progress, start: float, end: float) -> None:
        self._parent, self._start, self._end = parent, start, end

    def update(self, fraction: float, message: str = "", **details: float | int | str) -> None:
        position = self._start + (self._end - self._start) * min(max(fraction, 0.0), 1.0)
        self._parent.update(position, message, **details)
