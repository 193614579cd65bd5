"""Reading untrusted YAML safely, keeping line and column for every value.

PyYAML's composer recurses in C and segfaults on deep nesting, and constructing
Python objects from a composed graph expands alias bombs. So we walk the parser's
event stream ourselves: bounded depth, bounded node count, no aliases, no custom
tags, and every node keeps its 1-based line and column for error messages.
"""

from __future__ import annotations

import datetime as _dt
import functools
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .errors import InputError, Problem

try:  # libyaml when present: several times faster than the pure-Python parser
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

MAX_BYTES = 2 * 1024 * 1024
MAX_DEPTH = 32
MAX_NODES = 50_000

_STR = "tag:yaml.org,2002:str"
_ALLOWED_TAGS = {
    _STR,
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
    "tag:yaml.org,2002:timestamp",
    "tag:yaml.org,2002:map",
    "tag:yaml.org,2002:seq",
}
_ACCEPTED_TAGS = frozenset({None, "!", *_ALLOWED_TAGS})
_MAP = "tag:yaml.org,2002:map"
_SEQ = "tag:yaml.org,2002:seq"
_resolver = yaml.resolver.Resolver()
_constructor = yaml.constructor.SafeConstructor()


@dataclass(slots=True)
class YNode:
    """A YAML value with its position.

    `value` is a dict[str, YNode] for mappings, a list[YNode] for sequences and a
    plain Python scalar otherwise. `raw` is a scalar's source text, so that a
    field meant as text keeps `yes` or `2026-11-20` exactly as written.
    """

    value: Any
    line: int
    column: int
    tag: str
    raw: str = ""
    keys: dict[str, "YNode"] = field(default_factory=dict)

    @property
    def is_map(self) -> bool:
        return isinstance(self.value, dict)

    @property
    def is_seq(self) -> bool:
        return isinstance(self.value, list)

    @property
    def is_scalar(self) -> bool:
        return not isinstance(self.value, (dict, list))

    def plain(self) -> Any:
        """The value without positions (used for exports and tests)."""
        if isinstance(self.value, dict):
            return {k: v.plain() for k, v in self.value.items()}
        if isinstance(self.value, list):
            return [v.plain() for v in self.value]
        return self.value


def read_text(path: Path, display: str | None = None) -> str:
    """Read an input file as UTF-8 text, refusing huge and binary files."""
    name = display or str(path)
    try:
        with open(path, "rb") as fh:
            data = fh.read(MAX_BYTES + 1)
    except IsADirectoryError:
        raise InputError([Problem(name, 1, 1, "is a directory, expected a YAML file")]) from None
    except OSError as exc:
        raise InputError([Problem(name, 1, 1, f"cannot read file: {exc.strerror}")]) from None
    if len(data) > MAX_BYTES:
        raise InputError([Problem(name, 1, 1, f"file is larger than {MAX_BYTES // (1024 * 1024)} MiB; refusing to parse it")])
    if b"\x00" in data:
        raise InputError([Problem(name, 1, 1, "file is binary (contains NUL bytes), expected YAML text")])
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        col = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        raise InputError([Problem(name, line, col, "file is not valid UTF-8 text")]) from None


def read_yaml(path: Path, display: str | None = None) -> YNode | None:
    """Parse one YAML document from a file; None for an empty file."""
    name = display or str(path)
    return parse_yaml(read_text(path, name), name)


def parse_yaml(text: str, name: str) -> YNode | None:
    builder = _Builder(name)
    try:
        for event in yaml.parse(text, Loader=_Loader):
            builder.feed(event)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        message = exc.problem or exc.context or "invalid YAML"
        if exc.context and exc.problem:
            message = f"{exc.context}, {exc.problem}"
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        raise InputError([Problem(name, line, col, f"invalid YAML: {message}")]) from None
    except yaml.YAMLError as exc:  # reader errors (control characters, ...)
        raise InputError([Problem(name, 1, 1, f"invalid YAML: {exc}")]) from None
    return builder.result


@functools.lru_cache(maxsize=4096)  # "yes", "no", ids and numbers repeat in every file
def _typed_scalar(text: str, tag: str | None) -> tuple[str, Any]:
    """(tag, value) of a plain scalar (tag None: resolved as YAML 1.1 does) or an explicitly tagged one."""
    if tag is None:
        tag = _resolver.resolve(yaml.ScalarNode, text, (True, False))
    if tag == _STR:
        return tag, text
    try:
        value = _constructor.yaml_constructors[tag](_constructor, yaml.ScalarNode(tag, text))
    except (ValueError, OverflowError, yaml.constructor.ConstructorError):
        # Looks like a date or number but is not one (2026-13-45): keep the text and
        # let the validator, which knows what the field should be, report it.
        return _STR, text
    if isinstance(value, (_dt.date, _dt.datetime)):
        value = value.isoformat()  # immutable and JSON-ready
    return tag, value


class _Builder:
    """Turns parser events into YNodes, enforcing the limits above."""

    def __init__(self, name: str):
        self.name = name
        self.stack: list[tuple[YNode, list[YNode]]] = []  # (container, pending key for maps)
        self.documents = 0
        self.nodes = 0
        self.result: YNode | None = None

    def _fail(self, mark: Any, message: str) -> None:
        raise InputError([Problem(self.name, mark.line + 1, mark.column + 1, message)])

    def feed(self, event: Any) -> None:
        # Dispatch on the exact event class: this loop runs once per YAML token of
        # every file in a batch, so it avoids isinstance chains.
        kind = type(event)
        if kind is yaml.ScalarEvent:
            self._count(event)
            self._add(self._scalar(event))
        elif kind is yaml.MappingStartEvent or kind is yaml.SequenceStartEvent:
            self._count(event)
            mark = event.start_mark
            if len(self.stack) >= MAX_DEPTH:
                self._fail(mark, f"nesting deeper than {MAX_DEPTH} levels is not allowed")
            if kind is yaml.MappingStartEvent:
                node = YNode({}, mark.line + 1, mark.column + 1, _MAP)
            else:
                node = YNode([], mark.line + 1, mark.column + 1, _SEQ)
            self.stack.append((node, []))
        elif kind is yaml.MappingEndEvent or kind is yaml.SequenceEndEvent:
            node, _ = self.stack.pop()
            self._add(node)
        elif kind is yaml.AliasEvent:
            self._fail(event.start_mark, f"aliases (*{event.anchor}) are not allowed in reportgen files")
        elif kind is yaml.DocumentStartEvent:
            self.documents += 1
            if self.documents > 1:
                self._fail(event.start_mark, "expected a single YAML document, found another '---'")

    def _count(self, event: Any) -> None:
        self.nodes += 1
        if self.nodes > MAX_NODES:
            self._fail(event.start_mark, f"more than {MAX_NODES} values; refusing to parse further")
        tag = event.tag
        if tag not in _ACCEPTED_TAGS:
            shown = tag.replace("tag:yaml.org,2002:", "!!")
            self._fail(event.start_mark, f"YAML tag {shown!r} is not allowed (only plain data is accepted)")

    def _scalar(self, event: Any) -> YNode:
        mark = event.start_mark
        tag = event.tag
        if tag == "!" or tag == _STR or (tag is None and not event.implicit[0]):
            return YNode(event.value, mark.line + 1, mark.column + 1, _STR, event.value)
        tag, value = _typed_scalar(event.value, tag)
        return YNode(value, mark.line + 1, mark.column + 1, tag, event.value)

    def _add(self, node: YNode) -> None:
        if not self.stack:
            self.result = node
            return
        parent, pending = self.stack[-1]
        if isinstance(parent.value, list):
            parent.value.append(node)
            return
        if not pending:
            if not node.is_scalar:
                self._fail(_Mark(node), "mapping keys must be plain text")
            pending.append(node)
            return
        key_node = pending.pop()
        key = key_node.raw if key_node.tag != "tag:yaml.org,2002:null" or key_node.raw else "null"
        if key in parent.value:
            first = parent.keys[key]
            raise InputError([Problem(self.name, key_node.line, key_node.column,
                                      f"duplicate key {key!r} (first defined at line {first.line})")])
        parent.value[key] = node
        parent.keys[key] = key_node


class _Mark:
    def __init__(self, node: YNode):
        self.line, self.column = node.line - 1, node.column - 1
