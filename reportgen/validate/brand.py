"""Validate a brand file (firm, logo, colours, ...) and build the frozen `Brand`."""

from __future__ import annotations

import re
from pathlib import Path

from ..load import YNode
from ..types import Brand
from .common import Collector

BRAND_KEYS = ("firm", "logo", "primary_color", "accent_color", "contact", "confidentiality", "footer", "rate",
              "generator_line")
RATE_KEYS = ("per_person_week", "currency")
_CURRENCY = re.compile(r"^[A-Z]{3}$")
LOGO_SUFFIXES = (".svg", ".png", ".jpg", ".jpeg")
_COLOR = re.compile(r"^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})$")


def build_brand(root: YNode | None, path: str, folder: Path) -> Brand:
    c = Collector(path)
    fields = c.mapping(root, "a brand file")
    if fields is None:
        c.check()
    c.unknown_keys(root, BRAND_KEYS, "the brand file")
    default = Brand()
    colors = {}
    for key in ("primary_color", "accent_color"):
        value = c.text(fields, key, "brand", default=getattr(default, key))
        if not _COLOR.match(value):
            c.error(fields.get(key), f"brand: {key!r} must be a hex colour like '#1f3a5f', found {value!r}")
            value = getattr(default, key)
        colors[key] = value.lower()

    logo_path = ""
    logo = c.text(fields, "logo", "brand")
    if logo:
        resolved = _inside(folder, logo)
        if resolved is None:
            c.error(fields["logo"], f"brand: logo {logo!r} must be a file inside the brand file's folder")
        elif resolved.suffix.lower() not in LOGO_SUFFIXES:
            c.error(fields["logo"], f"brand: logo must be an SVG, PNG or JPEG file, found {resolved.suffix or 'no extension'!r}")
        elif not resolved.is_file():
            c.error(fields["logo"], f"brand: logo file {logo!r} does not exist")
        else:
            logo_path = str(resolved)
    rate, currency = None, ""
    rate_node = fields.get("rate")
    if rate_node is not None and rate_node.tag != "tag:yaml.org,2002:null":
        rate_fields = c.mapping(rate_node, "brand: 'rate'")
        if rate_fields is not None:
            c.unknown_keys(rate_node, RATE_KEYS, "'rate'")
            if "per_person_week" not in rate_fields:
                c.error(rate_node, "brand: 'rate' needs 'per_person_week' (the price of one person-week)")
            else:
                rate = c.number(rate_fields, "per_person_week", "rate", 0.01, 1e9, 0.0) or None
            if "currency" not in rate_fields:
                c.error(rate_node, "rate: 'currency' is required (a three-letter ISO code like 'EUR')")
            currency = c.text(rate_fields, "currency", "rate")
            if currency and not _CURRENCY.match(currency):
                c.error(rate_fields["currency"], f"rate: 'currency' must be a three-letter ISO code like 'EUR', "
                                                 f"found {currency!r}")
    brand = Brand(
        firm=c.text(fields, "firm", "brand", default=default.firm, max_len=200),
        contact=c.text(fields, "contact", "brand", max_len=500),
        confidentiality=c.text(fields, "confidentiality", "brand", default=default.confidentiality, max_len=200),
        footer=c.text(fields, "footer", "brand", max_len=500),
        logo_path=logo_path,
        folder=str(folder.resolve()),
        rate=rate,
        currency=currency,
        generator_line=c.boolean(fields, "generator_line", "brand", default=True),
        **colors,
    )
    c.check()
    return brand


def _inside(folder: Path, relative: str) -> Path | None:
    """`relative` resolved (symlinks included) when it stays inside `folder`."""
    base = folder.resolve()
    candidate = (base / relative).resolve()
    return candidate if candidate.is_relative_to(base) and candidate != base else None
