"""Membership inference: can an attacker holding the synthetic data tell training rows from
other real rows?

Two attacks, each scored on as many training rows (members) as held-out rows (non-members):

- distance: a real record with a close synthetic neighbour is guessed a member. It catches copies
  and near-copies of training rows.
- density ratio, in the spirit of DOMIAS (van Breugel et al., AISTATS 2023): a record where the
  synthetic data is denser than the real population is guessed a member, p_syn(x) / p_ref(x).
  It catches over-fitting around rare records that a distance threshold misses. The reference
  population is a second, disjoint part of the holdout, so the non-members scored are not the
  rows the reference density was fitted on. Densities are Gaussian kernel estimates in a few
  principal components of the Gower encoding (one-hot categories, scaled numbers).

Each attack reports its ROC AUC (0.5 = guessing) with a bootstrap interval, and its true-positive
rate at a 1% false-positive rate: what an attacker who can afford few false accusations gets.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from sklearn.decomposition import PCA
from sklearn.metrics import roc_auc_score, roc_curve
from sklearn.neighbors import KernelDensity, NearestNeighbors
from sklearn.preprocessing import StandardScaler

from synthstudio_evaluation.intervals import Interval, bootstrap_interval

#: The false-positive rate at which the true-positive rate is reported.
LOW_FPR = 0.01
#: Principal components the densities are estimated in: kernel estimates degrade fast with
#: dimensions, and a few components carry most of the variance of these encodings.
DENSITY_COMPONENTS = 8


@dataclass(frozen=True)
class MembershipAttack:
    """One attack's success: ROC AUC with its interval and TPR at `LOW_FPR`."""

    name: str
    auc: float
    auc_low: float
    auc_high: float
    tpr_at_low_fpr: float
    members: int
    non_members: int
    description: str


def membership_attacks(
    members: np.ndarray,
    non_members: np.ndarray,
    reference: np.ndarray,
    synthetic: np.ndarray,
    *,
    level: float,
    seed: int,
) -> list[MembershipAttack]:
    """Run both attacks on encoded rows (`members` from training, `non_members` and `reference`
    from two disjoint parts of the holdout)."""
    labels = np.r_[np.ones(len(members)), np.zeros(len(non_members))]
    queries = np.vstack([members, non_members])
    nearest = NearestNeighbors(n_neighbors=1, metric="manhattan", algorithm="ball_tree")
    distance_scores = -nearest.fit(synthetic).kneighbors(queries)[0][:, 0]
    density_scores = _density_ratio(queries, reference, synthetic, seed)
    return [
        _attack(
            "distance",
            labels,
            distance_scores,
            level,
            seed,
            "a real record with a closer synthetic neighbour is guessed a training record",
        ),
        _attack(
            "density_ratio",
            labels,
            density_scores,
            level,
            seed,
            "a real record where the synthetic data is denser than the holdout population "
            "(DOMIAS-style kernel density ratio) is guessed a training record",
        ),
    ]


def _density_ratio(
    queries: np.ndarray, reference: np.ndarray, synthetic: np.ndarray, seed: int
) -> np.ndarray:
    scaler = StandardScaler().fit(np.vstack([reference, synthetic]))
    components = min(DENSITY_COMPONENTS, queries.shape[1], len(reference) - 1)
    projection = PCA(n_components=components, random_state=seed).fit(
        scaler.transform(np.vstack([reference, synthetic]))
    )

    def project(rows: np.ndarray) -> np.ndarray:
        return projection.transform(scaler.transform(rows))

    projected = project(queries)
    synthetic_density = KernelDensity(bandwidth="scott").fit(project(synthetic))
    reference_density = KernelDensity(bandwidth="scott").fit(project(reference))
    return synthetic_density.score_samples(projected) - reference_density.score_samples(projected)


def _attack(
    name: str, labels: np.ndarray, scores: np.ndarray, level: float, seed: int, description: str
) -> MembershipAttack:
    def auc(indices: np.ndarray) -> float:
        chosen = labels[indices]
        if chosen.min() == chosen.max():
            return 0.5
        return float(roc_auc_score(chosen, scores[indices]))

    interval: Interval = bootstrap_interval(auc, len(labels), level=level, seed=seed)
    false_positive, true_positive, _ = roc_curve(labels, scores)
    return MembershipAttack(
        name=name,
        auc=interval.value,
        auc_low=interval.low,
        auc_high=interval.high,
        tpr_at_low_fpr=float(true_positive[false_positive <= LOW_FPR].max()),
        members=int(labels.sum()),
        non_members=int(len(labels) - labels.sum()),
        description=description,
    )
