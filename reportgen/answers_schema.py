"""The JSON Schema of an answers file for a given model (for editors' YAML language servers)."""

from __future__ import annotations

from typing import Any

from .types import PLATFORMS, Model

_VALUE = {"description": "yes, partial, no or n/a (YAML booleans mean yes/no)",
          "anyOf": [{"enum": ["yes", "partial", "no", "n/a"]}, {"type": "boolean"}, {"type": "null"}]}


def _any_case(words: tuple[str, ...] | list[str]) -> str:
    """A JSON Schema pattern matching the words in any letter case (ECMA regexes have no (?i))."""
    def one(word: str) -> str:
        return "".join(f"[{ch.lower()}{ch.upper()}]" if ch.isalpha() else ("\\" + ch if ch in ".-/" else ch)
                       for ch in word)
    return "^(" + "|".join(one(w) for w in words) + ")$"


# What the validator reads as true or false, as an editor's YAML 1.2 parser sees it: real booleans,
# and YAML 1.1's yes/no/on/off (strings to YAML 1.2), in any case.
_BOOLEAN = {"anyOf": [{"type": "boolean"}, {"type": "string", "pattern": _any_case(["yes", "no", "on", "off",
                                                                                     "true", "false"])},
                      {"type": "null"}]}
_TEXTS = {"anyOf": [{"type": "array", "items": {"type": "string"}}, {"type": "string"}, {"type": "null"}]}


def answers_schema(model: Model) -> dict[str, Any]:
    items: dict[str, Any] = {}
    for dim in model.dimensions:
        for cap in dim.capabilities:
            core = ", core" if cap.core else ""
            items[cap.id] = _entry(f"[{dim.name}, level {cap.level}{core}] {cap.title}: {cap.question}")
    for ap in model.anti_patterns:
        items[ap.id] = _entry(f"[practice to stop, caps at level {ap.caps_level}] {ap.title}: {ap.question}")
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": f"reportgen answers ({model.id} {model.version})",
        "type": "object",
        "required": ["team"],
        "additionalProperties": False,
        "properties": {
            "team": {"type": "string", "minLength": 1, "description": "The team assessed (required)."},
            "organization": {"type": ["string", "null"]},
            "assessed_on": {"description": "YYYY-MM-DD; the only date the report shows.",
                            "anyOf": [{"type": "string", "pattern": r"^\d{4}-\d{2}-\d{2}$"}, {"type": "null"}]},
            "assessor": {"type": ["string", "null"]},
            "target_level": {"type": ["integer", "null"], "minimum": 1, "maximum": 5},
            "model": {"type": ["string", "null"], "description": "A built-in model id or a path to a model YAML."},
            "context": {
                "description": "Tailors the advice, the calendar and the risks; never the level.",
                "type": ["object", "null"], "additionalProperties": False,
                "properties": {
                    "platform": {"anyOf": [{"type": "string", "pattern": _any_case(PLATFORMS)}, {"type": "null"}],
                                 "description": "Where the team's models run; picks platform-specific steps."},
                    "team_size": {"type": ["integer", "null"], "minimum": 1, "maximum": 100_000,
                                  "description": "People delivering ML to production."},
                    "capacity": {"anyOf": [{"type": "number", "minimum": 0.01, "maximum": 1000}, {"type": "null"}],
                                 "description": "Person-weeks per week the team can invest in the roadmap."},
                    "regulated": {**_BOOLEAN,
                                  "description": "Personal, financial or health data, or a regulator to answer to."},
                },
            },
            "narrative": {
                "description": "The assessor's own words, shown literally after the computed verdict.",
                "type": ["object", "null"], "additionalProperties": False,
                "properties": {
                    "summary": {"type": ["string", "null"]},
                    "findings": _TEXTS, "risks": _TEXTS, "next_steps": _TEXTS,
                },
            },
            "answers": {"type": ["object", "null"], "additionalProperties": False, "properties": items},
        },
    }


def _entry(description: str) -> dict[str, Any]:
    return {
        "description": description,
        "anyOf": [
            _VALUE,
            {"type": "object", "required": ["answer"], "additionalProperties": False,
             "properties": {"answer": _VALUE, "evidence": {"type": "string"}, "note": {"type": "string"}}},
        ],
    }
