"""The portfolio summary: many teams' results in, one plain result dict out.

`team_summary(source, result)` keeps the few facts of one team's result that the
portfolio needs (small enough to travel back from a worker and to live in the
batch manifest); `build_portfolio(summaries)` is a pure function over them;
`read_results(folders)` finds the JSON results that batch runs (or shards of one)
wrote. Renderers read the portfolio dict only, like the single-team result.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
from collections import Counter
from pathlib import Path
from typing import Any, Iterable, Sequence

import orjson

from .. import __version__
from ..errors import InputError, Problem
from .inputs import MANIFEST_PREFIX, PORTFOLIO_STEM

PORTFOLIO_SCHEMA_VERSION = 2
DEFAULT_TITLE = "MLOps maturity portfolio"

# Shared platform work: capabilities that a platform team builds once for every team, so the
# portfolio counts their effort once, not once per team that still needs them. The rule, by the
# model's own ids: every capability of the platform dimension ("Platform & self-service": golden
# path, platform as a product, team tenancy, self-service), plus the two capabilities of other
# dimensions that the model describes as built once by one owner for all teams: shared pipeline
# components and maintained base images. Everything else is team work, summed over the teams.
SHARED_DIMENSIONS = ("platform",)
SHARED_CAPABILITIES = ("shared-pipelines", "golden-base-images")
SHARED_RULE = ("every capability of the platform dimension, plus the capabilities shared-pipelines and "
               "golden-base-images")
RESULT_SCHEMA_VERSION = 2
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}\Z")


# -- one team ------------------------------------------------------------------------------


class NotAResult(ValueError):
    """A JSON file that is not a reportgen team result (or is damaged)."""


def _get(data: Any, key: str, kind: type | tuple[type, ...], where: str = "") -> Any:
    if not isinstance(data, dict) or key not in data:
        raise NotAResult(f"missing key {where + key!r}")
    value = data[key]
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        raise NotAResult(f"key {where + key!r} has the wrong type ({type(value).__name__})")
    return value


def _level(data: Any, key: str, where: str = "") -> int:
    value = _get(data, key, int, where)
    if not 1 <= value <= 5:
        raise NotAResult(f"key {where + key!r} must be a level from 1 to 5, found {value}")
    return value


def _text(data: Any, key: str, where: str = "") -> str:
    value = data.get(key, "") if isinstance(data, dict) else ""
    return value if isinstance(value, str) else ""


def _number(value: Any) -> int | float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return 0
    return value


def is_shared(item: dict[str, Any]) -> bool:
    """Whether a roadmap item is shared platform work (see SHARED_DIMENSIONS)."""
    return item["dimension"] in SHARED_DIMENSIONS or item["id"] in SHARED_CAPABILITIES


def _date(value: str) -> str:
    """A valid YYYY-MM-DD date, else "" (results are read from disk: never trusted)."""
    if not _DATE.match(value):
        return ""
    try:
        dt.date.fromisoformat(value)
    except ValueError:
        return ""
    return value


def team_summary(source: str, result: dict[str, Any]) -> dict[str, Any]:
    """What the portfolio needs from one team's result; NotAResult when it is not one.

    `source` names the team's outputs relative to the batch folder ("emea/fraud").
    Results are read back from disk, so every field is checked, never trusted.
    """
    if not isinstance(result, dict):
        raise NotAResult("expected a JSON object")
    if result.get("schema_version") != RESULT_SCHEMA_VERSION:
        raise NotAResult(f"unsupported schema_version {result.get('schema_version')!r} "
                         f"(this reportgen reads version {RESULT_SCHEMA_VERSION})")
    model = _get(result, "model", dict)
    dimensions = []
    for i, d in enumerate(_get(result, "dimensions", list)):
        where = f"dimensions[{i}]."
        dimensions.append({"id": _get(d, "id", str, where), "name": _get(d, "name", str, where),
                           "level": _level(d, "level", where), "held_back": bool(d.get("held_back")),
                           "missing": [_get(m, "id", str, where + "missing[].") for m in _get(d, "missing", list, where)]})
    if not dimensions:
        raise NotAResult("key 'dimensions' is empty")
    start = []
    for i, s in enumerate(_get(result, "start", list)):
        where = f"start[{i}]."
        start.append({"id": _get(s, "id", str, where), "title": _get(s, "title", str, where),
                      "level": _level(s, "level", where), "dimension": _get(s, "dimension", str, where),
                      "dimension_name": _text(s, "dimension_name"), "answer": _text(s, "answer"),
                      "effort": _number(s.get("effort")), "on_path_up": s.get("on_path_up") is True})
    anti_patterns, premature = [], []
    for i, s in enumerate(_get(result, "stop", list)):
        where = f"stop[{i}]."
        kind = _get(s, "kind", str, where)
        if kind == "anti-pattern":
            anti_patterns.append({"id": _get(s, "id", str, where), "title": _get(s, "title", str, where),
                                  "caps_level": _level(s, "caps_level", where)})
        elif kind == "premature":
            premature.append({"id": _get(s, "id", str, where), "title": _get(s, "title", str, where),
                              "level": _level(s, "level", where), "dimension": _text(s, "dimension"),
                              "dimension_name": _text(s, "dimension_name")})
    shared = []   # the shared platform work on the team's roadmap to its target (only that: kept small)
    for i, phase in enumerate(_get(result, "roadmap", list)):
        for j, item in enumerate(_get(phase, "items", list, f"roadmap[{i}].")):
            where = f"roadmap[{i}].items[{j}]."
            entry = {"id": _get(item, "id", str, where), "title": _get(item, "title", str, where),
                     "level": _level(item, "level", where), "dimension": _get(item, "dimension", str, where),
                     "dimension_name": _text(item, "dimension_name"), "effort": _number(item.get("effort"))}
            if is_shared(entry):
                shared.append(entry)
    overall = _level(result, "overall_level")
    gated = result.get("gated_level")
    gated = gated if isinstance(gated, int) and not isinstance(gated, bool) and overall <= gated <= 5 else overall
    levels = [{"number": _level(lv, "number"), "name": _get(lv, "name", str), "focus": _text(lv, "focus")}
              for lv in result.get("levels", []) if isinstance(lv, dict)]
    summary = result.get("summary") if isinstance(result.get("summary"), dict) else {}
    return {
        "source": source,
        "team": _get(result, "team", str),
        "organization": _text(result, "organization"),
        "assessed_on": _date(_text(result, "assessed_on")),
        "model": {"id": _get(model, "id", str, "model."), "version": _text(model, "version"),
                  "title": _text(model, "title")},
        "overall_level": overall,
        "gated_level": gated,
        "overall_name": _get(result, "overall_name", str),
        "target_level": _level(result, "target_level"),
        "target_name": _text(result, "target_name"),
        "held_back_by": [h for h in _get(result, "held_back_by", list) if isinstance(h, str)],
        "levels": levels,
        "dimensions": dimensions,
        "start": start,
        "anti_patterns": anti_patterns,
        "premature": premature,
        "shared_work": shared,
        "effort_to_target": _number(summary.get("effort_to_target")),
        "unanswered": len(result.get("unanswered") or []),
    }


# -- many teams ----------------------------------------------------------------------------

DEFAULT_LEVEL_NAMES = {1: "Manual", 2: "Repeatable", 3: "Operable", 4: "Governed", 5: "Adaptive"}


def _avg(values: Sequence[float]) -> float | None:
    return round(sum(values) / len(values), 2) if values else None


def _num(value: float) -> int | float:
    return int(value) if float(value).is_integer() else round(value, 2)


def _share(count: int, total: int) -> float:
    return round(count / total, 4) if total else 0.0


def _name_order(t: dict[str, Any]) -> tuple:
    org = t["organization"]
    return (org == "", org.casefold(), org, t["team"].casefold(), t["team"], t["source"])


def _team_order(t: dict[str, Any]) -> tuple:
    return (*_name_order(t), json.dumps(t, sort_keys=True))


def build_portfolio(summaries: Iterable[dict[str, Any]], *, top_gaps: int = 15,
                    title: str | None = None) -> dict[str, Any]:
    """The portfolio result: a pure function of the teams' summaries, whatever their order.

    Teams are grouped by organisation (teams without one last), then sorted by name.
    Gaps are ranked by how many teams need the capability for their next level;
    ties go to the one holding more teams back, then to the lower level. The effort
    to every target is team work (summed over the teams) plus shared platform work,
    counted once (SHARED_RULE). `title` defaults to DEFAULT_TITLE; the as-of date is
    the latest assessment date among the teams (None when no team has one).
    """
    teams = sorted(summaries, key=_team_order)
    n = len(teams)
    title = " ".join((title or "").split()) or DEFAULT_TITLE
    dates = [t["assessed_on"] for t in teams if t["assessed_on"]]
    as_of = max(dates) if dates else None

    # Models, levels and the union of dimensions (a portfolio may mix models).
    models: dict[tuple[str, str], dict[str, Any]] = {}
    for t in teams:
        key = (t["model"]["id"], t["model"]["version"])
        models.setdefault(key, {"id": t["model"]["id"], "version": t["model"]["version"],
                                "title": t["model"]["title"], "teams": 0, "_example": t})["teams"] += 1
    model_list = [models[k] for k in sorted(models)]
    level_names = dict(DEFAULT_LEVEL_NAMES)
    level_focus: dict[int, str] = {}
    dim_order: list[str] = []
    dim_names: dict[str, str] = {}
    for m in model_list:
        for lv in m["_example"]["levels"]:
            level_names.setdefault(lv["number"], lv["name"])
            level_focus.setdefault(lv["number"], lv["focus"])
        for d in m["_example"]["dimensions"]:
            if d["id"] not in dim_names:
                dim_order.append(d["id"])
                dim_names[d["id"]] = d["name"]
    if model_list:  # the first model's names win (the SPEC fixes them anyway)
        for lv in model_list[0]["_example"]["levels"]:
            level_names[lv["number"]] = lv["name"]

    # Per team rows: the heat map and the level against the target.
    rows = []
    dim_levels: dict[str, list[int]] = {d: [] for d in dim_order}
    dim_held: Counter[str] = Counter()
    for t in teams:
        by_dim = {d["id"]: d for d in t["dimensions"]}
        for d in t["dimensions"]:
            dim_levels[d["id"]].append(d["level"])
            if d["held_back"]:
                dim_held[d["id"]] += 1
        gap = max(0, t["target_level"] - t["overall_level"])
        shared_effort = sum(i["effort"] for i in t["shared_work"])
        rows.append({
            "source": t["source"],
            "team": t["team"],
            "organization": t["organization"],
            "assessed_on": t["assessed_on"],
            "model": t["model"]["id"],
            "overall_level": t["overall_level"],
            "overall_name": t["overall_name"],
            "gated_level": t["gated_level"],
            "capped": t["overall_level"] < t["gated_level"],
            "target_level": t["target_level"],
            "target_name": t["target_name"] or level_names.get(t["target_level"], ""),
            "gap": gap,
            "on_target": t["overall_level"] >= t["target_level"],
            "effort_to_target": t["effort_to_target"],
            "team_effort": _num(max(0, t["effort_to_target"] - shared_effort)),
            "shared_effort": _num(shared_effort),
            "dimension_levels": [by_dim[d]["level"] if d in by_dim else None for d in dim_order],
            "held_back_by": [dim_names.get(h, h) if h in by_dim else
                             next((a["title"] for a in t["anti_patterns"] if a["id"] == h), h)
                             for h in t["held_back_by"]],
            "anti_patterns": len(t["anti_patterns"]),
            "premature": len(t["premature"]),
            "start": len(t["start"]),
            "unanswered": t["unanswered"],
        })

    levels = []
    counts = Counter(t["overall_level"] for t in teams)
    for number in range(1, 6):
        levels.append({"number": number, "name": level_names.get(number, ""), "focus": level_focus.get(number, ""),
                       "teams": counts[number], "share": _share(counts[number], n)})

    dimensions = []
    for d in dim_order:
        values = dim_levels[d]
        c = Counter(values)
        dimensions.append({"id": d, "name": dim_names[d], "teams": len(values), "average_level": _avg(values),
                           "levels": [c[i] for i in range(1, 6)], "holding_back": dim_held[d]})

    # Most common gaps: capabilities in most teams' start lists.
    gaps: dict[tuple[str, str], dict[str, Any]] = {}
    for t in teams:
        blocking = {s["id"] for s in t["start"] if s["on_path_up"]}  # what lifts the team to its next level
        for s in t["start"]:
            key = (t["model"]["id"], s["id"])
            g = gaps.get(key)
            if g is None:
                g = gaps[key] = {"id": s["id"], "title": s["title"], "level": s["level"],
                                 "dimension": s["dimension"], "dimension_name": s["dimension_name"],
                                 "model": t["model"]["id"], "effort": s["effort"],
                                 "teams": 0, "holding_back": 0, "partial": 0}
            g["teams"] += 1
            g["holding_back"] += s["id"] in blocking
            g["partial"] += s["answer"] == "partial"
    dim_rank = {d: i for i, d in enumerate(dim_order)}
    gap_list = sorted(gaps.values(), key=lambda g: (-g["teams"], -g["holding_back"], g["level"],
                                                    dim_rank.get(g["dimension"], len(dim_rank)), g["model"], g["id"]))
    for g in gap_list:
        g["share"] = _share(g["teams"], n)

    # Practices to stop and premature investments, across teams.
    ap_counts: dict[str, dict[str, Any]] = {}
    pre_counts: dict[str, dict[str, Any]] = {}
    watch = []
    for t in teams:
        for a in t["anti_patterns"]:
            ap_counts.setdefault(a["id"], {"id": a["id"], "title": a["title"], "caps_level": a["caps_level"],
                                           "teams": 0})["teams"] += 1
        for p in t["premature"]:
            pre_counts.setdefault(p["id"], {"id": p["id"], "title": p["title"], "level": p["level"],
                                            "dimension": p["dimension"], "dimension_name": p["dimension_name"],
                                            "teams": 0})["teams"] += 1
        if t["anti_patterns"] or t["premature"]:
            watch.append({"source": t["source"], "team": t["team"], "organization": t["organization"],
                          "overall_level": t["overall_level"],
                          "anti_patterns": [{"id": a["id"], "title": a["title"], "caps_level": a["caps_level"]}
                                            for a in t["anti_patterns"]],
                          "premature": [{"id": p["id"], "title": p["title"], "level": p["level"]}
                                        for p in t["premature"]]})
    anti_patterns = sorted(ap_counts.values(), key=lambda a: (-a["teams"], a["caps_level"], a["id"]))
    premature = sorted(pre_counts.values(), key=lambda p: (-p["teams"], -p["level"], p["id"]))
    for item in (*anti_patterns, *premature):
        item["share"] = _share(item["teams"], n)
    watch.sort(key=lambda w: (-len(w["anti_patterns"]), -len(w["premature"]), *_name_order(w)))

    # Shared platform work: each capability counted once, at the most any one team still needs.
    shared_items: dict[tuple[str, str], dict[str, Any]] = {}
    for t in teams:
        for i in t["shared_work"]:
            key = (t["model"]["id"], i["id"])
            s = shared_items.get(key)
            if s is None:
                s = shared_items[key] = {"id": i["id"], "title": i["title"], "level": i["level"],
                                         "dimension": i["dimension"], "dimension_name": i["dimension_name"],
                                         "model": t["model"]["id"], "teams": 0, "effort": 0,
                                         "effort_per_team": 0}
            s["teams"] += 1
            s["effort"] = max(s["effort"], i["effort"])
            s["effort_per_team"] += i["effort"]
    shared_list = sorted(shared_items.values(), key=lambda s: (s["level"], dim_rank.get(s["dimension"], len(dim_rank)),
                                                             -s["teams"], s["model"], s["id"]))
    for s in shared_list:
        s["effort"], s["effort_per_team"] = _num(s["effort"]), _num(s["effort_per_team"])
        s["share"] = _share(s["teams"], n)

    # Organisations (teams without one form the last group, named "").
    organizations = []
    for org in sorted({t["organization"] for t in teams}, key=lambda o: (o == "", o.casefold(), o)):
        members = [r for r in rows if r["organization"] == org]
        c = Counter(r["overall_level"] for r in members)
        organizations.append({
            "name": org,
            "teams": len(members),
            "average_level": _avg([r["overall_level"] for r in members]),
            "levels": [c[i] for i in range(1, 6)],
            "on_target": sum(r["on_target"] for r in members),
            "capped": sum(r["capped"] for r in members),
            "team_effort": _num(sum(r["team_effort"] for r in members)),
        })

    for m in model_list:
        del m["_example"]
    team_effort = sum(r["team_effort"] for r in rows)
    shared_once = sum(s["effort"] for s in shared_list)
    portfolio = {
        "schema_version": PORTFOLIO_SCHEMA_VERSION,
        "kind": "portfolio",
        "generator": {"name": "reportgen", "version": __version__},
        "title": title,
        "as_of": as_of,
        "summary_text": [],   # filled in below, from the figures of this dict
        "teams_count": n,
        "models": model_list,
        "average_level": _avg([t["overall_level"] for t in teams]),
        "levels": levels,
        "dimensions": dimensions,
        "organizations": organizations,
        "teams": rows,
        "gaps": gap_list[:top_gaps] if top_gaps else gap_list,
        "gaps_total": len(gap_list),
        "anti_patterns": anti_patterns,
        "premature": premature,
        "watch": watch,
        "shared_platform": {
            "rule": SHARED_RULE,
            "dimensions": list(SHARED_DIMENSIONS),
            "capabilities": list(SHARED_CAPABILITIES),
            "items": shared_list,
            "teams": sum(r["shared_effort"] > 0 for r in rows),
            "effort": _num(shared_once),
            "effort_per_team": _num(sum(s["effort_per_team"] for s in shared_list)),
        },
        "targets": {
            "on_target": sum(r["on_target"] for r in rows),
            "below_target": sum(not r["on_target"] for r in rows),
            "average_gap": _avg([r["gap"] for r in rows if not r["on_target"]]) or 0,
            "capped": sum(r["capped"] for r in rows),
            "team_effort": _num(team_effort),
            "shared_effort": _num(shared_once),
            "effort_to_target": _num(team_effort + shared_once),
            "effort_summed_over_teams": _num(sum(r["effort_to_target"] for r in rows)),
        },
    }
    portfolio["summary_text"] = summary_text(portfolio)
    return portfolio


# -- the summary in words ------------------------------------------------------------------


def _effort(value: float) -> str:
    number = float(value)
    return str(int(number)) if number.is_integer() else f"{round(number, 2):g}"


def _count(number: int, one: str, many: str | None = None) -> str:
    return f"{number} {one if number == 1 else (many or one + 's')}"


def _series(parts: Sequence[str]) -> str:
    if len(parts) <= 1:
        return "".join(parts)
    return ", ".join(parts[:-1]) + " and " + parts[-1]


def summary_text(p: dict[str, Any], *, top: int = 3) -> list[str]:
    """The portfolio's front page in words: plain sentences, built from the figures of `p` only.

    One paragraph each: the teams and their levels; the targets; what most teams need
    next; what most teams should stop; the shared effort. Deterministic: the same
    portfolio gives the same words.
    """
    n = p["teams_count"]
    t = p["targets"]
    orgs = [o for o in p["organizations"] if o["name"]]
    out = []

    # The teams and their levels.
    where = f" in {_count(len(orgs), 'organisation')}" if orgs else ""
    unaffiliated = sum(o["teams"] for o in p["organizations"] if not o["name"])
    if orgs and unaffiliated:
        where += f" ({unaffiliated} without one)"
    when = f"As of {p['as_of']}, the" if p["as_of"] else "The"
    models = "; ".join(f"{m['title'] or m['id']}" + (f", version {m['version']}" if m["version"] else "")
                       for m in p["models"])
    first = f"{when} portfolio covers {_count(n, 'team')}{where}, assessed against {models}."
    present = [lv for lv in p["levels"] if lv["teams"]]
    if n == 1:
        lv = present[0]
        spread = f"The team is at level {lv['number']} ({lv['name']})."
    else:
        parts = [f"{lv['teams']} at level {lv['number']} ({lv['name']})" for lv in present]
        parts[0] = parts[0].replace(" at level", " teams are at level" if present[0]["teams"] > 1
                                    else " team is at level", 1)
        spread = _series(parts) + "."
        top_level = max(lv["number"] for lv in present)
        if top_level < 5:
            spread += f" No team has reached level {top_level + 1} or above."
        spread += f" The average level is {p['average_level']:.1f} of 5."
    out.append(f"{first} {spread}")

    # The targets, and the teams whose level a practice to stop holds down.
    on, below, gap = t["on_target"], t["below_target"], t["average_gap"]
    short = f"{gap:.1f} level{'' if gap == 1 else 's'} short"
    if below == 0:
        targets = ("The team is at or above its target level." if n == 1
                   else f"All {n} teams are at or above their target level.")
    elif n == 1:
        targets = f"The team is below its target level, {short}."
    elif on == 0:
        targets = f"None of the {n} teams is at its target level yet; they are on average {short}."
    else:
        targets = (f"{on} of {n} teams {'is' if on == 1 else 'are'} at or above {'its' if on == 1 else 'their'} "
                   f"target level; the other {_count(below, 'team')} {'is' if below == 1 else 'are'} "
                   f"{'' if below == 1 else 'on average '}{short}.")
    capped = t["capped"]
    if capped:
        its = "its" if capped == 1 else "their"
        targets += (f" {_count(capped, 'team')} {'is' if capped == 1 else 'are'} capped: a practice to stop holds "
                    f"{its} overall level below the level {its} capabilities reach.")
    out.append(targets)

    # What most teams need next.
    if p["gaps"]:
        named = [f"{g['title']} ({g['teams']} of {n} teams)" if i == 0 else f"{g['title']} ({g['teams']})"
                 for i, g in enumerate(p["gaps"][:top])]
        out.append(f"The most common gaps, what the teams need next: {_series(named)}.")
    else:
        out.append("No team has a gap before its next level.")

    # What most teams should stop.
    stops = []
    if p["anti_patterns"]:
        named = [f"{a['title']} ({_count(a['teams'], 'team')})" for a in p["anti_patterns"][:top]]
        stops.append(f"The most common practices to stop: {_series(named)}.")
    else:
        stops.append("No team practises an anti-pattern of the model.")
    if p["premature"]:
        investing = len([w for w in p["watch"] if w["premature"]])
        first_pre = p["premature"][0]
        stops.append(f"{_count(investing, 'team')} {'invests' if investing == 1 else 'invest'} ahead of "
                     f"{'its' if investing == 1 else 'their'} foundations; the most common premature investment: "
                     f"{first_pre['title']} ({_count(first_pre['teams'], 'team')}).")
    out.append(" ".join(stops))

    # The effort: team work summed, shared platform work once.
    sp = p["shared_platform"]
    if not t["effort_to_target"]:
        out.append("No further effort is needed to reach the targets.")
    else:
        effort = (f"Reaching every target takes about {_effort(t['effort_to_target'])} person-weeks in all: "
                  f"{_effort(t['team_effort'])} person-weeks of work within the teams (summed over the teams)")
        if sp["items"]:
            many = len(sp["items"]) > 1
            effort += (f" and {_effort(t['shared_effort'])} person-weeks of shared platform work, counted once "
                       f"({_count(len(sp['items']), 'capability', 'capabilities')} that a platform team builds once "
                       f"for the {_count(sp['teams'], 'team')} that {'needs' if sp['teams'] == 1 else 'need'} "
                       f"{'them' if many else 'it'}; counted once "
                       f"per team, {'they' if many else 'it'} would come to {_effort(sp['effort_per_team'])} "
                       f"person-weeks).")
        else:
            effort += "; no team needs shared platform work to reach its target."
        out.append(effort)
    return out


# -- reading batch folders -----------------------------------------------------------------


def read_results(folders: Sequence[Path]) -> list[dict[str, Any]]:
    """Team summaries from every JSON result under `folders` (recursively).

    Portfolio results and batch manifests are skipped, as are hidden files and
    folders. The same file reached twice counts once, and so does the same result
    (same name, same content) found in two folders. Anything else that is not a
    team result is an error, reported with its place.
    """
    summaries: dict[tuple[str, str], dict[str, Any]] = {}
    problems: list[Problem] = []
    seen_files: set[tuple[int, int]] = set()
    for folder in folders:
        for path in _json_files(folder):
            st = path.stat()
            if (st.st_dev, st.st_ino) in seen_files:
                continue
            seen_files.add((st.st_dev, st.st_ino))
            display = str(path)
            try:
                text = path.read_bytes().decode("utf-8")
                data = orjson.loads(text)
            except UnicodeDecodeError:
                problems.append(Problem(display, 1, 1, "not UTF-8 text; expected a reportgen JSON result"))
                continue
            except json.JSONDecodeError as exc:
                problems.append(Problem(display, exc.lineno, exc.colno, f"invalid JSON: {exc.msg}"))
                continue
            except OSError as exc:
                problems.append(Problem(display, 1, 1, f"cannot read file: {exc.strerror}"))
                continue
            if isinstance(data, dict) and data.get("kind") == "portfolio":
                continue
            source = path.relative_to(folder).with_suffix("").as_posix()
            try:
                summary = team_summary(source, data)
            except NotAResult as exc:
                problems.append(Problem(display, 1, 1, f"not a reportgen team result: {exc}"))
                continue
            summaries[(source, json.dumps(summary, sort_keys=True))] = summary
    if problems:
        raise InputError(problems)
    return list(summaries.values())


def _json_files(folder: Path) -> list[Path]:
    found = []
    for root, dirs, names in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(names):
            if name.endswith(".json") and not name.startswith(".") and not name.startswith(MANIFEST_PREFIX):
                found.append(Path(root, name))
    return found


def portfolio_name(fmt: str) -> str:
    return f"{PORTFOLIO_STEM}.{fmt}"
