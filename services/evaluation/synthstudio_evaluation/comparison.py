"""Several synthesizers' reports on the same real dataset, side by side and ranked."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from synthstudio_evaluation.plots import Plot, score_comparison_plot
from synthstudio_evaluation.report import EvaluationReport
from synthstudio_libs.errors import InvalidInput


@dataclass(frozen=True)
class LeaderboardEntry:
    """One synthesizer's row: its rank (1 = best), headline scores and key figures."""

    rank: int
    synthesizer_name: str
    overall: float | None
    fidelity: float | None
    utility: float | None
    privacy: float | None
    quality_score: float | None
    diagnostic_score: float | None
    utility_ratio: float | None
    dcr_share: float | None
    membership_inference_auc: float | None
    exact_copy_rate: float | None
    privacy_passed: bool | None


@dataclass(frozen=True)
class Leaderboard:
    """Entries best first. A synthesizer that fails a privacy check ranks below every one that
    passes them, whatever its other scores: leaking training rows is disqualifying."""

    dataset_name: str
    holdout_index_sha256: str
    entries: list[LeaderboardEntry]
    plots: list[Plot] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def compare_reports(
    reports: Sequence[EvaluationReport], *, include_plots: bool = True
) -> Leaderboard:
    """Rank reports computed on the same dataset and holdout split.

    Raises InvalidInput when there are no reports, two share a synthesizer name, or they were
    computed on different datasets or splits (their scores would not be comparable).
    """
    _check_comparable(reports)
    ordered = sorted(reports, key=_rank_key)
    entries = [_entry(rank, report) for rank, report in enumerate(ordered, start=1)]
    plots = []
    if include_plots:
        plots.append(
            score_comparison_plot(
                [entry.synthesizer_name for entry in entries],
                {
                    "Overall": [entry.overall for entry in entries],
                    "Fidelity": [entry.fidelity for entry in entries],
                    "Utility": [entry.utility for entry in entries],
                    "Privacy": [entry.privacy for entry in entries],
                },
            )
        )
    return Leaderboard(
        dataset_name=reports[0].dataset_name,
        holdout_index_sha256=reports[0].holdout.holdout_index_sha256,
        entries=entries,
        plots=plots,
        warnings=_target_warnings(reports),
    )


def _check_comparable(reports: Sequence[EvaluationReport]) -> None:
    if not reports:
        raise InvalidInput("Name at least one report to compare.", field="report_ids")
    names = [report.synthesizer_name for report in reports]
    duplicates = sorted({name for name in names if names.count(name) > 1})
    if duplicates:
        raise InvalidInput(
            f"Synthesizer names must be unique in a comparison; repeated: {duplicates}.",
            field="report_ids",
            reason="DUPLICATE_SYNTHESIZER",
            metadata={"synthesizers": ",".join(duplicates)},
        )
    first = reports[0].holdout
    for report in reports[1:]:
        same_data = report.holdout.dataset_sha256 == first.dataset_sha256
        if not same_data or report.holdout.holdout_index_sha256 != first.holdout_index_sha256:
            raise InvalidInput(
                f"Report '{report.synthesizer_name}' was computed on a different dataset or "
                f"holdout split than '{reports[0].synthesizer_name}'; compare reports of one "
                "registered dataset only.",
                field="report_ids",
                reason="DIFFERENT_DATASETS",
                metadata={
                    "synthesizer": report.synthesizer_name,
                    "reference": reports[0].synthesizer_name,
                },
            )


def _rank_key(report: EvaluationReport) -> tuple[bool, float, str]:
    failed_privacy = report.privacy is not None and not report.privacy.passed
    overall = report.scores.overall if report.scores.overall is not None else -1.0
    return failed_privacy, -overall, report.synthesizer_name


def _entry(rank: int, report: EvaluationReport) -> LeaderboardEntry:
    fidelity, utility, privacy = report.fidelity, report.utility, report.privacy
    return LeaderboardEntry(
        rank=rank,
        synthesizer_name=report.synthesizer_name,
        overall=report.scores.overall,
        fidelity=report.scores.fidelity,
        utility=report.scores.utility,
        privacy=report.scores.privacy,
        quality_score=None if fidelity is None else fidelity.quality_score,
        diagnostic_score=None if fidelity is None else fidelity.diagnostic_score,
        utility_ratio=None if utility is None else utility.ratio,
        dcr_share=None if privacy is None else privacy.dcr_share,
        membership_inference_auc=None if privacy is None else privacy.membership_inference_auc,
        exact_copy_rate=None if privacy is None else privacy.exact_copy_rate,
        privacy_passed=None if privacy is None else privacy.passed,
    )


def _target_warnings(reports: Sequence[EvaluationReport]) -> list[str]:
    targets = {report.config.target_column for report in reports}
    if len(targets) > 1:
        shown = sorted(str(target) for target in targets)
        return [f"The reports predict different target columns ({shown}); utility differs."]
    return []
