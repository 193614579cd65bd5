"""Scoring: answers -> levels. Pure functions over frozen data; no I/O.

The rules (README, "How the level is computed"):
  credit yes 1, partial 0.5, no or unanswered 0; n/a is left out of the count, except on a
  core capability, which cannot be not applicable and counts as no;
  a level is mastered when its applicable capabilities, across all dimensions, earn at least
  the model's mastery share of their credit and each of its core capabilities is at least partial;
  the gated level is the highest L with every level 2..L mastered, and the overall level is
  the gated level capped by each practised anti-pattern (at its `caps_level` when practised
  fully, one level higher when partly);
  a dimension's level follows the same rules over its own capabilities, without the caps, and
  a level where it has nothing applicable counts only once the team's gated level reaches it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Mapping

from .types import CREDIT, Answers, Capability, Model

MAX_LEVEL = 5
PRACTISED = ("yes", "partial")
IN_PLACE = ("yes", "n/a")    # a prerequisite answered so is in place
ABSENT = ("no",)             # unanswered reads as no; partial is work under way, neither


@dataclass(frozen=True)
class LevelStatus:
    number: int
    mastered: bool
    credit: float                   # credit earned by the applicable capabilities at this level
    applicable: int                 # capabilities not answered n/a (the credit available)
    core_missing: tuple[str, ...]   # core capabilities at this level answered no or left unanswered

    @property
    def share(self) -> float:
        return self.credit / self.applicable if self.applicable else 1.0


@dataclass(frozen=True)
class DimensionScore:
    id: str
    name: str
    level: int
    levels: tuple[LevelStatus, ...]   # levels 2..5, over this dimension's capabilities
    missing: tuple[str, ...]          # unmet capabilities at the dimension's next level (empty at 5)


@dataclass(frozen=True)
class Score:
    overall_level: int
    gated_level: int                  # before the anti-pattern caps
    levels: tuple[LevelStatus, ...]   # levels 2..5, across all dimensions
    dimensions: tuple[DimensionScore, ...]
    practised: tuple[str, ...]        # anti-patterns answered yes or partial, in model order
    capped_by: tuple[str, ...]        # practised anti-patterns whose limit is below the gated level
    unanswered: tuple[str, ...]
    values: Mapping[str, str]         # every item -> yes/partial/no/n/a as scored (unanswered -> no)
    answered: int                     # items with any answer, n/a included
    questions: int                    # capabilities and anti-patterns in the model
    preliminary: bool
    warnings: tuple[str, ...]

    def is_in_place(self, cap_id: str) -> bool:
        return self.values[cap_id] in IN_PLACE


def effective_values(model: Model, answers: Answers) -> tuple[dict[str, str], tuple[str, ...], tuple[str, ...]]:
    """Every item's answer as scored, the unanswered ids, and warnings about the answers."""
    values: dict[str, str] = {}
    unanswered = []
    warnings = []
    for item_id in [*model.capabilities, *model.anti_pattern_index]:
        given = answers.answers.get(item_id)
        if given is None:
            unanswered.append(item_id)
            values[item_id] = "no"
            continue
        value = given.value
        cap = model.capabilities.get(item_id)
        if value == "n/a" and cap is not None and cap.core:
            warnings.append(f"{item_id!r} is a core capability of level {cap.level} and cannot be "
                            "not applicable; its n/a counts as no")
            value = "no"
        elif value == "n/a" and not given.note:
            warnings.append(f"{item_id!r} is answered n/a without a note saying why")
        values[item_id] = value
    return values, tuple(unanswered), tuple(warnings)


def level_status(caps: tuple[Capability, ...] | list[Capability], values: Mapping[str, str], number: int,
                 mastery_share: float) -> LevelStatus:
    applicable = [c for c in caps if values[c.id] != "n/a"]
    credit = sum(CREDIT[values[c.id]] for c in applicable)
    core_missing = tuple(c.id for c in caps if c.core and values[c.id] in ABSENT)
    # A little slack, so that credit adding up to exactly the share is not missed by rounding.
    mastered = not core_missing and credit + 1e-9 >= mastery_share * len(applicable)
    return LevelStatus(number, mastered, credit, len(applicable), core_missing)


def gated(statuses: tuple[LevelStatus, ...] | list[LevelStatus]) -> int:
    """The highest level L such that every level 2..L is mastered (1 when level 2 is not)."""
    level = 1
    for status in statuses:
        if not status.mastered:
            break
        level = status.number
    return level


def practice_limit(caps_level: int, value: str) -> int:
    """The highest overall level a practice allows: its cap when practised fully, one more when partly."""
    if value == "yes":
        return caps_level
    if value == "partial":
        return min(caps_level + 1, MAX_LEVEL)
    return MAX_LEVEL


def overall_level(model: Model, values: Mapping[str, str]) -> int:
    """The overall level for a full set of scored values (used to test candidate paths up)."""
    statuses = [level_status(model.by_level[n], values, n, model.mastery_share) for n in range(2, MAX_LEVEL + 1)]
    limit = min((practice_limit(a.caps_level, values[a.id]) for a in model.anti_patterns), default=MAX_LEVEL)
    return min(gated(statuses), limit)


def score(model: Model, answers: Answers) -> Score:
    values, unanswered, warnings = effective_values(model, answers)
    share = model.mastery_share
    levels = tuple(level_status(model.by_level[n], values, n, share) for n in range(2, MAX_LEVEL + 1))
    gated_level = gated(levels)

    practised = tuple(a.id for a in model.anti_patterns if values[a.id] in PRACTISED)
    limits = {a: practice_limit(model.anti_pattern_index[a].caps_level, values[a]) for a in practised}
    overall = min([gated_level, *limits.values()])
    capped_by = tuple(a for a in practised if limits[a] < gated_level)

    dimensions = []
    for dim in model.dimensions:
        statuses = []
        for n in range(2, MAX_LEVEL + 1):
            status = level_status([c for c in dim.capabilities if c.level == n], values, n, share)
            if status.applicable == 0:
                # Nothing of this dimension applies here: the level counts only once the team has
                # reached it, so a concern that starts at level 4 does not read "3" for a team at 1.
                status = LevelStatus(n, gated_level >= n, 0.0, 0, status.core_missing)
            statuses.append(status)
        level = gated(statuses)
        missing = tuple(c.id for c in dim.capabilities if c.level == level + 1 and values[c.id] not in IN_PLACE)
        dimensions.append(DimensionScore(dim.id, dim.name, level, tuple(statuses), missing))

    questions = len(values)
    answered = questions - len(unanswered)
    preliminary = answered < model.min_answered * questions - 1e-9
    return Score(overall, gated_level, levels, tuple(dimensions), practised, capped_by, unanswered,
                 values, answered, questions, preliminary, warnings)
