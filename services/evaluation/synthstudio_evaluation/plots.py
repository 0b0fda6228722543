"""Report plots as PNG bytes, drawn with matplotlib's Agg canvas (no pyplot, no global state)."""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from synthstudio_evaluation.associations import association_matrix
from synthstudio_evaluation.encoding import model_frame, split_by_kind
from synthstudio_evaluation.fidelity import FidelityResult
from synthstudio_evaluation.privacy import QUANTILE_LEVELS, PrivacyResult, anonymeter_check_name
from synthstudio_evaluation.tables import TableSet
from synthstudio_evaluation.utility import UtilityResult

MAX_DISTRIBUTION_COLUMNS = 12
MAX_CORRELATION_COLUMNS = 15
MAX_CATEGORIES_SHOWN = 10
DPI = 90
REAL_COLOUR, SYNTHETIC_COLOUR, HOLDOUT_COLOUR = "#1f77b4", "#ff7f0e", "#2ca02c"
FAILED_COLOUR = "#d62728"


@dataclass(frozen=True)
class Plot:
    """One figure of a report: a stable `key`, the report `section` it belongs to, a title and
    the PNG image."""

    key: str
    section: str
    title: str
    png: bytes


def distribution_plots(real: TableSet, synthetic: TableSet, table: str) -> list[Plot]:
    """Real vs synthetic distribution of each feature column of `table` (the first twelve)."""
    columns = real.feature_columns(table)[:MAX_DISTRIBUTION_COLUMNS]
    real_frame = model_frame(real.tables[table], real, table, columns)
    synthetic_frame = model_frame(synthetic.tables[table], real, table, columns)
    plots = []
    for column in columns:
        figure = Figure(figsize=(5, 3.2))
        axes = figure.add_subplot()
        sdtype = real.sdtype(table, column)
        if sdtype in ("numerical", "datetime"):
            _draw_histograms(axes, real_frame[column], synthetic_frame[column], sdtype)
        else:
            _draw_frequencies(axes, real_frame[column], synthetic_frame[column])
        axes.set_title(f"{table}.{column}", fontsize=10)
        axes.legend(fontsize=8)
        plots.append(
            Plot(
                key=f"distribution:{table}.{column}",
                section="fidelity",
                title=f"Distribution of {table}.{column}: real vs synthetic",
                png=_png(figure),
            )
        )
    return plots


def correlation_plot(real: TableSet, synthetic: TableSet, table: str) -> Plot | None:
    """Association matrices of real and synthetic data and their absolute difference."""
    columns = real.feature_columns(table)[:MAX_CORRELATION_COLUMNS]
    if len(columns) < 2:
        return None
    numeric, categorical = split_by_kind(real, table, columns)
    matrices = [
        association_matrix(model_frame(tables.tables[table], real, table, columns), numeric, cat)
        for tables, cat in ((real, categorical), (synthetic, categorical))
    ]
    difference = (matrices[0] - matrices[1]).abs()
    figure = Figure(figsize=(15, 5))
    panels = (
        (matrices[0], "Real", "RdBu_r", -1.0),
        (matrices[1], "Synthetic", "RdBu_r", -1.0),
        (difference, "|Real - Synthetic|", "Reds", 0.0),
    )
    for position, (matrix, title, colours, lowest) in enumerate(panels, start=1):
        axes = figure.add_subplot(1, 3, position)
        image = axes.imshow(matrix.to_numpy(), cmap=colours, vmin=lowest, vmax=1.0)
        axes.set_xticks(range(len(columns)), matrix.columns, rotation=60, ha="right", fontsize=7)
        axes.set_yticks(range(len(columns)), matrix.index, fontsize=7)
        axes.set_title(title, fontsize=10)
        figure.colorbar(image, ax=axes, fraction=0.046, pad=0.04)
    figure.suptitle(
        f"{table}: Pearson r (numbers), Cramér's V (categories), correlation ratio (mixed)",
        fontsize=10,
    )
    return Plot(
        key=f"correlation:{table}",
        section="fidelity",
        title=f"Column associations in {table}: real, synthetic and difference",
        png=_png(figure),
    )


def column_shape_plot(fidelity: FidelityResult) -> Plot | None:
    """Bar chart of each column's shape score."""
    scores = [score for score in fidelity.column_shapes if score.score is not None]
    if not scores:
        return None
    figure = Figure(figsize=(7, max(2.5, 0.3 * len(scores) + 1)))
    axes = figure.add_subplot()
    labels = [f"{score.table}.{score.column}" for score in scores]
    axes.barh(labels, [score.score for score in scores], color=SYNTHETIC_COLOUR)
    axes.set_xlim(0, 1)
    axes.invert_yaxis()
    axes.set_xlabel("Column shape score (KSComplement / TVComplement)")
    axes.tick_params(axis="y", labelsize=8)
    return Plot("fidelity:column_shapes", "fidelity", "Column shape scores", _png(figure))


def utility_plot(utility: UtilityResult) -> Plot:
    """TRTR vs TSTR of the primary metric per model family."""
    figure = Figure(figsize=(6, 3.5))
    axes = figure.add_subplot()
    names = [model.model for model in utility.models]
    positions = np.arange(len(names))
    metric = utility.primary_metric
    real = [model.train_real_test_real[metric] for model in utility.models]
    synthetic = [model.train_synthetic_test_real[metric] for model in utility.models]
    axes.bar(positions - 0.2, real, 0.4, label="Train real, test real", color=REAL_COLOUR)
    axes.bar(
        positions + 0.2, synthetic, 0.4, label="Train synthetic, test real", color=SYNTHETIC_COLOUR
    )
    axes.set_xticks(positions, names)
    axes.axhline(0, color="black", linewidth=0.8)
    axes.set_ylabel(metric)
    ratio = "n/a" if utility.ratio is None else f"{utility.ratio:.2f}"
    axes.set_title(
        f"Predicting {utility.target_column} ({utility.task}): TSTR/TRTR = {ratio}", fontsize=10
    )
    axes.legend(fontsize=8)
    return Plot("utility:models", "utility", "Utility: TSTR vs TRTR per model", _png(figure))


def privacy_plots(privacy: PrivacyResult) -> list[Plot]:
    """Distance-to-closest-record distributions, and risk estimates against their limits."""
    figure = Figure(figsize=(6, 3.5))
    axes = figure.add_subplot()
    axes.plot(
        privacy.dcr_synthetic_to_train.quantiles,
        QUANTILE_LEVELS,
        label="Synthetic -> train",
        color=SYNTHETIC_COLOUR,
    )
    axes.plot(
        privacy.dcr_holdout_to_train.quantiles,
        QUANTILE_LEVELS,
        label="Holdout -> train",
        color=HOLDOUT_COLOUR,
    )
    axes.set_xlabel("Gower distance (synthetic curve left of holdout = memorisation)")
    axes.set_ylabel("Cumulative share of records")
    axes.set_title("Distance to closest training record", fontsize=10)
    axes.legend(fontsize=8)
    distance = Plot("privacy:dcr", "privacy", "Distance to closest record", _png(figure))

    figure = Figure(figsize=(6, 3.5))
    axes = figure.add_subplot()
    passed = {check.name: check.passed for check in privacy.checks}
    # (label, estimate, low, high, the check that judges it)
    bars = [
        (
            "DCR share",
            privacy.dcr_share,
            privacy.dcr_share_ci_low,
            privacy.dcr_share_ci_high,
            "dcr_share",
        ),
        *[
            (f"MIA {a.name} AUC", a.auc, a.auc_low, a.auc_high, "membership_inference")
            for a in privacy.membership_attacks
        ],
        *[
            (
                f"{a.attack} {a.target} risk".replace("  ", " "),
                a.risk,
                a.ci_low,
                a.ci_high,
                anonymeter_check_name(a),
            )
            for a in privacy.attacks
        ],
    ]
    names = [bar[0] for bar in bars]
    values = [bar[1] for bar in bars]
    lower = [max(0.0, bar[1] - bar[2]) for bar in bars]
    upper = [max(0.0, bar[3] - bar[1]) for bar in bars]
    colours = [HOLDOUT_COLOUR if passed.get(bar[4], True) else FAILED_COLOUR for bar in bars]
    axes.barh(names, values, xerr=[lower, upper], color=colours, capsize=3)
    axes.axvline(0.5, color="grey", linestyle="--", linewidth=0.8)
    axes.set_xlim(0, 1)
    axes.invert_yaxis()
    axes.set_title("Privacy risks (red = check failed)", fontsize=10)
    axes.set_xlabel("Dashed line: 0.5, the ideal DCR share and membership AUC")
    risks = Plot("privacy:risks", "privacy", "Privacy risk estimates", _png(figure))
    return [distance, risks]


def score_comparison_plot(
    names: Sequence[str], scores: Mapping[str, Sequence[float | None]]
) -> Plot:
    """Grouped bars of each synthesizer's scores (one group per synthesizer)."""
    figure = Figure(figsize=(max(6, 1.5 * len(names) + 2), 3.8))
    axes = figure.add_subplot()
    positions = np.arange(len(names))
    width = 0.8 / max(1, len(scores))
    for offset, (label, values) in enumerate(scores.items()):
        heights = [np.nan if value is None else value for value in values]
        axes.bar(positions + offset * width - 0.4 + width / 2, heights, width, label=label)
    axes.set_xticks(positions, names)
    axes.set_ylim(0, 1)
    axes.set_ylabel("Score (higher is better)")
    axes.legend(fontsize=8, ncols=len(scores))
    return Plot("comparison:scores", "comparison", "Scores by synthesizer", _png(figure))


def _draw_histograms(axes, real: pd.Series, synthetic: pd.Series, sdtype: str) -> None:
    real, synthetic = real.dropna(), synthetic.dropna()
    if sdtype == "datetime":
        # Matplotlib's date axis counts days since 1970, so epoch seconds / 86400 plot as dates.
        real, synthetic = real / 86_400, synthetic / 86_400
        axes.xaxis_date()
    else:
        axes.xaxis.set_major_locator(MaxNLocator(5))
    axes.tick_params(labelsize=8)
    values = real if len(real) else synthetic
    low, high = np.quantile(values, [0.01, 0.99]) if len(values) else (0.0, 1.0)
    bins = np.linspace(low, high if high > low else low + 1, 31)
    axes.hist(
        real.clip(low, high), bins=bins, density=True, alpha=0.55, label="Real", color=REAL_COLOUR
    )
    axes.hist(
        synthetic.clip(low, high),
        bins=bins,
        density=True,
        alpha=0.55,
        label="Synthetic",
        color=SYNTHETIC_COLOUR,
    )
    axes.set_ylabel("Density")


def _draw_frequencies(axes, real: pd.Series, synthetic: pd.Series) -> None:
    real_share = real.fillna("(missing)").value_counts(normalize=True)
    synthetic_share = synthetic.fillna("(missing)").value_counts(normalize=True)
    shown = list(real_share.index[:MAX_CATEGORIES_SHOWN])
    labels = [str(label)[:15] for label in shown]
    positions = np.arange(len(shown))
    axes.bar(
        positions - 0.2,
        real_share.reindex(shown, fill_value=0),
        0.4,
        label="Real",
        color=REAL_COLOUR,
    )
    axes.bar(
        positions + 0.2,
        synthetic_share.reindex(shown, fill_value=0),
        0.4,
        label="Synthetic",
        color=SYNTHETIC_COLOUR,
    )
    axes.set_xticks(positions, labels, rotation=30, ha="right", fontsize=8)
    axes.set_ylabel("Share of rows")


def _png(figure: Figure) -> bytes:
    FigureCanvasAgg(figure)
    figure.tight_layout()
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=DPI)
    return buffer.getvalue()
