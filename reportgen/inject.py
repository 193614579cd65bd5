"""Keep a report inside an existing Markdown file, between two marker lines.

    <!-- BEGIN REPORTGEN -->
    ...everything here is replaced by the rendered report...
    <!-- END REPORTGEN -->

Each marker stands alone on its line (surrounding spaces allowed); markers inside
fenced code blocks (``` or ~~~) are ignored, so a README can show them as an
example. Exactly one BEGIN followed by exactly one END is required in an existing
file; anything else is an error at the offending marker's line and column. A file
that does not exist yet is created with the markers around the report. The file's
line endings (LF or CRLF) are kept.
"""

from __future__ import annotations

import re
from pathlib import Path

from .errors import InputError, Problem

BEGIN = "<!-- BEGIN REPORTGEN -->"
END = "<!-- END REPORTGEN -->"
MAX_BYTES = 8 * 1024 * 1024
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")


def _problem(path: str, line: int, col: int, message: str) -> InputError:
    return InputError([Problem(path, line, col, message)])


def find_markers(text: str, path: str) -> tuple[int, int]:
    """Line indexes (0-based) of the BEGIN and END marker lines, or an InputError."""
    begins: list[tuple[int, int]] = []
    ends: list[tuple[int, int]] = []
    fence: str | None = None
    for index, line in enumerate(text.splitlines()):
        match = _FENCE.match(line)
        if match:
            mark = match.group(1)
            if fence is None:
                fence = mark
            elif mark[0] == fence[0] and len(mark) >= len(fence) and not line.strip()[len(mark):].strip():
                fence = None
            continue
        if fence is not None:
            continue
        for marker, found in ((BEGIN, begins), (END, ends)):
            col = line.find(marker)
            if col < 0:
                continue
            if line.strip() != marker:
                raise _problem(path, index + 1, col + 1, f"the marker {marker} must stand alone on its line")
            found.append((index, col))
    if len(begins) > 1:
        first = begins[0][0] + 1
        raise _problem(path, begins[1][0] + 1, begins[1][1] + 1,
                       f"a second {BEGIN} marker (the first is on line {first}); keep exactly one pair")
    if len(ends) > 1:
        first = ends[0][0] + 1
        raise _problem(path, ends[1][0] + 1, ends[1][1] + 1,
                       f"a second {END} marker (the first is on line {first}); keep exactly one pair")
    if not begins and not ends:
        raise _problem(path, 1, 1, f"no {BEGIN} / {END} markers; add the two lines where the report should go")
    if not ends:
        raise _problem(path, begins[0][0] + 1, begins[0][1] + 1, f"{BEGIN} has no matching {END} after it")
    if not begins:
        raise _problem(path, ends[0][0] + 1, ends[0][1] + 1, f"{END} has no matching {BEGIN} before it")
    (b, _), (e, e_col) = begins[0], ends[0]
    if e < b:
        raise _problem(path, e + 1, e_col + 1, f"{END} comes before {BEGIN} (line {b + 1}); swap them")
    return b, e


def inject(existing: str | None, report: str, path: str = "<markdown>") -> str:
    """`existing` with the text between its markers replaced by `report`.

    `existing` None means the file does not exist: the result is the markers around
    the report. Applying it twice gives the same text (idempotent), so `--check` works.
    """
    body = report if report.endswith("\n") or not report else report + "\n"
    if existing is None:
        return f"{BEGIN}\n{body}{END}\n"
    b, e = find_markers(existing, path)
    lines = existing.splitlines(keepends=True)
    newline = "\r\n" if lines[b].endswith("\r\n") else "\n"
    if newline != "\n":
        body = body.replace("\n", newline)
    begin_line = lines[b] if lines[b].endswith(("\n", "\r")) else lines[b] + newline
    return "".join(lines[:b]) + begin_line + body + "".join(lines[e:])


def read_markdown(path: Path, display: str | None = None) -> str | None:
    """The target file as text, None when it does not exist; refuses binary or huge files."""
    name = display or str(path)
    try:
        with open(path, "rb") as fh:
            data = fh.read(MAX_BYTES + 1)
    except FileNotFoundError:
        return None
    except IsADirectoryError:
        raise _problem(name, 1, 1, "is a directory, expected a Markdown file") from None
    except OSError as exc:
        raise _problem(name, 1, 1, f"cannot read file: {exc.strerror}") from None
    if len(data) > MAX_BYTES:
        raise _problem(name, 1, 1, f"file is larger than {MAX_BYTES // (1024 * 1024)} MiB; refusing to edit it")
    if b"\x00" in data:
        raise _problem(name, 1, 1, "file is binary (contains NUL bytes), expected Markdown text")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        col = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        raise _problem(name, line, col, "file is not valid UTF-8 text") from None


def inject_file(path: Path, report: bytes) -> bytes:
    """The new contents of `path` with `report` (rendered Markdown) between its markers."""
    return inject(read_markdown(path), report.decode("utf-8"), str(path)).encode("utf-8")
