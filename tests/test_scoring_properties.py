"""The SPEC's scoring properties, checked over random answer sets (hypothesis)."""

from __future__ import annotations


from hypothesis import given, settings
from hypothesis import strategies as st

from reportgen import pipeline
from reportgen.plan import plan
from reportgen.score import score
from reportgen.types import CREDIT, Answer, Answers

from conftest import TINY_MODEL

MODELS = [pipeline.load_model(str(TINY_MODEL))]
if pipeline.builtin_model_path("mlops").exists():
    MODELS.append(pipeline.load_model("mlops"))

VALUES = st.sampled_from(["yes", "partial", "no", "n/a", None])


@st.composite
def cases(draw):
    model = draw(st.sampled_from(MODELS))
    ids = [*model.capabilities, *model.anti_pattern_index]
    chosen = {i: draw(VALUES) for i in ids}
    # Practised anti-patterns are rarer than not, as in real teams.
    for ap in model.anti_pattern_index:
        chosen[ap] = draw(st.sampled_from(["no", "no", "no", None, "n/a", "yes", "partial"]))
    answers = Answers(team="T", answers={i: Answer(i, v) for i, v in chosen.items() if v is not None})
    target = draw(st.one_of(st.none(), st.integers(1, 5)))
    return model, answers, target


def expected_dimension_level(model, dim, values) -> int:
    level = 1
    for lvl in range(2, 6):
        caps = [c for c in dim.capabilities if c.level == lvl and values[c.id] != "n/a"]
        if caps and sum(CREDIT[values[c.id]] for c in caps) < model.mastery_share * len(caps) - 1e-9:
            break
        level = lvl
    return level


@settings(max_examples=300, deadline=None)
@given(cases())
def test_levels_are_gated_weakest_link_and_capped(case):
    model, answers, _ = case
    s = score(model, answers)
    values = s.values
    for dim, ds in zip(model.dimensions, s.dimensions):
        assert ds.level == expected_dimension_level(model, dim, values)
        # Gated: a level-2 gap holds the dimension at 1 whatever is built above.
        level2 = [c for c in dim.capabilities if c.level == 2 and values[c.id] != "n/a"]
        if level2 and sum(CREDIT[values[c.id]] for c in level2) < model.mastery_share * len(level2) - 1e-9:
            assert ds.level == 1
    practised = [a for a in model.anti_patterns if values[a.id] in ("yes", "partial")]
    assert s.overall_level == min([d.level for d in s.dimensions] + [a.caps_level for a in practised])
    assert set(s.held_back_by) == (
        {d.id for d in s.dimensions if d.level == s.overall_level}
        | {a.id for a in practised if a.caps_level == s.overall_level}
    )
    assert s.unanswered == tuple(i for i in [*model.capabilities, *model.anti_pattern_index]
                                 if i not in answers.answers)


UPGRADE = {"no": "partial", "partial": "yes"}


@settings(max_examples=300, deadline=None)
@given(cases(), st.data())
def test_monotone_no_partial_yes_never_lowers_a_level(case, data):
    model, answers, _ = case
    before = score(model, answers)
    upgradable = [c for c in model.capabilities if before.values[c] in UPGRADE]
    if not upgradable:
        return
    cap_id = data.draw(st.sampled_from(upgradable))
    improved = dict(answers.answers)
    improved[cap_id] = Answer(cap_id, UPGRADE[before.values[cap_id]])
    after = score(model, Answers(team="T", answers=improved))
    assert after.overall_level >= before.overall_level
    for b, a in zip(before.dimensions, after.dimensions):
        assert a.level >= b.level


def position_checks(model, ordered):
    position = {c: i for i, c in enumerate(ordered)}
    for cap_id in ordered:
        for req in model.capabilities[cap_id].requires:
            if req in position:
                assert position[req] < position[cap_id], f"{req} must come before {cap_id}"


@settings(max_examples=300, deadline=None)
@given(cases())
def test_stop_start_and_roadmap(case):
    model, answers, target = case
    s = score(model, answers)
    p = plan(model, s, target)
    overall = s.overall_level
    values = s.values

    # Stop: every practised anti-pattern and every premature (level >= overall + 2) investment.
    expected_stop = {a for a in model.anti_pattern_index if values[a] in ("yes", "partial")}
    expected_stop |= {c.id for c in model.capabilities.values()
                      if c.level >= overall + 2 and values[c.id] in ("yes", "partial")}
    assert {i.id for i in p.stop} == expected_stop
    for item in p.stop:
        if item.kind == "premature":
            assert item.first, "a premature investment names what must come first"
            assert all(values[f] in ("no", "partial") if f in model.capabilities
                       else f in model.anti_pattern_index and values[f] in ("yes", "partial")
                       for f in item.first)

    # Start: exactly the unmet capabilities up to overall + 1, prerequisites first.
    unmet = {c.id for c in model.capabilities.values() if values[c.id] in ("no", "partial")}
    assert set(p.start) == {c for c in unmet if model.capabilities[c].level <= overall + 1}
    assert len(p.start) == len(set(p.start))
    position_checks(model, p.start)

    # Roadmap: every unmet capability up to the target in exactly one phase, nothing above it.
    chosen_target = target if target is not None else min(overall + 2, 5)
    assert p.target_level == chosen_target
    in_phases = [c for phase in p.roadmap for c in phase.items]
    assert len(in_phases) == len(set(in_phases))
    assert set(in_phases) == {c for c in unmet if model.capabilities[c].level <= chosen_target}
    position_checks(model, in_phases)
    if chosen_target > overall:
        assert [ph.level for ph in p.roadmap] == list(range(overall + 1, chosen_target + 1))
        assert all(ph.kind == "reach" for ph in p.roadmap)
        for ph in p.roadmap[1:]:
            assert all(model.capabilities[c].level == ph.level for c in ph.items)
    else:
        assert [(ph.kind, ph.level) for ph in p.roadmap] == [("consolidate", chosen_target)]
    for ph in p.roadmap:
        assert abs(ph.effort - sum(model.capabilities[c].effort for c in ph.items)) < 1e-9
