"""`reportgen score`: the result on stdout, with a level gate for CI."""

from __future__ import annotations

from pathlib import Path

import click

from .. import pipeline
from ..errors import CheckFailed
from ..render import to_json
from ..summary import text_summary
from .options import answers_argument, errors_as, formats_option, model_option, strict_option, target_option


@click.command(name="score")
@answers_argument
@formats_option(("text", "json", "github"), default="text",
                help="text (default), json (the full result), or github: text, with errors as GitHub "
                     "Actions annotations.")
@model_option
@target_option
@strict_option
@click.option("--fail-under", type=click.IntRange(1, 5), metavar="N",
              help="Exit 1 when the overall level is below N (a CI gate).")
def command(answers: Path, formats: tuple[str, ...], model: str | None, target: int | None,
            strict: bool, fail_under: int | None) -> None:
    """Score one answers file and print the result.

    \b
    Examples:
      reportgen score answers.yaml
      reportgen score answers.yaml --format json | jq .overall_level
      reportgen score answers.yaml --fail-under 3      # exit 1 below Operable
      reportgen score answers.yaml --fail-under 3 --format github   # in a GitHub workflow
    """
    if "github" in formats:
        errors_as("github")
    result = pipeline.result_for(answers, model=model, target=target, strict=strict)
    for fmt in formats:
        if fmt == "json":
            click.echo(to_json(result).decode("utf-8"), nl=False)
        elif fmt == "text" or "text" not in formats:  # github: the text summary once
            click.echo(text_summary(result))
    if fail_under is not None and result["overall_level"] < fail_under:
        raise CheckFailed(f"{answers}: error: level {result['overall_level']} ({result['overall_name']}) "
                          f"is below the required level {fail_under} (--fail-under)", file=str(answers))
