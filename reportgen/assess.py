"""The self-assessment questionnaire, without any terminal I/O.

`reportgen assess` is a dialogue over three pieces kept here so that they are
unit-testable on their own:

- `questions(model)`: every question in the order asked, dimension by dimension
  (model order), then the practices to stop;
- `AnswersDocument`: the answers file as plain data, loaded leniently (a missing
  team is asked for rather than refused) and written back as YAML that reportgen's
  own loader accepts, every value quoted by PyYAML's safe dumper;
- `Session`: a small state machine over the questions still to ask (next, back,
  skip, record an answer) that saves the document after every change.

The terminal side (arrow-key menus or plain line prompts) lives in
`reportgen.cli.assess` and only calls these.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import textwrap
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Callable

import yaml

from .errors import InputError
from .load import YNode, read_yaml
from .output import atomic_write
from .types import PLATFORMS, Model
from .validate.answers import build_answers, model_reference

ANSWER_CHOICES = ("yes", "partial", "no", "n/a")
# Header fields in the order the SPEC shows them, with the longest text each accepts.
FIELDS = ("team", "organization", "assessed_on", "assessor", "target_level", "model")
# The answers file's `context:` block, asked after the header; kept as "context.<key>" fields.
CONTEXT_FIELDS = ("context.platform", "context.team_size", "context.capacity", "context.regulated")
TEXT_LIMITS = {"team": 200, "organization": 200, "assessor": 200, "evidence": 5000, "note": 5000}
# `reportgen init` writes this placeholder; assess asks for the real name instead.
TEAM_PLACEHOLDER = "Your team name"
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


# -- questions ---------------------------------------------------------------------

@dataclass(frozen=True)
class Question:
    id: str
    kind: str               # "capability" | "anti-pattern"
    section: str            # dimension id, or "anti-patterns"
    section_name: str
    section_description: str
    section_number: int     # 1-based, among all sections
    title: str
    question: str
    why: str                # why it matters (capability) / why it hurts (anti-pattern)
    how: str                # how to start (capability) / what to do instead (anti-pattern)
    level: int              # the capability's level, or the anti-pattern's caps_level
    level_name: str


ANTI_PATTERN_SECTION = "anti-patterns"


def questions(model: Model) -> tuple[Question, ...]:
    """Every capability, dimension by dimension in model order, then every anti-pattern."""
    names = {lvl.number: lvl.name for lvl in model.levels}
    out = []
    for number, dim in enumerate(model.dimensions, start=1):
        for cap in dim.capabilities:
            out.append(Question(cap.id, "capability", dim.id, dim.name, dim.description, number,
                                cap.title, cap.question, cap.why, cap.how, cap.level, names[cap.level]))
    if model.anti_patterns:
        number = len(model.dimensions) + 1
        description = ("Practices that cap the overall level while they continue. Answer yes or "
                       "partial if the team still does it.")
        for ap in model.anti_patterns:
            out.append(Question(ap.id, "anti-pattern", ANTI_PATTERN_SECTION, "Practices to stop", description,
                                number, ap.title, ap.question, ap.why, ap.instead, ap.caps_level,
                                names[ap.caps_level]))
    return tuple(out)


def section_count(model: Model) -> int:
    return len(model.dimensions) + (1 if model.anti_patterns else 0)


# -- the answers file as data ------------------------------------------------------

@dataclass(frozen=True)
class Entry:
    """One recorded answer; evidence and note are optional one-liners (or longer, if hand-written)."""

    value: str
    evidence: str = ""
    note: str = ""


def clean_line(text: str) -> str:
    """User input as one line of text: control characters dropped, whitespace folded."""
    printable = "".join(ch if ch.isprintable() else " " for ch in text)
    return " ".join(printable.split())


def check_field(name: str, text: str) -> tuple[Any, str | None]:
    """Validate one header field typed by the user: (value, error message or None).

    An empty optional field is None (written as an empty YAML value).
    """
    text = clean_line(text)
    if name == "team":
        if not text:
            return None, "the team name is required"
        if text == TEAM_PLACEHOLDER:
            return None, "please type the team's real name"
    if not text:
        return None, None
    if name in TEXT_LIMITS and len(text) > TEXT_LIMITS[name]:
        return None, f"at most {TEXT_LIMITS[name]} characters, please"
    if name == "assessed_on":
        if not _DATE.match(text):
            return None, "write the date as YYYY-MM-DD, e.g. 2026-11-20"
        try:
            dt.date.fromisoformat(text)
        except ValueError:
            return None, f"{text} is not a real date"
    if name == "target_level":
        if text not in {"1", "2", "3", "4", "5"}:
            return None, "a whole number from 1 to 5"
        return int(text), None
    if name == "context.platform":
        if text.lower() not in PLATFORMS:
            return None, f"one of {', '.join(PLATFORMS)}"
        return text.lower(), None
    if name == "context.team_size":
        if not text.isdigit() or int(text) < 1:
            return None, "a whole number of people, e.g. 6"
        return int(text), None
    if name == "context.capacity":
        try:
            number = float(text)
        except ValueError:
            number = 0.0
        if not 0 < number <= 1000:
            return None, "person-weeks per week, a number above 0, e.g. 1.5"
        return (int(number) if number.is_integer() else number), None
    if name == "context.regulated":
        if text.lower() not in ("yes", "no", "y", "n", "true", "false"):
            return None, "yes or no"
        return text.lower() in ("yes", "y", "true"), None
    return text, None


def check_text(name: str, text: str) -> tuple[str, str | None]:
    """Evidence or a note: one line, within the loader's limit."""
    text = clean_line(text)
    if len(text) > TEXT_LIMITS[name]:
        return "", f"at most {TEXT_LIMITS[name]} characters, please"
    return text, None


@dataclass
class AnswersDocument:
    """The answers file: the header fields present in it, and the answers given.

    A header key that is present with an empty value counts as asked: `assess`
    does not ask again for an organization the user chose to leave empty.
    """

    model: Model
    fields: dict[str, Any] = field(default_factory=dict)
    entries: dict[str, Entry] = field(default_factory=dict)
    modeline: str = ""
    narrative: dict[str, Any] = field(default_factory=dict)   # kept as written; assess does not ask it

    # -- reading -----------------------------------------------------------------

    @classmethod
    def load(cls, path: Path, *, model: str | None = None, display: str | None = None) -> "AnswersDocument":
        """The answers file at `path`, or an empty document when it does not exist yet.

        The file is validated like any answers file (bad input raises InputError with
        file:line:col), except that a missing team or the `reportgen init`
        placeholder is accepted: the questionnaire asks for it.
        """
        from .pipeline import load_model  # pipeline imports a lot; keep module import cheap

        display = display or str(path)
        root = read_yaml(path, display) if path.exists() else None
        if root is None:  # no file, or an empty one
            loaded_model = load_model(model)
            return cls(loaded_model, {"model": model_ref(loaded_model, path)})
        reference, ref_node = model_reference(root)
        if model:
            loaded_model = load_model(model)
        else:
            try:
                loaded_model = load_model(reference or None, base=path.parent)
            except InputError as exc:
                if ref_node is None:
                    raise
                from .errors import Problem

                raise InputError([Problem(display, ref_node.line, ref_node.column,
                                          f"cannot load model {reference!r}"), *exc.problems]) from None

        team_missing = False
        if root.is_map:
            team = root.value.get("team")
            if team is None or (team.is_scalar and team.raw.strip() in ("", TEAM_PLACEHOLDER)):
                team_missing = True
                # Let the validator check everything else; the team is asked for.
                root.value["team"] = YNode("?", 1, 1, "tag:yaml.org,2002:str", "?")
                root.keys.setdefault("team", root.value["team"])
        answers = build_answers(root, display, loaded_model)

        fields: dict[str, Any] = {}
        present = set(root.value)
        if not team_missing:
            fields["team"] = answers.team
        for name, value in (("organization", answers.organization), ("assessed_on", answers.assessed_on),
                            ("assessor", answers.assessor), ("target_level", answers.target_level)):
            if name in present:
                fields[name] = value if value not in ("", None) else None
        fields["model"] = model_ref(loaded_model, path) if model else (reference or loaded_model.id)
        context_node = root.value.get("context")
        if context_node is not None and context_node.is_map:
            given = answers.context
            values = {"platform": given.platform or None, "team_size": given.team_size,
                      "capacity": given.capacity, "regulated": given.regulated}
            for key in context_node.value:
                value = values[key]
                if key == "regulated" and context_node.value[key].tag == "tag:yaml.org,2002:null":
                    value = None
                fields[f"context.{key}"] = value
        narrative: dict[str, Any] = {}
        narrative_node = root.value.get("narrative")
        if narrative_node is not None and narrative_node.is_map:
            told = answers.narrative
            for key in narrative_node.value:
                value = getattr(told, key)
                narrative[key] = list(value) if isinstance(value, tuple) else (value or None)
        entries = {a.id: Entry(a.value, a.evidence, a.note) for a in answers.answers.values()}
        first_line = path.read_text(encoding="utf-8-sig").split("\n", 1)[0]
        modeline = first_line.strip() if first_line.startswith("# yaml-language-server:") else ""
        return cls(loaded_model, fields, entries, modeline, narrative)

    # -- state -------------------------------------------------------------------

    def missing_fields(self) -> list[str]:
        """Header fields never asked (absent from the file), in the order they are asked."""
        order = ["team", "organization", "assessor", "assessed_on", "target_level"]
        if "team" not in self.fields:   # a new assessment: its optional context is asked too
            order += CONTEXT_FIELDS
        return [name for name in order if name not in self.fields]

    def set_field(self, name: str, value: Any) -> None:
        self.fields[name] = value

    def record(self, item_id: str, entry: Entry | None) -> None:
        if entry is None:
            self.entries.pop(item_id, None)
        else:
            self.entries[item_id] = entry

    def unanswered(self) -> list[str]:
        return [q.id for q in questions(self.model) if q.id not in self.entries]

    # -- writing -----------------------------------------------------------------

    def to_yaml(self) -> str:
        """The file's text: header fields, then every question in the order asked, as
        `id: answer` under a comment naming it. Unanswered questions are `id:` (empty)."""
        m = self.model
        out = []
        if self.modeline:
            out.append(self.modeline)
        total = len(questions(m))
        out += [f"# reportgen self-assessment: {_flat(m.title)} ({_flat(m.id)} {_flat(m.version)}), "
                f"{total} questions.",
                "# Written by `reportgen assess` after every answer; run it again to resume.",
                "# Answers: yes, partial, no or n/a. Unanswered questions count as \"no\"."]
        header = {name: self.fields[name] for name in FIELDS if name in self.fields}
        if "team" not in header:
            raise ValueError("an answers file needs a team name before it is written")
        out.append(_dump(header).rstrip("\n"))
        context = {name.split(".", 1)[1]: self.fields[name] for name in CONTEXT_FIELDS if name in self.fields}
        if context:
            out.append(_dump({"context": context}).rstrip("\n"))
        if self.narrative:
            out.append(_dump({"narrative": self.narrative}).rstrip("\n"))
        out.append("answers:")
        section = None
        for q in questions(m):
            if q.section != section:
                section = q.section
                out += ["", f"  # == {_flat(q.section_name)} " + "=" * max(3, 80 - len(_flat(q.section_name)))]
            label = f"level {q.level}" if q.kind == "capability" else f"caps at level {q.level}"
            out.append(f"  # [{label}] {_flat(q.title)}")
            out += textwrap.wrap(_flat(q.question), 94, initial_indent="  # ", subsequent_indent="  # ")
            entry = _dump({q.id: _entry_data(self.entries.get(q.id))}).rstrip("\n").split("\n")
            out += [f"  {line}" if line.strip() else "" for line in entry]
        return "\n".join(out) + "\n"

    def save(self, path: Path) -> None:
        atomic_write(path, self.to_yaml().encode("utf-8"))


def model_ref(model: Model, answers_path: Path) -> str:
    """How an answers file names its model: a built-in id, or a path relative to the file."""
    if model.source == "built-in" or not model.source:
        return model.id
    return os.path.relpath(Path(model.source).resolve(), answers_path.parent.resolve())


def _flat(text: str) -> str:
    return " ".join(str(text).split())


class _AnswerValue(str):
    """An answer value, written plain (`yes`, not `'yes'`): reportgen reads the YAML
    booleans yes/no as yes/no, so the file reads like the SPEC's example."""


class _Date(str):
    """A validated YYYY-MM-DD date, written plain."""


class _Dumper(yaml.SafeDumper):
    pass


def _represent_answer(dumper: yaml.SafeDumper, value: _AnswerValue) -> yaml.Node:
    if value in ("yes", "no"):
        return dumper.represent_scalar("tag:yaml.org,2002:bool", str(value))
    return dumper.represent_str(str(value))


def _represent_date(dumper: yaml.SafeDumper, value: _Date) -> yaml.Node:
    return dumper.represent_scalar("tag:yaml.org,2002:timestamp", str(value))


def _represent_none(dumper: yaml.SafeDumper, value: None) -> yaml.Node:
    return dumper.represent_scalar("tag:yaml.org,2002:null", "")


_Dumper.add_representer(_AnswerValue, _represent_answer)
_Dumper.add_representer(_Date, _represent_date)
_Dumper.add_representer(type(None), _represent_none)


def _dump(data: dict[str, Any]) -> str:
    data = {k: (_Date(v) if k == "assessed_on" and isinstance(v, str) and _DATE.match(v) else v)
            for k, v in data.items()}
    return yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=10_000,
                     default_flow_style=False)


def _entry_data(entry: Entry | None) -> Any:
    if entry is None:
        return None
    if not entry.evidence and not entry.note:
        return _AnswerValue(entry.value)
    data: dict[str, Any] = {"answer": _AnswerValue(entry.value)}
    if entry.evidence:
        data["evidence"] = entry.evidence
    if entry.note:
        data["note"] = entry.note
    return data


# -- the questionnaire as a state machine --------------------------------------------

class Session:
    """Walks the questions still to ask; records, skips and goes back.

    `queue` is every question (`ask_all`) or those unanswered when the session
    starts, so a resumed session asks only what is missing. `autosave` runs after
    every change to the document (the CLI passes one that writes the file atomically).
    """

    def __init__(self, document: AnswersDocument, *, ask_all: bool = False,
                 autosave: Callable[[AnswersDocument], None] | None = None):
        self.document = document
        self.all_questions = questions(document.model)
        self.queue = [q for q in self.all_questions if ask_all or q.id not in document.entries]
        self.position = 0
        self.autosave = autosave or (lambda doc: None)
        self.skipped: set[str] = set()

    # -- where we are --------------------------------------------------------------

    @property
    def current(self) -> Question | None:
        return self.queue[self.position] if self.position < len(self.queue) else None

    @property
    def done(self) -> bool:
        return self.position >= len(self.queue)

    @property
    def number(self) -> int:
        """1-based position of the current question among those asked this session."""
        return self.position + 1

    @property
    def total(self) -> int:
        return len(self.queue)

    def progress(self) -> str:
        return f"Question {self.number} of {self.total}"

    def starts_section(self) -> bool:
        """True when the current question opens a new section (to show its heading)."""
        q = self.current
        if q is None:
            return False
        return self.position == 0 or self.queue[self.position - 1].section != q.section

    def entry(self, item_id: str | None = None) -> Entry | None:
        item_id = item_id or (self.current.id if self.current else None)
        return self.document.entries.get(item_id) if item_id else None

    def answered_count(self) -> int:
        return len(self.document.entries)

    # -- moves ---------------------------------------------------------------------

    def answer(self, value: str, *, evidence: str | None = None, note: str | None = None) -> None:
        """Record an answer to the current question, save, and move to the next one.

        evidence/note None keeps what the file had; "" clears it. Evidence is kept
        only for yes and partial (it shows what is in place); n/a needs its note.
        """
        q = self._require_current()
        if value not in ANSWER_CHOICES:
            raise ValueError(f"answer must be one of {', '.join(ANSWER_CHOICES)}, not {value!r}")
        previous = self.document.entries.get(q.id) or Entry(value)
        evidence = previous.evidence if evidence is None else evidence
        note = previous.note if note is None else note
        if value in ("no", "n/a"):
            evidence = ""
        if value == "n/a" and not note:
            raise ValueError("an n/a answer needs a one-line justification (the note)")
        self.document.record(q.id, replace(previous, value=value, evidence=evidence, note=note))
        self.skipped.discard(q.id)
        self.autosave(self.document)
        self.position += 1

    def skip(self) -> None:
        """Leave the current question as it is (unanswered, or its earlier answer) and move on."""
        q = self._require_current()
        if q.id not in self.document.entries:
            self.skipped.add(q.id)
        self.position += 1

    def back(self) -> bool:
        """Go to the previous question; False when already at the first one."""
        if self.position == 0:
            return False
        self.position -= 1
        return True

    def set_field(self, name: str, value: Any) -> None:
        self.document.set_field(name, value)
        self.autosave(self.document)

    def _require_current(self) -> Question:
        q = self.current
        if q is None:
            raise IndexError("the questionnaire is finished")
        return q
