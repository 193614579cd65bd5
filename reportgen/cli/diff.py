"""`reportgen diff`: what changed between two assessments of a team."""

from __future__ import annotations

import json
from pathlib import Path

import click

from .. import pipeline
from ..progress import since_previous, since_text
from .options import formats_option, model_option, target_option

_path = click.Path(exists=True, dir_okay=False, path_type=Path)


@click.command(name="diff")
@click.argument("old", type=_path)
@click.argument("new", type=_path)
@formats_option(("text", "json"), default="text", help="text (default) or json.")
@model_option
@target_option
def command(old: Path, new: Path, formats: tuple[str, ...], model: str | None, target: int | None) -> None:
    """Show the progress from an OLD assessment to a NEW one: level change overall
    and per dimension, capabilities gained and lost, practices dropped or new,
    progress towards the target, and which items of the old roadmap are done.

    The target is NEW's (`--target`, else its target_level, else its level + 2).
    The same section appears in a report with `reportgen render NEW --previous OLD`.

    \b
    Examples:
      reportgen diff answers-2026-08.yaml answers.yaml
      git show HEAD~10:answers.yaml > old.yaml && reportgen diff old.yaml answers.yaml
      reportgen diff old.yaml answers.yaml --format json | jq .since_previous.target.percent
    """
    now = pipeline.result_for(new, model=model, target=target)
    then = pipeline.result_for(old, model=model)
    result = since_previous(now, then)
    for fmt in formats:
        if fmt == "json":
            data = {key: result[key] for key in ("schema_version", "team", "organization", "assessed_on", "model",
                                                  "overall_level", "overall_name", "target_level", "target_name",
                                                  "since_previous")}
            click.echo(json.dumps(data, indent=2, ensure_ascii=False))
        else:
            click.echo(since_text(result))
