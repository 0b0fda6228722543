"""Privacy risk: does the synthetic data give away the rows it was trained on?

Every distance here is Gower's distance over the feature columns (numbers scaled to the
training range, categories equal or not), so 0 means identical and 1 different in every column.
The holdout (real rows the synthesizer never saw) is the yardstick: a synthesizer that learned
the distribution rather than the rows makes synthetic records no closer to the training rows
than fresh real records are. Distances alone miss leaks ("The DCR Delusion", 2025), so attacks
with intervals stand beside them.

- DCR share: fraction of synthetic records closer to a training record than to a holdout
  record, weighed for the two sets' sizes, with a bootstrap interval; 0.5 is ideal, 1.0 means
  every record sits on a training row, and well under 0.5 means the synthesizer saw the holdout.
- Identical-match share (`exact_copy_rate`): synthetic records identical to a training row,
  against the share of holdout rows that equal one by chance (coarse data has duplicates).
- DCR and NNDR distributions (closest / second-closest training distance; near 0 means a
  record sits on one training row rather than among several), synthetic beside holdout.
- Membership inference: a distance attack and a DOMIAS-style density-ratio attack (see
  `membership`), as ROC AUC with an interval and TPR at 1% FPR.
- Anonymeter's singling-out, linkability and inference risks, repeated on fresh samples, with
  the holdout as control (see `anonymeter_risks`).

Without a holdout the synthesizer did not see (it trained on the full dataset), none of these
figures has a reference; the `holdout_reference` check fails and says so.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

import numpy as np
import pandas as pd
from sklearn.neighbors import NearestNeighbors

from synthstudio_evaluation.anonymeter_risks import AttackPlan, AttackRisk, anonymeter_risks
from synthstudio_evaluation.encoding import (
    distance_preprocessor,
    model_frame,
    split_by_kind,
)
from synthstudio_evaluation.intervals import bootstrap_interval
from synthstudio_evaluation.membership import MembershipAttack, membership_attacks
from synthstudio_evaluation.progress_scope import ScaledProgress
from synthstudio_evaluation.tables import TableSet
from synthstudio_evaluation.validation import check_column, check_table_name
from synthstudio_libs.errors import InvalidInput, Warnings
from synthstudio_libs.jobs.progress import NullProgress, Progress

#: Limits above which a check fails (see `PrivacyCheck`).
DCR_SHARE_LIMIT = 0.6
#: Share of synthetic records closer to the holdout than to training above which the
#: synthesizer looks to have seen the holdout.
HOLDOUT_PROXIMITY_LIMIT = 0.6
MEMBERSHIP_AUC_LIMIT = 0.6
EXACT_COPY_EXCESS_LIMIT = 0.01
ANONYMETER_RISK_LIMIT = 0.2
#: Training rows searched for nearest neighbours, as a multiple of the compared rows.
REFERENCE_ROWS_FACTOR = 10
#: Inference attacks run on at most this many secret columns.
MAX_INFERENCE_TARGETS = 3
QUANTILE_LEVELS = tuple(round(level, 2) for level in np.linspace(0.0, 1.0, 21))


class TrainingData(StrEnum):
    """What the synthesizer trained on, as far as the evaluation knows."""

    TRAIN_PART = "train_part"
    FULL_DATASET = "full_dataset"
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class DistanceSummary:
    """A distance distribution: mean, median, 5th percentile and quantiles at
    `QUANTILE_LEVELS` (0, 0.05, …, 1)."""

    mean: float
    median: float
    p05: float
    quantiles: list[float]


@dataclass(frozen=True)
class PrivacyCheck:
    """One pass/fail verdict: `value` against `limit` (fails when value > limit), with the
    value's confidence interval where it has one."""

    name: str
    value: float
    limit: float
    passed: bool
    explanation: str
    ci_low: float | None = None
    ci_high: float | None = None


@dataclass(frozen=True)
class PrivacyResult:
    """Distance-based and attack-based privacy risks of one table. `score` in [0, 1] is higher
    for safer data; `passed` is true when every check passes."""

    table: str
    feature_columns: list[str]
    compared_rows: int
    dcr_synthetic_to_train: DistanceSummary
    dcr_holdout_to_train: DistanceSummary
    nndr_synthetic_median: float
    nndr_holdout_median: float
    dcr_share: float
    exact_copy_rate: float
    holdout_exact_copy_rate: float
    membership_inference_auc: float
    attacks: list[AttackRisk]
    checks: list[PrivacyCheck]
    passed: bool
    score: float
    dcr_share_ci_low: float = 0.0
    dcr_share_ci_high: float = 1.0
    confidence_level: float = 0.95
    membership_attacks: list[MembershipAttack] = field(default_factory=list)
    inference_targets: list[str] = field(default_factory=list)
    training_data: str = TrainingData.UNKNOWN.value


def evaluate_privacy(
    train: TableSet,
    holdout: TableSet,
    synthetic: TableSet,
    table: str,
    *,
    secret_columns: list[str] | None = None,
    training_data: TrainingData = TrainingData.UNKNOWN,
    n_attacks: int = 1000,
    repeats: int = 3,
    max_rows: int = 2000,
    seed: int = 0,
    confidence_level: float = 0.95,
    warnings: Warnings | None = None,
    progress: Progress | None = None,
) -> PrivacyResult:
    """Measure the privacy risks of `synthetic` for `table`.

    At most `max_rows` synthetic and holdout records are compared (sampled with `seed`).
    `secret_columns` are what anonymeter's inference attacker guesses, one attack each (default:
    the last feature). Raises InvalidInput when the table is unknown, has no feature column to
    compare, or a secret column is not one of its feature columns.
    """
    check_table_name(train, table, "table_name")
    progress = progress or NullProgress()
    warnings = warnings if warnings is not None else Warnings()
    features = train.feature_columns(table)
    if not features:
        raise InvalidInput(
            f"Table '{table}' has no numerical, categorical, boolean or datetime column to "
            "compare records on.",
            field="table_name",
            reason="NO_FEATURES",
            metadata={"table": table},
        )
    secrets = list(dict.fromkeys(secret_columns or [features[-1]]))
    for secret in secrets:
        check_column(train, table, secret, "sensitive_columns")
    if len(secrets) > MAX_INFERENCE_TARGETS:
        warnings.add(
            f"Inference attacks ran on {secrets[:MAX_INFERENCE_TARGETS]} only; "
            f"{secrets[MAX_INFERENCE_TARGETS:]} were not attacked (at most "
            f"{MAX_INFERENCE_TARGETS} secrets per report)."
        )
        secrets = secrets[:MAX_INFERENCE_TARGETS]
    frames = {
        role: model_frame(tables.tables[table], train, table, features)
        for role, tables in (("train", train), ("holdout", holdout), ("synthetic", synthetic))
    }
    progress.update(0.0, "Counting exact copies of training rows")
    copy_rate, holdout_copy_rate = _exact_copy_rates(frames)
    progress.update(0.05, "Measuring distances to the closest training records")
    distances = _distances(frames, train, table, features, max_rows, seed, confidence_level)
    progress.update(0.2, "Running anonymeter's attacks")
    numeric, categorical = split_by_kind(train, table, features)
    plan = AttackPlan(
        n_attacks=n_attacks,
        repeats=repeats,
        rows=max_rows,
        secrets={secret: secret in numeric for secret in secrets},
        seed=seed,
        confidence_level=confidence_level,
    )
    attacks = anonymeter_risks(
        frames["train"],
        frames["synthetic"],
        frames["holdout"],
        categorical,
        plan,
        warnings=warnings,
        progress=ScaledProgress(progress, 0.2, 1.0),
    )
    if training_data is TrainingData.FULL_DATASET:
        warnings.add(
            "The synthesizer trained on the full dataset, holdout included: the privacy "
            "figures have no holdout reference and cannot show that training rows are safe."
        )
    elif training_data is TrainingData.UNKNOWN:
        warnings.add(
            "Which rows the synthesizer trained on is unknown (name the synthesizer in the "
            "request): the privacy figures assume it never saw the holdout."
        )
    checks = _checks(distances, copy_rate, holdout_copy_rate, attacks, training_data)
    progress.update(1.0, "Privacy done")
    return PrivacyResult(
        table=table,
        feature_columns=features,
        compared_rows=len(distances.synthetic_to_train),
        dcr_synthetic_to_train=_summary(distances.synthetic_to_train),
        dcr_holdout_to_train=_summary(distances.holdout_to_train),
        nndr_synthetic_median=float(np.median(distances.synthetic_nndr)),
        nndr_holdout_median=float(np.median(distances.holdout_nndr)),
        dcr_share=distances.dcr_share,
        exact_copy_rate=copy_rate,
        holdout_exact_copy_rate=holdout_copy_rate,
        membership_inference_auc=max(attack.auc for attack in distances.membership),
        attacks=attacks,
        checks=checks,
        passed=all(check.passed for check in checks),
        score=_score(distances, copy_rate, holdout_copy_rate, attacks),
        dcr_share_ci_low=distances.dcr_share_low,
        dcr_share_ci_high=distances.dcr_share_high,
        confidence_level=confidence_level,
        membership_attacks=distances.membership,
        inference_targets=secrets,
        training_data=training_data.value,
    )


@dataclass(frozen=True)
class _Distances:
    synthetic_to_train: np.ndarray
    holdout_to_train: np.ndarray
    synthetic_nndr: np.ndarray
    holdout_nndr: np.ndarray
    dcr_share: float
    dcr_share_low: float
    dcr_share_high: float
    membership: list[MembershipAttack]


def _exact_copy_rates(frames: dict[str, pd.DataFrame]) -> tuple[float, float]:
    train_rows = set(pd.util.hash_pandas_object(frames["train"], index=False))

    def rate(frame: pd.DataFrame) -> float:
        hashes = pd.util.hash_pandas_object(frame, index=False)
        return float(hashes.isin(train_rows).mean())

    return rate(frames["synthetic"]), rate(frames["holdout"])


def _distances(
    frames: dict[str, pd.DataFrame],
    tables: TableSet,
    table: str,
    features: list[str],
    max_rows: int,
    seed: int,
    level: float,
) -> _Distances:
    rng = np.random.default_rng(seed)
    synthetic = _sample(frames["synthetic"], max_rows, rng)
    holdout = _sample(frames["holdout"], max_rows, rng)
    reference = _sample(frames["train"], max_rows * REFERENCE_ROWS_FACTOR, rng)
    # The attacker searches (nearly) all synthetic records: a copy of a member left out of a
    # sample would otherwise hide it.
    synthetic_reference = _sample(frames["synthetic"], max_rows * REFERENCE_ROWS_FACTOR, rng)
    encoder = distance_preprocessor(*split_by_kind(tables, table, features)).fit(reference)
    n_features = len(features)

    def encode(frame: pd.DataFrame) -> np.ndarray:
        return np.asarray(encoder.transform(frame), dtype=float)

    encoded_synthetic, encoded_holdout = encode(synthetic), encode(holdout)
    near_train = _neighbours(2).fit(encode(reference))
    synthetic_two = near_train.kneighbors(encoded_synthetic)[0] / n_features
    holdout_two = near_train.kneighbors(encoded_holdout)[0] / n_features
    synthetic_to_holdout = _closest(encoded_holdout, encoded_synthetic) / n_features
    to_train = synthetic_two[:, 0]

    def share(indices: np.ndarray) -> float:
        return _dcr_share(
            to_train[indices], synthetic_to_holdout[indices], len(reference), len(holdout)
        )

    dcr = bootstrap_interval(share, len(to_train), level=level, seed=seed)
    # Membership: half the holdout are the non-members scored, the other half the reference
    # population whose density the synthetic data's is compared with.
    non_members, population = encoded_holdout[::2], encoded_holdout[1::2]
    members = encode(_sample(frames["train"], len(non_members), rng))
    attacks = membership_attacks(
        members, non_members, population, encode(synthetic_reference), level=level, seed=seed
    )
    return _Distances(
        synthetic_to_train=to_train,
        holdout_to_train=holdout_two[:, 0],
        synthetic_nndr=_nndr(synthetic_two),
        holdout_nndr=_nndr(holdout_two),
        dcr_share=dcr.value,
        dcr_share_low=dcr.low,
        dcr_share_high=dcr.high,
        membership=attacks,
    )


def _dcr_share(
    to_train: np.ndarray, to_holdout: np.ndarray, train_rows: int, holdout_rows: int
) -> float:
    """Share of synthetic records closer to a training record than to a holdout record.

    The training set searched is larger than the holdout, so a record that did not come from
    either is more often nearest to a training row by chance alone. Each side's count is
    therefore taken per row searched (train wins / train rows against holdout wins / holdout
    rows), which puts a synthesizer that did not memorise at 0.5 while every training row still
    counts. Ties (equally close to both) count half.
    """
    train_wins = int(np.sum(to_train < to_holdout))
    holdout_wins = int(np.sum(to_holdout < to_train))
    ties = len(to_train) - train_wins - holdout_wins
    decided = train_wins + holdout_wins
    if decided == 0:
        return 0.5
    train_rate, holdout_rate = train_wins / train_rows, holdout_wins / holdout_rows
    balanced = train_rate / (train_rate + holdout_rate)
    return float((balanced * decided + 0.5 * ties) / len(to_train))


def _closest(reference: np.ndarray, queries: np.ndarray) -> np.ndarray:
    """Distance from each query row to its nearest reference row."""
    fitted = _neighbours(1).fit(reference)
    return fitted.kneighbors(queries)[0][:, 0]


def _neighbours(count: int) -> NearestNeighbors:
    # A ball tree answers exact Manhattan queries several times faster than brute force here.
    return NearestNeighbors(n_neighbors=count, metric="manhattan", algorithm="ball_tree")


def _nndr(two_nearest: np.ndarray) -> np.ndarray:
    # Two training rows at distance 0 make the record common rather than singled out: ratio 1.
    first, second = two_nearest[:, 0], two_nearest[:, 1]
    return np.divide(first, second, out=np.ones_like(first), where=second > 0)


def _sample(frame: pd.DataFrame, rows: int, seed: int | np.random.Generator) -> pd.DataFrame:
    if len(frame) <= rows:
        return frame
    return frame.sample(rows, random_state=seed)


def _summary(values: np.ndarray) -> DistanceSummary:
    return DistanceSummary(
        mean=float(np.mean(values)),
        median=float(np.median(values)),
        p05=float(np.quantile(values, 0.05)),
        quantiles=[float(q) for q in np.quantile(values, QUANTILE_LEVELS)],
    )


_REFERENCE_EXPLANATIONS = {
    TrainingData.TRAIN_PART: "The privacy figures compare against holdout rows the synthesizer "
    "did not train on.",
    TrainingData.FULL_DATASET: "The synthesizer trained on the full dataset: no holdout is left "
    "to compare with.",
    TrainingData.UNKNOWN: "The privacy figures assume the synthesizer did not train on the "
    "holdout (it was not named, so this is not checked).",
}


def _checks(
    distances: _Distances,
    copy_rate: float,
    holdout_copy_rate: float,
    attacks: list[AttackRisk],
    training_data: TrainingData,
) -> list[PrivacyCheck]:
    excess_copies = copy_rate - holdout_copy_rate
    closer_to_holdout = 1 - distances.dcr_share
    strongest = max(distances.membership, key=lambda attack: attack.auc)
    full = training_data is TrainingData.FULL_DATASET
    checks = [
        PrivacyCheck(
            "holdout_reference",
            1.0 if full else 0.0,
            0.0,
            not full,
            _REFERENCE_EXPLANATIONS[training_data],
        ),
        PrivacyCheck(
            "dcr_share",
            distances.dcr_share,
            DCR_SHARE_LIMIT,
            distances.dcr_share <= DCR_SHARE_LIMIT,
            f"{distances.dcr_share:.1%} of synthetic records are closer to training rows than to "
            f"holdout rows (CI {distances.dcr_share_low:.1%}-{distances.dcr_share_high:.1%}; "
            "50% is ideal).",
            distances.dcr_share_low,
            distances.dcr_share_high,
        ),
        PrivacyCheck(
            "closer_to_holdout",
            closer_to_holdout,
            HOLDOUT_PROXIMITY_LIMIT,
            closer_to_holdout <= HOLDOUT_PROXIMITY_LIMIT,
            f"{closer_to_holdout:.1%} of synthetic records are closer to holdout rows than to "
            "training rows; far above 50% means the synthesizer saw the holdout (trained on the "
            "wrong part).",
            1 - distances.dcr_share_high,
            1 - distances.dcr_share_low,
        ),
        PrivacyCheck(
            "exact_copies",
            excess_copies,
            EXACT_COPY_EXCESS_LIMIT,
            excess_copies <= EXACT_COPY_EXCESS_LIMIT,
            f"{copy_rate:.1%} of synthetic records copy a training row; {holdout_copy_rate:.1%} "
            "of holdout rows equal one by chance.",
        ),
        PrivacyCheck(
            "membership_inference",
            strongest.auc,
            MEMBERSHIP_AUC_LIMIT,
            strongest.auc <= MEMBERSHIP_AUC_LIMIT,
            f"The strongest membership attack ({strongest.name}) reaches ROC AUC "
            f"{strongest.auc:.2f} (CI {strongest.auc_low:.2f}-{strongest.auc_high:.2f}; 0.5 is "
            f"guessing) and flags {strongest.tpr_at_low_fpr:.1%} of training rows at 1% false "
            "positives.",
            strongest.auc_low,
            strongest.auc_high,
        ),
    ]
    for attack in attacks:
        checks.append(
            # The estimate decides here; the upper bound travels with the check, for a release
            # policy that must rule the risk out rather than find it merely unlikely.
            PrivacyCheck(
                anonymeter_check_name(attack),
                attack.risk,
                ANONYMETER_RISK_LIMIT,
                attack.risk <= ANONYMETER_RISK_LIMIT,
                f"Anonymeter {attack.attack.replace('_', '-')} risk {attack.risk:.3f} over "
                f"{attack.repeats} repeats of {attack.n_attacks} attacks (CI "
                f"{attack.ci_low:.3f}-{attack.ci_high:.3f}); fails above "
                f"{ANONYMETER_RISK_LIMIT}.",
                attack.ci_low,
                attack.ci_high,
            )
        )
    return checks


def anonymeter_check_name(attack: AttackRisk) -> str:
    """`anonymeter_singling_out`, `anonymeter_linkability`, `anonymeter_inference_<secret>`."""
    return f"anonymeter_{attack.attack}" + (f"_{attack.target}" if attack.target else "")


def _score(
    distances: _Distances, copy_rate: float, holdout_copy_rate: float, attacks: list[AttackRisk]
) -> float:
    """Mean protection in [0, 1]: 1 when each risk is at its no-leak level, 0 at total leak."""
    auc = max(attack.auc for attack in distances.membership)
    parts = [
        np.clip(2 * (1 - distances.dcr_share), 0, 1),
        np.clip(2 * (1 - auc), 0, 1),
        1 - np.clip(copy_rate - holdout_copy_rate, 0, 1),
    ]
    if attacks:
        parts.append(1 - max(attack.risk for attack in attacks))
    return float(np.mean(parts))
