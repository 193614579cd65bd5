"""`reportgen render`: one team's report in md, html, pdf and/or json."""

from __future__ import annotations

from pathlib import Path

import click
from click.core import ParameterSource

from .. import pipeline
from ..errors import CheckFailed
from ..output import atomic_write, is_stale, output_paths, slugify
from ..render import FORMATS, Renderer
from .options import (answers_argument, brand_option, formats_option, model_option, paper_option,
                      pdf_variant_option, strict_option, target_option, templates_option)


@click.command(name="render")
@answers_argument
@click.option("-o", "--output", "output", type=click.Path(path_type=Path), default=Path("."),
              show_default=True, help="A file (its extension picks the format) or a folder for <team>.<ext>.")
@formats_option(help="Comma-separated formats: md, html, pdf, json (default: from -o's extension, else md).")
@model_option
@brand_option
@templates_option
@target_option
@paper_option
@pdf_variant_option
@click.option("--previous", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="An earlier answers file: adds what changed since that assessment.")
@click.option("--inject", type=click.Path(dir_okay=False, path_type=Path), metavar="FILE",
              help="Put the Markdown report between the <!-- BEGIN REPORTGEN --> and <!-- END REPORTGEN --> "
                   "lines of FILE (e.g. README.md), created with them when missing.")
@click.option("--check", is_flag=True, help="Write nothing; exit 1 if a file on disk differs from what would be written.")
@strict_option
def command(answers: Path, output: Path, formats: tuple[str, ...] | None, model: str | None,
            brand: Path | None, templates: Path | None, target: int | None, paper: str,
            pdf_variant: str | None, previous: Path | None, inject: Path | None, check: bool,
            strict: bool) -> None:
    """Render the audit report for one team.

    \b
    Examples:
      reportgen render answers.yaml -o ROADMAP.md
      reportgen render answers.yaml -o out/ --format md,html,pdf,json --brand brand.yaml
      reportgen render answers.yaml -o ROADMAP.md --check     # in CI: is it fresh?
      reportgen render answers.yaml --inject README.md       # between the REPORTGEN markers
      reportgen render answers.yaml --previous old.yaml      # adds "since the last assessment"
      reportgen render answers.yaml -o report.pdf --pdf-variant pdf/ua-1   # tagged PDF/UA-1
    """
    if inject is not None:
        if click.get_current_context().get_parameter_source("output") is not ParameterSource.DEFAULT:
            raise click.UsageError("--inject FILE is where the report goes; leave out -o")
        if formats not in (None, ("md",)):
            raise click.UsageError("--inject puts the Markdown report in a Markdown file; use --format md or leave it out")
        formats = ("md",)
    suffix = output.suffix.lower().lstrip(".")
    if formats is None:
        formats = (suffix,) if suffix in FORMATS else ("md",)
    elif suffix in FORMATS and suffix not in formats:
        raise click.UsageError(f"-o {output} names a .{suffix} file, but --format is {','.join(formats)}")
    if pdf_variant is not None and "pdf" not in formats:
        raise click.UsageError(f"--pdf-variant {pdf_variant} applies to PDF output, but --format is {','.join(formats)}")

    loaded = pipeline.load_answers(answers, model=model, strict=strict)
    brand_data = pipeline.load_brand(brand)
    result = pipeline.assess(loaded, target=target, brand=brand_data)
    if previous is not None:
        from ..progress import since_previous

        # The previous report as it was: its own target, so "roadmap items done" are that report's items.
        result = since_previous(result, pipeline.result_for(previous, model=model))
    renderer = Renderer(templates=templates, brand=brand_data, paper=paper.lower(), pdf_variant=pdf_variant)
    rendered = {fmt: renderer.render(result, fmt) for fmt in formats}  # all or nothing
    paths = output_paths(output, formats, slugify(result["team"]))
    if inject is not None:
        from ..inject import inject_file

        rendered["md"] = inject_file(inject, rendered["md"])
        paths = {"md": inject}

    if check:
        stale = [paths[fmt] for fmt in formats if is_stale(paths[fmt], rendered[fmt])]
        for fmt in formats:
            click.echo(f"{paths[fmt]}: {'stale' if paths[fmt] in stale else 'up to date'}", err=True)
        if stale:
            raise CheckFailed(f"{len(stale)} file(s) out of date; run the same command without --check to update")
        return
    for fmt in formats:
        atomic_write(paths[fmt], rendered[fmt])
        click.echo(f"wrote {paths[fmt]}", err=True)
