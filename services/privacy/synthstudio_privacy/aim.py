"""AIM (McKenna, Mullins, Sheldon and Miklau, "AIM: An Adaptive and Iterative Mechanism for
Differentially Private Synthetic Data", VLDB 2022) on the discretisation MST uses.

1. Every 1-way marginal is measured with Gaussian noise; a graphical model (`pgm`) is fitted.
2. Rounds, until the budget is spent: the exponential mechanism picks a marginal from the
   candidates (every 2-way marginal, and every 3-way one when there are few enough, whose
   addition keeps the model's junction tree within `MAX_MODEL_CELLS`, growing with the budget
   spent), scored by how far the model's estimate is from the data, less the noise a
   measurement would add, weighted by its overlap with the workload; the marginal is measured
   with Gaussian noise and the model re-fitted. When the model's estimate of the chosen
   marginal moved less than the noise, the next rounds anneal: half the noise, twice the
   selection epsilon, four budget units a round. The last round takes what is left.
3. The model is sampled clique by clique down its junction tree.

Budget and events are `AimBudget`'s; noise comes from the caller's fresh OS-entropy generator.
"""

from __future__ import annotations

import itertools
import math
import time
from dataclasses import dataclass

import numpy as np

from synthstudio_libs.jobs.progress import Progress
from synthstudio_privacy.accounting import AimBudget
from synthstudio_privacy.marginals import marginal
from synthstudio_privacy.pgm import (
    Clique,
    CliqueModel,
    Estimate,
    Measurement,
    estimate,
    junction_tree,
)

# The largest junction tree (cells over all its cliques) the model may grow to.
MAX_MODEL_CELLS = 1_000_000
# 3-way marginals join the workload only up to this many (15 columns give 455).
MAX_TRIPLES = 500
# Mirror-descent steps after each measurement, and once at the end.
ROUND_ITERATIONS, FINAL_ITERATIONS = 50, 500
# When 80% of the time budget is gone, the next round takes the rest of the budget.
_LAST_ROUND_AT = 0.8
_EXPECTED_ABS_NORMAL = math.sqrt(2.0 / math.pi)


@dataclass(frozen=True)
class AimRound:
    """One round: the marginal chosen and the noise it was measured with."""

    clique: Clique
    sigma: float
    epsilon: float


@dataclass(frozen=True)
class AimFit:
    model: CliqueModel
    rounds: tuple[AimRound, ...]
    seconds: float


def workload(sizes: tuple[int, ...]) -> list[Clique]:
    """All pairs of columns, and all triples when there are at most MAX_TRIPLES."""
    columns = range(len(sizes))
    pairs = list(itertools.combinations(columns, 2))
    if math.comb(len(sizes), 3) > MAX_TRIPLES:
        return pairs
    return pairs + list(itertools.combinations(columns, 3))


def fit_aim(
    codes: np.ndarray,
    sizes: tuple[int, ...],
    budget: AimBudget,
    rng: np.random.Generator,
    progress: Progress,
    *,
    seconds: float,
) -> AimFit:
    """Run AIM on `codes` (one row per record: each marginal has L2 sensitivity 1) within about
    `seconds` (the last round then takes what is left of the budget)."""
    started = time.perf_counter()
    deadline = started + seconds
    total = float(codes.shape[0])
    queries = workload(sizes)
    weights = {c: sum(len(set(c) & set(q)) for q in queries) for c in queries}
    truth = {c: marginal(codes, c, sizes) for c in queries}
    measurements = [_measure(codes, (c,), sizes, budget.sigma, rng) for c in range(len(sizes))]
    model = estimate(
        sizes, measurements, total, iterations=FINAL_ITERATIONS, deadline=deadline, start=None
    )
    spent = len(sizes) / (2.0 * budget.sigma**2)
    units, rounds = 1.0, []
    progress.update(0.15, "measured the 1-way marginals", step=1)
    while budget.rho - spent > 1e-12 * budget.rho:
        remaining = budget.rho - spent
        if remaining < 2 * units * budget.unit_rho or _late(started, deadline):
            units = remaining / budget.unit_rho
        sigma = budget.sigma / math.sqrt(units)
        epsilon = budget.epsilon * math.sqrt(units)
        spent += units * budget.unit_rho
        allowed = _candidates(model, queries, sizes, spent / budget.rho)
        chosen = _select(model, allowed, truth, weights, sigma, epsilon, rng)
        before = model.marginal(chosen)
        measurements.append(_measure(codes, chosen, sizes, sigma, rng))
        model = estimate(
            sizes, measurements, total, iterations=ROUND_ITERATIONS, deadline=deadline, start=model
        )
        rounds.append(AimRound(clique=chosen, sigma=sigma, epsilon=epsilon))
        cells = before.size
        if np.abs(model.marginal(chosen) - before).sum() <= _EXPECTED_ABS_NORMAL * sigma * cells:
            units *= 4.0
        progress.update(
            0.15 + 0.7 * min(spent / budget.rho, 1.0),
            f"round {len(rounds)}: measured the marginal of columns {list(chosen)}",
            step=1 + len(rounds),
        )
    model = estimate(
        sizes,
        measurements,
        total,
        iterations=FINAL_ITERATIONS,
        deadline=max(deadline, time.perf_counter() + seconds / 10),
        start=model,
        on_iteration=lambda step: _report_fitting(progress, step),
    )
    progress.update(0.9, f"fitted the model to {len(measurements)} measurements")
    clique_model = CliqueModel(
        sizes=sizes, tree=model.tree, marginals=[m / m.sum() for m in model.marginals]
    )
    return AimFit(model=clique_model, rounds=tuple(rounds), seconds=time.perf_counter() - started)


def _report_fitting(progress: Progress, step: int) -> None:
    """Progress (and the chance to cancel) every 25 steps of the final fit."""
    if step % 25 == 0:
        progress.update(0.85, f"fitting the model: step {step} of {FINAL_ITERATIONS}")


def _late(started: float, deadline: float) -> bool:
    return time.perf_counter() - started > _LAST_ROUND_AT * (deadline - started)


def _measure(
    codes: np.ndarray,
    clique: Clique,
    sizes: tuple[int, ...],
    sigma: float,
    rng: np.random.Generator,
) -> Measurement:
    counts = marginal(codes, clique, sizes)
    return Measurement(clique, counts + rng.normal(0.0, sigma, counts.shape), sigma)


def _candidates(
    model: Estimate, queries: list[Clique], sizes: tuple[int, ...], spent_share: float
) -> list[Clique]:
    """The workload's marginals whose measurement keeps the junction tree within
    MAX_MODEL_CELLS x the share of the budget spent so far (AIM's size filter); the
    smallest marginal always qualifies."""
    measured = list(model.tree.cliques)
    limit = MAX_MODEL_CELLS * spent_share
    allowed = [
        q for q in queries if junction_tree(len(sizes), [*measured, q]).cells(sizes) <= limit
    ]
    return allowed or [min(queries, key=lambda q: math.prod(sizes[c] for c in q))]


def _select(
    model: Estimate,
    candidates: list[Clique],
    truth: dict[Clique, np.ndarray],
    weights: dict[Clique, int],
    sigma: float,
    epsilon: float,
    rng: np.random.Generator,
) -> Clique:
    """The exponential mechanism at `epsilon`: a candidate's score is its weight times (the L1
    error of the model's estimate minus the expected L1 norm of the measurement's noise); one
    row moves a score by at most its weight, so the sensitivity is the largest weight."""
    scores = np.array(
        [
            weights[c]
            * (
                np.abs(truth[c] - model.marginal(c)).sum()
                - _EXPECTED_ABS_NORMAL * sigma * truth[c].size
            )
            for c in candidates
        ]
    )
    sensitivity = max(weights[c] for c in candidates)
    logits = 0.5 * epsilon / sensitivity * (scores - scores.max())
    probabilities = np.exp(logits) / np.exp(logits).sum()
    return candidates[int(rng.choice(len(candidates), p=probabilities))]
