"""`reportgen validate`: check answers files (and the model) and report every problem."""

from __future__ import annotations

from pathlib import Path

import click

from .. import pipeline
from ..errors import InputError
from .options import errors_as, formats_option, model_option, strict_option


@click.command(name="validate")
@click.argument("answers", nargs=-1, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@model_option
@strict_option
@formats_option(("text", "github"), default="text",
                help="text (default): PATH:LINE:COL: error: message; github: GitHub Actions annotations.")
def command(answers: tuple[Path, ...], model: str | None, strict: bool, formats: tuple[str, ...]) -> None:
    """Check answers files against the model; print every problem on its own line.

    With no answers file, checks the model alone.

    \b
    Examples:
      reportgen validate answers.yaml
      reportgen validate teams/*.yaml --strict
      reportgen validate --model my-model.yaml
      reportgen validate answers.yaml --format github   # annotations in a GitHub workflow
    """
    if "github" in formats:
        errors_as("github")
    if not answers:
        m = pipeline.load_model(model)
        caps = len(m.capabilities)
        click.echo(f"{m.source if m.source != 'built-in' else m.id}: ok: model {m.id} {m.version}, "
                   f"{len(m.dimensions)} dimensions, {caps} capabilities, {len(m.anti_patterns)} anti-patterns")
        return
    problems = []
    for path in answers:
        try:
            pipeline.load_answers(path, model=model, strict=strict)
        except InputError as exc:
            problems += exc.problems
        else:
            click.echo(f"{path}: ok")
    if problems:
        raise InputError(problems)
