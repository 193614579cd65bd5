"""The PDF speed-ups that must not change a byte: the lean user-agent sheet and the paused collector."""

from __future__ import annotations

import gc
import re
import weakref
from pathlib import Path

import pytest
import weasyprint
from pypdf import PdfReader

from conftest import BRAND, EXAMPLES
from reportgen import pipeline
from reportgen.batch.portfolio import build_portfolio, team_summary
from reportgen.errors import RenderError
from reportgen.render import Renderer, pdf, resources, ua_sheet
from reportgen.render.html import build_html


@pytest.fixture(autouse=True)
def fixed_source_date_epoch(monkeypatch):
    """Bare WeasyPrint renders compared byte for byte need a fixed SOURCE_DATE_EPOCH: without Debian's
    HarfBuzz subsetter, fontTools stamps the current second into the PDF (reportgen's own renders pin it)."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")

PLAIN = """<html><head><style>body { font-family: DejaVu Sans }</style></head><body>
<h1>Findings</h1><ol><li>First</li><li>Second <q>quoted</q></li></ol>
<ul><li>Bullet<ul><li>Nested</li></ul></li></ul><p>Text<br>after a break</p>
<table><tr><th>A</th><td>1</td></tr></table></body></html>"""

# Documents whose CSS needs a rule the lean sheet leaves out.
NEEDS_FULL_SHEET = {
    "footnote": '<style>.fn { float: footnote }</style><p>Claim<span class="fn">Source</span>.</p>',
    "note": '<style>.n { position: note(side) }</style><p>Claim<span class="n">Aside</span>.</p>',
    "style attribute": '<p>Claim<span style="float: footnote">Source</span>.</p>',
    "list item": '<style>.item { display: list-item }</style><div class="item">Item</div>',
    "CSS escape": '<style>.fn { float: foot\\6e ote }</style><p>Claim<span class="fn">Source</span>.</p>',
    "import": '<style>@import url(other.css);</style><p>Text</p>',
}


def per_element_pseudo_elements(sheet: weasyprint.CSS) -> list[str]:
    """Pseudo-elements that a sheet's selectors without a tag, class or id give to every element."""
    # cssselect2 keeps those selectors as (test, specificity, order, pseudo_type, payload).
    return sorted(selector[3] for selector in sheet.matcher.other_selectors if selector[3])


def ua_sheet_of(html: str, base_url: str | None = None) -> weasyprint.CSS:
    return ua_sheet.ReportHTML(string=html, base_url=base_url)._ua_stylesheets()[0]


def test_the_lean_sheet_is_weasyprints_without_its_per_element_pseudo_element_rules():
    lean = ua_sheet.lean_stylesheet()
    assert lean is not None, "the pinned WeasyPrint's sheet should be recognised"
    assert ua_sheet_of(PLAIN) is lean
    full = weasyprint.HTML(string=PLAIN)._ua_stylesheets()[0]
    assert per_element_pseudo_elements(full) == ["footnote-call", "footnote-marker", "marker", "note-call",
                                                 "note-callback", "note-marker"]
    assert per_element_pseudo_elements(lean) == []


def test_a_plain_document_renders_the_same_bytes_as_with_weasyprints_own_sheet():
    lean = ua_sheet.ReportHTML(string=PLAIN).write_pdf()
    full = weasyprint.HTML(string=PLAIN).write_pdf()
    assert lean == full


@pytest.mark.parametrize("body", NEEDS_FULL_SHEET.values(), ids=NEEDS_FULL_SHEET.keys())
def test_css_that_may_need_the_full_sheet_gets_it(body):
    assert ua_sheet_of(body) is not ua_sheet.lean_stylesheet()


def test_footnotes_still_render_with_their_call_and_marker():
    body = NEEDS_FULL_SHEET["footnote"]
    assert ua_sheet.ReportHTML(string=body).write_pdf() == weasyprint.HTML(string=body).write_pdf()


def test_a_linked_stylesheet_is_read_to_choose_the_sheet(tmp_path):
    (tmp_path / "plain.css").write_text("p { color: navy }", encoding="utf-8")
    (tmp_path / "notes.css").write_text(".fn { float: footnote }", encoding="utf-8")
    base = tmp_path.as_uri() + "/"
    lean = ua_sheet.lean_stylesheet()
    assert ua_sheet_of('<link rel="stylesheet" href="plain.css"><p>x</p>', base) is lean
    assert ua_sheet_of('<link rel="stylesheet" href="notes.css"><p>x</p>', base) is not lean
    assert ua_sheet_of('<link rel="stylesheet" href="missing.css"><p>x</p>', base) is not lean


def test_another_weasyprint_sheet_falls_back_to_weasyprints_own(monkeypatch):
    monkeypatch.setattr(ua_sheet, "WEASYPRINT_UA", "p { margin: 1em 0 }\n::marker { color: red }\n")
    ua_sheet.lean_stylesheet.cache_clear()
    try:
        assert ua_sheet.lean_stylesheet() is None
        assert ua_sheet_of(PLAIN) is weasyprint.HTML(string=PLAIN)._ua_stylesheets()[0]
    finally:
        monkeypatch.undo()
        ua_sheet.lean_stylesheet.cache_clear()


@pytest.mark.parametrize("kind", ["report", "portfolio"])
def test_reportgens_own_templates_take_the_lean_path(kind):
    """Otherwise the saving silently disappears: a new rule in a template could trigger the full sheet."""
    renderer = Renderer(brand=pipeline.load_brand(BRAND))
    results = {path.stem: pipeline.result_for(path) for path in sorted(EXAMPLES.glob("*.yaml"))}
    if kind == "report":
        html = build_html(renderer, results["level1-startup"], "report", media="pdf")
    else:
        portfolio = build_portfolio(team_summary(name, result) for name, result in results.items())
        html = build_html(renderer, portfolio, "portfolio", media="pdf")
    assert ua_sheet_of(html, resources.ASSETS.resolve().as_uri() + "/") is ua_sheet.lean_stylesheet()
    assert not re.search(r"footnote|list-item", (resources.ASSETS / "report.css").read_text(encoding="utf-8"))


def test_a_template_with_footnotes_renders(tmp_path, cli):
    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / "report.html.j2").write_text(
        '{% extends "builtin/report.html.j2" %}\n'
        '{% block styles %}{{ super() }}<style>.fn { float: footnote }</style>{% endblock %}\n'
        '{% block summary %}<p>Sources<span class="fn">Our own survey.</span></p>{{ super() }}{% endblock %}\n',
        encoding="utf-8")
    out = tmp_path / "out.pdf"
    result = cli("render", EXAMPLES / "level1-startup.yaml", "--format", "pdf", "--templates", templates,
                 "-o", out)
    assert result.exit_code == 0, result.output
    text = "".join(page.extract_text() for page in PdfReader(out).pages)
    assert "Sources1" in text and "1. Our own survey." in text  # the call and the footnote


class Cycle:
    def __init__(self) -> None:
        self.me = self


def test_the_collector_waits_for_the_render_and_then_frees_its_cycles():
    assert gc.isenabled()
    with pdf._collect_once():
        assert not gc.isenabled()
        garbage = weakref.ref(Cycle())
        assert garbage() is not None, "nothing is collected during the render"
    assert gc.isenabled()
    assert garbage() is None, "the render's cycles are freed as soon as it ends"


def test_a_pdf_render_leaves_no_cyclic_garbage_behind():
    """The render's own cycles (about 60,000 objects) are freed when it ends, not at some later pass."""
    renderer, result = Renderer(), pipeline.result_for(EXAMPLES / "level4-enterprise.yaml")
    renderer.render(result, "pdf")
    gc.collect()
    renderer.render(result, "pdf")
    assert gc.collect() < 1000


def test_a_host_that_disabled_the_collector_keeps_it_disabled():
    gc.disable()
    try:
        with pdf._collect_once():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_a_failed_render_turns_the_collector_back_on(tmp_path):
    renderer = Renderer(templates=tmp_path)
    (tmp_path / "report.html.j2").write_text('<img src="http://127.0.0.1:9/x.png">', encoding="utf-8")
    with pytest.raises(RenderError):
        renderer.render(pipeline.result_for(EXAMPLES / "level1-startup.yaml"), "pdf")
    assert gc.isenabled()
