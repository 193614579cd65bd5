"""The model as data for export (`reportgen model`) and as an answers template (`init`)."""

from __future__ import annotations

from typing import Any

import yaml

from .types import Model


def _num(value: float) -> int | float:
    return int(value) if float(value).is_integer() else value


CORE_MARK = " \u2605"


def model_to_dict(model: Model) -> dict[str, Any]:
    return {
        "id": model.id,
        "version": model.version,
        "title": model.title,
        "description": model.description,
        "scoring": {"mastery_share": model.mastery_share, "min_answered": model.min_answered,
                    "credit": {"yes": 1, "partial": 0.5, "no": 0}},
        "levels": [
            {"number": lvl.number, "name": lvl.name, "focus": lvl.focus, "tools": list(lvl.tools),
             "next_step": lvl.next_step, "description": lvl.description}
            for lvl in model.levels
        ],
        "dimensions": [
            {"id": dim.id, "name": dim.name, "description": dim.description, "capabilities": [
                {"id": c.id, "level": c.level, "core": c.core, "control": c.control, "title": c.title,
                 "question": c.question, "why": c.why,
                 "how": {"default": c.how, **dict(c.how_variants)} if c.how_variants else c.how,
                 "effort": _num(c.effort), "requires": list(c.requires), "tools": list(c.tools)}
                for c in dim.capabilities
            ]}
            for dim in model.dimensions
        ],
        "anti_patterns": [
            {"id": a.id, "title": a.title, "question": a.question, "caps_level": a.caps_level,
             "why": a.why, "instead": a.instead, "effort": _num(a.effort), "control": a.control}
            for a in model.anti_patterns
        ],
    }


class _BlockDumper(yaml.SafeDumper):
    """Multi-line texts as `|` blocks, so an exported model reads like the source."""


def _str_representer(dumper: yaml.SafeDumper, value: str) -> yaml.Node:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_BlockDumper.add_representer(str, _str_representer)


def model_to_yaml(model: Model) -> str:
    data = model_to_dict(model)
    data["scoring"].pop("credit")  # fixed by the SPEC, not a model setting
    return yaml.dump(data, Dumper=_BlockDumper, sort_keys=False, allow_unicode=True, width=100)


def _cell(text: str) -> str:
    return " ".join(text.split()).replace("|", "\\|")


def model_to_markdown(model: Model) -> str:
    out = [f"# {model.title} ({model.id} {model.version})", ""]
    if model.description:
        out += [model.description, ""]
    out += [f"A level is mastered when its applicable capabilities, across all dimensions, earn at least "
            f"{model.mastery_share:.0%} of their credit (yes 1, partial 0.5, no 0; n/a left out) and each of its "
            "core capabilities (marked \u2605) is at least partial.", "",
            "## Levels", "", "| Level | Name | Focus | Primary tools | Next step |", "| ---: | --- | --- | --- | --- |"]
    out += [f"| {lvl.number} | {lvl.name} | {lvl.focus} | {', '.join(lvl.tools)} | {lvl.next_step} |"
            for lvl in model.levels]
    for dim in model.dimensions:
        out += ["", f"## {dim.name} (`{dim.id}`)", ""]
        if dim.description:
            out += [dim.description, ""]
        out += ["| Level | Capability | Question | Effort (pw) | Requires |", "| :---: | --- | --- | ---: | --- |"]
        out += [f"| {c.level} | **{_cell(c.title)}**{CORE_MARK if c.core else ''} `{c.id}` | {_cell(c.question)} | {_num(c.effort)} | "
                f"{', '.join(f'`{r}`' for r in c.requires)} |" for c in dim.capabilities]
    out += ["", "## Practices to stop", "", "| Caps at | Practice | Question | Instead |", "| :---: | --- | --- | --- |"]
    out += [f"| {a.caps_level} | **{_cell(a.title)}** `{a.id}` | {_cell(a.question)} | {_cell(a.instead)} |"
            for a in model.anti_patterns]
    return "\n".join(out) + "\n"


def _comment(text: str, prefix: str = "  # ", width: int = 96) -> list[str]:
    words, lines, line = " ".join(text.split()).split(" "), [], ""
    for word in words:
        if line and len(prefix) + len(line) + 1 + len(word) > width:
            lines.append(prefix + line)
            line = word
        else:
            line = f"{line} {word}".strip()
    if line:
        lines.append(prefix + line)
    return lines


def answers_template(model: Model, reference: str, schema_name: str = "answers.schema.json") -> str:
    total = len(model.capabilities) + len(model.anti_patterns)
    out = [
        f"# yaml-language-server: $schema=./{schema_name}",
        f"# reportgen self-assessment: {model.title} ({model.id} {model.version}), {total} questions.",
        "# Answer each question with yes, partial, no or n/a. \"partial\" = done by hand, or for some",
        "# models only. Unanswered questions count as \"no\". To add evidence or a note, write:",
        "#   some-id:",
        "#     answer: partial",
        "#     evidence: what shows it (a link, a repo path, a dashboard)",
        "#     note: anything the reader should know",
        "team: Your team name",
        "organization:",
        "assessed_on:            # YYYY-MM-DD: the date shown on the report",
        "assessor:",
        "target_level:           # 1-5; default: two levels above the current one",
        f"model: {reference}",
        "context:                # optional; tailors the advice, the calendar and the risks, never the level",
        "  platform:             # kubernetes, sagemaker, vertex-ai, azure-ml, databricks or other",
        "  team_size:            # people delivering ML to production",
        "  capacity:             # person-weeks per week the team can invest in the roadmap, e.g. 1.5",
        "  regulated:            # true with personal, financial or health data, or a regulator to answer to",
        "narrative:              # optional; your own words, shown after the computed verdict",
        "  summary:",
        "  findings: []",
        "  risks: []",
        "  next_steps: []",
        "answers:",
    ]
    for dim in model.dimensions:
        out += ["", f"  # == {dim.name} " + "=" * max(3, 80 - len(dim.name))]
        for cap in dim.capabilities:
            core = ", core" if cap.core else ""
            out += ["", f"  # [level {cap.level}{core}] {cap.title}"] + _comment(cap.question)
            out.append(f"  {cap.id}:")
    out += ["", "  # == Practices to stop " + "=" * 66,
            "  # yes or partial means the team still does it; each caps the overall level."]
    for ap in model.anti_patterns:
        out += ["", f"  # [caps at level {ap.caps_level}] {ap.title}"] + _comment(ap.question)
        out.append(f"  {ap.id}:")
    return "\n".join(out) + "\n"
