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
    assert r["unanswered"] == ["b2", "b3", "b4", "b5", "r2", "r2b", "r3", "r4", "r5", "hand-deploys", "no-tests"]
    assert r["answered"] == 0 and r["questions"] == 11 and r["preliminary"] is True
    assert r["target_level"] == 3
    assert [p["title"] for p in r["roadmap"]] == ["Reach level 2: Repeatable", "Reach level 3: Operable"]
    # Level 2 holds b2, r2, r2b (1 + 1 + 2 pw); 0.75 of 3 needs all three, so all three are the path up,
    # r2 first: as cheap as b2, and r2b waits on it (more value for the same effort).
    assert [p["id"] for p in r["path_up"]] == ["r2", "b2", "r2b"]
    assert r["held_back_by"] == ["run", "build"]   # in path order


def test_mastery_is_across_dimensions_so_one_gap_does_not_hold_a_strong_team_at_one():
    # Level 2: b2 no, r2 yes, r2b yes = 2 of 3 < 0.75: level 1, whatever is built above...
    r = result(b2="no", b3="yes", b4="yes", b5="yes", r2="yes", r2b="yes", r3="yes", r4="yes", r5="yes")
    assert r["overall_level"] == 1
    assert r["levels"][1] == {**r["levels"][1], "number": 2, "mastered": False, "credit": 2, "applicable": 3}
    assert [p["id"] for p in r["path_up"]] == ["b2"]
    # ...and what was built on the missing b2 is premature, pausing until phase 1 puts b2 in place.
    premature = {s["id"]: s for s in r["stop"] if s["kind"] == "premature"}
    assert set(premature) == {"b3", "b4", "b5", "r3", "r4", "r5"}
    assert all([m["id"] for m in s["missing"]] == ["b2"] and s["resume_phase"] == 1 for s in premature.values())
    assert "pause until phase 1" in premature["b3"]["reason"] and "\u201cB2\u201d" in premature["b3"]["reason"]


def test_partial_counts_half_against_the_mastery_share():
    # Level 2: yes + yes + partial = 2.5 / 3 = 0.83 >= 0.75.
    r = result(b2="yes", r2="yes", r2b="partial")
    assert r["overall_level"] == 2
    # ...but a partial capability is still on the start list and in the roadmap, at half its effort.
    start = {s["id"]: s for s in r["start"]}
    assert start["r2b"]["effort"] == 1 and start["r2b"]["full_effort"] == 2
    assert "r2b" in [i["id"] for i in r["roadmap"][0]["items"]]


def test_na_is_left_out_and_an_all_na_level_is_mastered():
    r = result(b2="n/a", r2="yes", r2b="n/a")
    assert r["overall_level"] == 2
    assert r["levels"][1]["applicable"] == 1


def test_a_practice_caps_at_its_level_and_partial_one_higher():
    built = dict(b2="yes", b3="yes", r2="yes", r2b="yes", r3="yes")
    assert result(**built)["overall_level"] == 3
    r = result(**built, hand_deploys="yes")
    assert r["overall_level"] == 2 and r["gated_level"] == 3
    assert [p["id"] for p in r["path_up"]] == ["hand-deploys"]
    assert r["held_back_by"] == ["hand-deploys"]
    assert r["stop"][0]["id"] == "hand-deploys" and r["stop"][0]["kind"] == "anti-pattern"
    assert "\u201cHand deploys\u201d" in r["reason"]
    assert r["roadmap"][0]["stop"] == [{"id": "hand-deploys", "title": "Hand deploys", "effort": 0}]
    assert result(**built, hand_deploys="partial")["overall_level"] == 3
    assert result(**built, no_tests="partial")["overall_level"] == 3
    assert result(**built, no_tests="yes")["overall_level"] == 3


def test_target_below_the_level_is_raised_to_it_with_a_warning_and_a_consolidate_phase():
    a = answers(b2="yes", b3="yes", r2="yes", r2b="partial", r3="yes")
    s = score(MODEL, a)
    p = plan(MODEL, s, 2)
    assert s.overall_level == 3
    assert p.target_level == 3 and p.requested_target == 2
    assert [(ph.kind, ph.level, ph.items) for ph in p.roadmap] == [("consolidate", 3, ("r2b",))]
    assert p.warnings and "below the current level 3" in p.warnings[0]
    assert p.start == ("r2b",)


def test_roadmap_puts_the_path_up_first_then_prerequisites_and_value_for_effort():
    r = result(b2="yes", r2="yes", r2b="yes")
    phase = r["roadmap"][0]
    assert phase["level"] == 3
    # Level 3 holds b3 and r3 (2 pw each); 0.75 of 2 needs both.
    assert [i["id"] for i in phase["items"]] == ["b3", "r3"]
    assert [p["id"] for p in r["path_up"]] == ["b3", "r3"]
    assert phase["effort"] == 4
    assert r["summary"]["effort_to_target"] == 4 + 6


def test_a_capability_with_nothing_absent_below_it_is_never_premature():
    # b4 is built while the team is at level 1, but its prerequisites (b3, b2) are in place: not premature.
    r = result(b2="yes", b3="yes", b4="yes", r2="no", r2b="no")
    assert r["overall_level"] == 1
    assert [s["id"] for s in r["stop"]] == []
    # A partial prerequisite is work under way, not absent.
    r = result(b2="partial", b3="yes", r2="yes", r2b="yes")
    assert [s["id"] for s in r["stop"]] == []


def test_a_premature_partial_item_stays_in_the_roadmap_after_its_prerequisite_but_not_in_start():
    r = result(r2="yes", r2b="yes", b3="partial")
    stop = {s["id"]: s for s in r["stop"]}
    assert stop["b3"]["kind"] == "premature" and [m["id"] for m in stop["b3"]["missing"]] == ["b2"]
    items = [i["id"] for p in r["roadmap"] for i in p["items"]]
    assert items.index("b2") < items.index("b3")
    assert "b3" not in [s["id"] for s in r["start"]]
