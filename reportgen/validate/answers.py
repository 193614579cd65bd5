"""Validate an answers file against a model and build the frozen `Answers`."""

from __future__ import annotations

import datetime as dt
import re

from ..load import YNode
from ..types import ANSWER_VALUES, PLATFORMS, Answer, Answers, Context, Model, Narrative
from .common import Collector, describe, did_you_mean

ANSWERS_KEYS = ("team", "organization", "assessed_on", "assessor", "target_level", "model", "context",
                "narrative", "answers")
CONTEXT_KEYS = ("platform", "team_size", "capacity", "regulated")
NARRATIVE_KEYS = ("summary", "findings", "risks", "next_steps")
TEXT_LIMIT = 5000
ENTRY_KEYS = ("answer", "evidence", "note")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_SPELLINGS = {"yes": "yes", "y": "yes", "true": "yes", "partial": "partial", "partly": "partial",
              "no": "no", "n": "no", "false": "no", "n/a": "n/a", "na": "n/a"}


def model_reference(root: YNode | None) -> tuple[str, YNode | None]:
    """The answers file's own `model:` field, read before the model is loaded."""
    if root is None or not root.is_map:
        return "", None
    node = root.value.get("model")
    if node is None or not node.is_scalar or node.tag == "tag:yaml.org,2002:null":
        return "", node
    return node.raw.strip(), node


def build_answers(root: YNode | None, path: str, model: Model, *, strict: bool = False) -> Answers:
    c = Collector(path)
    fields = c.mapping(root, "an answers file")
    if fields is None:
        c.check()
    c.unknown_keys(root, ANSWERS_KEYS, "the answers file")

    team = c.text(fields, "team", "answers file", required=True, max_len=200)
    assessed_on = c.text(fields, "assessed_on", "answers file")
    if assessed_on and not _valid_date(assessed_on):
        c.error(fields["assessed_on"], f"'assessed_on' must be a date written YYYY-MM-DD, found {assessed_on!r}")
        assessed_on = ""
    target = c.integer(fields, "target_level", "answers file", 1, 5)

    answers: dict[str, Answer] = {}
    node = fields.get("answers")
    if node is not None and node.tag != "tag:yaml.org,2002:null":
        entries = c.mapping(node, "'answers'")
        known = list(model.capabilities) + list(model.anti_pattern_index)
        for item_id, value_node in (entries or {}).items():
            key_node = node.keys[item_id]
            if item_id not in model.capabilities and item_id not in model.anti_pattern_index:
                c.error(key_node, f"unknown question id {item_id!r} in model {model.id!r}{did_you_mean(item_id, known)}")
                continue
            answer = _entry(c, item_id, value_node)
            if answer is not None:
                answers[item_id] = answer

    context = _context(c, fields.get("context"))
    narrative = _narrative(c, fields.get("narrative"))

    if strict:
        where = root.keys.get("answers", root)  # the `answers:` line, where they belong
        for item_id in list(model.capabilities) + list(model.anti_pattern_index):
            if item_id not in answers:
                c.error(where, f"{item_id!r} is not answered (--strict)")
    c.check()
    return Answers(
        team=team,
        answers=answers,
        organization=c.text(fields, "organization", "answers file", max_len=200),
        assessed_on=assessed_on,
        assessor=c.text(fields, "assessor", "answers file", max_len=200),
        target_level=target,
        model=model_reference(root)[0],
        path=path,
        context=context,
        narrative=narrative,
    )


def _absent(node: YNode | None) -> bool:
    return node is None or node.tag == "tag:yaml.org,2002:null"


def _section(c: Collector, node: YNode | None, name: str, keys: tuple[str, ...]) -> dict[str, YNode] | None:
    """An optional mapping of known keys (`context:`, `narrative:`); None when absent or not a mapping."""
    if _absent(node):
        return None
    fields = c.mapping(node, f"'{name}'")
    if fields is not None:
        c.unknown_keys(node, keys, f"'{name}'")
    return fields


def _context(c: Collector, node: YNode | None) -> Context:
    fields = _section(c, node, "context", CONTEXT_KEYS)
    if fields is None:
        return Context()
    platform = c.text(fields, "platform", "context").lower()
    if platform and platform not in PLATFORMS:
        c.error(fields["platform"], f"context: 'platform' must be one of {', '.join(PLATFORMS)}, "
                                    f"found {platform!r}{did_you_mean(platform, PLATFORMS)}")
        platform = ""
    capacity = None
    if not _absent(fields.get("capacity")):
        capacity = c.number(fields, "capacity", "context", 0.01, 1000, 0.0) or None
    return Context(
        platform=platform,
        team_size=c.integer(fields, "team_size", "context", 1, 100_000),
        capacity=capacity,
        regulated=c.boolean(fields, "regulated", "context"),
    )


def _narrative(c: Collector, node: YNode | None) -> Narrative:
    fields = _section(c, node, "narrative", NARRATIVE_KEYS)
    if fields is None:
        return Narrative()

    def paragraphs(key: str) -> tuple[str, ...]:
        item = fields.get(key)
        if not _absent(item) and item.is_scalar:  # one paragraph written without a list
            return (c.text(fields, key, "narrative", max_len=TEXT_LIMIT),)
        texts = c.text_list(fields, key, "narrative")
        for text, text_node in texts:
            if len(text) > TEXT_LIMIT:
                c.error(text_node, f"narrative: an entry of {key!r} is longer than {TEXT_LIMIT} characters")
        return tuple(t[:TEXT_LIMIT] for t, _ in texts if t)

    return Narrative(
        summary=c.text(fields, "summary", "narrative", max_len=TEXT_LIMIT),
        findings=paragraphs("findings"),
        risks=paragraphs("risks"),
        next_steps=paragraphs("next_steps"),
    )


def _valid_date(text: str) -> bool:
    if not _DATE.match(text):
        return False
    try:
        dt.date.fromisoformat(text)
    except ValueError:
        return False
    return True


def _answer_value(c: Collector, item_id: str, node: YNode) -> str | None:
    """yes/partial/no/n/a from a scalar; YAML booleans mean yes/no. None = unanswered."""
    if node.tag == "tag:yaml.org,2002:null":
        return None
    if node.tag == "tag:yaml.org,2002:bool":
        return "yes" if node.value else "no"
    if node.is_scalar:
        value = _SPELLINGS.get(node.raw.strip().lower())
        if value is not None:
            return value
    c.error(node, f"answer to {item_id!r} must be one of {', '.join(ANSWER_VALUES)}, found {describe(node)}")
    return None


def _entry(c: Collector, item_id: str, node: YNode) -> Answer | None:
    if not node.is_map:
        value = _answer_value(c, item_id, node)
        return Answer(item_id, value, line=node.line) if value else None
    c.unknown_keys(node, ENTRY_KEYS, f"the answer to {item_id!r}")
    fields = node.value
    if "answer" not in fields:
        c.error(node, f"answer to {item_id!r}: 'answer' is required (yes, partial, no or n/a)")
        return None
    value = _answer_value(c, item_id, fields["answer"])
    evidence = c.text(fields, "evidence", f"answer to {item_id!r}", max_len=TEXT_LIMIT)
    note = c.text(fields, "note", f"answer to {item_id!r}", max_len=TEXT_LIMIT)
    return Answer(item_id, value, evidence, note, node.line) if value else None
