"""Synth Studio evaluation service: fidelity, utility and privacy-risk reports.

The domain core is plain Python over pandas DataFrames and SDV metadata dicts (no gRPC). The
usual flow: `split_holdout` when a dataset is registered (store its `HoldoutRecord`; train
synthesizers on `split.train` only), `evaluate` for each synthetic sample, `compare_reports` for
a leaderboard, and `report_json` / `report_html` / `report_pdf` to export. The service around
it: `core.EvaluationCore` (splits, report jobs, stored reports), `servicer` (protobuf only).

Names are imported lazily, so `import synthstudio_evaluation.storage` (migrations, the server)
does not load SDMetrics, anonymeter, scikit-learn and matplotlib.
"""

from __future__ import annotations

import importlib
from typing import Any

_EXPORTS = {
    "anonymeter_risks": ["AttackRisk"],
    "comparison": ["Leaderboard", "LeaderboardEntry", "compare_reports"],
    "export": ["leaderboard_html", "leaderboard_pdf", "report_html", "report_json", "report_pdf"],
    "fidelity": [
        "ColumnPairScore",
        "ColumnScore",
        "FidelityResult",
        "PropertyScore",
        "RelationshipScore",
        "SequenceScore",
        "TableScore",
        "evaluate_fidelity",
    ],
    "holdout": ["HoldoutRecord", "HoldoutSplit", "reapply_holdout", "split_holdout"],
    "plots": ["Plot"],
    "privacy": ["DistanceSummary", "PrivacyCheck", "PrivacyResult", "evaluate_privacy"],
    "report": ["EvaluationConfig", "EvaluationReport", "ScoreSummary", "evaluate"],
    "tables": ["Modality", "TableSet", "as_table_set"],
    "utility": ["ModelScore", "Task", "UtilityResult", "evaluate_utility"],
    "verdicts": ["Verdict", "Verdicts", "judge"],
}
_MODULE_OF = {name: module for module, names in _EXPORTS.items() for name in names}

__all__ = sorted(_MODULE_OF)


def __getattr__(name: str) -> Any:
    if name not in _MODULE_OF:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{_MODULE_OF[name]}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *__all__])
