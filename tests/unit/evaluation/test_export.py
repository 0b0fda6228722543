"""HTML and PDF exports: self-contained, with the plots, and the same content."""

from __future__ import annotations

import base64
import io
import re

import pypdf

from synthstudio_evaluation import compare_reports, leaderboard_pdf, report_html, report_pdf

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def test_html_embeds_every_plot(good_report):
    page = report_html(good_report).decode("utf-8")

    images = re.findall(r'src="data:image/png;base64,([A-Za-z0-9+/=]+)"', page)
    assert len(images) == len(good_report.plots) >= 12
    assert all(base64.b64decode(image).startswith(PNG_SIGNATURE) for image in images)
    assert not re.search(r'(src|href)="(https?:)?//', page)
    headings = ["Fidelity", "Utility", "Privacy risk", "Holdout split", "TSTR/TRTR"]
    captions = ["Distribution of diamonds.price", "Column associations in diamonds"]
    for text in headings + captions:
        assert text in page


def test_pdf_has_a_page_per_section_with_text_and_images(good_report):
    reader = pypdf.PdfReader(io.BytesIO(report_pdf(good_report)))

    texts = [page.extract_text() for page in reader.pages]
    assert len(reader.pages) >= 5
    assert reader.metadata.title.startswith("Synthetic data evaluation: gaussian_copula")
    assert "Summary" in texts[0] and "Overall score" in texts[0]
    assert any(text.startswith("Holdout split") for text in texts)
    for section in ("Fidelity", "Utility", "Privacy risk"):
        assert any(text.startswith(section) for text in texts), section
    everything = "\n".join(texts)
    assert f"{good_report.utility.ratio:.3f}" in everything
    assert good_report.holdout.holdout_index_sha256 in everything
    image_count = sum(len(page.images) for page in reader.pages)
    assert image_count == len(good_report.plots)


def test_leaderboard_pdf_lists_every_synthesizer(good_report, shuffled_report, copied_report):
    leaderboard = compare_reports([good_report, shuffled_report, copied_report])

    reader = pypdf.PdfReader(io.BytesIO(leaderboard_pdf(leaderboard)))

    text = "\n".join(page.extract_text() for page in reader.pages)
    for name in ("gaussian_copula", "shuffled", "copy", "FAILED", "PASSED"):
        assert name in text
    assert sum(len(page.images) for page in reader.pages) == 1
