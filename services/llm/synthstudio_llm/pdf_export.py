"""PDF rendering of an approved compliance report (fpdf2)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from fpdf import FPDF
from fpdf.enums import XPos, YPos

# The PDF core fonts are Latin-1 only; typographic punctuation is mapped to its ASCII form and
# anything else outside Latin-1 becomes "?" rather than failing the export.
_ASCII_PUNCTUATION = str.maketrans(
    {"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"', "\u2013": "-", "\u2014": "-"}
    | {"\u2026": "...", "\u2022": "-", "\u2264": "<=", "\u2265": ">=", "\u03b5": "epsilon"}
)


@dataclass(frozen=True)
class Approval:
    """Who approved the report and when, printed on every page."""

    artifact_id: str
    revision: int
    reviewer: str
    approve_time: datetime


def latin1(text: str) -> str:
    """`text` in the core fonts' Latin-1 character set."""
    return text.translate(_ASCII_PUNCTUATION).encode("latin-1", "replace").decode("latin-1")


class _ReportPdf(FPDF):
    def __init__(self, approval: Approval) -> None:
        super().__init__(format="A4")
        self._approval = approval
        self.set_auto_page_break(auto=True, margin=18)
        self.set_margins(18, 18, 18)

    def footer(self) -> None:
        self.set_y(-12)
        self.set_font("Helvetica", size=8)
        approval = self._approval
        self.cell(
            0,
            6,
            latin1(
                f"Artifact {approval.artifact_id} rev. {approval.revision} - approved by "
                f"{approval.reviewer} on {approval.approve_time:%Y-%m-%d} - page {self.page_no()}"
            ),
            align="C",
        )

    def heading(self, text: str, size: int = 13) -> None:
        self.ln(3)
        self.set_font("Helvetica", style="B", size=size)
        self.multi_cell(0, size * 0.55, latin1(text), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.ln(1)

    def paragraph(self, text: str) -> None:
        self.set_font("Helvetica", size=10)
        for line in text.splitlines() or [""]:
            self.multi_cell(0, 5, latin1(line), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.ln(1)

    def grid(self, header: list[str], rows: list[list[str]], widths: tuple[int, ...]) -> None:
        self.set_font("Helvetica", size=9)
        with self.table(col_widths=widths, text_align="LEFT", line_height=4.5) as table:
            for values in [header, *rows]:
                row = table.row()
                for value in values:
                    row.cell(latin1(value))
        self.ln(2)


def compliance_report_pdf(report: dict[str, Any], approval: Approval) -> bytes:
    """The compliance report output (the `compliance_report` feature's schema) as a PDF."""
    pdf = _ReportPdf(approval)
    pdf.set_title(latin1(report["title"]))
    pdf.set_creator("Synth Studio")
    pdf.set_author(latin1(approval.reviewer))
    pdf.add_page()
    pdf.heading(report["title"], size=16)
    pdf.paragraph(f"Regulation: {report['regulation']}")
    pdf.heading("Executive summary")
    pdf.paragraph(report["executive_summary"])
    for section in report["sections"]:
        pdf.heading(section["heading"])
        pdf.paragraph(section["body"])
    if report["pii_inventory"]:
        pdf.heading("PII inventory")
        pdf.grid(
            ["Column", "Entity", "Treatment", "Status"],
            [
                [item["column"], item["entity_type"], item["treatment"], item["status"]]
                for item in report["pii_inventory"]
            ],
            (40, 40, 40, 34),
        )
    if report["residual_risks"]:
        pdf.heading("Residual risks")
        pdf.grid(
            ["Metric", "Risk", "Rating"],
            [
                [item["metric"], f"{item['risk']:.3f}", item["rating"]]
                for item in report["residual_risks"]
            ],
            (74, 40, 40),
        )
    pdf.heading("Open issues")
    pdf.paragraph("\n".join(f"- {issue}" for issue in report["open_issues"]) or "None.")
    pdf.heading("Disclaimer", size=11)
    pdf.paragraph(report["disclaimer"])
    return bytes(pdf.output())
