"""The plain, frozen data every stage passes on: model, answers, brand.

Loading and validation build these; scoring and planning only read them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Mapping

ANSWER_VALUES = ("yes", "partial", "no", "n/a")
CREDIT = MappingProxyType({"yes": 1.0, "partial": 0.5, "no": 0.0})


@dataclass(frozen=True)
class Level:
    number: int
    name: str
    focus: str
    tools: tuple[str, ...]
    next_step: str
    description: str = ""


@dataclass(frozen=True)
class Capability:
    id: str
    dimension: str
    level: int
    title: str
    question: str
    why: str
    how: str
    effort: float
    requires: tuple[str, ...] = ()
    tools: tuple[str, ...] = ()


@dataclass(frozen=True)
class Dimension:
    id: str
    name: str
    description: str
    capabilities: tuple[Capability, ...]


@dataclass(frozen=True)
class AntiPattern:
    id: str
    title: str
    question: str
    caps_level: int
    why: str
    instead: str


@dataclass(frozen=True)
class Model:
    id: str
    version: str
    title: str
    description: str
    mastery_share: float
    levels: tuple[Level, ...]
    dimensions: tuple[Dimension, ...]
    anti_patterns: tuple[AntiPattern, ...]
    source: str = ""  # where it was loaded from: "built-in" or a path

    # Indexes derived once in __post_init__; not part of equality.
    capabilities: Mapping[str, Capability] = field(init=False, repr=False, compare=False)
    anti_pattern_index: Mapping[str, AntiPattern] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        caps = {c.id: c for d in self.dimensions for c in d.capabilities}
        object.__setattr__(self, "capabilities", MappingProxyType(caps))
        object.__setattr__(self, "anti_pattern_index", MappingProxyType({a.id: a for a in self.anti_patterns}))

    def level(self, number: int) -> Level:
        return self.levels[number - 1]

    def dimension(self, dimension_id: str) -> Dimension:
        return next(d for d in self.dimensions if d.id == dimension_id)


@dataclass(frozen=True)
class Answer:
    """One answer: `value` is yes/partial/no/n/a; position kept for later messages."""

    id: str
    value: str
    evidence: str = ""
    note: str = ""
    line: int = 0


@dataclass(frozen=True)
class Answers:
    team: str
    answers: Mapping[str, Answer]
    organization: str = ""
    assessed_on: str = ""
    assessor: str = ""
    target_level: int | None = None
    model: str = ""
    path: str = ""

    def value(self, item_id: str) -> str | None:
        answer = self.answers.get(item_id)
        return answer.value if answer else None


@dataclass(frozen=True)
class Brand:
    firm: str = "reportgen"
    primary_color: str = "#1f3a5f"
    accent_color: str = "#d9822b"
    contact: str = ""
    confidentiality: str = "Confidential"
    footer: str = ""
    logo_path: str = ""  # absolute path inside the brand folder, or ""
    folder: str = ""     # the brand file's folder: the only place brand assets are read from
