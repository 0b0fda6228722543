"""A marginal-based DP synthesizer: MST (McKenna, Miklau and Sheldon, "Winning the NIST
Contest: A scalable and general approach to differentially private synthetic data", JPC 2021).

The table is discretised (continuous columns into equal-mass bins of their DP CDF, categorical
columns into their public or DP-released categories plus the protected "other" value), then:
1. every 1-way marginal is measured with Gaussian noise (a third of the zCDP budget rho);
2. a maximum spanning tree of 2-way marginals is chosen with the exponential mechanism, each
   edge weighted by how badly the independent model (built from step 1) misses that pair's
   marginal (a third of rho, split over the d - 1 choices);
3. the tree's 2-way marginals are measured with Gaussian noise (the last third of rho);
4. the model is the tree: each noisy marginal is projected onto the probability simplex (the
   least-squares non-negative fit), and rows are drawn by ancestral sampling down the tree.

Private-PGM's `mbi` 2.x would estimate a graphical model from the same measurements, but it
needs JAX >= 0.9 and so numpy >= 2, which this environment cannot take (anonymeter pins
numpy < 1.27). On a tree, that estimate and the one here agree up to how the overlapping noisy
1-way and 2-way marginals are reconciled. AIM (`aim`), on the same discretisation, estimates a
graphical model with our own junction-tree inference (`pgm`).

Everything after the measurements (projection, the tree model, sampling, decoding back to the
table's types) is post-processing of DP releases. Noise comes from fresh OS entropy; the user's
seed only drives sampling.
"""

from __future__ import annotations

import io
import itertools
import math
import time
from dataclasses import dataclass

import numpy as np
import pandas as pd
import torch

from synthstudio_libs.errors import InvalidInput
from synthstudio_libs.jobs.progress import Progress
from synthstudio_privacy.accounting import MstBudget
from synthstudio_privacy.encoding import (
    CategoricalTransform,
    ColumnTransform,
    TableEncoder,
)
from synthstudio_privacy.pgm import CliqueModel, JunctionTree

# Continuous columns are cut into equal-mass bins of their DP CDF, as many as the noise allows
# (`bins_for`) within these limits; an integer column with no more whole values than that gets
# one bin per value.
MIN_BINS, MAX_BINS = 4, 32
# A 2-way marginal of two binned columns should hold this many noise standard deviations per
# cell on average, or its cells drown in the noise.
_CELL_SIGNAL_TO_NOISE = 4.0
MODEL_FORMAT = "synthstudio.privacy.marginal_synthesizer"
MODEL_FORMAT_VERSION = 1
_SAMPLE_CHUNK_ROWS = 50_000
# Keeps sampled positions strictly inside their bin's share of the CDF.
_CDF_MARGIN = 1e-9


@dataclass(frozen=True)
class ColumnBins:
    """How one column is discretised: `size` codes in all (a nullable column's last code is
    "missing"). Continuous columns use `bins` equal-mass bins of the transform's CDF, or one
    code per whole number when `per_value`."""

    transform: ColumnTransform
    bins: int
    per_value: bool

    @property
    def size(self) -> int:
        missing = 1 if self.transform.nullable else 0
        if isinstance(self.transform, CategoricalTransform):
            return len(self.transform.categories) + missing
        return self.bins + missing

    @classmethod
    def of(cls, transform: ColumnTransform, bins: int) -> ColumnBins:
        if isinstance(transform, CategoricalTransform):
            return cls(transform, 0, False)
        values = transform.upper - transform.lower + 1
        if transform.integer and values <= bins:
            return cls(transform, int(values), True)
        return cls(transform, bins, False)

    def codes(self, series: pd.Series) -> np.ndarray:
        transform = self.transform
        if isinstance(transform, CategoricalTransform):
            return transform.codes(series)
        values = transform.numeric_values(series)
        missing = ~np.isfinite(values)
        values = np.clip(np.where(missing, transform.impute_value, values), *transform.bounds)
        if self.per_value:
            codes = np.rint(values - transform.lower).astype(np.int64)
        else:
            codes = np.floor(transform.cdf(values) * self.bins).astype(np.int64)
        codes = np.clip(codes, 0, self.bins - 1)
        if transform.nullable:
            codes = np.where(missing, self.bins, codes)
        return codes

    def decode(self, codes: np.ndarray, rng: np.random.Generator) -> pd.Series:
        transform = self.transform
        if isinstance(transform, CategoricalTransform):
            return transform.decode(codes)
        missing = codes == self.bins if transform.nullable else None
        inner = np.minimum(codes, self.bins - 1)
        if self.per_value:
            values = transform.lower + inner.astype(float)
        else:
            position = (inner + rng.uniform(_CDF_MARGIN, 1 - _CDF_MARGIN, len(codes))) / self.bins
            values = transform.inverse_cdf(position)
        return transform.from_values(values, missing)


def bins_for(rows: int, sigma: float) -> int:
    """How many bins continuous columns get: B such that a B x B marginal measured with noise
    `sigma` averages `_CELL_SIGNAL_TO_NOISE` noise deviations per cell (from public values
    only: the row count and the noise)."""
    bins = math.sqrt(rows / (_CELL_SIGNAL_TO_NOISE * sigma))
    return int(min(MAX_BINS, max(MIN_BINS, round(bins))))


@dataclass
class TreeModel:
    """A tree-structured distribution over the discretised columns: the root's marginal and,
    for every other column in `order`, its conditional distribution given its parent."""

    sizes: tuple[int, ...]
    order: tuple[int, ...]
    parents: tuple[int, ...]
    root_marginal: np.ndarray
    conditionals: dict[int, np.ndarray]

    def sample(self, rows: int, rng: np.random.Generator) -> np.ndarray:
        codes = np.zeros((rows, len(self.sizes)), dtype=np.int64)
        root = self.order[0]
        codes[:, root] = _draw(np.cumsum(self.root_marginal)[None, :], rng, rows)
        for column in self.order[1:]:
            parent = self.parents[column]
            cumulative = np.cumsum(self.conditionals[column], axis=1)
            codes[:, column] = _draw(cumulative[codes[:, parent]], rng, rows)
        return codes


def _draw(cumulative: np.ndarray, rng: np.random.Generator, rows: int) -> np.ndarray:
    """One index per row from its row of cumulative probabilities (broadcast if one row)."""
    uniform = rng.uniform(0.0, 1.0, rows)[:, None]
    cumulative = np.broadcast_to(cumulative, (rows, cumulative.shape[1]))
    picks = (cumulative < uniform * cumulative[:, -1:]).sum(axis=1)
    return np.minimum(picks, cumulative.shape[1] - 1)


def project_to_simplex(noisy: np.ndarray) -> np.ndarray:
    """The probability vector nearest (in L2) to `noisy / max(sum, 1)`: noisy counts scaled to
    proportions, shifted by one constant and clipped at zero (Duchi et al., 2008). Unlike
    clipping alone, it does not turn the noise of empty cells into mass."""
    flat = noisy.ravel().astype(float)
    target = flat / max(flat.sum(), 1.0)
    ordered = np.sort(target)[::-1]
    cumulative = np.cumsum(ordered) - 1.0
    ranks = np.arange(1, len(ordered) + 1)
    last = np.nonzero(ordered - cumulative / ranks > 0)[0][-1]
    shift = cumulative[last] / (last + 1)
    return np.maximum(target - shift, 0.0).reshape(noisy.shape)


def marginal(codes: np.ndarray, columns: tuple[int, ...], sizes: tuple[int, ...]) -> np.ndarray:
    """Counts of each combination of `columns`' codes, shaped by their sizes."""
    shape = tuple(sizes[c] for c in columns)
    flat = np.ravel_multi_index(tuple(codes[:, c] for c in columns), shape)
    return np.bincount(flat, minlength=math.prod(shape)).reshape(shape).astype(float)


class _DisjointSets:
    def __init__(self, size: int) -> None:
        self.parent = list(range(size))

    def find(self, item: int) -> int:
        while self.parent[item] != item:
            self.parent[item] = self.parent[self.parent[item]]
            item = self.parent[item]
        return item

    def union(self, first: int, second: int) -> None:
        self.parent[self.find(first)] = self.find(second)


@dataclass(frozen=True)
class MstFit:
    """The fitted tree and what fitting did (for the job's progress and the model's summary)."""

    model: TreeModel
    edges: tuple[tuple[int, int], ...]
    seconds: float


def fit_mst(
    codes: np.ndarray,
    sizes: tuple[int, ...],
    budget: MstBudget,
    rng: np.random.Generator,
    progress: Progress,
) -> MstFit:
    """Measure, select and estimate as the module's docstring says. `codes` holds one row per
    record (each row contributes once to every marginal, so each has L1 and L2 sensitivity 1)."""
    started = time.perf_counter()
    columns = len(sizes)
    one_way = [
        marginal(codes, (c,), sizes) + rng.normal(0.0, budget.one_way_sigma, sizes[c])
        for c in range(columns)
    ]
    one_way_estimates = [project_to_simplex(noisy) for noisy in one_way]
    rows = codes.shape[0]
    progress.update(0.2, "measured the 1-way marginals", step=1)
    edges = _select_tree(codes, sizes, one_way_estimates, rows, budget, rng, progress)
    two_way = {
        edge: project_to_simplex(
            marginal(codes, edge, sizes)
            + rng.normal(0.0, budget.two_way_sigma, (sizes[edge[0]], sizes[edge[1]]))
        )
        for edge in edges
    }
    progress.update(0.9, "measured the tree's 2-way marginals", step=3)
    model = _tree_model(sizes, one_way_estimates, two_way)
    return MstFit(model=model, edges=tuple(edges), seconds=time.perf_counter() - started)


def _select_tree(
    codes: np.ndarray,
    sizes: tuple[int, ...],
    one_way: list[np.ndarray],
    rows: int,
    budget: MstBudget,
    rng: np.random.Generator,
    progress: Progress,
) -> list[tuple[int, int]]:
    """A maximum spanning tree (Kruskal) over noisy pair scores. A pair's score is the L1
    distance (in rows) between its true 2-way marginal and the product of the two noisy 1-way
    estimates: one row moves each score by at most 1, so all scores together are one Gaussian
    release of L2 sensitivity sqrt(pairs). MST's paper draws each edge with the exponential
    mechanism instead; one Gaussian release lets both of dp-accounting's accountants (PLD and
    RDP) account for it exactly, and the tree is then post-processing."""
    candidates = list(itertools.combinations(range(len(sizes)), 2))
    scores = np.array(
        [
            _l1_distance(marginal(codes, (a, b), sizes), rows * np.outer(one_way[a], one_way[b]))
            for a, b in candidates
        ]
    )
    noisy = scores + rng.normal(0.0, budget.score_sigma, len(scores))
    sets = _DisjointSets(len(sizes))
    chosen: list[tuple[int, int]] = []
    for index in np.argsort(-noisy, kind="stable"):
        a, b = candidates[index]
        if sets.find(a) != sets.find(b):
            sets.union(a, b)
            chosen.append((a, b))
    progress.update(0.6, "chose the tree of 2-way marginals", step=2)
    return chosen


def _l1_distance(first: np.ndarray, second: np.ndarray) -> float:
    return float(np.abs(first - second).sum())


def _tree_model(
    sizes: tuple[int, ...],
    one_way: list[np.ndarray],
    two_way: dict[tuple[int, int], np.ndarray],
) -> TreeModel:
    """Root the tree at column 0 and turn each edge's joint into the child's conditional given
    its parent (a parent value the joint gives no mass falls back to the child's marginal)."""
    neighbours: dict[int, list[int]] = {c: [] for c in range(len(sizes))}
    for a, b in two_way:
        neighbours[a].append(b)
        neighbours[b].append(a)
    order, parents = [0], [-1] * len(sizes)
    seen = {0}
    for column in order:
        for child in sorted(neighbours[column]):
            if child not in seen:
                seen.add(child)
                parents[child] = column
                order.append(child)
    conditionals: dict[int, np.ndarray] = {}
    for child in order[1:]:
        parent = parents[child]
        joint = (
            two_way[(parent, child)] if (parent, child) in two_way else two_way[(child, parent)].T
        )
        totals = joint.sum(axis=1, keepdims=True)
        conditionals[child] = np.where(
            totals > 0, joint / np.where(totals > 0, totals, 1.0), one_way[child][None, :]
        )
    return TreeModel(
        sizes=sizes,
        order=tuple(order),
        parents=tuple(parents),
        root_marginal=one_way[0],
        conditionals=conditionals,
    )


@dataclass
class MarginalModel:
    """The discretisation and the model (MST's tree or AIM's junction tree), as sampled and
    saved."""

    encoder: TableEncoder
    max_bins: int
    tree: TreeModel | CliqueModel

    @property
    def bins(self) -> list[ColumnBins]:
        return column_bins(self.encoder, self.max_bins)

    def sample(self, num_rows: int, rng: np.random.Generator) -> pd.DataFrame:
        bins = self.bins
        chunks = []
        for start in range(0, num_rows, _SAMPLE_CHUNK_ROWS):
            codes = self.tree.sample(min(_SAMPLE_CHUNK_ROWS, num_rows - start), rng)
            chunks.append(
                pd.DataFrame(
                    {
                        column.transform.column: column.decode(codes[:, index], rng)
                        for index, column in enumerate(bins)
                    }
                )
            )
        return pd.concat(chunks, ignore_index=True)

    def state(self) -> dict:
        """Tensors and plain values only (loadable with torch's `weights_only`)."""
        common = {
            "format": MODEL_FORMAT,
            "version": MODEL_FORMAT_VERSION,
            "encoder": self.encoder.to_dict(),
            "max_bins": self.max_bins,
            "sizes": list(self.tree.sizes),
        }
        if isinstance(self.tree, CliqueModel):
            junction = self.tree.tree
            return common | {
                "cliques": [list(clique) for clique in junction.cliques],
                "clique_order": list(junction.order),
                "clique_parents": list(junction.parents),
                "clique_marginals": [torch.from_numpy(m) for m in self.tree.marginals],
            }
        return common | {
            "order": list(self.tree.order),
            "parents": list(self.tree.parents),
            "root_marginal": torch.from_numpy(self.tree.root_marginal),
            "conditionals": {
                str(column): torch.from_numpy(table)
                for column, table in self.tree.conditionals.items()
            },
        }

    @classmethod
    def from_state(cls, state: dict) -> MarginalModel:
        if state.get("format") != MODEL_FORMAT or state.get("version") != MODEL_FORMAT_VERSION:
            raise InvalidInput("The model bytes are not a saved marginal model.", field="model")
        sizes = tuple(int(s) for s in state["sizes"])
        tree: TreeModel | CliqueModel
        if "cliques" in state:
            junction = JunctionTree(
                cliques=tuple(tuple(int(c) for c in clique) for clique in state["cliques"]),
                order=tuple(int(i) for i in state["clique_order"]),
                parents=tuple(int(i) for i in state["clique_parents"]),
            )
            marginals = [m.numpy() for m in state["clique_marginals"]]
            tree = CliqueModel(sizes=sizes, tree=junction, marginals=marginals)
        else:
            tree = cls._tree_from_state(state, sizes)
        return cls(
            encoder=TableEncoder.from_dict(state["encoder"]),
            max_bins=int(state["max_bins"]),
            tree=tree,
        )

    @staticmethod
    def _tree_from_state(state: dict, sizes: tuple[int, ...]) -> TreeModel:
        return TreeModel(
            sizes=sizes,
            order=tuple(int(c) for c in state["order"]),
            parents=tuple(int(p) for p in state["parents"]),
            root_marginal=state["root_marginal"].numpy(),
            conditionals={int(c): t.numpy() for c, t in state["conditionals"].items()},
        )


def column_bins(encoder: TableEncoder, max_bins: int) -> list[ColumnBins]:
    return [ColumnBins.of(transform, max_bins) for transform in encoder.transforms]


def discretise(
    encoder: TableEncoder, frame: pd.DataFrame, max_bins: int
) -> tuple[np.ndarray, tuple[int, ...]]:
    """Each column's codes (one row per record) and the number of codes per column."""
    bins = column_bins(encoder, max_bins)
    codes = np.column_stack([column.codes(frame[column.transform.column]) for column in bins])
    return codes, tuple(column.size for column in bins)


def to_bytes(state: dict) -> bytes:
    buffer = io.BytesIO()
    torch.save(state, buffer)
    return buffer.getvalue()
