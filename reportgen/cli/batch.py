"""`reportgen batch`: many teams in parallel, incrementally, and their portfolio summary."""

from __future__ import annotations

from pathlib import Path

import click

from ..batch import progress
from ..batch.inputs import parse_shard
from ..batch.portfolio import DEFAULT_TITLE
from ..batch.runner import BatchOptions, default_jobs, run_batch
from .options import brand_option, formats_option, model_option, paper_option, strict_option, target_option, \
    templates_option


class ShardType(click.ParamType):
    name = "K/N"

    def convert(self, value, param, ctx):
        if isinstance(value, tuple):
            return value
        try:
            return parse_shard(value)
        except ValueError as exc:
            self.fail(str(exc), param, ctx)


@click.command(name="batch")
@click.argument("inputs", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option("-o", "--output", "out", required=True, type=click.Path(file_okay=False, path_type=Path),
              help="Folder for the reports, their JSON results, the portfolio and the manifest.")
@formats_option(default="md", help="Comma-separated formats: md, html, pdf, json (default md; JSON is always written).")
@click.option("--jobs", "-j", type=click.IntRange(min=1), metavar="N",
              help="Worker processes (default: the number of CPUs available).")
@click.option("--shard", type=ShardType(), metavar="K/N",
              help="Take a stable K-th of N shares of the inputs (N machines together cover every input once).")
@click.option("--force", is_flag=True, help="Render every output, even those that are up to date.")
@click.option("--fail-fast", is_flag=True, help="Stop at the first input that fails.")
@click.option("--title", metavar="T", default=DEFAULT_TITLE, show_default=True,
              help="The portfolio summary's title.")
@model_option
@brand_option
@templates_option
@paper_option
@target_option
@strict_option
@click.pass_context
def command(ctx: click.Context, inputs: tuple[Path, ...], out: Path, formats: tuple[str, ...], jobs: int | None,
            shard: tuple[int, int] | None, force: bool, fail_fast: bool, title: str, model: str | None,
            brand: Path | None, templates: Path | None, paper: str, target: int | None, strict: bool) -> None:
    """Render reports for many teams: files and folders of answers (*.yaml, *.yml, searched
    recursively), in parallel, skipping outputs whose inputs have not changed.

    Each output is named after its input file, keeping the folder structure under an
    input folder: teams/emea/fraud.yaml -> OUT/emea/fraud.md. The JSON result of every
    team is always written, and the portfolio summary across teams goes to
    OUT/portfolio.<ext> for each format. A bad input is reported as FILE:LINE:COL and
    never stops the others; the exit code is 1 when any input failed.

    \b
    Examples:
      reportgen batch teams/ -o out/ --format md,pdf
      reportgen batch teams/ -o out/ --jobs 8 --brand brand.yaml
      reportgen batch teams/ -o out/shard-2 --shard 2/4      # one of four machines
      reportgen portfolio out/shard-* -o out/                 # merge the shards
      reportgen batch teams/ -o out/ --title "Acme Bank: MLOps portfolio"
    """
    options = BatchOptions(inputs=inputs, out=out, formats=formats, jobs=jobs or default_jobs(), shard=shard,
                           force=force, fail_fast=fail_fast, title=title, model=model, brand=brand,
                           templates=templates, paper=paper.lower(), target=target, strict=strict,
                           debug=bool(ctx.obj and ctx.obj.get("debug")))
    reporter = progress.choose()
    try:
        report = run_batch(options, reporter)
    except KeyboardInterrupt:
        click.echo("\ninterrupted: finished outputs are kept; run the same command again to finish the batch",
                   err=True)
        ctx.exit(130)
    all_formats = options.all_formats
    ci = progress.in_ci()
    for line in progress.summary_table(report, all_formats, failed_only=ci):
        click.echo(line)
    for message in report.portfolio_messages:
        click.echo(progress.clean(message), err=True)
    click.echo(progress.totals_line(report, all_formats))
    if not report.ok:
        ctx.exit(1)
