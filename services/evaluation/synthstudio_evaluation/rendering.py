"""Render a `Document` as a self-contained HTML page or as a PDF (fpdf2), both as bytes."""

from __future__ import annotations

import base64
import html
import io
import struct

from fpdf import FPDF, XPos, YPos
from fpdf.fonts import FontFace

from synthstudio_evaluation.document import Document, Image, KeyValues, Paragraph, Section, Table

_CSS = """
body { font-family: -apple-system, "Segoe UI", Helvetica, Arial, sans-serif; margin: 2rem auto;
       max-width: 1100px; color: #222; line-height: 1.4; }
h1 { font-size: 1.6rem; margin-bottom: 0.2rem; }
.subtitle { color: #666; margin-top: 0; }
h2 { border-bottom: 2px solid #ddd; padding-bottom: 0.2rem; margin-top: 2.5rem; }
table { border-collapse: collapse; margin: 1rem 0; font-size: 0.85rem; }
th, td { border: 1px solid #ddd; padding: 0.25rem 0.5rem; text-align: left; vertical-align: top; }
th { background: #f3f3f3; }
caption { text-align: left; font-weight: 600; padding: 0.3rem 0; }
dl { display: grid; grid-template-columns: max-content auto; gap: 0.2rem 1.5rem; }
dt { font-weight: 600; } dd { margin: 0; font-family: monospace; }
figure { margin: 1rem 0; } figure img { max-width: 100%; border: 1px solid #eee; }
figcaption { color: #555; font-size: 0.85rem; }
"""

#: Characters outside Latin-1 that the report uses, spelled with ones the PDF core fonts have.
_PDF_REPLACEMENTS = str.maketrans(
    {"→": "->", "–": "-", "—": "-", "…": "...", "≤": "<=", "≥": ">=", "’": "'"}
)
_PDF_MARGIN_MM = 15


def render_html(document: Document) -> bytes:
    """A single HTML page, UTF-8, plots embedded as base64 PNG data URIs (no external files)."""
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        f"<title>{_escape(document.title)}</title><style>{_CSS}</style></head><body>",
        f"<h1>{_escape(document.title)}</h1>",
        f'<p class="subtitle">{_escape(document.subtitle)}</p>',
    ]
    for section in document.sections:
        parts.append(f"<section><h2>{_escape(section.title)}</h2>")
        parts += [_html_block(block) for block in section.blocks]
        parts.append("</section>")
    parts.append("</body></html>")
    return "\n".join(parts).encode("utf-8")


def render_pdf(document: Document) -> bytes:
    """An A4 PDF: a title on the first page, then each section starting on a new page."""
    pdf = FPDF(orientation="P", unit="mm", format="A4")
    pdf.set_title(_latin1(document.title))
    pdf.set_creator("Synth Studio evaluation service")
    pdf.set_margins(_PDF_MARGIN_MM, _PDF_MARGIN_MM, _PDF_MARGIN_MM)
    pdf.set_auto_page_break(True, margin=_PDF_MARGIN_MM)
    pdf.add_page()
    pdf.set_font("Helvetica", "B", 16)
    pdf.multi_cell(0, 8, _latin1(document.title), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_font("Helvetica", "", 9)
    pdf.multi_cell(0, 5, _latin1(document.subtitle), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    for position, section in enumerate(document.sections):
        if position > 0:
            pdf.add_page()
        _pdf_section(pdf, section)
    return bytes(pdf.output())


def _html_block(block: Paragraph | KeyValues | Table | Image) -> str:
    if isinstance(block, Paragraph):
        return f"<p>{_escape(block.text)}</p>"
    if isinstance(block, KeyValues):
        items = "".join(
            f"<dt>{_escape(key)}</dt><dd>{_escape(value)}</dd>" for key, value in block.items
        )
        return f"<dl>{items}</dl>"
    if isinstance(block, Table):
        head = "".join(f"<th>{_escape(column)}</th>" for column in block.columns)
        body = "".join(
            "<tr>" + "".join(f"<td>{_escape(cell)}</td>" for cell in row) + "</tr>"
            for row in block.rows
        )
        return (
            f"<table><caption>{_escape(block.caption)}</caption>"
            f"<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"
        )
    encoded = base64.b64encode(block.png).decode("ascii")
    return (
        f'<figure><img alt="{_escape(block.caption)}" src="data:image/png;base64,{encoded}">'
        f"<figcaption>{_escape(block.caption)}</figcaption></figure>"
    )


def _pdf_section(pdf: FPDF, section: Section) -> None:
    pdf.ln(4)
    pdf.set_font("Helvetica", "B", 13)
    pdf.cell(0, 8, _latin1(section.title), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    for block in section.blocks:
        if isinstance(block, Paragraph):
            pdf.set_font("Helvetica", "", 9)
            pdf.multi_cell(0, 4.5, _latin1(block.text), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        elif isinstance(block, KeyValues):
            _pdf_table(pdf, "", ["Measure", "Value"], [list(item) for item in block.items], (2, 3))
        elif isinstance(block, Table):
            _pdf_table(pdf, block.caption, block.columns, block.rows, _widths(block))
        else:
            _pdf_image(pdf, block)
        pdf.ln(2)


def _pdf_table(
    pdf: FPDF,
    caption: str,
    columns: list[str],
    rows: list[list[str]],
    widths: tuple[int, ...] | None,
) -> None:
    if caption:
        pdf.set_font("Helvetica", "B", 9)
        pdf.multi_cell(0, 5, _latin1(caption), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    if not rows:
        pdf.set_font("Helvetica", "I", 8)
        pdf.cell(0, 5, "(none)", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        return
    pdf.set_font("Helvetica", "", 7 if len(columns) > 6 else 8)
    with pdf.table(
        col_widths=widths,
        text_align="LEFT",
        line_height=4,
        headings_style=FontFace(emphasis="BOLD", fill_color=(235, 235, 235)),
    ) as table:
        for values in [columns, *rows]:
            row = table.row()
            for value in values:
                row.cell(_latin1(value))


def _widths(table: Table) -> tuple[int, ...]:
    # Columns get page width in proportion to their longest text (capped, so one long
    # explanation does not squeeze the rest).
    return tuple(
        min(max(len(row[i]) for row in [table.columns, *table.rows]), 40) + 3
        for i in range(len(table.columns))
    )


def _pdf_image(pdf: FPDF, image: Image) -> None:
    width_px, height_px = _png_size(image.png)
    width = pdf.epw
    height = width * height_px / width_px
    tallest = pdf.eph - 12
    if height > tallest:
        width, height = width * tallest / height, tallest
    if pdf.will_page_break(height + 6):
        pdf.add_page()
    pdf.set_font("Helvetica", "I", 8)
    pdf.cell(0, 5, _latin1(image.caption), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.image(io.BytesIO(image.png), w=width, h=height)


def _png_size(png: bytes) -> tuple[int, int]:
    # The IHDR chunk follows the 8-byte signature and 8-byte chunk header: width, height.
    return struct.unpack(">II", png[16:24])


def _escape(text: str) -> str:
    return html.escape(text, quote=True)


def _latin1(text: str) -> str:
    return text.translate(_PDF_REPLACEMENTS).encode("latin-1", "replace").decode("latin-1")
