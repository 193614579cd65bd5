"""The report's words: the verdict, findings, risks, next steps and calendar agree with the figures,
and the edge cases (nothing answered, level 5, a target below the level) read sensibly in every format."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from conftest import BRAND, EXAMPLES, ROOT

from reportgen import pipeline
from reportgen.render import Renderer

MODEL = pipeline.load_model("mlops")


def write(tmp_path: Path, data: dict, name: str = "a.yaml") -> Path:
    path = tmp_path / name
    path.write_text(yaml.safe_dump(data))
    return path


def everything(value: str = "yes") -> dict:
    answers = {c: value for c in MODEL.capabilities}
    answers.update({a: "no" for a in MODEL.anti_pattern_index})
    return answers


@pytest.fixture(scope="module")
def renderer():
    return Renderer(brand=pipeline.load_brand(BRAND))


def test_the_verdict_states_the_figures_of_the_result():
    r = pipeline.result_for(EXAMPLES / "level2-feature-store-too-early.yaml")
    v = r["verdict"]
    nxt = r["levels"][r["overall_level"]]
    assert v.startswith(f"{r['team']} stands at Level {r['overall_level']}, {r['overall_name']}")
    assert f"Level {r['overall_level'] + 1}, {nxt['name']}, is {nxt['share'] * 100:.0f}% in place" in v
    assert f"{len(r['path_up'])} items, about {r['summary']['path_up_effort']} person-weeks" in v
    assert f"\u201c{r['path_up'][0]['title']}\u201d" in v
    practices = [s["title"] for s in r["stop"] if s["kind"] == "anti-pattern"]
    assert all(f"\u201c{t}\u201d" in v for t in practices)
    assert f"{r['summary']['effort_to_target']} person-weeks" in v and r["calendar"]["ends_on"] in v


def test_findings_draw_on_the_answers_and_their_evidence():
    r = pipeline.result_for(EXAMPLES / "level1-startup.yaml")
    kinds = [f["kind"] for f in r["findings"]]
    assert kinds == ["strength", "gap", "risk"]
    evidence = {a["evidence"] for a in r["answers"] if a["evidence"]} | {a["note"] for a in r["answers"] if a["note"]}
    assert all(f["evidence"] in evidence for f in r["findings"] if f["evidence"])
    # A regulated team: the practice that defeats a control (everyone is admin over health data) leads the risks.
    assert r["context"]["regulated"] and r["risks"][0]["refs"] == ["shared-admin-access"]
    assert r["findings"][2]["title"] == "Everyone holds production admin rights"


def test_missing_controls_stay_within_the_target_unless_regulated(tmp_path):
    data = {"team": "T", "target_level": 3, "answers": {"code-in-git": "yes"}}
    plain = pipeline.result_for(write(tmp_path, data))
    assert not [x for x in plain["risks"] if x["kind"] == "control"]
    regulated = pipeline.result_for(write(tmp_path, {**data, "context": {"regulated": True}}))
    controls = [x["refs"][0] for x in regulated["risks"] if x["kind"] == "control"]
    assert controls and all(MODEL.capabilities[c].level <= 4 and MODEL.capabilities[c].control for c in controls)


def test_next_steps_follow_the_calendar(tmp_path):
    r = pipeline.result_for(write(tmp_path, {"team": "T", "assessed_on": "2026-01-05",
                                             "context": {"capacity": 1}, "answers": {"code-in-git": "yes"}}))
    windows = r["next_steps"]
    assert [w["title"] for w in windows][:1] == ["First 30 days"] and windows[0]["ends_on"] == "2026-02-04"
    # At 1 pw a week the first 30 days hold the items whose start falls before day 30.
    day, first = 0.0, []
    for item in r["roadmap"][0]["items"]:
        if day < 30:
            first.append(item["id"])
        day += item["effort"] * 7
    assert [i["id"] for i in windows[0]["items"] if i["kind"] == "start"] == first


def test_cost_comes_from_the_brand_rate(tmp_path):
    brand = pipeline.load_brand(BRAND)
    loaded = pipeline.load_answers(EXAMPLES / "level2-feature-store-too-early.yaml")
    r = pipeline.assess(loaded, brand=brand)
    assert [p["cost"] for p in r["roadmap"]] == [p["effort"] * brand.rate for p in r["roadmap"]]
    assert r["calendar"]["cost"] == r["summary"]["effort_to_target"] * brand.rate
    assert r["calendar"]["currency"] == "GBP"
    assert "cost" not in pipeline.assess(loaded)["roadmap"][0]


@pytest.mark.parametrize("rate, message", [
    ("rate: 6000", "brand: 'rate' must be a mapping"),
    ("rate: {per_person_week: 6000}", "rate: 'currency' is required"),
    ("rate: {per_person_week: 6000, currency: euro}", "three-letter ISO code"),
    ("rate: {currency: EUR}", "needs 'per_person_week'"),
])
def test_a_bad_rate_is_an_error_with_its_place(tmp_path, cli, rate, message):
    (tmp_path / "brand.yaml").write_text(f"firm: F\n{rate}\n")
    result = cli("render", EXAMPLES / "level1-startup.yaml", "--brand", tmp_path / "brand.yaml", "-o", tmp_path / "x.md")
    assert result.exit_code == 1 and message in result.stderr and f"{tmp_path / 'brand.yaml'}:2:" in result.stderr


def test_a_file_with_only_a_team_is_marked_preliminary_everywhere(tmp_path, renderer):
    r = pipeline.result_for(write(tmp_path, {"team": "Only a name"}))
    assert r["preliminary"] and r["verdict"].startswith("This verdict is preliminary: 0 of")
    md = renderer.render(r, "md").decode()
    html = renderer.render(r, "html").decode()
    assert f"**Preliminary: 0 of {r['questions']} questions answered.**" in md.split("## Executive summary")[0]
    assert html.count(f"Preliminary: 0 of {r['questions']} questions answered") == 2   # cover and summary


def test_a_level_five_team_gets_a_sustain_page_not_an_empty_roadmap(tmp_path, renderer):
    r = pipeline.result_for(write(tmp_path, {"team": "All in", "answers": everything()}))
    assert r["overall_level"] == 5 and r["path_up"] == [] and r["roadmap"][0]["items"] == []
    for fmt in ("md", "html"):
        text = renderer.render(r, fmt).decode()
        assert "Sustain and optimise" in text and "0 pw to target" not in text


def test_a_target_below_the_level_consolidates_and_offers_the_next_level(tmp_path, renderer):
    data = yaml.safe_load((EXAMPLES / "level3-gitops.yaml").read_text())
    r = pipeline.result_for(write(tmp_path, {**data, "target_level": 2}))
    assert r["target_level"] == r["overall_level"] == 3 and r["roadmap"][0]["kind"] == "consolidate"
    assert r["warnings"] and "below the current level 3" in r["warnings"][0]
    md = renderer.render(r, "md").decode()
    assert "### Option: the path to level 4" in md and "target level 2 is below the current level 3" in md
    assert "Option: the path to level 4" in renderer.render(r, "html").decode()


def test_each_capability_is_written_up_once_in_the_markdown(renderer):
    for path in sorted(EXAMPLES.glob("*.yaml")):
        r = pipeline.result_for(path)
        md = renderer.render(r, "md").decode()
        for item in (i for p in r["roadmap"] for i in p["items"]):
            first_line = item["why"].split("\n")[0][:60]
            if first_line:
                assert md.count(first_line) == 1, (path.name, item["id"])
        # Start items and the path up link to the roadmap's headings, which exist.
        anchors = set(re.findall(r"\]\(#([a-z0-9-]+)\)", md))
        headings = {re.sub(r"[^\w\- ]", "", h.strip().lower()).replace(" ", "-")
                    for h in re.findall(r"^#{1,6} (.+)$", md, re.M)}
        assert anchors <= headings, anchors - headings


def test_no_slug_ids_in_the_prose_and_the_generator_line_is_optional(tmp_path):
    r = pipeline.result_for(EXAMPLES / "level2-feature-store-too-early.yaml")
    brand = pipeline.load_brand(BRAND)
    md = Renderer(brand=brand).render(r, "md").decode()
    body = md.split("## Appendix B")[0]
    assert "`code-in-git`" not in body and "builds on `" not in body
    html = Renderer(brand=brand).render(r, "html").decode()
    assert "Report generated by reportgen" in html
    (tmp_path / "b.yaml").write_text("firm: F\ngenerator_line: false\n")
    quiet = Renderer(brand=pipeline.load_brand(tmp_path / "b.yaml")).render(r, "html").decode()
    assert "Report generated by" not in quiet


def test_the_markdown_gantt_is_one_safe_mermaid_block_in_calendar_order():
    from reportgen.render.text import mermaid_gantt

    r = pipeline.result_for(EXAMPLES / "level2-feature-store-too-early.yaml")
    hostile = {**r, "roadmap": [{**r["roadmap"][0], "title": "Reach: level 3 ```%% #x", "items": [
        {**r["roadmap"][0]["items"][0], "title": "A: b; c # d %% e ``` f"},
        *r["roadmap"][0]["items"][1:]]}]}
    block = mermaid_gantt(hostile)
    lines = block.splitlines()
    assert lines[0] == "```mermaid" and lines[-1] == "```" and block.count("```") == 2
    tasks = [line for line in lines if re.match(r"^    .* :t\d+, ", line)]
    assert len(tasks) == len(r["roadmap"][0]["items"])
    assert tasks[0] == "    A b c d e f :t1, 2026-04-09, 5d"     # 1 pw at 1.5 pw a week: ceil(4.67) days
    assert all(f"after t{n}," in t for n, t in enumerate(tasks[1:], start=1))
    assert "section Phase 1 Reach level 3 x" in block
