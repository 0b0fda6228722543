"""A discrete Markov random field fitted to noisy marginals, as Private-PGM does (McKenna,
Sheldon and Miklau, "Graphical-model based estimation and inference for differential privacy",
ICML 2019), written on numpy for this environment.

- `junction_tree`: the measured cliques' attribute graph is made chordal (networkx's MCS-M
  completion); its maximal cliques, joined by a maximum spanning tree of their overlaps, form a
  junction tree.
- `beliefs`: sum-product belief propagation on that tree with log-potentials (one pass up, one
  down), giving each junction clique's marginal scaled to the row count.
- `estimate`: mirror descent on the log-potentials against the measurements' squared error,
  each measurement weighted by 1/sigma^2, with an adaptive step (halved when the loss rises).
- `CliqueModel.sample`: forward sampling down the junction tree, clique by clique.

Everything here is post-processing of DP measurements.
"""

from __future__ import annotations

import itertools
import math
import string
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass

import networkx as nx
import numpy as np
from scipy.special import logsumexp

Clique = tuple[int, ...]


@dataclass(frozen=True)
class JunctionTree:
    """Maximal cliques (sorted column indices), visited root first, each with its parent
    clique's index (-1 for the root)."""

    cliques: tuple[Clique, ...]
    order: tuple[int, ...]
    parents: tuple[int, ...]

    def cells(self, sizes: tuple[int, ...]) -> int:
        return sum(math.prod(sizes[c] for c in clique) for clique in self.cliques)

    def home(self, clique: Clique) -> int:
        """The index of a junction clique holding every column of `clique`."""
        wanted = set(clique)
        return next(i for i, held in enumerate(self.cliques) if wanted <= set(held))


def junction_tree(columns: int, measured: Iterable[Clique]) -> JunctionTree:
    """A junction tree whose cliques cover every measured clique (and every column)."""
    graph = nx.Graph()
    graph.add_nodes_from(range(columns))
    for clique in measured:
        graph.add_edges_from(itertools.combinations(clique, 2))
    chordal, _ = nx.complete_to_chordal_graph(graph)
    cliques = sorted(tuple(sorted(c)) for c in nx.chordal_graph_cliques(chordal))
    overlaps = nx.Graph()
    overlaps.add_nodes_from(range(len(cliques)))
    for i, j in itertools.combinations(range(len(cliques)), 2):
        overlaps.add_edge(i, j, weight=len(set(cliques[i]) & set(cliques[j])))
    tree = nx.maximum_spanning_tree(overlaps)
    parents = [-1] * len(cliques)
    order = [0]
    for parent, child in nx.bfs_edges(tree, 0):
        parents[child] = parent
        order.append(child)
    return JunctionTree(cliques=tuple(cliques), order=tuple(order), parents=tuple(parents))


def _expand(array: np.ndarray, part: Clique, whole: Clique) -> np.ndarray:
    """`array` over `part` (a sorted subset of `whole`) with size-1 axes for the rest."""
    shape = [array.shape[part.index(c)] if c in part else 1 for c in whole]
    return array.reshape(shape)


def _log_marginal(log_table: np.ndarray, whole: Clique, part: Clique) -> np.ndarray:
    axes = tuple(i for i, c in enumerate(whole) if c not in part)
    return np.asarray(logsumexp(log_table, axis=axes)) if axes else log_table


def _separator(tree: JunctionTree, child: int) -> Clique:
    parent = tree.cliques[tree.parents[child]]
    return tuple(c for c in tree.cliques[child] if c in parent)


def beliefs(tree: JunctionTree, theta: list[np.ndarray], total: float) -> list[np.ndarray]:
    """Each junction clique's marginal (counts summing to `total`) under log-potentials
    `theta`, by one upward and one downward pass of sum-product messages."""
    up: dict[int, np.ndarray] = {}
    gathered = [t.copy() for t in theta]
    for child in reversed(tree.order[1:]):
        parent = tree.parents[child]
        separator = _separator(tree, child)
        up[child] = _log_marginal(gathered[child], tree.cliques[child], separator)
        gathered[parent] = gathered[parent] + _expand(up[child], separator, tree.cliques[parent])
    for child in tree.order[1:]:
        parent = tree.parents[child]
        separator = _separator(tree, child)
        without_child = gathered[parent] - _expand(up[child], separator, tree.cliques[parent])
        down = _log_marginal(without_child, tree.cliques[parent], separator)
        gathered[child] = gathered[child] + _expand(down, separator, tree.cliques[child])
    return [total * np.exp(g - logsumexp(g)) for g in gathered]


def project(table: np.ndarray, whole: Clique, part: Clique) -> np.ndarray:
    """A marginal over `part` of a table over `whole` (both sorted)."""
    axes = tuple(i for i, c in enumerate(whole) if c not in part)
    return table.sum(axis=axes) if axes else table


@dataclass(frozen=True)
class Measurement:
    """A noisy marginal (counts) over `clique` (sorted) with its Gaussian noise's deviation."""

    clique: Clique
    noisy: np.ndarray
    sigma: float


@dataclass
class Estimate:
    """Log-potentials on a junction tree and the clique marginals they give."""

    tree: JunctionTree
    theta: list[np.ndarray]
    marginals: list[np.ndarray]
    total: float

    def marginal(self, clique: Clique) -> np.ndarray:
        """The model's marginal over any clique (counts): from a junction clique holding it, or
        by contracting the conditionals of the junction cliques on the path between its
        columns."""
        for held, table in zip(self.tree.cliques, self.marginals, strict=True):
            if set(clique) <= set(held):
                return project(table, held, clique)
        return self.total * _contract(self.tree, self.marginals, clique)


def _contract(tree: JunctionTree, marginals: list[np.ndarray], clique: Clique) -> np.ndarray:
    """P(clique) as one einsum over the smallest subtree whose cliques hold its columns: the
    subtree's top clique's distribution times each other clique's conditional given its
    separator."""
    homes = {next(i for i, held in enumerate(tree.cliques) if c in held) for c in clique}
    keep = _steiner(tree, homes)
    letters = {c: string.ascii_letters[i] for i, c in enumerate(sorted(_columns_of(tree, keep)))}
    operands: list[np.ndarray] = []
    subscripts: list[str] = []
    for index in keep:
        table = marginals[index] / marginals[index].sum()
        held = tree.cliques[index]
        if tree.parents[index] in keep:
            separator = _separator(tree, index)
            totals = _expand(project(table, held, separator), separator, held)
            table = np.divide(table, totals, out=np.zeros_like(table), where=totals > 0)
        operands.append(table)
        subscripts.append("".join(letters[c] for c in held))
    output = "".join(letters[c] for c in clique)
    expression = ",".join(subscripts) + "->" + output
    return np.einsum(expression, *operands, optimize="greedy")


def _columns_of(tree: JunctionTree, keep: set[int]) -> set[int]:
    return {c for index in keep for c in tree.cliques[index]}


def _steiner(tree: JunctionTree, homes: set[int]) -> set[int]:
    """The junction cliques on the tree paths between `homes`."""
    paths: list[set[int]] = []
    for home in homes:
        path, node = [home], home
        while tree.parents[node] != -1:
            node = tree.parents[node]
            path.append(node)
        paths.append(set(path))
    common = set.intersection(*paths)
    keep = set.union(*paths) - common
    # The deepest common ancestor joins the paths.
    keep.add(max(common, key=lambda index: tree.order.index(index)))
    return keep


def estimate(
    sizes: tuple[int, ...],
    measurements: list[Measurement],
    total: float,
    *,
    iterations: int,
    deadline: float,
    start: Estimate | None = None,
    on_iteration: Callable[[int], None] | None = None,
) -> Estimate:
    """Fit log-potentials on the measurements' junction tree so the model's marginals come
    close (in 1/sigma^2-weighted squared error) to the noisy ones, by mirror descent; warm
    started from `start`'s potentials where its cliques carry over. Stops after `iterations`
    steps or at `deadline` (time.perf_counter()), whichever is first."""
    earlier = list(start.tree.cliques) if start is not None else []
    # The earlier junction cliques join the graph, so each lies inside one of the new tree's.
    tree = junction_tree(len(sizes), [*earlier, *(m.clique for m in measurements)])
    theta = _initial_theta(tree, sizes, start)
    homes = [tree.home(m.clique) for m in measurements]
    weights = [1.0 / m.sigma**2 for m in measurements]
    step = 1.0 / (total * max(weights))
    loss, gradient, marginals = _evaluate(tree, theta, measurements, homes, weights, total)
    for iteration in range(iterations):
        if time.perf_counter() > deadline:
            break
        if on_iteration is not None:
            on_iteration(iteration)
        trial = [t - step * g for t, g in zip(theta, gradient, strict=True)]
        trial_loss, trial_gradient, trial_marginals = _evaluate(
            tree, trial, measurements, homes, weights, total
        )
        if trial_loss <= loss:
            theta, loss, gradient, marginals = trial, trial_loss, trial_gradient, trial_marginals
            step *= 1.5
        else:
            step *= 0.5
    return Estimate(tree=tree, theta=theta, marginals=marginals, total=total)


def _initial_theta(
    tree: JunctionTree, sizes: tuple[int, ...], start: Estimate | None
) -> list[np.ndarray]:
    """Zero potentials, plus each earlier junction clique's potential on the new clique that
    holds it (the same distribution)."""
    theta = [np.zeros([sizes[c] for c in clique]) for clique in tree.cliques]
    if start is None:
        return theta
    for clique, table in zip(start.tree.cliques, start.theta, strict=True):
        home = tree.home(clique)
        theta[home] = theta[home] + _expand(table, clique, tree.cliques[home])
    return theta


def _evaluate(
    tree: JunctionTree,
    theta: list[np.ndarray],
    measurements: list[Measurement],
    homes: list[int],
    weights: list[float],
    total: float,
) -> tuple[float, list[np.ndarray], list[np.ndarray]]:
    """The weighted squared error of the model's marginals, its gradient with respect to each
    junction clique's marginal (the mirror-descent direction for its log-potential), and the
    marginals."""
    marginals = beliefs(tree, theta, total)
    gradient = [np.zeros_like(t) for t in theta]
    loss = 0.0
    for measurement, home, weight in zip(measurements, homes, weights, strict=True):
        held = tree.cliques[home]
        difference = project(marginals[home], held, measurement.clique) - measurement.noisy
        loss += 0.5 * weight * float(np.square(difference).sum())
        gradient[home] = gradient[home] + weight * _expand(difference, measurement.clique, held)
    return loss, gradient, marginals


@dataclass
class CliqueModel:
    """A junction tree's clique distributions (probabilities), sampled clique by clique."""

    sizes: tuple[int, ...]
    tree: JunctionTree
    marginals: list[np.ndarray]

    def sample(self, rows: int, rng: np.random.Generator) -> np.ndarray:
        codes = np.zeros((rows, len(self.sizes)), dtype=np.int64)
        for index in self.tree.order:
            clique = self.tree.cliques[index]
            known = _separator(self.tree, index) if self.tree.parents[index] >= 0 else ()
            fresh = tuple(c for c in clique if c not in known)
            if fresh:
                _sample_fresh(codes, self.marginals[index], clique, known, fresh, rng)
        return codes


def _sample_fresh(
    codes: np.ndarray,
    table: np.ndarray,
    clique: Clique,
    known: Clique,
    fresh: Clique,
    rng: np.random.Generator,
) -> None:
    """Draw `fresh` columns of every row given its already drawn `known` columns: each row of
    the conditional table's CDF is offset by its index, so one searchsorted serves all rows (a
    known combination the model gives no mass is drawn uniformly)."""
    axes = [clique.index(c) for c in known + fresh]
    sizes = [table.shape[axis] for axis in axes]
    known_cells = math.prod(sizes[: len(known)])
    fresh_cells = math.prod(sizes[len(known) :])
    conditional = np.transpose(table, axes).reshape(known_cells, fresh_cells)
    row_totals = conditional.sum(axis=1, keepdims=True)
    conditional = np.where(row_totals > 0, conditional / np.where(row_totals > 0, row_totals, 1), 1)
    cumulative = np.cumsum(conditional, axis=1)
    cumulative = cumulative / cumulative[:, -1:]
    cumulative[:, -1] = 1.0
    offsets = (cumulative + np.arange(known_cells)[:, None]).ravel()
    if known:
        position = np.ravel_multi_index(tuple(codes[:, c] for c in known), sizes[: len(known)])
    else:
        position = np.zeros(len(codes), dtype=np.int64)
    draws = np.searchsorted(offsets, position + rng.uniform(0.0, 1.0, len(codes)), side="right")
    flat = np.clip(draws - position * fresh_cells, 0, fresh_cells - 1)
    for column, values in zip(fresh, np.unravel_index(flat, sizes[len(known) :]), strict=True):
        codes[:, column] = values
