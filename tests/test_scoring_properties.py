"""The scoring and planning properties (README, "How the level is computed"), over random answer sets.

The levels are recomputed here from the rules as written, independently of reportgen.score, over
the default model, the tiny test model and a small model with core items and controls.
"""

from __future__ import annotations

import math

from hypothesis import given, settings
from hypothesis import strategies as st

from reportgen import pipeline
from reportgen.plan import plan
from reportgen.score import score
from reportgen.types import Answer, Answers, Context

from conftest import FIXTURES, TINY_MODEL

MODELS = [pipeline.load_model("mlops"), pipeline.load_model(str(TINY_MODEL)),
          pipeline.load_model(str(FIXTURES / "models" / "small-core.yaml"))]
CREDIT = {"yes": 1.0, "partial": 0.5, "no": 0.0}
RISE = {"no": "partial", "partial": "yes"}
DROP = {"yes": "partial", "partial": "no"}


@st.composite
def cases(draw, models=MODELS):
    model = draw(st.sampled_from(models))
    # Teams are more often good at the lower levels than the higher ones; draw each level's odds.
    odds = {lvl: draw(st.sampled_from([0.1, 0.4, 0.7, 0.95])) for lvl in range(2, 6)}
    chosen: dict[str, str | None] = {}
    for cap in model.capabilities.values():
        roll = draw(st.floats(0, 1))
        if roll < odds[cap.level]:
            chosen[cap.id] = draw(st.sampled_from(["yes", "yes", "partial"]))
        else:
            chosen[cap.id] = draw(st.sampled_from(["no", "no", None, "n/a", "partial"]))
    for ap in model.anti_patterns:
        chosen[ap.id] = draw(st.sampled_from(["no", "no", "no", None, "n/a", "yes", "partial"]))
    answers = Answers(team="T", answers={i: Answer(i, v) for i, v in chosen.items() if v is not None})
    target = draw(st.one_of(st.none(), st.integers(1, 5)))
    context = Context(regulated=draw(st.booleans()), capacity=draw(st.sampled_from([None, 0.5, 2.0])))
    return model, answers, target, context


# -- the rules, restated ---------------------------------------------------------------------------

def scored_values(model, answers) -> dict[str, str]:
    values = {}
    for item_id in [*model.capabilities, *model.anti_pattern_index]:
        given_ = answers.answers.get(item_id)
        value = given_.value if given_ else "no"
        if value == "n/a" and item_id in model.capabilities and model.capabilities[item_id].core:
            value = "no"
        values[item_id] = value
    return values


def mastered(model, values, level, caps=None) -> bool:
    caps = [c for c in (caps if caps is not None else model.capabilities.values()) if c.level == level]
    applicable = [c for c in caps if values[c.id] != "n/a"]
    if any(c.core and values[c.id] == "no" for c in caps):
        return False
    return sum(CREDIT[values[c.id]] for c in applicable) >= model.mastery_share * len(applicable) - 1e-9


def gated_level(model, values) -> int:
    level = 1
    while level < 5 and mastered(model, values, level + 1):
        level += 1
    return level


def limit_of(model, values) -> int:
    limits = [5]
    for ap in model.anti_patterns:
        if values[ap.id] == "yes":
            limits.append(ap.caps_level)
        elif values[ap.id] == "partial":
            limits.append(min(ap.caps_level + 1, 5))
    return min(limits)


def overall(model, values) -> int:
    return min(gated_level(model, values), limit_of(model, values))


def in_place(values, cap_id) -> bool:
    return values[cap_id] in ("yes", "n/a")


def all_prerequisites(model, cap_id) -> set[str]:
    seen, stack = set(), list(model.capabilities[cap_id].requires)
    while stack:
        req = stack.pop()
        if req not in seen:
            seen.add(req)
            stack.extend(model.capabilities[req].requires)
    return seen


def completed(model, values, items) -> dict[str, str]:
    done = dict(values)
    for item in items:
        done[item] = "yes" if item in model.capabilities else "no"
    return done


# -- properties ------------------------------------------------------------------------------------

@settings(max_examples=250, deadline=None)
@given(cases())
def test_levels_follow_the_rules_gated_and_capped(case):
    model, answers, _, _ = case
    s = score(model, answers)
    values = scored_values(model, answers)
    assert dict(s.values) == values
    assert s.gated_level == gated_level(model, values)
    assert s.overall_level == overall(model, values)
    # Gated: when level 2 is not mastered nothing built above lifts the team.
    if not mastered(model, values, 2):
        assert s.overall_level == 1
    for status in s.levels:
        assert status.mastered == mastered(model, values, status.number)
        assert set(status.core_missing) == {c.id for c in model.capabilities.values()
                                            if c.level == status.number and c.core and values[c.id] == "no"}
    # Dimension levels: the same rules over one dimension; empty levels count once the team is there.
    for dim, ds in zip(model.dimensions, s.dimensions):
        level = 1
        while level < 5:
            nxt = level + 1
            here = [c for c in dim.capabilities if c.level == nxt and values[c.id] != "n/a"]
            ok = mastered(model, values, nxt, dim.capabilities) if here else s.gated_level >= nxt
            if not ok:
                break
            level = nxt
        assert ds.level == level, dim.id
    assert s.answered == len(answers.answers)
    assert s.questions == len(model.capabilities) + len(model.anti_patterns)
    assert s.preliminary == (s.answered < model.min_answered * s.questions)


@settings(max_examples=250, deadline=None)
@given(cases(), st.data())
def test_monotone_better_answers_never_lower_a_level(case, data):
    model, answers, _, _ = case
    before = score(model, answers)
    movable = [i for i in model.capabilities if before.values[i] in RISE]
    movable += [a for a in model.anti_pattern_index if before.values[a] in DROP]
    if not movable:
        return
    item = data.draw(st.sampled_from(movable))
    better = dict(answers.answers)
    better[item] = Answer(item, RISE[before.values[item]] if item in model.capabilities else DROP[before.values[item]])
    after = score(model, Answers(team="T", answers=better))
    assert after.overall_level >= before.overall_level
    assert after.gated_level >= before.gated_level
    for b, a in zip(before.dimensions, after.dimensions):
        assert a.level >= b.level, b.id


@settings(max_examples=250, deadline=None)
@given(cases())
def test_path_up_raises_the_level_holds_its_prerequisites_and_is_minimal(case):
    model, answers, _, _ = case
    s = score(model, answers)
    p = plan(model, s)
    values = dict(s.values)
    if s.overall_level == 5:
        assert p.path_up == ()
        return
    path = list(p.path_up)
    assert path, "below level 5 there is always a way up"
    assert len(path) == len(set(path))
    for item in path:
        if item in model.capabilities:
            assert values[item] in ("no", "partial"), f"{item} is already in place"
        else:
            assert values[item] in ("yes", "partial"), f"{item} is not practised"

    def closed(items) -> bool:
        chosen = set(items)
        return all(r in chosen for c in chosen if c in model.capabilities
                   for r in all_prerequisites(model, c) if not in_place(values, r))

    def raises(items) -> bool:
        return overall(model, completed(model, values, items)) > s.overall_level

    assert raises(path)
    assert closed(path)
    # Walkable in order: every prerequisite on the path comes before the item needing it.
    seen: set[str] = set()
    for item in path:
        if item in model.capabilities:
            assert all(r in seen for r in all_prerequisites(model, item) if r in path), item
        seen.add(item)
    for item in path:
        rest = [i for i in path if i != item]
        assert not (raises(rest) and closed(rest)), f"{item} could be dropped from the path up"
    # Core items lead: no core item of the path comes after an item that does not lead to a core item.
    caps = [i for i in path if i in model.capabilities]
    leads = {c for c in caps if model.capabilities[c].core
             or any(model.capabilities[o].core and c in all_prerequisites(model, o) for o in caps)}
    flags = [c in leads for c in caps]
    assert flags == sorted(flags, reverse=True)


@settings(max_examples=250, deadline=None)
@given(cases())
def test_stop_start_and_roadmap_agree(case):
    model, answers, target, context = case
    s = score(model, answers)
    p = plan(model, s, target, context=context, assessed_on="2026-01-05")
    values = dict(s.values)
    o = s.overall_level

    # Stop: every practised anti-pattern, and exactly the capabilities built before a prerequisite.
    practised = {a for a in model.anti_pattern_index if values[a] in ("yes", "partial")}
    premature = {c for c in model.capabilities if values[c] in ("yes", "partial")
                 and any(values[r] == "no" for r in all_prerequisites(model, c))}
    assert {i.id for i in p.stop if i.kind == "anti-pattern"} == practised
    assert {i.id for i in p.stop if i.kind == "premature"} == premature
    stop_ids = {i.id for i in p.stop}

    # Roadmap: target rules; every unmet capability up to the target in exactly one phase.
    requested = target if target is not None else min(o + 2, 5)
    assert p.target_level == max(requested, o)
    phases = p.roadmap
    placed = [c for ph in phases for c in ph.items]
    assert len(placed) == len(set(placed))
    unmet = {c.id for c in model.capabilities.values() if values[c.id] in ("no", "partial")}
    assert set(placed) == {c for c in unmet if model.capabilities[c].level <= p.target_level}
    assert not any(values[c] in ("yes", "n/a") for c in placed), "nothing in place is planned"
    if p.target_level > o:
        assert [ph.level for ph in phases] == list(range(o + 1, p.target_level + 1))
        for ph in phases[1:]:
            assert all(model.capabilities[c].level == ph.level for c in ph.items)
    else:
        assert [(ph.kind, ph.level) for ph in phases] == [("consolidate", o)]
    position = {c: i for i, c in enumerate(placed)}
    phase_of = {c: ph.number for ph in phases for c in ph.items}
    for c in placed:
        for r in all_prerequisites(model, c):
            if r in position:
                assert position[r] < position[c], f"{r} must come before {c}"
    for ph in phases:
        effort = sum(model.capabilities[c].effort * (0.5 if values[c] == "partial" else 1) for c in ph.items)
        effort += sum(model.anti_pattern_index[a].effort for a in ph.stop)
        assert math.isclose(ph.effort, effort)
        if context.capacity:
            assert math.isclose(ph.weeks, ph.effort / context.capacity)
            assert ph.starts_on and ph.ends_on and ph.starts_on <= ph.ends_on
    for a, b in zip(phases, phases[1:]):
        if a.ends_on:
            assert a.ends_on == b.starts_on

    # Premature items name every absent prerequisite, which come before them in the roadmap.
    for item in p.stop:
        if item.kind != "premature":
            assert item.missing == () and item.resume_phase is None
            continue
        assert set(item.missing) == {r for r in all_prerequisites(model, item.id) if values[r] == "no"}
        if all(m in phase_of for m in item.missing):
            assert item.resume_phase == max(phase_of[m] for m in item.missing)
        else:
            assert item.resume_phase is None
        if item.id in position:
            assert all(position[m] < position[item.id] for m in item.missing)

    # Start: the first phase without stop items, the path up first, in roadmap order.
    first = phases[0].items if phases else ()
    assert list(p.start) == [c for c in first if c not in stop_ids]
    assert not stop_ids & set(p.start), "nothing is both stopped and started"
    assert not any(values[c] == "yes" for c in p.start)
    if p.target_level > o:
        on_path = [c for c in p.start if c in p.path_up]
        assert list(p.start[:len(on_path)]) == on_path, "the path up leads the start list"
        assert set(c for c in p.path_up if c in model.capabilities) - stop_ids <= set(p.start)


@settings(max_examples=100, deadline=None)
@given(cases(), st.sampled_from(["kubernetes", "sagemaker", ""]), st.booleans(), st.sampled_from([None, 3.0]))
def test_context_never_changes_a_level_or_what_is_stopped_started_or_planned(case, platform, regulated, capacity):
    model, answers, target, _ = case
    s = score(model, answers)
    plain = plan(model, s, target)
    tailored = plan(model, s, target, context=Context(platform, 4, capacity, regulated), assessed_on="2026-03-02")
    assert plain.path_up == tailored.path_up
    assert {i.id for i in plain.stop} == {i.id for i in tailored.stop}
    assert set(plain.start) == set(tailored.start)
    assert [set(ph.items) for ph in plain.roadmap] == [set(ph.items) for ph in tailored.roadmap]
