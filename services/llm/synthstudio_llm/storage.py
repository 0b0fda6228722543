"""The llm service's migration history; its tables are defined in `repository`."""

from __future__ import annotations

from pathlib import Path

from synthstudio_libs.storage.database import Component

MIGRATIONS = Component("llm", Path(__file__).parent / "migrations")
