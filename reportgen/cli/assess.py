"""`reportgen assess`: the interactive self-assessment in the terminal.

The questionnaire itself (questions, answers file, next/back/skip) is
`reportgen.assess`; this module is only the dialogue: arrow-key menus
(prompt_toolkit) on a terminal, plain line prompts when stdin or stdout is not
one (piped, scripted, tested), same questions and same keys either way.
"""

from __future__ import annotations

import os
import shlex
import sys
from pathlib import Path
from typing import Any, Callable

import click

from .. import pipeline
from ..assess import CONTEXT_FIELDS, AnswersDocument, Question, Session, check_field, check_text
from ..output import atomic_write, slugify
from ..progress import printable
from .options import model_option

# (key, label, value): the keys work in both modes; on a terminal arrows and Enter work too.
_ANSWER_LABELS = {
    "capability": {
        "yes": "Yes: in place and used routinely",
        "partial": "Partial: started, done by hand, or only for some models",
        "no": "No: not in place",
    },
    "anti-pattern": {
        "yes": "Yes: the team still does this",
        "partial": "Partly: sometimes, or in some projects",
        "no": "No: the team does not do this",
    },
}
_MOVES = [("s", "Skip: leave it for later", "skip"),
          ("b", "Back: the previous question", "back"),
          ("q", "Quit: answers so far are saved", "quit")]
_FIELD_PROMPTS = {
    "team": "Team name",
    "organization": "Organization (optional)",
    "assessor": "Assessor, who runs this assessment (optional)",
    "assessed_on": "Date of the assessment, YYYY-MM-DD (optional; it is the date the report shows)",
    "target_level": "Target level, 1-5 (optional; default: two levels above where the team is)",
    "context.platform": "Where your models run: kubernetes, sagemaker, vertex-ai, azure-ml, databricks or other "
                        "(optional; picks platform-specific steps)",
    "context.team_size": "People delivering ML to production (optional)",
    "context.capacity": "Person-weeks a week the team can invest in the roadmap, e.g. 1.5 (optional; gives weeks "
                        "and dates)",
    "context.regulated": "Personal, financial or health data, or a regulator to answer to? yes or no (optional)",
}
_RENDER_CHOICES = [("m", "Markdown", "md"), ("h", "HTML", "html"), ("p", "PDF", "pdf"), ("n", "No", "no")]


class Stop(Exception):
    """The user ended the dialogue: "quit", "eof" (Ctrl-D / end of input) or "interrupt" (Ctrl-C)."""

    def __init__(self, how: str):
        super().__init__(how)
        self.how = how


# -- terminal back ends ----------------------------------------------------------

class PlainIO:
    """Line prompts on stdin/stdout: scriptable (`printf 'Team\\ny\\n' | reportgen assess`)."""

    def say(self, text: str = "") -> None:
        click.echo(printable(text))

    def _readline(self, prompt: str) -> str:
        click.echo(prompt, nl=False)
        try:
            line = sys.stdin.readline()
        except KeyboardInterrupt:
            raise Stop("interrupt") from None
        if not line:
            raise Stop("eof")
        line = line.rstrip("\r\n")
        if not _isatty(sys.stdin):
            click.echo(line)  # piped input is not echoed by a terminal: keep the transcript readable
        return line

    def ask(self, prompt: str, default: str = "") -> str:
        shown = f"{prompt} [{default}]: " if default else f"{prompt}: "
        text = self._readline(shown)
        if text.strip() == "-" and default:
            return ""
        return text if text.strip() else default

    def choose(self, prompt: str, options: list[tuple[str, str, str]], default: str | None) -> str:
        keys = " ".join(f"{key}={label.split(':')[0].lower()}" for key, label, _ in options)
        hint = f" (Enter: {default})" if default else ""
        while True:
            text = self._readline(f"{prompt} {keys}{hint}: ").strip().lower()
            if not text and default:
                return default
            for key, label, value in options:
                if text in (key, value, label.split(":")[0].lower()) or (value == "n/a" and text in ("na", "n-a")):
                    return value
            self.say(f"  Please type one of: {', '.join(key for key, _, _ in options)}.")


class TerminalIO(PlainIO):
    """Arrow-key menus and editable prompts (prompt_toolkit) on a real terminal."""

    def ask(self, prompt: str, default: str = "") -> str:
        from prompt_toolkit import prompt as pt_prompt

        try:
            return pt_prompt(f"{prompt}: ", default=default)
        except KeyboardInterrupt:
            raise Stop("interrupt") from None
        except EOFError:
            raise Stop("eof") from None

    def choose(self, prompt: str, options: list[tuple[str, str, str]], default: str | None) -> str:
        from prompt_toolkit.application import Application
        from prompt_toolkit.key_binding import KeyBindings
        from prompt_toolkit.layout import HSplit, Layout, Window
        from prompt_toolkit.layout.controls import FormattedTextControl
        from prompt_toolkit.styles import Style

        values = [value for _, _, value in options]
        selected = [values.index(default) if default in values else 0]

        def lines() -> list[tuple[str, str]]:
            out = [("class:prompt", f"{prompt}\n")]
            for i, (key, label, _) in enumerate(options):
                here = i == selected[0]
                out.append(("class:selected" if here else "", f" {'❯' if here else ' '} {key}  {label}\n"))
            out.append(("class:hint", "   ↑/↓ and Enter, or press the letter"))
            return out

        kb = KeyBindings()

        @kb.add("up")
        @kb.add("c-p")
        def _up(event: Any) -> None:
            selected[0] = (selected[0] - 1) % len(options)

        @kb.add("down")
        @kb.add("c-n")
        @kb.add("tab")
        def _down(event: Any) -> None:
            selected[0] = (selected[0] + 1) % len(options)

        @kb.add("enter")
        def _accept(event: Any) -> None:
            event.app.exit(result=values[selected[0]])

        def pick(value: str) -> Callable[[Any], None]:
            return lambda event: event.app.exit(result=value)

        for key, _, value in options:
            kb.add(key)(pick(value))
            kb.add(key.upper())(pick(value))

        @kb.add("c-c")
        def _interrupt(event: Any) -> None:
            event.app.exit(exception=Stop("interrupt"))

        @kb.add("c-d")
        def _eof(event: Any) -> None:
            event.app.exit(exception=Stop("eof"))

        app: Application[str] = Application(
            layout=Layout(HSplit([Window(FormattedTextControl(lines, show_cursor=False), dont_extend_height=True)])),
            key_bindings=kb, full_screen=False, erase_when_done=True, mouse_support=False,
            style=Style.from_dict({"selected": "bold reverse", "hint": "italic #888888", "prompt": "bold"}))
        try:
            value = app.run()
        except KeyboardInterrupt:
            raise Stop("interrupt") from None
        label = next(label for _, label, v in options if v == value)
        self.say(f"{prompt} {label.split(':')[0]}")
        return value


def _isatty(stream: Any) -> bool:
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError):
        return False


def _use_terminal(plain: bool) -> bool:
    if plain or os.environ.get("TERM") == "dumb":
        return False
    return _isatty(sys.stdin) and _isatty(sys.stdout)


# -- the dialogue ------------------------------------------------------------------

def _wrap(text: str, indent: str = "") -> str:
    import textwrap

    return "\n".join(textwrap.wrap(" ".join(text.split()), 88, initial_indent=indent, subsequent_indent=indent))


def _ask_field(io: PlainIO, session: Session, name: str) -> None:
    current = session.document.fields.get(name)
    default = "" if current is None else str(current)
    while True:
        value, error = check_field(name, io.ask(_FIELD_PROMPTS[name], default))
        if error is None:
            session.set_field(name, value)
            return
        io.say(f"  {error}")


def _show_question(io: PlainIO, session: Session, q: Question, sections: int) -> None:
    if session.starts_section():
        io.say("")
        io.say(f"== {q.section_name} (section {q.section_number} of {sections}) ==")
        if q.section_description:
            io.say(_wrap(q.section_description))
    where = (f"level {q.level} ({q.level_name})" if q.kind == "capability"
             else f"caps the level at {q.level} ({q.level_name})")
    io.say("")
    io.say(f"{session.progress()} · {q.section_name} · {where}")
    io.say(f"{q.title}")
    io.say(_wrap(q.question, "  "))
    if q.why:
        io.say(_wrap(("Why it matters: " if q.kind == "capability" else "Why it hurts: ") + q.why, "  "))
    entry = session.entry()
    if entry is not None:
        extra = f"; evidence: {entry.evidence}" if entry.evidence else ""
        extra += f"; note: {entry.note}" if entry.note else ""
        io.say(f"  Current answer: {entry.value}{extra}")


def _answer(io: PlainIO, session: Session, value: str) -> None:
    entry = session.entry()
    if value == "n/a":
        default = entry.note if entry and entry.value == "n/a" else ""
        while True:
            note, error = check_text("note", io.ask("Why does it not apply? (one line)", default))
            if error is None and note:
                break
            io.say(f"  {error or 'a short justification is needed for n/a'}")
        session.answer(value, note=note)
        return
    if value in ("yes", "partial"):
        default = entry.evidence if entry else ""
        hint = "Enter keeps it, - clears it" if default and not isinstance(io, TerminalIO) else "optional"
        while True:
            evidence, error = check_text("evidence", io.ask(f"Evidence: a link, a repo path, a dashboard ({hint})",
                                                            default))
            if error is None:
                break
            io.say(f"  {error}")
        session.answer(value, evidence=evidence)
        return
    session.answer(value)


def _questionnaire(io: PlainIO, session: Session, ask_all: bool) -> None:
    doc = session.document
    for name in (["team", "organization", "assessor", "assessed_on", "target_level", *CONTEXT_FIELDS] if ask_all
                 else doc.missing_fields()):
        _ask_field(io, session, name)
    sections = len({q.section for q in session.all_questions})
    while not session.done:
        q = session.current
        assert q is not None
        _show_question(io, session, q, sections)
        labels = _ANSWER_LABELS[q.kind]
        options = [("y", labels["yes"], "yes"), ("p", labels["partial"], "partial"), ("n", labels["no"], "no"),
                   ("a", "N/A: does not apply to this team (you'll say why)", "n/a"), *_MOVES]
        entry = session.entry()
        choice = io.choose("Answer?", options, entry.value if entry else None)
        if choice == "quit":
            raise Stop("quit")
        if choice == "skip":
            session.skip()
        elif choice == "back":
            if not session.back():
                io.say("  This is the first question.")
        else:
            _answer(io, session, choice)


def _resume_hint(path: Path) -> str:
    return f"reportgen assess -o {shlex.quote(str(path))}"


def _finish(io: PlainIO, session: Session, path: Path, model: str | None) -> None:
    doc = session.document
    left = doc.unanswered()
    total = len(session.all_questions)
    io.say("")
    if left:
        io.say(f"Saved {path}: {total - len(left)} of {total} questions answered; {len(left)} left unanswered "
               f"(they count as \"no\"). Run `{_resume_hint(path)}` to answer them.")
    else:
        io.say(f"Saved {path}: all {total} questions answered.")
    result = pipeline.result_for(path, model=model)
    from ..summary import text_summary

    io.say("")
    io.say(text_summary(result))
    io.say("")
    fmt = io.choose("Render the report now?", _RENDER_CHOICES, "md")
    if fmt == "no":
        io.say(f"Render it later with: reportgen render {shlex.quote(str(path))}")
        return
    default = f"{slugify(result['team'])}.{fmt}"
    out = Path(io.ask("Report file", default) or default)
    from ..render import Renderer

    data = Renderer().render(result, fmt)
    atomic_write(out, data)
    io.say(f"wrote {out}")


@click.command(name="assess")
@click.option("-o", "--output", "output", type=click.Path(dir_okay=False, path_type=Path),
              default=Path("answers.yaml"), show_default=True,
              help="The answers file: created, or resumed when it exists.")
@model_option
@click.option("--all", "ask_all", is_flag=True,
              help="Ask every question again (current answers are the defaults), not only unanswered ones.")
@click.option("--plain", is_flag=True, help="Plain line prompts even on a terminal (no arrow-key menus).")
@click.pass_context
def command(ctx: click.Context, output: Path, model: str | None, ask_all: bool, plain: bool) -> None:
    """Answer the self-assessment in the terminal, dimension by dimension.

    Each question shows why it matters; answer yes, partial, no or n/a (n/a asks
    why), add evidence if you like, skip, go back or quit at any time. The answers
    file is saved after every answer; run the same command again to resume where
    you left off (only unanswered questions are asked, unless --all). At the end it
    shows the level and offers to render the report.

    On a terminal the answers are arrow-key menus (or press the letter); when
    stdin is not a terminal the same questions are plain line prompts, one
    answer per line: y, p, n, a (n/a), s (skip), b (back), q (quit).

    \b
    Examples:
      reportgen assess -o answers.yaml
      reportgen assess -o answers.yaml --all       # re-assess: every question again
      printf 'Fraud Detection\\n\\n\\n\\n\\ny\\n\\n' | reportgen assess -o answers.yaml --model tiny.yaml
    """
    document = AnswersDocument.load(output, model=model)
    io: PlainIO = TerminalIO() if _use_terminal(plain) else PlainIO()

    def autosave(doc: AnswersDocument) -> None:
        if "team" in doc.fields:
            doc.save(output)

    session = Session(document, ask_all=ask_all, autosave=autosave)
    m = document.model
    io.say(f"reportgen self-assessment: {m.title} ({m.id} {m.version}): {len(session.all_questions)} questions "
           f"in {len({q.section for q in session.all_questions})} sections, about ten minutes.")
    if session.total < len(session.all_questions):
        io.say(f"Resuming {output}: {session.total} question(s) left to answer (--all to revisit every one).")
    io.say(f"Answers are saved to {output} after each one; quit at any time and run the same command to resume.")
    io.say("Answer yes only for what is in place and used; partial for started, manual or some models only.")
    if not _use_terminal(plain):
        io.say("Keys: y yes, p partial, n no, a n/a, s skip, b back, q quit.")
    try:
        try:
            _questionnaire(io, session, ask_all)
        except KeyboardInterrupt:  # Ctrl-C outside a prompt (while printing or saving)
            raise Stop("interrupt") from None
    except Stop as stop:
        saved = "team" in document.fields and output.exists()
        io.say("")
        if stop.how == "interrupt":
            io.say("Interrupted.")
        elif stop.how == "eof":
            io.say("End of input.")
        if saved:
            io.say(f"Saved {output}: {session.answered_count()} of {len(session.all_questions)} questions answered. "
                   f"Run `{_resume_hint(output)}` to continue.")
        else:
            io.say("Nothing saved yet.")
        ctx.exit(130 if stop.how == "interrupt" else 0)
    if session.total == 0 and not ask_all:
        io.say(f"Every question in {output} is answered already (--all to revisit them).")
    if not output.exists():  # nothing was asked (a complete file) but a header field may be new
        document.save(output)
    try:
        _finish(io, session, output, model)
    except KeyboardInterrupt:
        io.say("")
        ctx.exit(130)
    except Stop as stop:
        io.say("")
        ctx.exit(130 if stop.how == "interrupt" else 0)
