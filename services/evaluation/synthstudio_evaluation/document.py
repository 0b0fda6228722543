"""A report's content as a small document model, so HTML and PDF render exactly the same content.

`report_document` and `leaderboard_document` decide what a reader sees (sections, figures,
tables, plots); `render_html` and `render_pdf` only decide how it looks.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from synthstudio_evaluation.comparison import Leaderboard
from synthstudio_evaluation.fidelity import ColumnPairScore, FidelityResult
from synthstudio_evaluation.gate import Gate
from synthstudio_evaluation.plots import Plot
from synthstudio_evaluation.privacy import PrivacyResult
from synthstudio_evaluation.report import EvaluationReport
from synthstudio_evaluation.utility import UtilityResult
from synthstudio_evaluation.verdicts import judge

#: Column pairs listed in a report, weakest first (every pair still counts in the scores).
MAX_LISTED_PAIRS = 40


@dataclass(frozen=True)
class Paragraph:
    text: str


@dataclass(frozen=True)
class KeyValues:
    items: list[tuple[str, str]]


@dataclass(frozen=True)
class Table:
    caption: str
    columns: list[str]
    rows: list[list[str]]


@dataclass(frozen=True)
class Image:
    caption: str
    png: bytes


Block = Paragraph | KeyValues | Table | Image


@dataclass(frozen=True)
class Section:
    title: str
    blocks: list[Block] = field(default_factory=list)


@dataclass(frozen=True)
class Document:
    """Title, a one-line subtitle and sections; each section starts a page in the PDF."""

    title: str
    subtitle: str
    sections: list[Section]


def report_document(report: EvaluationReport, gate: Gate | None = None) -> Document:
    """The full evaluation report as a document, with its release gate when it has one."""
    sections = [_summary(report), _holdout(report)]
    if gate is not None:
        sections.append(_gate(gate))
    if report.fidelity is not None:
        sections.append(_fidelity(report.fidelity, _plots(report.plots, "fidelity")))
    if report.utility is not None:
        sections.append(_utility(report.utility, _plots(report.plots, "utility")))
    if report.privacy is not None:
        sections.append(_privacy(report.privacy, _plots(report.plots, "privacy")))
    versions = ", ".join(f"{name} {value}" for name, value in report.versions.items())
    return Document(
        title=f"Synthetic data evaluation: {report.synthesizer_name} on {report.dataset_name}",
        subtitle=f"{report.modality} data, generated {report.created_at:%Y-%m-%d %H:%M} UTC "
        f"with {versions}",
        sections=sections,
    )


def leaderboard_document(leaderboard: Leaderboard) -> Document:
    """The side-by-side comparison of several synthesizers as a document."""
    rows = [
        [
            str(entry.rank),
            entry.synthesizer_name,
            _score(entry.overall),
            _score(entry.fidelity),
            _score(entry.utility),
            _score(entry.privacy),
            _score(entry.utility_ratio),
            _score(entry.dcr_share),
            _score(entry.membership_inference_auc),
            _percent(entry.exact_copy_rate),
            _verdict(entry.privacy_passed),
        ]
        for entry in leaderboard.entries
    ]
    blocks: list[Block] = [
        Table(
            "Ranking (a synthesizer failing a privacy check ranks below all that pass)",
            [
                "Rank",
                "Synthesizer",
                "Overall",
                "Fidelity",
                "Utility",
                "Privacy",
                "TSTR/TRTR",
                "DCR share",
                "MIA AUC",
                "Exact copies",
                "Privacy checks",
            ],
            rows,
        ),
        *[Image(plot.title, plot.png) for plot in leaderboard.plots],
        *[Paragraph(f"Note: {warning}") for warning in leaderboard.warnings],
    ]
    return Document(
        title=f"Synthesizer comparison on {leaderboard.dataset_name}",
        subtitle=f"{len(leaderboard.entries)} synthesizers evaluated on the same holdout split "
        f"({leaderboard.holdout_index_sha256[:12]})",
        sections=[Section("Leaderboard", blocks)],
    )


def _summary(report: EvaluationReport) -> Section:
    scores = report.scores
    verdicts = judge(report)
    items = [
        ("Overall verdict", f"{verdicts.overall.value.replace('_', ' ')}"),
        ("Overall score", _score(scores.overall)),
        ("Fidelity (SDMetrics quality)", _score(scores.fidelity)),
        ("Utility (TSTR/TRTR, capped at 1)", _score(scores.utility)),
        ("Privacy protection", _score(scores.privacy)),
        ("Privacy checks", _verdict(None if report.privacy is None else report.privacy.passed)),
        ("Table for utility and privacy", report.focus_table),
    ]
    for role, counts in report.rows.items():
        items.append((f"{role.capitalize()} rows", _counts(counts)))
    blocks: list[Block] = [KeyValues(items)]
    blocks += [Paragraph(f"Verdict: {reason}") for reason in verdicts.reasons]
    blocks += [Paragraph(f"Note: {warning}") for warning in report.warnings]
    return Section("Summary", blocks)


def _holdout(report: EvaluationReport) -> Section:
    record = report.holdout
    return Section(
        "Holdout split",
        [
            Paragraph(
                "Utility and privacy compare against real rows the synthesizer never saw. The "
                "split below was drawn once, with a seed, when the dataset was registered."
            ),
            KeyValues(
                [
                    ("Seed", str(record.seed)),
                    ("Holdout fraction", f"{record.holdout_fraction:g}"),
                    ("Split table", record.split_table),
                    ("Unit drawn", record.unit),
                    ("Units held out", f"{record.holdout_units} of {record.total_units}"),
                    ("Train rows", _counts(record.train_rows)),
                    ("Holdout rows", _counts(record.holdout_rows)),
                    ("Shared tables", ", ".join(record.shared_tables) or "none"),
                    ("Holdout index SHA-256", record.holdout_index_sha256),
                    ("Dataset SHA-256", record.dataset_sha256),
                ]
            ),
        ],
    )


def _fidelity(fidelity: FidelityResult, plots: list[Plot]) -> Section:
    ceiling = fidelity.holdout_ceiling
    reference = []
    if ceiling is not None:
        reference = [
            ("Holdout's own quality (the ceiling)", _score(ceiling.quality_score)),
            (
                f"Synthetic quality on {ceiling.rows} rows",
                _score(ceiling.synthetic_quality_score)
                + (" - ABOVE THE CEILING: likely copies" if ceiling.above_ceiling else ""),
            ),
        ]
    if fidelity.quality_score_without_replaced is not None:
        reference.append(
            (
                "Quality without the columns SDMetrics would skip",
                _score(fidelity.quality_score_without_replaced),
            )
        )
    blocks: list[Block] = [
        KeyValues(
            [
                ("Quality score", _score(fidelity.quality_score)),
                *reference,
                ("Diagnostic score", _score(fidelity.diagnostic_score)),
                *[
                    (
                        f"Quality: {p.name} (holdout's own)",
                        f"{_score(p.score)} ({_score(p.holdout_score)})",
                    )
                    for p in fidelity.quality_properties
                ],
                *[
                    (f"Diagnostic: {p.name}", _score(p.score))
                    for p in fidelity.diagnostic_properties
                ],
            ]
        ),
        Table(
            "Column shapes",
            ["Table", "Column", "Metric", "Score", "Holdout's own"],
            [
                [s.table, s.column, s.metric, _score(s.score), _score(s.holdout_score)]
                for s in fidelity.column_shapes
            ],
        ),
        _pair_table(
            "Column-pair trends (correlation or association; weakest first)",
            fidelity.column_pair_trends,
        ),
        Table(
            "Data validity",
            ["Table", "Column", "Metric", "Score"],
            [[s.table, s.column, s.metric, _score(s.score)] for s in fidelity.data_validity],
        ),
        Table(
            "Data structure",
            ["Table", "Metric", "Score"],
            [[s.table, s.metric, _score(s.score)] for s in fidelity.data_structure],
        ),
    ]
    relationships = fidelity.cardinality + fidelity.relationship_validity
    if relationships:
        blocks.append(
            Table(
                "Relationships (cardinality and validity)",
                ["Parent", "Child", "Foreign key", "Metric", "Score"],
                [
                    [r.parent_table, r.child_table, r.foreign_key, r.metric, _score(r.score)]
                    for r in relationships
                ],
            )
        )
    if fidelity.column_coverage:
        blocks.append(
            Table(
                "Columns SDMetrics alone would skip",
                ["Table", "Column", "Sdtype", "Treatment", "Why"],
                [
                    [c.table, c.column, c.sdtype, c.treatment, c.reason]
                    for c in fidelity.column_coverage
                ],
            )
        )
    if fidelity.intertable_trends:
        blocks.append(_pair_table("Inter-table trends (weakest first)", fidelity.intertable_trends))
    if fidelity.sequence_scores:
        blocks.append(
            Table(
                f"Sequence metrics (mean {_score(fidelity.sequence_score)})",
                ["Table", "Column", "Metric", "Score"],
                [
                    [s.table, s.column, s.metric, _score(s.score) if s.error is None else s.error]
                    for s in fidelity.sequence_scores
                ],
            )
        )
    blocks += [Image(plot.title, plot.png) for plot in plots]
    return Section("Fidelity", blocks)


def _pair_table(caption: str, pairs: list[ColumnPairScore]) -> Table:
    # SDMetrics scores only pairs whose real correlation/association passes its threshold;
    # the others are listed as such, after the scored ones.
    ordered = sorted(pairs, key=lambda pair: (pair.score is None, pair.score or 0.0))
    listed = ordered[:MAX_LISTED_PAIRS]
    if len(ordered) > len(listed):
        caption += f"; {len(listed)} of {len(ordered)} pairs listed"
    return Table(
        caption,
        ["Table", "Column 1", "Column 2", "Metric", "Score", "Real", "Synthetic"],
        [
            [
                pair.table,
                pair.column_1,
                pair.column_2,
                pair.metric.removesuffix("Similarity"),
                "weak in real data" if pair.score is None else _score(pair.score),
                _score(
                    pair.real_correlation
                    if pair.real_correlation is not None
                    else pair.real_association
                ),
                _score(pair.synthetic_correlation),
            ]
            for pair in listed
        ],
    )


def _utility(utility: UtilityResult, plots: list[Plot]) -> Section:
    metric = utility.primary_metric
    rows = [
        [
            model.model,
            *[f"{model.train_real_test_real[name]:.3f}" for name in model.train_real_test_real],
            *[
                f"{model.train_synthetic_test_real[name]:.3f}"
                for name in model.train_synthetic_test_real
            ],
            _score(model.ratio),
        ]
        for model in utility.models
    ]
    metric_names = list(utility.models[0].train_real_test_real)
    blocks: list[Block] = [
        KeyValues(
            [
                ("TSTR/TRTR ratio (headline)", _score(utility.ratio)),
                ("Target column", f"{utility.table}.{utility.target_column} ({utility.task})"),
                ("Primary metric", metric),
                ("Train real, test real", f"{utility.train_real_test_real:.3f}"),
                ("Train synthetic, test real", f"{utility.train_synthetic_test_real:.3f}"),
                (
                    "Rows (real train / synthetic / real test)",
                    f"{utility.train_rows} / {utility.synthetic_rows} / {utility.test_rows}",
                ),
                ("Features", ", ".join(utility.feature_columns)),
            ]
        ),
        Table(
            "Scores on the real holdout per model",
            [
                "Model",
                *[f"TRTR {name}" for name in metric_names],
                *[f"TSTR {name}" for name in metric_names],
                "Ratio",
            ],
            rows,
        ),
    ]
    blocks += [Image(plot.title, plot.png) for plot in plots]
    return Section("Utility", blocks)


def _privacy(privacy: PrivacyResult, plots: list[Plot]) -> Section:
    blocks: list[Block] = [
        KeyValues(
            [
                ("Privacy checks", _verdict(privacy.passed)),
                ("Protection score", _score(privacy.score)),
                ("Trained on", privacy.training_data.replace("_", " ")),
                (
                    "DCR share (0.5 ideal)",
                    f"{_score(privacy.dcr_share)} (CI {_score(privacy.dcr_share_ci_low)}-"
                    f"{_score(privacy.dcr_share_ci_high)})",
                ),
                (
                    "Median DCR synthetic -> train / holdout -> train",
                    f"{privacy.dcr_synthetic_to_train.median:.4f} / "
                    f"{privacy.dcr_holdout_to_train.median:.4f}",
                ),
                (
                    "5th percentile DCR synthetic / holdout",
                    f"{privacy.dcr_synthetic_to_train.p05:.4f} / "
                    f"{privacy.dcr_holdout_to_train.p05:.4f}",
                ),
                (
                    "Median NNDR synthetic / holdout",
                    f"{privacy.nndr_synthetic_median:.3f} / {privacy.nndr_holdout_median:.3f}",
                ),
                (
                    "Exact copies of training rows (synthetic / holdout)",
                    f"{_percent(privacy.exact_copy_rate)} / "
                    f"{_percent(privacy.holdout_exact_copy_rate)}",
                ),
                (
                    "Membership attack AUC (0.5 = guessing)",
                    _score(privacy.membership_inference_auc),
                ),
                ("Records compared", str(privacy.compared_rows)),
            ]
        ),
        Table(
            "Checks",
            ["Check", "Value", "Limit", "Result", "Explanation"],
            [
                [c.name, f"{c.value:.3f}", f"{c.limit:g}", _verdict(c.passed), c.explanation]
                for c in privacy.checks
            ],
        ),
        Table(
            "Membership attacks (holdout as reference population)",
            ["Attack", "AUC", "Confidence interval", "TPR at 1% FPR", "Members / non-members"],
            [
                [
                    a.name,
                    f"{a.auc:.3f}",
                    f"{a.auc_low:.3f}-{a.auc_high:.3f}",
                    _percent(a.tpr_at_low_fpr),
                    f"{a.members} / {a.non_members}",
                ]
                for a in privacy.membership_attacks
            ],
        ),
        Table(
            "Anonymeter attacks (holdout as control)",
            [
                "Attack",
                "Risk",
                "Confidence interval",
                "Attack rate",
                "Baseline",
                "Control",
                "Attacks x repeats",
            ],
            [
                [
                    f"{a.attack} {a.target}".strip(),
                    f"{a.risk:.3f}",
                    f"{a.ci_low:.3f}-{a.ci_high:.3f}",
                    f"{a.attack_rate:.3f}",
                    f"{a.baseline_rate:.3f}",
                    "n/a" if a.control_rate is None else f"{a.control_rate:.3f}",
                    f"{a.n_attacks} x {a.repeats}",
                ]
                for a in privacy.attacks
            ],
        ),
    ]
    blocks += [Image(plot.title, plot.png) for plot in plots]
    return Section("Privacy risk", blocks)


def _gate(gate: Gate) -> Section:
    verdict = "PASSED" if gate.passed else "FAILED"
    return Section(
        f"Release gate: {verdict}",
        [
            Paragraph(
                f"Judged by the release policy of project '{gate.policy.project}'. A check "
                "blocks a release when it failed, or was not measured and is not optional."
            ),
            Table(
                "Checks",
                ["Check", "Status", "Value", "Threshold", "Why"],
                [
                    [
                        check.name,
                        check.status.value + (" (blocks)" if check.blocking else ""),
                        _score(check.value),
                        f"{check.comparison} {check.threshold:g}",
                        check.explanation,
                    ]
                    for check in gate.checks
                ],
            ),
        ],
    )


def _plots(plots: list[Plot], section: str) -> list[Plot]:
    return [plot for plot in plots if plot.section == section]


def _score(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.3f}"


def _percent(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.1%}"


def _verdict(passed: bool | None) -> str:
    return "not run" if passed is None else ("PASSED" if passed else "FAILED")


def _counts(counts: dict[str, int]) -> str:
    return ", ".join(f"{name}: {rows}" for name, rows in counts.items())
