"""Whole-run SVG text: chart labels drawn as one shaped run each, only while reportgen renders."""

from __future__ import annotations

import os
import re
from unittest import mock

import pytest
import weasyprint
import weasyprint.svg

from reportgen.render import svg_text

LABELS = """<svg xmlns="http://www.w3.org/2000/svg" width="300" height="120" viewBox="0 0 300 120"
  font-family="DejaVu Sans">
<text x="10" y="20" font-size="12">AVATAR Tokyo</text>
<text x="290" y="50" font-size="12" font-weight="bold" text-anchor="end">Right edge</text>
<text x="150" y="80" font-size="12" text-anchor="middle">Centred</text>
</svg>"""


def pdf_of(svg: str, *, whole_runs: bool) -> bytes:
    # A fixed SOURCE_DATE_EPOCH, as reportgen's own renders set: without Debian's HarfBuzz subsetter,
    # fontTools stamps the current second into the PDF, and two renders a second apart would differ.
    with mock.patch.dict(os.environ, {"SOURCE_DATE_EPOCH": "1767225600"}):
        if whole_runs:
            with svg_text.whole_run_svg_text() as active:
                assert active
                return weasyprint.HTML(string=svg).write_pdf(uncompressed_pdf=True)
        return weasyprint.HTML(string=svg).write_pdf(uncompressed_pdf=True)


def text_shows(pdf: bytes) -> int:
    return len(re.findall(rb"\bT[jJ]\b", pdf))


def first_positions(pdf: bytes) -> list[bytes]:
    """Where each text object (one per <text>) starts drawing."""
    return [re.search(rb"[-\d. ]+ Tm", block).group().strip()
            for block in re.findall(rb"\bBT\b(.*?)\bET\b", pdf, re.S)]


def test_each_simple_label_is_one_run_where_weasyprint_draws_one_per_letter():
    assert text_shows(pdf_of(LABELS, whole_runs=False)) == len("AVATARTokyo" "Rightedge" "Centred")
    assert text_shows(pdf_of(LABELS, whole_runs=True)) == 3


def test_labels_start_where_weasyprint_starts_them():
    plain, whole = pdf_of(LABELS, whole_runs=False), pdf_of(LABELS, whole_runs=True)
    assert first_positions(whole) == first_positions(plain)
    assert first_positions(whole) == [b"1 0 0 -1 10 20 Tm", b"1 0 0 -1 290 50 Tm", b"1 0 0 -1 150 80 Tm"]


@pytest.mark.parametrize("text", [
    '<text x="10 20 30" y="20">abc</text>',
    '<text x="10" y="20" dx="0 3">abc</text>',
    '<text x="10" y="20" rotate="15">abc</text>',
    '<text x="10" y="20" letter-spacing="2">abc</text>',
    '<text x="10" y="20" dominant-baseline="middle">abc</text>',
    '<text x="10" y="20">a<tspan font-weight="bold">b</tspan>c</text>',
])
def test_per_glyph_text_is_left_to_weasyprint(text):
    svg = f'<svg xmlns="http://www.w3.org/2000/svg" width="100" height="40">{text}</svg>'
    assert pdf_of(svg, whole_runs=True) == pdf_of(svg, whole_runs=False)


def test_weasyprint_is_restored_after_the_render_even_when_it_fails():
    original = weasyprint.svg.TAGS["text"]
    with pytest.raises(RuntimeError):
        with svg_text.whole_run_svg_text():
            assert weasyprint.svg.TAGS["text"] is not original
            assert weasyprint.svg.text is weasyprint.svg.TAGS["tspan"]
            raise RuntimeError("render failed")
    assert weasyprint.svg.TAGS["text"] is original is weasyprint.svg.TAGS["tspan"]
    assert weasyprint.svg.text is original


def test_another_weasyprint_version_renders_untouched(monkeypatch):
    monkeypatch.setattr(weasyprint, "__version__", "71.0")
    original = weasyprint.svg.TAGS["text"]
    with svg_text.whole_run_svg_text() as active:
        assert not active
        assert weasyprint.svg.TAGS["text"] is original


def test_the_pinned_weasyprint_gets_whole_runs():
    # pyproject pins weasyprint 70.x; if that pin moves, this module must be checked against it.
    assert svg_text.supported()
