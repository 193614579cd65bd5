"""The `reportgen` command line: thin click commands over the library.

Every command module parses options, calls `reportgen.pipeline` / `reportgen.render`
and prints. Errors the user can fix are `ReportgenError`s, turned into
`PATH:LINE:COL: error: message` lines and exit code 1 in one place: `ReportgenGroup`.
"""

from __future__ import annotations

import importlib
import sys

import click

from .. import __version__
from ..errors import ReportgenError

# verb -> module in this package; imported only when the verb runs, so that
# `reportgen score` never pays for the PDF stack.
COMMANDS = {
    "render": "render",
    "score": "score",
    "validate": "validate",
    "init": "init",
    "assess": "assess",
    "diff": "diff",
    "batch": "batch",
    "portfolio": "portfolio",
    "model": "model",
    "schema": "schema",
}


def _set_debug(ctx: click.Context, param: click.Parameter, value: bool) -> None:
    if value:
        ctx.find_root().ensure_object(dict)["debug"] = True


class ReportgenGroup(click.Group):
    def list_commands(self, ctx: click.Context) -> list[str]:
        return [name for name in COMMANDS if self._module(name) is not None]

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        module = self._module(name)
        command = getattr(module, "command", None) if module else None
        if command is not None and not any(p.name == "debug" for p in command.params):
            # `reportgen CMD ... --debug` works as well as `reportgen --debug CMD ...`.
            command.params.append(click.Option(
                ["--debug"], is_flag=True, expose_value=False, callback=_set_debug,
                help="Show a traceback for errors instead of a one-line message."))
        return command

    @staticmethod
    def _module(name: str):
        if name not in COMMANDS:
            return None
        try:
            return importlib.import_module(f"{__name__}.{COMMANDS[name]}")
        except ModuleNotFoundError as exc:
            if exc.name == f"{__name__}.{COMMANDS[name]}":
                return None  # a verb not built yet
            raise

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except ReportgenError as exc:
            if ctx.obj and ctx.obj.get("debug"):
                raise
            if ctx.obj and ctx.obj.get("error_format") == "github":
                for message in exc.annotations():  # the Actions runner reads them from stdout
                    click.echo(message)
            else:
                for message in exc.messages():
                    click.echo(message, err=True)
            ctx.exit(exc.exit_code)


@click.group(cls=ReportgenGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="reportgen")
@click.option("--debug", is_flag=True, envvar="REPORTGEN_DEBUG",
              help="Show a traceback for errors instead of a one-line message.")
@click.pass_context
def main(ctx: click.Context, debug: bool) -> None:
    """Score an MLOps self-assessment against a five-level maturity model and
    render the audit report: level, what to stop, what to start, and a phased roadmap.

    \b
    Examples (quick start):
      reportgen assess -o answers.yaml      # answer the questions in the terminal
      reportgen init -o answers.yaml        # or: questionnaire with every question
      reportgen render answers.yaml -o ROADMAP.md
      reportgen score answers.yaml --fail-under 2
    """
    ctx.ensure_object(dict)
    ctx.obj["debug"] = debug


def run() -> None:  # console-script entry point
    main(prog_name="reportgen")


if __name__ == "__main__":  # pragma: no cover
    sys.exit(run())
