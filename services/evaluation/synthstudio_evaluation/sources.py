"""Where the evaluation reads datasets from: the synthesis service's catalog.

The core sees datasets through this small interface; the server wires in the gRPC client.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Protocol

import pandas as pd


@dataclass(frozen=True)
class DatasetInfo:
    """What the catalog says about a dataset without reading its rows."""

    id: str
    display_name: str
    #: Table name -> column names, in order.
    columns: dict[str, list[str]]
    #: Table name -> number of rows.
    rows: dict[str, int]
    #: SDV metadata recorded with the dataset; empty when unknown.
    metadata: dict[str, Any] = field(default_factory=dict)


class DatasetSource(Protocol):
    """Reads datasets; raises NotFound for an unknown id."""

    def describe(self, dataset_id: str) -> DatasetInfo: ...

    def read_tables(self, dataset_id: str) -> dict[str, pd.DataFrame]: ...
