"""Whole-run SVG text for WeasyPrint 70, while reportgen renders a PDF.

WeasyPrint 70 shapes and draws every SVG <text> one code point at a time, so
that per-glyph `x`/`dx`/`rotate` lists can be honoured (upstream issue
Kozea/WeasyPrint#2249). For a chart label that means one Pango layout and one
PDF text run per letter: about 0.2 G CPU instructions, 2 % of a report's render,
went on that alone, and the labels lost their kerning.

This module draws a *simple* text node, the kind the charts emit (at most one
`x` and one `y`, no per-glyph lists, spacing, baseline or direction
attributes, no child elements), as a single shaped run: the conservative path
that the upstream issue proposes. Anything else goes to WeasyPrint's own code.

It is installed only for the duration of one of reportgen's renders (under the
render lock) and only on the WeasyPrint major version whose internals it was
written against; on any other version reportgen renders with WeasyPrint as it is.
"""

from __future__ import annotations

import contextlib
from math import inf
from typing import Iterator

import weasyprint
import weasyprint.svg as svg_module

try:  # WeasyPrint internals, once per process; on a version without them, WeasyPrint is left as it is
    from weasyprint.css.properties import INITIAL_VALUES
    from weasyprint.draw.text import draw_emojis, draw_first_line
    from weasyprint.matrix import Matrix
    from weasyprint.svg.bounding_box import extend_bounding_box
    from weasyprint.svg.text import Style, TextBox
    from weasyprint.svg.utils import size
    from weasyprint.text.line_break import split_first_line
except ImportError:  # pragma: no cover - only on an unpinned WeasyPrint
    INTERNALS = False
else:
    INTERNALS = True

SUPPORTED_MAJOR = "70"
# Attributes that need WeasyPrint's per-glyph path (or that the fast path does not model).
_PER_GLYPH = ("dx", "dy", "rotate", "textLength", "lengthAdjust", "letter-spacing", "word-spacing",
              "direction", "display-anchor", "dominant-baseline", "alignment-baseline", "writing-mode")

_original_text = getattr(svg_module, "text", None)


def supported() -> bool:
    return INTERNALS and weasyprint.__version__.split(".")[0] == SUPPORTED_MAJOR and callable(_original_text)


def _single(node, name: str) -> bool:
    value = node.attrib.get(name)
    return value is None or len(value.replace(",", " ").split()) == 1


def is_simple(node) -> bool:
    """True when drawing the node as one run gives what per-glyph drawing would, kerning apart."""
    return (node.tag == "text" and bool(node.text) and "\n" not in node.text and next(iter(node), None) is None
            and _single(node, "x") and _single(node, "y")
            and not any(name in node.attrib for name in _PER_GLYPH))


def _whole_run_text(svg, node, font_size):
    if not is_simple(node):
        return _original_text(svg, node, font_size)

    # The same style WeasyPrint builds for SVG text (it does not cascade CSS into it).
    style = Style()
    style.update(INITIAL_VALUES)
    style.font_config = svg.font_config
    style["font_family"] = [font.strip("\"'") for font in node.get("font-family", "sans-serif").split(",")]
    style["font_style"] = node.get("font-style", "normal")
    weight = node.get("font-weight", 400)
    try:
        style["font_weight"] = int({"normal": 400, "bold": 700}.get(weight, weight))
    except ValueError:
        style["font_weight"] = 400
    style["font_size"] = font_size

    layout, _, _, width, height, baseline = split_first_line(node.text, style, svg.context, inf, 0)

    x = y = None
    if "x" in node.attrib:
        x = size(node.attrib["x"].replace(",", " ").strip(), font_size, svg.inner_width)
        svg.cursor_d_position[0] = 0
    if "y" in node.attrib:
        y = size(node.attrib["y"].replace(",", " ").strip(), font_size, svg.inner_height)
        svg.cursor_d_position[1] = 0
    x = svg.cursor_position[0] if x is None else x
    y = svg.cursor_position[1] if y is None else y
    svg.cursor_position = x + width, y
    x_position = x + svg.cursor_d_position[0]
    y_position = y + svg.cursor_d_position[1]
    node.text_bounding_box = extend_bounding_box(
        node.text_bounding_box,
        ((x_position, y_position - baseline), (x_position + width, y_position - baseline + height)))

    svg.stream.push_state()
    fill, stroke = svg.set_graphical_state(node, font_size)
    svg.stream.begin_text()
    layout.reactivate(style)
    svg.fill_stroke(fill, stroke, text=True)
    text_box = TextBox(layout, style)
    text_box.baseline = baseline
    emojis = draw_first_line(svg.stream, text_box, "none", "none", Matrix(a=1, d=-1, e=x_position, f=y_position))
    svg.stream.end_text()
    svg.stream.pop_state()
    draw_emojis(svg.stream, style, x, y, emojis)


@contextlib.contextmanager
def whole_run_svg_text() -> Iterator[bool]:
    """Draw simple SVG text as whole runs inside the block; yields whether it is active.

    WeasyPrint compares `TAGS[tag] == text` (its module-level name) to find text
    nodes, so both the tag table and that name are swapped, and both restored.
    """
    if not supported():
        yield False
        return
    tags = [tag for tag, draw in svg_module.TAGS.items() if draw is _original_text]
    for tag in tags:
        svg_module.TAGS[tag] = _whole_run_text
    svg_module.text = _whole_run_text
    try:
        yield True
    finally:
        svg_module.text = _original_text
        for tag in tags:
            svg_module.TAGS[tag] = _original_text
