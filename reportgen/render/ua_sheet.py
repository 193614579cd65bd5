"""A leaner user-agent stylesheet for WeasyPrint, used when a document cannot tell the difference.

WeasyPrint 70's user-agent sheet styles six pseudo-elements of *every*
element: `::marker` and the five footnote and note pseudo-elements
(`::footnote-call`, `::footnote-marker`, `::note-call`, `::note-marker`,
`::note-callback`). The cascade therefore builds seven computed styles per
element where the report needs about one: over 10,000 styles for a 20-page
report, 5 % of its CPU instructions and about 10 % of its time.

The lean sheet is WeasyPrint's own text minus the five footnote and note
rules, with `::marker` scoped to `li` and `summary`, the elements that are
list items by default. It is used only for a document whose own CSS (its
`<style>` elements, `style` attributes and linked stylesheets) never mentions
footnotes, notes, list items or `@import`; any such document gets
WeasyPrint's full sheet. Without those rules a footnote or note would make
WeasyPrint fail, and a `display: list-item` element would lose its marker
style, so a document either cannot tell the difference or gets the full sheet.
The PDF is byte-identical either way (tests/test_render_speedups.py).

If the pinned WeasyPrint ever ships a sheet without these exact rules, the
full sheet is used and only the saving is lost.
"""

from __future__ import annotations

import functools
import re

import weasyprint
from weasyprint.css.counters import CounterStyle
from weasyprint.html import UA as WEASYPRINT_UA
from weasyprint.html import element_has_link_type, parse_url
from weasyprint.urls import fetch

# The rules that build a style for every element, exactly as WeasyPrint 70 writes them.
_NOTE_RULES = re.compile(r"^::(?:footnote|note)-[a-z]+ \{[^}]*\}\n", re.M)
_MARKER_RULE = "\n::marker {"
_SCOPED_MARKER_RULE = "\nli::marker, summary::marker {"
# CSS that may need a rule the lean sheet leaves out. An @import brings in CSS this
# does not read, and a CSS escape (`\66 ootnote`) could spell a property without
# these letters, so both count too.
_NEEDS_FULL_SHEET = re.compile(r"footnote|note\s*\(|list-item|@import|\\", re.I)


@functools.lru_cache(maxsize=1)
def lean_stylesheet() -> weasyprint.CSS | None:
    """WeasyPrint's user-agent sheet without its per-element pseudo-element rules, or None."""
    text, removed = _NOTE_RULES.subn("", WEASYPRINT_UA)
    if removed != 5 or text.count(_MARKER_RULE) != 1:
        return None  # not the sheet this was written for: use WeasyPrint's own
    text = text.replace(_MARKER_RULE, _SCOPED_MARKER_RULE)
    # Counter styles are WeasyPrint's own (already loaded); parse them into a throwaway registry.
    return weasyprint.CSS(string=text, counter_style=CounterStyle())


def document_css(source: weasyprint.HTML) -> list[str]:
    """Every CSS text the document brings itself: <style>, style="" and linked stylesheets.

    A linked stylesheet is read with the document's own (safe) fetcher; one that
    cannot be read is returned as an `@import` placeholder, which asks for the
    full sheet, and WeasyPrint reports the failure when it fetches it itself.
    """
    texts = []
    for element in source.etree_element.iter():
        if not isinstance(element.tag, str):
            continue
        if element.get("style"):
            texts.append(element.get("style"))
        if element.tag == "style":
            texts.append("".join(element.itertext()))
        elif element.tag == "link" and element_has_link_type(element, "stylesheet"):
            try:  # the way WeasyPrint's find_stylesheets() reads it
                with fetch(source.url_fetcher, parse_url(element.get("href"), source.base_url)) as response:
                    texts.append(response.read().decode("utf-8", "replace"))
            except Exception:
                texts.append("@import")
    return texts


class ReportHTML(weasyprint.HTML):
    """A WeasyPrint HTML document that uses the lean user-agent sheet when it can."""

    def _ua_stylesheets(self, forms: bool = False) -> list[weasyprint.CSS]:
        sheets = super()._ua_stylesheets(forms)
        lean = lean_stylesheet()
        if lean is not None and not any(_NEEDS_FULL_SHEET.search(css) for css in document_css(self)):
            sheets[0] = lean
        return sheets
