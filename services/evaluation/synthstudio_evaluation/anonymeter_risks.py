"""Anonymeter 1.1's singling-out, linkability and inference attacks, with the real holdout as
the control set so each risk is the attacker's excess success on training rows.

One anonymeter run swings widely with the rows it happens to draw (0.22 to 0.00 seen on one
table), so each attack runs `repeats` times, each against a fresh control sample of the
holdout, with as many attacks as the rows allow (1,000 by default). The
reported risk is the mean over the repeats and its interval spans every repeat's interval: the
upper bound is what a release decision should read.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from anonymeter.evaluators import InferenceEvaluator, LinkabilityEvaluator, SinglingOutEvaluator
from anonymeter.stats.confidence import EvaluationResults

from synthstudio_evaluation.raised_warnings import captured_warnings
from synthstudio_libs.errors import Warnings
from synthstudio_libs.jobs.progress import NullProgress, Progress

#: Singling-out query generation gives up after this many tries per requested attack.
QUERY_ATTEMPTS_PER_ATTACK = 100
MAX_SINGLING_OUT_COLUMNS = 3
#: Training and synthetic rows the attacks work on at most (a bound on time and memory).
MAX_ROWS = 50_000
#: Each repeat's control sample takes at most this share of the holdout, so that repeats see
#: different control rows even on a small holdout.
CONTROL_SHARE = 0.8
_MISSING = "__missing__"
_LOGGERS = ("anonymeter",)


@dataclass(frozen=True)
class AttackRisk:
    """One anonymeter risk over its repeats: the mean estimate in [0, 1], an interval spanning
    every repeat's confidence interval, each repeat's estimate, and the mean success rates of
    the attack on training rows, of a random-guess baseline and on the control set. `target` is
    the secret column of an inference attack."""

    attack: str
    risk: float
    ci_low: float
    ci_high: float
    attack_rate: float
    baseline_rate: float
    control_rate: float | None
    n_attacks: int
    description: str
    target: str = ""
    repeats: int = 1
    repeat_risks: list[float] = field(default_factory=list)


@dataclass(frozen=True)
class AttackPlan:
    """What to run: attacks per repeat, repeats, at most `rows` holdout rows in each repeat's
    control sample, inference secrets (column -> is numeric)."""

    n_attacks: int
    repeats: int
    rows: int
    secrets: dict[str, bool]
    seed: int
    confidence_level: float


def anonymeter_risks(
    train: pd.DataFrame,
    synthetic: pd.DataFrame,
    control: pd.DataFrame,
    categorical: list[str],
    plan: AttackPlan,
    *,
    warnings: Warnings,
    progress: Progress | None = None,
) -> list[AttackRisk]:
    """Run the attacks on model frames (numbers as floats, categories as strings).

    Linkability and inference need two columns or more and are skipped with a warning otherwise.
    Fewer attacks than asked for (small tables) is said in `warnings`.
    """
    progress = progress or NullProgress()
    train, synthetic, control = (
        _fill_categories(frame, categorical) for frame in (train, synthetic, control)
    )
    control_rows = int(len(control) * CONTROL_SHARE) if plan.repeats > 1 else len(control)
    control_rows = max(1, min(control_rows, plan.rows))
    n_attacks = max(1, min(plan.n_attacks, control_rows, len(train)))
    if n_attacks < plan.n_attacks:
        warnings.add(
            f"anonymeter: {n_attacks} attacks per repeat instead of {plan.n_attacks}: the "
            f"training part has {len(train)} rows and each control sample {control_rows}, so "
            "the intervals are wider."
        )
    # The attacks target the training rows themselves and search the whole synthetic table:
    # a sample of either would hide the very records a synthesizer copied.
    train, synthetic = _sample(train, MAX_ROWS, plan.seed), _sample(synthetic, MAX_ROWS, plan.seed)
    two_columns = train.shape[1] >= 2
    if not two_columns:
        warnings.add("anonymeter: linkability and inference need two columns or more; skipped.")
    runs = ["singling_out"]
    if two_columns:
        runs += ["linkability", *(f"inference:{secret}" for secret in plan.secrets)]
    results: dict[str, list[EvaluationResults]] = {run: [] for run in runs}
    total = len(runs) * plan.repeats
    with captured_warnings(warnings, "anonymeter", _LOGGERS):
        for repeat in range(plan.repeats):
            seed = plan.seed + repeat
            held = _sample(control, control_rows, seed)
            for index, run in enumerate(runs):
                done = (repeat * len(runs) + index) / total
                label = run.replace("singling_out", "singling-out").replace(":", " of ")
                progress.update(
                    done, f"Anonymeter repeat {repeat + 1}/{plan.repeats}: {label} attack"
                )
                attack = _evaluate(run, train, synthetic, held, n_attacks, seed, plan)
                results[run].append(attack.results(confidence_level=plan.confidence_level))
    return [_combine(run, found, n_attacks, train.columns) for run, found in results.items()]


def _evaluate(run, ori, syn, control, n_attacks, seed, plan: AttackPlan):
    if run == "singling_out":
        n_cols = min(MAX_SINGLING_OUT_COLUMNS, ori.shape[1])
        evaluator = SinglingOutEvaluator(
            ori=ori,
            syn=syn,
            control=control,
            n_attacks=n_attacks,
            n_cols=n_cols,
            max_attempts=QUERY_ATTEMPTS_PER_ATTACK * n_attacks,
            seed=seed,
        )
        return evaluator.evaluate(mode="multivariate" if n_cols > 1 else "univariate")
    if run == "linkability":
        columns = list(ori.columns)
        evaluator = LinkabilityEvaluator(
            ori=ori,
            syn=syn,
            control=control,
            aux_cols=(columns[::2], columns[1::2]),
            n_attacks=n_attacks,
        )
        return evaluator.evaluate(n_jobs=1)
    secret = run.split(":", 1)[1]
    evaluator = InferenceEvaluator(
        ori=ori,
        syn=syn,
        control=control,
        aux_cols=[column for column in ori.columns if column != secret],
        secret=secret,
        regression=plan.secrets[secret],
        n_attacks=n_attacks,
    )
    return evaluator.evaluate(n_jobs=1)


def _combine(
    run: str, found: list[EvaluationResults], n_attacks: int, columns: pd.Index
) -> AttackRisk:
    risks = [results.risk() for results in found]
    attack, _, target = run.partition(":")
    controls = [r.control_rate.value for r in found if r.control_rate is not None]
    return AttackRisk(
        attack=attack,
        risk=float(np.mean([risk.value for risk in risks])),
        ci_low=float(min(risk.ci[0] for risk in risks)),
        ci_high=float(max(risk.ci[1] for risk in risks)),
        attack_rate=float(np.mean([r.attack_rate.value for r in found])),
        baseline_rate=float(np.mean([r.baseline_rate.value for r in found])),
        control_rate=float(np.mean(controls)) if controls else None,
        n_attacks=n_attacks,
        description=_description(attack, target, list(columns)),
        target=target,
        repeats=len(found),
        repeat_risks=[float(risk.value) for risk in risks],
    )


def _description(attack: str, target: str, columns: list[str]) -> str:
    if attack == "singling_out":
        n_cols = min(MAX_SINGLING_OUT_COLUMNS, len(columns))
        mode = "multivariate" if n_cols > 1 else "univariate"
        return f"{mode} queries on {n_cols} columns"
    if attack == "linkability":
        return f"link {columns[::2]} to {columns[1::2]}"
    return f"infer '{target}' from the other columns"


def _sample(frame: pd.DataFrame, rows: int, seed: int) -> pd.DataFrame:
    if len(frame) <= rows:
        return frame
    return frame.sample(rows, random_state=seed).reset_index(drop=True)


def _fill_categories(frame: pd.DataFrame, categorical: list[str]) -> pd.DataFrame:
    # Anonymeter label-encodes categories and cannot sort a NaN among strings.
    filled = frame.copy()
    for column in categorical:
        filled[column] = filled[column].fillna(_MISSING)
    return filled.reset_index(drop=True)
