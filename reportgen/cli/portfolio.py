"""`reportgen portfolio`: the portfolio summary from the JSON results of batch runs."""

from __future__ import annotations

from pathlib import Path

import click

from .. import pipeline
from ..batch.portfolio import DEFAULT_TITLE, build_portfolio, portfolio_name, read_results
from ..errors import InputError, Problem
from ..output import atomic_write
from ..render import Renderer
from .options import brand_option, formats_option, paper_option, templates_option


@click.command(name="portfolio")
@click.argument("folders", nargs=-1, required=True,
                type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("-o", "--output", "out", type=click.Path(file_okay=False, path_type=Path), default=Path("."),
              show_default=True, help="Folder for portfolio.<ext>, created when missing.")
@formats_option(default="md", help="Comma-separated formats: md, html, pdf, json (default md).")
@click.option("--title", metavar="T", default=DEFAULT_TITLE, show_default=True,
              help="The portfolio's title, on its cover and in every format.")
@brand_option
@templates_option
@paper_option
def command(folders: tuple[Path, ...], out: Path, formats: tuple[str, ...], title: str, brand: Path | None,
            templates: Path | None, paper: str) -> None:
    """Build the portfolio summary across teams from the JSON results that `reportgen batch`
    wrote into one or more folders (searched recursively), so that the shards of a
    batch merge into one summary: a heat map of teams by dimension, the distribution of
    levels, the most common gaps, the practices to stop, and each team's level against
    its target, grouped by organisation, after a summary in words. The effort to
    every target counts shared platform work (capabilities a platform team builds
    once for everyone) once, not once per team. The date "as of" is the latest
    assessment date among the teams.

    \b
    Examples:
      reportgen portfolio out/ -o out/ --format md,html
      reportgen portfolio shard-1/ shard-2/ shard-3/ -o merged/ --format md,pdf,json
      reportgen portfolio out/ -o out/ --format pdf --title "Acme Bank: MLOps portfolio"
    """
    summaries = read_results(folders)
    if not summaries:
        shown = ", ".join(str(f) for f in folders)
        raise InputError([Problem(str(folders[0]), 1, 1,
                                  f"no team results (*.json written by reportgen batch or render) found in {shown}")])
    portfolio = build_portfolio(summaries, title=title)
    renderer = Renderer(templates=templates, brand=pipeline.load_brand(brand), paper=paper.lower())
    rendered = {fmt: renderer.render(portfolio, fmt, kind="portfolio") for fmt in formats}  # all or nothing
    for fmt in formats:
        path = out / portfolio_name(fmt)
        atomic_write(path, rendered[fmt])
        click.echo(f"wrote {path}", err=True)
    click.echo(f"portfolio of {portfolio['teams_count']} team(s) from {len(folders)} folder(s)", err=True)
