"""The report's SVG charts: pure functions from result data to SVG text."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from reportgen.render import charts

SVG = "{http://www.w3.org/2000/svg}"
LEVELS = [
    {"number": 1, "name": "Manual", "focus": "Experimentation"},
    {"number": 2, "name": "Repeatable", "focus": "Packaging"},
    {"number": 3, "name": "Operable", "focus": "Automation"},
    {"number": 4, "name": "Governed", "focus": "Multi-team leverage"},
    {"number": 5, "name": "Adaptive", "focus": "Optimization"},
]


def texts(svg: str) -> list[str]:
    root = ET.fromstring(str(svg))  # well-formed XML, or this raises
    return [t.text or "" for t in root.iter(f"{SVG}text")]


def dimension(name: str, level: int, held_back: bool = False, next_share: float = 0.5) -> dict:
    shares = [{"level": lvl, "earned": 1, "applicable": 2, "share": 1.0 if lvl <= level else
               (next_share if lvl == level + 1 else 0.0), "mastered": lvl <= level} for lvl in range(2, 6)]
    return {"id": name.lower(), "name": name, "level": level, "held_back": held_back, "shares": shares}


def test_ladder_marks_the_current_step_and_the_target():
    svg = charts.ladder_svg(LEVELS, current=2, target=4)
    words = texts(svg)
    assert [w for w in words if w in {"1", "2", "3", "4", "5"}] == ["1", "2", "3", "4", "5"]
    assert "current level" in words and "target" in words
    assert "Level 2 of 5, target level 4" not in svg  # the title says it in words:
    assert "Maturity ladder: level 2 of 5, target level 4" in svg
    assert 'stroke-dasharray="5 3"' in svg  # the target step is outlined (readable in greyscale)


def test_ladder_when_the_team_is_at_its_target():
    words = texts(charts.ladder_svg(LEVELS, current=3, target=3))
    assert "current = target" in words and "target" not in words


def test_profile_has_a_row_per_dimension_with_its_level_and_next_level_share():
    dims = [dimension("Experimentation", 2, next_share=0.25), dimension("Scaling & cost", 1, held_back=True)]
    svg = charts.profile_svg(dims, overall=1)
    words = texts(svg)
    assert "Experimentation" in words and "Scaling & cost" in words
    assert "25%" in words and "50%" in words
    assert words.count("path up") == 1
    assert "overall level (1)" in words


def test_untrusted_looking_names_are_escaped_not_markup():
    dims = [dimension('<img src="file:///etc/passwd"> & <script>', 2)]
    svg = str(charts.profile_svg(dims, overall=2))
    assert "<img" not in svg and "<script" not in svg
    assert "&lt;img" in svg
    assert any("<img" in w for w in texts(svg))  # shown literally


def test_long_names_are_wrapped_or_cut_to_fit():
    lines = charts.fit_lines("Versioning, reproducibility and lineage of every artefact, dataset and model in the shared platform", 11.5, 190, 2)
    assert len(lines) == 2
    assert all(charts.text_width(line, 11.5) <= 190 for line in lines)
    assert lines[-1].endswith("\u2026")
    assert charts.fit_lines("Short", 12, 100) == ["Short"]


def test_timeline_is_a_gantt_of_phases_end_to_end_on_calendar_weeks():
    roadmap = [
        {"phase": 1, "title": "Reach level 2: Repeatable", "effort": 6, "weeks": 4, "items": [{}] * 4},
        {"phase": 2, "title": "Reach level 3: Operable", "effort": 37.5, "weeks": 25, "items": [{}] * 15},
        {"phase": 3, "title": "Reach level 4: Governed", "effort": 0, "weeks": 0, "items": [],
         "stop": [{"id": "x", "title": "X"}]},
    ]
    svg = charts.timeline_svg(roadmap)
    words = texts(svg)
    assert "4 weeks · 6 pw" in words and "25 weeks · 37.5 pw" in words
    assert "stop a practice; no build effort" in words  # a zero-effort phase is a milestone
    assert "wk 0" in words and "wk 30" in words and not any(w.startswith("01 ") for w in words)
    done = charts.timeline_svg([{"phase": 1, "title": "Consolidate level 5", "effort": 0, "weeks": 0, "items": [],
                                 "stop": []}])
    assert "nothing left to build" in texts(done)
    assert 'aria-label="Roadmap timeline: 3 phases over 29 weeks"' in str(svg)
    assert 'aria-label="Roadmap timeline: 1 phase over 0 weeks"' in str(done)
    xs = [float(x) for x in re.findall(r'<rect x="([\d.]+)" y="[\d.]+" width="[\d.]+" height="18"', str(svg))]
    widths = [float(w) for w in re.findall(r'<rect x="[\d.]+" y="[\d.]+" width="([\d.]+)" height="18"', str(svg))]
    assert xs == sorted(xs) and len(xs) == 2
    assert abs(xs[1] - (xs[0] + widths[0])) < 0.2     # the second phase starts where the first ends
    assert abs(widths[1] / widths[0] - 25 / 4) < 0.05   # bar lengths are weeks
    dated = texts(charts.timeline_svg(roadmap, starts_on="2026-01-05"))
    assert "05 Jan 2026" in dated and "09 Feb 2026" in dated   # week 0 and week 5 of a dated roadmap
    # With the capacity, each item gets a thin bar of its own weeks, in order, under its phase.
    items = [{"title": f"Item {n}", "effort": 1.5} for n in range(3)]
    gantt = str(charts.timeline_svg([{**roadmap[0], "effort": 4.5, "weeks": 3, "items": items}], capacity=1.5))
    assert [t for t in texts(gantt) if t.startswith("Item ")] == ["Item 0", "Item 1", "Item 2"]
    bars = re.findall(r'<rect x="([\d.]+)" y="[\d.]+" width="([\d.]+)" height="9"', gantt)
    assert len(bars) == 3 and all(abs(float(b[0]) - (float(a[0]) + float(a[1]))) < 0.2 for a, b in zip(bars, bars[1:]))


def test_axis_steps_are_round_numbers():
    assert charts.nice_step(88.5) == 20
    assert charts.nice_step(6) == 1
    assert charts.nice_step(0) == 1


def test_charts_are_deterministic_and_follow_the_brand_colours():
    a = charts.profile_svg([dimension("A", 3)], overall=3, primary="#12355b", accent="#2a9d8f")
    b = charts.profile_svg([dimension("A", 3)], overall=3, primary="#12355b", accent="#2a9d8f")
    assert a == b and "#12355b" in a and "#2a9d8f" in a


def test_text_colour_stays_readable_on_any_brand_colour():
    assert charts.on("#12355b") == "#ffffff"
    assert charts.on("#f5d76e") == charts.INK
    assert charts.mix("#000000", "#ffffff", 0.5) == "#808080"


def test_path_up_tags_only_when_some_dimension_is_off_the_path():
    assert "path up" not in texts(charts.profile_svg([dimension("A", 1, True), dimension("B", 1, True)], overall=1))
    assert texts(charts.profile_svg([dimension("A", 1, True), dimension("B", 2)], overall=1)).count("path up") == 1
