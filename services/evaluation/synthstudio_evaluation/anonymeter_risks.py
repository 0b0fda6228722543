"""Anonymeter 1.1's singling-out, linkability and inference attacks, with the real holdout as
the control set so each risk is the attacker's excess success on training rows."""

from __future__ import annotations

import warnings as python_warnings
from dataclasses import dataclass

import pandas as pd
from anonymeter.evaluators import InferenceEvaluator, LinkabilityEvaluator, SinglingOutEvaluator
from anonymeter.stats.confidence import EvaluationResults

from synthstudio_libs.errors import Warnings
from synthstudio_libs.jobs.progress import NullProgress, Progress

#: Singling-out query generation gives up after this many tries per requested attack.
QUERY_ATTEMPTS_PER_ATTACK = 100
MAX_SINGLING_OUT_COLUMNS = 3
_MISSING = "__missing__"


@dataclass(frozen=True)
class AttackRisk:
    """One anonymeter risk: the estimate in [0, 1], its confidence interval, and the success
    rates of the attack on training rows, of a random-guess baseline and on the control set."""

    attack: str
    risk: float
    ci_low: float
    ci_high: float
    attack_rate: float
    baseline_rate: float
    control_rate: float | None
    n_attacks: int
    description: str


def anonymeter_risks(
    train: pd.DataFrame,
    synthetic: pd.DataFrame,
    control: pd.DataFrame,
    categorical: list[str],
    secret_column: str,
    secret_is_numeric: bool,
    *,
    n_attacks: int,
    seed: int,
    confidence_level: float,
    warnings: Warnings,
    progress: Progress | None = None,
) -> list[AttackRisk]:
    """Run the three attacks on model frames (numbers as floats, categories as strings).

    Linkability and inference need two columns or more and are skipped with a warning otherwise.
    """
    progress = progress or NullProgress()
    train, synthetic, control = (
        _fill_categories(frame, categorical) for frame in (train, synthetic, control)
    )
    n_attacks = max(1, min(n_attacks, len(train), len(control)))
    columns = list(train.columns)
    risks = []
    progress.update(0.0, "Anonymeter: singling-out attack")
    risks.append(_singling_out(train, synthetic, control, n_attacks, seed, confidence_level))
    if len(columns) < 2:
        warnings.add("Linkability and inference risks need two columns or more; skipped.")
        return risks
    progress.update(1 / 3, "Anonymeter: linkability attack")
    risks.append(_linkability(train, synthetic, control, n_attacks, confidence_level))
    progress.update(2 / 3, "Anonymeter: inference attack")
    risks.append(
        _inference(
            train, synthetic, control, secret_column, secret_is_numeric, n_attacks, confidence_level
        )
    )
    return risks


def _singling_out(train, synthetic, control, n_attacks, seed, confidence_level) -> AttackRisk:
    n_cols = min(MAX_SINGLING_OUT_COLUMNS, train.shape[1])
    mode = "multivariate" if n_cols > 1 else "univariate"
    evaluator = SinglingOutEvaluator(
        ori=train,
        syn=synthetic,
        control=control,
        n_attacks=n_attacks,
        n_cols=n_cols,
        max_attempts=QUERY_ATTEMPTS_PER_ATTACK * n_attacks,
        seed=seed,
    )
    with python_warnings.catch_warnings():
        # Anonymeter warns when an attack does no better than its baseline; that is the good
        # outcome for a synthesizer and shows in the reported rates.
        python_warnings.simplefilter("ignore", UserWarning)
        results = evaluator.evaluate(mode=mode).results(confidence_level=confidence_level)
    return _risk("singling_out", results, n_attacks, f"{mode} queries on {n_cols} columns")


def _linkability(train, synthetic, control, n_attacks, confidence_level) -> AttackRisk:
    columns = list(train.columns)
    aux_cols = (columns[::2], columns[1::2])
    evaluator = LinkabilityEvaluator(
        ori=train, syn=synthetic, control=control, aux_cols=aux_cols, n_attacks=n_attacks
    )
    with python_warnings.catch_warnings():
        python_warnings.simplefilter("ignore", UserWarning)
        results = evaluator.evaluate(n_jobs=1).results(confidence_level=confidence_level)
    description = f"link {aux_cols[0]} to {aux_cols[1]}"
    return _risk("linkability", results, n_attacks, description)


def _inference(
    train, synthetic, control, secret, secret_is_numeric, n_attacks, confidence_level
) -> AttackRisk:
    aux_cols = [column for column in train.columns if column != secret]
    evaluator = InferenceEvaluator(
        ori=train,
        syn=synthetic,
        control=control,
        aux_cols=aux_cols,
        secret=secret,
        regression=secret_is_numeric,
        n_attacks=n_attacks,
    )
    with python_warnings.catch_warnings():
        python_warnings.simplefilter("ignore", UserWarning)
        results = evaluator.evaluate(n_jobs=1).results(confidence_level=confidence_level)
    return _risk("inference", results, n_attacks, f"infer '{secret}' from the other columns")


def _risk(attack: str, results: EvaluationResults, n_attacks: int, description: str) -> AttackRisk:
    risk = results.risk()
    return AttackRisk(
        attack=attack,
        risk=float(risk.value),
        ci_low=float(risk.ci[0]),
        ci_high=float(risk.ci[1]),
        attack_rate=float(results.attack_rate.value),
        baseline_rate=float(results.baseline_rate.value),
        control_rate=None if results.control_rate is None else float(results.control_rate.value),
        n_attacks=n_attacks,
        description=description,
    )


def _fill_categories(frame: pd.DataFrame, categorical: list[str]) -> pd.DataFrame:
    # Anonymeter label-encodes categories and cannot sort a NaN among strings.
    filled = frame.copy()
    for column in categorical:
        filled[column] = filled[column].fillna(_MISSING)
    return filled.reset_index(drop=True)
