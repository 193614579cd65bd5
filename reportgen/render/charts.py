"""The report's graphics as inline SVG, drawn from the result dict in plain Python.

Pure functions: data and colours in, an SVG string out. No browser, no plotting
library, no I/O, so the same numbers give the same bytes everywhere. Every text
that reaches the SVG is XML-escaped; colours are validated hex values from the
brand. The charts stay readable in greyscale: state is told by fill *and* by a
label, outline or pattern, never by hue alone.
"""

from __future__ import annotations

import math
from datetime import date, timedelta
from typing import Any, Iterable, Sequence
from xml.sax.saxutils import escape as _xml_escape

from markupsafe import Markup

from ..numbers import format_weeks

FONT = ("'Reportgen Sans', 'Reportgen Fallback', 'Source Sans Pro', 'Segoe UI', Helvetica, Arial, "
        "'Noto Sans CJK SC', 'Noto Sans CJK JP', 'Noto Sans CJK KR', 'Noto Sans CJK TC', sans-serif")
INK = "#1d232b"
MUTED = "#5b6570"
TRACK = "#e3e6ea"
RULE = "#b9c0c8"
WIDTH = 640


def esc(value: object) -> str:
    """Text for an SVG text node or attribute."""
    return _xml_escape(str(value), {'"': "&quot;", "'": "&#39;"})


def text_width(text: str, size: float, *, bold: bool = False) -> float:
    """A conservative estimate of a text's width in px for a humanist sans-serif."""
    narrow = sum(1 for ch in text if ch in "iljtfrI.,;:'!| ()[]")
    wide = sum(1 for ch in text if ch in "mwMW@%&")
    caps = sum(1 for ch in text if ch.isupper()) - sum(1 for ch in text if ch in "IMW")
    other = len(text) - narrow - wide - caps
    units = narrow * 0.28 + wide * 0.82 + caps * 0.62 + other * 0.51
    return units * size * (1.06 if bold else 1.0)


def fit_lines(text: str, size: float, width: float, max_lines: int = 2) -> list[str]:
    """Split `text` into at most `max_lines` lines that fit `width`; the last is cut with an ellipsis."""
    words = " ".join(str(text).split()).split(" ")
    lines: list[str] = []
    current = ""
    for word in words:
        candidate = f"{current} {word}".strip()
        if current and text_width(candidate, size) > width:
            lines.append(current)
            current = word
        else:
            current = candidate
    if current:
        lines.append(current)
    if len(lines) > max_lines:
        lines = lines[:max_lines - 1] + [" ".join(lines[max_lines - 1:])]
    last = lines[-1] if lines else ""
    if text_width(last, size) > width:
        while last and text_width(last + "\u2026", size) > width:
            last = last[:-1]
        lines[-1] = last.rstrip() + "\u2026"
    return lines or [""]


def _text(x: float, y: float, content: str, *, size: float = 11, weight: str = "normal",
          fill: str = INK, anchor: str = "start", extra: str = "") -> str:
    return (f'<text x="{x:.1f}" y="{y:.1f}" font-size="{size:g}" font-weight="{weight}" fill="{fill}" '
            f'text-anchor="{anchor}"{extra}>{esc(content)}</text>')


def _svg(width: float, height: float, body: Iterable[str], title: str) -> Markup:
    inner = "".join(body)
    return Markup(
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {width:g} {height:g}" '
        f'width="{width:g}" height="{height:g}" role="img" aria-label="{esc(title)}" '
        f'font-family="{FONT}"><title>{esc(title)}</title>{inner}</svg>')


def mix(color: str, other: str, amount: float) -> str:
    """`color` moved `amount` (0..1) of the way to `other`; both '#rrggbb' or '#rgb'."""
    a, b = _rgb(color), _rgb(other)
    return "#" + "".join(f"{round(x + (y - x) * amount):02x}" for x, y in zip(a, b))


def _rgb(color: str) -> tuple[int, int, int]:
    value = color.lstrip("#")
    if len(value) == 3:
        value = "".join(ch * 2 for ch in value)
    return int(value[0:2], 16), int(value[2:4], 16), int(value[4:6], 16)


def luminance(color: str) -> float:
    """Relative luminance (WCAG 2.x), 0 black .. 1 white."""
    def channel(c: int) -> float:
        s = c / 255
        return s / 12.92 if s <= 0.03928 else ((s + 0.055) / 1.055) ** 2.4
    r, g, b = (channel(c) for c in _rgb(color))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


MIN_CONTRAST = 4.5  # WCAG 2.x AA for normal-size text


def contrast(a: str, b: str) -> float:
    """WCAG 2.x contrast ratio of two colours, 1 (same) .. 21 (black on white)."""
    lighter, darker = sorted((luminance(a), luminance(b)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def on(color: str) -> str:
    """Text colour on a `color` background: white or the ink, whichever contrasts more.

    When neither reaches 4.5:1 (a mid-tone background, relative luminance about
    0.18 to 0.25) the text is black, which always does there: white falls short only
    on a background of luminance above 0.18, where black gives at least 4.6:1.
    """
    best = max(("#ffffff", INK), key=lambda text: contrast(text, color))
    return best if contrast(best, color) >= MIN_CONTRAST else "#000000"


def readable(color: str, background: str, minimum: float = MIN_CONTRAST) -> str:
    """`color` for text on `background`: itself when the pair reaches `minimum`, else moved
    towards black (or white, on a dark background) in 5 % steps until it does."""
    far = "#000000" if contrast("#000000", background) >= contrast("#ffffff", background) else "#ffffff"
    for step in range(21):
        candidate = mix(color, far, step / 20) if step else color
        if contrast(candidate, background) >= minimum:
            return candidate
    return far


def ladder_svg(levels: Sequence[dict[str, Any]], current: int, target: int | None,
               primary: str = "#1f3a5f", accent: str = "#d9822b") -> Markup:
    """The five-level ladder as a staircase, the team's step marked and the target outlined.

    `levels` are the result's `levels` ({number, name, focus}); steps up to the
    current level are filled, the current one carries a "current" tag, the
    target a dashed outline and a "target" tag.
    """
    count = len(levels)
    gap = 6
    left, top, bottom = 4, 30, 8
    step_w = (WIDTH - left * 2 - gap * (count - 1)) / count
    base_h, rise = 78, 25
    height = top + base_h + rise * (count - 1) + bottom
    floor = height - bottom
    body = []
    for i, level in enumerate(levels):
        number = level["number"]
        x = left + i * (step_w + gap)
        h = base_h + rise * i
        y = floor - h
        reached = number <= current
        fill = primary if reached else TRACK
        if number == current:
            fill = mix(primary, "#000000", 0.15)
        stroke, dash, stroke_w = "none", "", 0
        if number == target and number > current:
            stroke, dash, stroke_w = INK, ' stroke-dasharray="5 3"', 1.6
            fill = mix(accent, "#ffffff", 0.78)
        body.append(f'<rect x="{x:.1f}" y="{y:.1f}" width="{step_w:.1f}" height="{h:.1f}" rx="3" '
                    f'fill="{fill}" stroke="{stroke}" stroke-width="{stroke_w}"{dash}/>')
        ink = on(fill)
        body.append(_text(x + 10, y + 25, str(number), size=23, weight="bold", fill=ink))
        name_lines = fit_lines(level["name"], 13, step_w - 20, 1)
        body.append(_text(x + 10, y + 43, name_lines[0], size=13, weight="bold", fill=ink))
        for j, line in enumerate(fit_lines(level.get("focus", ""), 10.5, step_w - 20, 2)):
            body.append(_text(x + 10, y + 57 + j * 12.5, line, size=10.5, fill=ink))
        if number == current:
            label = "current = target" if number == target else "current level"
            body.append(_tag(x + step_w / 2, y - 8, label, accent, solid=True))
        elif number == target:
            body.append(_tag(x + step_w / 2, y - 8, "target", INK, solid=False))
    title = f"Maturity ladder: level {current} of {count}" + (f", target level {target}" if target else "")
    return _svg(WIDTH, height, body, title)


def _tag(cx: float, baseline: float, label: str, color: str, *, solid: bool) -> str:
    w = text_width(label, 10.5, bold=True) + 14
    x = cx - w / 2
    fill = color if solid else "#ffffff"
    ink = on(color) if solid else color
    return (f'<rect x="{x:.1f}" y="{baseline - 13:.1f}" width="{w:.1f}" height="17" rx="8.5" fill="{fill}" '
            f'stroke="{color}" stroke-width="1.2"/>'
            + _text(cx, baseline, label, size=10.5, weight="bold", fill=ink, anchor="middle"))


def profile_svg(dimensions: Sequence[dict[str, Any]], overall: int,
                primary: str = "#1f3a5f", accent: str = "#d9822b", max_level: int = 5) -> Markup:
    """Dimension profile: one row of five level cells per dimension.

    Mastered levels are filled; the next level shows the share of its credit
    already earned as a partial, hatched fill; a dashed line marks the overall
    level; dimensions holding the team back are tagged.
    """
    label_w, row_h, top, cell_gap = 196, 30, 26, 3
    tag_w = 74
    grid_x = label_w + 10
    grid_w = WIDTH - grid_x - tag_w
    cell_w = (grid_w - cell_gap * (max_level - 1)) / max_level
    height = top + row_h * len(dimensions) + 30
    hatch_id = "hatch"
    tag_path = not all(d.get("held_back") for d in dimensions)
    body = [f'<defs><pattern id="{hatch_id}" width="5" height="5" patternUnits="userSpaceOnUse" '
            f'patternTransform="rotate(45)"><rect width="5" height="5" fill="{mix(primary, "#ffffff", 0.72)}"/>'
            f'<line x1="0" y1="0" x2="0" y2="5" stroke="{primary}" stroke-width="1.6"/></pattern></defs>']
    for lvl in range(1, max_level + 1):
        cx = grid_x + (lvl - 1) * (cell_w + cell_gap) + cell_w / 2
        body.append(_text(cx, top - 10, f"Level {lvl}", size=10, fill=MUTED, anchor="middle"))
    for row, dim in enumerate(dimensions):
        y = top + row * row_h
        level = int(dim["level"])
        lines = fit_lines(dim["name"], 11.5, label_w - 4, 2)
        weight = "bold" if dim.get("held_back") and tag_path else "normal"
        if len(lines) == 1:
            body.append(_text(label_w, y + row_h / 2 + 4, lines[0], size=11.5, weight=weight, anchor="end"))
        else:
            for j, line in enumerate(lines):
                body.append(_text(label_w, y + row_h / 2 - 2 + j * 12, line, size=11, weight=weight, anchor="end"))
        shares = {s["level"]: s for s in dim.get("shares", [])}
        for lvl in range(1, max_level + 1):
            x = grid_x + (lvl - 1) * (cell_w + cell_gap)
            cy, ch = y + 5, row_h - 10
            body.append(f'<rect x="{x:.1f}" y="{cy:.1f}" width="{cell_w:.1f}" height="{ch:.1f}" rx="2" fill="{TRACK}"/>')
            if lvl <= level:
                body.append(f'<rect x="{x:.1f}" y="{cy:.1f}" width="{cell_w:.1f}" height="{ch:.1f}" rx="2" fill="{primary}"/>')
            elif lvl == level + 1 and lvl in shares:
                share = max(0.0, min(1.0, float(shares[lvl]["share"])))
                if share > 0:
                    body.append(f'<rect x="{x:.1f}" y="{cy:.1f}" width="{cell_w * share:.1f}" height="{ch:.1f}" '
                                f'rx="2" fill="url(#{hatch_id})"/>')
                body.append(_text(x + cell_w - 5, cy + ch / 2 + 3.5, f"{round(share * 100)}%", size=9.5,
                                  fill=MUTED, anchor="end"))
        body.append(_text(grid_x + grid_w + 10, y + row_h / 2 + 4, f"{level}", size=12, weight="bold"))
        if dim.get("held_back") and tag_path:
            body.append(_tag(grid_x + grid_w + 46, y + row_h / 2 + 4, "path up", accent, solid=True))
    line_x = grid_x + overall * (cell_w + cell_gap) - cell_gap / 2
    bottom = top + row_h * len(dimensions)
    body.append(f'<line x1="{line_x:.1f}" y1="{top - 4}" x2="{line_x:.1f}" y2="{bottom + 4}" stroke="{accent}" '
                f'stroke-width="2" stroke-dasharray="4 3"/>')
    legend_y = bottom + 20
    body.append(f'<rect x="{grid_x:.1f}" y="{legend_y - 9}" width="14" height="10" fill="{primary}"/>')
    body.append(_text(grid_x + 19, legend_y, "mastered", size=10, fill=MUTED))
    body.append(f'<rect x="{grid_x + 80:.1f}" y="{legend_y - 9}" width="14" height="10" fill="url(#{hatch_id})"/>')
    body.append(_text(grid_x + 99, legend_y, "share of the next level earned", size=10, fill=MUTED))
    body.append(f'<line x1="{grid_x + 262:.1f}" y1="{legend_y - 9}" x2="{grid_x + 262:.1f}" y2="{legend_y + 1}" '
                f'stroke="{accent}" stroke-width="2" stroke-dasharray="4 3"/>')
    body.append(_text(grid_x + 268, legend_y, f"overall level ({overall})", size=10, fill=MUTED))
    return _svg(WIDTH, height, body, f"Level profile of {len(dimensions)} dimensions; overall level {overall}")


def nice_step(total: float, ticks: int = 6) -> float:
    """A round axis step (1, 2, 5 x 10^n) giving about `ticks` intervals over `total`."""
    if total <= 0:
        return 1.0
    raw = total / ticks
    power = 10 ** math.floor(math.log10(raw))
    for factor in (1, 2, 5, 10):
        if raw <= factor * power:
            return float(factor * power)
    return float(10 * power)


GANTT_ITEM_ROWS = 16   # beyond this many planned items the chart shows phases only


def timeline_svg(roadmap: Sequence[dict[str, Any]], primary: str = "#1f3a5f",
                 accent: str = "#d9822b", starts_on: str | None = None, capacity: float = 0.0) -> Markup:
    """The roadmap as a Gantt chart on a calendar-weeks axis: a bar per phase and, when there are
    few enough, a thin bar per item under it.

    Phases and their items run one after another at the team's capacity, so a bar starts where
    the one before ends and its length is its weeks. With a start date the ticks are dated. A
    phase with no build effort (only a practice to stop, or nothing left) is a diamond milestone.
    """
    label_w, phase_h, item_h, top = 190, 30, 17, 10
    axis_x = label_w + 12
    axis_w = WIDTH - axis_x - 12
    items_shown = capacity > 0 and sum(len(p["items"]) for p in roadmap) <= GANTT_ITEM_ROWS
    rows: list[tuple[str, dict[str, Any], int]] = []
    for phase in roadmap:
        rows.append(("phase", phase, 0))
        if items_shown:
            rows += [("item", item, phase["phase"]) for item in phase["items"]]
    total = sum(float(p.get("weeks", 0)) for p in roadmap)
    step = nice_step(total)
    span = max(step, math.ceil(total / step) * step) if total > 0 else 1.0
    dated = starts_on is not None
    grid_bottom = top + sum(phase_h if kind == "phase" else item_h for kind, _, _ in rows) if rows else top + phase_h
    height = grid_bottom + (48 if dated else 34)
    body = []
    first_day = date.fromisoformat(starts_on) if dated else None
    tick = 0.0
    while tick <= span + 1e-9:
        x = axis_x + axis_w * tick / span
        body.append(f'<line x1="{x:.1f}" y1="{top}" x2="{x:.1f}" y2="{grid_bottom}" stroke="{TRACK}" stroke-width="1"/>')
        # The last tick sits on the right edge: its labels end there instead of running off the chart.
        anchor = "end" if tick + step > span + 1e-9 else "middle"
        body.append(_text(x, grid_bottom + 14, f"wk {_num(tick)}", size=9.5, fill=MUTED, anchor=anchor))
        if first_day is not None:
            day = first_day + timedelta(days=round(tick * 7))
            body.append(_text(x, grid_bottom + 27, f"{day:%d %b %Y}", size=8.5, fill=MUTED, anchor=anchor))
        tick += step
    body.append(_text(axis_x + axis_w, grid_bottom + (42 if dated else 28), "calendar weeks at the team's capacity",
                      size=9.5, fill=MUTED, anchor="end"))
    start = item_start = 0.0
    y = top
    for kind, row, number in rows:
        if kind == "phase":
            weeks = float(row.get("weeks", 0))
            fill = primary if row["phase"] % 2 == 1 else mix(primary, "#ffffff", 0.35)
            body.append(_text(label_w, y + 12, f"Phase {row['phase']}", size=9.5, fill=MUTED, anchor="end"))
            body.append(_text(label_w, y + 24, fit_lines(row["title"], 10.5, label_w - 4, 1)[0], size=10.5,
                              weight="bold", anchor="end"))
            x = axis_x + axis_w * start / span
            if weeks > 0:
                w = max(3.0, axis_w * weeks / span)
                body.append(f'<rect x="{x:.1f}" y="{y + 6}" width="{w:.1f}" height="{phase_h - 12}" rx="3" fill="{fill}"/>')
                label = f"{format_weeks(weeks)} · {_num(float(row['effort']))} pw"
                lw = text_width(label, 10, bold=True)
                if lw + 12 < w:
                    body.append(_text(x + 6, y + phase_h / 2 + 3.5, label, size=10, weight="bold", fill=on(fill)))
                else:
                    body.append(_text(x + w + 5, y + phase_h / 2 + 3.5, label, size=10, weight="bold", fill=INK,
                                      anchor="start" if x + w + 5 + lw < WIDTH else "end"))
            else:
                cy = y + phase_h / 2
                body.append(f'<path d="M{x:.1f} {cy - 8:.1f} L{x + 8:.1f} {cy:.1f} L{x:.1f} {cy + 8:.1f} '
                            f'L{x - 8:.1f} {cy:.1f} Z" fill="{accent}" stroke="{INK}" stroke-width="1"/>')
                note = "stop a practice; no build effort" if row.get("stop") else "nothing left to build"
                body.append(_text(x + 13, cy + 3.5, note, size=10, fill=INK))
            item_start = start
            start += weeks
            y += phase_h
        else:
            weeks = float(row["effort"]) / capacity
            body.append(_text(label_w, y + 12, fit_lines(row["title"], 9, label_w - 4, 1)[0], size=9,
                              fill=INK, anchor="end"))
            x = axis_x + axis_w * item_start / span
            w = max(2.0, axis_w * weeks / span)
            tint = mix(primary, "#ffffff", 0.55 if number % 2 == 1 else 0.7)
            body.append(f'<rect x="{x:.1f}" y="{y + 4}" width="{w:.1f}" height="{item_h - 8}" rx="2" fill="{tint}"/>')
            item_start += weeks
            y += item_h
    body.append(f'<line x1="{axis_x}" y1="{top}" x2="{axis_x}" y2="{grid_bottom}" stroke="{RULE}" stroke-width="1"/>')
    return _svg(WIDTH, height, body, f"Roadmap timeline: {len(roadmap)} phase{'' if len(roadmap) == 1 else 's'} "
                f"over {format_weeks(total)}")


def _num(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:g}"
