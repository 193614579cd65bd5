"""`reportgen assess`: the questionnaire state machine, the answers file it writes, and the
dialogue driven through stdin (plain prompts) and through a real pseudo-terminal (menus)."""

from __future__ import annotations

import fcntl
import os
import pty
import re
import select
import signal
import struct
import sys
import termios
import time
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import ROOT, TINY_MODEL
from reportgen import pipeline
from reportgen.assess import AnswersDocument, Entry, Session, check_field, questions
from reportgen.errors import InputError

TINY_IDS = ["b2", "b3", "b4", "b5", "r2", "r2b", "r3", "r4", "r5", "hand-deploys", "no-tests"]
HEADER = "Team X\nAcme Bank\nJ. Doe\n2026-11-20\n4\n" + "\n" * 4  # team, organization, assessor, date, target; no context


def tiny_doc(tmp_path: Path, name: str = "a.yaml") -> tuple[Path, AnswersDocument]:
    path = tmp_path / name
    return path, AnswersDocument.load(path, model=str(TINY_MODEL))


def answers_of(path: Path) -> dict[str, tuple[str, str, str]]:
    loaded = pipeline.load_answers(path)
    return {a.id: (a.value, a.evidence, a.note) for a in loaded.answers.answers.values()}


# -- questions and the state machine ---------------------------------------------------------

def test_questions_go_dimension_by_dimension_then_practices():
    qs = questions(pipeline.load_model(str(TINY_MODEL)))
    assert [q.id for q in qs] == TINY_IDS
    assert [(q.section, q.section_number) for q in qs[3:6]] == [("build", 1), ("run", 2), ("run", 2)]
    ap = qs[-1]
    assert (ap.kind, ap.section, ap.section_name, ap.level, ap.level_name) == (
        "anti-pattern", "anti-patterns", "Practices to stop", 3, "Operable")


def test_session_moves_records_and_saves_after_every_answer(tmp_path):
    _, doc = tiny_doc(tmp_path)
    saves: list[dict] = []
    s = Session(doc, autosave=lambda d: saves.append(dict(d.entries)))
    assert (s.progress(), s.current.id, s.starts_section()) == ("Question 1 of 11", "b2", True)
    s.answer("yes", evidence="CI logs")
    assert s.progress() == "Question 2 of 11" and not s.starts_section()
    s.skip()
    assert s.current.id == "b4" and "b3" in s.skipped
    assert s.back() and s.current.id == "b3"
    s.answer("n/a", note="no such thing here")
    s.answer("partial")
    assert [list(x) for x in saves] == [["b2"], ["b2", "b3"], ["b2", "b3", "b4"]]
    assert doc.entries == {"b2": Entry("yes", "CI logs"), "b3": Entry("n/a", "", "no such thing here"),
                           "b4": Entry("partial")}
    # Going back to an answered question: None keeps evidence, "no" drops it, a note is kept.
    s.back(), s.back(), s.back()
    assert s.current.id == "b2" and not s.back()
    s.answer("no")
    assert doc.entries["b2"] == Entry("no")
    s.answer("n/a")  # b3 keeps its justification
    assert doc.entries["b3"] == Entry("n/a", "", "no such thing here") and s.current.id == "b4"
    with pytest.raises(ValueError, match="needs a one-line justification"):
        s.answer("n/a")
    assert s.current.id == "b4" and doc.entries["b4"] == Entry("partial")
    while not s.done:
        s.skip()
    assert s.current is None
    with pytest.raises(IndexError):
        s.skip()


def test_session_resumes_with_the_unanswered_questions_only(tmp_path):
    _, doc = tiny_doc(tmp_path)
    doc.entries.update({"b2": Entry("yes"), "r2": Entry("no"), "no-tests": Entry("no")})
    s = Session(doc)
    assert [q.id for q in s.queue] == ["b3", "b4", "b5", "r2b", "r3", "r4", "r5", "hand-deploys"]
    assert s.progress() == "Question 1 of 8"
    assert Session(doc, ask_all=True).total == 11


@pytest.mark.parametrize("name, text, value, error", [
    ("team", "  Fraud   Detection ", "Fraud Detection", None),
    ("team", "", None, "the team name is required"),
    ("team", "Your team name", None, "please type the team's real name"),
    ("organization", "", None, None),
    ("assessor", "x" * 201, None, "at most 200 characters, please"),
    ("assessed_on", "2026-11-20", "2026-11-20", None),
    ("assessed_on", "20.11.2026", None, "write the date as YYYY-MM-DD, e.g. 2026-11-20"),
    ("assessed_on", "2026-02-30", None, "2026-02-30 is not a real date"),
    ("target_level", "4", 4, None),
    ("target_level", "6", None, "a whole number from 1 to 5"),
    ("team", "Team\x1b[31m red", "Team [31m red", None),
])
def test_check_field(name, text, value, error):
    assert check_field(name, text) == (value, error)


# -- the answers file -------------------------------------------------------------------------

FULL = """\
# yaml-language-server: $schema=./answers.schema.json
team: Fraud Detection
organization: Acme Bank
assessed_on: 2026-11-20
assessor: J. Doe
target_level: 4
model: {model}
answers:
  b2: yes
  b3:
    answer: partial
    evidence: "pipeline: nightly # not hourly"
    note: owned by platform
  r2:
    answer: n/a
    note: batch scoring only
  hand-deploys: false
"""


def test_saving_keeps_every_field_and_answer(tmp_path):
    path = tmp_path / "a.yaml"
    path.write_text(FULL.format(model=TINY_MODEL))
    doc = AnswersDocument.load(path)
    assert doc.missing_fields() == []
    before = pipeline.load_answers(path).answers
    doc.save(path)
    after = pipeline.load_answers(path).answers
    assert {k: getattr(after, k) for k in ("team", "organization", "assessed_on", "assessor", "target_level")} == \
        {k: getattr(before, k) for k in ("team", "organization", "assessed_on", "assessor", "target_level")}
    assert answers_of(path) == {"b2": ("yes", "", ""), "b3": ("partial", "pipeline: nightly # not hourly",
                                                              "owned by platform"),
                                "r2": ("n/a", "", "batch scoring only"), "hand-deploys": ("no", "", "")}
    text = path.read_text()
    assert text.startswith("# yaml-language-server: $schema=./answers.schema.json\n")
    assert "\nteam: Fraud Detection\norganization: Acme Bank\nassessed_on: 2026-11-20\nassessor: J. Doe\n" \
           "target_level: 4\n" in text
    assert "\n  # [level 2] B2\n  # B2?\n  b2: yes\n" in text
    assert "\n  b4:\n" in text  # unanswered questions are listed, empty
    doc.save(path)
    assert path.read_text() == text  # stable


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(team=st.text(min_size=1, max_size=60), evidence=st.text(max_size=80), note=st.text(max_size=80))
def test_any_typed_text_round_trips_through_the_loader(tmp_path, team, evidence, note):
    team, _ = check_field("team", team)
    if team is None:
        return
    evidence, note = check_field("assessor", evidence)[0] or "", check_field("assessor", note)[0] or ""
    path, doc = tiny_doc(tmp_path)
    doc.set_field("team", team)
    doc.set_field("organization", evidence or None)
    doc.record("b2", Entry("yes", evidence, note))
    doc.record("r2", Entry("n/a", "", note or "x"))
    doc.save(path)
    loaded = pipeline.load_answers(path).answers
    assert (loaded.team, loaded.organization) == (team, evidence)
    assert answers_of(path) == {"b2": ("yes", evidence, note), "r2": ("n/a", "", note or "x")}


def test_loading_accepts_a_missing_team_and_the_init_placeholder(tmp_path, cli):
    path = tmp_path / "a.yaml"
    path.write_text(f"organization: Acme\nmodel: {TINY_MODEL}\nanswers:\n  b2: yes\n")
    doc = AnswersDocument.load(path)
    assert doc.missing_fields() == ["team", "assessor", "assessed_on", "target_level", "context.platform",
                                    "context.team_size", "context.capacity", "context.regulated"]
    assert doc.entries == {"b2": Entry("yes")}
    assert cli("init", "-o", tmp_path / "t.yaml", "--model", TINY_MODEL).exit_code == 0
    assert AnswersDocument.load(tmp_path / "t.yaml").missing_fields() == ["team"]


def test_loading_an_invalid_file_reports_its_location(tmp_path):
    path = tmp_path / "a.yaml"
    path.write_text("team: T\nanswers:\n  b2: maybe\n")
    with pytest.raises(InputError) as info:
        AnswersDocument.load(path, model=str(TINY_MODEL))
    assert info.value.messages() == [
        f"{path}:3:7: error: answer to 'b2' must be one of yes, partial, no, n/a, found 'maybe'"]


# -- the dialogue through stdin (plain prompts) ---------------------------------------------------

def run(cli, tmp_path: Path, text: str, *args: str):
    return cli("assess", "-o", tmp_path / "a.yaml", "--model", TINY_MODEL, *args, input=text)


def test_plain_full_run_then_render(cli, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    lines = HEADER + "y\nCI logs\np\n\nn\na\nbatch only\n" + "n\n" * 5 + "n\ny\n\n" + "m\n\n"
    result = run(cli, tmp_path, lines)
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert out.startswith("reportgen self-assessment: Tiny test model (tiny 1): 11 questions in 3 sections, "
                          "about ten minutes.\n")
    assert "Team name: Team X\n" in out  # piped answers are echoed: a readable transcript
    assert "\n== Build (section 1 of 3) ==\n\nQuestion 1 of 11 · Build · level 2 (Repeatable)\nB2\n  B2?\n" in out
    assert "Question 10 of 11 · Practices to stop · caps the level at 2 (Repeatable)\nHand deploys\n" in out
    assert ("Answer? y=yes p=partial n=no a=n/a s=skip b=back q=quit: y\n"
            "Evidence: a link, a repo path, a dashboard (optional): CI logs\n") in out
    assert "Why does it not apply? (one line): batch only\n" in out
    assert f"Saved {tmp_path / 'a.yaml'}: all 11 questions answered.\n" in out
    assert "\nTeam X: level 1 of 5 (Manual)\n" in out
    assert "Render the report now? m=markdown h=html p=pdf n=no (Enter: md): m\nReport file [team-x.md]: \n" \
           "wrote team-x.md\n" in out
    path = tmp_path / "a.yaml"
    assert answers_of(path) == {
        "b2": ("yes", "CI logs", ""), "b3": ("partial", "", ""), "b4": ("no", "", ""),
        "b5": ("n/a", "", "batch only"), "r2": ("no", "", ""), "r2b": ("no", "", ""), "r3": ("no", "", ""),
        "r4": ("no", "", ""), "r5": ("no", "", ""), "hand-deploys": ("no", "", ""), "no-tests": ("yes", "", "")}
    loaded = pipeline.load_answers(path).answers
    assert (loaded.team, loaded.organization, loaded.assessor, loaded.assessed_on, loaded.target_level) == (
        "Team X", "Acme Bank", "J. Doe", "2026-11-20", 4)
    # The report written at the end is exactly `reportgen render`'s.
    assert cli("render", path, "-o", tmp_path / "same.md").exit_code == 0
    assert (tmp_path / "team-x.md").read_bytes() == (tmp_path / "same.md").read_bytes()
    # The file names its model relative to itself, so later commands need no --model.
    assert yaml.safe_load(path.read_text())["model"] == os.path.relpath(TINY_MODEL, tmp_path)


def test_plain_quit_then_resume_asks_only_what_is_left(cli, tmp_path):
    result = run(cli, tmp_path, HEADER + "y\n\np\n\nn\nq\n")
    assert result.exit_code == 0
    path = tmp_path / "a.yaml"
    assert result.stdout.endswith(f"\nSaved {path}: 3 of 11 questions answered. "
                                  f"Run `reportgen assess -o {path}` to continue.\n")
    assert list(answers_of(path)) == ["b2", "b3", "b4"]
    # Resume: no header questions, the first unanswered question, numbered among those left.
    result = cli("assess", "-o", path, input="s\nn\nq\n")
    assert result.exit_code == 0, result.output
    assert f"Resuming {path}: 8 question(s) left to answer (--all to revisit every one).\n" in result.stdout
    assert "Team name" not in result.stdout
    assert "\n== Build (section 1 of 3) ==\n\nQuestion 1 of 8 · Build · level 5 (Adaptive)\nB5\n" in result.stdout
    assert "\n== Run (section 2 of 3) ==\n\nQuestion 2 of 8 · Run · level 2 (Repeatable)\n" in result.stdout
    assert answers_of(path) == {"b2": ("yes", "", ""), "b3": ("partial", "", ""), "b4": ("no", "", ""),
                                "r2": ("no", "", "")}


def test_plain_end_of_input_keeps_every_answer_given(cli, tmp_path):
    result = run(cli, tmp_path, HEADER + "y\nlink\np\n")  # input ends at the evidence prompt
    assert result.exit_code == 0
    assert result.stdout.endswith(f"\nEnd of input.\nSaved {tmp_path / 'a.yaml'}: 1 of 11 questions answered. "
                                  f"Run `reportgen assess -o {tmp_path / 'a.yaml'}` to continue.\n")
    assert answers_of(tmp_path / "a.yaml") == {"b2": ("yes", "link", "")}


def test_plain_end_of_input_before_the_team_saves_nothing(cli, tmp_path):
    result = run(cli, tmp_path, "")
    assert result.exit_code == 0
    assert result.stdout.endswith("Team name: \nEnd of input.\nNothing saved yet.\n")
    assert not (tmp_path / "a.yaml").exists()


def test_plain_back_skip_and_invalid_keys(cli, tmp_path):
    result = run(cli, tmp_path, HEADER + "b\nwhat\ny\n\nb\n\n\ns\nq\n")
    out = result.stdout
    assert "  This is the first question.\n" in out
    assert "  Please type one of: y, p, n, a, s, b, q.\n" in out
    # Back to question 1: its answer is shown and is the default on Enter; the evidence too.
    assert "Question 1 of 11 · Build · level 2 (Repeatable)\nB2\n  B2?\n  Current answer: yes\n" \
           "Answer? y=yes p=partial n=no a=n/a s=skip b=back q=quit (Enter: yes): \n" in out
    assert answers_of(tmp_path / "a.yaml") == {"b2": ("yes", "", "")}


def test_plain_na_needs_a_justification(cli, tmp_path):
    result = run(cli, tmp_path, HEADER + "a\n\n  \nno models in batch\nq\n")
    assert result.stdout.count("  a short justification is needed for n/a\n") == 2
    assert answers_of(tmp_path / "a.yaml") == {"b2": ("n/a", "", "no models in batch")}


def test_plain_header_fields_are_validated_and_asked_once(cli, tmp_path):
    result = run(cli, tmp_path, "\nTeam X\n\n\n2026-13-01\n\n9\n\n" + "\n" * 4 + "q\n")
    out = result.stdout
    assert "Team name: \n  the team name is required\nTeam name: Team X\n" in out
    assert "  2026-13-01 is not a real date\n" in out
    assert "  a whole number from 1 to 5\n" in out
    text = (tmp_path / "a.yaml").read_text()
    assert "\nteam: Team X\norganization:\nassessed_on:\nassessor:\ntarget_level:\nmodel: " in text
    # Left empty once, they are not asked again.
    result = cli("assess", "-o", tmp_path / "a.yaml", input="q\n")
    assert "Organization" not in result.stdout and "Question 1 of 11" in result.stdout


def test_plain_all_reasks_with_current_answers_as_defaults(cli, tmp_path):
    path = tmp_path / "a.yaml"
    path.write_text(FULL.format(model=TINY_MODEL))
    before = answers_of(path)
    # New date; Enter keeps every other field, every answer and its evidence; then quit at the render prompt.
    header = "\n\n\n2027-02-20\n\n" + "\n" * 4  # and the context, left empty
    keep = {"yes": "\n\n", "partial": "\n\n", "n/a": "\n\n", "no": "\n"}
    lines = "".join(keep[before[i][0]] if i in before else "s\n" for i in TINY_IDS)
    result = cli("assess", "-o", path, "--all", input=header + lines + "n\n")
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "Team name [Fraud Detection]: \n" in out
    assert "Evidence: a link, a repo path, a dashboard (Enter keeps it, - clears it) " \
           "[pipeline: nightly # not hourly]: \n" in out
    assert "Why does it not apply? (one line) [batch scoring only]: \n" in out
    assert answers_of(path) == before
    assert pipeline.load_answers(path).answers.assessed_on == "2027-02-20"
    assert f"Render it later with: reportgen render {path}\n" in out


def test_plain_complete_file_goes_straight_to_the_summary(cli, tmp_path):
    path = tmp_path / "a.yaml"
    path.write_text(FULL.format(model=TINY_MODEL).replace("answers:\n", "answers:\n" + "".join(
        f"  {i}: no\n" for i in TINY_IDS if i not in ("b2", "b3", "r2", "hand-deploys"))))
    result = cli("assess", "-o", path, input="n\n")
    assert result.exit_code == 0, result.output
    assert f"Every question in {path} is answered already (--all to revisit them).\n" in result.stdout
    assert "Fraud Detection: level 1 of 5 (Manual)" in result.stdout


def test_an_invalid_existing_file_is_reported_and_left_alone(cli, tmp_path):
    path = tmp_path / "a.yaml"
    path.write_text("team: T\nanswers:\n  b2: maybe\n")
    result = run(cli, tmp_path, "y\n")
    assert result.exit_code == 1
    assert result.stderr == f"{path}:3:7: error: answer to 'b2' must be one of yes, partial, no, n/a, found 'maybe'\n"
    assert path.read_text() == "team: T\nanswers:\n  b2: maybe\n"


def test_why_it_matters_is_shown(cli, tmp_path):
    model = tmp_path / "m.yaml"
    model.write_text(TINY_MODEL.read_text().replace(
        "{id: b2, level: 2, title: B2, question: B2?, effort: 1}",
        "{id: b2, level: 2, title: B2, question: B2?, effort: 1, why: Rebuilds need it.}"))
    result = cli("assess", "-o", tmp_path / "a.yaml", "--model", model, input="T\n\n\n\n\n" + "\n" * 4 + "q\n")
    assert "Question 1 of 11 · Build · level 2 (Repeatable)\nB2\n  B2?\n  Why it matters: Rebuilds need it.\n" \
           in result.stdout


def test_default_model_full_run(cli, tmp_path, monkeypatch):
    if not (ROOT / "reportgen" / "models" / "mlops.yaml").exists():
        pytest.skip("default model not built yet")
    monkeypatch.chdir(tmp_path)
    qs = questions(pipeline.load_model())
    lines = "Team D\n\n\n\n\n" + "\n" * 4 + "".join("y\n\n" if q.kind == "capability" else "n\n" for q in qs) + "n\n"
    result = cli("assess", input=lines)
    assert result.exit_code == 0, result.output
    n = len(qs)
    assert f"Question {n} of {n} · Practices to stop" in result.stdout
    assert "Why it matters: " in result.stdout
    assert f"Saved answers.yaml: all {n} questions answered.\n" in result.stdout
    assert "Team D: level 5 of 5 (Adaptive)" in result.stdout
    assert "\nmodel: mlops\n" in Path("answers.yaml").read_text()
    assert cli("validate", "answers.yaml", "--strict").exit_code == 0


def test_assess_help_has_examples(cli):
    out = cli("assess", "--help").stdout
    assert "Examples:" in out and "reportgen assess -o answers.yaml --all" in out


# -- the dialogue through a real pseudo-terminal ----------------------------------------------------

_ANSI = re.compile(r"\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b\][^\x07]*\x07|\x1b[=>()][0-9A-Za-z]?|\r")


class Terminal:
    """`python -m reportgen ARGS` on a pseudo-terminal, driven like a person would (with timeouts)."""

    def __init__(self, args: list[str], cwd: Path):
        pid, fd = pty.fork()
        if pid == 0:  # child
            try:
                os.chdir(cwd)
                env = {**os.environ, "TERM": "xterm-256color", "PROMPT_TOOLKIT_NO_CPR": "1",
                       "PYTHONPATH": str(ROOT)}
                env.pop("NO_COLOR", None)
                os.execve(sys.executable, [sys.executable, "-m", "reportgen", *args], env)
            finally:
                os._exit(127)
        fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 120, 0, 0))
        self.pid, self.fd, self.raw, self.seen = pid, fd, b"", 0
        self.status: int | None = None

    @property
    def text(self) -> str:
        return _ANSI.sub("", self.raw.decode("utf-8", "replace"))

    def _read(self, timeout: float) -> bool:
        ready, _, _ = select.select([self.fd], [], [], timeout)
        if not ready:
            return True
        try:
            data = os.read(self.fd, 65536)
        except OSError:  # the child closed the terminal
            return False
        self.raw += data
        return bool(data)

    def expect(self, needle: str, timeout: float = 20) -> None:
        deadline = time.monotonic() + timeout
        while True:
            at = self.text.find(needle, self.seen)
            if at >= 0:
                self.seen = at + len(needle)
                return
            if time.monotonic() > deadline or not self._read(0.1):
                raise AssertionError(f"did not see {needle!r}; screen so far:\n{self.text[-3000:]}")

    def send(self, keys: str) -> None:
        os.write(self.fd, keys.encode())

    def wait(self, timeout: float = 20) -> int:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            self._read(0.05)
            pid, status = os.waitpid(self.pid, os.WNOHANG)
            if pid:
                while self._read(0.05):
                    pass
                self.status = os.waitstatus_to_exitcode(status)
                return self.status
        raise AssertionError(f"still running; screen so far:\n{self.text[-3000:]}")

    def close(self) -> None:
        if self.status is None:
            try:
                os.kill(self.pid, signal.SIGKILL)
                os.waitpid(self.pid, 0)
            except (ProcessLookupError, ChildProcessError):
                pass
        os.close(self.fd)


@pytest.fixture
def terminal(tmp_path):
    started: list[Terminal] = []

    def start(*args: str) -> Terminal:
        t = Terminal([str(a) for a in args], tmp_path)
        started.append(t)
        return t

    yield start
    for t in started:
        t.close()


DOWN, UP, ENTER, CTRL_C = "\x1b[B", "\x1b[A", "\r", "\x03"


def fill_in_header(t: Terminal) -> None:
    """Organization, assessor, date, target and the context: Enter leaves each empty."""
    for label in ("Organization", "Assessor", "Date of the assessment", "Target level", "Where your models run",
                  "People delivering ML", "Person-weeks a week", "Personal, financial or health data"):
        t.expect(label)
        t.send(ENTER)
MENU = "press the letter"  # the hint under every arrow-key menu


def test_terminal_menus_with_arrows_and_letters(terminal, tmp_path):
    t = terminal("assess", "-o", "a.yaml", "--model", TINY_MODEL)
    t.expect("Team name:")
    t.send("Team PTY" + ENTER)
    fill_in_header(t)
    t.expect("Question 1 of 11 · Build · level 2 (Repeatable)")
    t.expect(MENU)
    t.send(DOWN)  # yes -> partial
    t.send(ENTER)
    t.expect("Answer? Partial")
    t.expect("Evidence:")
    t.send("dashboards/ci" + ENTER)
    t.expect("Question 2 of 11")
    t.expect(MENU)
    t.send("y")  # a letter picks at once
    t.expect("Answer? Yes")
    t.expect("Evidence:")
    t.send(ENTER)
    t.expect("Question 3 of 11")
    t.expect(MENU)
    t.send("b")  # back to question 2: its answer is preselected
    t.expect("Question 2 of 11")
    t.expect("Current answer: yes")
    t.expect(MENU)
    t.send(DOWN + DOWN + ENTER)  # yes -> partial -> no
    t.expect("Answer? No")
    t.expect("Question 3 of 11")
    t.expect(MENU)
    t.send(UP + UP + UP + UP + ENTER)  # from yes, up wraps to the last item, then up to n/a
    t.expect("Answer? N/A")
    t.expect("Why does it not apply?")
    t.send("no such thing" + ENTER)
    t.expect("Question 4 of 11")
    t.expect(MENU)
    t.send("q")
    t.expect("Answer? Quit")
    assert t.wait() == 0
    t.expect("Saved a.yaml: 3 of 11 questions answered. Run `reportgen assess -o a.yaml` to continue.")
    assert answers_of(tmp_path / "a.yaml") == {"b2": ("partial", "dashboards/ci", ""), "b3": ("no", "", ""),
                                               "b4": ("n/a", "", "no such thing")}
    assert pipeline.load_answers(tmp_path / "a.yaml").answers.team == "Team PTY"


def test_terminal_ctrl_c_keeps_the_answers_and_resume_continues(terminal, tmp_path):
    t = terminal("assess", "-o", "a.yaml", "--model", TINY_MODEL)
    t.expect("Team name:")
    t.send("Team PTY" + ENTER)
    fill_in_header(t)
    for _ in range(2):
        t.expect(MENU)
        t.send("n")
    t.expect("Question 3 of 11")
    t.expect(MENU)
    t.send(CTRL_C)
    assert t.wait() == 130
    t.expect("Interrupted.")
    t.expect("Saved a.yaml: 2 of 11 questions answered.")
    assert answers_of(tmp_path / "a.yaml") == {"b2": ("no", "", ""), "b3": ("no", "", "")}

    t = terminal("assess", "-o", "a.yaml")  # the model is named in the file now
    t.expect("Resuming a.yaml: 9 question(s) left to answer")
    t.expect("Question 1 of 9 · Build · level 4 (Governed)")
    t.expect(MENU)
    t.send("p")
    t.expect("Evidence:")
    t.send(CTRL_C)  # Ctrl-C at a text prompt: the answer before it is kept
    assert t.wait() == 130
    assert answers_of(tmp_path / "a.yaml") == {"b2": ("no", "", ""), "b3": ("no", "", "")}


def test_terminal_plain_mode_ctrl_c(terminal, tmp_path):
    t = terminal("assess", "-o", "a.yaml", "--model", TINY_MODEL, "--plain")
    t.expect("Team name: ")
    t.send("Team P\n\n\n\n\n" + "\n" * 4)
    t.expect("Answer? y=yes")
    t.send("y\nrunbook\n")
    t.expect("Question 2 of 11")
    t.send(CTRL_C)
    assert t.wait() == 130
    t.expect("Interrupted.")
    assert answers_of(tmp_path / "a.yaml") == {"b2": ("yes", "runbook", "")}


def test_terminal_closed_mid_way_keeps_the_answers(terminal, tmp_path):
    t = terminal("assess", "-o", "a.yaml", "--model", TINY_MODEL)
    t.expect("Team name:")
    t.send("Team PTY" + ENTER)
    fill_in_header(t)
    t.expect(MENU)
    t.send("y")
    t.expect("Evidence:")
    t.send(ENTER)
    t.expect("Question 2 of 11")
    t.expect(MENU)
    os.kill(t.pid, signal.SIGHUP)  # the terminal window is closed
    t.wait()
    assert answers_of(tmp_path / "a.yaml") == {"b2": ("yes", "", "")}
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []
