"""Fonts and accessibility of the HTML and PDF report: no silent boxes for characters no font
has, readable text on brand colours, PDF/UA-1 and PDF/A-3b, landmarks and heading levels.

Few PDF renders, all of the tiny model: one with hard characters, two PDF/UA-1, one PDF/A-3b.
"""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from functools import lru_cache
from html.parser import HTMLParser
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st
from pypdf import PdfReader

from conftest import BRAND, EXAMPLES, TINY_MODEL
from reportgen import pipeline
from reportgen.cli import main
from reportgen.render import Renderer, charts, resources
from reportgen.types import Brand

TINY = """\
team: {team}
organization: Example Org
assessed_on: 2026-05-04
assessor: A. Person
answers:
  b2: yes
  b3: yes
  r2: {{answer: partial, evidence: {evidence}}}
  r2b: yes
  hand-deploys: yes
"""

# U+1F642 is an emoji the shipped DejaVu Sans lacks, U+1F600 one it has; U+FDD0 is a Unicode
# noncharacter, in no font anywhere, so the warning path is taken on every machine.
SMILE, GRIN, NONCHARACTER = "\U0001F642", "\U0001F600", "\uFDD0"
CJK = "数据平台"  # "data platform"
HARD_TEAM = f'"Tiny {SMILE} {CJK} {NONCHARACTER} Team"'
HARD_EVIDENCE = '"Runbook \\u2705 in the wiki \\U0001F600, owner on call"'


def run(*args: object):
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


def tiny(folder: Path, team: str = "Tiny Team", evidence: str = "Runbook in the wiki") -> Path:
    path = folder / "answers.yaml"
    path.write_text(TINY.format(team=team, evidence=evidence), encoding="utf-8")
    return path


def warnings_in(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if line.startswith("warning:")]


@lru_cache(maxsize=1)
def shipped_coverage() -> frozenset[int]:
    from fontTools.ttLib import TTFont

    covered: set[int] = set()
    for path in sorted((resources.ASSETS / "fonts").glob("*.ttf")):
        covered |= set(TTFont(path, lazy=True).getBestCmap())
    return frozenset(covered)


def installed_families(character: str) -> set[str]:
    """Installed font families (fontconfig) that have `character`."""
    fc_list = shutil.which("fc-list")
    if fc_list is None:
        pytest.skip("fc-list (fontconfig) is not installed")
    out = subprocess.run([fc_list, f":charset={ord(character):x}", "family"], capture_output=True, text=True,
                         check=True).stdout
    return {name.strip() for line in out.splitlines() for name in line.split(",") if name.strip()}


def drawable(character: str) -> bool:
    return ord(character) in shipped_coverage() or bool(installed_families(character))


def embedded_fonts(data: bytes) -> set[str]:
    names = set()
    for page in PdfReader(io.BytesIO(data)).pages:
        for font in (page["/Resources"].get("/Font") or {}).values():
            names.add(str(font.get_object()["/BaseFont"]).split("+")[-1])
    return names


# ---------------------------------------------------------------- no tofu

@pytest.fixture(scope="module")
def hard(tmp_path_factory):
    """A PDF whose team name (cover, running header, facts) and evidence hold hard characters."""
    folder = tmp_path_factory.mktemp("hard")
    out = folder / "report.pdf"
    result = run("render", tiny(folder, HARD_TEAM, HARD_EVIDENCE), "--model", TINY_MODEL, "-o", out)
    assert result.exit_code == 0, result.stderr
    return {"stderr": result.stderr, "pdf": out.read_bytes()}


def test_a_character_no_font_has_is_one_warning_naming_it_and_the_pdf_is_still_written(hard):
    expected = [f"warning: no font can draw U+{ord(c):04X} {c} (shown as a box)"
                for c in (SMILE, NONCHARACTER, "\u2705") if not drawable(c)]
    found = [line for line in warnings_in(hard["stderr"]) if not any(c in line for c in CJK)]
    assert found == expected  # once each, though the team name is on every page
    assert "warning: no font can draw U+FDD0" in hard["stderr"]
    assert f"U+1F600 {GRIN}" not in hard["stderr"]  # the shipped DejaVu Sans draws it
    assert hard["pdf"].startswith(b"%PDF-")


def test_cjk_is_drawn_with_noto_sans_cjk_when_installed_else_each_character_is_a_warning(hard):
    cjk_warnings = [line for line in warnings_in(hard["stderr"]) if any(c in line for c in CJK)]
    if "Noto Sans CJK SC" in installed_families(CJK[0]):  # Debian: apt-get install fonts-noto-cjk
        assert cjk_warnings == []
        assert any(name.startswith("Noto-Sans-CJK-SC") for name in embedded_fonts(hard["pdf"])), \
            embedded_fonts(hard["pdf"])
    elif all(drawable(c) for c in CJK):  # another CJK font installed: drawn by it, no warning
        assert cjk_warnings == []
    else:
        assert cjk_warnings == [f"warning: no font can draw U+{ord(c):04X} {c} (shown as a box)"
                                for c in CJK if not drawable(c)]


def test_the_stylesheets_name_noto_sans_cjk_and_a_monochrome_emoji_font_as_fallbacks():
    css = (resources.ASSETS / "report.css").read_text(encoding="utf-8")
    family = re.search(r"html \{ font-family: ([^;]+);", css).group(1)
    names = [name.strip().strip('"') for name in family.split(",")]
    assert names[:2] == ["Reportgen Sans", "Reportgen Fallback"]
    assert names.index("Noto Sans CJK SC") < names.index("sans-serif")
    assert "Symbola" in names and names[-1] == "sans-serif"
    assert "Noto Sans CJK SC" in charts.FONT  # chart labels (dimension names) too


# ---------------------------------------------------------------- contrast

LIGHT, DARK = "#f2c94c", "#1f3a5f"
# What the stylesheets draw, (text, background) by custom property name; html.TEXT_ON_COLOUR lists them too.
PAIRS = [("on-primary", "primary"), ("on-accent", "accent"), ("primary-dark", "primary-tint"),
         ("primary-ink", "primary-tint"), ("on-primary-dark", "primary-dark"), ("ink", "primary-tint"),
         ("ink", "primary-soft"), ("ink", "accent-tint")]


def ratio(a: str, b: str) -> float:
    """WCAG 2.x contrast ratio, written out here rather than taken from the code under test."""
    def luminance(colour: str) -> float:
        channels = [int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
        r, g, b = (c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
        return 0.2126 * r + 0.7152 * g + 0.0722 * b
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def css_colours(brand: Brand) -> dict[str, str]:
    """The custom properties the brand's CSS gives the report, as the HTML carries them."""
    from reportgen.render.html import brand_css

    colours = dict(re.findall(r"--([a-z-]+):(#[0-9a-fA-F]{6})", str(brand_css(brand, "a4"))))
    colours.setdefault("ink", charts.INK)
    return colours


def brands() -> list[Brand]:
    return [Brand(primary_color=LIGHT, accent_color=LIGHT), Brand(primary_color=DARK, accent_color=DARK),
            Brand(primary_color=DARK, accent_color=LIGHT), Brand(), pipeline.load_brand(BRAND)]


def test_wcag_contrast_ratio():
    assert ratio("#000000", "#ffffff") == pytest.approx(21)
    assert ratio("#777777", "#ffffff") == pytest.approx(4.48, abs=0.01)
    for a, b in [("#000000", "#ffffff"), ("#ffffff", "#ffffff"), ("#777777", "#ffffff"), ("#1f3a5f", "#2a9d8f")]:
        assert charts.contrast(a, b) == pytest.approx(ratio(a, b)) == pytest.approx(charts.contrast(b, a))


@pytest.mark.parametrize("brand", brands(), ids=["light", "dark", "dark-light", "default", "example"])
def test_every_text_on_a_brand_colour_reaches_aa(brand):
    colours = css_colours(brand)
    for text, background in PAIRS:
        found = ratio(colours[text], colours[background])
        assert found >= 4.5, f"--{text} {colours[text]} on --{background} {colours[background]}: {found:.2f}:1"
    for background in ("primary", "accent"):  # light or dark, whichever contrasts more
        chosen = colours[f"on-{background}"]
        other = charts.INK if chosen == "#ffffff" else "#ffffff"
        assert ratio(chosen, colours[background]) >= ratio(other, colours[background])


def test_the_example_brands_accent_pills_were_below_aa_and_are_now_above():
    colours = css_colours(pipeline.load_brand(BRAND))
    assert colours["accent"] == "#2a9d8f"
    assert ratio("#ffffff", "#2a9d8f") < 4.5  # the white 8 pt text it had: 3.3:1
    assert colours["on-accent"] == charts.INK and ratio(charts.INK, "#2a9d8f") >= 4.5  # 4.76:1
    assert css_colours(Brand())["on-accent"] != "#ffffff"  # white on the default amber was 2.9:1


def test_a_light_brand_darkens_headings_and_puts_dark_text_on_its_colour():
    colours = css_colours(Brand(primary_color=LIGHT, accent_color=LIGHT))
    assert colours["on-primary"] == colours["on-accent"] == charts.INK
    assert colours["primary-ink"] != LIGHT and ratio(colours["primary-ink"], "#ffffff") >= 4.5
    dark = css_colours(Brand(primary_color=DARK, accent_color=DARK))
    assert dark["on-primary"] == dark["on-accent"] == "#ffffff" and dark["primary-ink"] == DARK


def test_the_stylesheet_draws_no_text_in_a_raw_brand_colour():
    css = (resources.ASSETS / "report.css").read_text(encoding="utf-8")
    assert not re.findall(r"(?<![-\w])color:\s*var\(--(?:primary|accent)\)", css)


hex_colour = st.integers(0, 0xFFFFFF).map(lambda n: f"#{n:06x}")


@settings(max_examples=300, deadline=None)
@given(hex_colour, hex_colour)
def test_any_brand_colours_give_readable_text(primary, accent):
    from reportgen.render.html import TEXT_ON_COLOUR, brand_colours

    colours = {**brand_colours(primary, accent), "ink": charts.INK}
    assert set(PAIRS) <= set(TEXT_ON_COLOUR)
    for text, background in TEXT_ON_COLOUR:
        assert ratio(colours[text], colours[background]) >= 4.5, (text, background, colours)
    assert ratio(charts.on(primary), primary) >= 4.5
    assert ratio(charts.readable(accent, "#ffffff"), "#ffffff") >= 4.5


def rect_text_pairs(svg: str) -> list[tuple[str, str]]:
    """(text fill, fill of the rect drawn just before it) for every text of a ladder chart."""
    pairs, fill = [], None
    for tag, colour in re.findall(r'<(rect|text)\b[^>]*?\bfill="(#[0-9a-f]{6})"', svg):
        if tag == "rect":
            fill = colour
        elif fill is not None:
            pairs.append((colour, fill))
    return pairs


@pytest.mark.parametrize("primary, accent", [(LIGHT, LIGHT), (DARK, "#d9822b"), ("#12355b", "#2a9d8f")])
def test_ladder_labels_on_steps_and_tags_reach_aa(primary, accent):
    levels = [{"number": n, "name": f"Level {n}", "focus": "Focus words here"} for n in range(1, 6)]
    svg = str(charts.ladder_svg(levels, 3, 4, primary, accent))
    pairs = rect_text_pairs(svg)
    assert len(pairs) >= 15
    for text, background in pairs:
        assert ratio(text, background) >= 4.5, (text, background)


# ---------------------------------------------------------------- PDF variants

def xmp(reader: PdfReader) -> str:
    return reader.trailer["/Root"]["/Metadata"].get_object().get_data().decode("utf-8")


def test_pdf_ua_1_is_tagged_and_byte_identical_across_renders(tmp_path):
    answers = tiny(tmp_path)
    first, second = tmp_path / "a.pdf", tmp_path / "b.pdf"
    for out in (first, second):
        result = run("render", answers, "--model", TINY_MODEL, "-o", out, "--pdf-variant", "pdf/ua-1")
        assert result.exit_code == 0, result.stderr
    assert first.read_bytes() == second.read_bytes()
    reader = PdfReader(first)
    root = reader.trailer["/Root"]
    assert root["/MarkInfo"]["/Marked"] == True  # noqa: E712 (a pypdf BooleanObject)
    assert root["/StructTreeRoot"].get_object()["/Type"] == "/StructTreeRoot"
    assert root["/ViewerPreferences"]["/DisplayDocTitle"] == True  # noqa: E712
    assert root["/Lang"] == "en"
    assert 'pdfuaid:part="1"' in xmp(reader)
    assert reader.metadata.title == "Tiny Team: maturity assessment and roadmap"


def test_pdf_a_3b_has_an_output_intent_and_its_xmp_identification(tmp_path):
    out = tmp_path / "a.pdf"
    result = run("render", tiny(tmp_path), "--model", TINY_MODEL, "-o", out, "--pdf-variant", "PDF/A-3b")
    assert result.exit_code == 0, result.stderr
    assert warnings_in(result.stderr) == []  # every character of the report has a font
    reader = PdfReader(out)
    intents = reader.trailer["/Root"]["/OutputIntents"]
    assert [intent.get_object()["/S"] for intent in intents] == ["/GTS_PDFA1"]
    meta = xmp(reader)
    assert 'pdfaid:part="3"' in meta and 'pdfaid:conformance="B"' in meta
    assert "<xmp:CreateDate>2026-05-04</xmp:CreateDate>" in meta  # assessed_on, never the clock
    assert "/StructTreeRoot" not in reader.trailer["/Root"]


@pytest.mark.parametrize("args, message", [
    (["--pdf-variant", "pdf/x-4"], "'pdf/x-4' is not one of"),
    (["--pdf-variant", "pdf/ua-1", "--format", "md"], "applies to PDF output"),
])
def test_a_pdf_variant_that_cannot_be_written_is_a_usage_error(tmp_path, args, message):
    result = run("render", tiny(tmp_path), "--model", TINY_MODEL, "-o", tmp_path, *args)
    assert result.exit_code == 2
    assert message in result.stderr
    assert not list(tmp_path.glob("*.pdf")) and not list(tmp_path.glob("*.md"))


# ---------------------------------------------------------------- HTML landmarks and headings

class Outline(HTMLParser):
    """The <main> elements, the headings (level, text) and whether each h1 sits inside <main>."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.mains = 0
        self.depth_in_main = 0
        self.headings: list[tuple[int, str, bool]] = []
        self._heading: list | None = None

    def handle_starttag(self, tag, attrs):
        if tag == "main":
            self.mains += 1
            self.depth_in_main += 1
        if re.fullmatch(r"h[1-6]", tag):
            self._heading = [int(tag[1]), "", self.depth_in_main > 0]

    def handle_endtag(self, tag):
        if tag == "main":
            self.depth_in_main -= 1
        if re.fullmatch(r"h[1-6]", tag) and self._heading is not None:
            self.headings.append((self._heading[0], " ".join(self._heading[1].split()), self._heading[2]))
            self._heading = None

    def handle_data(self, data):
        if self._heading is not None:
            self._heading[1] += data


@pytest.mark.parametrize("example", sorted(EXAMPLES.glob("*.yaml")), ids=lambda p: p.stem)
def test_report_html_has_one_main_landmark_and_skips_no_heading_level(example):
    from reportgen.progress import since_previous

    result = pipeline.assess(pipeline.load_answers(example))
    result = since_previous(result, pipeline.result_for(example))  # every chapter, "since" included
    html = Renderer(brand=pipeline.load_brand(BRAND)).render(result, "html").decode("utf-8")
    assert re.search(r'<html lang="[a-z]{2}', html)
    outline = Outline()
    outline.feed(html)
    assert outline.mains == 1
    assert outline.headings and outline.headings[0][0] == 1
    assert all(inside for level, _, inside in outline.headings if level == 1), "a chapter outside <main>"
    previous = 0
    for level, text, _ in outline.headings:
        assert level <= previous + 1, f"h{previous} then h{level} ({text!r})"
        previous = level
