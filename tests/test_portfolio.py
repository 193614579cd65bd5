"""The portfolio summary: a pure function over team results, merged across batch folders."""

from __future__ import annotations

import json
import random
import re
from pathlib import Path

import pytest

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


def write_team(folder: Path, file: str, name: str, org: str, target: int | None, answers: dict) -> Path:
    lines = [f"team: {name}"]
    if org:
        lines.append(f"organization: {org}")
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
    assert md.startswith("# Tiny test model portfolio: 5 teams\n")
    for heading in ("## Distribution of levels", "## Most common gaps", "## Practices to stop and premature investments",
                    "## Level against target", "## Heat map: teams by dimension", "### No organization (1 team"):
        assert heading in md
