"""Column classification of a 1M-row table vs Presidio's BatchAnalyzerEngine full scan.

The table is the unit tests' labelled customer/order table (Faker, seeded): a pool of distinct
rows drawn with replacement up to --rows, with per-row amounts and order ids. Our classifier
samples each column; the baseline is Presidio's BatchAnalyzerEngine.analyze_dict over every
cell, with the same AnalyzerEngine. A full scan of 1M rows takes hours, so it is timed on the
first --baseline-rows rows and extrapolated linearly (its cost is per cell). Verdicts are
compared with each other and with the known labels.

    PYTHONPATH=libs:services/pii python bench/pii_classify.py [--rows 1000000]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections import Counter
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "unit" / "pii"))

from pii_fixtures import build_labelled_table  # noqa: E402

from synthstudio_pii.analyzer import PiiAnalyzer, build_analyzer  # noqa: E402
from synthstudio_pii.columns import ColumnKind, classify_table  # noqa: E402


def build_table(rows: int, pool_rows: int, seed: int) -> tuple[pd.DataFrame, dict]:
    """`rows` rows drawn from `pool_rows` distinct labelled rows, numeric columns per row."""
    labelled = build_labelled_table(rows=pool_rows, seed=seed)
    rng = np.random.default_rng(seed)
    frame = labelled.frame.iloc[rng.integers(0, pool_rows, size=rows)].reset_index(drop=True)
    frame["amount"] = np.round(rng.uniform(1, 99_999, size=rows), 2)
    frame["amount_text"] = [f"{value:.2f}" for value in rng.uniform(1, 99_999_999, size=rows)]
    frame["quantity"] = rng.integers(1, 21, size=rows)
    frame["order_id"] = rng.integers(10**9, 10**10, size=rows)
    return frame, labelled.labels


def full_scan_verdicts(analyzer: PiiAnalyzer, frame: pd.DataFrame) -> tuple[dict, float]:
    """Presidio's batch full scan of every cell; a column's verdict is the entity type found
    in the most cells, if it is found in at least half of them. Returns verdicts, seconds."""
    # Imported here, after synthstudio_pii has switched tldextract to its offline snapshot.
    from presidio_analyzer import BatchAnalyzerEngine

    batch = BatchAnalyzerEngine(analyzer_engine=analyzer.engine)
    columns = {column: frame[column].tolist() for column in frame.columns}
    started = time.perf_counter()
    results = list(batch.analyze_dict(columns, language="en"))
    elapsed = time.perf_counter() - started
    verdicts = {}
    for result in results:
        cells = Counter()
        for cell_results in result.recognizer_results:
            cells.update({finding.entity_type for finding in cell_results})
        top = cells.most_common(1)
        verdicts[result.key] = top[0][0] if top and top[0][1] >= len(frame) / 2 else None
    return verdicts, elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--pool-rows", type=int, default=20_000)
    parser.add_argument("--baseline-rows", type=int, default=1_000)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()

    started = time.perf_counter()
    analyzer = build_analyzer()
    print(f"analyzer built in {time.perf_counter() - started:.1f} s (once per process)")
    started = time.perf_counter()
    frame, labels = build_table(args.rows, args.pool_rows, args.seed)
    print(
        f"table: {len(frame):,} rows x {frame.shape[1]} columns "
        f"(built in {time.perf_counter() - started:.1f} s)"
    )

    timings = []
    for _ in range(args.repeats):
        started = time.perf_counter()
        classification = classify_table(analyzer, frame)
        timings.append(time.perf_counter() - started)
    ours = statistics.median(timings)
    print(
        f"classify_table on {len(frame):,} rows: median {ours:.2f} s over {args.repeats} runs "
        f"({', '.join(f'{t:.2f}' for t in timings)})"
    )

    subset = frame.head(args.baseline_rows)
    baseline, baseline_seconds = full_scan_verdicts(analyzer, subset)
    rows_per_second = len(subset) / baseline_seconds
    extrapolated = len(frame) / rows_per_second
    print(
        f"BatchAnalyzerEngine.analyze_dict full scan: {len(subset):,} rows in "
        f"{baseline_seconds:.1f} s = {rows_per_second:.1f} rows/s, MEASURED ON A SUBSET; "
        f"extrapolated to {len(frame):,} rows: {extrapolated:,.0f} s ({extrapolated / 3600:.1f} h)"
    )
    print(f"speed-up (extrapolated full scan / classify_table): {extrapolated / ours:,.0f}x")

    print(f"\n{'column':14} {'label':16} {'classify_table':24} {'full scan (majority)':22}")
    agree = ours_right = scan_right = 0
    for column, label in labels.items():
        verdict = classification.verdict(column)
        mine = verdict.entity_type
        shown = f"{mine}" + (" [free text]" if verdict.kind is ColumnKind.FREE_TEXT else "")
        print(f"{column:14} {label!s:16} {shown:24} {baseline[column]!s:22}")
        agree += mine == baseline[column]
        ours_right += mine == label
        scan_right += baseline[column] == label
    total = len(labels)
    print(
        f"\nverdict agreement classify_table vs full scan: {agree}/{total} columns "
        f"({agree / total:.0%}); matching the labels: classify_table {ours_right}/{total}, "
        f"full-scan majority {scan_right}/{total}"
    )


if __name__ == "__main__":
    main()
