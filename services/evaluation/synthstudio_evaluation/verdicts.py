"""Pass/fail verdicts of a report: one for privacy, one overall, with the reasons.

Privacy passes when every privacy check passes (see `privacy.PrivacyCheck`). The overall verdict
fails when privacy fails, when fidelity or utility falls below the threshold at which the
synthetic data stops being a usable stand-in for the real data, or when fidelity beats the
holdout's own (real data is never that close to its training rows: a copy is); it passes
otherwise, and is "not run" when no part ran.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from synthstudio_evaluation.report import EvaluationReport

#: SDMetrics quality below this: the synthetic columns or their relationships are visibly off.
MIN_QUALITY_SCORE = 0.7
#: TSTR/TRTR below this: models trained on the synthetic data lose over 30% of their skill.
MIN_UTILITY_RATIO = 0.7


class Verdict(StrEnum):
    PASSED = "PASSED"
    FAILED = "FAILED"
    NOT_RUN = "NOT_RUN"


@dataclass(frozen=True)
class Verdicts:
    privacy: Verdict
    overall: Verdict
    reasons: list[str]


def judge(report: EvaluationReport) -> Verdicts:
    """The privacy and overall verdicts of `report` and the reasons for the overall one."""
    reasons: list[str] = []
    privacy = Verdict.NOT_RUN
    if report.privacy is not None:
        privacy = Verdict.PASSED if report.privacy.passed else Verdict.FAILED
        failed = [check.name for check in report.privacy.checks if not check.passed]
        if failed:
            reasons.append(f"Privacy checks failed: {', '.join(failed)}.")
    quality = None if report.fidelity is None else report.fidelity.quality_score
    if quality is not None and quality < MIN_QUALITY_SCORE:
        reasons.append(f"Quality score {quality:.3f} is below {MIN_QUALITY_SCORE}.")
    ceiling = None if report.fidelity is None else report.fidelity.holdout_ceiling
    if ceiling is not None and ceiling.above_ceiling:
        reasons.append(
            f"Fidelity {ceiling.synthetic_quality_score:.3f} beats the holdout's own "
            f"{ceiling.quality_score:.3f}: the synthetic rows look copied from the training rows."
        )
    ratio = None if report.utility is None else report.utility.ratio
    if ratio is not None and ratio < MIN_UTILITY_RATIO:
        reasons.append(f"Utility ratio (TSTR/TRTR) {ratio:.3f} is below {MIN_UTILITY_RATIO}.")
    ran = [part for part in (report.fidelity, report.utility, report.privacy) if part is not None]
    if not ran:
        return Verdicts(privacy, Verdict.NOT_RUN, ["No part of the evaluation ran."])
    if reasons:
        return Verdicts(privacy, Verdict.FAILED, reasons)
    return Verdicts(privacy, Verdict.PASSED, ["Every part that ran met its threshold."])
