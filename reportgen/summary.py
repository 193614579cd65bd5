"""A plain-text summary of a result, for the terminal."""

from __future__ import annotations

from typing import Any

from .numbers import format_effort


def text_summary(r: dict[str, Any]) -> str:
    preliminary = (f" - preliminary: {r['answered']} of {r['questions']} questions answered"
                   if r["preliminary"] else "")
    lines = [
        f"{r['team']}: level {r['overall_level']} of 5 ({r['overall_name']}){preliminary}",
        r["reason"],
        f"Target: level {r['target_level']} ({r['target_name']}), about "
        f"{format_effort(r['summary']['effort_to_target'])} person-weeks in {len(r['roadmap'])} phase(s)",
    ]
    if r["path_up"]:
        steps = "; ".join(("stop " if p["kind"] == "anti-pattern" else "") + p["title"] for p in r["path_up"])
        lines.append(f"Path up to level {r['overall_level'] + 1} (about "
                     f"{format_effort(r['summary']['path_up_effort'])} person-weeks): {steps}")
    lines += [f"Note: {w}" for w in r["warnings"]]
    lines.append("")
    width = max(len(d["name"]) for d in r["dimensions"])
    for d in r["dimensions"]:
        bar = "#" * d["level"] + "." * (5 - d["level"])
        missing = ", ".join(m["title"] for m in d["missing"][:2])
        more = f" (+{len(d['missing']) - 2})" if len(d["missing"]) > 2 else ""
        lines.append(f"  {d['name']:<{width}}  {d['level']} {bar}  {('next: ' + missing + more) if missing else ''}".rstrip())
    lines.append("")
    lines.append(f"Stop ({len(r['stop'])}):")
    lines += [f"  - {s['title']} [{s['kind']}"
              + (f", pause until phase {s['resume_phase']}" if s["resume_phase"] else "") + "]"
              for s in r["stop"]] or ["  (nothing)"]
    lines.append(f"Start ({len(r['start'])}):")
    lines += [f"  - {s['title']} (level {s['level']}, {s['dimension_name']})" for s in r["start"]] or ["  (nothing)"]
    if r["unanswered"]:
        lines.append(f"Unanswered: {len(r['unanswered'])} (counted as no)")
    return "\n".join(lines)
