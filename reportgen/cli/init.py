"""`reportgen init`: an answers template with every question, plus its JSON Schema."""

from __future__ import annotations

import json
from pathlib import Path

import click

from .. import pipeline
from ..answers_schema import answers_schema
from ..catalog import answers_template
from ..errors import ReportgenError
from ..output import atomic_write
from .options import model_option


@click.command(name="init")
@click.option("-o", "--output", "output", type=click.Path(dir_okay=False, path_type=Path),
              default=Path("answers.yaml"), show_default=True, help="The answers file to create.")
@model_option
@click.option("--force", is_flag=True, help="Overwrite an existing answers file.")
def command(output: Path, model: str | None, force: bool) -> None:
    """Write an answers template with every question as a comment, and
    `answers.schema.json` beside it for editor completion.

    \b
    Example:
      reportgen init -o answers.yaml && $EDITOR answers.yaml
    """
    if output.exists() and not force:
        raise ReportgenError(f"{output} already exists; use --force to overwrite it")
    m = pipeline.load_model(model)
    schema_path = output.parent / "answers.schema.json"
    atomic_write(schema_path, (json.dumps(answers_schema(m), indent=2, ensure_ascii=False) + "\n").encode())
    reference = m.id
    if m.source != "built-in":  # a model file: point at it from where the answers file lives
        import os

        reference = os.path.relpath(Path(m.source).resolve(), output.parent.resolve())
    atomic_write(output, answers_template(m, reference, schema_path.name).encode())
    click.echo(f"wrote {output} and {schema_path}", err=True)
