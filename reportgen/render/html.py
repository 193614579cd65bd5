"""The HTML report: one self-contained file (inline CSS, images as data: URIs).

The PDF is rendered from the same HTML (see `pdf.py`), so both say the same
things. Templates get the result as `r`, the `Brand` as `brand`, and a few
helpers (charts, the logo, `asset()`); every answers-file string is autoescaped.
"""

from __future__ import annotations

import functools
import re
from datetime import date
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from markupsafe import Markup

from .. import __version__
from ..errors import RenderError
from ..types import Brand
from . import charts, resources

STYLESHEET = "report.css"
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


@functools.lru_cache(maxsize=4)
def builtin_css(name: str = STYLESHEET) -> str:
    return (resources.ASSETS / name).read_text(encoding="utf-8")


class Charts:
    """Chart helpers for templates, coloured with the brand: `{{ charts.ladder(r) }}`."""

    def __init__(self, primary: str, accent: str):
        self.primary, self.accent = primary, accent

    def ladder(self, r: dict[str, Any]) -> Markup:
        return charts.ladder_svg(r["levels"], r["overall_level"], r.get("target_level"), self.primary, self.accent)

    def profile(self, r: dict[str, Any]) -> Markup:
        return charts.profile_svg(r["dimensions"], r["overall_level"], self.primary, self.accent,
                                  max_level=len(r["levels"]))

    def timeline(self, r: dict[str, Any]) -> Markup:
        calendar = r.get("calendar", {})
        return charts.timeline_svg(r["roadmap"], self.primary, self.accent, calendar.get("starts_on"),
                                   float(calendar.get("capacity", 0)))


# Every (text, background) pair of brand colours the stylesheets draw, by custom property name:
# each reaches 4.5:1 (WCAG 2.x AA) whatever the brand's colours (tests/test_fonts_a11y.py).
TEXT_ON_COLOUR = (
    ("on-primary", "primary"),          # cover band, level box, pills, level-4 heat-map cells
    ("on-primary-dark", "primary-dark"),  # level-5 heat-map cells
    ("on-accent", "accent"),            # "path up" pills, chart tags
    ("primary-dark", "primary-tint"),   # table headers, light pills
    ("primary-ink", "primary-tint"),    # headings and figures in the brand colour (on white too)
    ("ink", "primary-tint"), ("ink", "primary-soft"), ("ink", "accent-tint"),
)


def brand_colours(primary: str, accent: str) -> dict[str, str]:
    """The brand's CSS colours: shades of the two brand colours and the text drawn on them.

    Text on a brand colour is white or the ink, whichever contrasts more (black when
    neither reaches 4.5:1, `charts.on`); text *in* a brand colour is that colour,
    darkened just enough to reach 4.5:1 on its tint (`charts.readable`), so a light
    brand colour such as a yellow still gives readable headings.
    """
    tint = charts.mix(primary, "#ffffff", 0.9)
    dark = charts.readable(charts.mix(primary, "#000000", 0.25), tint)
    return {
        "primary": primary, "primary-dark": dark, "primary-tint": tint,
        "primary-soft": charts.mix(primary, "#ffffff", 0.75), "primary-ink": charts.readable(primary, tint),
        "on-primary": charts.on(primary), "on-primary-dark": charts.on(dark),
        "accent": accent, "accent-tint": charts.mix(accent, "#ffffff", 0.85), "on-accent": charts.on(accent),
    }


@functools.lru_cache(maxsize=16)  # per (brand, paper), not per report: a batch shares one brand
def brand_css(brand, paper: str) -> Markup:
    """CSS custom properties from the (validated) brand colours, and the page size."""
    colours = brand_colours(brand.primary_color, brand.accent_color)
    size = "letter" if paper == "letter" else "A4"
    return Markup(
        ":root{" + ";".join(f"--{name}:{value}" for name, value in colours.items()) + "}"
        f"@page{{size:{size}}}")


@functools.lru_cache(maxsize=16)  # read and encoded once per process, not once per report
def logo_uri(brand, roots: tuple[Path, ...]) -> str:
    """The brand logo as a data: URI ("" when there is none); read from the brand folder only."""
    if not brand.logo_path:
        return ""
    folder = Path(brand.folder).resolve() if brand.folder else None
    if folder is None:
        raise RenderError(f"brand logo {brand.logo_path} has no brand folder to be read from")
    return resources.data_uri(Path(brand.logo_path), (folder,))


def metadata_date(result: dict[str, Any]) -> str:
    """The report's only date: a team's assessed_on (a portfolio's as-of date) when it is a valid
    YYYY-MM-DD, else ""."""
    value = str(result.get("assessed_on") or result.get("as_of") or "")
    if not _DATE.match(value):
        return ""
    try:
        date.fromisoformat(value)
    except ValueError:
        return ""
    return value


def build_html(renderer, result: dict[str, Any], kind: str, *, media: str = "html") -> str:
    """The report HTML; `media` is "html" (CSS inlined) or "pdf" (CSS supplied by the PDF renderer)."""
    brand = renderer.brand
    roots = resources.roots_for(renderer.templates, brand)

    def asset(name: str) -> str:
        return resources.data_uri(resources.find_asset(name, renderer.templates, brand), roots)

    firm = brand.firm if brand.firm != Brand().firm else ""  # the neutral default names no firm
    author = ", ".join(x for x in (result.get("assessor"), firm) if x) or brand.firm
    context = {
        "media": media,
        "paper": renderer.paper,
        "css": Markup(builtin_css()) if media == "html" else Markup(""),
        "brand_css": brand_css(brand, renderer.paper),
        "logo": logo_uri(brand, roots),
        "charts": Charts(brand.primary_color, brand.accent_color),
        "asset": asset,
        "firm": firm,
        "author": author,
        "report_date": metadata_date(result),
        "generator": f"reportgen {__version__}",
    }
    return renderer.render_template(renderer.html_env, f"{kind}.html.j2", result, **context)


def render_html(renderer, result: dict[str, Any], kind: str) -> str:
    html = build_html(renderer, result, kind, media="html")
    check_self_contained(html, f"{kind}.html.j2")
    return html


# Attributes through which a browser loads a resource by itself when the page opens.
_RESOURCE_ATTRS = {
    "img": ("src", "srcset"), "image": ("href", "xlink:href"), "script": ("src",), "iframe": ("src",),
    "frame": ("src",), "embed": ("src",), "object": ("data",), "source": ("src", "srcset"),
    "video": ("src", "poster"), "audio": ("src",), "track": ("src",), "input": ("src",),
    "link": ("href",), "use": ("href", "xlink:href"), "feimage": ("href", "xlink:href"),
}
_CSS_URL = re.compile(r"""(?i)url\(\s*(['"]?)(.*?)\1\s*\)|@import\s+(['"])(.*?)\3""")


def _allowed(url: str) -> bool:
    url = url.strip()
    return url.startswith("#") or url.lower().startswith("data:")


class _ResourceScanner(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.external: list[str] = []
        self._in_style = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._in_style = tag == "style"
        for name, value in attrs:
            if value is None:
                continue
            if name in _RESOURCE_ATTRS.get(tag, ()):
                urls = [part.strip().split(" ")[0] for part in value.split(",")] if name == "srcset" else [value]
                self.external += [u for u in urls if u and not _allowed(u)]
            elif name == "style":
                self._css(value)

    def handle_endtag(self, tag: str) -> None:
        if tag == "style":
            self._in_style = False

    def handle_data(self, data: str) -> None:
        if self._in_style:
            self._css(data)

    def _css(self, css: str) -> None:
        for match in _CSS_URL.finditer(css):
            url = match.group(2) if match.group(2) is not None else match.group(4)
            if url and not _allowed(url):
                self.external.append(url)


def check_self_contained(html: str, template: str) -> None:
    """Refuse an HTML report that would make a browser load anything from outside the file."""
    scanner = _ResourceScanner()
    scanner.feed(html)
    scanner.close()
    if scanner.external:
        shown = ", ".join(resources.describe(u, 80) for u in scanner.external[:3])
        raise RenderError(f"template {template} references {shown}: a self-contained HTML report can only "
                          f"embed data: URIs (use {{{{ asset('FILE') }}}} for a file in the templates folder)")
