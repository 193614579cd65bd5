"""The result: one plain, JSON-serialisable dict that every renderer reads.

Like Lighthouse's LHR, it carries everything a report needs (texts of the
capabilities it mentions included), so templates never reach back into the model.
"""

from __future__ import annotations

from typing import Any

from . import __version__
from .plan import Plan
from .score import Score
from .types import Answers, Model

SCHEMA_VERSION = 1


def _num(value: float) -> int | float:
    """2.0 -> 2, so efforts read as people write them; 2.5 stays."""
    return int(value) if float(value).is_integer() else round(value, 2)


def _join(names: list[str]) -> str:
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


def build_result(model: Model, answers: Answers, score: Score, plan: Plan) -> dict[str, Any]:
    caps = model.capabilities
    dim_names = {d.id: d.name for d in model.dimensions}
    level_names = {lvl.number: lvl.name for lvl in model.levels}
    by_id = answers.answers
    overall = score.overall_level

    def cap_ref(cap_id: str, *, full: bool = False) -> dict[str, Any]:
        cap = caps[cap_id]
        item: dict[str, Any] = {
            "id": cap.id,
            "title": cap.title,
            "level": cap.level,
            "dimension": cap.dimension,
            "dimension_name": dim_names[cap.dimension],
            "answer": score.values[cap.id],
            "effort": _num(cap.effort),
            "requires": list(cap.requires),
        }
        if full:
            item.update(question=cap.question, why=cap.why, how=cap.how, tools=list(cap.tools),
                        evidence=by_id[cap_id].evidence if cap_id in by_id else "")
        return item

    dimensions = []
    for dim, dim_score in zip(model.dimensions, score.dimensions):
        in_place = [cap_ref(c.id) for c in dim.capabilities if score.values[c.id] in ("yes", "partial")]
        dimensions.append({
            "id": dim.id,
            "name": dim.name,
            "description": dim.description,
            "level": dim_score.level,
            "level_name": level_names[dim_score.level],
            "next_level": dim_score.level + 1 if dim_score.level < 5 else None,
            "held_back": dim.id in score.held_back_by,
            "shares": [
                {"level": s.level, "earned": _num(s.earned), "applicable": s.applicable,
                 "share": round(s.share, 4), "mastered": s.mastered}
                for s in dim_score.levels
            ],
            "in_place": in_place,
            "missing": [cap_ref(c) for c in dim_score.missing],
        })

    stop = []
    for item in plan.stop:
        first = [{"id": c, "title": caps[c].title, "level": caps[c].level} if c in caps
                 else {"id": c, "title": f"stop \u201c{model.anti_pattern_index[c].title}\u201d", "level": None}
                 for c in item.first]
        if item.kind == "anti-pattern":
            ap = model.anti_pattern_index[item.id]
            reason = (f"Practised ({score.values[ap.id]}). It caps the team at level {ap.caps_level} "
                      f"({level_names[ap.caps_level]}), whatever else is built. {ap.why}").strip()
            stop.append({"id": ap.id, "kind": "anti-pattern", "title": ap.title, "reason": reason,
                         "instead": ap.instead, "caps_level": ap.caps_level, "answer": score.values[ap.id],
                         "evidence": by_id[ap.id].evidence if ap.id in by_id else "", "first": first})
        else:
            cap = caps[item.id]
            names = [f["title"] for f in first[:3]]
            if len(first) > 3:
                names.append(f"{len(first) - 3} more")
            what_first = f"first: {_join(names)}"
            reason = (f"A level-{cap.level} investment while the team is at level {overall} "
                      f"({level_names[overall]}); {what_first}.")
            instead = (f"Keep what runs at its current scope and put new effort into level {overall + 1} "
                       f"({level_names[overall + 1]}) first.")
            stop.append({**cap_ref(cap.id), "kind": "premature", "reason": reason, "instead": instead,
                         "evidence": by_id[cap.id].evidence if cap.id in by_id else "", "first": first})

    roadmap = []
    for phase in plan.roadmap:
        name = level_names[phase.level]
        verb = "Reach" if phase.kind == "reach" else "Consolidate"
        roadmap.append({
            "phase": phase.number,
            "level": phase.level,
            "level_name": name,
            "kind": phase.kind,
            "title": f"{verb} level {phase.level}: {name}",
            "focus": model.level(phase.level).focus,
            "effort": _num(phase.effort),
            "items": [cap_ref(c, full=True) for c in phase.items],
            "stop": [{"id": a, "title": model.anti_pattern_index[a].title} for a in phase.stop],
        })

    appendix = []
    for dim in model.dimensions:
        for cap in dim.capabilities:
            appendix.append(_answer_row(cap.id, "capability", cap.title, cap.question, score, by_id,
                                        level=cap.level, dimension=dim.id, dimension_name=dim.name))
    for ap in model.anti_patterns:
        appendix.append(_answer_row(ap.id, "anti-pattern", ap.title, ap.question, score, by_id,
                                    caps_level=ap.caps_level))

    values = [score.values[c] for c in caps]
    return {
        "schema_version": SCHEMA_VERSION,
        "generator": {"name": "reportgen", "version": __version__},
        "team": answers.team,
        "organization": answers.organization,
        "assessed_on": answers.assessed_on,
        "assessor": answers.assessor,
        "model": {"id": model.id, "version": model.version, "title": model.title},
        "overall_level": overall,
        "overall_name": level_names[overall],
        "overall_focus": model.level(overall).focus,
        "next_step": model.level(overall).next_step,
        "weakest_dimension_level": score.weakest_dimension_level,
        "target_level": plan.target_level,
        "target_name": level_names[plan.target_level],
        "reason": _reason(model, score),
        "held_back_by": list(score.held_back_by),
        "dimensions": dimensions,
        "stop": stop,
        "start": [cap_ref(c, full=True) for c in plan.start],
        "roadmap": roadmap,
        "unanswered": list(score.unanswered),
        "summary": {
            "capabilities": len(values),
            "yes": values.count("yes"),
            "partial": values.count("partial"),
            "no": values.count("no"),
            "n/a": values.count("n/a"),
            "anti_patterns_practised": len(score.practised),
            "effort_to_target": _num(sum(p.effort for p in plan.roadmap)),
        },
        "levels": [
            {"number": lvl.number, "name": lvl.name, "focus": lvl.focus, "tools": list(lvl.tools),
             "next_step": lvl.next_step, "description": lvl.description}
            for lvl in model.levels
        ],
        "scoring": {"mastery_share": model.mastery_share,
                    "credit": {"yes": 1, "partial": 0.5, "no": 0}},
        "answers": appendix,
    }


def _answer_row(item_id: str, kind: str, title: str, question: str, score: Score, by_id: dict,
                **extra: Any) -> dict[str, Any]:
    given = by_id.get(item_id)
    return {
        "id": item_id,
        "kind": kind,
        "title": title,
        "question": question,
        "answer": score.values[item_id],
        "answered": given is not None,
        "evidence": given.evidence if given else "",
        "note": given.note if given else "",
        **extra,
    }


def _reason(model: Model, score: Score) -> str:
    overall = score.overall_level
    name = model.level(overall).name
    dims = [d.name for d in score.dimensions if d.id in score.held_back_by]
    caps = [model.anti_pattern_index[a].title for a in score.held_back_by if a in model.anti_pattern_index]
    if overall == 5:
        return f"Level 5 ({name}): every dimension has mastered every level."
    parts = []
    total = len(score.dimensions)
    others = [d.name for d in score.dimensions if d.id not in score.held_back_by]
    if len(dims) == total:
        parts.append("held back by every dimension")
    elif len(dims) > 3 and len(others) <= 3:
        parts.append(f"held back by {len(dims)} of {total} dimensions (all but {_join(others)})")
    elif dims:
        parts.append(f"held back by {_join(dims)}")
    if caps:
        quoted = _join([f"\u201c{c}\u201d" for c in caps])
        parts.append(f"capped by the practice {quoted}" if len(caps) == 1 else f"capped by the practices {quoted}")
    return f"Level {overall} ({name}): " + "; ".join(parts) + "."
