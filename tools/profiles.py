"""The Apache profile's requirement set: the suite's lock (constraints.txt) less every package
under the Business Source License, printed as a requirements file that `make install
PROFILE=apache` installs with --no-deps, so no Business-Source package is ever installed.

    python tools/profiles.py apache constraints.txt > requirements-apache.txt
    python tools/profiles.py check apache     # fails if this environment holds one


Plain Python (no third-party imports): it runs before any environment exists.
"""

from __future__ import annotations

import re
import sys
from importlib.metadata import PackageNotFoundError, distribution
from pathlib import Path

# The SDV family, each under the Business Source License 1.1 (its grant forbids offering the
# software as a commercial synthetic-data service for third parties). sdmetrics (MIT) declares
# copulas but the metrics the evaluation service uses never import it (see
# synthstudio_evaluation.sdmetrics_loader).
BUSINESS_SOURCE = {
    "sdv": "BUSL-1.1",
    "rdt": "BUSL-1.1",
    "ctgan": "BUSL-1.1",
    "copulas": "BUSL-1.1",
    "deepecho": "BUSL-1.1",
    "sdgym": "BUSL-1.1",
}
_NAME = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)")


def canonical(name: str) -> str:
    """The package name as PEP 503 compares it."""
    return re.sub(r"[-_.]+", "-", name).lower()


def requirement_name(line: str) -> str | None:
    """The canonical package name a requirements line pins, or None for a comment or blank."""
    text = line.split("#", 1)[0]
    match = _NAME.match(text)
    return canonical(match.group(1)) if match else None


def apache_requirements(lock: str) -> list[str]:
    """The lock's requirement lines less the Business-Source packages."""
    kept = []
    for line in lock.splitlines():
        name = requirement_name(line)
        if name is not None and name not in BUSINESS_SOURCE:
            kept.append(line.strip())
    return kept


def installed_business_source() -> list[str]:
    """The Business-Source packages installed in the running environment."""
    found = []
    for name in sorted(BUSINESS_SOURCE):
        try:
            distribution(name)
        except PackageNotFoundError:
            continue
        found.append(name)
    return found


def main(argv: list[str]) -> int:
    if len(argv) == 3 and argv[1] == "apache":
        lines = apache_requirements(Path(argv[2]).read_text())
        header = "# constraints.txt less the Business-Source packages (tools/profiles.py)"
        print("\n".join([header, *lines]))
        return 0
    if len(argv) == 3 and argv[1] == "check":
        found = installed_business_source() if argv[2] == "apache" else []
        if found:
            print(f"the {argv[2]} profile must not install {', '.join(found)}", file=sys.stderr)
        return 1 if found else 0
    print("usage: python tools/profiles.py apache constraints.txt | check PROFILE", file=sys.stderr)
    return 2


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
