"""Utility: does a model trained on synthetic data predict real data as well as one trained on
real data?

Train-synthetic-test-real (TSTR) against train-real-test-real (TRTR): the same scikit-learn
pipelines are fitted once on the real training part and once on the synthetic data, and both are
scored on the held-out real rows that neither saw. The headline is TSTR / TRTR of the primary
metric (macro F1 for classification, R² for regression), averaged over a linear model and a
random forest.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator, clone
from sklearn.dummy import DummyClassifier
from sklearn.ensemble import RandomForestClassifier, RandomForestRegressor
from sklearn.linear_model import LogisticRegression, Ridge
from sklearn.metrics import (
    accuracy_score,
    balanced_accuracy_score,
    f1_score,
    mean_absolute_error,
    r2_score,
)
from sklearn.pipeline import Pipeline

from synthstudio_evaluation.encoding import model_frame, model_preprocessor, split_by_kind
from synthstudio_evaluation.tables import TableSet
from synthstudio_evaluation.validation import check_column, check_table_name
from synthstudio_libs.errors import FailedPrecondition, InvalidInput, Warnings
from synthstudio_libs.jobs.progress import NullProgress, Progress

#: Rows used to fit a model; larger inputs are sampled down so evaluation time stays bounded.
MAX_TRAINING_ROWS = 20_000
#: A forest of 50 trees on half the features per split: scores within noise of larger forests
#: at a third of the time, single-threaded (the service shares its cores with other jobs).
_FOREST = {"n_estimators": 50, "max_features": 0.5, "min_samples_leaf": 2}


class Task(StrEnum):
    """The prediction task, decided from the target column's sdtype unless named."""

    CLASSIFICATION = "classification"
    REGRESSION = "regression"


@dataclass(frozen=True)
class ModelScore:
    """One model family's scores on the real holdout, trained on real vs synthetic rows."""

    model: str
    train_real_test_real: dict[str, float]
    train_synthetic_test_real: dict[str, float]
    ratio: float | None


@dataclass(frozen=True)
class UtilityResult:
    """TSTR vs TRTR for one target column. `ratio` is the headline (1.0 = as useful as real
    data); `score` is the ratio clipped to [0, 1] for rankings."""

    table: str
    target_column: str
    task: Task
    primary_metric: str
    feature_columns: list[str]
    train_rows: int
    synthetic_rows: int
    test_rows: int
    models: list[ModelScore]
    train_real_test_real: float
    train_synthetic_test_real: float
    ratio: float | None
    score: float | None


def evaluate_utility(
    train: TableSet,
    holdout: TableSet,
    synthetic: TableSet,
    table: str,
    target_column: str,
    *,
    task: Task | None = None,
    seed: int = 0,
    warnings: Warnings | None = None,
    progress: Progress | None = None,
) -> UtilityResult:
    """Score TSTR against TRTR on `table`, predicting `target_column`.

    Raises InvalidInput when the table or target column is unknown or unusable, the target has
    a single value in the real training data, or no feature column is left to predict it from.
    """
    check_table_name(train, table, "table_name")
    check_column(train, table, target_column, "target_column")
    progress = progress or NullProgress()
    warnings = warnings if warnings is not None else Warnings()
    task = task or _task_for(train, table, target_column)
    features = [c for c in train.feature_columns(table) if c != target_column]
    if not features:
        raise InvalidInput(
            f"Table '{table}' has no column besides '{target_column}' to predict it from.",
            field="target_column",
            reason="NO_FEATURES",
            metadata={"table": table, "target_column": target_column},
        )
    real_x, real_y = _xy(train, table, features, target_column, task, seed)
    synthetic_x, synthetic_y = _xy(synthetic, table, features, target_column, task, seed)
    test_x, test_y = _xy(holdout, table, features, target_column, task, seed)
    for role, values in (("real train", real_y), ("synthetic", synthetic_y), ("holdout", test_y)):
        if values.empty:
            raise FailedPrecondition(
                f"Target column '{target_column}' has no values in the {role} rows, so no model "
                "can be trained or scored on it; choose another target column.",
                reason="TARGET_ALL_MISSING",
                metadata={"target_column": target_column, "rows": role},
            )
    if task == Task.CLASSIFICATION and real_y.nunique() < 2:
        raise InvalidInput(
            f"Target column '{target_column}' has a single value in the real training data; "
            "choose a column with at least two classes.",
            field="target_column",
            reason="CONSTANT_TARGET",
            metadata={"target_column": target_column},
        )
    numeric, categorical = split_by_kind(train, table, features)
    models = []
    families = _model_families(task, seed)
    for position, (name, estimator) in enumerate(families):
        progress.update(position / len(families), f"Training {name} on real and synthetic data")
        trtr = _fit_and_score(estimator, numeric, categorical, real_x, real_y, test_x, test_y, task)
        tstr = _fit_and_score(
            estimator, numeric, categorical, synthetic_x, synthetic_y, test_x, test_y, task
        )
        primary = _primary_metric(task)
        models.append(ModelScore(name, trtr, tstr, _ratio(tstr[primary], trtr[primary])))
    progress.update(1.0, "Utility done")
    primary = _primary_metric(task)
    trtr_mean = float(np.mean([model.train_real_test_real[primary] for model in models]))
    tstr_mean = float(np.mean([model.train_synthetic_test_real[primary] for model in models]))
    ratio = _ratio(tstr_mean, trtr_mean)
    if ratio is None:
        warnings.add(
            f"Models trained on real data reach {primary} = {trtr_mean:.3f} on the holdout, so "
            f"'{target_column}' is not predictable enough for a TSTR/TRTR ratio to mean anything."
        )
    return UtilityResult(
        table=table,
        target_column=target_column,
        task=task,
        primary_metric=primary,
        feature_columns=features,
        train_rows=len(real_y),
        synthetic_rows=len(synthetic_y),
        test_rows=len(test_y),
        models=models,
        train_real_test_real=trtr_mean,
        train_synthetic_test_real=tstr_mean,
        ratio=ratio,
        score=None if ratio is None else float(np.clip(ratio, 0.0, 1.0)),
    )


def _task_for(tables: TableSet, table: str, target: str) -> Task:
    sdtype = tables.sdtype(table, target)
    return Task.REGRESSION if sdtype in ("numerical", "datetime") else Task.CLASSIFICATION


def _primary_metric(task: Task) -> str:
    return "f1_macro" if task == Task.CLASSIFICATION else "r2"


def _xy(
    tables: TableSet, table: str, features: list[str], target: str, task: Task, seed: int
) -> tuple[pd.DataFrame, pd.Series]:
    frame = model_frame(tables.tables[table], tables, table, [*features, target])
    frame = frame[frame[target].notna()]
    if len(frame) > MAX_TRAINING_ROWS:
        frame = frame.sample(MAX_TRAINING_ROWS, random_state=seed)
    target_values = frame[target].astype(str) if task == Task.CLASSIFICATION else frame[target]
    return frame[features], target_values


def _model_families(task: Task, seed: int) -> list[tuple[str, BaseEstimator]]:
    if task == Task.CLASSIFICATION:
        return [
            ("logistic_regression", LogisticRegression(max_iter=2000)),
            ("random_forest", RandomForestClassifier(**_FOREST, random_state=seed)),
        ]
    return [
        ("ridge", Ridge(alpha=1.0)),
        ("random_forest", RandomForestRegressor(**_FOREST, random_state=seed)),
    ]


def _fit_and_score(
    estimator: BaseEstimator,
    numeric: list[str],
    categorical: list[str],
    x: pd.DataFrame,
    y: pd.Series,
    test_x: pd.DataFrame,
    test_y: pd.Series,
    task: Task,
) -> dict[str, float]:
    # Synthetic data can collapse a target to one class; a classifier cannot be fitted on it,
    # and predicting that class is exactly what such data teaches, so a constant model stands in.
    if task == Task.CLASSIFICATION and y.nunique() < 2:
        estimator = DummyClassifier(strategy="most_frequent")
    pipeline = Pipeline(
        [("prepare", model_preprocessor(numeric, categorical)), ("model", clone(estimator))]
    )
    pipeline.fit(x, y)
    predicted = pipeline.predict(test_x)
    if task == Task.CLASSIFICATION:
        return {
            "f1_macro": float(f1_score(test_y, predicted, average="macro", zero_division=0)),
            "accuracy": float(accuracy_score(test_y, predicted)),
            "balanced_accuracy": float(balanced_accuracy_score(test_y, predicted)),
        }
    return {
        "r2": float(r2_score(test_y, predicted)),
        "mean_absolute_error": float(mean_absolute_error(test_y, predicted)),
    }


def _ratio(synthetic_score: float, real_score: float) -> float | None:
    # A ratio against a real-data score at or below zero (R² of a target no model can predict)
    # has no meaning, so none is reported.
    if real_score <= 0:
        return None
    return synthetic_score / real_score
