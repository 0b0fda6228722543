"""Where the evaluation reads datasets and learns what a synthesizer trained on: the synthesis
service.

The core sees them through these small interfaces; the server wires in the gRPC clients.
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
    #: Columns the PII scan flagged (`column`, or `table.column` in a multi-table dataset).
    pii_columns: list[str] = field(default_factory=list)
    #: The project that owns it (`default` where projects are not recorded).
    project: str = "default"
    #: The dataset it was made from (a synthetic sample's real dataset); empty for uploads.
    derived_from: str = ""
    #: Table name -> SHA-256 of its stored Parquet file.
    sha256: dict[str, str] = field(default_factory=dict)


class DatasetSource(Protocol):
    """Reads datasets; raises NotFound for an unknown id."""

    def describe(self, dataset_id: str) -> DatasetInfo: ...

    def read_tables(self, dataset_id: str) -> dict[str, pd.DataFrame]: ...


@dataclass(frozen=True)
class TrainedOn:
    """Which rows of which dataset a synthesizer trained on: `training_data` is `train_part`
    (then `holdout` is the split's record), `full_dataset` or `unknown` (trained before
    synthesizers recorded it)."""

    synthesizer_id: str
    dataset_id: str
    training_data: str
    holdout: dict[str, Any] = field(default_factory=dict)


class SynthesizerSource(Protocol):
    """Reads what a synthesizer trained on; raises NotFound for an unknown id."""

    def trained_on(self, synthesizer_id: str) -> TrainedOn: ...


class DpLedger(Protocol):
    """The privacy service's record of a differentially private synthesizer."""

    def epsilon(self, synthesizer_id: str) -> float: ...
