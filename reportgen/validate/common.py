"""Shared helpers for the validators: problem collection and "did you mean" hints."""

from __future__ import annotations

import difflib
import re
from typing import Iterable

from ..errors import InputError, Problem
from ..load import YNode

SLUG = re.compile(r"^[a-z0-9][a-z0-9_.-]*$")
_BOOLEAN_WORDS = {"true": True, "false": False, "yes": True, "no": False, "on": True, "off": False}
_KIND = {"tag:yaml.org,2002:map": "a mapping", "tag:yaml.org,2002:seq": "a list"}


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f" (did you mean {close[0]!r}?)" if close else ""


def describe(node: YNode) -> str:
    if node.tag in _KIND:
        return _KIND[node.tag]
    if node.tag == "tag:yaml.org,2002:null":
        return "nothing"
    return repr(node.raw)


class Collector:
    """Gathers problems for one file; `check()` raises them all at once."""

    def __init__(self, path: str):
        self.path = path
        self.problems: list[Problem] = []

    def error(self, node: YNode | None, message: str) -> None:
        line, col = (node.line, node.column) if node is not None else (1, 1)
        self.problems.append(Problem(self.path, line, col, message))

    def check(self) -> None:
        if self.problems:
            raise InputError(self.problems)

    # -- typed field readers: return None (and record a problem) when wrong ------

    def mapping(self, node: YNode | None, what: str) -> dict[str, YNode] | None:
        if node is None or not node.is_map:
            self.error(node, f"{what} must be a mapping, found {describe(node) if node else 'an empty file'}")
            return None
        return node.value

    def unknown_keys(self, node: YNode, allowed: Iterable[str], where: str) -> None:
        allowed = list(allowed)
        for key, key_node in node.keys.items():
            if key not in allowed:
                self.error(key_node, f"unknown key {key!r} in {where}{did_you_mean(key, allowed)}")

    def text(self, fields: dict[str, YNode], key: str, where: str, *, required: bool = False,
             default: str = "", max_len: int = 10_000) -> str:
        node = fields.get(key)
        if node is None or node.tag == "tag:yaml.org,2002:null":
            if required:
                self.error(node, f"{where}: {key!r} is required")
            return default
        if not node.is_scalar:
            self.error(node, f"{where}: {key!r} must be text, found {describe(node)}")
            return default
        value = node.raw.strip()
        if required and not value:
            self.error(node, f"{where}: {key!r} must not be empty")
        if len(value) > max_len:
            self.error(node, f"{where}: {key!r} is longer than {max_len} characters")
            return value[:max_len]
        return value

    def integer(self, fields: dict[str, YNode], key: str, where: str, lo: int, hi: int, *,
                required: bool = False) -> int | None:
        node = fields.get(key)
        if node is None or node.tag == "tag:yaml.org,2002:null":
            if required:
                self.error(node, f"{where}: {key!r} is required")
            return None
        if isinstance(node.value, bool) or not isinstance(node.value, int) or not lo <= node.value <= hi:
            self.error(node, f"{where}: {key!r} must be a whole number from {lo} to {hi}, found {describe(node)}")
            return None
        return node.value

    def number(self, fields: dict[str, YNode], key: str, where: str, lo: float, hi: float,
               default: float) -> float:
        node = fields.get(key)
        if node is None:
            return default
        if isinstance(node.value, bool) or not isinstance(node.value, (int, float)) or not lo <= node.value <= hi:
            self.error(node, f"{where}: {key!r} must be a number from {lo:g} to {hi:g}, found {describe(node)}")
            return default
        return float(node.value)

    def boolean(self, fields: dict[str, YNode], key: str, where: str, default: bool = False) -> bool:
        """true/false; YAML 1.1's yes/no/on/off read as booleans too, and so do their spellings as text."""
        node = fields.get(key)
        if node is None or node.tag == "tag:yaml.org,2002:null":
            return default
        if node.tag == "tag:yaml.org,2002:bool":
            return bool(node.value)
        if node.is_scalar and node.raw.strip().lower() in _BOOLEAN_WORDS:
            return _BOOLEAN_WORDS[node.raw.strip().lower()]
        self.error(node, f"{where}: {key!r} must be true or false, found {describe(node)}")
        return default

    def text_list(self, fields: dict[str, YNode], key: str, where: str) -> tuple[tuple[str, YNode], ...]:
        node = fields.get(key)
        if node is None or node.tag == "tag:yaml.org,2002:null":
            return ()
        if not node.is_seq:
            self.error(node, f"{where}: {key!r} must be a list, found {describe(node)}")
            return ()
        items = []
        for item in node.value:
            if not item.is_scalar or item.tag == "tag:yaml.org,2002:null":
                self.error(item, f"{where}: every entry of {key!r} must be text, found {describe(item)}")
            else:
                items.append((item.raw.strip(), item))
        return tuple(items)
