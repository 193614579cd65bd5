"""Turning untrusted text into safe Markdown and model Markdown into safe HTML.

Answers files are untrusted: a team name or an evidence note must show up
literally, never as a link, an image, raw HTML or a broken table. Model texts are
Markdown written by the model's author; raw HTML in them is shown as text too.
"""

from __future__ import annotations

import functools
import math
import re

from markupsafe import Markup, escape


class TrustedMarkdown(str):
    """Markdown that a template may emit as is (the model's own texts, already neutralised)."""


# Characters with inline meaning in GitHub-flavoured Markdown: emphasis, code, links,
# raw HTML, tables, strikethrough, entities, e-mail autolinks and GitHub's $math$.
# An underscore inside a word cannot open emphasis, so `snake_case` stays as written.
_INLINE = re.compile(r"([\\`*{}\[\]<>|~$@]|&(?=#?\w+;)|(?<![A-Za-z0-9])_|_(?![A-Za-z0-9]))")
_LINE_START = re.compile(r"^(\s*)([-+*]|\d+[.)]|=+$|#{1,6})(?=\s|$)")
_SCHEME = re.compile(r"(?<=[A-Za-z0-9]):(?=//)")
_WWW = re.compile(r"(?i)\b(www)\.")


@functools.lru_cache(maxsize=4096)  # titles and names repeat across a batch
def _md_escape_text(text: str) -> str:
    text = " ".join(text.split())
    text = _INLINE.sub(r"\\\1", text)
    text = _SCHEME.sub(r"\\:", text)      # no autolinked URLs
    text = _WWW.sub(r"\1\\.", text)       # no autolinked www. names
    return _LINE_START.sub(r"\1\\\2", text)


def md_escape(value: object) -> str:
    """One line of literal text in Markdown: whitespace folded, syntax backslash-escaped."""
    return _md_escape_text(str(value))


def md_finalize(value: object) -> object:
    """Jinja `finalize` for Markdown templates: everything printed is escaped unless trusted."""
    if type(value) is str:  # the common case first: this runs for every {{ }} of every report
        return _md_escape_text(value)
    if isinstance(value, TrustedMarkdown):
        return value
    if value is None:
        return ""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return value
    return md_escape(value)


_CODE_SPAN = re.compile(r"(`+)(.+?)\1", re.S)


@functools.lru_cache(maxsize=2048)  # model texts: the same few hundred in every report
def neutralise_markdown(text: str) -> str:
    """The model's Markdown with raw HTML disarmed: `<` outside code spans is shown as text."""
    parts = []
    last = 0
    for match in _CODE_SPAN.finditer(text or ""):
        parts.append(text[last:match.start()].replace("<", "&lt;"))
        parts.append(match.group(0))
        last = match.end()
    parts.append((text or "")[last:].replace("<", "&lt;"))
    return "".join(parts)


def trusted_markdown(text: str | None, indent: int = 0) -> TrustedMarkdown:
    """Model Markdown for a Markdown report: kept as Markdown, raw HTML disarmed.

    `indent` shifts every line right, to nest the block under a list item.
    """
    lines = neutralise_markdown(text or "").strip("\n").splitlines()
    pad = " " * indent
    return TrustedMarkdown("\n".join(pad + line if line.strip() else "" for line in lines))


def md_code(value: object) -> TrustedMarkdown:
    """An identifier as an inline code span (backticks and pipes cannot break out)."""
    flat = " ".join(str(value).split()).replace("`", "'").replace("|", "\\|")
    return TrustedMarkdown(f"`{flat}`")


def trusted_markdown_inline(text: str | None) -> TrustedMarkdown:
    """Model Markdown on one line (for list items and table cells)."""
    flat = " ".join((text or "").split())
    return TrustedMarkdown(neutralise_markdown(flat).replace("|", "\\|"))


def markdown_to_html(text: str | None) -> Markup:
    """Model Markdown as HTML; raw HTML in it is escaped, never passed through."""
    return Markup(_html_converter().reset().convert(text or ""))


_converter = None


def _html_converter():
    """One Python-Markdown instance per process, with raw HTML support removed.

    Without the `html_block` preprocessor and the `html` inline pattern, any tag in
    the source is escaped and shown as text.
    """
    global _converter
    if _converter is None:
        import markdown  # imported here: only HTML/PDF renders need it

        _converter = markdown.Markdown(extensions=["sane_lists"], output_format="html")
        _converter.preprocessors.deregister("html_block")
        _converter.inlinePatterns.deregister("html")
    return _converter


_SLUG_DROP = re.compile(r"[^\w\- ]", re.UNICODE)


def md_anchor(title: object) -> str:
    """The anchor GitHub and GitLab give a Markdown heading: lower case, punctuation dropped, spaces as '-'."""
    return _SLUG_DROP.sub("", str(title).strip().lower()).replace(" ", "-")


_MERMAID_UNSAFE = re.compile(r"[:;#%{}\[\]<>`\"\\]|\s+")
NO_DATE_START = "2001-01-01"   # a Monday in week 01: without an assessment date the axis counts weeks


def _mermaid_name(text: object) -> str:
    """A task or section name Mermaid reads literally: no separators, comments or markup."""
    return " ".join(_MERMAID_UNSAFE.sub(" ", str(text)).split())[:80] or "item"


def mermaid_gantt(r: dict) -> TrustedMarkdown:
    """The roadmap as a Mermaid `gantt` block: a section per phase, its items one after another
    at the calendar's capacity (whole days, at least one), dated from `assessed_on` when given."""
    capacity = float(r["calendar"]["capacity"]) or 1.0
    start = r["calendar"]["starts_on"]
    lines = ["```mermaid", "gantt", f"    title Roadmap to level {int(r['target_level'])}",
             "    dateFormat YYYY-MM-DD", f"    axisFormat {'%d %b' if start else 'week %W'}"]
    previous = None
    number = 0
    for phase in r["roadmap"]:
        if not phase["items"]:
            continue
        lines.append(f"    section Phase {int(phase['phase'])} {_mermaid_name(phase['title'])}")
        for item in phase["items"]:
            number += 1
            days = max(1, math.ceil(float(item["effort"]) / capacity * 7))
            when = f"after t{previous}" if previous else (start or NO_DATE_START)
            lines.append(f"    {_mermaid_name(item['title'])} :t{number}, {when}, {days}d")
            previous = number
    lines.append("```")
    return TrustedMarkdown("\n".join(lines))


def html_text(value: object) -> Markup:
    return escape(value)
