"""`reportgen batch`: many teams, fault isolation, collisions, shards, the manifest, kill -9."""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import ROOT, TINY_MODEL

from reportgen.batch.inputs import discover, parse_shard, shard_index, take_shard

_spec = importlib.util.spec_from_file_location("gen_teams", ROOT / "benchmarks" / "gen_teams.py")
gen_teams = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(gen_teams)

GOOD = """\
team: {team}
organization: {org}
assessed_on: 2026-11-20
answers:
  b2: yes
  r2: yes
  r2b: partial
"""


@pytest.fixture(autouse=True)
def not_in_ci(monkeypatch):
    """Plain-line progress unless a test asks for CI mode (the suite itself may run in CI)."""
    monkeypatch.delenv("CI", raising=False)


def team(folder: Path, name: str, team_name: str | None = None, org: str = "Acme", text: str | None = None) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text if text is not None else GOOD.format(team=team_name or name, org=org))
    return path


def fine_and_boom(tmp_path: Path, template: str, block: str) -> tuple[Path, Path]:
    """Teams "Fine" (a.yaml) and "Boom" (b.yaml), and a `template` override whose
    `block` fails for Boom only (an undefined key)."""
    teams = tmp_path / "teams"
    team(teams, "a.yaml", "Fine")
    team(teams, "b.yaml", "Boom")
    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / template).write_text(
        f'{{% extends "builtin/{template}" %}}{{% block {block} %}}{{% if r.team == "Boom" %}}{{{{ r.no_such_key }}}}'
        '{% endif %}{{ super() }}{% endblock %}')
    return teams, templates


def outputs(folder: Path) -> dict[str, bytes]:
    """Every output file under `folder` (not the manifest), by relative path."""
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file() and not p.name.startswith(".")}


def batch(cli, *args):
    return cli("batch", *args, "--model", TINY_MODEL)


# -- the happy path --------------------------------------------------------------------------


def test_renders_every_team_keeping_folder_structure_and_writes_the_portfolio(cli, tmp_path):
    teams = tmp_path / "teams"
    team(teams, "alpha.yaml", "Alpha")
    team(teams, "emea/beta.yml", "Beta")
    team(teams, "emea/deep/gamma.yaml", "Gamma", org="Globex")
    (teams / "notes.txt").write_text("not an answers file")
    (teams / ".hidden.yaml").write_text("team: [broken")
    out = tmp_path / "out"

    result = batch(cli, teams, "-o", out, "--format", "md", "--jobs", "2")

    assert result.exit_code == 0, result.stderr
    assert sorted(outputs(out)) == ["alpha.json", "alpha.md", "emea/beta.json", "emea/beta.md",
                                    "emea/deep/gamma.json", "emea/deep/gamma.md", "portfolio.json", "portfolio.md"]
    # The JSON result is exactly what `render --format json` writes for the same input.
    single = cli("render", teams / "emea/beta.yml", "--model", TINY_MODEL, "-o", tmp_path / "single.json")
    assert single.exit_code == 0
    assert (out / "emea/beta.json").read_bytes() == (tmp_path / "single.json").read_bytes()
    portfolio = json.loads((out / "portfolio.json").read_text())
    assert portfolio["kind"] == "portfolio" and portfolio["teams_count"] == 3
    assert [t["team"] for t in portfolio["teams"]] == ["Alpha", "Beta", "Gamma"]
    assert [o["name"] for o in portfolio["organizations"]] == ["Acme", "Globex"]

    table = result.stdout.splitlines()
    assert table[0].split() == ["INPUT", "TEAM", "LEVEL", "OUTPUTS", "STATUS"]
    assert f"{teams / 'emea/beta.yml'}" in table[2] and "Beta" in table[2] and "emea/beta.{md,json}" in table[2]
    assert all(line.rstrip().endswith("rendered") for line in table[1:4])
    assert table[-1] == f"3 input(s): 3 rendered, 0 up to date, 0 failed; portfolio {out / 'portfolio'}.{{md,json}} written"
    # Not a terminal: plain progress lines on stderr.
    assert result.stderr.splitlines()[0] == "3 input(s): 3 to render, 0 up to date"
    assert sum(line.startswith("[") for line in result.stderr.splitlines()) == 3


def test_default_format_is_markdown_plus_json_and_all_formats_are_accepted(cli, tmp_path):
    team(tmp_path / "t", "a.yaml")
    assert batch(cli, tmp_path / "t", "-o", tmp_path / "out").exit_code == 0
    assert sorted(outputs(tmp_path / "out")) == ["a.json", "a.md", "portfolio.json", "portfolio.md"]


def test_outputs_are_deterministic_whatever_the_number_of_jobs(cli, tmp_path):
    gen_teams.generate(tmp_path / "teams", 24, seed=5, model=str(TINY_MODEL))
    assert batch(cli, tmp_path / "teams", "-o", tmp_path / "one", "--jobs", "1").exit_code == 0
    assert batch(cli, tmp_path / "teams", "-o", tmp_path / "two", "--jobs", "2").exit_code == 0
    first, second = outputs(tmp_path / "one"), outputs(tmp_path / "two")
    assert len(first) == 2 * 24 + 2 and first == second


# -- fault isolation -------------------------------------------------------------------------


def test_a_broken_file_among_good_ones_is_reported_and_never_stops_the_others(cli, tmp_path):
    teams = tmp_path / "teams"
    team(teams, "a-good.yaml", "Good A")
    team(teams, "b-syntax.yaml", text="team: Broken\nanswers:\n  b2: [yes\n")
    team(teams, "c-unknown.yaml", text="team: Unknown\nanswers:\n  b2: yes\n  bb3: no\n")
    team(teams, "d-good.yaml", "Good D")
    out = tmp_path / "out"

    result = batch(cli, teams, "-o", out, "--jobs", "2")

    assert result.exit_code == 1
    errors = [line for line in result.stderr.splitlines() if ": error: " in line]
    assert sorted(errors) == [
        f"{teams / 'b-syntax.yaml'}:4:1: error: invalid YAML: while parsing a flow sequence, "
        f"did not find expected ',' or ']'",
        f"{teams / 'c-unknown.yaml'}:4:3: error: unknown question id 'bb3' in model 'tiny' (did you mean 'b3'?)",
    ]
    assert sorted(outputs(out)) == ["a-good.json", "a-good.md", "d-good.json", "d-good.md",
                                    "portfolio.json", "portfolio.md"]
    assert json.loads((out / "portfolio.json").read_text())["teams_count"] == 2
    rows = {line.split()[0]: line for line in result.stdout.splitlines()[1:-1]}
    assert "failed: line 4: unknown question id 'bb3'" in rows[str(teams / "c-unknown.yaml")]
    assert rows[str(teams / "a-good.yaml")].rstrip().endswith("rendered")
    assert result.stdout.splitlines()[-1].startswith("4 input(s): 2 rendered, 0 up to date, 2 failed; portfolio")


def test_a_template_error_for_one_team_fails_that_team_only(cli, tmp_path):
    teams, templates = fine_and_boom(tmp_path, "report.md.j2", "header")

    result = batch(cli, teams, "-o", tmp_path / "out", "--templates", templates)

    assert result.exit_code == 1
    assert f"{teams / 'b.yaml'}:1:1: error: cannot render md: template report.md.j2:" in result.stderr
    assert "no_such_key" in result.stderr
    assert sorted(outputs(tmp_path / "out")) == ["a.json", "a.md", "portfolio.json", "portfolio.md"]


def test_a_template_syntax_error_is_reported_once_before_any_work(cli, tmp_path):
    team(tmp_path / "teams", "a.yaml")
    team(tmp_path / "teams", "b.yaml")
    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / "report.md.j2").write_text("line one\n{% if %}\n")

    result = batch(cli, tmp_path / "teams", "-o", tmp_path / "out", "--templates", templates)

    assert result.exit_code == 1
    assert result.stderr.count("error: template syntax") == 1
    assert result.stderr.startswith(f"{templates / 'report.md.j2'}:2:1: error: template syntax:")
    assert not (tmp_path / "out").exists() or outputs(tmp_path / "out") == {}


def test_fail_fast_stops_at_the_first_failure(cli, tmp_path):
    teams = tmp_path / "teams"
    team(teams, "a-broken.yaml", text="answers: {}\n")
    for name in "bcdef":
        team(teams, f"{name}.yaml")

    result = batch(cli, teams, "-o", tmp_path / "out", "--jobs", "1", "--fail-fast")

    assert result.exit_code == 1
    assert f"{teams / 'a-broken.yaml'}:1:1: error: answers file: 'team' is required" in result.stderr
    assert outputs(tmp_path / "out") == {}
    assert result.stdout.splitlines()[-1] == ("6 input(s): 0 rendered, 0 up to date, 1 failed, 5 not run (--fail-fast); "
                                              "no portfolio (stopped by --fail-fast)")


def test_nothing_to_do_and_wrong_usage(cli, tmp_path):
    (tmp_path / "empty").mkdir()
    result = batch(cli, tmp_path / "empty", "-o", tmp_path / "out")
    assert result.exit_code == 1
    assert result.stderr == f"error: no answers files (*.yaml, *.yml) found in {tmp_path / 'empty'}\n"

    assert batch(cli, tmp_path / "missing", "-o", tmp_path / "out").exit_code == 2
    team(tmp_path / "t", "a.yaml")
    for shard in ("0/3", "4/3", "1/0", "x", "1-3"):
        result = batch(cli, tmp_path / "t", "-o", tmp_path / "out", "--shard", shard)
        assert result.exit_code == 2, shard
        assert "--shard" in result.stderr
    assert batch(cli, tmp_path / "t", "-o", tmp_path / "out", "--jobs", "0").exit_code == 2
    assert cli("batch", tmp_path / "t").exit_code == 2  # -o is required


# -- collisions ------------------------------------------------------------------------------


def test_two_inputs_writing_the_same_output_are_both_errors_and_nothing_is_overwritten(cli, tmp_path):
    a = team(tmp_path / "one", "team.yaml", "One")
    b = team(tmp_path / "two", "team.yml", "Two")
    c = team(tmp_path / "three", "Other.yaml", "Three")
    d = team(tmp_path / "four", "other.yaml", "Four")  # differs only in case: one file on macOS/Windows
    e = team(tmp_path / "fine", "fine.yaml", "Fine")
    out = tmp_path / "out"
    out.mkdir()
    (out / "team.md").write_text("an earlier, good report\n")

    result = batch(cli, a, b, c, d, e, "-o", out)

    assert result.exit_code == 1
    assert (f"{a}:1:1: error: output team.{{md,json}} would also be written for {b}; rename one of them "
            f"(neither is rendered)") in result.stderr.splitlines()
    assert (f"{b}:1:1: error: output team.{{md,json}} would also be written for {a}; rename one of them "
            f"(neither is rendered)") in result.stderr.splitlines()
    assert f"{c}:1:1: error: output Other.{{md,json}} would also be written for {d}" in result.stderr
    assert (out / "team.md").read_text() == "an earlier, good report\n"
    assert sorted(outputs(out)) == ["fine.json", "fine.md", "portfolio.json", "portfolio.md", "team.md"]


def test_an_input_named_like_the_portfolio_is_refused(cli, tmp_path):
    bad = team(tmp_path / "t", "portfolio.yaml", "Portfolio Team")
    team(tmp_path / "t", "ok.yaml")
    result = batch(cli, tmp_path / "t", "-o", tmp_path / "out")
    assert result.exit_code == 1
    assert (f"{bad}:1:1: error: output portfolio.{{md,json}} is reserved for the batch's own portfolio summary; "
            f"rename the file") in result.stderr
    assert json.loads((tmp_path / "out" / "portfolio.json").read_text())["teams_count"] == 1


# -- shards ----------------------------------------------------------------------------------


def test_shards_cover_every_input_exactly_once(cli, tmp_path):
    gen_teams.generate(tmp_path / "teams", 30, seed=2, model=str(TINY_MODEL))
    everything = {p.relative_to(tmp_path / "teams").with_suffix("").as_posix()
                  for p in (tmp_path / "teams").rglob("*.yaml")}
    seen: list[set[str]] = []
    for k in (1, 2, 3):
        out = tmp_path / f"shard-{k}"
        result = batch(cli, tmp_path / "teams", "-o", out, "--shard", f"{k}/3", "--jobs", "2")
        assert result.exit_code == 0, result.stderr
        names = {name[:-5] for name in outputs(out) if name.endswith(".json") and name != "portfolio.json"}
        seen.append(names)
        assert f"(shard {k}/3 of 30)" in result.stdout.splitlines()[-1]
        assert (out / f".reportgen-manifest.{k}-of-3.json").is_file()
    assert set.union(*seen) == everything
    assert sum(len(s) for s in seen) == len(everything)      # disjoint
    assert all(seen)                                          # and each shard got a share


def test_shard_assignment_is_stable_and_independent_of_the_other_inputs(tmp_path):
    for name in ("a", "b", "c", "d"):
        team(tmp_path / "t", f"{name}.yaml")
    before = {i.name: shard_index(i.name, 4) for i in discover([tmp_path / "t"])}
    team(tmp_path / "t", "zz-new.yaml")
    after = {i.name: shard_index(i.name, 4) for i in discover([tmp_path / "t"])}
    assert {k: after[k] for k in before} == before
    assert shard_index("emea/fraud", 8) == shard_index("EMEA/Fraud", 8)  # case-collisions share a shard
    inputs = discover([tmp_path / "t"])
    assert sorted(i.name for k in range(1, 4) for i in take_shard(inputs, (k, 3))) == [i.name for i in inputs]
    assert parse_shard("2/8") == (2, 8)


# -- incremental -----------------------------------------------------------------------------


def mtimes(folder: Path) -> dict[str, int]:
    return {p.relative_to(folder).as_posix(): p.stat().st_mtime_ns for p in folder.rglob("*")
            if p.is_file() and not p.name.startswith(".")}


def statuses(result) -> dict[str, str]:
    return {line.split()[0]: line.rsplit("  ", 1)[-1].strip() for line in result.stdout.splitlines()[1:-1]}


def test_unchanged_outputs_are_skipped_changed_ones_rerendered_and_force_renders_all(cli, tmp_path):
    teams = tmp_path / "teams"
    a, b = team(teams, "a.yaml", "A"), team(teams, "b.yaml", "B")
    out = tmp_path / "out"
    assert batch(cli, teams, "-o", out).exit_code == 0
    first = mtimes(out)

    again = batch(cli, teams, "-o", out)
    assert again.exit_code == 0
    assert set(statuses(again).values()) == {"up to date"}
    assert again.stdout.splitlines()[-1].endswith("2 input(s): 0 rendered, 2 up to date, 0 failed; "
                                                  f"portfolio {out / 'portfolio'}.{{md,json}} up to date")
    assert mtimes(out) == first

    b.write_text(GOOD.format(team="B renamed", org="Acme"))
    changed = batch(cli, teams, "-o", out)
    assert statuses(changed) == {str(a): "up to date", str(b): "rendered"}
    now = mtimes(out)
    assert now["a.md"] == first["a.md"] and now["b.md"] != first["b.md"]
    assert "B renamed" in (out / "portfolio.md").read_text()

    (out / "a.md").unlink()                      # a deleted output is rendered again
    assert statuses(batch(cli, teams, "-o", out))[str(a)] == "rendered"
    (out / "a.md").write_text("edited by hand")   # so is one edited by hand
    assert statuses(batch(cli, teams, "-o", out))[str(a)] == "rendered"
    assert (out / "a.md").read_text() != "edited by hand"

    forced = batch(cli, teams, "-o", out, "--force")
    assert set(statuses(forced).values()) == {"rendered"}
    assert forced.stdout.splitlines()[-1].endswith(f"portfolio {out / 'portfolio'}.{{md,json}} written")


def test_adding_a_format_renders_only_that_format(cli, tmp_path):
    team(tmp_path / "t", "a.yaml")
    out = tmp_path / "out"
    assert batch(cli, tmp_path / "t", "-o", out, "--format", "md").exit_code == 0
    first = mtimes(out)
    assert batch(cli, tmp_path / "t", "-o", out, "--format", "md,html").exit_code == 0
    now = mtimes(out)
    assert now["a.md"] == first["a.md"] and now["a.json"] == first["a.json"] and "a.html" in now


def test_the_manifest_tracks_the_model_templates_brand_and_options(cli, tmp_path):
    teams = tmp_path / "teams"
    team(teams, "a.yaml")
    model = tmp_path / "model.yaml"
    shutil.copy(TINY_MODEL, model)
    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / "report.md.j2").write_text('{% extends "builtin/report.md.j2" %}')
    brand = tmp_path / "brand.yaml"
    brand.write_text("firm: Example Consulting\n")
    out = tmp_path / "out"

    def run(*extra):
        result = cli("batch", teams, "-o", out, "--model", model, "--templates", templates, "--brand", brand, *extra)
        assert result.exit_code == 0, result.stderr
        return mtimes(out)

    first = run()
    assert run() == first

    model.write_text(model.read_text().replace("title: B2,", "title: Build basics,"))
    second = run()
    assert second["a.md"] != first["a.md"] and second["a.json"] != first["a.json"]
    assert "Build basics" in (out / "a.md").read_text()

    (templates / "report.md.j2").write_text('{% extends "builtin/report.md.j2" %}{% block header %}# Custom\n{% endblock %}')
    third = run()
    assert third["a.md"] != second["a.md"] and third["a.json"] == second["a.json"]   # JSON does not use templates
    assert (out / "a.md").read_text().startswith("# Custom")

    brand.write_text("firm: Another Firm\n")
    fourth = run()
    assert fourth["a.md"] != third["a.md"] and fourth["a.json"] == third["a.json"]

    fifth = run("--target", "5")
    assert fifth["a.json"] != fourth["a.json"]
    assert json.loads((out / "a.json").read_text())["target_level"] == 5


def test_a_model_named_in_the_answers_file_is_tracked_too(cli, tmp_path):
    teams = tmp_path / "teams"
    shutil.copy(TINY_MODEL, teams.parent / "custom.yaml")
    team(teams, "a.yaml", text="team: A\nmodel: ../custom.yaml\nanswers:\n  b2: yes\n")
    out = tmp_path / "out"
    assert cli("batch", teams, "-o", out).exit_code == 0
    assert set(statuses(cli("batch", teams, "-o", out)).values()) == {"up to date"}
    custom = teams.parent / "custom.yaml"
    custom.write_text(custom.read_text().replace("title: Tiny test model", "title: Changed model"))
    assert set(statuses(cli("batch", teams, "-o", out)).values()) == {"rendered"}
    assert json.loads((out / "a.json").read_text())["model"]["title"] == "Changed model"


def test_leftover_temp_files_of_a_killed_run_are_removed(cli, tmp_path):
    team(tmp_path / "t", "a.yaml")
    out = tmp_path / "out"
    out.mkdir()
    (out / ".a.md.k2j4h5g6.tmp").write_text("half a rep")
    (out / ".unrelated.k2j4h5g6.tmp").write_text("not ours")
    assert batch(cli, tmp_path / "t", "-o", out).exit_code == 0
    assert not (out / ".a.md.k2j4h5g6.tmp").exists()
    assert (out / ".unrelated.k2j4h5g6.tmp").exists()


def test_kill_9_mid_run_leaves_no_partial_file_and_the_next_run_finishes_the_job(tmp_path):
    teams = tmp_path / "teams"
    gen_teams.generate(teams, 600, seed=9, model=str(TINY_MODEL))
    command = [sys.executable, "-m", "reportgen", "batch", str(teams), "--model", str(TINY_MODEL), "--jobs", "2"]
    env = {**os.environ, "CI": "1"}

    reference = tmp_path / "reference"
    subprocess.run(command + ["-o", str(reference)], env=env, check=True, capture_output=True)
    expected = outputs(reference)

    out = tmp_path / "out"
    process = subprocess.Popen(command + ["-o", str(out)], env=env, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL, start_new_session=True)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and process.poll() is None:
        if (out / ".reportgen-manifest.journal").is_file() and len(list(out.rglob("*.json"))) >= 100:
            break
        time.sleep(0.002)
    os.killpg(process.pid, signal.SIGKILL)       # the batch and its workers, like the OOM killer would
    process.wait()
    assert process.returncode == -signal.SIGKILL, "the batch finished before it could be killed"

    killed = outputs(out)
    assert 0 < len(killed) < len(expected)
    for name, data in killed.items():            # every file there is whole, byte for byte
        assert data == expected[name], name

    again = subprocess.run(command + ["-o", str(out)], env=env, capture_output=True, text=True)
    assert again.returncode == 0, again.stderr
    summary = again.stdout.splitlines()[-1]
    assert "600 input(s): " in summary and " 0 failed" in summary
    assert int(summary.split(" up to date")[0].rsplit(", ", 1)[-1]) > 0      # finished work was kept
    assert outputs(out) == expected
    assert not [p for p in out.rglob("*.tmp")]


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="worker processes die with the batch on Linux")
def test_workers_do_not_outlive_a_killed_batch(tmp_path):
    teams = tmp_path / "teams"
    gen_teams.generate(teams, 600, seed=4, model=str(TINY_MODEL))
    process = subprocess.Popen([sys.executable, "-m", "reportgen", "batch", str(teams), "-o", str(tmp_path / "out"),
                                "--model", str(TINY_MODEL), "--jobs", "2"], env={**os.environ, "CI": "1"},
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    children: list[int] = []
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and len(children) < 2 and process.poll() is None:
        try:
            children = [int(p) for p in Path(f"/proc/{process.pid}/task/{process.pid}/children").read_text().split()]
        except OSError:
            pass
        time.sleep(0.005)
    assert len(children) == 2, "the workers never started"
    process.kill()                                # the batch alone, not its process group
    process.wait()
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and any(_alive(pid) for pid in children):
        time.sleep(0.05)
    survivors = [pid for pid in children if _alive(pid)]
    for pid in survivors:  # do not leave them behind if the test fails
        os.kill(pid, signal.SIGKILL)
    assert not survivors


# -- output modes ----------------------------------------------------------------------------


def test_in_ci_only_failures_and_the_summary_are_printed(cli, tmp_path, monkeypatch):
    monkeypatch.setenv("CI", "true")
    teams = tmp_path / "teams"
    team(teams, "a.yaml")
    team(teams, "b.yaml", text="team: B\nanswers:\n  nope: yes\n")
    result = batch(cli, teams, "-o", tmp_path / "out")
    assert result.exit_code == 1
    assert result.stderr == f"{teams / 'b.yaml'}:3:3: error: unknown question id 'nope' in model 'tiny'\n"
    lines = result.stdout.splitlines()
    assert len(lines) == 3 and lines[0].startswith("INPUT") and str(teams / "b.yaml") in lines[1]
    assert lines[2].startswith("2 input(s): 1 rendered, 0 up to date, 1 failed")


def test_team_names_cannot_send_escape_sequences_to_the_terminal(cli, tmp_path):
    team(tmp_path / "t", "a.yaml", text='team: "Evil \\e[2J\\e]0;pwned\\a team"\nanswers: {b2: yes}\n')
    result = batch(cli, tmp_path / "t", "-o", tmp_path / "out")
    assert result.exit_code == 0
    assert "\x1b" not in result.stdout + result.stderr and "\a" not in result.stdout + result.stderr
    assert "Evil \ufffd[2J\ufffd]0;pwned\ufffd team" in result.stdout


def test_a_small_pdf_batch_renders_reports_and_the_portfolio(cli, tmp_path):
    pytest.importorskip("weasyprint")
    team(tmp_path / "t", "a.yaml", "Alpha")
    team(tmp_path / "t", "b.yaml", "Beta <b>&</b>", org="Globex")
    out = tmp_path / "out"
    result = batch(cli, tmp_path / "t", "-o", out, "--format", "pdf,html", "--jobs", "2")
    assert result.exit_code == 0, result.stderr
    for name in ("a.pdf", "b.pdf", "portfolio.pdf"):
        assert (out / name).read_bytes().startswith(b"%PDF-"), name
    html = (out / "portfolio.html").read_text()
    assert "Beta &lt;b&gt;&amp;&lt;/b&gt;" in html and "<b>&</b>" not in html
    assert sorted(outputs(out)) == ["a.html", "a.json", "a.pdf", "b.html", "b.json", "b.pdf",
                                    "portfolio.html", "portfolio.json", "portfolio.pdf"]


def test_fast_formats_and_the_portfolio_come_first_so_a_failed_html_keeps_the_json(cli, tmp_path):
    teams, templates = fine_and_boom(tmp_path, "report.html.j2", "cover")
    out = tmp_path / "out"

    result = batch(cli, teams, "-o", out, "--templates", templates, "--format", "md,html", "--jobs", "2")

    assert result.exit_code == 1
    assert f"{teams / 'b.yaml'}:1:1: error: cannot render html: template report.html.j2:" in result.stderr
    assert sorted(outputs(out)) == ["a.html", "a.json", "a.md", "b.json", "b.md",
                                    "portfolio.html", "portfolio.json", "portfolio.md"]
    # Boom's assessment is valid (its JSON result exists), so the portfolio counts it.
    assert json.loads((out / "portfolio.json").read_text())["teams_count"] == 2
    again = batch(cli, teams, "-o", out, "--templates", templates, "--format", "md,html", "--jobs", "2")
    assert statuses(again) == {str(teams / "a.yaml"): "up to date",
                               str(teams / "b.yaml"): statuses(again)[str(teams / "b.yaml")]}
    assert statuses(again)[str(teams / "b.yaml")].startswith("failed: cannot render html")
