"""Privacy risk: does the synthetic data give away the rows it was trained on?

Every distance here is Gower's distance over the feature columns (numbers scaled to the
training range, categories equal or not), so 0 means identical and 1 different in every column.
The holdout (real rows the synthesizer never saw) is the yardstick: a synthesizer that learned
the distribution rather than the rows makes synthetic records no closer to the training rows
than fresh real records are.

- DCR: distance from each synthetic record to its closest training record, against the same
  for holdout records.
- NNDR: closest / second-closest training distance; near 0 means a record sits on one training
  row rather than among several.
- DCR share: fraction of synthetic records closer to a training record than to a holdout
  record, weighed for the two sets' sizes; 0.5 is ideal, 1.0 means every record sits on a
  training row.
- Exact-copy rate: synthetic records identical to a training row, against the rate at which
  holdout rows happen to equal one (duplicates occur naturally in coarse data).
- Membership inference: an attacker who guesses "was in training" for real records that have a
  close synthetic neighbour; the ROC AUC over equal numbers of training and holdout records
  (0.5 = guessing).
- Anonymeter's singling-out, linkability and inference risks, with the holdout as control.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from sklearn.metrics import roc_auc_score
from sklearn.neighbors import NearestNeighbors

from synthstudio_evaluation.anonymeter_risks import AttackRisk, anonymeter_risks
from synthstudio_evaluation.encoding import (
    distance_preprocessor,
    model_frame,
    split_by_kind,
)
from synthstudio_evaluation.progress_scope import ScaledProgress
from synthstudio_evaluation.tables import TableSet
from synthstudio_evaluation.validation import check_column, check_table_name
from synthstudio_libs.errors import InvalidInput, Warnings
from synthstudio_libs.jobs.progress import NullProgress, Progress

#: Limits above which a check fails (see `PrivacyCheck`).
DCR_SHARE_LIMIT = 0.6
MEMBERSHIP_AUC_LIMIT = 0.6
EXACT_COPY_EXCESS_LIMIT = 0.01
ANONYMETER_RISK_LIMIT = 0.2
#: Training rows searched for nearest neighbours, as a multiple of the compared rows.
REFERENCE_ROWS_FACTOR = 10
QUANTILE_LEVELS = tuple(round(level, 2) for level in np.linspace(0.0, 1.0, 21))


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
    """One pass/fail verdict: `value` against `limit` (fails when value > limit)."""

    name: str
    value: float
    limit: float
    passed: bool
    explanation: str


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


def evaluate_privacy(
    train: TableSet,
    holdout: TableSet,
    synthetic: TableSet,
    table: str,
    *,
    secret_column: str | None = None,
    n_attacks: int = 100,
    max_rows: int = 2000,
    seed: int = 0,
    confidence_level: float = 0.95,
    warnings: Warnings | None = None,
    progress: Progress | None = None,
) -> PrivacyResult:
    """Measure the privacy risks of `synthetic` for `table`.

    At most `max_rows` synthetic and holdout records are compared (sampled with `seed`).
    `secret_column` is what anonymeter's inference attacker guesses (default: the last feature).
    Raises InvalidInput when the table is unknown, has no feature column to compare, or
    `secret_column` is not one of its feature columns.
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
    secret = secret_column or features[-1]
    check_column(train, table, secret, "sensitive_column")
    frames = {
        role: model_frame(tables.tables[table], train, table, features)
        for role, tables in (("train", train), ("holdout", holdout), ("synthetic", synthetic))
    }
    progress.update(0.0, "Counting exact copies of training rows")
    copy_rate, holdout_copy_rate = _exact_copy_rates(frames)
    progress.update(0.1, "Measuring distances to the closest training records")
    distances = _distances(frames, train, table, features, max_rows, seed)
    progress.update(0.3, "Running anonymeter's attacks")
    numeric, categorical = split_by_kind(train, table, features)
    attacks = anonymeter_risks(
        _sample(frames["train"], max_rows, seed),
        _sample(frames["synthetic"], max_rows, seed),
        _sample(frames["holdout"], max_rows, seed),
        categorical,
        secret,
        secret in numeric,
        n_attacks=n_attacks,
        seed=seed,
        confidence_level=confidence_level,
        warnings=warnings,
        progress=ScaledProgress(progress, 0.3, 1.0),
    )
    checks = _checks(distances, copy_rate, holdout_copy_rate, attacks)
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
        membership_inference_auc=distances.membership_auc,
        attacks=attacks,
        checks=checks,
        passed=all(check.passed for check in checks),
        score=_score(distances, copy_rate, holdout_copy_rate, attacks),
    )


@dataclass(frozen=True)
class _Distances:
    synthetic_to_train: np.ndarray
    holdout_to_train: np.ndarray
    synthetic_nndr: np.ndarray
    holdout_nndr: np.ndarray
    dcr_share: float
    membership_auc: float


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
) -> _Distances:
    rng = np.random.default_rng(seed)
    synthetic = _sample(frames["synthetic"], max_rows, rng)
    holdout = _sample(frames["holdout"], max_rows, rng)
    reference = _sample(frames["train"], max_rows * REFERENCE_ROWS_FACTOR, rng)
    # The attacker searches (nearly) all synthetic records: a copy of a member left out of a
    # sample would otherwise hide it.
    synthetic_reference = _sample(frames["synthetic"], max_rows * REFERENCE_ROWS_FACTOR, rng)
    # Members for the membership attack: as many training records as holdout records.
    members = _sample(frames["train"], len(holdout), rng)
    encoder = distance_preprocessor(*split_by_kind(tables, table, features)).fit(reference)
    n_features = len(features)

    def encode(frame: pd.DataFrame) -> np.ndarray:
        return np.asarray(encoder.transform(frame), dtype=float)

    encoded_synthetic, encoded_holdout = encode(synthetic), encode(holdout)
    encoded_members = encode(members)
    near_train = _neighbours(2).fit(encode(reference))
    synthetic_two = near_train.kneighbors(encoded_synthetic)[0] / n_features
    holdout_two = near_train.kneighbors(encoded_holdout)[0] / n_features
    synthetic_to_holdout = _closest(encoded_holdout, encoded_synthetic) / n_features
    share = _dcr_share(synthetic_two[:, 0], synthetic_to_holdout, len(reference), len(holdout))
    # Membership attack: a real record with a closer synthetic neighbour is guessed a member.
    encoded_synthetic_reference = encode(synthetic_reference)
    member_distance = _closest(encoded_synthetic_reference, encoded_members)
    outsider_distance = _closest(encoded_synthetic_reference, encoded_holdout)
    labels = np.r_[np.ones(len(member_distance)), np.zeros(len(outsider_distance))]
    auc = float(roc_auc_score(labels, -np.r_[member_distance, outsider_distance]))
    return _Distances(
        synthetic_to_train=synthetic_two[:, 0],
        holdout_to_train=holdout_two[:, 0],
        synthetic_nndr=_nndr(synthetic_two),
        holdout_nndr=_nndr(holdout_two),
        dcr_share=share,
        membership_auc=auc,
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


def _checks(
    distances: _Distances, copy_rate: float, holdout_copy_rate: float, attacks: list[AttackRisk]
) -> list[PrivacyCheck]:
    excess_copies = copy_rate - holdout_copy_rate
    checks = [
        PrivacyCheck(
            "dcr_share",
            distances.dcr_share,
            DCR_SHARE_LIMIT,
            distances.dcr_share <= DCR_SHARE_LIMIT,
            f"{distances.dcr_share:.1%} of synthetic records are closer to training rows than to "
            "holdout rows (50% is ideal).",
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
            distances.membership_auc,
            MEMBERSHIP_AUC_LIMIT,
            distances.membership_auc <= MEMBERSHIP_AUC_LIMIT,
            f"A distance-based membership attack reaches ROC AUC {distances.membership_auc:.2f} "
            "(0.5 is guessing).",
        ),
    ]
    for attack in attacks:
        checks.append(
            PrivacyCheck(
                f"anonymeter_{attack.attack}",
                attack.ci_low,
                ANONYMETER_RISK_LIMIT,
                attack.ci_low <= ANONYMETER_RISK_LIMIT,
                f"Anonymeter {attack.attack.replace('_', '-')} risk {attack.risk:.3f} "
                f"(CI {attack.ci_low:.3f}-{attack.ci_high:.3f}); fails when the whole interval "
                f"lies above {ANONYMETER_RISK_LIMIT}.",
            )
        )
    return checks


def _score(
    distances: _Distances, copy_rate: float, holdout_copy_rate: float, attacks: list[AttackRisk]
) -> float:
    """Mean protection in [0, 1]: 1 when each risk is at its no-leak level, 0 at total leak."""
    parts = [
        np.clip(2 * (1 - distances.dcr_share), 0, 1),
        np.clip(2 * (1 - distances.membership_auc), 0, 1),
        1 - np.clip(copy_rate - holdout_copy_rate, 0, 1),
    ]
    if attacks:
        parts.append(1 - max(attack.risk for attack in attacks))
    return float(np.mean(parts))
