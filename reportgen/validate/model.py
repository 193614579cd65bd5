"""Validate a maturity model file and build the frozen `Model`."""

from __future__ import annotations

from ..load import YNode
from ..types import PLATFORMS, AntiPattern, Capability, Dimension, Level, Model
from .common import SLUG, Collector, did_you_mean

# The five levels of the model (SPEC): a custom model may restate them or omit them.
DEFAULT_LEVELS = (
    Level(1, "Manual", "Experimentation", ("Jupyter", "Local Python"), "Scripting & Versioning"),
    Level(2, "Repeatable", "Packaging", ("Docker", "Git", "MLflow"), "CI/CD & Basic Monitoring"),
    Level(3, "Operable", "Automation", ("Argo CD", "GitHub Actions"), "Governance & Scale"),
    Level(4, "Governed", "Multi-team leverage", ("Kubeflow", "Feature Stores"), "Self-service & Policy-as-Code"),
    Level(5, "Adaptive", "Optimization", ("KEDA", "Automated Retraining"), "Unit Economics & Efficiency"),
)
DEFAULT_MASTERY_SHARE = 0.6
DEFAULT_MIN_ANSWERED = 0.8

MODEL_KEYS = ("id", "version", "title", "description", "scoring", "levels", "dimensions", "anti_patterns")
LEVEL_KEYS = ("number", "name", "focus", "tools", "next_step", "description")
DIMENSION_KEYS = ("id", "name", "description", "capabilities")
CAPABILITY_KEYS = ("id", "level", "title", "question", "why", "how", "effort", "requires", "tools",
                   "core", "control")
ANTI_PATTERN_KEYS = ("id", "title", "question", "caps_level", "why", "instead", "effort", "control")
SCORING_KEYS = ("mastery_share", "min_answered")


def build_model(root: YNode | None, path: str, source: str, default_id: str) -> Model:
    c = Collector(path)
    fields = c.mapping(root, "a model file")
    if fields is None:
        c.check()
    c.unknown_keys(root, MODEL_KEYS, "the model")

    model_id = c.text(fields, "id", "model", default=default_id)
    if model_id and not SLUG.match(model_id):
        c.error(fields.get("id"), f"model: id {model_id!r} must be a lowercase slug (letters, digits, '-')")
    mastery, min_answered = DEFAULT_MASTERY_SHARE, DEFAULT_MIN_ANSWERED
    scoring = fields.get("scoring")
    if scoring is not None:
        scoring_fields = c.mapping(scoring, "model: 'scoring'")
        if scoring_fields is not None:
            c.unknown_keys(scoring, SCORING_KEYS, "'scoring'")
            mastery = c.number(scoring_fields, "mastery_share", "scoring", 0.05, 1.0, DEFAULT_MASTERY_SHARE)
            min_answered = c.number(scoring_fields, "min_answered", "scoring", 0.0, 1.0, DEFAULT_MIN_ANSWERED)

    levels = _levels(c, fields.get("levels"))
    seen: dict[str, YNode] = {}
    require_nodes: dict[str, dict[str, YNode]] = {}
    dimensions = _dimensions(c, fields.get("dimensions"), seen, require_nodes)
    anti_patterns = _anti_patterns(c, fields.get("anti_patterns"), seen)
    for dim_node, dim in zip(_dimension_nodes(fields.get("dimensions")), dimensions):
        if dim.id in seen:
            c.error(dim_node, f"dimension id {dim.id!r} is also a capability or anti-pattern id; "
                              "dimension ids must be distinct from them")
    c.check()

    _check_requirements(c, dimensions, seen, require_nodes)
    _check_core(c, dimensions, seen)
    c.check()
    return Model(
        id=model_id,
        version=c.text(fields, "version", "model", default="1"),
        title=c.text(fields, "title", "model", default="MLOps maturity model"),
        description=c.text(fields, "description", "model"),
        mastery_share=mastery,
        min_answered=min_answered,
        levels=levels,
        dimensions=dimensions,
        anti_patterns=anti_patterns,
        source=source,
    )


def _claim_id(c: Collector, fields: dict[str, YNode], where: str, seen: dict[str, YNode]) -> str:
    item_id = c.text(fields, "id", where, required=True)
    node = fields.get("id")
    if item_id and not SLUG.match(item_id):
        c.error(node, f"{where}: id {item_id!r} must be a lowercase slug (letters, digits, '-', '_', '.')")
    elif item_id in seen:
        c.error(node, f"duplicate id {item_id!r} (first defined at line {seen[item_id].line})")
    elif item_id:
        seen[item_id] = node
    return item_id


def _levels(c: Collector, node: YNode | None) -> tuple[Level, ...]:
    if node is None:
        return DEFAULT_LEVELS
    if not node.is_seq or len(node.value) != 5:
        c.error(node, "model: 'levels' must list exactly five levels, numbered 1 to 5")
        return DEFAULT_LEVELS
    levels = []
    for index, item in enumerate(node.value, start=1):
        fields = c.mapping(item, f"level {index}")
        if fields is None:
            continue
        c.unknown_keys(item, LEVEL_KEYS, f"level {index}")
        number = c.integer(fields, "number", f"level {index}", 1, 5, required=True)
        if number is not None and number != index:
            c.error(fields["number"], f"levels must be listed in order 1 to 5; expected {index}, found {number}")
        levels.append(Level(
            number=index,
            name=c.text(fields, "name", f"level {index}", required=True),
            focus=c.text(fields, "focus", f"level {index}"),
            tools=tuple(t for t, _ in c.text_list(fields, "tools", f"level {index}")),
            next_step=c.text(fields, "next_step", f"level {index}"),
            description=c.text(fields, "description", f"level {index}"),
        ))
    return tuple(levels) if len(levels) == 5 else DEFAULT_LEVELS


def _dimensions(c: Collector, node: YNode | None, seen: dict[str, YNode],
                require_nodes: dict[str, dict[str, YNode]]) -> tuple[Dimension, ...]:
    if node is None or not node.is_seq or not node.value:
        c.error(node, "model: 'dimensions' must be a non-empty list")
        return ()
    dimensions = []
    dimension_ids: set[str] = set()
    for item in node.value:
        fields = c.mapping(item, "a dimension")
        if fields is None:
            continue
        c.unknown_keys(item, DIMENSION_KEYS, "a dimension")
        dim_id = c.text(fields, "id", "dimension", required=True)
        if dim_id in dimension_ids:
            c.error(fields.get("id"), f"duplicate dimension id {dim_id!r}")
        dimension_ids.add(dim_id)
        where = f"dimension {dim_id!r}"
        caps_node = fields.get("capabilities")
        capabilities = []
        if caps_node is None or not caps_node.is_seq or not caps_node.value:
            c.error(caps_node or item, f"{where}: 'capabilities' must be a non-empty list")
        else:
            for cap_node in caps_node.value:
                cap = _capability(c, cap_node, dim_id, seen, require_nodes)
                if cap is not None:
                    capabilities.append(cap)
        dimensions.append(Dimension(
            id=dim_id,
            name=c.text(fields, "name", where, required=True),
            description=c.text(fields, "description", where),
            capabilities=tuple(sorted(capabilities, key=lambda cap: cap.level)),
        ))
    return tuple(dimensions)


def _capability(c: Collector, node: YNode, dim_id: str, seen: dict[str, YNode],
                require_nodes: dict[str, dict[str, YNode]]) -> Capability | None:
    fields = c.mapping(node, "a capability")
    if fields is None:
        return None
    c.unknown_keys(node, CAPABILITY_KEYS, "a capability")
    cap_id = _claim_id(c, fields, "capability", seen)
    where = f"capability {cap_id!r}"
    level = c.integer(fields, "level", where, 2, 5, required=True)
    requires = c.text_list(fields, "requires", where)
    how, how_variants = _how(c, fields.get("how"), where)
    cap = Capability(
        id=cap_id,
        dimension=dim_id,
        level=level or 2,
        title=c.text(fields, "title", where, required=True),
        question=c.text(fields, "question", where, required=True),
        why=c.text(fields, "why", where),
        how=how,
        effort=c.number(fields, "effort", where, 0, 1000, 1.0),
        requires=tuple(r for r, _ in requires),
        tools=tuple(t for t, _ in c.text_list(fields, "tools", where)),
        core=c.boolean(fields, "core", where),
        control=c.boolean(fields, "control", where),
        how_variants=how_variants,
    )
    # Remember where each prerequisite was written, for the graph checks.
    require_nodes[cap_id] = dict(requires)
    return cap


def _anti_patterns(c: Collector, node: YNode | None, seen: dict[str, YNode]) -> tuple[AntiPattern, ...]:
    if node is None:
        return ()
    if not node.is_seq:
        c.error(node, "model: 'anti_patterns' must be a list")
        return ()
    result = []
    for item in node.value:
        fields = c.mapping(item, "an anti-pattern")
        if fields is None:
            continue
        c.unknown_keys(item, ANTI_PATTERN_KEYS, "an anti-pattern")
        ap_id = _claim_id(c, fields, "anti-pattern", seen)
        where = f"anti-pattern {ap_id!r}"
        result.append(AntiPattern(
            id=ap_id,
            title=c.text(fields, "title", where, required=True),
            question=c.text(fields, "question", where, required=True),
            caps_level=c.integer(fields, "caps_level", where, 1, 5, required=True) or 5,
            why=c.text(fields, "why", where),
            instead=c.text(fields, "instead", where),
            effort=c.number(fields, "effort", where, 0, 1000, 0.0),
            control=c.boolean(fields, "control", where),
        ))
    return tuple(result)


def _dimension_nodes(node: YNode | None) -> list[YNode]:
    """The `id` node of each well-formed dimension, in order (for positions in messages)."""
    if node is None or not node.is_seq:
        return []
    return [item.value.get("id", item) for item in node.value if item.is_map]


def _how(c: Collector, node: YNode | None, where: str) -> tuple[str, tuple[tuple[str, str], ...]]:
    """`how` is text, or a mapping of a neutral `default` and per-platform variants."""
    if node is None or not node.is_map:
        return c.text({"how": node} if node is not None else {}, "how", where), ()
    c.unknown_keys(node, ("default", *(p for p in PLATFORMS if p != "other")), f"{where}: 'how'")
    fields = node.value
    default = c.text(fields, "default", f"{where}: 'how'", required=True)
    variants = tuple((platform, c.text(fields, platform, f"{where}: 'how'"))
                     for platform in fields if platform != "default" and platform in PLATFORMS)
    return default, variants


def _check_core(c: Collector, dimensions: tuple[Dimension, ...], seen: dict[str, YNode]) -> None:
    """Core capabilities are the few that define their level: at most a third of it, rounded up."""
    for level in range(2, 6):
        caps = [cap for d in dimensions for cap in d.capabilities if cap.level == level]
        core = [cap.id for cap in caps if cap.core]
        limit = -(-len(caps) // 3)
        if len(core) > limit:
            c.error(seen.get(core[limit]), f"level {level} has {len(core)} core capabilities; at most {limit} "
                                           f"(a third of its {len(caps)}, rounded up) may be core")


def _check_requirements(c: Collector, dimensions: tuple[Dimension, ...], seen: dict[str, YNode],
                        require_nodes: dict[str, dict[str, YNode]]) -> None:
    caps = {cap.id: cap for d in dimensions for cap in d.capabilities}
    for cap in caps.values():
        nodes = require_nodes.get(cap.id, {})
        for req in cap.requires:
            node = nodes.get(req) or seen.get(cap.id)
            if req not in caps:
                c.error(node, f"capability {cap.id!r} requires unknown capability {req!r}{did_you_mean(req, caps)}")
            elif caps[req].level > cap.level:
                c.error(node, f"capability {cap.id!r} (level {cap.level}) requires {req!r} at a higher level "
                              f"({caps[req].level}); prerequisites must be at the same or a lower level")
    if c.problems:
        return
    # Depth-first search for a cycle; report it once, at the first capability on it.
    state: dict[str, int] = {}
    for start in caps:
        stack: list[tuple[str, int]] = [(start, 0)]
        path: list[str] = []
        while stack:
            cap_id, child = stack.pop()
            if child == 0:
                if state.get(cap_id) == 2:
                    continue
                if state.get(cap_id) == 1:
                    cycle = path[path.index(cap_id):] + [cap_id]
                    c.error(seen.get(cycle[0]), "requirement cycle: " + " -> ".join(cycle))
                    return
                state[cap_id] = 1
                path.append(cap_id)
            requires = caps[cap_id].requires
            if child < len(requires):
                stack.append((cap_id, child + 1))
                stack.append((requires[child], 0))
            else:
                state[cap_id] = 2
                path.pop()
