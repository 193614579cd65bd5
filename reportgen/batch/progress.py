"""How a batch shows its progress, and the summary table at the end.

- On a terminal: one progress bar on stderr, redrawn in place (at most ten times
  a second); failures are printed above it as they happen.
- Not on a terminal (a log file, a pipe): plain lines, one per input rendered or failed.
- In CI (the `CI` environment variable set, as every CI service does): only the
  failures, then the summary; no per-input noise in the job log.

The summary table goes to stdout (it is the command's result); everything else
goes to stderr. Team names come from untrusted files: control characters are
replaced before anything reaches the terminal.
"""

from __future__ import annotations

import os
import re
import shutil
import sys
import time
from typing import TextIO

from .runner import BatchReport, Reporter, Row

_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def clean(text: str) -> str:
    """Text safe to print on a terminal: no escape sequences, no bidi overrides, one line."""
    return _UNSAFE.sub("\ufffd", " ".join(str(text).split("\n")).replace("\t", " "))


def in_ci(environ: dict[str, str] | None = None) -> bool:
    value = (environ if environ is not None else os.environ).get("CI", "")
    return value.strip().lower() not in ("", "0", "false", "no")


def choose(stream: TextIO | None = None, environ: dict[str, str] | None = None) -> "BaseReporter":
    stream = stream or sys.stderr
    if in_ci(environ):
        return CiReporter(stream)
    if stream.isatty():
        return BarReporter(stream)
    return LineReporter(stream)


class BaseReporter(Reporter):
    def __init__(self, stream: TextIO):
        self.stream = stream
        self.total = self.todo = self.done = self.failed = 0
        self.started = time.monotonic()

    def start(self, rows: list[Row], todo: int, inputs: int) -> None:
        self.total = len(rows)
        self.todo = todo + sum(r.failed for r in rows)  # inputs refused before rendering count as done
        self.started = time.monotonic()

    def write(self, line: str) -> None:
        self.stream.write(line + "\n")
        self.stream.flush()

    def failure(self, row: Row) -> None:
        for message in row.messages:
            self.write(clean(message))

    def advance(self, row: Row, formats: tuple[str, ...] = ()) -> None:
        if formats or row.failed:
            self.done += 1
        if row.failed:
            self.failed += 1
            self.failure(row)

    def finish(self, report: BatchReport) -> None:
        pass


class CiReporter(BaseReporter):
    """Failures only (they are in `advance`); the summary is printed by the caller."""


class LineReporter(BaseReporter):
    def start(self, rows: list[Row], todo: int, inputs: int) -> None:
        super().start(rows, todo, inputs)
        failed = sum(r.failed for r in rows)
        self.write(f"{len(rows)} input(s): {inputs} to render, {len(rows) - inputs - failed} up to date")

    def advance(self, row: Row, formats: tuple[str, ...] = ()) -> None:
        super().advance(row, formats)
        if formats and not row.failed:
            width = len(str(self.todo))
            self.write(f"[{self.done:>{width}}/{self.todo}] {clean(row.input.display)}: {','.join(formats)} "
                       f"(level {row.level}, {clean(row.team)})")


class BarReporter(BaseReporter):
    REFRESH = 0.1

    def __init__(self, stream: TextIO):
        super().__init__(stream)
        self.drawn = 0.0
        self.visible = False

    def start(self, rows: list[Row], todo: int, inputs: int) -> None:
        super().start(rows, todo, inputs)
        self.draw(force=True)

    def failure(self, row: Row) -> None:
        self.erase()
        super().failure(row)
        self.draw(force=True)

    def advance(self, row: Row, formats: tuple[str, ...] = ()) -> None:
        super().advance(row, formats)
        self.draw(force=self.done == self.todo)

    def finish(self, report: BatchReport) -> None:
        self.draw(force=True)
        if self.visible:
            self.stream.write("\n")
            self.stream.flush()
            self.visible = False

    def erase(self) -> None:
        if self.visible:
            self.stream.write("\r\x1b[K")
            self.visible = False

    def draw(self, force: bool = False) -> None:
        now = time.monotonic()
        if not force and now - self.drawn < self.REFRESH:
            return
        self.drawn = now
        columns = shutil.get_terminal_size((80, 24)).columns
        elapsed = max(now - self.started, 1e-6)
        rate = self.done / elapsed
        todo = max(self.todo, 1)
        share = self.done / todo if self.todo else 1.0
        eta = f" eta {format_seconds((self.todo - self.done) / rate)}" if rate and self.done < self.todo else ""
        failed = f" {self.failed} failed" if self.failed else ""
        text = f" {self.done}/{self.todo} {share:4.0%} {rate:5.0f}/s{eta}{failed}"
        width = max(10, min(40, columns - len(text) - 3))
        filled = int(width * share)
        self.stream.write(f"\r\x1b[K[{'#' * filled}{'.' * (width - filled)}]{text}")
        self.stream.flush()
        self.visible = True


def format_seconds(seconds: float) -> str:
    seconds = int(seconds + 0.5)
    return f"{seconds // 60}m{seconds % 60:02d}s" if seconds >= 60 else f"{seconds}s"


# -- the summary ---------------------------------------------------------------------------


def _outputs(row: Row, formats: tuple[str, ...]) -> str:
    formats = row.outputs or formats
    return f"{row.input.name}.{{{','.join(formats)}}}" if len(formats) > 1 else f"{row.input.name}.{formats[0]}"


_LOCATED = re.compile(r"^.*?:(\d+):(\d+): error: ")


def _status(row: Row) -> str:
    if not row.failed:
        return row.status
    if not row.messages:
        return "failed"
    first = row.messages[0]
    match = _LOCATED.match(first)
    text = first[match.end():] if match else first
    where = f"line {match.group(1)}: " if match and (match.group(1), match.group(2)) != ("1", "1") else ""
    more = f" (+{len(row.messages) - 1} more)" if len(row.messages) > 1 else ""
    return f"failed: {where}{text}{more}"


def _cut(text: str, width: int) -> str:
    return text if len(text) <= width else text[:width - 1] + "\u2026"


def summary_table(report: BatchReport, formats: tuple[str, ...], *, failed_only: bool = False) -> list[str]:
    """The table: input, team, level, outputs, status (or the error)."""
    rows = [r for r in report.rows if r.failed or r.status == "not run"] if failed_only else report.rows
    if not rows:
        return []
    header = ("INPUT", "TEAM", "LEVEL", "OUTPUTS", "STATUS")
    cells = [header]
    for r in rows:
        level = f"{r.level} {r.level_name}" if r.level else "-"
        if r.level and r.target_level and r.target_level != r.level:
            level += f" (target {r.target_level})"
        cells.append((clean(r.input.display), _cut(clean(r.team), 40) or "-", level,
                      _outputs(r, formats) if not r.failed else "-", clean(_status(r))))
    widths = [max(len(c[i]) for c in cells) for i in range(len(header) - 1)]
    return ["  ".join(c[i].ljust(widths[i]) for i in range(len(header) - 1)) + "  " + c[-1] for c in cells]


def totals_line(report: BatchReport, formats: tuple[str, ...]) -> str:
    parts = [f"{report.count('rendered')} rendered", f"{report.count('up to date')} up to date"]
    failed = report.count("failed")
    parts.append(f"{failed} failed")
    if report.count("not run"):
        parts.append(f"{report.count('not run')} not run (--fail-fast)")
    scope = f"{len(report.rows)} input(s)"
    if report.shard:
        scope += f" (shard {report.shard[0]}/{report.shard[1]} of {report.discovered})"
    line = f"{scope}: {', '.join(parts)}"
    if report.portfolio_status in ("written", "up to date") and report.portfolio:
        folder = report.portfolio[0].parent
        line += f"; portfolio {folder / 'portfolio'}.{{{','.join(p.suffix[1:] for p in report.portfolio)}}} " \
                f"{report.portfolio_status}"
    elif report.portfolio_status == "failed":
        line += "; portfolio failed"
    elif report.stopped:
        line += "; no portfolio (stopped by --fail-fast)"
    elif report.portfolio_status:
        line += f"; no portfolio ({report.portfolio_status.removeprefix('skipped: ')})"
    return line

