"""A report or a leaderboard exported as JSON, HTML or PDF bytes."""

from __future__ import annotations

import json

from synthstudio_evaluation.comparison import Leaderboard
from synthstudio_evaluation.document import leaderboard_document, report_document
from synthstudio_evaluation.gate import Gate
from synthstudio_evaluation.rendering import render_html, render_pdf
from synthstudio_evaluation.report import EvaluationReport


def report_json(report: EvaluationReport, *, include_plots: bool = False) -> bytes:
    """The report's JSON form, UTF-8."""
    return json.dumps(report.to_dict(include_plots=include_plots), indent=2).encode("utf-8")


def report_html(report: EvaluationReport, gate: Gate | None = None) -> bytes:
    """The report (and its release gate) as one self-contained HTML page."""
    return render_html(report_document(report, gate))


def report_pdf(report: EvaluationReport, gate: Gate | None = None) -> bytes:
    """The report as a PDF with the same content as the HTML page."""
    return render_pdf(report_document(report, gate))


def leaderboard_html(leaderboard: Leaderboard) -> bytes:
    """A comparison of synthesizers as one self-contained HTML page."""
    return render_html(leaderboard_document(leaderboard))


def leaderboard_pdf(leaderboard: Leaderboard) -> bytes:
    """A comparison of synthesizers as a PDF."""
    return render_pdf(leaderboard_document(leaderboard))
