"""Constants and helpers shared by the evaluation tests."""

from __future__ import annotations

TABLE = "diamonds"
ROWS = 1200
FAST = {"anonymeter_attacks": 100, "anonymeter_repeats": 2, "max_privacy_rows": 600}


class RecordingProgress:
    """Keeps every progress report."""

    def __init__(self) -> None:
        self.updates: list[tuple[float, str]] = []

    def update(self, fraction: float, message: str = "", **details: float | int | str) -> None:
        self.updates.append((fraction, message))
