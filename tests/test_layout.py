"""The printed page: every example and a generated corpus of teams, rendered as PDF and checked for
layout defects (tests/layout_check.py): text drawn twice, a paragraph repeated on a page, an
under-filled page, a heading at the foot of a page, a table continued without its header, a missing
glyph, a foreign font, text off the page, the wrong page size.

The corpus is deterministic: the four examples, plus CORPUS_TEAMS teams from
benchmarks/gen_teams.py with a fixed seed, every LONG_EVERY-th of them given long evidence (500+
words, a 128-hex-digit hash, long URLs), 44 PDFs. Paper (A4, Letter) and brand (examples/brand or
none) are spread over the teams, each rendered once, rather than crossed; two processes render and
check them side by side (about 100 s of CPU: under a minute on two idle cores).

The checker must be able to fail: a template override plants a repeated paragraph, an overprinted
line and a table without its repeated header, and small WeasyPrint documents plant a missing glyph,
a stranded heading and an under-filled page.
"""

from __future__ import annotations

import functools
import importlib.util
import json
import multiprocessing
import random
import re
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import pytest

from conftest import BRAND, EXAMPLES, ROOT
from layout_check import KINDS, Defect, check_pdf, find_defects

CORPUS_SEED = 20261129
CORPUS_TEAMS = 40
LONG_EVERY = 4
JOBS = 2
# (paper, branded), spread over the teams; each example once, the one from the bug report as it was seen.
COMBOS = (("a4", True), ("letter", False), ("a4", False), ("letter", True))
EXAMPLE_COMBOS = {"level2-feature-store-too-early": ("a4", True)}
FONTS = r"^Reportgen-"   # every glyph in a shipped font (no system font picked by fallback)

# Texts the current templates repeat, once per dimension, stop item or roadmap item, so that a page
# can show them several times: allowed here (fully matched, so a duplicated block that contains one
# is still reported), and counted by test_template_repeats (expected to fail until the templates say
# each thing once). Drop an entry when the templates stop repeating it.
TEMPLATE_REPEATS = (
    # roadmap: the metadata line of two items of one dimension, level, effort and prerequisites (a label,
    # not a reason: items that share a reason are grouped under it, in the stop list and the risks)
    r"[^,]+, level \d, [\d.]+ pw; builds on .*",
    # the team's own evidence, quoted beside each item it was given for (a team may give the same twice)
    r"Evidence( given)?: .*",
)
# Kinds of defect that a table row taller than a page brings (a team's 500-word evidence in the
# appendix: `tr { break-inside: avoid }` cannot be honoured, so WeasyPrint moves the row, leaving its
# heading alone on an almost empty page, and drops the repeated header that no longer fits with it).
PAGE_TALL_ROW = ("heading at the foot of the page", "under-filled page", "table header not repeated")

WORDS = ("the model registry keeps every version that served traffic and the pipeline records which data "
         "snapshot trained it so an auditor can rebuild any release from the commit the feature code the "
         "lockfile and the evaluation report stored beside it while the on-call engineer checks drift "
         "dashboards each morning and files a ticket when a threshold is crossed").split()


def _gen_teams():
    spec = importlib.util.spec_from_file_location("gen_teams", ROOT / "benchmarks" / "gen_teams.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def long_evidence(rng: random.Random, kind: int) -> str:
    """Evidence a real team pastes in: a long account, a hash, URLs with no break opportunity."""
    if kind == 0:
        words = [rng.choice(WORDS) for _ in range(520)]
        return "Walkthrough notes: " + " ".join(words) + "."
    if kind == 1:
        return f"Model artefact sha512:{rng.getrandbits(512):0128x} (registry entry, signed)"
    return ("See https://git.example.com/ml-platform/" + "-".join(rng.choice(WORDS) for _ in range(12))
            + f"/blob/{rng.getrandbits(160):040x}/pipelines/training/config/production/"
            + "_".join(rng.choice(WORDS) for _ in range(8)) + ".yaml?plain=1#L120-L184 and "
            + "https://grafana.example.com/d/" + f"{rng.getrandbits(64):016x}" + "/model-health?orgId=1&var-model="
            + "-".join(rng.choice(WORDS) for _ in range(6)) + "&from=now-30d&to=now")


_SIMPLE = re.compile(r"^  ([a-z0-9-]+): (yes|partial)$", re.M)


def add_long_evidence(text: str, rng: random.Random) -> str:
    """Give a generated team's answers long evidence: three capabilities and a practice to stop."""
    matches = list(_SIMPLE.finditer(text))
    practices = text.index("# Practices to stop")
    chosen = [m for m in matches if m.start() < practices][:3]
    chosen += [m for m in matches if m.start() > practices][:1]
    for kind, match in reversed(list(enumerate(chosen))):
        evidence = json.dumps(long_evidence(rng, kind % 3))
        note = json.dumps("Follow-up: " + " ".join(rng.choice(WORDS) for _ in range(40)))
        block = f"  {match.group(1)}:\n    answer: {match.group(2)}\n    evidence: {evidence}\n    note: {note}"
        text = text[:match.start()] + block + text[match.end():]
    return text


def build_corpus(folder: Path) -> list[tuple[str, Path, str, bool]]:
    """(label, answers file, paper, branded) for every PDF of the corpus."""
    rng = random.Random(CORPUS_SEED)
    paths = _gen_teams().generate(folder, CORPUS_TEAMS, seed=CORPUS_SEED, flat=True)
    corpus = []
    for index, path in enumerate(sorted(paths)):
        if index % LONG_EVERY == LONG_EVERY - 1:
            path.write_text(add_long_evidence(path.read_text(encoding="utf-8"), rng), encoding="utf-8")
        # Rotate, so that the teams with long evidence (every LONG_EVERY-th) meet every combination too.
        paper, branded = COMBOS[(index + index // len(COMBOS)) % len(COMBOS)]
        corpus.append((path.stem, path, paper, branded))
    for index, path in enumerate(sorted(EXAMPLES.glob("*.yaml"))):
        paper, branded = EXAMPLE_COMBOS.get(path.stem, COMBOS[index % len(COMBOS)])
        corpus.append((path.stem, path, paper, branded))
    return corpus


@functools.lru_cache(maxsize=4)
def _renderer(paper: str, branded: bool):
    from reportgen import pipeline
    from reportgen.render import Renderer

    return Renderer(brand=pipeline.load_brand(BRAND if branded else None), paper=paper)


def render_and_check(item: tuple[str, Path, str, bool]) -> tuple[str, list[Defect], float]:
    """One PDF of the corpus, rendered with reportgen and checked; (name, defects, seconds)."""
    from reportgen import pipeline

    label, path, paper, branded = item
    started = time.perf_counter()
    renderer = _renderer(paper, branded)
    result = pipeline.result_for(path, brand=renderer.brand)
    pdf = renderer.render(result, "pdf")
    defects = find_defects(pdf, paper, fonts=FONTS, allow_repeats=TEMPLATE_REPEATS, keep_allowed=True)
    name = f"{label} ({paper}{', brand' if branded else ''})"
    return name, defects, time.perf_counter() - started


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> dict[str, list[Defect]]:
    """{"00004-personalisation-ii (letter, brand)": [defects], ...} for every PDF of the corpus."""
    items = build_corpus(tmp_path_factory.mktemp("layout-teams"))
    context = multiprocessing.get_context("fork") if sys.platform.startswith("linux") else None
    with ProcessPoolExecutor(max_workers=JOBS, mp_context=context) as pool:
        results = list(pool.map(render_and_check, items))
    return {name: defects for name, defects, _ in results}


def _long(name: str) -> bool:
    """Is this PDF one of a generated team given long evidence?"""
    return name[:5].isdigit() and (int(name[:5]) - 1) % LONG_EVERY == LONG_EVERY - 1


def _found(corpus, kinds, names=None) -> list[str]:
    return [f"{name}: {defect}" for name, defects in corpus.items() if names is None or names(name)
            for defect in defects if defect.kind in kinds]


def test_corpus_size(corpus):
    examples = list(EXAMPLES.glob("*.yaml"))
    assert len(examples) >= 4
    assert len(corpus) == CORPUS_TEAMS + len(examples)
    assert sum(_long(name) for name in corpus) == CORPUS_TEAMS // LONG_EVERY


@pytest.mark.parametrize("kind", KINDS)
def test_corpus_has_no(corpus, kind):
    """No defect of this kind in any PDF (the page-tall-row kinds: in no team without long evidence)."""
    found = _found(corpus, {kind}, (lambda name: not _long(name)) if kind in PAGE_TALL_ROW else None)
    assert not found, f"{len(found)} {kind} defect(s):\n" + "\n".join(found[:40])


def test_long_evidence_pages(corpus):
    """Appendix rows split across pages, so a 500-word evidence row strands no heading and keeps the header."""
    found = _found(corpus, set(PAGE_TALL_ROW), _long)
    assert not found, f"{len(found)} defect(s):\n" + "\n".join(found[:40])


# ---------------------------------------------------------------- the checker can fail

PLANTED = """{% extends "builtin/report.html.j2" %}
{% block summary %}{{ super() }}
<section class="chapter" id="planted">
  <h1>Planted duplicate</h1>
  <p class="planted">This paragraph is printed twice on the page on purpose, to prove that the layout
  checker notices a repeated paragraph.</p>
  <p>Some words in between, so that the two copies are not one block.</p>
  <p class="planted">This paragraph is printed twice on the page on purpose, to prove that the layout
  checker notices a repeated paragraph.</p>
  <p class="overprint">Drawn twice at one spot.</p>
</section>
{% endblock %}
{% block head_extra %}<style>
  .overprint { position: relative; }
  .overprint::after { content: "Drawn twice at one spot."; position: absolute; left: 0; top: 0; }
  #planted ~ .appendix thead { display: table-row-group; }
</style>{% endblock %}
"""


@pytest.fixture(scope="module")
def planted(tmp_path_factory) -> list[str]:
    """A report whose template override repeats a paragraph, overprints a line and drops repeated headers."""
    from reportgen import pipeline
    from reportgen.render import Renderer

    folder = tmp_path_factory.mktemp("planted")
    (folder / "report.html.j2").write_text(PLANTED, encoding="utf-8")
    renderer = Renderer(templates=folder, paper="a4")
    result = pipeline.result_for(EXAMPLES / "level1-startup.yaml")
    return check_pdf(renderer.render(result, "pdf"), "a4", fonts=FONTS)


def test_planted_repeated_paragraph_is_found(planted):
    found = [d for d in planted if "repeated paragraph" in d and "printed twice on the page on purpose" in d]
    assert found, "\n".join(planted)
    assert re.match(r"page \d+: ", found[0])


def test_planted_overprint_is_found(planted):
    assert any("text drawn twice" in d and "Drawn twice at one spot." in d for d in planted), "\n".join(planted)


def test_planted_missing_table_header_is_found(planted):
    assert any("table header not repeated" in d and "LEVEL CAPABILITY ANSWER EVIDENCE AND NOTES" in d
               for d in planted), "\n".join(planted)


def test_wrong_page_size_is_found():
    from reportgen import pipeline
    from reportgen.render import Renderer

    pdf = Renderer(paper="letter").render(pipeline.result_for(EXAMPLES / "level1-startup.yaml"), "pdf")
    assert any("page size" in d for d in check_pdf(pdf, "a4"))


def _bare_pdf(body: str, css: str = "") -> bytes:
    import weasyprint

    style = "@page { size: A4; margin: 21mm 18mm 20mm 18mm } body { font-family: 'DejaVu Sans'; font-size: 10pt }"
    return weasyprint.HTML(string=f"<style>{style}{css}</style>{body}").write_pdf()


def test_missing_glyph_is_found():
    # U+10FFFD is a private-use code point no font draws: WeasyPrint falls back to .notdef (a box).
    defects = check_pdf(_bare_pdf("<p>A box here: \U0010fffd, and text around it.</p>"))
    assert any("missing glyph" in d and "\U0010fffd" in d for d in defects), defects


def test_heading_at_the_foot_is_found():
    filler = "".join(f"<p>Paragraph {i} of the filler.</p>" for i in range(20))
    pdf = _bare_pdf(filler + "<h2>Stranded heading</h2><p style='break-before: page'>Its text, a page later.</p>")
    defects = check_pdf(pdf)
    assert any("heading at the foot of the page" in d and "Stranded heading" in d for d in defects), defects


def test_under_filled_page_is_found():
    body = ("<h1>One</h1>" + "<p>Line.</p>" * 50 + "<p style='break-before: page'>Alone on its page.</p>"
            + "<p style='break-before: page'>Next page.</p>" + "<h1 style='break-before: page'>Two</h1><p>End.</p>")
    defects = check_pdf(_bare_pdf(body))
    assert any(d.startswith("page 3: under-filled page") for d in defects), defects
    assert not any(d.startswith("page 4: under-filled") for d in defects), defects  # last page of a chapter


def test_clean_document_has_no_defects():
    body = "<h1>Title</h1>" + "".join(f"<h2>Section {i}</h2>" + f"<p>Text of section {i}. " * 30 + "</p>"
                                     for i in range(6))
    assert check_pdf(_bare_pdf(body), "a4") == []
