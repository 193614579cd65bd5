"""HTML and PDF reports: content, structure, branding, determinism, overrides, hostile input.

PDF renders cost about a second each, so each module-scoped fixture renders once
and several tests read it.
"""

from __future__ import annotations

import io
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from pypdf import PdfReader

from conftest import BRAND, EXAMPLES, ROOT, TINY_MODEL
from reportgen.cli import main
from reportgen.errors import RenderError
from reportgen.render import resources

EXAMPLE = EXAMPLES / "level2-feature-store-too-early.yaml"
REPORTGEN = [sys.executable, "-m", "reportgen"]

TINY_ANSWERS = """\
team: Tiny Team
organization: Example Org
assessed_on: 2026-05-04
assessor: A. Person
answers:
  b2: yes
  b3: yes
  r2: {answer: partial, evidence: Runbook in the wiki, note: Owner is the on-call lead}
  r2b: yes
  hand-deploys: yes
"""

# Every string an answers file controls, each carrying one injection vector.
HOSTILE_ANSWERS = """\
team: '<img src="file:///etc/passwd"> Evil <script>alert(1)</script>'
organization: '<link rel="attachment" href="file:///etc/passwd">'
assessor: '<style>@import url(http://127.0.0.1:9/x.css); body { background: url(http://127.0.0.1:9/b.png) }</style>'
answers:
  b2:
    answer: yes
    evidence: '<img src="file:///etc/passwd"><iframe src="http://127.0.0.1:9/"></iframe>'
    note: '<a rel="attachment" href="file:///etc/passwd">x</a> <object data="file:///etc/shadow"></object>'
  r2:
    answer: partial
    evidence: 'style="background:url(http://127.0.0.1:9/c.png)" ]]> --> <!-- &lt;'
  hand-deploys: {answer: yes, evidence: '<svg onload="alert(2)"><image href="file:///etc/passwd"/></svg>'}
"""


def run(*args: object) -> Result:
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def pdf_text(data: bytes) -> str:
    reader = PdfReader(io.BytesIO(data))
    return "\n".join(page.extract_text() for page in reader.pages)


def flat(text: str) -> str:
    """Extracted text on one line; a word broken after its hyphen at a line end ("role-\nbased") joined again."""
    return " ".join(re.sub(r"-\n(?=[a-z])", "-", text).split())


def outline(reader: PdfReader) -> list[tuple[int, str, int]]:
    """(depth, title, page index) of every bookmark."""
    found = []

    def walk(items, depth):
        for item in items:
            if isinstance(item, list):
                walk(item, depth + 1)
            else:
                found.append((depth, item.title, reader.get_destination_page_number(item)))
    walk(reader.outline, 0)
    return found


# ---------------------------------------------------------------- the example, branded, A4

@pytest.fixture(scope="module")
def example(tmp_path_factory):
    """The level-2 example rendered once in every format with the example brand."""
    out = tmp_path_factory.mktemp("example")
    result = run("render", EXAMPLE, "-o", out, "--format", "md,html,pdf,json", "--brand", BRAND)
    assert result.exit_code == 0, result.stderr
    files = {p.suffix[1:]: p for p in out.iterdir()}
    return {
        "result": json.loads(files["json"].read_text()),
        "md": files["md"].read_text(),
        "html": files["html"].read_text(),
        "pdf": files["pdf"].read_bytes(),
    }


def test_pdf_has_a_sane_page_count_a4_pages_and_metadata(example):
    reader = PdfReader(io.BytesIO(example["pdf"]))
    r = example["result"]
    assert 10 <= len(reader.pages) <= 40
    assert {(round(float(p.mediabox.width)), round(float(p.mediabox.height))) for p in reader.pages} == {(595, 842)}
    meta = reader.metadata
    assert meta.title == f"{r['team']}: maturity assessment and roadmap"
    assert meta.author == f"{r['assessor']}, Northwind Advisory"
    assert meta.subject.startswith(f"Level {r['overall_level']} of 5 ({r['overall_name']}), target level {r['target_level']}")
    assert "MLOps" in meta["/Keywords"] and r["team"] in meta["/Keywords"]
    assert meta["/CreationDate"] == meta["/ModDate"] == "D:" + r["assessed_on"].replace("-", "")
    assert "/EmbeddedFiles" not in str(reader.trailer["/Root"].get("/Names", {}))


def test_pdf_outline_follows_the_report_structure(example):
    reader = PdfReader(io.BytesIO(example["pdf"]))
    marks = outline(reader)
    top = [title for depth, title, _ in marks if depth == 0]
    assert top == ["Contents", "Executive summary", "Risks and dependencies", "Next steps",
                   "Level profile by dimension", "Findings by dimension",
                   "Stop doing", "Start doing", "Investment roadmap", "Appendix A: methodology",
                   "Appendix B: answers and evidence"]
    pages = [page for _, _, page in marks]
    assert pages == sorted(pages)  # in reading order
    r = example["result"]
    assert [t for d, t, _ in marks if t.startswith("Phase ")] == [f"Phase {p['phase']}: {p['title']}" for p in r["roadmap"]]


def test_appendix_headings_stay_with_their_first_row(example):
    # Appendix tables may continue on the next page; a heading must never end a page alone.
    reader = PdfReader(io.BytesIO(example["pdf"]))
    marks = outline(reader)
    appendix = [title for _, title, _ in marks].index("Appendix B: answers and evidence")
    headings = {title: page for _, title, page in marks[appendix + 1:]}
    answers = example["result"]["answers"]
    for d in example["result"]["dimensions"]:
        first = next(a for a in answers if a["kind"] == "capability" and a["dimension"] == d["id"])
        assert first["title"] in flat(reader.pages[headings[d["name"]]].extract_text()), d["name"]
    first_practice = next(a for a in answers if a["kind"] == "anti-pattern")
    assert first_practice["title"] in flat(reader.pages[headings["Practices to stop"]].extract_text())


def test_no_table_leaves_its_last_row_alone_on_a_page():
    # For every table length around a page break, the rows that continue on the next page are never
    # just the last one: the report's stylesheet sends the row before it along.
    from reportgen.render import pdf

    font_config, stylesheets = pdf._stylesheets()
    lone_last_rows = []
    for rows in range(20, 34):
        body = "".join(f'<tr><td style="height: 9mm">row-{i}</td></tr>' for i in range(1, rows + 1))
        html = f"<table><thead><tr><th>Head</th></tr></thead><tbody>{body}</tbody></table>"
        document = pdf.ReportHTML(string=html).render(font_config=font_config, stylesheets=list(stylesheets))
        reader = PdfReader(io.BytesIO(document.write_pdf()))
        on_last_page = re.findall(r"row-\d+", reader.pages[-1].extract_text())
        assert len(reader.pages) == 1 or on_last_page, rows
        if len(reader.pages) > 1 and len(on_last_page) == 1:
            lone_last_rows.append(rows)
    assert lone_last_rows == []


def test_every_fixed_layout_table_sizes_each_of_its_columns(example):
    # A fixed-layout table without a <col> per column gets equal columns: squeezed text.
    tables = re.findall(r'<table class="[^"]*\bfixed\b[^"]*">(.*?)</table>', example["html"], re.S)
    assert len(tables) >= 12  # the levels, profile and roadmap tables and one per dimension
    for table in tables:
        colgroup = re.search(r"<colgroup>(.*?)</colgroup>", table, re.S)
        header = re.search(r"<thead>(.*?)</thead>", table, re.S).group(1)
        assert colgroup and colgroup.group(1).count("<col") == header.count("<th"), table[:200]


def test_cover_has_no_running_header_and_later_pages_say_page_x_of_y(example):
    reader = PdfReader(io.BytesIO(example["pdf"]))
    n = len(reader.pages)
    cover = flat(reader.pages[0].extract_text())
    assert "Page 1 of" not in cover
    assert "Northwind Advisory" in cover and "Confidential" in cover.title()
    for i in (1, n // 2, n - 1):
        text = flat(reader.pages[i].extract_text())
        assert f"Page {i + 1} of {n}" in text
        assert example["result"]["team"] in text  # running header
        assert "Northwind Advisory · MLOps maturity assessment · Confidential" in text  # brand footer


def test_table_of_contents_page_numbers_match_the_bookmarks(example):
    reader = PdfReader(io.BytesIO(example["pdf"]))
    contents = flat(reader.pages[1].extract_text())
    for depth, title, page in outline(reader):
        if depth == 0 and title != "Contents":
            match = re.search(re.escape(title) + r"[ .]*?(\d+)\b", contents)
            assert match, title
            assert int(match.group(1)) == page + 1, title


def test_markdown_html_and_pdf_say_the_same_things(example):
    r = example["result"]
    text = flat(pdf_text(example["pdf"]))
    html = example["html"]
    md = flat(example["md"].replace("\\", ""))  # Markdown escapes punctuation with backslashes
    from markupsafe import escape
    must = [r["team"], r["organization"], r["assessed_on"], r["assessor"], r["verdict"],
            f"Level {r['overall_level']}", r["overall_name"]]
    must += [f["title"] for f in r["findings"]] + [p["title"] for p in r["path_up"]]
    must += [s["title"] for s in r["stop"]] + [s["title"] for s in r["start"]]
    must += [p["title"] for p in r["roadmap"]] + [d["name"] for d in r["dimensions"]]
    must += [a["evidence"] for a in r["answers"] if a["evidence"]]
    for phrase in must:
        assert flat(phrase) in text, phrase
        assert str(escape(phrase)) in html, phrase
        assert flat(phrase) in md, phrase


def test_executive_summary_fits_on_one_page(example):
    reader = PdfReader(io.BytesIO(example["pdf"]))
    marks = {title: page for depth, title, page in outline(reader) if depth == 0}
    assert marks["Risks and dependencies"] == marks["Executive summary"] + 1
    summary = flat(reader.pages[marks["Executive summary"]].extract_text())
    r = example["result"]
    for s in r["stop"][:3] + r["path_up"] + r["findings"]:
        assert flat(s["title"]) in summary, s["title"]
    assert flat(r["verdict"]) in summary
    assert f"level {r['target_level']}, {r['target_name']}" in summary


def test_html_is_one_self_contained_file(example):
    html = example["html"]
    assert html.startswith("<!DOCTYPE html>")
    assert "<style>" in html and "<link" not in html and "<script" not in html
    srcs = re.findall(r'\bsrc="([^"]*)"', html)
    assert srcs and all(s.startswith("data:image/svg+xml;base64,") for s in srcs)  # the brand logo, inlined
    assert not re.search(r"url\((?!#|data:)", html)
    assert html.count("<svg") == 3  # ladder, profile, timeline


def test_fonts_ship_with_the_project_and_are_embedded(example):
    fonts = set()
    reader = PdfReader(io.BytesIO(example["pdf"]))
    for page in reader.pages:
        for font in (page["/Resources"].get("/Font") or {}).values():
            font = font.get_object()
            descendant = font["/DescendantFonts"][0].get_object() if "/DescendantFonts" in font else font
            descriptor = descendant["/FontDescriptor"].get_object()
            assert any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3")), font["/BaseFont"]
            fonts.add(str(font["/BaseFont"]).split("+")[-1])
    assert fonts and all(name.startswith("Reportgen-") for name in fonts), fonts


# ---------------------------------------------------------------- determinism, paper size

@pytest.fixture(scope="module")
def tiny(tmp_path_factory):
    folder = tmp_path_factory.mktemp("tiny")
    return write(folder, "answers.yaml", TINY_ANSWERS)


def test_pdf_is_byte_identical_across_renders_and_processes(tiny, tmp_path):
    first, second, fresh = tmp_path / "a.pdf", tmp_path / "b.pdf", tmp_path / "c.pdf"
    assert run("render", tiny, "--model", TINY_MODEL, "-o", first).exit_code == 0
    assert run("render", tiny, "--model", TINY_MODEL, "-o", second).exit_code == 0
    env = {k: v for k, v in os.environ.items() if k != "SOURCE_DATE_EPOCH"}
    subprocess.run(REPORTGEN + ["render", str(tiny), "--model", str(TINY_MODEL), "-o", str(fresh)],
                   check=True, env=env, capture_output=True, cwd=ROOT)
    assert first.read_bytes() == second.read_bytes() == fresh.read_bytes()
    assert "SOURCE_DATE_EPOCH" not in os.environ  # set only for the render, then restored
    trailer = PdfReader(first).trailer
    assert trailer["/ID"][0] == trailer["/ID"][0]  # a fixed identifier is written


def test_us_letter_is_an_option(tiny, tmp_path):
    out = tmp_path / "letter.pdf"
    result = run("render", tiny, "--model", TINY_MODEL, "-o", out, "--paper", "letter")
    assert result.exit_code == 0, result.stderr
    sizes = {(round(float(p.mediabox.width)), round(float(p.mediabox.height))) for p in PdfReader(out).pages}
    assert sizes == {(612, 792)}


def test_without_assessed_on_the_pdf_carries_no_date(tmp_path):
    answers = write(tmp_path, "a.yaml", TINY_ANSWERS.replace("assessed_on: 2026-05-04\n", ""))
    out = tmp_path / "a.pdf"
    assert run("render", answers, "--model", TINY_MODEL, "-o", out).exit_code == 0
    meta = PdfReader(out).metadata
    assert "/CreationDate" not in meta and "/ModDate" not in meta


def test_markdown_and_json_renders_never_import_weasyprint(tiny, tmp_path):
    code = (
        "import sys\n"
        "import reportgen.cli.render\n"
        "from click.testing import CliRunner\n"
        "from reportgen.cli import main\n"
        f"r = CliRunner().invoke(main, ['render', {str(tiny)!r}, '--model', {str(TINY_MODEL)!r}, "
        f"'-o', {str(tmp_path)!r}, '--format', 'md,json,html'])\n"
        "assert r.exit_code == 0, r.output\n"
        "print('weasyprint' in sys.modules)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
    assert done.stdout.strip() == "False"


# ---------------------------------------------------------------- hostile answers

@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    folder = tmp_path_factory.mktemp("hostile")
    answers = write(folder, "answers.yaml", HOSTILE_ANSWERS)
    fetched: list[str] = []
    from reportgen.render import pdf as pdf_module

    original = pdf_module.SafeFetcher.fetch

    def spy(self, url, headers=None):
        fetched.append(url)
        return original(self, url, headers)

    pdf_module.SafeFetcher.fetch = spy
    try:
        result = run("render", answers, "--model", TINY_MODEL, "-o", folder / "out", "--format", "html,pdf")
    finally:
        pdf_module.SafeFetcher.fetch = original
    assert result.exit_code == 0, result.stderr
    files = {p.suffix[1:]: p for p in (folder / "out").iterdir()}
    return {"html": files["html"].read_text(), "pdf": files["pdf"].read_bytes(), "fetched": fetched}


def test_hostile_strings_are_escaped_text_in_html(hostile):
    html = hostile["html"]
    for markup in ("<img src=\"file:", "<script>alert", "<link rel=\"attachment\"", "<style>@import",
                   "<iframe", "<object", "<a rel=", "<svg onload", "<image href"):
        assert markup not in html, markup
    assert "&lt;img src=&#34;file:///etc/passwd&#34;&gt; Evil &lt;script&gt;alert(1)&lt;/script&gt;" in html
    head, body = html.split("</head>", 1)
    styles = re.findall(r"<style>(.*?)</style>", head, re.S)
    assert len(styles) == 2 and not any("url(http" in css for css in styles)  # reportgen's own CSS only
    assert "<style" not in body  # CSS in answers stays text
    assert "&lt;style&gt;@import url(http://127.0.0.1:9/x.css)" in body


def test_hostile_strings_reach_the_pdf_as_text_and_nothing_is_fetched_or_attached(hostile):
    data = hostile["pdf"]
    reader = PdfReader(io.BytesIO(data))
    text = flat(pdf_text(data))
    assert '<img src="file:///etc/passwd"> Evil <script>alert(1)</script>' in text
    assert '<link rel="attachment" href="file:///etc/passwd">' in text
    assert "root:x:0" not in text and b"root:x:0" not in data
    assert b"/EmbeddedFile" not in data and b"/FileAttachment" not in data
    for page in reader.pages:
        for annot in page.get("/Annots") or []:
            assert annot.get_object()["/Subtype"] == "/Link"
    # Only the shipped fonts were read; nothing from the network or elsewhere on disk.
    assets = resources.ASSETS.resolve().as_uri()
    assert hostile["fetched"] == [] or all(u.startswith(assets) for u in hostile["fetched"])


# ---------------------------------------------------------------- templates and the fetcher

def override(tmp_path: Path, body: str, name: str = "report.html.j2") -> Path:
    folder = tmp_path / "templates"
    write(folder, name, body)
    return folder


def test_one_block_is_overridden_by_a_small_file(tiny, tmp_path):
    templates = override(tmp_path, '{% extends "builtin/report.html.j2" %}\n'
                                   '{% block stop %}<section class="chapter" id="stop"><h1>What to drop</h1>'
                                   '{% for s in r.stop %}<p>Drop: {{ s.title }}</p>{% endfor %}</section>{% endblock %}\n')
    out = tmp_path / "out"
    result = run("render", tiny, "--model", TINY_MODEL, "--templates", templates, "-o", out, "--format", "html,pdf")
    assert result.exit_code == 0, result.stderr
    html = (out / "tiny-team.html").read_text()
    assert "<h1>What to drop</h1>" in html and "Drop: Hand deploys" in html
    assert "<h1>Stop doing</h1>" not in html and "<h1>Start doing</h1>" in html  # the rest falls back
    reader = PdfReader(out / "tiny-team.pdf")
    assert "What to drop" in [t for d, t, _ in outline(reader) if d == 0]


def test_a_partial_is_replaced_by_file_name(tiny, tmp_path):
    templates = override(tmp_path, '<section id="start"><h1>Begin here</h1></section>\n', "html/start.html.j2")
    out = tmp_path / "r.html"
    assert run("render", tiny, "--model", TINY_MODEL, "--templates", templates, "-o", out).exit_code == 0
    html = out.read_text()
    assert "<h1>Begin here</h1>" in html and "<h1>Stop doing</h1>" in html


def test_a_template_can_use_its_own_files_through_asset(tiny, tmp_path):
    templates = override(tmp_path, '{% extends "builtin/report.html.j2" %}'
                                   '{% block head_extra %}<style>.x { background: url({{ asset("dot.png") }}) }</style>'
                                   '{% endblock %}')
    write(templates, "dot.png", "")
    (templates / "dot.png").write_bytes(
        bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010806000000"
                      "1f15c4890000000d49444154789c63f8cfc0f01f0005000201a5d6e1b30000000049454e44ae426082"))
    out = tmp_path / "r.html"
    result = run("render", tiny, "--model", TINY_MODEL, "--templates", templates, "-o", out)
    assert result.exit_code == 0, result.stderr
    assert "url(data:image/png;base64,iVBOR" in out.read_text()


@pytest.mark.parametrize("markup, fmt, message", [
    ('<link rel="stylesheet" href="http://127.0.0.1:9/x.css">', "pdf", "refused to fetch http://127.0.0.1:9/x.css"),
    ('<img src="https://example.invalid/logo.png">', "pdf", "refused to fetch https://example.invalid/logo.png"),
    ('<img src="file:///etc/passwd">', "pdf", "refused to read file:///etc/passwd: outside the allowed folders"),
    ('<img src="../../../../../../../../etc/passwd">', "pdf", "refused to read"),
    ('<style>body { background: url(http://127.0.0.1:9/b.png) }</style>', "pdf", "refused to fetch http://127.0.0.1:9/b.png"),
    ('<img src="missing.png">', "pdf", "missing.png does not exist"),
    ('<link rel="attachment" href="report.html.j2">', "pdf", "rel=attachment> is not allowed"),
    ('<a rel="attachment" href="report.html.j2">x</a>', "pdf", "rel=attachment> is not allowed"),
    ('<link rel="stylesheet" href="http://127.0.0.1:9/x.css">', "html", "self-contained HTML report"),
    ('<img src="file:///etc/passwd">', "html", "self-contained HTML report"),
])
def test_a_template_that_reaches_outside_fails_loudly(tiny, tmp_path, markup, fmt, message):
    templates = override(tmp_path, '{% extends "builtin/report.html.j2" %}'
                                   '{% block head_extra %}' + markup + '{% endblock %}')
    out = tmp_path / f"out.{fmt}"
    result = run("render", tiny, "--model", TINY_MODEL, "--templates", templates, "-o", out)
    assert result.exit_code == 1
    assert result.stderr.startswith("error: template report.html.j2")
    assert message in result.stderr
    assert "Traceback" not in result.stderr
    assert not out.exists()


def test_a_symlink_out_of_the_templates_folder_is_refused(tiny, tmp_path):
    templates = override(tmp_path, '{% extends "builtin/report.html.j2" %}'
                                   '{% block head_extra %}<img src="leak.svg">{% endblock %}')
    (templates / "leak.svg").symlink_to("/etc/passwd")
    result = run("render", tiny, "--model", TINY_MODEL, "--templates", templates, "-o", tmp_path / "x.pdf")
    assert result.exit_code == 1
    assert "refused to read" in result.stderr and "outside the allowed folders" in result.stderr


def test_fetcher_serves_only_allowed_folders_and_data_uris(tmp_path):
    from reportgen.render.pdf import SafeFetcher

    inside = write(tmp_path / "tpl", "a.css", "p { color: red }")
    fetcher = SafeFetcher((resources.ASSETS.resolve(), (tmp_path / "tpl").resolve()))
    assert fetcher.fetch(inside.as_uri()).read() == b"p { color: red }"
    assert fetcher.fetch(inside.as_uri()).content_type == "text/css"
    assert fetcher.fetch("data:text/plain;base64,aGk=").read() == b"hi"
    font = (resources.ASSETS / "fonts" / "DejaVuSans.ttf").resolve().as_uri()
    assert fetcher.fetch(font).content_type == "font/ttf"
    for url in ("http://127.0.0.1:9/", "https://example.invalid/", "ftp://example.invalid/x",
                "file:///etc/passwd", (tmp_path / "tpl").as_uri() + "/../secret",
                "file://otherhost/etc/passwd", (tmp_path / "tpl" / "nope.css").as_uri()):
        with pytest.raises(RenderError):
            fetcher.fetch(url)


# ---------------------------------------------------------------- branding

def test_without_a_brand_the_report_is_neutral(tiny, tmp_path):
    out = tmp_path / "r.html"
    assert run("render", tiny, "--model", TINY_MODEL, "-o", out).exit_code == 0
    html = out.read_text()
    assert "Prepared by" not in html and "<img" not in html
    assert "--primary:#1f3a5f" in html


def test_brand_colours_logo_and_texts_reach_the_html(example):
    html = example["html"]
    assert "--primary:#12355b" in html and "--accent:#2a9d8f" in html
    assert html.index("--accent:#2a9d8f") > html.index("--accent: #d9822b")  # the brand wins the cascade
    assert 'src="data:image/svg+xml;base64,' in html
    assert "hello@northwind-advisory.example" in html and "Prepared by</th><td>Northwind Advisory" in html


@pytest.mark.parametrize("text, expected", [
    ("firm: Acme\nprimary_color: blue\n",
     "brand.yaml:2:16: error: brand: 'primary_color' must be a hex colour like '#1f3a5f', found 'blue'"),
    ("firm: Acme\nlogo: ../outside.svg\n",
     "brand.yaml:2:7: error: brand: logo '../outside.svg' must be a file inside the brand file's folder"),
    ("firm: Acme\nlogo: missing.png\n", "brand.yaml:2:7: error: brand: logo file 'missing.png' does not exist"),
    ("firm: Acme\nlogo: notes.txt\n", "brand.yaml:2:7: error: brand: logo must be an SVG, PNG or JPEG file"),
    ("firm: Acme\ncolour: '#fff'\n", "brand.yaml:2:1: error:"),
])
def test_brand_errors_point_at_file_line_and_column(tiny, tmp_path, text, expected):
    brand = write(tmp_path / "brand", "brand.yaml", text)
    write(tmp_path / "brand", "notes.txt", "not a logo")
    write(tmp_path, "outside.svg", "<svg/>")
    out = tmp_path / "r.pdf"
    result = run("render", tiny, "--model", TINY_MODEL, "--brand", brand, "-o", out)
    assert result.exit_code == 1
    first = result.stderr.splitlines()[0]
    assert first.startswith(str(brand) + ":")
    assert first.replace(str(brand), "brand.yaml").startswith(expected)
    assert not out.exists()


def test_a_logo_that_reaches_outside_its_folder_stops_the_pdf(tiny, tmp_path):
    folder = tmp_path / "brand"
    brand = write(folder, "brand.yaml", "firm: Evil\nlogo: logo.svg\n")
    write(folder, "logo.svg", '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
                              '<image href="file:///etc/passwd" width="10" height="10"/></svg>')
    result = run("render", tiny, "--model", TINY_MODEL, "--brand", brand, "-o", tmp_path / "r.pdf")
    assert result.exit_code == 1
    assert "refused to read file:///etc/passwd" in result.stderr
    assert not (tmp_path / "r.pdf").exists()
    # In the HTML the logo is an <img> data: URI, which browsers render without fetching anything.
    assert run("render", tiny, "--model", TINY_MODEL, "--brand", brand, "-o", tmp_path / "r.html").exit_code == 0
