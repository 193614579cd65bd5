"""Option decorators shared by several commands (sqlite-utils style)."""

from __future__ import annotations

from pathlib import Path
from typing import Callable

import click

from ..render import FORMATS, PDF_VARIANTS


def parse_formats(allowed: tuple[str, ...]) -> Callable:
    def callback(ctx: click.Context, param: click.Parameter, value: str | None) -> tuple[str, ...] | None:
        if value is None:
            return None
        formats = []
        for item in value.split(","):
            item = item.strip().lower()
            if item == "markdown":
                item = "md"
            if item not in allowed:
                raise click.BadParameter(f"{item!r} is not one of {', '.join(allowed)}")
            if item not in formats:
                formats.append(item)
        return tuple(formats)
    return callback


def formats_option(allowed: tuple[str, ...] = FORMATS, default: str | None = None, help: str = "") -> Callable:
    return click.option("--format", "-f", "formats", default=default, metavar=",".join(allowed),
                        callback=parse_formats(allowed),
                        help=help or f"Comma-separated output formats: {', '.join(allowed)}.")


def _check_model(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    """A model named on the command line must be a built-in id or an existing file (else usage, exit 2)."""
    from ..pipeline import builtin_models

    if value is None or value in builtin_models() or Path(value).is_file():
        return value
    raise click.BadParameter(f"{value!r} is neither a built-in model ({', '.join(builtin_models())}) "
                             "nor an existing file")


model_option = click.option(
    "--model", "-m", "model", metavar="M", callback=_check_model,
    help="A built-in model id or a model YAML file (default: the answers' `model:`, else mlops).")
strict_option = click.option("--strict", is_flag=True, help="Treat any unanswered question as an error.")
target_option = click.option("--target", type=click.IntRange(1, 5), metavar="N",
                             help="Target level for the roadmap (default: answers' target_level, else level + 2).")
answers_argument = click.argument("answers", type=click.Path(exists=True, dir_okay=False, path_type=Path))
brand_option = click.option("--brand", type=click.Path(exists=True, dir_okay=False, path_type=Path),
                            help="Brand file (firm, logo, colours, contact, confidentiality, footer).")
templates_option = click.option("--templates", type=click.Path(exists=True, file_okay=False, path_type=Path),
                                help="Folder of templates that override built-in ones by file name.")
pdf_variant_option = click.option(
    "--pdf-variant", type=click.Choice(PDF_VARIANTS, case_sensitive=False), metavar="|".join(PDF_VARIANTS),
    help="Write the PDF as PDF/UA-1 (tagged, for screen readers) or PDF/A-3b (for archiving).")
paper_option = click.option("--paper", type=click.Choice(["a4", "letter"], case_sensitive=False), default="a4",
                            show_default=True, help="PDF page size.")


def errors_as(fmt: str) -> None:
    """Make the CLI print this command's errors as `fmt`: "text" (PATH:LINE:COL: error: ...) or
    "github" (::error file=PATH,line=L,col=C::... annotations on stdout, for GitHub Actions)."""
    click.get_current_context().ensure_object(dict)["error_format"] = fmt
