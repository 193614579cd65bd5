"""The result: one plain, JSON-serialisable dict that every renderer reads.

Like Lighthouse's LHR, it carries everything a report needs (texts of the
capabilities it mentions included), so templates never reach back into the model.
"""

from __future__ import annotations

from typing import Any

from . import __version__
from .plan import Plan, remaining_effort
from .score import Score
from .types import Answers, Model
from .writeup import quoted, write_up

SCHEMA_VERSION = 2


def _num(value: float) -> int | float:
    """2.0 -> 2, so efforts read as people write them; other figures stay unrounded."""
    return int(value) if float(value).is_integer() else value


def build_result(model: Model, answers: Answers, score: Score, plan: Plan, *, currency: str = "") -> dict[str, Any]:
    caps = model.capabilities
    aps = model.anti_pattern_index
    dim_names = {d.id: d.name for d in model.dimensions}
    level_names = {lvl.number: lvl.name for lvl in model.levels}
    by_id = answers.answers
    values = score.values
    overall = score.overall_level
    platform = answers.context.platform
    on_path = set(plan.path_up)
    phase_of = {c: p.number for p in plan.roadmap for c in p.items}

    def evidence(item_id: str) -> str:
        return by_id[item_id].evidence if item_id in by_id else ""

    def cap_ref(cap_id: str, *, full: bool = False) -> dict[str, Any]:
        cap = caps[cap_id]
        item: dict[str, Any] = {
            "id": cap.id,
            "title": cap.title,
            "level": cap.level,
            "dimension": cap.dimension,
            "dimension_name": dim_names[cap.dimension],
            "answer": values[cap.id],
            "core": cap.core,
            "control": cap.control,
            "effort": _num(remaining_effort(model, values, cap.id)),
            "full_effort": _num(cap.effort),
            "requires": list(cap.requires),
            "requires_titles": [caps[q].title for q in cap.requires],
            "phase": phase_of.get(cap.id),
            "on_path_up": cap.id in on_path,
        }
        if full:
            item.update(question=cap.question, why=cap.why, how=cap.how_for(platform), tools=list(cap.tools),
                        evidence=evidence(cap_id))
        return item

    dimensions = []
    for dim, dim_score in zip(model.dimensions, score.dimensions):
        in_place = [cap_ref(c.id) for c in dim.capabilities if values[c.id] in ("yes", "partial")]
        dimensions.append({
            "id": dim.id,
            "name": dim.name,
            "description": dim.description,
            "level": dim_score.level,
            "level_name": level_names[dim_score.level],
            "next_level": dim_score.level + 1 if dim_score.level < 5 else None,
            "held_back": any(caps[c].dimension == dim.id for c in plan.path_up if c in caps),
            "shares": [
                {"level": s.number, "earned": _num(s.credit), "applicable": s.applicable,
                 "share": s.share, "mastered": s.mastered}
                for s in dim_score.levels
            ],
            "in_place": in_place,
            "missing": [cap_ref(c) for c in dim_score.missing],
        })

    def title_of(item_id: str) -> str:
        return caps[item_id].title if item_id in caps else aps[item_id].title

    path_up = []
    for item_id in plan.path_up:
        if item_id in caps:
            path_up.append({**cap_ref(item_id), "kind": "capability"})
        else:
            ap = aps[item_id]
            path_up.append({"id": ap.id, "kind": "anti-pattern", "title": ap.title, "effort": _num(ap.effort),
                            "answer": values[ap.id], "caps_level": ap.caps_level})

    stop = []
    for item in plan.stop:
        if item.kind == "anti-pattern":
            ap = aps[item.id]
            limit = ap.caps_level if values[ap.id] == "yes" else min(ap.caps_level + 1, 5)
            practised = "Practised" if values[ap.id] == "yes" else "Partly practised"
            reason = (f"{practised}: while it continues, the team cannot rise above level {limit} "
                      f"({level_names[limit]}). {ap.why}").strip()
            stop.append({"id": ap.id, "kind": "anti-pattern", "title": ap.title, "reason": reason, "why": ap.why,
                         "control": ap.control,
                         "instead": ap.instead, "caps_level": ap.caps_level, "limit": limit,
                         "answer": values[ap.id], "evidence": evidence(ap.id), "effort": _num(ap.effort),
                         "missing": [], "resume_phase": None})
            continue
        cap = caps[item.id]
        missing = [{"id": m, "title": caps[m].title, "level": caps[m].level, "phase": phase_of.get(m)}
                   for m in item.missing]
        names = quoted([m["title"] for m in missing])
        if item.resume_phase is not None:
            when = f"pause until phase {item.resume_phase}, which puts {'it' if len(missing) == 1 else 'them'} in place"
        else:
            when = f"pause until {'it is' if len(missing) == 1 else 'they are'} in place, beyond this roadmap's target"
        reason = (f"Built ({values[cap.id]}) before what it depends on: {names} "
                  f"{'is' if len(missing) == 1 else 'are'} not in place. Keep what runs; {when}.")
        instead = (f"Put {names} in place first" + (f" (phase {item.resume_phase})" if item.resume_phase else "")
                   + f", then resume \u201c{cap.title}\u201d.")
        stop.append({**cap_ref(cap.id), "kind": "premature", "reason": reason, "instead": instead,
                     "evidence": evidence(cap.id), "missing": missing, "resume_phase": item.resume_phase})

    roadmap = []
    for phase in plan.roadmap:
        name = level_names[phase.level]
        verb = "Reach" if phase.kind == "reach" else "Consolidate"
        entry: dict[str, Any] = {
            "phase": phase.number,
            "level": phase.level,
            "level_name": name,
            "kind": phase.kind,
            "title": f"{verb} level {phase.level}: {name}",
            "focus": model.level(phase.level).focus,
            "effort": _num(phase.effort),
            "items": [cap_ref(c, full=True) for c in phase.items],
            "stop": [{"id": a, "title": aps[a].title, "effort": _num(aps[a].effort)} for a in phase.stop],
        }
        entry["weeks"] = _num(phase.weeks)
        if phase.starts_on is not None:
            entry["starts_on"], entry["ends_on"] = phase.starts_on, phase.ends_on
        if phase.cost is not None:
            entry["cost"] = _num(phase.cost)
        roadmap.append(entry)

    level_entries = [{"number": 1, "mastered": True, "credit": 0, "applicable": 0, "share": 1.0,
                      "core_missing": []}]
    level_entries += [{"number": s.number, "mastered": s.mastered, "credit": _num(s.credit),
                       "applicable": s.applicable, "share": s.share, "core_missing": list(s.core_missing)}
                      for s in score.levels]
    for entry, lvl in zip(level_entries, model.levels):
        entry.update(name=lvl.name, focus=lvl.focus, tools=list(lvl.tools), next_step=lvl.next_step,
                     description=lvl.description)

    appendix = []
    for dim in model.dimensions:
        for cap in dim.capabilities:
            appendix.append(_answer_row(cap.id, "capability", cap.title, cap.question, score, by_id,
                                        level=cap.level, dimension=dim.id, dimension_name=dim.name,
                                        core=cap.core, control=cap.control, why=cap.why))
    for ap in model.anti_patterns:
        appendix.append(_answer_row(ap.id, "anti-pattern", ap.title, ap.question, score, by_id,
                                    caps_level=ap.caps_level, control=ap.control, why=ap.why))

    total_effort = sum(p.effort for p in plan.roadmap)
    calendar: dict[str, Any] = {
        "capacity": _num(plan.capacity), "capacity_source": plan.capacity_source,
        "weeks": _num(sum(p.weeks for p in plan.roadmap)),
        "starts_on": plan.roadmap[0].starts_on if plan.roadmap else None,
        "ends_on": plan.roadmap[-1].ends_on if plan.roadmap else None,
    }
    if any(p.cost is not None for p in plan.roadmap):
        calendar.update(cost=_num(sum(p.cost or 0 for p in plan.roadmap)), currency=currency)
    cap_values = [values[c] for c in caps]
    context = answers.context
    narrative = answers.narrative
    held_back_by = list(dict.fromkeys(caps[i].dimension if i in caps else i for i in plan.path_up))
    result = {
        "schema_version": SCHEMA_VERSION,
        "generator": {"name": "reportgen", "version": __version__},
        "team": answers.team,
        "organization": answers.organization,
        "assessed_on": answers.assessed_on,
        "assessor": answers.assessor,
        "context": {"platform": context.platform or None, "team_size": context.team_size,
                    "capacity": context.capacity, "regulated": context.regulated},
        "narrative": {"summary": narrative.summary, "findings": list(narrative.findings),
                      "risks": list(narrative.risks), "next_steps": list(narrative.next_steps)},
        "model": {"id": model.id, "version": model.version, "title": model.title},
        "overall_level": overall,
        "overall_name": level_names[overall],
        "overall_focus": model.level(overall).focus,
        "next_step": model.level(overall).next_step,
        "gated_level": score.gated_level,
        "target_level": plan.target_level,
        "target_name": level_names[plan.target_level],
        "answered": score.answered,
        "questions": score.questions,
        "preliminary": score.preliminary,
        "reason": _reason(model, score, plan),
        "held_back_by": held_back_by,
        "levels": level_entries,
        "path_up": path_up,
        "dimensions": dimensions,
        "stop": stop,
        "start": [cap_ref(c, full=True) for c in plan.start],
        "roadmap": roadmap,
        "calendar": calendar,
        "unanswered": list(score.unanswered),
        "warnings": [*score.warnings, *plan.warnings],
        "summary": {
            "capabilities": len(cap_values),
            "yes": cap_values.count("yes"),
            "partial": cap_values.count("partial"),
            "no": cap_values.count("no"),
            "n/a": cap_values.count("n/a"),
            "anti_patterns_practised": len(score.practised),
            "effort_to_target": _num(total_effort),
            "path_up_effort": _num(sum(remaining_effort(model, values, i) for i in plan.path_up)),
        },
        "scoring": {"mastery_share": model.mastery_share, "min_answered": model.min_answered,
                    "credit": {"yes": 1, "partial": 0.5, "no": 0}},
        "answers": appendix,
    }
    result.update(write_up(result))
    return result


def _answer_row(item_id: str, kind: str, title: str, question: str, score: Score, by_id: dict,
                **extra: Any) -> dict[str, Any]:
    given = by_id.get(item_id)
    return {
        "id": item_id,
        "kind": kind,
        "title": title,
        "question": question,
        "answer": score.values[item_id],
        "given": given.value if given else None,
        "answered": given is not None,
        "evidence": given.evidence if given else "",
        "note": given.note if given else "",
        **extra,
    }


def _reason(model: Model, score: Score, plan: Plan) -> str:
    """The verdict in one sentence: which level is not mastered and why, and what caps the team."""
    overall = score.overall_level
    name = model.level(overall).name
    if overall == 5:
        return f"Level 5 ({name}): every level is mastered and no practice holds the team back."
    parts = []
    if score.gated_level == overall:
        status = score.levels[overall - 1]   # levels holds 2..5: index overall - 1 is level overall + 1
        nxt = overall + 1
        need = f"{model.mastery_share:.0%}"
        got = f"{status.share:.0%}"
        detail = f"level {nxt} ({model.level(nxt).name}) earns {got} of its credit (it needs {need})"
        if status.core_missing:
            titles = quoted([model.capabilities[c].title for c in status.core_missing])
            detail += f" and lacks the core {'capability' if len(status.core_missing) == 1 else 'capabilities'} {titles}"
        parts.append(detail)
    capping = [model.anti_pattern_index[a].title for a in plan.path_up if a in model.anti_pattern_index]
    if capping:
        names = quoted(capping)
        parts.append(f"the practice{'s' if len(capping) > 1 else ''} {names} "
                     f"{'keep' if len(capping) > 1 else 'keeps'} it there")
    return f"Level {overall} ({name}): " + "; ".join(parts) + "."
