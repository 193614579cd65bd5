"""Validate an answers file against a model and build the frozen `Answers`."""

from __future__ import annotations

import datetime as dt
import re

from ..load import YNode
from ..types import ANSWER_VALUES, Answer, Answers, Model
from .common import Collector, describe, did_you_mean

ANSWERS_KEYS = ("team", "organization", "assessed_on", "assessor", "target_level", "model", "answers")
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
    evidence = c.text(fields, "evidence", f"answer to {item_id!r}", max_len=5000)
    note = c.text(fields, "note", f"answer to {item_id!r}", max_len=5000)
    return Answer(item_id, value, evidence, note, node.line) if value else None
