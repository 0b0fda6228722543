"""Column verdicts on the labelled benchmark of real tables (tests/data/pii_benchmark).

Accuracy on a fixed labelled set, not timing: bench/pii_columns.py prints the figures and the
time per column.
"""

from __future__ import annotations

import io

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from pii_benchmark import TARGET_ENTITIES, Label, entity_scores, load_labels, load_tables

from synthstudio_pii.columns import ClassificationOptions, classify_table
from synthstudio_synthesis.tables import sample_cells

# What the upload scan sees: the synthesis service samples this many rows per table...
_UPLOAD_SAMPLE_ROWS = 100
# ...and the pii service's ScanTable classifies up to this many cells per column.
_SCAN_TABLE_CELLS = 1000


@pytest.fixture(scope="module")
def labels() -> list[Label]:
    return load_labels()


@pytest.fixture(scope="module")
def stored_tables(labels) -> dict[str, pd.DataFrame]:
    """The tables as a dataset scan reads them back: through Parquet, typed."""
    stored = {}
    for name, frame in load_tables(labels).items():
        buffer = io.BytesIO()
        pq.write_table(pa.Table.from_pandas(frame, preserve_index=False), buffer)
        stored[name] = pq.read_table(io.BytesIO(buffer.getvalue())).to_pandas()
    return stored


@pytest.fixture(scope="module")
def full_scan(analyzer, stored_tables) -> dict[tuple[str, str], str | None]:
    """(table, column) -> entity type of the dataset scan's verdict."""
    return {
        (name, verdict.column): verdict.entity_type
        for name, frame in stored_tables.items()
        for verdict in classify_table(analyzer, frame, table=name).columns
    }


def _upload_sample(frame: pd.DataFrame, seed: int) -> pd.DataFrame:
    """The cells the upload scan sends for a table: sampled rows, as text, nulls dropped."""
    table = pa.Table.from_pandas(frame, preserve_index=False)
    if table.num_rows > _UPLOAD_SAMPLE_ROWS:
        rows = np.sort(
            np.random.default_rng(seed).choice(table.num_rows, _UPLOAD_SAMPLE_ROWS, False)
        )
        table = table.take(pa.array(rows))
    cells = sample_cells(table)
    return pd.DataFrame({name: pd.Series(values, dtype=object) for name, values in cells.items()})


def test_labels_cover_the_target_entities_and_say_which_columns_are_generated(labels):
    labelled = {label.entity for label in labels}
    assert set(TARGET_ENTITIES) <= labelled
    generated = [label for label in labels if label.source != "real"]
    assert {label.entity for label in generated} == {"EMAIL_ADDRESS", "PHONE_NUMBER"}
    assert all(label.source.startswith("generated: ") for label in generated)
    assert len({label.table for label in labels}) >= 15
    assert sum(1 for label in labels if label.role == "measure") >= 30


def test_target_entities_reach_the_precision_and_recall_targets(labels, full_scan):
    scores = entity_scores(labels, full_scan)
    for entity in TARGET_ENTITIES:
        assert scores[entity].labelled >= 3, entity
        assert scores[entity].precision >= 0.95, (entity, scores[entity])
        assert scores[entity].recall >= 0.95, (entity, scores[entity])


def test_numeric_measures_get_no_verdict(labels, full_scan):
    flagged = {
        (label.table, label.column): full_scan[(label.table, label.column)]
        for label in labels
        if label.role == "measure" and full_scan[(label.table, label.column)] is not None
    }
    assert flagged == {}


def test_upload_sample_and_full_scan_agree_on_every_labelled_column(
    analyzer, labels, stored_tables, full_scan
):
    options = ClassificationOptions(sample_rows=_SCAN_TABLE_CELLS)
    disagreements = {}
    for index, (name, frame) in enumerate(stored_tables.items()):
        upload = classify_table(analyzer, _upload_sample(frame, seed=index), options=options)
        for verdict in upload.columns:
            if verdict.entity_type != full_scan[(name, verdict.column)]:
                disagreements[(name, verdict.column)] = (
                    verdict.entity_type,
                    full_scan[(name, verdict.column)],
                )
    assert disagreements == {}
    assert len(full_scan) == len(labels)
