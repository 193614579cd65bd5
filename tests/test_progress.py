"""Progress over time: since_previous (pure), `render --previous` in every format, `reportgen diff`."""

from __future__ import annotations

import copy
import json
import re
from pathlib import Path

import pytest

from conftest import ROOT, TINY_MODEL
from reportgen import pipeline
from reportgen.progress import progress_percent, since_previous, since_text
from reportgen.render import Renderer, html_environment

OLD = """\
team: Fraud Detection
assessed_on: 2026-08-20
target_level: 4
answers:
  b2: partial
  b3: yes
  r2: yes
  r2b: no
  r5: yes
  hand-deploys: yes
  no-tests: no
"""

NEW = """\
team: Fraud Detection
assessed_on: 2026-11-20
target_level: 4
answers:
  b2: yes
  b3: no
  r2: yes
  r2b: yes
  r3: yes
  r5:
    answer: n/a
    note: batch scoring only
  hand-deploys: no
  no-tests: partial
"""


@pytest.fixture
def files(tmp_path: Path) -> tuple[Path, Path]:
    old, new = tmp_path / "old.yaml", tmp_path / "new.yaml"
    old.write_text(OLD)
    new.write_text(NEW)
    return old, new


def results(old: Path, new: Path, model: str = str(TINY_MODEL)) -> tuple[dict, dict]:
    return pipeline.result_for(new, model=model), pipeline.result_for(old, model=model)


def ids(items: list[dict]) -> list[str]:
    return [i["id"] for i in items]


def test_since_previous_reports_every_kind_of_change(files):
    now, then = results(*files)
    s = since_previous(now, then)["since_previous"]
    assert s["previous"] == {"assessed_on": "2026-08-20", "team": "Fraud Detection",
                             "model": {"id": "tiny", "version": "1"}, "overall_level": 1,
                             "overall_name": "Manual", "target_level": 4}
    assert s["overall"] == {"then": 1, "now": 2, "change": 1, "then_name": "Manual", "now_name": "Repeatable",
                            "text": "up 1 level"}
    assert [(d["id"], d["then"], d["now"], d["change"]) for d in s["dimensions"]] == [
        ("build", 1, 2, 1), ("run", 1, 3, 2)]
    assert [(c["id"], c["then"], c["now"]) for c in s["gained"]] == [
        ("b2", "partial", "yes"), ("r2b", "no", "yes"), ("r3", "no", "yes")]
    assert [(c["id"], c["then"], c["now"]) for c in s["lost"]] == [("b3", "yes", "no")]
    assert [(c["id"], c["then"], c["now"]) for c in s["rescoped"]] == [("r5", "yes", "n/a")]
    assert s["gained"][0] == {"id": "b2", "title": "B2", "level": 2, "dimension": "build",
                              "dimension_name": "Build", "then": "partial", "now": "yes"}
    assert ids(s["anti_patterns"]["dropped"]) == ["hand-deploys"]
    assert ids(s["anti_patterns"]["new"]) == ["no-tests"]
    assert s["anti_patterns"]["still"] == []
    # Old roadmap (level 1, target 4): r2b (its path up) b2 | r3 | b4 r4 (b3, r2 were yes); r2b b2 r3 are yes now.
    assert ids(s["roadmap"]["done"]) == ["r2b", "b2", "r3"]
    assert s["roadmap"]["total"] == len([i for p in then["roadmap"] for i in p["items"]])
    assert s["target"]["percent"] == 33
    assert s["target"]["text"] == "1 of 3 levels from level 1 to the target, level 4 (Governed): 33%."
    assert s["model_changed"] is False


def test_since_previous_is_pure(files):
    now, then = results(*files)
    before_now, before_then = copy.deepcopy(now), copy.deepcopy(then)
    out = since_previous(now, then)
    assert now == before_now and then == before_then
    assert out is not now
    assert {k: v for k, v in out.items() if k != "since_previous"} == now
    assert json.loads(json.dumps(out)) == out  # JSON-serialisable


@pytest.mark.parametrize("then, now, target, percent", [
    (1, 2, 4, 33), (1, 3, 4, 67), (1, 4, 4, 100), (1, 5, 4, 133), (2, 2, 4, 0), (3, 2, 5, -50),
    (1, 2, 3, 50), (4, 5, 5, 100),
    (3, 3, 3, None), (4, 3, 3, None), (5, 5, 4, None),
])
def test_progress_percent(then, now, target, percent):
    assert progress_percent(then, now, target) == percent


def test_target_already_reached_last_time_has_no_percentage(files):
    now, then = results(*files)
    then = {**then, "overall_level": 4, "overall_name": "Governed"}
    s = since_previous(now, then)["since_previous"]
    assert s["target"]["percent"] is None
    assert s["target"]["text"] == ("The previous assessment was already at or above the target, level 4 "
                                   "(Governed); the team is now below it, at level 2.")
    assert s["overall"]["text"] == "down 2 levels"


def test_items_only_in_one_model_are_left_out(files):
    now, then = results(*files)
    then = {**then, "answers": [a for a in then["answers"] if a["id"] != "b2"],
            "model": {**then["model"], "version": "0"},
            "dimensions": [d for d in then["dimensions"] if d["id"] != "run"]}
    s = since_previous(now, then)["since_previous"]
    assert "b2" not in ids(s["gained"])
    assert s["model_changed"] is True
    assert [(d["id"], d["then"], d["change"]) for d in s["dimensions"]] == [("build", 1, 1), ("run", None, None)]


def test_render_previous_markdown_section(cli, files, tmp_path):
    old, new = files
    out = tmp_path / "ROADMAP.md"
    result = cli("render", new, "--model", TINY_MODEL, "--previous", old, "-o", out)
    assert result.exit_code == 0, result.stderr
    md = out.read_text()
    section = md[md.index("## Since the last assessment"):md.index("## Level profile")]
    assert section == """\
## Since the last assessment

Compared with the assessment of 2026-08-20: **level 1 (Manual) → level 2 (Repeatable)**, up 1 level.

**Progress towards the target:** 1 of 3 levels from level 1 to the target, level 4 (Governed): 33%.

| Dimension | Then | Now | Change |
| --- | :---: | :---: | :---: |
| Build | 1 | 2 | ▲ +1 |
| Run | 1 | 3 | ▲ +2 |

**Capabilities gained (3)**

- **B2** (level 2, Build): Partial → Yes
- **R2b** (level 2, Run): No → Yes
- **R3** (level 3, Run): No → Yes

**Capabilities lost (1)**

- **B3** (level 3, Build): Yes → No

**Now or no longer n/a (1)**

- **R5** (level 5, Run): Yes → N/A

**Practices dropped (1)**

- **Hand deploys** (caps the level at 2): Yes → No

**New practices to stop (1)**

- **No tests** (caps the level at 3): No → Partial

**Roadmap items of the previous report done: 3 of 5** (4.5 pw of 10.5 pw)

- Done: R2b (phase 1, level 2, Run)
- Done: B2 (phase 1, level 2, Build)
- Done: R3 (phase 2, level 3, Run)

"""
    # Without --previous there is no such section, and the rest of the report is the same.
    plain = tmp_path / "plain.md"
    assert cli("render", new, "--model", TINY_MODEL, "-o", plain).exit_code == 0
    assert "Since the last assessment" not in plain.read_text()
    assert md.replace(section, "") == plain.read_text()


def test_render_previous_is_deterministic_and_in_json(cli, files, tmp_path):
    old, new = files
    a, b = tmp_path / "a", tmp_path / "b"
    for out in (a, b):
        assert cli("render", new, "--model", TINY_MODEL, "--previous", old, "-o", out, "--format", "md,json"
                   ).exit_code == 0
    assert (a / "fraud-detection.md").read_bytes() == (b / "fraud-detection.md").read_bytes()
    assert (a / "fraud-detection.json").read_bytes() == (b / "fraud-detection.json").read_bytes()
    data = json.loads((a / "fraud-detection.json").read_text())
    assert data["since_previous"]["overall"]["change"] == 1
    assert data["since_previous"]["target"]["percent"] == 33


def test_empty_changes_say_none(cli, tmp_path):
    same = tmp_path / "same.yaml"
    same.write_text("team: T\nanswers: {}\n")
    out = tmp_path / "r.md"
    assert cli("render", same, "--model", TINY_MODEL, "--previous", same, "-o", out).exit_code == 0
    md = out.read_text()
    assert "Compared with the previous assessment: **level 1 (Manual) → level 1 (Manual)**, unchanged." in md
    for title in ("Capabilities gained", "Capabilities lost", "Practices dropped", "New practices to stop"):
        assert f"**{title} (0)**: none." in md
    assert "Now or no longer n/a" not in md
    assert "| Build | 1 | 1 | same |" in md


HOSTILE_MODEL = TINY_MODEL.read_text().replace(
    "name: Build", "name: '<img src=x onerror=alert(1)> [Build](http://evil) | x'").replace(
    "title: B2,", "title: '<script>alert(1)</script> *B2*',")


def test_untrusted_texts_are_neutralised_in_markdown_and_html(tmp_path):
    model = tmp_path / "hostile.yaml"
    model.write_text(HOSTILE_MODEL)
    old, new = tmp_path / "old.yaml", tmp_path / "new.yaml"
    old.write_text(OLD)
    new.write_text(NEW)
    now, then = results(old, new, str(model))
    r = since_previous(now, then)
    md = Renderer().render(r, "md").decode()
    section = md[md.index("## Since"):md.index("## Level profile")]
    assert not re.search(r"(?<!\\)<(script|img)|(?<!\\)\]\(", section)  # no unescaped tag or link
    assert "\\<script\\>alert(1)\\</script\\> \\*B2\\*" in section
    assert "| \\<img src=x onerror=alert(1)\\> \\[Build\\](http\\://evil) \\| x | 1 | 2 | ▲ +1 |" in section
    html = html_environment().get_template("html/since.html.j2").render(r=r)
    assert "<script>" not in html and "<img" not in html
    assert "<li>&lt;script&gt;alert(1)&lt;/script&gt; *B2*<span" in html
    assert "<td>&lt;img src=x onerror=alert(1)&gt; [Build](http://evil) | x</td>" in html


def test_html_partial_lists_the_changes(files):
    now, then = results(*files)
    html = html_environment().get_template("html/since.html.j2").render(r=since_previous(now, then))
    assert '<section class="chapter since" id="since">' in html
    assert "<h1>Since the last assessment</h1>" in html
    assert ("<p class=\"lead\">Compared with the assessment of 2026-08-20: <strong>level 1 (Manual) → level 2 "
            "(Repeatable)</strong>, up 1 level.</p>") in html
    assert '<span class="label">Towards target level 4</span><span class="value">33%</span>' in html
    assert "<h2>Capabilities gained (3)</h2>" in html
    assert "<li>R2b<span class=\"lv\">level 2, Run: No → Yes</span></li>" in html
    assert "<h2>Roadmap items of the previous report done: 3 of 5</h2>" in html


def test_full_html_report_includes_the_section(files):
    now, then = results(*files)
    try:
        html = Renderer().render(since_previous(now, then), "html").decode()
    except Exception as exc:  # the HTML report is built in parallel; the partial is tested above
        pytest.skip(f"HTML report not available yet: {exc}")
    assert "<h1>Since the last assessment</h1>" in html
    assert '<a href="#since">Since the last assessment</a>' in html


def test_diff_text(cli, files):
    old, new = files
    result = cli("diff", old, new, "--model", TINY_MODEL)
    assert result.exit_code == 0, result.stderr
    assert result.stdout == """\
Fraud Detection: since the previous assessment (assessed on 2026-08-20)
Level 1 (Manual) -> 2 (Repeatable) (assessed on 2026-11-20): up 1 level.
1 of 3 levels from level 1 to the target, level 4 (Governed): 33%.

Dimensions (then -> now):
  Build  1 -> 2  +1
  Run    1 -> 3  +2

Capabilities gained (3):
  - B2 [b2] (level 2, Build): partial -> yes
  - R2b [r2b] (level 2, Run): no -> yes
  - R3 [r3] (level 3, Run): no -> yes

Capabilities lost (1):
  - B3 [b3] (level 3, Build): yes -> no

Now or no longer n/a (1):
  - R5 [r5] (level 5, Run): yes -> n/a

Practices dropped (1):
  - Hand deploys [hand-deploys]: yes -> no

New practices to stop (1):
  - No tests [no-tests]: no -> partial

Roadmap items of the previous report done now: 3 of 5 (4.5 of 10.5 person-weeks)
  - R2b [r2b] (phase 1, level 2)
  - B2 [b2] (phase 1, level 2)
  - R3 [r3] (phase 2, level 3)
"""


def test_diff_json_matches_the_render_section(cli, files, tmp_path):
    old, new = files
    result = cli("diff", old, new, "--model", TINY_MODEL, "--format", "json")
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert list(data) == ["schema_version", "team", "organization", "assessed_on", "model", "overall_level",
                          "overall_name", "target_level", "target_name", "since_previous"]
    assert cli("render", new, "--model", TINY_MODEL, "--previous", old, "-o", tmp_path / "r.json").exit_code == 0
    assert json.loads((tmp_path / "r.json").read_text())["since_previous"] == data["since_previous"]


def test_diff_target_option_changes_the_percentage(cli, files):
    old, new = files
    data = json.loads(cli("diff", old, new, "--model", TINY_MODEL, "-f", "json", "--target", "3").stdout)
    assert data["since_previous"]["target"]["percent"] == 50


def test_diff_bad_input_is_located(cli, files, tmp_path):
    old, _ = files
    bad = tmp_path / "bad.yaml"
    bad.write_text("team: T\nanswers:\n  b2: maybe\n")
    result = cli("diff", old, bad, "--model", TINY_MODEL)
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr == f"{bad}:3:7: error: answer to 'b2' must be one of yes, partial, no, n/a, found 'maybe'\n"
    assert cli("diff", old, tmp_path / "missing.yaml").exit_code == 2


def test_diff_terminal_text_shows_no_control_characters(files, tmp_path):
    old, new = files
    new.write_text(NEW.replace("team: Fraud Detection", 'team: "Fraud\\e[31m Detection"'))
    now, then = results(old, new)
    text = since_text(since_previous(now, then))
    assert "\x1b" not in text
    assert text.startswith("Fraud\ufffd[31m Detection: since the previous assessment")


def test_default_model_reassessment(cli, tmp_path):
    model_file = ROOT / "reportgen" / "models" / "mlops.yaml"
    if not model_file.exists():
        pytest.skip("default model not built yet")
    m = pipeline.load_model()
    caps = list(m.capabilities.values())
    low = [c.id for c in caps if c.level == 2]
    old, new = tmp_path / "old.yaml", tmp_path / "new.yaml"
    old.write_text("team: T\nassessed_on: 2026-02-01\nanswers:\n" + "".join(f"  {c}: partial\n" for c in low))
    new.write_text("team: T\nassessed_on: 2026-05-01\nanswers:\n" + "".join(f"  {c}: yes\n" for c in low))
    data = json.loads(cli("diff", old, new, "--format", "json").stdout)["since_previous"]
    assert data["overall"] == {"then": 1, "now": 2, "change": 1, "then_name": "Manual", "now_name": "Repeatable",
                               "text": "up 1 level"}
    assert ids(data["gained"]) == [c.id for c in caps if c.level == 2]
    assert sorted(ids(data["roadmap"]["done"])) == sorted(low)
    assert data["target"]["percent"] == 33  # target = new level 2 + 2 = 4: 1 of the 3 levels from 1
