"""Progress over time: what changed between two assessments of the same team. Pure; no I/O.

`since_previous(now, then)` takes two results (`reportgen.result.build_result`)
and returns `now` with one more key, "since_previous":

    previous     {assessed_on, team, model: {id, version}, overall_level, overall_name, target_level}
    overall      {then, now, change, then_name, now_name}
    dimensions   [{id, name, then, now, change}]          then is None for a dimension new in the model
    gained       [{id, title, level, dimension, dimension_name, then, now}]  credit went up
    lost         [...]                                     credit went down
    rescoped     [...]                                     answer changed to or from n/a
    anti_patterns {dropped: [{id, title, caps_level, then, now}], new: [...], still: [...]}
    target       {level, name, then_level, percent, text}
    roadmap      {done: [{id, title, level, dimension, dimension_name, phase, effort}],
                  total, done_effort, total_effort}
    model_changed bool: the two results were scored against different model ids or versions

Definitions (documented in docs/assess.md):

- Credit is the scoring's: yes 1, partial 0.5, no (or unanswered) 0. A capability is
  *gained* when its credit rose (no -> partial, no -> yes, partial -> yes) and *lost*
  when it fell; a change to or from n/a is *rescoped* (n/a has no credit to compare).
- An anti-pattern is practised when answered yes or partial. *Dropped*: practised then,
  not now; *new*: practised now, not then; *still*: practised at both.
- Progress towards the target (the current result's target level T; the levels then
  and now, L0 and L1) is round(100 * (L1 - L0) / (T - L0)), rounded half away from
  zero. It is negative after a fall and above 100 past the target. When T <= L0 (the
  team already stood at or above the target last time) the ratio has no meaning:
  `percent` is None and `text` says whether the team is still at or above the target.
- A roadmap item of the previous report is *done* when it is answered yes now.
- Items are matched by id; ids present in only one of the two models are left out.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Any

_CREDIT = {"yes": 1.0, "partial": 0.5, "no": 0.0}
_PRACTISED = ("yes", "partial")


def _levels(then: int, now: int) -> str:
    change = now - then
    if change == 0:
        return "unchanged"
    n = abs(change)
    return f"{'up' if change > 0 else 'down'} {n} level{'s' if n != 1 else ''}"


def _n_levels(n: int) -> str:
    return f"{n} level{'s' if n != 1 else ''}"


def progress_percent(then: int, now: int, target: int) -> int | None:
    """round(100 * (now - then) / (target - then)), or None when target <= then."""
    if target <= then:
        return None
    ratio = Decimal(100 * (now - then)) / Decimal(target - then)
    return int(ratio.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def _target(then: int, now: int, target: int, target_name: str) -> dict[str, Any]:
    percent = progress_percent(then, now, target)
    if percent is None:
        where = ("is still at or above it" if now >= target
                 else f"is now below it, at level {now}")
        text = (f"The previous assessment was already at or above the target, level {target} "
                f"({target_name}); the team {where}.")
    else:
        done, span = now - then, target - then
        if now >= target:
            text = f"Target level {target} ({target_name}) reached: {percent}% of the way from level {then}."
        elif done >= 0:
            text = (f"{done} of {_n_levels(span)} from level {then} to the target, level {target} "
                    f"({target_name}): {percent}%.")
        else:
            text = (f"Down {_n_levels(-done)} from level {then}, away from the target, level {target} "
                    f"({target_name}): {percent}%.")
    return {"level": target, "name": target_name, "then_level": then, "percent": percent, "text": text}


def since_previous(result_now: dict[str, Any], result_then: dict[str, Any]) -> dict[str, Any]:
    """`result_now` plus "since_previous": what changed since `result_then`. Neither input is modified."""
    rows_now = {a["id"]: a for a in result_now["answers"]}
    rows_then = {a["id"]: a for a in result_then["answers"]}

    gained, lost, rescoped = [], [], []
    dropped, new, still = [], [], []
    for item_id, now in rows_now.items():
        then = rows_then.get(item_id)
        if then is None or then["kind"] != now["kind"]:
            continue
        a0, a1 = then["answer"], now["answer"]
        if now["kind"] == "capability":
            if a0 == a1:
                continue
            item = {"id": item_id, "title": now["title"], "level": now["level"], "dimension": now["dimension"],
                    "dimension_name": now["dimension_name"], "then": a0, "now": a1}
            if "n/a" in (a0, a1):
                rescoped.append(item)
            elif _CREDIT[a1] > _CREDIT[a0]:
                gained.append(item)
            else:
                lost.append(item)
        else:
            item = {"id": item_id, "title": now["title"], "caps_level": now["caps_level"], "then": a0, "now": a1}
            p0, p1 = a0 in _PRACTISED, a1 in _PRACTISED
            if p0 and not p1:
                dropped.append(item)
            elif p1 and not p0:
                new.append(item)
            elif p0 and p1:
                still.append(item)

    dims_then = {d["id"]: d for d in result_then["dimensions"]}
    dimensions = []
    for d in result_now["dimensions"]:
        before = dims_then.get(d["id"])
        level_then = before["level"] if before else None
        dimensions.append({"id": d["id"], "name": d["name"], "then": level_then, "now": d["level"],
                           "change": d["level"] - level_then if level_then is not None else None})

    items, done = [], []
    for phase in result_then["roadmap"]:
        for item in phase["items"]:
            items.append(item)
            row = rows_now.get(item["id"])
            if row is not None and row["answer"] == "yes":
                done.append({"id": item["id"], "title": item["title"], "level": item["level"],
                             "dimension": item["dimension"], "dimension_name": item["dimension_name"],
                             "phase": phase["phase"], "effort": item["effort"]})

    l0, l1 = result_then["overall_level"], result_now["overall_level"]
    since = {
        "previous": {
            "assessed_on": result_then["assessed_on"],
            "team": result_then["team"],
            "model": {"id": result_then["model"]["id"], "version": result_then["model"]["version"]},
            "overall_level": l0,
            "overall_name": result_then["overall_name"],
            "target_level": result_then["target_level"],
        },
        "overall": {"then": l0, "now": l1, "change": l1 - l0, "then_name": result_then["overall_name"],
                    "now_name": result_now["overall_name"], "text": _levels(l0, l1)},
        "dimensions": dimensions,
        "gained": gained,
        "lost": lost,
        "rescoped": rescoped,
        "anti_patterns": {"dropped": dropped, "new": new, "still": still},
        "target": _target(l0, l1, result_now["target_level"], result_now["target_name"]),
        "roadmap": {"done": done, "total": len(items),
                    "done_effort": _num(sum(i["effort"] for i in done)),
                    "total_effort": _num(sum(i["effort"] for i in items))},
        "model_changed": (result_then["model"]["id"], result_then["model"]["version"])
        != (result_now["model"]["id"], result_now["model"]["version"]),
    }
    return {**result_now, "since_previous": since}


def _num(value: float) -> int | float:
    return int(value) if float(value).is_integer() else round(value, 2)


def since_text(result: dict[str, Any]) -> str:
    """The "since the last assessment" section as plain text for the terminal (`reportgen diff`)."""
    s = result["since_previous"]
    prev, overall = s["previous"], s["overall"]
    when = f" (assessed on {prev['assessed_on']})" if prev["assessed_on"] else ""
    now_when = f" (assessed on {result['assessed_on']})" if result["assessed_on"] else ""
    lines = [
        f"{result['team']}: since the previous assessment{when}",
        f"Level {overall['then']} ({overall['then_name']}) -> {overall['now']} ({overall['now_name']})"
        f"{now_when}: {overall['text']}.",
        s["target"]["text"],
    ]
    if s["model_changed"]:
        lines.append(f"Note: the previous assessment used model {prev['model']['id']} {prev['model']['version']}; "
                     f"questions not in both models are left out.")
    lines += ["", "Dimensions (then -> now):"]
    width = max((len(d["name"]) for d in s["dimensions"]), default=0)
    for d in s["dimensions"]:
        then = "-" if d["then"] is None else str(d["then"])
        change = "" if d["change"] in (None, 0) else f"  {d['change']:+d}"
        lines.append(f"  {d['name']:<{width}}  {then} -> {d['now']}{change}")

    def section(title: str, rows: list[str]) -> None:
        lines.append("")
        lines.append(f"{title} ({len(rows)}):" if rows else f"{title}: none")
        lines.extend(f"  - {row}" for row in rows)

    def cap(c: dict[str, Any]) -> str:
        return f"{c['title']} [{c['id']}] (level {c['level']}, {c['dimension_name']}): {c['then']} -> {c['now']}"

    section("Capabilities gained", [cap(c) for c in s["gained"]])
    section("Capabilities lost", [cap(c) for c in s["lost"]])
    if s["rescoped"]:
        section("Now or no longer n/a", [cap(c) for c in s["rescoped"]])
    aps = s["anti_patterns"]
    section("Practices dropped", [f"{a['title']} [{a['id']}]: {a['then']} -> {a['now']}" for a in aps["dropped"]])
    section("New practices to stop", [f"{a['title']} [{a['id']}]: {a['then']} -> {a['now']}" for a in aps["new"]])
    road = s["roadmap"]
    lines.append("")
    if road["total"]:
        lines.append(f"Roadmap items of the previous report done now: {len(road['done'])} of {road['total']} "
                     f"({road['done_effort']} of {road['total_effort']} person-weeks)")
        lines.extend(f"  - {i['title']} [{i['id']}] (phase {i['phase']}, level {i['level']})" for i in road["done"])
    else:
        lines.append("The previous report had no roadmap items.")
    return printable("\n".join(lines))


def printable(text: str) -> str:
    """Text for a terminal: control characters from untrusted files (escape sequences) shown as \ufffd."""
    return "".join(ch if ch.isprintable() or ch == "\n" else "\ufffd" for ch in text)
