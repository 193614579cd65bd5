"""One error hierarchy for every problem a user can fix.

The CLI catches `ReportgenError` in one place (`reportgen.cli.main`), prints each
problem as `PATH:LINE:COL: error: message` and exits 1. Anything else is a bug and
keeps its traceback.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with one input file, located as precisely as the YAML allows."""

    path: str
    line: int
    column: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.column}: error: {self.message}"


class ReportgenError(Exception):
    """Base of every error reportgen reports to the user instead of crashing."""

    exit_code = 1

    def messages(self) -> list[str]:
        return [f"error: {self}"]


class InputError(ReportgenError):
    """One or more problems in an input file (answers, model, brand, previous)."""

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(problems, key=lambda p: (p.path, p.line, p.column, p.message))
        super().__init__("\n".join(map(str, self.problems)))

    def messages(self) -> list[str]:
        return [str(p) for p in self.problems]


class CheckFailed(ReportgenError):
    """A check the user asked for did not pass (stale --check, --fail-under)."""

    def messages(self) -> list[str]:
        return [str(self)]


class RenderError(ReportgenError):
    """A template or an asset could not be rendered (bad override, missing logo, ...)."""
