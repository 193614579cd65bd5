"""The write-up: the verdict in words, key findings, risks and next steps. Pure, over the result.

Every sentence is computed from the result's own figures, so the words and the numbers beside them
always agree; the assessor's `narrative` (shown after these, as written) adds judgement, never
replaces the computed verdict.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from .numbers import format_person_weeks, format_weeks


def write_up(r: dict[str, Any]) -> dict[str, Any]:
    """The keys `verdict`, `findings`, `risks`, `next_steps` and `methodology` for a result."""
    titles = {a["id"]: a["title"] for a in r["answers"]}
    risk_list = risks(r)
    return {
        "premature_groups": premature_groups(r),
        "verdict": verdict(r, titles),
        "findings": findings(r, risk_list),
        "risks": risk_list,
        "next_steps": next_steps(r),
        "methodology": methodology(r),
    }


def join(names: list[str]) -> str:
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


def quoted(names: list[str]) -> str:
    return join([f"\u201c{n}\u201d" for n in names])


def plural(n: int, one: str, many: str | None = None) -> str:
    return one if n == 1 else (many or one + "s")


def percent(share: float) -> str:
    return f"{share * 100:.0f}%"


# -- the verdict ------------------------------------------------------------------------------------

def verdict(r: dict[str, Any], titles: dict[str, str]) -> str:
    level = r["overall_level"]
    levels = {lv["number"]: lv for lv in r["levels"]}
    share = r["scoring"]["mastery_share"]
    parts = []
    if r["preliminary"]:
        parts.append(f"This verdict is preliminary: {r['answered']} of {r['questions']} questions were answered, "
                     "and an unanswered question counts as no.")
    here = levels[level]
    line = f"{r['team']} stands at Level {level}, {here['name']} (focus: {here['focus'].lower()})"
    if level >= 2:
        line += f": {percent(here['share'])} of level {level}'s capabilities are in place, its core included"
    else:
        line += ": level 2's foundations of scripting, versioning and packaging are not yet in place"
    parts.append(line + ".")
    if level < 5:
        nxt = levels[level + 1]
        if r["gated_level"] > level:
            parts.append(f"Its capabilities would already place it at Level {r['gated_level']}; "
                         "a practice it still follows holds it lower.")
        else:
            sentence = f"Level {level + 1}, {nxt['name']}, is {percent(nxt['share'])} in place against the {percent(share)} it needs"
            if nxt["share"] + 1e-9 >= share and nxt["core_missing"]:
                sentence = f"Level {level + 1}, {nxt['name']}, is {percent(nxt['share'])} in place, enough but for its core"
            if nxt["core_missing"]:
                missing = [titles[c] for c in nxt["core_missing"]]
                sentence += (f", and its core {plural(len(missing), 'capability', 'capabilities')} "
                             f"{quoted(missing)} {plural(len(missing), 'is', 'are')} missing")
            parts.append(sentence + ".")
        path = r["path_up"]
        if path:
            first = path[0]
            start = (f"stopping \u201c{first['title']}\u201d" if first["kind"] == "anti-pattern"
                     else f"\u201c{first['title']}\u201d")
            parts.append(f"{len(path)} {plural(len(path), 'item')}, about {format_person_weeks(r['summary']['path_up_effort'])}, "
                         f"would lift the team to Level {level + 1}, starting with {start}.")
    else:
        parts.append("Every level is mastered; the work now is to sustain what runs and improve its economics.")
    practices = [s for s in r["stop"] if s["kind"] == "anti-pattern"]
    if practices:
        limit = min(s["limit"] for s in practices)
        parts.append(f"{len(practices)} {plural(len(practices), 'practice')} to stop: "
                     f"{quoted([s['title'] for s in practices])}; while "
                     f"{plural(len(practices), 'it continues', 'they continue')}, the team cannot rise above "
                     f"Level {limit}.")
    premature = [s for s in r["stop"] if s["kind"] == "premature"]
    if premature:
        names = [s["title"] for s in premature[:2]]
        more = len(premature) - len(names)
        listed = quoted(names) + (f" and {more} more" if more else "")
        parts.append(f"{len(premature)} {plural(len(premature), 'investment')} ran ahead of what "
                     f"{plural(len(premature), 'it depends', 'they depend')} on ({listed}): keep what runs, "
                     "and pause new work there until its foundations are in place.")
    if r["roadmap"] and r["summary"]["effort_to_target"]:
        cal = r["calendar"]
        kind = r["roadmap"][0]["kind"]
        goal = (f"The roadmap to Level {r['target_level']}" if kind == "reach"
                else f"Consolidating Level {r['target_level']}")
        when = f", to {cal['ends_on']}" if cal.get("ends_on") else ""
        parts.append(f"{goal} takes about {format_person_weeks(r['summary']['effort_to_target'])}: "
                     f"about {format_weeks(cal['weeks'])} at {format_person_weeks(cal['capacity'])} a week{when}.")
    return " ".join(parts)


# -- premature work, grouped by what it waits for ------------------------------------------------------

def premature_groups(r: dict[str, Any]) -> list[dict[str, Any]]:
    """Premature investments that wait for the same prerequisites, so a report says the reason once."""
    groups: dict[tuple[tuple[str, ...], int | None], dict[str, Any]] = {}
    for s in r["stop"]:
        if s["kind"] != "premature":
            continue
        key = (tuple(m["id"] for m in s["missing"]), s["resume_phase"])
        if key not in groups:
            names = quoted([m["title"] for m in s["missing"]])
            many = len(s["missing"]) > 1
            when = (f"pause new work until phase {s['resume_phase']} puts {'them' if many else 'it'} in place"
                    if s["resume_phase"] else "pause new work, since what it waits for lies beyond this roadmap's target")
            groups[key] = {
                "missing": s["missing"],
                "resume_phase": s["resume_phase"],
                "reason": f"Built before {names} {'are' if many else 'is'} in place. Keep what runs; {when}.",
                "items": [],
            }
        groups[key]["items"].append(s["id"])
    return list(groups.values())


# -- findings ---------------------------------------------------------------------------------------

def findings(r: dict[str, Any], risk_list: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Three findings drawn from the answers: the strongest area, the gap that sets the level, the top risk."""
    out = []
    answers = {a["id"]: a for a in r["answers"]}
    strongest = max(r["dimensions"], key=lambda d: (d["level"], len(d["in_place"])), default=None)
    if strongest and strongest["in_place"]:
        have = [c for c in strongest["in_place"] if c["answer"] == "yes"] or strongest["in_place"]
        evidence = next((answers[c["id"]]["evidence"] for c in have if answers[c["id"]]["evidence"]), "")
        names = [c["title"] for c in have[:2]]
        count = len(strongest["in_place"])
        out.append({
            "kind": "strength",
            "title": f"{strongest['name']} is the strongest area",
            "text": (f"{count} of its capabilities {plural(count, 'is', 'are')} in place"
                     f"{', including ' if count > len(names) else ': '}{quoted(names)}; "
                     f"on its own it stands at level {strongest['level']}."),
            "evidence": evidence,
            "refs": [c["id"] for c in have[:2]],
        })
    path_caps = [p for p in r["path_up"] if p["kind"] == "capability"]
    if path_caps:
        core = [p for p in path_caps if p["core"]] or path_caps
        lead = core[0]
        given = answers[lead["id"]]
        text = (f"Level {r['overall_level'] + 1} needs {quoted([p['title'] for p in core[:2]])}"
                + (f" and {len(path_caps) - min(2, len(core))} more {plural(len(path_caps) - min(2, len(core)), 'item')}"
                   if len(path_caps) > min(2, len(core)) else "")
                + f"; {'the first' if len(path_caps) > 1 else 'it'} "
                  f"{'is partly in place' if given['answer'] == 'partial' else 'is not in place' if given['answered'] else 'was not answered, so it counts as not in place'}.")
        out.append({
            "kind": "gap",
            "title": f"\u201c{lead['title']}\u201d holds the level",
            "text": text,
            "evidence": given["evidence"] or given["note"],
            "refs": [p["id"] for p in path_caps[:3]],
        })
    elif r["path_up"]:
        ap = r["path_up"][0]
        out.append({"kind": "gap", "title": f"\u201c{ap['title']}\u201d holds the level",
                    "text": f"Stopping it is all that stands between the team and Level {r['overall_level'] + 1}.",
                    "evidence": answers[ap["id"]]["evidence"], "refs": [ap["id"]]})
    if risk_list:
        top = risk_list[0]
        out.append({"kind": "risk", "title": top["title"], "text": top["text"], "evidence": top["evidence"],
                    "refs": top["refs"]})
    return out[:3]


# -- risks and dependencies ---------------------------------------------------------------------------

def risks(r: dict[str, Any]) -> list[dict[str, Any]]:
    """Practised anti-patterns, missing controls (first when regulated), premature work, dependency chains."""
    answers = {a["id"]: a for a in r["answers"]}
    practices = []
    regulated = r["context"]["regulated"]
    # Lowest cap first; for a regulated team, practices that defeat a control (shared admin rights) lead.
    for s in sorted((s for s in r["stop"] if s["kind"] == "anti-pattern"),
                    key=lambda s: (not (regulated and s["control"]), s["limit"])):
        practices.append({
            "kind": "practice", "title": s["title"],
            "text": (f"{'Practised' if s['answer'] == 'yes' else 'Partly practised'}; while it continues the "
                     f"team cannot rise above Level {s['limit']}."),
            "evidence": s["evidence"], "refs": [s["id"]], "anchor": "stop",
        })
    controls = []
    planned = {i["id"]: p["phase"] for p in r["roadmap"] for i in p["items"]}
    # Controls up to the target; a regulated team answers for level-4 controls whatever its target.
    horizon = max(r["target_level"], 4 if regulated else 0)
    for a in r["answers"]:
        if (a["kind"] == "capability" and a.get("control") and a["answer"] in ("no", "partial")
                and a["level"] <= horizon):
            state = "partly in place" if a["answer"] == "partial" else (
                "not in place" if a["answered"] else "not answered, so counted as not in place")
            controls.append({
                "kind": "control", "title": f"Missing control: {a['title']}",
                "text": (f"A level-{a['level']} control, {state}"
                         + (f"; planned in phase {planned[a['id']]}." if a["id"] in planned else
                            "; beyond this roadmap's target." if a["level"] > r["target_level"] else ".")),
                "evidence": a["evidence"] or a["note"], "refs": [a["id"]],
                "anchor": f"item-{a['id']}" if a["id"] in planned else None,
            })
    premature = []
    stop_by_id = {s["id"]: s for s in r["stop"]}
    for group in premature_groups(r):
        items = [stop_by_id[i] for i in group["items"]]
        when = f"phase {group['resume_phase']}" if group["resume_phase"] else "beyond this roadmap"
        premature.append({
            "kind": "premature", "title": f"Ahead of its foundations: {join([s['title'] for s in items])}",
            "text": (f"Built before {quoted([m['title'] for m in group['missing']])}; what runs now rests on "
                     f"foundations the roadmap lays in {when}."),
            "evidence": next((s["evidence"] for s in items if s["evidence"]), ""),
            "refs": [*group["items"], *(m["id"] for m in group["missing"])], "anchor": "stop",
        })
    chains = []
    for chain in dependency_chains(r):
        titles = [answers[c]["title"] for c in chain]
        chains.append({
            "kind": "chain", "title": f"Dependency chain: {titles[-1]}",
            "text": f"{ARROW.join(titles)}: each needs the one before it, so this sequence sets the pace.",
            "evidence": "", "refs": list(chain), "anchor": f"item-{chain[-1]}",
        })
    # Practices do harm now; missing controls rank next when a regulator is watching, else after the rest.
    if regulated:
        return practices + controls + premature + chains
    return practices + premature + chains + controls


ARROW = " \u2192 "


def dependency_chains(r: dict[str, Any], limit: int = 3) -> list[tuple[str, ...]]:
    """The longest chains of planned prerequisites (three or more items) that end on the path up."""
    planned = {i["id"]: i for p in r["roadmap"] for i in p["items"]}
    memo: dict[str, tuple[str, ...]] = {}

    def longest(cap_id: str) -> tuple[str, ...]:
        if cap_id not in memo:
            best: tuple[str, ...] = ()
            for req in planned[cap_id]["requires"]:
                if req in planned:
                    candidate = longest(req)
                    if len(candidate) > len(best):
                        best = candidate
            memo[cap_id] = (*best, cap_id)
        return memo[cap_id]

    ends = [p["id"] for p in r["path_up"] if p["id"] in planned] or list(planned)
    chains = sorted({longest(c) for c in ends if len(longest(c)) >= 3}, key=lambda ch: (-len(ch), ch))
    kept: list[tuple[str, ...]] = []
    for chain in chains:   # a chain inside a longer one says nothing new
        if not any(set(chain) <= set(other) for other in kept):
            kept.append(chain)
    return kept[:limit]


# -- next steps ---------------------------------------------------------------------------------------

WINDOWS = ((0, 30, "First 30 days"), (30, 60, "Days 31 to 60"), (60, 90, "Days 61 to 90"))


def next_steps(r: dict[str, Any]) -> list[dict[str, Any]]:
    """The roadmap's first 90 days at the calendar's capacity: what starts in each 30-day window."""
    capacity = float(r["calendar"]["capacity"]) or 1.0
    windows: list[dict[str, Any]] = [{"title": title, "from_day": lo, "to_day": hi, "items": []}
                                     for lo, hi, title in WINDOWS]
    for s in r["stop"]:
        if s["kind"] == "anti-pattern":
            windows[0]["items"].append({"id": s["id"], "kind": "stop", "title": s["title"], "phase": None})
        elif s["answer"] == "yes" or s["id"] not in {i["id"] for p in r["roadmap"] for i in p["items"]}:
            windows[0]["items"].append({"id": s["id"], "kind": "pause", "title": s["title"],
                                        "phase": s["resume_phase"]})
    stopped = {s["id"] for s in r["stop"]}
    day = 0.0
    for phase in r["roadmap"]:
        for item in phase["items"]:
            if day >= WINDOWS[-1][1]:
                break
            window = next(w for w in windows if w["from_day"] <= day < w["to_day"])
            if item["id"] not in stopped:
                window["items"].append({"id": item["id"], "kind": "start", "title": item["title"],
                                        "phase": phase["phase"]})
            day += float(item["effort"]) / capacity * 7
    if r["calendar"]["starts_on"]:
        first = dt.date.fromisoformat(r["calendar"]["starts_on"])
        for w in windows:
            w["ends_on"] = (first + dt.timedelta(days=w["to_day"])).isoformat()
    return [w for w in windows if w["items"]]


def methodology(r: dict[str, Any]) -> dict[str, Any]:
    answers = r["answers"]
    return {
        "answered": r["answered"],
        "questions": r["questions"],
        "evidence_given": sum(1 for a in answers if a["evidence"]),
        "notes_given": sum(1 for a in answers if a["note"]),
        "partial": sum(1 for a in answers if a["given"] == "partial"),
        "not_applicable": sum(1 for a in answers if a["given"] == "n/a"),
    }
