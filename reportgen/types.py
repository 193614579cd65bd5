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
    core: bool = False      # defines its level: must be at least partial for the level to be mastered
    control: bool = False   # a control a regulator asks for: ranks first among equals when regulated
    # How-to-start steps for particular platforms ((platform, text), ...); `how` is the neutral default.
    how_variants: tuple[tuple[str, str], ...] = ()

    def how_for(self, platform: str) -> str:
        """The how-to-start steps for a platform, or the neutral default."""
        return dict(self.how_variants).get(platform, self.how)


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
    effort: float = 0.0     # person-weeks to stop the practice
    control: bool = False   # it defeats a control a regulator asks for: ranks first among risks when regulated


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
    min_answered: float = 0.8   # below this share of questions answered, a result is preliminary

    # Indexes derived once in __post_init__; not part of equality.
    capabilities: Mapping[str, Capability] = field(init=False, repr=False, compare=False)
    anti_pattern_index: Mapping[str, AntiPattern] = field(init=False, repr=False, compare=False)
    # Capabilities per level 2..5, in model order (level 1 is the floor and holds none).
    by_level: Mapping[int, tuple[Capability, ...]] = field(init=False, repr=False, compare=False)
    # Every prerequisite of each capability, directly or not, nearest first.
    closure: Mapping[str, tuple[str, ...]] = field(init=False, repr=False, compare=False)
    position: Mapping[str, int] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        caps = {c.id: c for d in self.dimensions for c in d.capabilities}
        object.__setattr__(self, "capabilities", MappingProxyType(caps))
        object.__setattr__(self, "anti_pattern_index", MappingProxyType({a.id: a for a in self.anti_patterns}))
        by_level = {n: tuple(c for c in caps.values() if c.level == n) for n in range(2, 6)}
        object.__setattr__(self, "by_level", MappingProxyType(by_level))
        closure = {}
        for cap_id in caps:
            seen: dict[str, None] = {}
            queue = list(caps[cap_id].requires)
            while queue:
                req = queue.pop(0)
                if req not in seen and req in caps:
                    seen[req] = None
                    queue.extend(caps[req].requires)
            closure[cap_id] = tuple(seen)
        object.__setattr__(self, "closure", MappingProxyType(closure))
        positions = {item_id: i for i, item_id in enumerate([*caps, *(a.id for a in self.anti_patterns)])}
        object.__setattr__(self, "position", MappingProxyType(positions))

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


PLATFORMS = ("kubernetes", "sagemaker", "vertex-ai", "azure-ml", "databricks", "other")


@dataclass(frozen=True)
class Context:
    """What the team told us about itself: tailors wording, weeks, dates and ranking, never a level."""

    platform: str = ""              # one of PLATFORMS, or "" when not given
    team_size: int | None = None    # people delivering ML to production
    capacity: float | None = None   # person-weeks per week the team can invest in the roadmap
    regulated: bool = False         # personal, financial or health data, or a regulator to answer to


@dataclass(frozen=True)
class Narrative:
    """The assessor's own words, shown literally after the computed verdict."""

    summary: str = ""
    findings: tuple[str, ...] = ()
    risks: tuple[str, ...] = ()
    next_steps: tuple[str, ...] = ()


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
    context: Context = Context()
    narrative: Narrative = Narrative()

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
    rate: float | None = None   # price of one person-week, to cost the roadmap
    currency: str = ""
    generator_line: bool = True  # "Report generated by reportgen x.y" in the methodology appendix
