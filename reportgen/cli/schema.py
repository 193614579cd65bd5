"""`reportgen schema`: print the answers file's JSON Schema."""

from __future__ import annotations

import json

import click

from .. import pipeline
from ..answers_schema import answers_schema
from .options import model_option


@click.command(name="schema")
@model_option
def command(model: str | None) -> None:
    """Print the JSON Schema of answers files (for editor completion and checks).

    \b
    Example:
      reportgen schema > answers.schema.json
    """
    click.echo(json.dumps(answers_schema(pipeline.load_model(model)), indent=2, ensure_ascii=False))
