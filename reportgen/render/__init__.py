"""Rendering: the result dict in, bytes of one format out.

Templates are looked up along a search path, `[--templates DIR, built-in]`, so a
user file with a built-in template's name replaces just that template; the
built-ins also stay reachable as `builtin/NAME` so that an override can extend
one and replace a single block.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

import jinja2
import orjson

from ..errors import InputError, Problem, RenderError
from ..numbers import format_effort, format_money, format_person_weeks, format_weeks
from ..types import Brand
from . import text

FORMATS = ("md", "html", "pdf", "json")
# PDF variants WeasyPrint writes that reportgen offers (`render --pdf-variant`): tagged PDF/UA-1 for
# accessibility, PDF/A-3b for archiving. See docs/pdf.md.
PDF_VARIANTS = ("pdf/ua-1", "pdf/a-3b")
EXTENSIONS = {fmt: f".{fmt}" for fmt in FORMATS}
BUILTIN_TEMPLATES = Path(__file__).parent / "templates"
ASSETS = Path(__file__).parent / "assets"


def to_json(result: dict[str, Any]) -> bytes:
    """Indented UTF-8 JSON; orjson because the stdlib's indenting encoder is pure Python
    and was a third of a batch's time per team."""
    return orjson.dumps(result, option=orjson.OPT_INDENT_2) + b"\n"


def answers_by_dimension(result: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    """The appendix rows grouped by dimension id (anti-patterns under "anti-patterns")."""
    groups: dict[str, list[dict[str, Any]]] = {}
    for row in result["answers"]:
        key = row.get("dimension") or "anti-patterns"
        groups.setdefault(key, []).append(row)
    return groups


def _loader(templates: Path | None) -> jinja2.BaseLoader:
    search = [str(templates)] if templates else []
    search.append(str(BUILTIN_TEMPLATES))
    return jinja2.ChoiceLoader([
        jinja2.PrefixLoader({"builtin": jinja2.FileSystemLoader(str(BUILTIN_TEMPLATES))}),
        jinja2.FileSystemLoader(search),
    ])


def _common(env: jinja2.Environment) -> jinja2.Environment:
    env.filters["effort"] = format_effort
    env.filters["pw"] = lambda value: f"{format_effort(value)} pw"
    env.filters["weeks"] = format_weeks
    env.filters["person_weeks"] = format_person_weeks
    env.filters["money"] = format_money
    env.globals["answer_label"] = ANSWER_LABELS.get
    env.globals["answers_by_dimension"] = answers_by_dimension
    return env


class _Environment(jinja2.Environment):
    """Jinja with `x.key` on a plain dict looking up the key first.

    Jinja tries `getattr(d, "key")` before `d["key"]`; on the result dict that is a
    failed attribute lookup (an exception) per access, a third of a Markdown render.
    Key first is also what templates mean: `phase.items` is the phase's items, not
    the dict method. Anything else (objects, missing keys) keeps Jinja's behaviour.
    """

    def getattr(self, obj, attribute):
        if type(obj) is dict:
            try:
                return obj[attribute]
            except (KeyError, TypeError):
                pass
        return super().getattr(obj, attribute)


def markdown_environment(templates: Path | None = None) -> jinja2.Environment:
    env = _Environment(
        loader=_loader(templates),
        autoescape=False,
        finalize=text.md_finalize,      # every {{ value }} is escaped unless marked trusted
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=jinja2.StrictUndefined,
    )
    env.filters["markdown"] = text.trusted_markdown
    env.filters["markdown_inline"] = text.trusted_markdown_inline
    env.filters["escape_md"] = text.md_escape
    env.filters["code"] = text.md_code
    env.filters["anchor"] = text.md_anchor
    env.globals["mermaid_gantt"] = text.mermaid_gantt
    return _common(env)


def html_environment(templates: Path | None = None) -> jinja2.Environment:
    env = _Environment(
        loader=_loader(templates),
        autoescape=True,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=jinja2.StrictUndefined,
    )
    env.filters["markdown"] = text.markdown_to_html
    return _common(env)


ANSWER_LABELS = {"yes": "Yes", "partial": "Partial", "no": "No", "n/a": "N/A"}




def print_warning(message: str) -> None:
    """What a render has to say but that does not stop it, by default: `warning: MESSAGE` on stderr."""
    print(f"warning: {message}", file=sys.stderr, flush=True)


@dataclass
class Renderer:
    """Holds compiled templates for a process; one per (templates dir, brand, paper).

    `pdf_variant` is None (plain PDF) or one of `PDF_VARIANTS`. `warn` receives each
    warning of a render (a character no font can draw, say); by default it prints it
    on stderr.
    """

    templates: Path | None = None
    brand: Brand = field(default_factory=Brand)
    paper: str = "a4"
    pdf_variant: str | None = None
    warn: Callable[[str], None] | None = field(default=None, repr=False, compare=False)
    _md: jinja2.Environment | None = field(default=None, init=False, repr=False)
    _html: jinja2.Environment | None = field(default=None, init=False, repr=False)

    @property
    def md_env(self) -> jinja2.Environment:
        if self._md is None:
            self._md = markdown_environment(self.templates)
        return self._md

    @property
    def html_env(self) -> jinja2.Environment:
        if self._html is None:
            self._html = html_environment(self.templates)
        return self._html

    def render(self, result: dict[str, Any], fmt: str, *, kind: str = "report") -> bytes:
        """`kind` is "report" (one team) or "portfolio" (a batch summary)."""
        if fmt == "json":
            return to_json(result)
        if fmt == "md":
            return self.render_template(self.md_env, f"{kind}.md.j2", result).encode("utf-8")
        if fmt == "html":
            from .html import render_html

            return render_html(self, result, kind).encode("utf-8")
        if fmt == "pdf":
            from .pdf import render_pdf

            return render_pdf(self, result, kind)
        raise ValueError(f"unknown format {fmt!r}")

    def render_template(self, env: jinja2.Environment, name: str, result: dict[str, Any], **extra: Any) -> str:
        """One template of `env` over the result; template mistakes become reportgen errors."""
        try:
            return env.get_template(name).render(r=result, brand=self.brand, **extra)
        except jinja2.TemplateSyntaxError as exc:
            where = exc.filename or exc.name or name
            raise InputError([Problem(where, exc.lineno or 1, 1, f"template syntax: {exc.message}")]) from None
        except jinja2.TemplateError as exc:
            raise RenderError(f"template {name}: {exc}") from None
