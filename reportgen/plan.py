"""Planning: the path up, what to stop, what to start, and in which order to invest. Pure; no I/O.

The rules (README, "How the level is computed"):
  path up = a smallest-effort set of unmet capabilities and practised anti-patterns whose
            completion raises the overall level by one, closed under prerequisites and minimal;
  stop    = every practised anti-pattern, and every capability built (yes or partial) while one
            of its prerequisites, directly or not, is absent (no or unanswered): premature;
  roadmap = one phase per level from overall + 1 to the target (one "consolidate" phase when
            the target is the overall level), each holding the unmet capabilities of its level
            and those below not yet placed, prerequisites first, the path up leading phase 1;
  start   = the first phase's items that are not on the stop list.
"""

from __future__ import annotations

import datetime as dt
import heapq
import math
from dataclasses import dataclass
from typing import Iterable, Mapping

from .score import ABSENT, IN_PLACE, MAX_LEVEL, PRACTISED, Score, level_status, practice_limit
from .types import CREDIT, Context, Model

UNMET = ("no", "partial")
# Without `context.capacity`: a quarter of the team's time when its size is known, else one
# person-week a week (README, "Context"); the report says which it used.
DEFAULT_CAPACITY = 1.0
DEFAULT_SHARE_OF_TEAM = 0.25


def capacity_of(context: Context) -> tuple[float, str]:
    """Person-weeks per week for the calendar, and where the figure comes from."""
    if context.capacity:
        return context.capacity, "context"
    if context.team_size:
        return context.team_size * DEFAULT_SHARE_OF_TEAM, "team size"
    return DEFAULT_CAPACITY, "default"


@dataclass(frozen=True)
class StopItem:
    id: str
    kind: str                       # "anti-pattern" | "premature"
    missing: tuple[str, ...] = ()   # premature: its absent prerequisites, in roadmap order
    resume_phase: int | None = None  # premature: the phase holding the last of them (None beyond target)


@dataclass(frozen=True)
class Phase:
    number: int
    level: int
    kind: str                       # "reach" | "consolidate"
    items: tuple[str, ...]          # capability ids, in order
    effort: float                   # remaining effort: partial items count half
    stop: tuple[str, ...]           # practised anti-patterns that must stop before this level counts
    weeks: float = 0.0              # effort / capacity (see capacity_of)
    starts_on: str | None = None    # with assessed_on
    ends_on: str | None = None
    cost: float | None = None       # with a rate


@dataclass(frozen=True)
class Plan:
    target_level: int
    requested_target: int
    capacity: float                 # person-weeks per week behind the phases' weeks
    capacity_source: str            # "context" | "team size" | "default"
    path_up: tuple[str, ...]        # capability and anti-pattern ids, walkable in order
    stop: tuple[StopItem, ...]
    start: tuple[str, ...]
    roadmap: tuple[Phase, ...]
    warnings: tuple[str, ...]


def default_target(overall: int) -> int:
    return min(overall + 2, MAX_LEVEL)


def remaining_effort(model: Model, values: Mapping[str, str], item_id: str) -> float:
    """Effort still to spend: a partial capability is half done; stopping a practice costs its effort."""
    cap = model.capabilities.get(item_id)
    if cap is None:
        return model.anti_pattern_index[item_id].effort
    return cap.effort * (0.5 if values[item_id] == "partial" else 1.0)


def absent_prerequisites(model: Model, values: Mapping[str, str], cap_id: str) -> list[str]:
    """Prerequisites, directly or not, answered no or left unanswered."""
    return [r for r in model.closure[cap_id] if values[r] in ABSENT]


# -- the path up ---------------------------------------------------------------------------------

def path_up(model: Model, score: Score) -> tuple[str, ...]:
    """Items whose completion raises the overall level by at least one (empty at level 5)."""
    overall = score.overall_level
    if overall >= MAX_LEVEL:
        return ()
    values = score.values
    target = overall + 1
    practices = [a for a in score.practised
                 if practice_limit(model.anti_pattern_index[a].caps_level, values[a]) < target]
    chosen: dict[str, None] = {}
    if score.gated_level < target:
        chosen = _capabilities_to_master(model, values, target)
    return (*_walk_order(model, values, list(chosen)), *practices)


def _capabilities_to_master(model: Model, values: Mapping[str, str], level: int) -> dict[str, None]:
    """A low-effort, minimal set of capabilities (closed under prerequisites) that masters `level`.

    Greedy by credit gained per person-week, then pruned until no item can be dropped; every
    level below is mastered already and stays so, since answers only improve.
    """
    caps_here = model.by_level[level]
    share = model.mastery_share
    chosen: dict[str, None] = {}

    def with_chosen() -> dict[str, str]:
        return {**values, **{c: "yes" for c in chosen}}

    def closure_of(cap_id: str) -> list[str]:
        needed = [r for r in model.closure[cap_id] if values[r] not in IN_PLACE and r not in chosen]
        return [*needed, cap_id] if cap_id not in chosen else needed

    def mastered(trial: Mapping[str, str]) -> bool:
        return level_status(caps_here, trial, level, share).mastered

    for cap in caps_here:   # core capabilities cannot be skipped
        if cap.core and values[cap.id] in ABSENT:
            chosen.update(dict.fromkeys(closure_of(cap.id)))
    while not mastered(with_chosen()):
        best: tuple[tuple[float, int, int], list[str]] | None = None
        for cap in caps_here:
            if values[cap.id] not in UNMET or cap.id in chosen:
                continue
            added = closure_of(cap.id)
            gain = sum(1 - CREDIT[values[a]] for a in added if model.capabilities[a].level == level)
            cost = sum(remaining_effort(model, values, a) for a in added)
            ratio = gain / cost if cost > 0 else math.inf
            key = (-ratio, -sum(model.capabilities[a].core for a in added), model.position[cap.id])
            if best is None or key < best[0]:
                best = (key, added)
        if best is None:    # nothing left to add: cannot happen for a well-formed level
            break
        chosen.update(dict.fromkeys(best[1]))

    # Minimal: drop what the level does not need, most effort first, unless another item needs it.
    for cap_id in sorted(chosen, key=lambda c: (-remaining_effort(model, values, c), -model.position[c])):
        needed_by_others = any(cap_id in model.closure[other] for other in chosen if other != cap_id)
        if needed_by_others:
            continue
        del chosen[cap_id]
        if not mastered(with_chosen()):
            chosen[cap_id] = None
    return chosen


# -- ordering ------------------------------------------------------------------------------------

def _walk_order(model: Model, values: Mapping[str, str], cap_ids: list[str],
                context: Context = Context()) -> tuple[str, ...]:
    """Prerequisites before dependents; among ready items, those leading to a core item first, then
    the lower level, then (when regulated) controls, then value for effort, then model order."""
    chosen = set(cap_ids)
    dependents: dict[str, list[str]] = {c: [] for c in chosen}
    waiting: dict[str, int] = {}
    for cap_id in chosen:
        # Wait on every chosen prerequisite, direct or not, so a chain through an item in place
        # (A needs B, in place; B needs C, unmet) still puts C before A.
        reqs = [r for r in model.closure[cap_id] if r in chosen]
        waiting[cap_id] = len(reqs)
        for req in reqs:
            dependents[req].append(cap_id)
    downstream = {c: sum(1 for other in chosen if c in model.closure[other]) for c in chosen}
    leads_to_core = {c for c in chosen if model.capabilities[c].core
                     or any(model.capabilities[o].core and c in model.closure[o] for o in chosen)}

    def key(cap_id: str) -> tuple[int, int, int, float, int]:
        cap = model.capabilities[cap_id]
        effort = remaining_effort(model, values, cap_id)
        ratio = (1 + downstream[cap_id]) / effort if effort > 0 else math.inf
        control_first = 0 if (context.regulated and cap.control) else 1
        return (0 if cap_id in leads_to_core else 1, cap.level, control_first, -ratio, model.position[cap_id])

    ready = [(key(c), c) for c in chosen if waiting[c] == 0]
    heapq.heapify(ready)
    ordered = []
    while ready:
        _, cap_id = heapq.heappop(ready)
        ordered.append(cap_id)
        for dep in dependents[cap_id]:
            waiting[dep] -= 1
            if waiting[dep] == 0:
                heapq.heappush(ready, (key(dep), dep))
    return tuple(ordered)


def _phase_order(model: Model, values: Mapping[str, str], cap_ids: Iterable[str], path: tuple[str, ...],
                 context: Context) -> tuple[str, ...]:
    """The path up first (it is closed under prerequisites), then the rest; each walkable in order."""
    cap_ids = list(cap_ids)
    on_path = set(path)
    first = _walk_order(model, values, [c for c in cap_ids if c in on_path], context)
    rest = _walk_order(model, values, [c for c in cap_ids if c not in on_path], context)
    return first + rest


# -- roadmap, stop and start ---------------------------------------------------------------------

def roadmap(model: Model, score: Score, target: int, path: tuple[str, ...],
            context: Context = Context(), assessed_on: str = "", rate: float | None = None) -> tuple[Phase, ...]:
    overall = score.overall_level
    values = score.values
    unmet = [c for c in model.capabilities.values() if values[c.id] in UNMET]
    if target <= overall:
        groups = [(target, "consolidate", [c.id for c in unmet if c.level <= target])]
    else:
        groups = [(level, "reach", [c.id for c in unmet if c.level == level or (i == 0 and c.level < level)])
                  for i, level in enumerate(range(overall + 1, target + 1))]
    phases = []
    stopped: set[str] = set()
    start_day = dt.date.fromisoformat(assessed_on) if assessed_on else None
    for number, (level, kind, cap_ids) in enumerate(groups, start=1):
        items = _phase_order(model, values, cap_ids, path, context)
        effort = sum(remaining_effort(model, values, c) for c in items)
        stop = tuple(a for a in score.practised if a not in stopped
                     and practice_limit(model.anti_pattern_index[a].caps_level, values[a]) < level)
        stopped.update(stop)
        effort += sum(model.anti_pattern_index[a].effort for a in stop)
        weeks = effort / capacity_of(context)[0]
        starts_on = ends_on = None
        if start_day is not None:
            end_day = start_day + dt.timedelta(days=math.ceil(weeks * 7))
            starts_on, ends_on = start_day.isoformat(), end_day.isoformat()
            start_day = end_day
        cost = effort * rate if rate else None
        phases.append(Phase(number, level, kind, items, effort, stop, weeks, starts_on, ends_on, cost))
    return tuple(phases)


def stop_list(model: Model, score: Score, phases: tuple[Phase, ...]) -> tuple[StopItem, ...]:
    values = score.values
    phase_of = {c: p.number for p in phases for c in p.items}
    order = {c: i for i, c in enumerate(c for p in phases for c in p.items)}
    items = [StopItem(a, "anti-pattern") for a in score.practised]
    for cap in model.capabilities.values():
        if values[cap.id] not in PRACTISED:
            continue
        missing = absent_prerequisites(model, values, cap.id)
        if not missing:
            continue
        missing.sort(key=lambda c: (order.get(c, len(order)), model.position[c]))
        beyond = any(c not in phase_of for c in missing)
        resume = None if beyond else max(phase_of[c] for c in missing)
        items.append(StopItem(cap.id, "premature", tuple(missing), resume))
    return tuple(items)


def plan(model: Model, score: Score, target: int | None = None, *, context: Context = Context(),
         assessed_on: str = "", rate: float | None = None) -> Plan:
    requested = default_target(score.overall_level) if target is None else target
    warnings = []
    chosen_target = requested
    if requested < score.overall_level:
        warnings.append(f"target level {requested} is below the current level {score.overall_level}; "
                        f"planning to consolidate level {score.overall_level} instead")
        chosen_target = score.overall_level
    path = path_up(model, score)
    phases = roadmap(model, score, chosen_target, path, context, assessed_on, rate)
    stop = stop_list(model, score, phases)
    stopped = {s.id for s in stop}
    start = tuple(c for c in phases[0].items if c not in stopped) if phases else ()
    capacity, source = capacity_of(context)
    return Plan(chosen_target, requested, capacity, source, path, stop, start, phases, tuple(warnings))
