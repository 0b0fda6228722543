"""`synthstudio-migrate`: brings every component's tables up to date (run before the services)
and creates the first administrator when there is no user yet."""

from __future__ import annotations

import sys

from synthstudio_libs.config import ConfigError, Settings, load_settings
from synthstudio_libs.runtime import identity_core
from synthstudio_libs.storage.database import create_engine, discover_components, migrate


def prepare_database(settings: Settings) -> None:
    """Migrates every component and, on an empty user table, creates the first administrator;
    a generated password is printed once, here and nowhere else."""
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    engine = create_engine(settings.resolved_database_url)
    components = discover_components()
    migrate(engine, components)
    created = identity_core(settings, engine).ensure_admin(
        settings.admin_email, settings.admin_password
    )
    engine.dispose()
    names = ", ".join(c.name for c in components)
    print(f"synthstudio-migrate: schema up to date ({names})", file=sys.stderr)
    if created is not None:
        user, password = created
        shown = (
            "the password in SYNTHSTUDIO_ADMIN_PASSWORD"
            if settings.admin_password
            else (f"one-time password {password}  (shown only now: sign in and keep it safe)")
        )
        print(f"synthstudio: created administrator {user.email} with {shown}", file=sys.stderr)


def main() -> int:
    try:
        settings = load_settings()
    except ConfigError as exc:
        print(f"synthstudio-migrate: {exc}", file=sys.stderr)
        return 2
    prepare_database(settings)
    return 0


if __name__ == "__main__":
    sys.exit(main())
