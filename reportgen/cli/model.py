"""`reportgen model`: export the maturity model."""

from __future__ import annotations

import json

import click

from .. import pipeline
from ..catalog import model_to_dict, model_to_markdown, model_to_yaml
from .options import formats_option, model_option


@click.command(name="model")
@formats_option(("yaml", "json", "md"), default="yaml", help="yaml (default), json or md.")
@model_option
def command(formats: tuple[str, ...], model: str | None) -> None:
    """Export the maturity model: levels, dimensions, capabilities, practices to stop.

    \b
    Examples:
      reportgen model > my-model.yaml        # start a custom model from the default
      reportgen model --format md > MODEL.md
      reportgen model --format json | jq '.dimensions[].id'
    """
    m = pipeline.load_model(model)
    for fmt in formats:
        if fmt == "json":
            click.echo(json.dumps(model_to_dict(m), indent=2, ensure_ascii=False))
        elif fmt == "md":
            click.echo(model_to_markdown(m), nl=False)
        else:
            click.echo(model_to_yaml(m), nl=False)
