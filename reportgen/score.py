"""Scoring: answers -> levels. Pure functions over frozen data; no I/O.

The rules (SPEC, "Scoring"):
  credit yes 1, partial 0.5, no (or unanswered) 0; n/a is left out of the count;
  a dimension masters a level when its applicable capabilities there earn at least
  the model's mastery share; its level is the highest L with every level 2..L
  mastered (gated); the overall level is the weakest dimension, capped by every
  practised anti-pattern's `caps_level`.
"""

from __future__ import annotations

from dataclasses import dataclass

from .types import CREDIT, Answers, Capability, Model

PRACTISED = ("yes", "partial")


@dataclass(frozen=True)
class LevelShare:
    level: int
    earned: float       # credit earned by applicable capabilities at this level
    applicable: int     # capabilities not answered n/a
    mastered: bool

    @property
    def share(self) -> float:
        return self.earned / self.applicable if self.applicable else 1.0


@dataclass(frozen=True)
class DimensionScore:
    id: str
    name: str
    level: int
    levels: tuple[LevelShare, ...]   # levels 2..5
    missing: tuple[str, ...]         # unmet capabilities at the next level (empty at 5)


@dataclass(frozen=True)
class Score:
    overall_level: int
    weakest_dimension_level: int
    dimensions: tuple[DimensionScore, ...]
    practised: tuple[str, ...]       # anti-patterns answered yes or partial
    held_back_by: tuple[str, ...]
    unanswered: tuple[str, ...]
    values: dict[str, str]           # every model item -> yes/partial/no/n/a (unanswered read as no)

    def is_met(self, cap_id: str) -> bool:
        return self.values[cap_id] in ("yes", "n/a")


def effective_values(model: Model, answers: Answers) -> tuple[dict[str, str], tuple[str, ...]]:
    """Every capability and anti-pattern's answer, with unanswered ones read as `no`."""
    values: dict[str, str] = {}
    unanswered = []
    for item_id in [*model.capabilities, *model.anti_pattern_index]:
        value = answers.value(item_id)
        if value is None:
            unanswered.append(item_id)
            value = "no"
        values[item_id] = value
    return values, tuple(unanswered)


def level_share(caps: list[Capability], values: dict[str, str], level: int, mastery_share: float) -> LevelShare:
    applicable = [c for c in caps if values[c.id] != "n/a"]
    earned = sum(CREDIT[values[c.id]] for c in applicable)
    # Compare with a little slack so that 3 x 0.25 does not miss 0.75 by rounding.
    mastered = not applicable or earned + 1e-9 >= mastery_share * len(applicable)
    return LevelShare(level, earned, len(applicable), mastered)


def score(model: Model, answers: Answers) -> Score:
    values, unanswered = effective_values(model, answers)
    dimensions = []
    for dim in model.dimensions:
        shares = tuple(
            level_share([c for c in dim.capabilities if c.level == lvl], values, lvl, model.mastery_share)
            for lvl in range(2, 6)
        )
        level = 1
        for share in shares:
            if not share.mastered:
                break
            level = share.level
        missing = tuple(
            c.id for c in dim.capabilities
            if c.level == level + 1 and values[c.id] not in ("yes", "n/a")
        )
        dimensions.append(DimensionScore(dim.id, dim.name, level, shares, missing))

    weakest = min((d.level for d in dimensions), default=5)
    practised = tuple(a.id for a in model.anti_patterns if values[a.id] in PRACTISED)
    overall = min([weakest, *(model.anti_pattern_index[a].caps_level for a in practised)])
    held_back_by = tuple(
        [d.id for d in dimensions if d.level == overall]
        + [a for a in practised if model.anti_pattern_index[a].caps_level == overall]
    )
    return Score(overall, weakest, tuple(dimensions), practised, held_back_by, unanswered, values)
