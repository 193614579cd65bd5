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

    def github(self) -> str:
        """The problem as a GitHub Actions error annotation (`--format github`)."""
        return github_annotation(self.message, self.path, self.line, self.column)


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def github_annotation(message: str, file: str | None = None, line: int | None = None,
                      col: int | None = None) -> str:
    """`::error file=PATH,line=L,col=C::message`, escaped as the Actions runner expects."""
    props = []
    if file:
        props.append(f"file={_escape_property(file)}")
        if line:
            props.append(f"line={line}")
            if col:
                props.append(f"col={col}")
    return f"::error {','.join(props)}::{_escape_data(message)}" if props else f"::error::{_escape_data(message)}"


class ReportgenError(Exception):
    """Base of every error reportgen reports to the user instead of crashing."""

    exit_code = 1

    def messages(self) -> list[str]:
        return [f"error: {self}"]

    def annotations(self) -> list[str]:
        """The messages as GitHub Actions annotations (`--format github`)."""
        return [github_annotation(str(self))]


class InputError(ReportgenError):
    """One or more problems in an input file (answers, model, brand, previous)."""

    def __init__(self, problems: list[Problem]):
        # Files keep the order they were first named in (the answers file's `model:` line comes
        # before the model's own problems, wherever the two live on disk); within a file, by position.
        file_rank: dict[str, int] = {}
        for problem in problems:
            file_rank.setdefault(problem.path, len(file_rank))
        self.problems = sorted(problems, key=lambda p: (file_rank[p.path], p.line, p.column, p.message))
        super().__init__("\n".join(map(str, self.problems)))

    def messages(self) -> list[str]:
        return [str(p) for p in self.problems]

    def annotations(self) -> list[str]:
        return [p.github() for p in self.problems]


class CheckFailed(ReportgenError):
    """A check the user asked for did not pass (stale --check, --fail-under).

    `file` names the input the check is about, for annotations; a message that starts
    with "FILE: error: " is annotated without that prefix.
    """

    def __init__(self, message: str, *, file: str | None = None):
        super().__init__(message)
        self.file = file

    def messages(self) -> list[str]:
        return [str(self)]

    def annotations(self) -> list[str]:
        message = str(self)
        if self.file and message.startswith(f"{self.file}: error: "):
            message = message[len(f"{self.file}: error: "):]
        return [github_annotation(message, self.file)]


class RenderError(ReportgenError):
    """A template or an asset could not be rendered (bad override, missing logo, ...)."""
