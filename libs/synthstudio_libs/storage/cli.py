"""`synthstudio-migrate`: brings every component's tables up to date (run before the services)."""

from __future__ import annotations

import sys

from synthstudio_libs.config import ConfigError, load_settings
from synthstudio_libs.storage.database import create_engine, discover_components, migrate


def main() -> int:
    try:
        settings = load_settings()
    except ConfigError as exc:
        print(f"synthstudio-migrate: {exc}", file=sys.stderr)
        return 2
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    engine = create_engine(settings.resolved_database_url)
    components = discover_components()
    migrate(engine, components)
    engine.dispose()
    names = ", ".join(c.name for c in components)
    print(f"synthstudio-migrate: schema up to date ({names})", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
