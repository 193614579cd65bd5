"""The portfolio summary: a pure function over team results, merged across batch folders."""

from __future__ import annotations

import io
import json
import random
import re
from pathlib import Path

import pytest
from pypdf import PdfReader

from conftest import TINY_MODEL

from reportgen import pipeline
from reportgen.batch.portfolio import NotAResult, build_portfolio, read_results, team_summary
from reportgen.errors import InputError
from reportgen.render import Renderer

# (file, team, organization, target, answers) for the tiny model: build b2..b5, run r2, r2b, r3..r5.
TEAMS = [
    ("alpha", "Alpha", "Acme", 3, {"b2": "yes", "r2": "yes", "r2b": "yes"}),                      # level 2
    ("beta", "Beta", "acme", 2, {"b2": "yes", "r2": "yes", "r2b": "yes", "b3": "yes", "r3": "yes"}),  # 3, at target
    ("gamma", "Gamma", "Globex", None, {"b2": "yes"}),                                             # 1
    ("delta", "Delta", "", 4, {"b2": "yes", "r2": "yes", "r2b": "yes", "hand-deploys": "yes"}),   # capped at 2
    ("eps", "Epsilon", "Globex", None, {"b2": "partial", "b4": "yes", "b5": "yes"}),               # 1, premature
]


def write_team(folder: Path, file: str, name: str, org: str, target: int | None, answers: dict,
               assessed_on: str | None = None) -> Path:
    lines = [f"team: {name}"]
    if org:
        lines.append(f"organization: {org}")
    if assessed_on:
        lines.append(f"assessed_on: {assessed_on}")
    if target:
        lines.append(f"target_level: {target}")
    lines.append("answers:")
    lines += [f"  {k}: {v}" for k, v in answers.items()]
    path = folder / f"{file}.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines) + "\n")
    return path


@pytest.fixture
def summaries(tmp_path):
    out = []
    for file, name, org, target, answers in TEAMS:
        path = write_team(tmp_path / "teams", file, name, org, target, answers)
        out.append(team_summary(file, pipeline.result_for(path, model=str(TINY_MODEL))))
    return out


def test_the_portfolio_is_a_pure_function_of_the_teams_whatever_their_order(summaries):
    expected = build_portfolio(summaries)
    for seed in range(5):
        shuffled = summaries[:]
        random.Random(seed).shuffle(shuffled)
        assert build_portfolio(shuffled) == expected
    assert json.dumps(build_portfolio(json.loads(json.dumps(summaries)))) == json.dumps(expected)


def test_teams_are_grouped_by_organisation_with_the_levels_and_targets(summaries):
    p = build_portfolio(summaries)
    assert p["kind"] == "portfolio" and p["teams_count"] == 5
    assert [(t["organization"], t["team"]) for t in p["teams"]] == [
        ("Acme", "Alpha"), ("acme", "Beta"), ("Globex", "Epsilon"), ("Globex", "Gamma"), ("", "Delta")]
    assert [(o["name"], o["teams"]) for o in p["organizations"]] == [("Acme", 1), ("acme", 1), ("Globex", 2), ("", 1)]
    levels = {t["team"]: (t["overall_level"], t["target_level"], t["on_target"], t["gap"]) for t in p["teams"]}
    assert levels == {"Alpha": (2, 3, False, 1), "Beta": (3, 3, True, 0), "Gamma": (1, 3, False, 2),
                      "Delta": (2, 4, False, 2), "Epsilon": (1, 3, False, 2)}
    assert [(l["number"], l["name"], l["teams"]) for l in p["levels"]] == [
        (1, "Manual", 2), (2, "Repeatable", 2), (3, "Operable", 1), (4, "Governed", 0), (5, "Adaptive", 0)]
    assert p["average_level"] == 1.8
    assert p["targets"]["on_target"] == 1 and p["targets"]["below_target"] == 4
    assert p["targets"]["average_gap"] == 1.75   # over the teams below their target


def test_the_heat_map_has_one_level_per_team_and_dimension(summaries):
    p = build_portfolio(summaries)
    assert [d["id"] for d in p["dimensions"]] == ["build", "run"]
    rows = {t["team"]: t["dimension_levels"] for t in p["teams"]}
    assert rows == {"Alpha": [2, 2], "Beta": [3, 3], "Gamma": [2, 1], "Delta": [2, 2], "Epsilon": [1, 1]}
    build = p["dimensions"][0]
    assert build["levels"] == [1, 3, 1, 0, 0] and build["average_level"] == 2.0


def test_most_common_gaps_rank_what_most_teams_need_next(summaries):
    p = build_portfolio(summaries)
    # Needed next by two teams each: r2 and r2b (the level-1 teams), b3 and r3 (the level-2 teams), all on
    # those teams' paths up; ties go to the lower level, then to the model's order. Then Epsilon's partial
    # b2: in its first phase, but not on its path up (r2 and r2b lift it to level 2 without it).
    assert [(g["id"], g["teams"], g["holding_back"]) for g in p["gaps"]] == [
        ("r2", 2, 2), ("r2b", 2, 2), ("b3", 2, 2), ("r3", 2, 2), ("b2", 1, 0)]
    assert p["gaps"][4]["partial"] == 1 and p["gaps"][0]["share"] == 0.4
    assert p["gaps_total"] == 5
    assert [g["id"] for g in build_portfolio(summaries, top_gaps=3)["gaps"]] == ["r2", "r2b", "b3"]


def test_practices_to_stop_and_premature_investments_are_counted_and_listed(summaries):
    p = build_portfolio(summaries)
    assert [(a["id"], a["teams"]) for a in p["anti_patterns"]] == [("hand-deploys", 1)]
    assert {(x["id"], x["teams"]) for x in p["premature"]} == {("b4", 1), ("b5", 1)}
    assert [(w["team"], [a["id"] for a in w["anti_patterns"]], sorted(x["id"] for x in w["premature"]))
            for w in p["watch"]] == [("Delta", ["hand-deploys"], []), ("Epsilon", [], ["b4", "b5"])]


def test_a_file_that_is_not_a_team_result_is_refused_with_a_reason():
    with pytest.raises(NotAResult, match="unsupported schema_version 7"):
        team_summary("x", {"schema_version": 7})
    with pytest.raises(NotAResult, match="missing key 'model'"):
        team_summary("x", {"schema_version": 2, "team": "T"})
    with pytest.raises(NotAResult, match="expected a JSON object"):
        team_summary("x", [1, 2])


# -- reading batch folders and the CLI ----------------------------------------------------------


def batch(cli, *args):
    return cli("batch", *args, "--model", TINY_MODEL)


@pytest.fixture
def teams(tmp_path):
    folder = tmp_path / "teams"
    for file, name, org, target, answers in TEAMS:
        write_team(folder / (org.lower() or "none"), file, name, org, target, answers)
    write_team(folder, "hostile", "Pipes | <script>x</script> [l](http://e.example)", "Acme", None, {"b2": "yes"})
    return folder


def test_merging_shards_gives_the_portfolio_of_the_full_run(cli, tmp_path, teams, monkeypatch):
    monkeypatch.delenv("CI", raising=False)
    assert batch(cli, teams, "-o", tmp_path / "full", "--format", "md,html").exit_code == 0
    for k in (1, 2):
        assert batch(cli, teams, "-o", tmp_path / f"s{k}", "--shard", f"{k}/2", "--format", "md").exit_code == 0
    merged = tmp_path / "merged"

    result = cli("portfolio", tmp_path / "s2", tmp_path / "s1", "-o", merged, "--format", "md,html,json")

    assert result.exit_code == 0, result.stderr
    assert result.stderr.splitlines() == [f"wrote {merged / 'portfolio.md'}", f"wrote {merged / 'portfolio.html'}",
                                          f"wrote {merged / 'portfolio.json'}",
                                          "portfolio of 6 team(s) from 2 folder(s)"]
    for ext in ("md", "html", "json"):
        assert (merged / f"portfolio.{ext}").read_bytes() == (tmp_path / "full" / f"portfolio.{ext}").read_bytes(), ext


def test_reading_results_skips_portfolios_manifests_and_duplicates(cli, tmp_path, teams):
    out = tmp_path / "out"
    assert batch(cli, teams, "-o", out).exit_code == 0
    assert (out / "portfolio.json").is_file() and (out / ".reportgen-manifest.json").is_file()
    found = read_results([out, out])
    assert len(found) == 6
    assert sorted(s["source"] for s in found)[:2] == ["acme/alpha", "acme/beta"]


def test_damaged_or_foreign_json_is_an_error_with_its_place(cli, tmp_path, teams):
    out = tmp_path / "out"
    assert batch(cli, teams, "-o", out).exit_code == 0
    (out / "broken.json").write_text('{"schema_version": 2,\n  "team": }\n')
    (out / "other.json").write_text('{"hello": "world"}\n')

    result = cli("portfolio", out, "-o", tmp_path / "p")

    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"{out / 'broken.json'}:2:11: error: invalid JSON: unexpected character, expected a JSON value",
        f"{out / 'other.json'}:1:1: error: not a reportgen team result: unsupported schema_version None "
        f"(this reportgen reads version 2)",
    ]
    assert not (tmp_path / "p").exists()
    with pytest.raises(InputError):
        read_results([out])


def test_no_results_is_an_error(cli, tmp_path):
    (tmp_path / "empty").mkdir()
    result = cli("portfolio", tmp_path / "empty")
    assert result.exit_code == 1
    assert result.stderr == (f"{tmp_path / 'empty'}:1:1: error: no team results (*.json written by reportgen "
                             f"batch or render) found in {tmp_path / 'empty'}\n")
    assert cli("portfolio", tmp_path / "missing").exit_code == 2


def test_untrusted_team_names_stay_literal_in_markdown_and_html(cli, tmp_path, teams):
    out = tmp_path / "out"
    assert batch(cli, teams, "-o", out, "--format", "md,html").exit_code == 0
    md = (out / "portfolio.md").read_text()
    assert not re.search(r"(?<!\\)<script", md) and not re.search(r"(?<!\\)\]\(", md)
    assert r"Pipes \| \<script\>x\</script\> \[l\](http\://e.example)" in md
    header = next(line for line in md.splitlines() if line.startswith("| Team | Level | Target |"))
    cells = len(re.findall(r"(?<!\\)\|", header))
    for line in md.splitlines():
        if line.startswith("| Pipes"):
            assert len(re.findall(r"(?<!\\)\|", line)) == cells   # the table is not broken
    html = (out / "portfolio.html").read_text()
    assert "<script>x" not in html and "Pipes | &lt;script&gt;x&lt;/script&gt;" in html


def test_rendering_the_portfolio_is_deterministic(summaries):
    p = build_portfolio(summaries)
    renderer = Renderer()
    assert renderer.render(p, "md", kind="portfolio") == Renderer().render(p, "md", kind="portfolio")
    md = renderer.render(p, "md", kind="portfolio").decode()
    assert md.startswith("# MLOps maturity portfolio\n")
    for heading in ("## Distribution of levels", "## Most common gaps", "## Practices to stop and premature investments",
                    "## Level against target", "## Heat map: teams by dimension", "### No organization (1 team"):
        assert heading in md


# -- the deliverable: title and date, summary in words, contents, shared work, capped teams, pages ---------


def test_the_title_has_a_default_and_the_date_is_the_latest_assessment(summaries):
    p = build_portfolio(summaries)
    assert (p["title"], p["as_of"]) == ("MLOps maturity portfolio", None)   # no team has a date
    dated = [dict(s, assessed_on=day) for s, day in zip(summaries, ["2026-03-01", "2026-11-30", "", "2026-02-28",
                                                                    "2025-12-31"])]
    p = build_portfolio(dated, title="  Acme:  MLOps portfolio ")
    assert (p["title"], p["as_of"]) == ("Acme: MLOps portfolio", "2026-11-30")
    assert p["summary_text"][0].startswith("As of 2026-11-30, the portfolio covers 5 teams")
    assert build_portfolio(dated, title="")["title"] == "MLOps maturity portfolio"


def _raw_result() -> dict:
    """A real team result (schema 2) of the tiny model."""
    import tempfile
    with tempfile.TemporaryDirectory() as folder:
        return pipeline.result_for(write_team(Path(folder), "t", "T", "", 3, {"b2": "yes"}), model=str(TINY_MODEL))


def test_a_damaged_date_never_becomes_the_as_of_date():
    result = _raw_result()
    assert team_summary("x", {**result, "assessed_on": "2026-02-28"})["assessed_on"] == "2026-02-28"
    for bad in ("2026-13-01", "2026-02-30", "tomorrow", "2026-1-1", "9999-12-31x"):
        assert team_summary("x", {**result, "assessed_on": bad})["assessed_on"] == "", bad


def test_title_and_as_of_date_are_in_markdown_html_and_json(cli, tmp_path):
    folder = tmp_path / "teams"
    write_team(folder, "a", "Alpha", "Acme", 3, {"b2": "yes"}, assessed_on="2026-05-04")
    write_team(folder, "b", "Beta", "Acme", 3, {"b2": "yes", "r2": "yes"}, assessed_on="2026-06-30")
    out = tmp_path / "out"
    result = cli("batch", folder, "-o", out, "--model", TINY_MODEL, "--format", "md,html,json",
                 "--title", "Acme Bank: MLOps portfolio")
    assert result.exit_code == 0, result.stderr
    data = json.loads((out / "portfolio.json").read_text())
    assert (data["title"], data["as_of"]) == ("Acme Bank: MLOps portfolio", "2026-06-30")
    md = (out / "portfolio.md").read_text()
    assert md.startswith("# Acme Bank: MLOps portfolio\n")
    assert "| **As of** | 2026-06-30 (the latest assessment date) |" in md and "As of 2026-06-30, the portfolio" in md
    html = (out / "portfolio.html").read_text()
    assert "<title>Acme Bank: MLOps portfolio, as of 2026-06-30</title>" in html
    assert '<p class="cover-title">Acme Bank: MLOps portfolio</p>' in html and "as of 2026-06-30" in html

    # `reportgen portfolio` takes the same option; without it, the default title.
    assert cli("portfolio", out, "-o", tmp_path / "p", "--format", "md,json").exit_code == 0
    assert json.loads((tmp_path / "p" / "portfolio.json").read_text())["title"] == "MLOps maturity portfolio"
    assert (tmp_path / "p" / "portfolio.md").read_text().startswith("# MLOps maturity portfolio\n")
    assert cli("portfolio", out, "-o", tmp_path / "q", "--format", "json", "--title", "Q3 review").exit_code == 0
    assert json.loads((tmp_path / "q" / "portfolio.json").read_text())["title"] == "Q3 review"


def test_the_summary_in_words_states_the_portfolios_own_figures(summaries):
    p = build_portfolio(summaries)
    assert p["summary_text"] == [
        "The portfolio covers 5 teams in 3 organisations (1 without one), assessed against Tiny test model, version 1. "
        "2 teams are at level 1 (Manual), 2 at level 2 (Repeatable) and 1 at level 3 (Operable). "
        "No team has reached level 4 or above. The average level is 1.8 of 5.",
        "1 of 5 teams is at or above its target level; the other 4 teams are on average 1.8 levels short.",
        "The most common gaps, what the teams need next: R2 (2 of 5 teams), R2b (2) and B3 (2).",
        "The most common practices to stop: Hand deploys (1 team). 1 team invests ahead of its foundations; "
        "the most common premature investment: B5 (1 team).",
        "Reaching every target takes about 28.5 person-weeks in all: 28.5 person-weeks of work within the teams "
        "(summed over the teams); no team needs shared platform work to reach its target.",
    ]
    # The figures in the words are the portfolio's own.
    levels = {lv["number"]: lv["teams"] for lv in p["levels"]}
    assert (levels[1], levels[2], levels[3]) == (2, 2, 1) and p["average_level"] == 1.8
    assert p["targets"]["on_target"] == 1 and p["targets"]["effort_to_target"] == 28.5
    assert [(g["title"], g["teams"]) for g in p["gaps"][:3]] == [("R2", 2), ("R2b", 2), ("B3", 2)]
    renderer = Renderer()
    md = renderer.render(p, "md", kind="portfolio").decode()
    assert md.index("## Summary") < md.index("## Distribution of levels")
    for paragraph in p["summary_text"]:
        assert f"\n{paragraph}\n" in md
    html = renderer.render(p, "html", kind="portfolio").decode()
    assert html.index('id="overview"') < html.index('id="levels"')
    assert all(f"<p>{paragraph}</p>" in html for paragraph in p["summary_text"])


SHARED_MODEL = """\
id: shared
version: "1"
title: Shared test model
dimensions:
  - id: build
    name: Build
    capabilities:
      - {id: b2, level: 2, title: B2, question: B2?, effort: 1}
      - {id: b3, level: 3, title: B3, question: B3?, effort: 2, requires: [b2]}
  - id: platform
    name: Platform
    capabilities:
      - {id: p2, level: 2, title: P2, question: P2?, effort: 4}
      - {id: p3, level: 3, title: P3, question: P3?, effort: 6, requires: [p2]}
  - id: run
    name: Run
    capabilities:
      - {id: r2, level: 2, title: R2, question: R2?, effort: 1}
      - {id: shared-pipelines, level: 3, title: Shared pipelines, question: SP?, effort: 5, requires: [r2]}
"""


def test_shared_platform_work_is_counted_once_not_once_per_team(tmp_path):
    model = tmp_path / "model.yaml"
    model.write_text(SHARED_MODEL)
    teams = [write_team(tmp_path, "a", "A", "", 3, {}),                                           # needs everything
             write_team(tmp_path, "b", "B", "", 3, {"b2": "yes", "r2": "yes", "p2": "partial"})]  # half of p2 done
    summaries = [team_summary(path.stem, pipeline.result_for(path, model=str(model))) for path in teams]
    assert [s["effort_to_target"] for s in summaries] == [19, 15]   # each team's own report: 34 summed

    p = build_portfolio(summaries)

    # Shared: the platform dimension (p2, p3) and shared-pipelines, each once, at the most any team needs.
    shared = p["shared_platform"]
    assert [(i["id"], i["teams"], i["effort"], i["effort_per_team"]) for i in shared["items"]] == [
        ("p2", 2, 4, 6), ("p3", 2, 6, 12), ("shared-pipelines", 2, 5, 10)]
    assert (shared["effort"], shared["effort_per_team"], shared["teams"]) == (15, 28, 2)
    # Team work: b2, b3, r2 for A (4); b3 for B (2).
    assert {t["team"]: (t["team_effort"], t["shared_effort"]) for t in p["teams"]} == {"A": (4, 15), "B": (2, 13)}
    targets = p["targets"]
    assert (targets["team_effort"], targets["shared_effort"], targets["effort_to_target"]) == (6, 15, 21)
    assert targets["effort_summed_over_teams"] == 34
    assert p["organizations"][0]["team_effort"] == 6
    assert p["summary_text"][-1] == (
        "Reaching every target takes about 21 person-weeks in all: 6 person-weeks of work within the teams (summed "
        "over the teams) and 15 person-weeks of shared platform work, counted once (3 capabilities that a platform "
        "team builds once for the 2 teams that need them; counted once per team, they would come to 28 person-weeks).")

    renderer = Renderer()
    md = renderer.render(p, "md", kind="portfolio").decode()
    assert "| **Team work to every target** | 6 pw (person-weeks, summed over teams) |" in md
    assert "| **Shared platform work** | 15 pw (counted once, not per team) |" in md
    assert "| **Effort to every target** | 21 pw |" in md
    assert "| P3 <br>`p3` | 3 | Platform | 2 | 6 pw | 12 pw |" in md
    html = renderer.render(p, "html", kind="portfolio").decode()
    assert re.search(r"Team work, summed</span><span class=\"value\">6 pw<", html)
    assert re.search(r"Shared platform work, once</span><span class=\"value\">15 pw<", html)
    assert 'id="shared"' in html


def test_teams_capped_by_a_practice_to_stop_are_marked(tmp_path, summaries):
    capped = write_team(tmp_path, "zeta", "Zeta", "Globex", 3,
                        {"b2": "yes", "r2": "yes", "r2b": "yes", "b3": "yes", "r3": "yes", "hand-deploys": "yes"})
    p = build_portfolio([*summaries, team_summary("zeta", pipeline.result_for(capped, model=str(TINY_MODEL)))])
    rows = {t["team"]: (t["overall_level"], t["gated_level"], t["capped"]) for t in p["teams"]}
    assert rows["Zeta"] == (2, 3, True)                      # level 3 reached, held at 2 by hand deploys
    assert rows["Delta"] == (2, 2, False)                    # practises it too, but is not held below its level
    assert [t["team"] for t in p["teams"] if t["capped"]] == ["Zeta"] and p["targets"]["capped"] == 1
    assert "1 team is capped: a practice to stop holds its overall level" in p["summary_text"][1]

    renderer = Renderer()
    md = renderer.render(p, "md", kind="portfolio").decode()
    assert "| Zeta | 2 (capped from 3) | 3 |" in md
    assert "*capped from N*: a practice to stop holds the team's overall level below level N" in md
    assert md.count("capped from") == 2                      # the row and the legend only
    html = renderer.render(p, "html", kind="portfolio").decode()
    assert '<td class="team">Zeta <span class="capped">capped from 3</span></td>' in html
    assert '<span class="capped">capped from N</span> a practice to stop holds' in html
    assert html.count('<span class="capped">') == 2
    assert "capped from" not in renderer.render(build_portfolio(summaries), "html", kind="portfolio").decode()


# -- the PDF: contents, heat-map headers, no lone table rows (a few renders) -----------------------------------

def _layout(portfolio: dict, paper: str = "a4"):
    """The portfolio PDF's laid-out document, the way `render --format pdf` makes it, with its tables by element."""
    pytest.importorskip("weasyprint")
    from reportgen.render import pdf, resources
    from reportgen.render.html import build_html

    renderer = Renderer(paper=paper)
    source = pdf.ReportHTML(string=build_html(renderer, portfolio, "portfolio", media="pdf"),
                            base_url=resources.ASSETS.resolve().as_uri() + "/",
                            url_fetcher=pdf.SafeFetcher(resources.roots_for(None, renderer.brand)))
    font_config, stylesheets = pdf._stylesheets()
    document = source.render(font_config=font_config, stylesheets=list(stylesheets))
    return document, {child: parent for parent in source.etree_element.iter() for child in parent}


def _table_rows(document, parents) -> list[tuple[int, str, int, int]]:
    """(page, section, rows on the page, rows in all) of every table on every page. An organisation's
    heading row in the heat map is not a row of teams and does not count."""
    from weasyprint.formatting_structure import boxes

    def counted(tr) -> bool:
        return "group" not in (tr.get("class") or "").split()

    found = []
    for number, page in enumerate(document.pages, 1):
        for box in page._page_box.descendants():
            if not isinstance(box, boxes.TableBox):
                continue
            here = sum(counted(row.element) for group in box.children
                       if isinstance(group, boxes.TableRowGroupBox) and not group.is_header for row in group.children)
            total = sum(counted(tr) for body in box.element.iter("tbody") for tr in body.iter("tr"))
            section = parents.get(box.element)
            while section is not None and section.tag != "section":
                section = parents.get(section)
            found.append((number, section.get("id") if section is not None else "", here, total))
    return found


def _lone_rows(document, parents) -> list[tuple[int, str, int]]:
    """(page, section, rows in all) for every page that holds one row of a table of several."""
    return [(page, section, total) for page, section, here, total in _table_rows(document, parents)
            if here == 1 and total > 1]


@pytest.fixture(scope="module")
def generated_pdf(tmp_path_factory):
    """The portfolio of 15 generated teams of the built-in model (a size at which, without the page rules,
    the teams-to-watch table started with one row at the foot of a page), as (portfolio, document, parents, pdf)."""
    teams = tmp_path_factory.mktemp("teams")
    paths = _gen_teams().generate(teams, 15, seed=15)
    portfolio = build_portfolio(team_summary(p.stem, pipeline.result_for(p)) for p in paths)
    document, parents = _layout(portfolio)
    return portfolio, document, parents, PdfReader(io.BytesIO(document.write_pdf()))


def _gen_teams():
    import importlib.util

    from conftest import ROOT
    spec = importlib.util.spec_from_file_location("gen_teams", ROOT / "benchmarks" / "gen_teams.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _flat(text: str) -> str:
    return " ".join(text.split())


def test_the_pdf_has_contents_with_the_page_of_every_chapter(generated_pdf):
    portfolio, _, _, reader = generated_pdf
    pages = [_flat(page.extract_text()) for page in reader.pages]
    assert "MLOps maturity portfolio" in pages[0] and f"as of {portfolio['as_of']}".upper() in pages[0].upper()
    contents = pages[1]
    assert contents.startswith("Contents Summary ")
    chapters = ["Summary", "Where the teams stand", "Most common gaps", "Practices to stop", "Level against target",
                "Shared platform work, counted once", "Heat map: teams by dimension"]
    for title in chapters:
        found = re.search(re.escape(title) + r" (\d+)", contents)
        assert found, title
        page = int(found.group(1))
        # The page named holds the chapter's heading (its running header names it too).
        assert title in pages[page - 1], (title, page)
    assert "Summary" in pages[2] and portfolio["summary_text"][0][:60] in pages[2]


def test_heat_map_headers_wrap_between_words_never_inside_one(generated_pdf):
    portfolio, _, _, reader = generated_pdf
    heat = next(i for i, page in enumerate(reader.pages) if "Heat map: teams by dimension Level reached"
                in _flat(page.extract_text()))
    text = reader.pages[heat].extract_text()
    for d in portfolio["dimensions"]:
        for word in d["name"].split():
            assert word in text, word   # "Monitoring & observability": never "OBSERVAB-" / "ILITY", "self-" / "service"
    assert "OBSERVAB" not in text and "observab-" not in text


def test_no_page_of_the_portfolio_holds_a_single_table_row(generated_pdf):
    _, document, parents, _ = generated_pdf
    assert _lone_rows(document, parents) == []

    # The heat map's end, around a page break: many teams of one organisation, then one team of none (its
    # heading row and its one team went to a page of their own). Calibrate a page's rows, then try the team
    # counts that end just after a page break.
    import copy

    base = team_summary("t", _raw_result())

    def portfolio(k: int) -> dict:
        teams = [dict(copy.deepcopy(base), team=f"Team {i:03d}", organization="Acme", source=f"t{i}") for i in range(k)]
        teams.append(dict(copy.deepcopy(base), team="Zed", organization="", source="z"))
        return build_portfolio(teams)

    document, parents = _layout(portfolio(30))
    on_a_page = next(here for _, section, here, _ in _table_rows(document, parents) if section == "heatmap")
    assert 10 < on_a_page < 30
    for k in range(on_a_page - 2, on_a_page + 1):
        document, parents = _layout(portfolio(k))
        assert _lone_rows(document, parents) == [], k
        reader = PdfReader(io.BytesIO(document.write_pdf()))
        last = _flat(reader.pages[-1].extract_text())
        assert len(re.findall(r"Team \d{3}|Zed", last)) >= 2, (k, last)
