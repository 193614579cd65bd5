"""Scoring and planning on small, hand-checked cases (the tiny model)."""

from __future__ import annotations

from reportgen import pipeline
from reportgen.plan import plan
from reportgen.result import build_result
from reportgen.score import score
from reportgen.types import Answer, Answers

from conftest import TINY_MODEL

MODEL = pipeline.load_model(str(TINY_MODEL))


def answers(**values: str) -> Answers:
    return Answers(team="T", answers={k.replace("_", "-"): Answer(k.replace("_", "-"), v) for k, v in values.items()})


def result(**values: str) -> dict:
    a = answers(**values)
    s = score(MODEL, a)
    return build_result(MODEL, a, s, plan(MODEL, s))


def test_nothing_answered_is_level_one_with_everything_unanswered():
    r = result()
    assert r["overall_level"] == 1 and r["overall_name"] == "Manual"
    assert r["held_back_by"] == ["build", "run"]
    assert r["unanswered"] == ["b2", "b3", "b4", "b5", "r2", "r2b", "r3", "r4", "r5", "hand-deploys", "no-tests"]
    assert r["target_level"] == 3
    assert [p["title"] for p in r["roadmap"]] == ["Reach level 2: Repeatable", "Reach level 3: Operable"]


def test_a_level_two_gap_holds_the_dimension_at_one_whatever_is_built_above():
    r = result(b2="no", b3="yes", b4="yes", b5="yes", r2="yes", r2b="yes", r3="yes", r4="yes", r5="yes")
    build = next(d for d in r["dimensions"] if d["id"] == "build")
    assert build["level"] == 1
    assert r["overall_level"] == 1
    assert r["held_back_by"] == ["build"]
    # Everything built at level 3 and above is premature, and each says what comes first.
    premature = [s for s in r["stop"] if s["kind"] == "premature"]
    assert {s["id"] for s in premature} == {"b3", "b4", "b5", "r3", "r4", "r5"}
    assert all("B2" in s["reason"] for s in premature if s["dimension"] == "build")


def test_partial_counts_half_against_the_mastery_share():
    # Level 2 of "run" has two capabilities: yes + partial = 1.5 / 2 = 0.75 >= 0.75.
    r = result(b2="yes", r2="yes", r2b="partial")
    assert {d["id"]: d["level"] for d in r["dimensions"]} == {"build": 2, "run": 2}
    # ...but a partial capability is still on the start list and in the roadmap.
    assert "r2b" in [s["id"] for s in r["start"]]
    assert "r2b" in [i["id"] for i in r["roadmap"][0]["items"]]


def test_na_is_left_out_and_an_all_na_level_is_mastered():
    r = result(b2="n/a", r2="yes", r2b="n/a")
    assert {d["id"]: d["level"] for d in r["dimensions"]}["build"] == 2
    assert {d["id"]: d["level"] for d in r["dimensions"]}["run"] == 2


def test_anti_pattern_caps_the_overall_level_and_is_named_in_held_back_by():
    r = result(b2="yes", b3="yes", r2="yes", r2b="yes", r3="yes", hand_deploys="partial")
    assert r["weakest_dimension_level"] == 3
    assert r["overall_level"] == 2
    assert r["held_back_by"] == ["hand-deploys"]
    assert r["stop"][0]["id"] == "hand-deploys" and r["stop"][0]["kind"] == "anti-pattern"
    assert "\u201cHand deploys\u201d" in r["reason"]
    # The roadmap's first phase says the practice must stop to reach level 3.
    assert r["roadmap"][0]["stop"] == [{"id": "hand-deploys", "title": "Hand deploys"}]


def test_target_at_or_below_the_level_gives_one_consolidate_phase():
    a = answers(b2="yes", b3="yes", r2="yes", r2b="partial", r3="yes")
    s = score(MODEL, a)
    p = plan(MODEL, s, 2)
    assert s.overall_level == 3
    assert [(ph.kind, ph.level, ph.items) for ph in p.roadmap] == [("consolidate", 2, ("r2b",))]


def test_roadmap_orders_prerequisites_first_then_value_for_effort():
    r = result(b2="yes", r2="yes", r2b="yes")
    phase = r["roadmap"][0]
    assert phase["level"] == 3
    # Equal value for effort (1 / 2 pw each): the model's order breaks the tie.
    assert [i["id"] for i in phase["items"]] == ["b3", "r3"]
    assert phase["effort"] == 4
    assert r["summary"]["effort_to_target"] == 4 + 6


def test_cheaper_capability_with_more_dependents_comes_first():
    # Nothing built: in phase 1 (level 2), r2 unlocks r2b and r3 later, b2 unlocks r3/b3:
    # r2 (effort 1, 1 dependent in the phase) beats r2b (effort 2), and prerequisites lead.
    r = result()
    items = [i["id"] for i in r["roadmap"][0]["items"]]
    assert items.index("r2") < items.index("r2b")
    assert set(items) == {"b2", "r2", "r2b"}


def test_premature_work_when_only_a_practice_caps_the_level_names_the_practice():
    r = result(b2="yes", b3="yes", b4="yes", b5="yes", r2="yes", r2b="yes", r3="yes", r4="yes",
               hand_deploys="yes")
    assert r["overall_level"] == 2
    b5 = next(s for s in r["stop"] if s["id"] == "b5")
    assert b5["first"] == [{"id": "hand-deploys", "title": "stop \u201cHand deploys\u201d", "level": None}]
    assert b5["reason"] == "A level-5 investment while the team is at level 2 (Repeatable); first: stop \u201cHand deploys\u201d."
