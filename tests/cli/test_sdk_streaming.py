"""The SDK streams tables larger than gRPC's 4 MiB message limit both ways, reading and
writing files a chunk at a time."""

from __future__ import annotations

import tracemalloc
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow.parquet as pq
import pytest

from synthstudio_sdk import Client, DataLoss

GRPC_DEFAULT_LIMIT = 4 * 1024 * 1024


def _large_table(rows: int = 280_000) -> pd.DataFrame:
    generator = np.random.default_rng(3)
    return pd.DataFrame(
        {
            "id": np.arange(rows),
            "amount": generator.normal(1000, 250, rows).round(2),
            "ratio": generator.random(rows).round(6),
            "category": generator.choice(["alpha", "beta", "gamma", "delta"], rows),
            "code": [f"C{v:07d}" for v in generator.integers(0, 10_000_000, rows)],
        }
    )


def test_a_table_over_4_mib_streams_up_and_down(sdk_env, editor_token, tmp_path):
    frame = _large_table()
    source = tmp_path / "large.csv"
    frame.to_csv(source, index=False)
    file_size = source.stat().st_size
    assert file_size > 2 * GRPC_DEFAULT_LIMIT

    with Client(token=editor_token) as client:
        tracemalloc.start()
        try:
            dataset = client.datasets.upload(source, "large")
            _current, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
        # Memory stays flat: the file is never held whole (chunks of 1 MiB).
        assert peak < file_size / 2, (peak, file_size)
        assert dataset.row_count == len(frame)
        assert [c.name for c in dataset.columns] == list(frame.columns)

        as_csv = client.datasets.download(dataset.id, tmp_path / "back.csv")
        assert as_csv == [tmp_path / "back.csv"]
        assert as_csv[0].stat().st_size > GRPC_DEFAULT_LIMIT
        pd.testing.assert_frame_equal(pd.read_csv(as_csv[0]), frame)

        as_parquet = client.datasets.download(dataset.id, tmp_path / "out", "parquet")
        assert as_parquet == [tmp_path / "out"]
        pd.testing.assert_frame_equal(pq.read_table(as_parquet[0]).to_pandas(), frame)

        tables = client.datasets.read(dataset.id)
        pd.testing.assert_frame_equal(tables["large"], frame)

        # In-memory tables stream up too (Parquet chunks), and a directory gets one file
        # per table.
        again = client.datasets.create({"large": frame, "small": frame.head(10)}, "two")
        assert {t.name: t.row_count for t in again.tables} == {"large": len(frame), "small": 10}
        written = client.datasets.download(again.id, tmp_path / "tables")
        assert sorted(p.name for p in written) == ["large.parquet", "small.parquet"]


def test_a_download_that_differs_from_the_stored_table_is_an_error(sdk_env, editor_token, tmp_path):
    frame = _large_table(2_000)
    source = tmp_path / "small.csv"
    frame.to_csv(source, index=False)
    with Client(token=editor_token) as client:
        dataset = client.datasets.upload(source, "to-corrupt")
        stored = Path(sdk_env["SYNTHSTUDIO_DATA_DIR"]) / "artifacts/datasets" / dataset.id
        (parquet,) = stored.glob("*.parquet")
        client.datasets.download(dataset.id, tmp_path / "whole.parquet")
        # The disk (or the wire) changes one byte: the SHA-256 no longer matches the dataset's.
        damaged = bytearray(parquet.read_bytes())
        damaged[len(damaged) // 2] ^= 0xFF
        parquet.write_bytes(bytes(damaged))
        with pytest.raises(DataLoss, match="incomplete or corrupted") as caught:
            client.datasets.download(dataset.id, tmp_path / "damaged.parquet")
        assert caught.value.reason == "DOWNLOAD_CORRUPTED"
        assert not (tmp_path / "damaged.parquet").exists()
        with pytest.raises(DataLoss):
            client.datasets.read(dataset.id)
    assert pq.read_table(tmp_path / "whole.parquet").num_rows == len(frame)
