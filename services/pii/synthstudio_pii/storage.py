"""The pii service's tables (defined in `repository`) and their migration history."""

from __future__ import annotations

from pathlib import Path

from synthstudio_libs.storage.database import Component

MIGRATIONS = Component("pii", Path(__file__).parent / "migrations")
