"""The portfolio summary: many teams' results in, one plain result dict out.

`team_summary(source, result)` keeps the few facts of one team's result that the
portfolio needs (small enough to travel back from a worker and to live in the
batch manifest); `build_portfolio(summaries)` is a pure function over them;
`read_results(folders)` finds the JSON results that batch runs (or shards of one)
wrote. Renderers read the portfolio dict only, like the single-team result.
"""

from __future__ import annotations

import json
import os
from collections import Counter
from pathlib import Path
from typing import Any, Iterable, Sequence

import orjson

from .. import __version__
from ..errors import InputError, Problem
from .inputs import MANIFEST_PREFIX, PORTFOLIO_STEM

PORTFOLIO_SCHEMA_VERSION = 1
RESULT_SCHEMA_VERSION = 2


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
    levels = [{"number": _level(lv, "number"), "name": _get(lv, "name", str), "focus": _text(lv, "focus")}
              for lv in result.get("levels", []) if isinstance(lv, dict)]
    summary = result.get("summary") if isinstance(result.get("summary"), dict) else {}
    return {
        "source": source,
        "team": _get(result, "team", str),
        "organization": _text(result, "organization"),
        "assessed_on": _text(result, "assessed_on"),
        "model": {"id": _get(model, "id", str, "model."), "version": _text(model, "version"),
                  "title": _text(model, "title")},
        "overall_level": _level(result, "overall_level"),
        "overall_name": _get(result, "overall_name", str),
        "target_level": _level(result, "target_level"),
        "target_name": _text(result, "target_name"),
        "held_back_by": [h for h in _get(result, "held_back_by", list) if isinstance(h, str)],
        "levels": levels,
        "dimensions": dimensions,
        "start": start,
        "anti_patterns": anti_patterns,
        "premature": premature,
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


def build_portfolio(summaries: Iterable[dict[str, Any]], *, top_gaps: int = 15) -> dict[str, Any]:
    """The portfolio result: a pure function of the teams' summaries, whatever their order.

    Teams are grouped by organisation (teams without one last), then sorted by name.
    Gaps are ranked by how many teams need the capability for their next level;
    ties go to the one holding more teams back, then to the lower level.
    """
    teams = sorted(summaries, key=_team_order)
    n = len(teams)

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
        rows.append({
            "source": t["source"],
            "team": t["team"],
            "organization": t["organization"],
            "assessed_on": t["assessed_on"],
            "model": t["model"]["id"],
            "overall_level": t["overall_level"],
            "overall_name": t["overall_name"],
            "target_level": t["target_level"],
            "target_name": t["target_name"] or level_names.get(t["target_level"], ""),
            "gap": gap,
            "on_target": t["overall_level"] >= t["target_level"],
            "effort_to_target": t["effort_to_target"],
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
            "effort_to_target": _num(sum(r["effort_to_target"] for r in members)),
        })

    for m in model_list:
        del m["_example"]
    return {
        "schema_version": PORTFOLIO_SCHEMA_VERSION,
        "kind": "portfolio",
        "generator": {"name": "reportgen", "version": __version__},
        "title": (model_list[0]["title"] if len(model_list) == 1 and model_list[0]["title"]
                  else "Maturity") + " portfolio",
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
        "targets": {
            "on_target": sum(r["on_target"] for r in rows),
            "below_target": sum(not r["on_target"] for r in rows),
            "average_gap": _avg([r["gap"] for r in rows if not r["on_target"]]) or 0,
            "effort_to_target": _num(sum(r["effort_to_target"] for r in rows)),
        },
    }


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
