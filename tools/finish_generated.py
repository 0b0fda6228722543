"""Marks the generated stub tree as a package: an `__init__.py` in every folder, saying so."""

import sys
from pathlib import Path

HEADER = '"""Generated from protos/ by `make generate`. Do not edit."""\n'

root = Path(sys.argv[1])
for folder in [root, *sorted(p for p in root.rglob("*") if p.is_dir())]:
    (folder / "__init__.py").write_text(HEADER)
(root / "py.typed").write_text("")
