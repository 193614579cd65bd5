"""Planning: what to stop, what to start, and in which order to invest. Pure; no I/O.

The rules (SPEC, "Scoring" 5-7):
  stop  = every practised anti-pattern, plus every capability built (yes/partial)
          at a level >= overall + 2: a premature investment;
  start = exactly the capabilities not fully met at levels <= overall + 1;
  roadmap = one phase per level from overall + 1 to the target (or one
          "consolidate" phase when the target is not above the overall level).
Within a list, prerequisites come first, then the best value for effort: value
is 1 + the number of planned capabilities that depend on it, directly or not.
"""

from __future__ import annotations

import functools
import heapq
from dataclasses import dataclass

from .score import PRACTISED, Score
from .types import Model

MAX_LEVEL = 5


@dataclass(frozen=True)
class StopItem:
    id: str
    kind: str                 # "anti-pattern" | "premature"
    first: tuple[str, ...]    # capability (or, failing those, practice) ids that must come first
    caps_level: int = 0       # anti-patterns: the level they cap the team at


@dataclass(frozen=True)
class Phase:
    number: int
    level: int
    kind: str                 # "reach" | "consolidate"
    items: tuple[str, ...]    # capability ids, in order
    effort: float
    stop: tuple[str, ...]     # anti-patterns that must be dropped to reach this level


@dataclass(frozen=True)
class Plan:
    target_level: int
    stop: tuple[StopItem, ...]
    start: tuple[str, ...]
    roadmap: tuple[Phase, ...]


def default_target(overall: int) -> int:
    return min(overall + 2, MAX_LEVEL)


def unmet(score: Score, cap_id: str) -> bool:
    """Not fully met: answered no or partial, or unanswered; n/a is never unmet."""
    return score.values[cap_id] in ("no", "partial")


def prerequisites(model: Model, cap_id: str) -> list[str]:
    """All prerequisites of a capability, transitively, nearest first, without repeats."""
    seen: dict[str, None] = {}
    queue = list(model.capabilities[cap_id].requires)
    while queue:
        req = queue.pop(0)
        if req not in seen:
            seen[req] = None
            queue.extend(model.capabilities[req].requires)
    return list(seen)


def order(model: Model, cap_ids: list[str]) -> tuple[str, ...]:
    """Prerequisites before dependents; among ready ones, lower level, then value for effort."""
    chosen = set(cap_ids)
    position = {cap_id: i for i, cap_id in enumerate(model.capabilities)}
    dependents: dict[str, list[str]] = {c: [] for c in chosen}
    waiting: dict[str, int] = {}
    for cap_id in chosen:
        reqs = [r for r in model.capabilities[cap_id].requires if r in chosen]
        waiting[cap_id] = len(reqs)
        for req in reqs:
            dependents[req].append(cap_id)

    @functools.cache
    def downstream(cap_id: str) -> int:
        seen: set[str] = set()
        stack = list(dependents[cap_id])
        while stack:
            node = stack.pop()
            if node not in seen:
                seen.add(node)
                stack.extend(dependents[node])
        return len(seen)

    def key(cap_id: str) -> tuple[int, float, int]:
        cap = model.capabilities[cap_id]
        value = 1 + downstream(cap_id)
        ratio = value / cap.effort if cap.effort > 0 else float("inf")
        return (cap.level, -ratio, position[cap_id])

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


def stop_list(model: Model, score: Score) -> tuple[StopItem, ...]:
    overall = score.overall_level
    items = []
    for ap_id in score.practised:
        anti_pattern = model.anti_pattern_index[ap_id]
        items.append(StopItem(ap_id, "anti-pattern", (), anti_pattern.caps_level))
    # What must come first, when a premature capability lacks no prerequisite of its own:
    # the gaps that hold the weakest dimensions back or, when only practices cap the
    # level, stopping those practices.
    next_gaps = order(model, [c for d in score.dimensions if d.level == overall for c in d.missing])
    capping = tuple(a for a in score.practised if model.anti_pattern_index[a].caps_level == overall)
    for cap in model.capabilities.values():
        if cap.level >= overall + 2 and score.values[cap.id] in PRACTISED:
            missing_prereqs = [r for r in prerequisites(model, cap.id) if unmet(score, r)]
            first = order(model, missing_prereqs) if missing_prereqs else (next_gaps or capping)
            items.append(StopItem(cap.id, "premature", first))
    return tuple(items)


def start_list(model: Model, score: Score) -> tuple[str, ...]:
    horizon = score.overall_level + 1
    return order(model, [c.id for c in model.capabilities.values()
                         if c.level <= horizon and unmet(score, c.id)])


def roadmap(model: Model, score: Score, target: int) -> tuple[Phase, ...]:
    overall = score.overall_level

    def phase(number: int, level: int, kind: str, cap_ids: list[str], stop: list[str]) -> Phase:
        items = order(model, cap_ids)
        effort = sum(model.capabilities[c].effort for c in items)
        return Phase(number, level, kind, items, effort, tuple(stop))

    if target <= overall:
        cap_ids = [c.id for c in model.capabilities.values() if c.level <= target and unmet(score, c.id)]
        return (phase(1, target, "consolidate", cap_ids, []),)
    phases = []
    for number, level in enumerate(range(overall + 1, target + 1), start=1):
        cap_ids = [c.id for c in model.capabilities.values()
                   if unmet(score, c.id) and (c.level == level or (number == 1 and c.level < level))]
        stop = [a for a in score.practised if model.anti_pattern_index[a].caps_level == level - 1]
        phases.append(phase(number, level, "reach", cap_ids, stop))
    return tuple(phases)


def plan(model: Model, score: Score, target: int | None = None) -> Plan:
    target = default_target(score.overall_level) if target is None else target
    return Plan(target, stop_list(model, score), start_list(model, score), roadmap(model, score, target))
