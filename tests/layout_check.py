"""Layout checks for a rendered PDF report: what a partner would see on the printed page.

`check_pdf(data, "a4")` reads the PDF's drawing (every glyph with its box, font
and glyph id; every rule, filled shape and image), its outline (the bookmarks
the report's headings make) and its fonts, and returns human-readable defects,
each naming the page (1-based, as printed) and the kind:

- **text drawn twice** / **overlapping text**: two glyphs of different lines
  that cover more than half of each other (across and up). The same line at
  the same spot is "drawn twice"; different texts, "overlapping". Glyphs are
  grouped into lines in drawing order, so a kerned pair ("”.") is one line and
  never a defect.
- **repeated paragraph**: a line, a paragraph or a block of paragraphs of 60
  characters or more that appears twice on one page. Paragraphs and blocks are
  rebuilt from geometry (left edge, line spacing, gaps). Running headers and
  footers, table headers and labels are short and stay below the floor; the
  same text in one column of two rows of a table (evidence given twice) is not
  a defect; `allow_repeats` (regular expressions, fully matched) lets texts
  through that a template repeats on purpose.
- **under-filled page**: the body (inside the page margins) is used over less
  than 15 % of its height, from the top of the first thing drawn to the bottom
  of the last. Exempt: the cover (page 1), the last page, and the last page of
  a chapter (the next page starts with a top-level bookmark, the report's h1).
- **heading at the foot of the page**: a bookmarked heading (any outline
  entry) with no text or graphics below it on its page. The heading's lines are
  found under the bookmark's destination: the first line and those of the same
  font and size that follow it.
- **table header not repeated**: a page that starts with rows of a table that
  ran on from the page before, without the table's header row (`<thead>`,
  which WeasyPrint repeats as a `table-header-group`), or with another header.
  Tables are found by their rules: every cell draws its own bottom border, so
  a row ends on a horizontal rule of two or more abutting segments; a header
  row is one whose cells have a filled background ending on its rule.
- **missing glyph**: a character drawn with the font's .notdef glyph (a box).
  WeasyPrint 70 gives such a character an unused glyph id that its own
  /Encoding CMap maps to CID 0 while /ToUnicode still names the character; so
  a glyph whose CID is 0 is a box, and the character it should have been comes
  from those two maps. (pdfminer ignores an embedded /Encoding CMap and would
  lose all the text of that font: `_EncodingCMap` reads it.) WeasyPrint also
  logs ".notdef glyph rendered" at render time; this check needs only the PDF.
  A glyph that maps to no character at all is reported too.
- **foreign font** (with `fonts=`): a glyph in a font whose name does not match,
  e.g. a system font that fontconfig's fallback picked: the PDF then depends on
  the machine that rendered it, and may be boxes on another.
- **text off the page**: a glyph outside the media box; **page size** (with
  `page_size=`): a page that is not the expected size.

The drawing comes from pdfminer.six (a test dependency) with a faster
content-stream tokenizer and glyphs collected straight from its device (about
0.5 s of CPU for a 20-page report). Coordinates are PDF points, y upwards;
messages give positions in millimetres from the top of the page.
"""

from __future__ import annotations

import io
import logging
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Iterable, Sequence

from pdfminer.converter import PDFPageAggregator
from pdfminer.layout import LTCurve, LTFigure, LTImage, LTLine, LTRect
from pdfminer.pdfdocument import PDFDocument, PDFNoOutlines
from pdfminer.pdffont import PDFCIDFont, PDFUnicodeNotDefined
from pdfminer.pdfinterp import PDFPageInterpreter, PDFResourceManager
from pdfminer.pdfpage import PDFPage
from pdfminer.pdfparser import PDFParser
from pdfminer.pdftypes import PDFStream, resolve1, stream_value
from pdfminer.psparser import KWD, LIT
from pdfminer.utils import apply_matrix_rect

logging.getLogger("pdfminer").setLevel(logging.ERROR)

MM = 72 / 25.4
A4 = (210 * MM, 297 * MM)
LETTER = (612.0, 792.0)
PAPER = {"a4": A4, "letter": LETTER}
# reportgen's @page margins (report.css): top, right, bottom, left.
REPORT_MARGINS = (21 * MM, 18 * MM, 20 * MM, 18 * MM)

MIN_REPEAT = 60          # characters: a repeated paragraph or line at least this long is a defect
MIN_FILL = 0.15          # share of the body height a page's content must span
SHOWN = 5                # defects of one kind listed per page at most (then "and N more")
KINDS = ("text drawn twice", "overlapping text", "repeated paragraph", "under-filled page",
         "heading at the foot of the page", "table header not repeated", "missing glyph", "foreign font",
         "text off the page", "page size")


@dataclass(frozen=True)
class Defect:
    page: int
    kind: str
    message: str

    def __str__(self) -> str:
        return f"page {self.page}: {self.kind}: {self.message}"


def check_pdf(data: bytes, page_size: tuple[float, float] | str | None = None, *,
              margins: Sequence[float] = REPORT_MARGINS, fonts: str | None = None,
              allow_repeats: Iterable[str] = ()) -> list[str]:
    """Human-readable layout defects of a PDF (an empty list when it is clean).

    `page_size` is (width, height) in points, or "a4"/"letter": every page must
    have it. `margins` (top, right, bottom, left, in points) mark off the body
    from the running headers and footers; `fonts` is a regular expression every
    font name must match (after its subset prefix); `allow_repeats` are regular
    expressions for texts that may appear twice on a page (text a template
    repeats by design).
    """
    return [str(d) for d in find_defects(data, page_size, margins=margins, fonts=fonts,
                                         allow_repeats=allow_repeats)]


# ---------------------------------------------------------------- extraction

@dataclass
class Glyph:
    text: str
    x0: float
    y0: float
    x1: float
    y1: float
    size: float
    font: str
    cid: int
    baseline: float
    seq: int
    missing: str = ""       # the character a .notdef glyph stands for


@dataclass
class Line:
    """Glyphs on one baseline, close together: a line of a paragraph, a cell, a label."""
    glyphs: list[Glyph]
    x0: float = 0.0
    y0: float = 0.0
    x1: float = 0.0
    y1: float = 0.0
    text: str = ""

    def __post_init__(self) -> None:
        self.update()

    def update(self) -> None:
        g = self.glyphs
        self.x0, self.x1 = min(c.x0 for c in g), max(c.x1 for c in g)
        self.y0, self.y1 = min(c.y0 for c in g), max(c.y1 for c in g)
        self.text = _join(g)
        self._size = max(c.size for c in g)

    @property
    def size(self) -> float:
        return self._size

    @property
    def baseline(self) -> float:
        return self.glyphs[0].baseline


@dataclass
class Shape:
    """A rule, a filled or stroked path, or an image."""
    kind: str               # "rule", "fill", "stroke", "image"
    x0: float
    y0: float
    x1: float
    y1: float
    color: tuple = ()
    width: float = 0.0      # line width of a stroked rule


@dataclass
class Page:
    number: int
    width: float
    height: float
    glyphs: list[Glyph] = field(default_factory=list)
    shapes: list[Shape] = field(default_factory=list)
    lines: list[Line] = field(default_factory=list)
    body: tuple[float, float, float, float] = (0, 0, 0, 0)   # x0, y0, x1, y1

    def in_body(self, x0: float, y0: float, x1: float, y1: float) -> bool:
        bx0, by0, bx1, by1 = self.body
        cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
        return bx0 - 1 <= cx <= bx1 + 1 and by0 - 1 <= cy <= by1 + 1

    def where(self, x: float, y: float) -> str:
        """A position as a person measures it: millimetres from the top-left corner."""
        return f"{x / MM:.0f} mm from left, {(self.height - y) / MM:.0f} mm from top"


@dataclass
class Bookmark:
    level: int
    title: str
    page: int               # 1-based; 0 when it has no destination in the document
    top: float              # the destination's y (PDF points, y upwards)


class _Device(PDFPageAggregator):
    """pdfminer's aggregator, but glyphs go straight to a list of `Glyph`s with their CID and baseline.

    (pdfminer drops the CID, and building its LTChar objects was a fifth of a check.)
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.glyphs: list[Glyph] = []
        self._fonts: dict[int, tuple[str, float]] = {}

    def render_char(self, matrix, font, fontsize, scaling, rise, cid, ncs, graphicstate):
        try:
            text = font.to_unichr(cid)
        except PDFUnicodeNotDefined:
            text = self.handle_undefined_char(font, cid)
        known = self._fonts.get(id(font))
        if known is None:
            known = self._fonts[id(font)] = (re.sub(r"^[A-Z]{6}\+", "", font.fontname), font.get_descent())
        name, descent = known
        advance = font.char_width(cid) * fontsize * scaling
        bottom = descent * fontsize + rise
        a, b, c, d, e, f = matrix
        if b == 0 and c == 0:
            x0, x1 = e, e + a * advance
            y0, y1 = f + d * bottom, f + d * (bottom + fontsize)
        else:
            x0, y0, x1, y1 = apply_matrix_rect(matrix, (0, bottom, advance, bottom + fontsize))
        if x1 < x0:
            x0, x1 = x1, x0
        if y1 < y0:
            y0, y1 = y1, y0
        missing = (_missing_chars(font) or "?") if cid == 0 else ""
        self.glyphs.append(Glyph(text, x0, y0, x1, y1, y1 - y0, name, cid, f, len(self.glyphs) + 1, missing))
        return advance


# A content-stream tokenizer for the interpreter: pdfminer's own reads byte by byte in Python and
# takes two thirds of a check; this one lets `re` find the tokens. Inline images (BI ... EI), which
# WeasyPrint never writes, go to pdfminer's own parser.
_TOKEN = re.compile(rb"""
    (?P<ws>[\x00\t\n\x0c\r ]+|%[^\r\n]*)
  | (?P<num>[+-]?(?:\d+\.?\d*|\.\d+))
  | /(?P<name>[^\x00\t\n\x0c\r ()<>\[\]{}/%]*)
  | (?P<lstr>\()
  | (?P<dopen><<) | (?P<dclose>>>)
  | <(?P<hex>[0-9A-Fa-f\x00\t\n\x0c\r ]*)>
  | (?P<aopen>\[) | (?P<aclose>\])
  | (?P<kw>[^\x00\t\n\x0c\r ()<>\[\]{}/%]+)
""", re.X)
_INLINE_IMAGE = re.compile(rb"(?:^|[\x00\t\n\x0c\r ])BI[\x00\t\n\x0c\r ]")
_ESCAPES = {ord("n"): b"\n", ord("r"): b"\r", ord("t"): b"\t", ord("b"): b"\b", ord("f"): b"\f",
            ord("("): b"(", ord(")"): b")", ord("\\"): b"\\"}
_NAME_ESCAPE = re.compile(rb"#([0-9A-Fa-f]{2})")
_CONSTANTS = {b"true": True, b"false": False, b"null": None}


def _literal_string(data: bytes, start: int) -> tuple[bytes, int]:
    """A (...) string starting after its "(": its bytes and the position after its ")"."""
    out = bytearray()
    depth, i, n = 1, start, len(data)
    while i < n:
        c = data[i]
        if c == 0x5C:  # backslash
            i += 1
            if i >= n:
                break
            c = data[i]
            if c in _ESCAPES:
                out += _ESCAPES[c]
                i += 1
            elif 0x30 <= c <= 0x37:
                j = i
                while j < n and j < i + 3 and 0x30 <= data[j] <= 0x37:
                    j += 1
                out.append(int(data[i:j], 8) & 0xFF)
                i = j
            elif c in (0x0A, 0x0D):  # a line continuation
                i += 2 if c == 0x0D and i + 1 < n and data[i + 1] == 0x0A else 1
            else:
                out.append(c)
                i += 1
            continue
        if c == 0x28:
            depth += 1
        elif c == 0x29:
            depth -= 1
            if depth == 0:
                return bytes(out), i + 1
        out.append(c)
        i += 1
    return bytes(out), n


class _Interpreter(PDFPageInterpreter):
    """pdfminer's interpreter with a faster content-stream tokenizer (same operators, same state)."""

    def execute(self, streams) -> None:
        # As pdfminer does: no stream without an id, none already being run (a cycle of XObjects).
        running = getattr(self, "stream_ids", set())
        running.clear()
        valid = []
        for obj in streams:
            stream = stream_value(obj)
            if stream.objid is None or stream.objid in getattr(self, "parent_stream_ids", ()):
                continue
            valid.append(stream)
            running.add(stream.objid)
        data = b"\n".join(s.get_data() for s in valid)
        if _INLINE_IMAGE.search(data):
            return super().execute(streams)
        operators = _operators(self)
        stack: list = []            # operands
        containers: list = []       # open arrays and dictionaries: (kind, saved operand stack)
        pos, n = 0, len(data)
        match = _TOKEN.match
        while pos < n:
            m = match(data, pos)
            if m is None:
                pos += 1
                continue
            pos = m.end()
            kind = m.lastgroup
            if kind == "ws":
                continue
            if kind == "num":
                text = m.group("num")
                value = float(text) if b"." in text else int(text)
            elif kind == "name":
                raw = m.group("name")
                if b"#" in raw:
                    raw = _NAME_ESCAPE.sub(lambda e: bytes((int(e.group(1), 16),)), raw)
                value = LIT(raw.decode("latin-1"))
            elif kind == "hex":
                digits = re.sub(rb"[^0-9A-Fa-f]", b"", m.group("hex"))
                value = bytes.fromhex((digits + b"0").decode() if len(digits) % 2 else digits.decode())
            elif kind == "lstr":
                value, pos = _literal_string(data, pos)
            elif kind in ("aopen", "dopen"):
                containers.append((kind, stack))
                stack = []
                continue
            elif kind in ("aclose", "dclose"):
                if not containers:
                    continue
                opened, outer = containers.pop()
                if opened == "aopen":
                    value = stack
                else:
                    value = {getattr(k, "name", k): v for k, v in zip(stack[::2], stack[1::2])}
                stack = outer
            else:
                word = m.group("kw")
                if word in _CONSTANTS:
                    value = _CONSTANTS[word]
                elif containers:
                    value = KWD(word)
                else:
                    entry = operators.get(word)
                    if entry is not None:
                        func, nargs = entry
                        if nargs:
                            if len(stack) >= nargs:
                                args = stack[-nargs:]
                                del stack[-nargs:]
                                func(*args)
                            else:
                                stack.clear()
                        else:  # an operator with a variable operand count (sc, scn) reads argstack itself
                            self.argstack = stack
                            func()
                            stack = self.argstack
                    continue
            stack.append(value)
        self.argstack = []


def _operators(interpreter: PDFPageInterpreter) -> dict[bytes, tuple]:
    """{b"Tj": (bound method, operand count), ...}: pdfminer's do_* methods by operator."""
    table = {}
    for attr in dir(interpreter):
        if attr.startswith("do_"):
            name = attr[3:].replace("_a", "*").replace("_w", '"').replace("_q", "'")
            func = getattr(interpreter, attr)
            table[name.encode("latin-1")] = (func, func.__code__.co_argcount - 1)
    return table


class _EncodingCMap:
    """An embedded /Encoding CMap (code to CID), which pdfminer does not read: it drops the text.

    WeasyPrint 70 writes one for a font in which some character has no glyph: every code maps to
    its glyph id except the missing ones, which map to CID 0 (.notdef). Codes are two bytes.
    """

    def __init__(self, data: bytes):
        self.code2cid: dict[int, int] = {}
        for block in re.findall(rb"begincidchar(.*?)endcidchar", data, re.S):
            for code, cid in re.findall(rb"<([0-9A-Fa-f]+)>\s+(\d+)", block):
                self.code2cid[int(code, 16)] = int(cid)
        for block in re.findall(rb"begincidrange(.*?)endcidrange", data, re.S):
            for low, high, cid in re.findall(rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s+(\d+)", block):
                for offset, code in enumerate(range(int(low, 16), int(high, 16) + 1)):
                    self.code2cid[code] = int(cid) + offset

    def is_vertical(self) -> bool:
        return False

    def decode(self, code: bytes):
        for i in range(0, len(code) - 1, 2):
            yield self.code2cid.get((code[i] << 8) | code[i + 1], 0)


class _ResourceManager(PDFResourceManager):
    def get_font(self, objid, spec):
        font = super().get_font(objid, spec)
        if isinstance(font, PDFCIDFont) and not isinstance(font.cmap, _EncodingCMap):
            encoding = resolve1(spec.get("Encoding"))
            if isinstance(encoding, PDFStream):
                font.cmap = _EncodingCMap(encoding.get_data())
        return font


def _color(value) -> tuple:
    if value is None:
        return ()
    if isinstance(value, (int, float)):
        return (float(value),) * 3
    value = tuple(float(v) for v in value if isinstance(v, (int, float)))
    if len(value) == 1:
        return value * 3
    if len(value) == 4:  # CMYK
        c, m, y, k = value
        return ((1 - c) * (1 - k), (1 - m) * (1 - k), (1 - y) * (1 - k))
    return value


def _missing_chars(font) -> str:
    """The characters a font draws with .notdef (CID 0): its /Encoding CMap's codes for CID 0, named
    by its /ToUnicode map."""
    cmap = getattr(font, "cmap", None)
    if not isinstance(cmap, _EncodingCMap):
        return ""
    umap = getattr(font, "unicode_map", None)
    chars = []
    for code, cid in cmap.code2cid.items():
        if cid == 0 and code != 0:
            char = umap.cid2unichr.get(code) if umap is not None else None
            chars.append(char or f"<{code:04x}>")
    return "".join(chars)


def _walk(items, page: Page) -> None:
    """The page's shapes: rules, filled and stroked paths, images (glyphs come from the device)."""
    for item in items:
        if isinstance(item, LTFigure):
            _walk(item, page)
        elif isinstance(item, LTImage):
            page.shapes.append(Shape("image", item.x0, item.y0, item.x1, item.y1))
        elif isinstance(item, (LTRect, LTLine, LTCurve)):
            if not item.fill and not item.stroke:
                continue  # a clipping path
            thin = min(item.width, item.height) <= 1.5
            if isinstance(item, LTLine) or (thin and max(item.width, item.height) > 3):
                width = item.linewidth if item.stroke else min(item.width, item.height)
                # A stroked rule's box has no thickness: give it its line width.
                page.shapes.append(Shape("rule", item.x0, item.y0 - (width / 2 if item.y0 == item.y1 else 0),
                                         item.x1, item.y1 + (width / 2 if item.y0 == item.y1 else 0),
                                         _color(item.stroking_color if item.stroke else item.non_stroking_color),
                                         width))
            else:
                page.shapes.append(Shape("fill" if item.fill else "stroke", item.x0, item.y0, item.x1, item.y1,
                                         _color(item.non_stroking_color if item.fill else item.stroking_color)))


def _join(glyphs: Sequence[Glyph]) -> str:
    """The text of glyphs in reading order, with a space where the gap is a word gap."""
    out = []
    previous = None
    for g in glyphs:
        if previous is not None and g.text != " " and out and out[-1] != " ":
            gap = g.x0 - previous.x1
            if gap > 0.2 * max(g.size, previous.size):
                out.append(" ")
        out.append(g.text)
        previous = g
    return re.sub(r"\s+", " ", "".join(out)).strip()


def _lines(glyphs: list[Glyph]) -> list[Line]:
    """Group glyphs into lines: the same baseline (within a fifth of the size), gaps under an em.

    Glyphs are taken in drawing order, so two texts drawn on top of each other
    stay two lines (that is what the overlap check looks for).
    """
    lines: list[Line] = []
    open_lines: list[Line] = []
    for g in glyphs:
        if not g.text.strip() and g.x1 - g.x0 < 0.01:
            continue
        placed = False
        for line in reversed(open_lines[-4:]):
            last = line.glyphs[-1]
            # Kerning can pull a glyph under the one before ("”." in Source Sans): up to half an em.
            if abs(last.baseline - g.baseline) <= 0.2 * max(last.size, g.size) \
                    and -0.5 * g.size <= g.x0 - last.x1 <= 1.0 * max(last.size, g.size) and g.seq - last.seq <= 3:
                line.glyphs.append(g)
                placed = True
                break
        if not placed:
            line = Line([g])
            lines.append(line)
            open_lines.append(line)
    for line in lines:
        line.update()
    # Runs drawn separately on one baseline, side by side (bold inside a sentence, a link):
    # one line. Runs in different table cells or columns stay apart (their gap is wider).
    lines.sort(key=lambda l: (-round(l.baseline, 1), l.x0))
    merged: list[Line] = []
    for line in lines:
        for other in reversed(merged[-6:]):
            if abs(other.baseline - line.baseline) <= 0.25 * max(other.size, line.size) \
                    and 0 <= line.x0 - other.x1 <= 0.8 * max(other.size, line.size) \
                    and not _overlapping_lines(other, line):
                other.glyphs.extend(line.glyphs)
                other.update()
                break
        else:
            merged.append(line)
    for line in merged:
        line.glyphs.sort(key=lambda g: g.x0)
        line.update()
    return [l for l in merged if l.text]


def _overlapping_lines(a: Line, b: Line) -> bool:
    return min(a.x1, b.x1) - max(a.x0, b.x0) > 1


def read_pdf(data: bytes, margins: Sequence[float] = REPORT_MARGINS) -> tuple[list[Page], list[Bookmark], PDFDocument]:
    """Every page's glyphs, lines and shapes, and the outline."""
    parser = PDFParser(io.BytesIO(data))
    document = PDFDocument(parser)
    manager = _ResourceManager(caching=True)
    device = _Device(manager, laparams=None)
    interpreter = _Interpreter(manager, device)
    pages: list[Page] = []
    page_ids: dict[int, int] = {}
    top, right, bottom, left = margins
    for number, pdf_page in enumerate(PDFPage.create_pages(document), start=1):
        page_ids[pdf_page.pageid] = number
        device.glyphs = []
        interpreter.process_page(pdf_page)
        layout = device.get_result()
        x0, y0, x1, y1 = pdf_page.mediabox
        page = Page(number, x1 - x0, y1 - y0)
        page.body = (left, bottom, page.width - right, page.height - top)
        _walk(layout, page)
        page.glyphs = device.glyphs
        page.lines = _lines(page.glyphs)
        pages.append(page)
    bookmarks = []
    try:
        for level, title, dest, action, _ in document.get_outlines():
            target = resolve1(dest) if dest is not None else None
            if target is None and action is not None:
                target = resolve1(resolve1(action).get("D"))
            if isinstance(target, bytes | str):
                target = resolve1(document.get_dest(target))
            if isinstance(target, dict):
                target = resolve1(target.get("D"))
            page_number, y = 0, 0.0
            if isinstance(target, list) and target:
                ref = target[0]
                page_number = page_ids.get(getattr(ref, "objid", None), 0)
                if len(target) >= 4 and isinstance(resolve1(target[3]), (int, float)):
                    y = float(resolve1(target[3]))
            bookmarks.append(Bookmark(level, str(title), page_number, y))
    except PDFNoOutlines:
        pass
    return pages, bookmarks, document


# ---------------------------------------------------------------- checks

def find_defects(data: bytes, page_size: tuple[float, float] | str | None = None, *,
                 margins: Sequence[float] = REPORT_MARGINS, fonts: str | None = None,
                 allow_repeats: Iterable[str] = (), keep_allowed: bool = False) -> list[Defect]:
    """The defects of `check_pdf`, as `Defect`s (page, kind, message).

    With `keep_allowed`, repeats that `allow_repeats` lets through come back too, as kind
    "allowed repeat" (to count what a template repeats by design).
    """
    pages, bookmarks, _ = read_pdf(data, margins)
    allow = [re.compile(p) for p in allow_repeats]
    if isinstance(page_size, str):
        page_size = PAPER[page_size.lower()]
    defects: list[Defect] = []
    for page in pages:
        if page_size and (abs(page.width - page_size[0]) > 1 or abs(page.height - page_size[1]) > 1):
            defects.append(Defect(page.number, "page size",
                                  f"{page.width / MM:.0f} x {page.height / MM:.0f} mm, expected "
                                  f"{page_size[0] / MM:.0f} x {page_size[1] / MM:.0f} mm"))
        defects += _overlaps(page)
        defects += _repeats(page, allow, keep_allowed)
        defects += _glyphs(page, fonts)
    defects += _underfilled(pages, bookmarks)
    defects += _stranded_headings(pages, bookmarks)
    defects += _table_headers(pages, bookmarks)
    defects.sort(key=lambda d: d.page)
    return defects


def _quote(text: str, limit: int = 70) -> str:
    return "“" + (text if len(text) <= limit else text[:limit - 1] + "…") + "”"


def _limited(page: int, kind: str, messages: list[str]) -> list[Defect]:
    out = [Defect(page, kind, m) for m in messages[:SHOWN]]
    if len(messages) > SHOWN:
        out.append(Defect(page, kind, f"and {len(messages) - SHOWN} more"))
    return out


def _glyphs_overlap(g: Glyph, other: Glyph) -> bool:
    """More than half of the smaller glyph's box covered, across and up."""
    w = min(g.x1, other.x1) - max(g.x0, other.x0)
    if w <= 0.5 * min(g.x1 - g.x0, other.x1 - other.x0):
        return False
    h = min(g.y1, other.y1) - max(g.y0, other.y0)
    return h > 0.5 * min(g.y1 - g.y0, other.y1 - other.y0)


def _overlaps(page: Page) -> list[Defect]:
    """Glyphs that cover one another: text drawn twice, or two texts drawn over each other.

    Lines whose boxes meet are candidates (a sweep down the page); their glyphs decide.
    """
    def ink(line: Line) -> list[Glyph]:
        return [g for g in line.glyphs if g.text.strip() and g.x1 - g.x0 >= 0.5]

    lines = sorted(page.lines, key=lambda l: -l.y1)
    pairs: list[tuple[Line, Line]] = []
    for i, a in enumerate(lines):
        for b in lines[i + 1:]:
            if b.y1 <= a.y0:
                break
            if min(a.x1, b.x1) - max(a.x0, b.x0) <= 0:
                continue
            glyphs_b = ink(b)
            if any(_glyphs_overlap(g, h) for g in ink(a) if g.x1 > b.x0 and g.x0 < b.x1 for h in glyphs_b):
                pairs.append((a, b) if a.glyphs[0].seq <= b.glyphs[0].seq else (b, a))
    twice, over = [], []
    for a, b in pairs:
        if a.text == b.text and abs(a.x0 - b.x0) < 1 and abs(a.baseline - b.baseline) < 1:
            twice.append(f"{_quote(a.text)} at {page.where(a.x0, a.y1)}")
        else:
            over.append(f"{_quote(a.text, 50)} and {_quote(b.text, 50)} at "
                        f"{page.where(max(a.x0, b.x0), min(a.y1, b.y1))}")
    return _limited(page.number, "text drawn twice", twice) + _limited(page.number, "overlapping text", over)


def _paragraphs(lines: list[Line]) -> list[list[Line]]:
    """Lines grouped into paragraphs: the same left edge (or a hanging indent), line spacing apart."""
    ordered = sorted(lines, key=lambda l: (-l.baseline, l.x0))
    paragraphs: list[list[Line]] = []
    for line in ordered:
        for para in reversed(paragraphs[-12:]):
            last = para[-1]
            step = last.baseline - line.baseline
            if 0 < step <= 1.6 * max(last.size, line.size) and abs(line.size - last.size) < 0.6 \
                    and -1.5 <= line.x0 - para[0].x0 <= 16 and line.x0 < last.x1:
                para.append(line)
                break
        else:
            paragraphs.append([line])
    return paragraphs


def _blocks(paragraphs: list[list[Line]]) -> list[list[list[Line]]]:
    """Paragraphs grouped into column blocks: one under the other, the same left edge, a short gap apart."""
    blocks: list[list[list[Line]]] = []
    for para in sorted(paragraphs, key=lambda p: (-p[0].baseline, p[0].x0)):
        for block in reversed(blocks[-12:]):
            last = block[-1]
            gap = last[-1].y0 - para[0].y1
            if -0.5 < gap <= 1.5 * max(last[-1].size, para[0].size) and abs(para[0].x0 - block[0][0].x0) <= 16:
                block.append(para)
                break
        else:
            blocks.append([para])
    return blocks


def _repeats(page: Page, allow: Sequence[re.Pattern] = (), keep_allowed: bool = False) -> list[Defect]:
    """A line, paragraph or block of paragraphs of MIN_REPEAT characters or more, twice on the page."""
    body = [l for l in page.lines if page.in_body(l.x0, l.y0, l.x1, l.y1)]
    paragraphs = _paragraphs(body)
    units: list[tuple[str, float, float, float]] = []   # text, x0, top, bottom
    for block in _blocks(paragraphs):
        if len(block) > 1:
            units.append((" ".join(l.text for para in block for l in para), block[0][0].x0, block[0][0].y1,
                          block[-1][-1].y0))
    for para in paragraphs:
        units.append((" ".join(l.text for l in para), para[0].x0, para[0].y1, para[-1].y0))
        if len(para) > 1:
            units += [(l.text, l.x0, l.y1, l.y0) for l in para]
    by_text: dict[str, set[tuple[float, float, float]]] = defaultdict(set)
    for text, x0, top, bottom in units:
        if len(text) >= MIN_REPEAT:
            by_text[text].add((round(x0, 1), round(top, 1), round(bottom, 1)))
    rows = _table_rows(page)
    messages, allowed_messages = [], []
    reported: list[str] = []
    allowed_reported: list[str] = []
    # Allowed texts, and the lines and paragraphs inside them.
    allowed = [text for text in by_text if any(pattern.fullmatch(text) for pattern in allow)]
    # Longest first, so that a repeated block is reported rather than each of its paragraphs and lines.
    for text in sorted(by_text, key=len, reverse=True):
        places = sorted(by_text[text], key=lambda p: -p[1])
        if len(places) < 2 or any(text in other for other in reported):
            continue
        if _same_table_column(places, rows):
            continue
        where = ", ".join(f"{(page.height - t) / MM:.0f}" for _, t, _ in places[:4])
        message = f"{_quote(text)} appears {len(places)} times ({where} mm from the top)"
        if any(text in other for other in allowed):
            if keep_allowed and text in allowed and not any(text in other for other in allowed_reported):
                allowed_reported.append(text)
                allowed_messages.append(message)
            continue
        reported.append(text)
        messages.append(message)
    return _limited(page.number, "repeated paragraph", messages) + \
        [Defect(page.number, "allowed repeat", m) for m in allowed_messages]


def _same_table_column(places, rows) -> bool:
    """Every occurrence in its own table row, all in one column (the same left edge): the same cell
    text in two rows, of one table or of tables with the same columns (a team's evidence given twice)."""
    if not rows:
        return False
    xs = {x for x, _, _ in places}
    if max(xs) - min(xs) > 1:
        return False
    found = []
    for x, top, bottom in places:
        row = next((r for r in rows if r[0] - 1 <= x <= r[2] and r[1] - 1 <= bottom and top <= r[3] + 1), None)
        if row is None:
            return False
        found.append(row)
    return len({id(r) for r in found}) == len(found)


# ---------------------------------------------------------------- tables

@dataclass
class Rule:
    y: float
    x0: float
    x1: float
    cuts: tuple[float, ...]     # where one cell's border segment ends and the next begins
    width: float


def _rules(page: Page) -> list[Rule]:
    """Horizontal rules in the body, abutting segments at one height joined; top to bottom."""
    segments = sorted(((round((s.y0 + s.y1) / 2, 1), s.x0, s.x1, s.y1 - s.y0) for s in page.shapes
                       if s.kind == "rule" and s.x1 - s.x0 > s.y1 - s.y0 and page.in_body(s.x0, s.y0, s.x1, s.y1)),
                      key=lambda s: (-s[0], s[1]))
    rules: list[Rule] = []
    for y, x0, x1, width in segments:
        last = rules[-1] if rules else None
        if last and abs(last.y - y) < 0.3 and abs(x0 - last.x1) < 0.6:
            last.cuts = last.cuts + (x0,)
            last.x1 = max(last.x1, x1)
        elif last and abs(last.y - y) < 0.3 and x0 >= last.x0 - 0.6 and x1 <= last.x1 + 0.6:
            continue  # the same segment drawn again (a collapsed border)
        else:
            rules.append(Rule(y, x0, x1, (), width))
    return rules


@dataclass
class TableFragment:
    """The part of one table on one page: its row rules (top to bottom) and whether it opens with a header."""
    x0: float
    x1: float
    cuts: tuple[float, ...]
    rules: list[Rule]
    header: bool = False
    top: float = 0.0            # top of its first row
    header_text: str = ""
    first_row_text: str = ""


def _fragments(page: Page, marks: Sequence[Bookmark] = ()) -> list[TableFragment]:
    """The tables on a page, top to bottom, as fragments of rows.

    A row is a rule in two or more abutting segments (each cell draws its own
    bottom border); a header row is one whose cells have a filled background
    that ends on its rule. Consecutive rows with the same columns are one
    fragment, unless a header row or a bookmarked heading comes between them.
    """
    rules = [r for r in _rules(page) if r.cuts]
    fragments: list[TableFragment] = []
    for rule in rules:
        header_top = _header_fill(page, rule)
        frag = fragments[-1] if fragments else None
        if frag is not None and header_top is None and abs(frag.x0 - rule.x0) < 0.6 \
                and abs(frag.x1 - rule.x1) < 0.6 and _same_cuts(frag.cuts, rule.cuts) \
                and not any(rule.y < m.top < frag.rules[-1].y for m in marks) \
                and not _text_between(page, frag.rules[-1].y, rule.y, frag.x0, frag.x1):
            frag.rules.append(rule)
            continue
        frag = TableFragment(rule.x0, rule.x1, rule.cuts, [rule])
        if header_top is not None:
            frag.header, frag.top = True, header_top
        else:
            frag.top = _row_top(page, rule.y, frag.x0, frag.x1)
        upper, lower = frag.top, rule.y
        if frag.top <= rule.y + 0.5:
            # Nothing above the rule: the collapsed top border of a row continued from the page
            # before; the row is below it.
            upper, lower = rule.y, page.body[1]
        frag.first_row_text = " ".join(
            l.text for l in sorted(page.lines, key=lambda l: (-l.baseline, l.x0))
            if l.y0 >= lower - 0.5 and l.y1 <= upper + 0.5 and l.x0 >= frag.x0 - 1 and l.x1 <= frag.x1 + 1)
        if header_top is None and frag.top <= rule.y + 0.5:
            frag.first_row_text = frag.first_row_text[:200]
        if frag.header:
            frag.header_text = frag.first_row_text
        fragments.append(frag)
    return fragments


def _header_fill(page: Page, rule: Rule) -> float | None:
    """The top of the filled header cells that end on this rule, or None when it ends a plain row."""
    fills = [s for s in page.shapes if s.kind == "fill" and abs(s.y0 - rule.y) < 1.2
             and s.x0 >= rule.x0 - 1 and s.x1 <= rule.x1 + 1 and not _white(s.color)]
    if sum(s.x1 - s.x0 for s in fills) > 0.9 * (rule.x1 - rule.x0):
        return max(s.y1 for s in fills)
    return None


def _same_cuts(a: tuple[float, ...], b: tuple[float, ...]) -> bool:
    return len(a) == len(b) and all(abs(x - y) < 0.6 for x, y in zip(a, b))


def _white(color: tuple) -> bool:
    return bool(color) and min(color) > 0.97


def _text_between(page: Page, upper: float, lower: float, x0: float, x1: float) -> bool:
    """Is there a line between two heights that spans outside [x0, x1] (text that is not in the table)?"""
    for line in page.lines:
        if line.y0 >= lower - 0.5 and line.y1 <= upper + 0.5:
            if line.x0 < x0 - 1 or line.x1 > x1 + 1:
                return True
    return False


def _row_top(page: Page, rule_y: float, x0: float, x1: float) -> float:
    """The top of the row that ends on `rule_y`: its text, up to the first gap wider than a cell's padding."""
    above = sorted((l for l in page.lines if l.y0 >= rule_y - 0.5 and l.x0 >= x0 - 1 and l.x1 <= x1 + 1
                    and page.in_body(l.x0, l.y0, l.x1, l.y1)), key=lambda l: l.y0)
    top = rule_y
    for line in above:
        if line.y0 - top > 0.9 * line.size + 2 and top != rule_y:
            break
        if line.y0 - top > 2 * line.size:
            break
        top = max(top, line.y1)
    return top


def _table_rows(page: Page) -> list[tuple[float, float, float, float, int]]:
    """(x0, bottom, x1, top, fragment index) of every table row on the page."""
    rows = []
    for index, frag in enumerate(_fragments(page)):
        upper = frag.top
        for rule in frag.rules:
            rows.append((frag.x0, rule.y, frag.x1, upper, index))
            upper = rule.y
    return rows


def _body_top(page: Page) -> float:
    """The top of the highest thing drawn in the page body."""
    tops = [l.y1 for l in page.lines if page.in_body(l.x0, l.y0, l.x1, l.y1)]
    tops += [s.y1 for s in page.shapes if page.in_body(s.x0, s.y0, s.x1, s.y1)]
    return max(tops, default=0.0)


def _body_bottom(page: Page) -> float:
    bottoms = [l.y0 for l in page.lines if page.in_body(l.x0, l.y0, l.x1, l.y1)]
    bottoms += [s.y0 for s in page.shapes if page.in_body(s.x0, s.y0, s.x1, s.y1)]
    return min(bottoms, default=page.height)


def _table_headers(pages: list[Page], bookmarks: list[Bookmark]) -> list[Defect]:
    """A table that runs on to a page must repeat its header row at the top of it."""
    defects = []
    marks = defaultdict(list)
    for mark in bookmarks:
        marks[mark.page].append(mark)
    fragments = [_fragments(p, marks[p.number]) for p in pages]
    for i in range(1, len(pages)):
        page, previous = pages[i], pages[i - 1]
        if not fragments[i] or not fragments[i - 1]:
            continue
        top_frag = max(fragments[i], key=lambda f: f.top)
        last_frag = min(fragments[i - 1], key=lambda f: f.rules[-1].y)
        # The previous page ends with a table row (nothing below its last rule) ...
        if _body_bottom(previous) < last_frag.rules[-1].y - 2:
            continue
        # ... and this page starts with rows of a table of the same columns.
        if top_frag.top < _body_top(page) - 2:
            continue
        if not (abs(top_frag.x0 - last_frag.x0) < 1 and abs(top_frag.x1 - last_frag.x1) < 1
                and _same_cuts(top_frag.cuts, last_frag.cuts)):
            continue
        header = _header_of(fragments, i - 1, last_frag)
        if not top_frag.header:
            defects.append(Defect(page.number, "table header not repeated",
                                  f"the table continued from page {previous.number} starts with "
                                  f"{_quote(top_frag.first_row_text, 60)}, not its header row"
                                  + (f" {_quote(header, 60)}" if header else "")))
        elif header and top_frag.header_text != header:
            defects.append(Defect(page.number, "table header not repeated",
                                  f"the table continued from page {previous.number} starts with the header "
                                  f"{_quote(top_frag.header_text, 60)}, not {_quote(header, 60)}"))
    return defects


def _header_of(fragments: list[list[TableFragment]], index: int, frag: TableFragment) -> str:
    """The header text of the table whose fragment this is, looking back over the pages it runs across."""
    while True:
        if frag.header:
            return frag.header_text
        if index == 0 or not fragments[index - 1]:
            return ""
        before = min(fragments[index - 1], key=lambda f: f.rules[-1].y)
        if not _same_cuts(before.cuts, frag.cuts):
            return ""
        index, frag = index - 1, before


# ---------------------------------------------------------------- pages and headings

def _chapter_starts(pages: list[Page], bookmarks: list[Bookmark]) -> set[int]:
    """Pages that open with a top-level bookmark (a chapter's h1) at the top of the body."""
    starts = set()
    for mark in bookmarks:
        if mark.level == 1 and mark.page:
            page = pages[mark.page - 1]
            if mark.top >= page.body[3] - 0.1 * (page.body[3] - page.body[1]):
                starts.add(mark.page)
    return starts


def _underfilled(pages: list[Page], bookmarks: list[Bookmark]) -> list[Defect]:
    starts = _chapter_starts(pages, bookmarks)
    defects = []
    for page in pages[1:-1]:
        if page.number + 1 in starts:
            continue  # the last page of a chapter
        bx0, by0, bx1, by1 = page.body
        top, bottom = _body_top(page), _body_bottom(page)
        filled = max(0.0, top - bottom) / (by1 - by0) if top > bottom else 0.0
        if filled < MIN_FILL:
            defects.append(Defect(page.number, "under-filled page",
                                  f"content spans {filled:.0%} of the page body (under {MIN_FILL:.0%}); "
                                  f"page {page.number + 1} continues the same chapter"))
    return defects


def _stranded_headings(pages: list[Page], bookmarks: list[Bookmark]) -> list[Defect]:
    """A bookmarked heading with nothing under it on its page."""
    defects = []
    for mark in bookmarks:
        if not mark.page:
            continue
        page = pages[mark.page - 1]
        lines = sorted((l for l in page.lines if page.in_body(l.x0, l.y0, l.x1, l.y1) and l.y1 <= mark.top + 2),
                       key=lambda l: (-l.baseline, l.x0))
        if not lines:
            defects.append(Defect(page.number, "heading at the foot of the page",
                                  f"{_quote(mark.title)}: its bookmark points here but nothing follows it"))
            continue
        first = lines[0]
        heading = [first]
        for line in lines[1:]:
            last = heading[-1]
            if abs(line.size - first.size) < 0.3 and line.glyphs[0].font == first.glyphs[0].font \
                    and 0 < last.baseline - line.baseline <= 1.6 * first.size:
                heading.append(line)
            else:
                break
        bottom = min(l.y0 for l in heading)
        below = [l for l in lines if l.y1 < bottom - 0.5 and l not in heading]
        below_shapes = [s for s in page.shapes if s.y1 < bottom - 3 and page.in_body(s.x0, s.y0, s.x1, s.y1)
                        and s.kind != "rule"]
        if not below and not below_shapes:
            defects.append(Defect(page.number, "heading at the foot of the page",
                                  f"{_quote(' '.join(l.text for l in heading))} is the last text on the page "
                                  f"(its section starts on page {page.number + 1})"))
    return defects


# ---------------------------------------------------------------- glyphs and fonts

def _glyphs(page: Page, fonts: str | None) -> list[Defect]:
    defects = []
    missing = Counter()
    unmapped = Counter()
    foreign = Counter()
    off_page = []
    for g in page.glyphs:
        if g.cid == 0:
            missing[(g.font, g.missing)] += 1
        elif g.text.startswith("(cid:"):
            unmapped[g.font] += 1
        if fonts and not re.search(fonts, g.font):
            foreign[g.font] += 1
        if g.text.strip() and (g.x1 < -1 or g.x0 > page.width + 1 or g.y1 < -1 or g.y0 > page.height + 1
                               or g.x1 > page.width + 1 or g.x0 < -1):
            off_page.append(g)
    for (font, chars), count in missing.items():
        defects.append(Defect(page.number, "missing glyph",
                              f"{count} character(s) drawn as .notdef (a tofu box) in {font}; the font lacks "
                              f"{_quote(chars or '?', 30)}"))
    for font, count in unmapped.items():
        defects.append(Defect(page.number, "missing glyph", f"{count} glyph(s) in {font} map to no character"))
    for font, count in foreign.items():
        defects.append(Defect(page.number, "foreign font", f"{count} glyph(s) in {font}, not a report font"))
    if off_page:
        line = _join(off_page)
        defects.append(Defect(page.number, "text off the page", f"{len(off_page)} glyph(s) outside the page: "
                              f"{_quote(line, 40)}"))
    return defects


def summarize(defects: Iterable[Defect]) -> str:
    """Counts by kind, for a test's failure message."""
    counts = Counter(d.kind for d in defects)
    return ", ".join(f"{n} {kind}" for kind, n in counts.most_common())
