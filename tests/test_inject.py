"""Keeping the report fresh in a repository: --inject between markers, --format github
annotations, the pre-commit hooks and the composite GitHub Action."""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from conftest import ROOT, TINY_MODEL
from reportgen.errors import InputError, github_annotation
from reportgen.inject import BEGIN, END, inject

ANSWERS = """\
team: Fraud Detection
assessed_on: 2026-11-20
model: models/tiny.yaml
answers:
  b2: yes
  r2: yes
  r2b: no
"""


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A team repository: answers.yaml naming its model by a relative path, and a README."""
    (tmp_path / "models").mkdir()
    (tmp_path / "models" / "tiny.yaml").write_text(TINY_MODEL.read_text())
    (tmp_path / "answers.yaml").write_text(ANSWERS)
    return tmp_path


def problem(text: str | None, report: str = "R\n") -> str:
    with pytest.raises(InputError) as info:
        inject(text, report, "README.md")
    return "\n".join(info.value.messages())


# -- the library -----------------------------------------------------------------

def test_inject_replaces_only_the_text_between_the_markers():
    text = f"# Team\n\nIntro.\n\n{BEGIN}\nold report\nmore\n{END}\n\nFooter.\n"
    assert inject(text, "# New\n\nbody\n") == f"# Team\n\nIntro.\n\n{BEGIN}\n# New\n\nbody\n{END}\n\nFooter.\n"


def test_inject_is_idempotent_and_handles_adjacent_markers():
    text = f"{BEGIN}\n{END}\n"
    once = inject(text, "report\n")
    assert once == f"{BEGIN}\nreport\n{END}\n"
    assert inject(once, "report\n") == once
    assert inject(once, "report") == once  # a missing final newline is added


def test_inject_creates_the_markers_for_a_new_file():
    assert inject(None, "report\n") == f"{BEGIN}\nreport\n{END}\n"


def test_inject_keeps_crlf_line_endings_and_marker_indentation():
    text = f"intro\r\n  {BEGIN}  \r\nold\r\n{END}\r\nend\r\n"
    assert inject(text, "a\nb\n") == f"intro\r\n  {BEGIN}  \r\na\r\nb\r\n{END}\r\nend\r\n"


def test_markers_inside_code_fences_are_ignored():
    text = f"```markdown\n{BEGIN}\n{END}\n```\n\n~~~\n{END}\n~~~\n{BEGIN}\nold\n{END}\n"
    assert inject(text, "new\n").endswith(f"~~~\n{BEGIN}\nnew\n{END}\n")


@pytest.mark.parametrize("text, message", [
    ("# Title\nno markers\n",
     f"README.md:1:1: error: no {BEGIN} / {END} markers; add the two lines where the report should go"),
    (f"a\n\n{BEGIN}\ntext\n",
     f"README.md:3:1: error: {BEGIN} has no matching {END} after it"),
    (f"a\n  {END}\n",
     f"README.md:2:3: error: {END} has no matching {BEGIN} before it"),
    (f"{END}\nx\n{BEGIN}\n",
     f"README.md:1:1: error: {END} comes before {BEGIN} (line 3); swap them"),
    (f"{BEGIN}\n{END}\n{BEGIN}\n{END}\n",
     f"README.md:3:1: error: a second {BEGIN} marker (the first is on line 1); keep exactly one pair"),
    (f"{BEGIN}\n{END}\n{END}\n",
     f"README.md:3:1: error: a second {END} marker (the first is on line 2); keep exactly one pair"),
    (f"{BEGIN}\nSee {END} here\n",
     f"README.md:2:5: error: the marker {END} must stand alone on its line"),
])
def test_marker_errors_are_located(text, message):
    assert problem(text) == message


def test_report_text_cannot_forge_a_marker(repo, cli):
    """Untrusted strings are escaped in Markdown, so a team name cannot close the block."""
    (repo / "answers.yaml").write_text(ANSWERS.replace("Fraud Detection", f"'x {END}'"))
    readme = repo / "README.md"
    readme.write_text(f"{BEGIN}\n{END}\n")
    assert cli("render", repo / "answers.yaml", "--inject", readme).exit_code == 0
    # injecting again finds exactly one pair: the forged one is escaped text
    assert cli("render", repo / "answers.yaml", "--inject", readme, "--check").exit_code == 0
    assert readme.read_text().count(END) == 1


# -- render --inject ---------------------------------------------------------------

def test_render_inject_into_an_existing_readme(repo, cli):
    readme = repo / "README.md"
    readme.write_text(f"# Our ML platform\n\nSee below.\n\n{BEGIN}\nstale\n{END}\n\n## Contact\n")
    result = cli("render", repo / "answers.yaml", "--inject", readme)
    assert result.exit_code == 0, result.stderr
    assert result.stderr == f"wrote {readme}\n"
    text = readme.read_text()
    assert text.startswith(f"# Our ML platform\n\nSee below.\n\n{BEGIN}\n# ")
    assert text.endswith(f"\n{END}\n\n## Contact\n")
    assert "stale" not in text
    # The injected block is exactly the Markdown report.
    cli("render", repo / "answers.yaml", "-o", repo / "ROADMAP.md")
    assert text.split(f"{BEGIN}\n")[1].split(END)[0] == (repo / "ROADMAP.md").read_text()
    # Fresh: --check passes and writes nothing.
    result = cli("render", repo / "answers.yaml", "--inject", readme, "--check")
    assert (result.exit_code, result.stderr) == (0, f"{readme}: up to date\n")


def test_render_inject_creates_a_missing_file(repo, cli):
    target = repo / "docs" / "MATURITY.md"
    assert cli("render", repo / "answers.yaml", "--inject", target).exit_code == 0
    text = target.read_text()
    assert text.startswith(f"{BEGIN}\n# ") and text.endswith(f"{END}\n")


def test_render_inject_check_detects_a_stale_block(repo, cli):
    readme = repo / "README.md"
    readme.write_text(f"{BEGIN}\n{END}\n")
    cli("render", repo / "answers.yaml", "--inject", readme)
    (repo / "answers.yaml").write_text(ANSWERS + "  r3: yes\n")
    before = readme.read_bytes()
    result = cli("render", repo / "answers.yaml", "--inject", readme, "--check")
    assert result.exit_code == 1
    assert result.stderr == (f"{readme}: stale\n"
                             "1 file(s) out of date; run the same command without --check to update\n")
    assert readme.read_bytes() == before
    # A missing file is stale too, and --check does not create it.
    result = cli("render", repo / "answers.yaml", "--inject", repo / "NEW.md", "--check")
    assert result.exit_code == 1 and not (repo / "NEW.md").exists()


def test_render_inject_bad_markers_leave_the_file_alone(repo, cli):
    readme = repo / "README.md"
    original = f"# Title\n\n{END}\n{BEGIN}\n"
    readme.write_text(original)
    result = cli("render", repo / "answers.yaml", "--inject", readme)
    assert result.exit_code == 1
    assert result.stderr == f"{readme}:3:1: error: {END} comes before {BEGIN} (line 4); swap them\n"
    assert readme.read_text() == original
    assert [p.name for p in repo.iterdir() if p.name.startswith(".README")] == []  # no temp file left


def test_render_inject_refuses_a_binary_file(repo, cli):
    readme = repo / "README.md"
    readme.write_bytes(b"\x00\x01")
    result = cli("render", repo / "answers.yaml", "--inject", readme)
    assert (result.exit_code, result.stderr) == (
        1, f"{readme}:1:1: error: file is binary (contains NUL bytes), expected Markdown text\n")


def test_render_inject_usage_errors(repo, cli):
    result = cli("render", repo / "answers.yaml", "--inject", repo / "README.md", "-o", repo / "x.md")
    assert result.exit_code == 2
    assert "Error: --inject FILE is where the report goes; leave out -o" in result.stderr
    result = cli("render", repo / "answers.yaml", "--inject", repo / "README.md", "--format", "html")
    assert result.exit_code == 2
    assert "--inject puts the Markdown report in a Markdown file" in result.stderr
    assert not (repo / "README.md").exists()


# -- --format github annotations ----------------------------------------------------

def test_github_annotation_escaping():
    assert github_annotation("bad value", "a.yaml", 3, 7) == "::error file=a.yaml,line=3,col=7::bad value"
    assert github_annotation("100% wrong\nreally\r", "dir,x/a:b.yaml", 1, 1) == (
        "::error file=dir%2Cx/a%3Ab.yaml,line=1,col=1::100%25 wrong%0Areally%0D")
    assert github_annotation("no file") == "::error::no file"


def test_validate_format_github(cli, tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("team: T\nassessed_on: 2026-13-45\nanswers:\n  b2: maybe\n  b9: yes\n")
    result = cli("validate", bad, "--model", TINY_MODEL, "--format", "github")
    assert result.exit_code == 1
    assert result.stdout == (
        f"::error file={bad},line=2,col=14::'assessed_on' must be a date written YYYY-MM-DD, found '2026-13-45'\n"
        f"::error file={bad},line=4,col=7::answer to 'b2' must be one of yes, partial, no, n/a, found 'maybe'\n"
        f"::error file={bad},line=5,col=3::unknown question id 'b9' in model 'tiny'\n")
    assert result.stderr == ""
    # The default text format is unchanged.
    result = cli("validate", bad, "--model", TINY_MODEL)
    assert result.stderr.splitlines()[0] == (
        f"{bad}:2:14: error: 'assessed_on' must be a date written YYYY-MM-DD, found '2026-13-45'")


def test_validate_format_github_ok(cli, repo):
    result = cli("validate", repo / "answers.yaml", "--format", "github")
    assert (result.exit_code, result.stdout) == (0, f"{repo / 'answers.yaml'}: ok\n")


def test_score_format_github_gate(cli, repo):
    answers = repo / "answers.yaml"
    result = cli("score", answers, "--fail-under", "3", "--format", "github")
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert lines[0] == "Fraud Detection: level 1 of 5 (Manual) - preliminary: 3 of 11 questions answered"
    assert lines[-1] == (f"::error file={answers}::level 1 (Manual) is below the required level 3 (--fail-under)")
    assert result.stderr == ""
    # text: the same gate as a plain message on stderr
    result = cli("score", answers, "--fail-under", "3")
    assert result.stderr == f"{answers}: error: level 1 (Manual) is below the required level 3 (--fail-under)\n"
    assert cli("score", answers, "--fail-under", "1", "--format", "github").exit_code == 0


def test_score_format_github_input_error(cli, tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("team: [x]\n")
    result = cli("score", bad, "--model", TINY_MODEL, "--format", "github")
    assert result.exit_code == 1
    assert result.stdout == f"::error file={bad},line=1,col=7::answers file: 'team' must be text, found a list\n"


# -- pre-commit hooks ----------------------------------------------------------------

def hooks() -> dict[str, dict]:
    return {h["id"]: h for h in yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())}


def run_hook(cli, hook: dict, args: list[str] | None = None):
    """Run a hook as pre-commit does: entry + args, once, without file names."""
    words = shlex.split(hook["entry"])
    assert words[0] == "reportgen"
    return cli(*words[1:], *(hook["args"] if args is None else args))


def test_pre_commit_hooks_are_well_formed():
    found = hooks()
    assert list(found) == ["reportgen-render", "reportgen-check"]
    for hook in found.values():
        assert hook["language"] == "python" and hook["pass_filenames"] is False
        assert {"id", "name", "entry", "description", "files", "args"} <= set(hook)
        assert re.search(hook["files"], "answers.yaml") and re.search(hook["files"], "ROADMAP.md")
        assert not re.search(hook["files"], "train.py")


def test_pre_commit_regenerate_then_check(cli, repo, monkeypatch):
    monkeypatch.chdir(repo)
    render, check = hooks()["reportgen-render"], hooks()["reportgen-check"]
    # No report yet: the check hook fails, the regenerate hook writes it, then the check passes.
    assert run_hook(cli, check).exit_code == 1
    result = run_hook(cli, render)
    assert (result.exit_code, result.stderr) == (0, "wrote ROADMAP.md\n")
    assert run_hook(cli, check).exit_code == 0
    first = Path("ROADMAP.md").read_bytes()
    assert run_hook(cli, render).exit_code == 0 and Path("ROADMAP.md").read_bytes() == first  # stable
    # Answers change: the check fails until the report is regenerated.
    Path("answers.yaml").write_text(ANSWERS + "  r3: yes\n")
    assert run_hook(cli, check).exit_code == 1
    assert run_hook(cli, render).exit_code == 0
    assert run_hook(cli, check).exit_code == 0


def test_pre_commit_hooks_with_inject(cli, repo, monkeypatch):
    monkeypatch.chdir(repo)
    Path("README.md").write_text(f"# Repo\n\n{BEGIN}\n{END}\n")
    args = ["answers.yaml", "--inject", "README.md"]
    assert run_hook(cli, hooks()["reportgen-check"], args).exit_code == 1
    assert run_hook(cli, hooks()["reportgen-render"], args).exit_code == 0
    assert run_hook(cli, hooks()["reportgen-check"], args).exit_code == 0


# -- the composite GitHub Action -----------------------------------------------------------

ACTION = yaml.safe_load((ROOT / "action.yml").read_text())
_EXPR = re.compile(r"\$\{\{\s*inputs\.([a-z-]+)\s*\}\}")


def run_action(repo: Path, **given: str) -> tuple[int, str, dict[str, str], str]:
    """Run the action's shell steps as the runner would (bash -eo pipefail), with reportgen
    from this checkout on PATH instead of the install step. Returns (exit code of the first
    failing step or 0, output, step outputs, job summary)."""
    inputs = {name: spec.get("default", "") for name, spec in ACTION["inputs"].items()}
    inputs.update({k.replace("_", "-"): v for k, v in given.items()})
    temp = repo / ".runner"
    temp.mkdir(exist_ok=True)
    output_file, summary_file = temp / "output", temp / "summary"
    output_file.write_text("")
    summary_file.write_text("")
    env = {**os.environ, "RUNNER_TEMP": str(temp), "GITHUB_OUTPUT": str(output_file),
           "GITHUB_STEP_SUMMARY": str(summary_file), "GITHUB_ACTION_PATH": str(ROOT),
           "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}
    log = []
    for step in ACTION["runs"]["steps"]:
        if "run" not in step or step["name"] == "Install reportgen":
            continue
        step_env = {k: _EXPR.sub(lambda m: inputs[m.group(1)], str(v)) for k, v in step.get("env", {}).items()}
        assert "${{" not in step["run"], "inputs reach scripts through env only (no script injection)"
        proc = subprocess.run(["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", step["run"]], cwd=repo,
                              env={**env, **step_env}, capture_output=True, text=True, timeout=60)
        log.append(proc.stdout + proc.stderr)
        if proc.returncode:
            return proc.returncode, "".join(log), {}, summary_file.read_text()
    outputs = dict(line.split("=", 1) for line in output_file.read_text().splitlines())
    return 0, "".join(log), outputs, summary_file.read_text()


def test_action_metadata():
    assert ACTION["runs"]["using"] == "composite"
    assert set(ACTION["inputs"]) == {"answers", "output", "inject", "check", "fail-under", "model", "summary",
                                     "python-version"}
    install = next(s for s in ACTION["runs"]["steps"] if s.get("name") == "Install reportgen")
    assert 'pip install' in install["run"] and '"$GITHUB_ACTION_PATH"' in install["run"]
    assert all(s.get("shell") == "bash" for s in ACTION["runs"]["steps"] if "run" in s)


def test_action_writes_then_checks_then_gates(repo):
    code, log, outputs, summary = run_action(repo, check="false")
    assert code == 0, log
    assert (repo / "ROADMAP.md").exists()
    assert outputs == {"level": "1", "level-name": "Manual"}
    assert summary.startswith("# ") and "## Executive summary" in summary
    code, log, _, _ = run_action(repo)  # check (the default): fresh
    assert code == 0, log
    assert "ROADMAP.md: up to date" in log


def test_action_fails_on_a_stale_report_with_an_annotation(repo):
    assert run_action(repo, check="false")[0] == 0
    (repo / "answers.yaml").write_text(ANSWERS + "  r3: yes\n")
    code, log, _, _ = run_action(repo)
    assert code == 1
    assert "::error file=ROADMAP.md::ROADMAP.md is out of date; run: reportgen render answers.yaml -o ROADMAP.md" in log


def test_action_level_gate(repo):
    assert run_action(repo, check="false")[0] == 0
    code, log, _, _ = run_action(repo, fail_under="2")
    assert code == 1
    assert "::error file=answers.yaml::level 1 (Manual) is below the required level 2 (--fail-under)" in log
    assert run_action(repo, fail_under="1")[0] == 0


def test_action_annotates_invalid_answers(repo):
    (repo / "answers.yaml").write_text(ANSWERS + "  r9: yes\n")
    code, log, _, _ = run_action(repo, check="false")
    assert code == 1
    assert "::error file=answers.yaml,line=8,col=3::unknown question id 'r9' in model 'tiny'" in log


def test_action_with_inject(repo):
    (repo / "README.md").write_text(f"# Repo\n\n{BEGIN}\n{END}\n")
    assert run_action(repo, inject="README.md", check="false")[0] == 0
    assert not (repo / "ROADMAP.md").exists()
    code, log, _, _ = run_action(repo, inject="README.md")
    assert code == 0 and "README.md: up to date" in log
