"""Golden files: every example's Markdown report and JSON result, committed and compared.

After an intended change: `make golden` (pytest --update-golden), then review the diff.
"""

from __future__ import annotations

import pytest

from reportgen import pipeline
from reportgen.render import Renderer

from conftest import EXAMPLES, ROOT

GOLDEN = ROOT / "tests" / "golden"
TEAMS = sorted(EXAMPLES.glob("*.yaml"))


@pytest.mark.parametrize("example", TEAMS, ids=[p.stem for p in TEAMS])
@pytest.mark.parametrize("fmt", ["md", "json"])
def test_example_matches_golden(example, fmt, update_golden):
    result = pipeline.result_for(example)
    rendered = Renderer().render(result, fmt)
    golden = GOLDEN / f"{example.stem}.{fmt}"
    if update_golden:
        golden.parent.mkdir(exist_ok=True)
        golden.write_bytes(rendered)
        return
    assert golden.exists(), f"no golden file for {example.name}; run `make golden`"
    assert rendered.decode() == golden.read_text(), f"{golden} differs; if intended, run `make golden`"


def test_there_are_examples_at_every_level_from_one_to_four():
    levels = sorted(pipeline.result_for(p)["overall_level"] for p in TEAMS)
    assert {1, 2, 3, 4} <= set(levels)


@pytest.mark.parametrize("path", TEAMS, ids=lambda p: p.stem)
def test_examples_never_stop_and_start_the_same_item_and_lead_with_the_path_up(path):
    r = pipeline.result_for(path)
    stopped = {s["id"] for s in r["stop"]}
    assert not stopped & {s["id"] for s in r["start"]}
    assert not stopped & {s["id"] for s in r["path_up"] if s["kind"] == "capability"} - {
        s["id"] for s in r["stop"] if s["kind"] == "premature" and s["answer"] == "partial"}
    # "Held back by" names the dimensions of the path up, and the start list begins with it.
    path_caps = [p for p in r["path_up"] if p["kind"] == "capability" and p["id"] not in stopped]
    assert [s["id"] for s in r["start"][:len(path_caps)]] == [p["id"] for p in path_caps]
    assert r["held_back_by"] == list(dict.fromkeys(
        p["dimension"] if p["kind"] == "capability" else p["id"] for p in r["path_up"]))


def test_the_level_two_example_pauses_its_feature_store_for_its_missing_data_versioning():
    r = pipeline.result_for(ROOT / "examples" / "teams" / "level2-feature-store-too-early.yaml")
    store = next(s for s in r["stop"] if s["id"] == "feature-store")
    assert store["kind"] == "premature" and [m["id"] for m in store["missing"]] == ["data-snapshots"]
    assert store["resume_phase"] == 1
    assert "\u201cEvery run records an immutable data version\u201d" in store["reason"]
