"""SDMetrics (MIT) as the evaluation uses it, importable where copulas is not installed.

SDMetrics 0.32 declares copulas (Business Source License 1.1) as a requirement, but imports it
in one module only, `sdmetrics.single_table.privacy.loss`, for the `InverseCDFDistance` loss of
its numerical privacy metrics; `import sdmetrics` loads that module, and nothing here uses it.
Where copulas is absent (the Apache profile installs sdmetrics without it) a stand-in
`copulas.univariate.base.Univariate` lets sdmetrics import, and fails loudly if anything ever
fits a distribution with it. Where copulas is installed it is used as is.
"""

from __future__ import annotations

import importlib.util
import sys
from types import ModuleType

STAND_IN_MODULES = ("copulas", "copulas.univariate", "copulas.univariate.base")


class Univariate:
    """Stands in for copulas' univariate distribution, which this suite never fits."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        raise RuntimeError(
            "copulas (Business Source License 1.1) is not installed: SDMetrics' numerical "
            "privacy metrics (InverseCDFDistance) need it; Synth Studio's evaluation does not"
        )


def install_copulas_stand_in() -> bool:
    """Registers the stand-in modules when copulas is not installed; True when it did."""
    if "copulas" in sys.modules or _importable("copulas"):
        return False
    for name in STAND_IN_MODULES:
        sys.modules[name] = ModuleType(name, "Synth Studio's stand-in: copulas is not installed")
    sys.modules["copulas.univariate.base"].Univariate = Univariate  # type: ignore[attr-defined]
    return True


def _importable(name: str) -> bool:
    try:
        return importlib.util.find_spec(name) is not None
    except ImportError:  # an import hook that refuses it: as good as absent
        return False


install_copulas_stand_in()

from sdmetrics.column_pairs import InterRowMSAS, StatisticMSAS  # noqa: E402
from sdmetrics.reports import DiagnosticReport, QualityReport  # noqa: E402
from sdmetrics.single_column import SequenceLengthSimilarity  # noqa: E402

__all__ = [
    "DiagnosticReport",
    "InterRowMSAS",
    "QualityReport",
    "SequenceLengthSimilarity",
    "StatisticMSAS",
]
