"""DataFrames as Arrow IPC streams, and bytes cut into pieces small enough for one gRPC message:
how tables cross between processes that may run different pandas and numpy versions."""

from __future__ import annotations

import io
from collections.abc import Iterator

import pandas as pd
import pyarrow as pa

from synthstudio_libs.errors import InvalidInput

# Well under gRPC's 4 MiB default message size.
PIECE_BYTES = 1024 * 1024


def frame_to_ipc(frame: pd.DataFrame) -> bytes:
    """`frame` as one complete Arrow IPC stream."""
    table = pa.Table.from_pandas(frame, preserve_index=False)
    sink = io.BytesIO()
    with pa.ipc.new_stream(sink, table.schema) as writer:
        writer.write_table(table)
    return sink.getvalue()


def frame_from_ipc(data: bytes) -> pd.DataFrame:
    """The DataFrame of one Arrow IPC stream; InvalidInput when the bytes are not one."""
    try:
        with pa.ipc.open_stream(data) as reader:
            return reader.read_pandas()
    except (pa.ArrowInvalid, OSError) as error:
        raise InvalidInput(
            f"the table is not an Arrow IPC stream ({error})", field="table"
        ) from None


def pieces(data: bytes, size: int = PIECE_BYTES) -> Iterator[bytes]:
    """`data` in consecutive pieces of at most `size` bytes (none for empty data)."""
    for start in range(0, len(data), size):
        yield data[start : start + size]
