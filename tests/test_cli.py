"""The CLI verbs: exact outputs, exit codes, files written (and not written)."""

from __future__ import annotations

import json
import os
import sys

import jsonschema
import yaml

from conftest import TINY_MODEL

ANSWERS = """\
team: Fraud Detection
organization: Acme Bank
assessed_on: 2026-11-20
assessor: J. Doe
answers:
  b2: yes
  b3: yes
  r2: yes
  r2b: partial
  r5:
    answer: yes
    evidence: KEDA scaled object in prod
  hand-deploys: no
"""


def write(tmp_path, text=ANSWERS, name="answers.yaml"):
    path = tmp_path / name
    path.write_text(text)
    return path


def test_render_to_a_folder_names_files_after_the_team(cli, tmp_path):
    answers = write(tmp_path)
    result = cli("render", answers, "--model", TINY_MODEL, "-o", tmp_path / "out", "--format", "md,json")
    assert result.exit_code == 0, result.stderr
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["fraud-detection.json", "fraud-detection.md"]
    assert result.stderr.splitlines() == [f"wrote {tmp_path / 'out' / 'fraud-detection.md'}",
                                          f"wrote {tmp_path / 'out' / 'fraud-detection.json'}"]
    data = json.loads((tmp_path / "out" / "fraud-detection.json").read_text())
    assert data["overall_level"] == 2 and data["team"] == "Fraud Detection"


def test_render_to_an_exact_file_takes_the_format_from_its_extension(cli, tmp_path):
    answers = write(tmp_path)
    assert cli("render", answers, "--model", TINY_MODEL, "-o", tmp_path / "ROADMAP.md").exit_code == 0
    assert (tmp_path / "ROADMAP.md").read_text().startswith("# Fraud Detection: maturity assessment and roadmap\n")
    assert cli("render", answers, "--model", TINY_MODEL, "-o", tmp_path / "r.json").exit_code == 0
    assert json.loads((tmp_path / "r.json").read_text())["schema_version"] == 2
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ROADMAP.md", "answers.yaml", "r.json"]


def test_render_rejects_a_file_whose_extension_contradicts_format(cli, tmp_path):
    result = cli("render", write(tmp_path), "--model", TINY_MODEL, "-o", tmp_path / "x.md", "--format", "json")
    assert result.exit_code == 2
    assert "names a .md file, but --format is json" in result.stderr


def test_default_output_is_markdown_in_the_current_folder(cli, tmp_path, monkeypatch):
    answers = write(tmp_path)
    monkeypatch.chdir(tmp_path)
    assert cli("render", answers, "--model", TINY_MODEL).exit_code == 0
    assert (tmp_path / "fraud-detection.md").exists()


def test_check_passes_when_fresh_and_fails_when_stale_writing_nothing(cli, tmp_path):
    answers = write(tmp_path)
    out = tmp_path / "ROADMAP.md"
    missing = cli("render", answers, "--model", TINY_MODEL, "-o", out, "--check")
    assert missing.exit_code == 1 and not out.exists()
    cli("render", answers, "--model", TINY_MODEL, "-o", out)
    fresh = cli("render", answers, "--model", TINY_MODEL, "-o", out, "--check")
    assert fresh.exit_code == 0
    assert fresh.stderr == f"{out}: up to date\n"
    answers.write_text(ANSWERS.replace("r2b: partial", "r2b: yes"))
    before = out.read_bytes()
    stale = cli("render", answers, "--model", TINY_MODEL, "-o", out, "--check")
    assert stale.exit_code == 1
    assert stale.stderr.splitlines() == [
        f"{out}: stale",
        "1 file(s) out of date; run the same command without --check to update",
    ]
    assert out.read_bytes() == before


def test_a_failed_render_keeps_the_earlier_good_output(cli, tmp_path):
    answers = write(tmp_path)
    out = tmp_path / "ROADMAP.md"
    cli("render", answers, "--model", TINY_MODEL, "-o", out)
    good = out.read_bytes()
    answers.write_text(ANSWERS.replace("b2: yes", "b2: perhaps"))
    result = cli("render", answers, "--model", TINY_MODEL, "-o", out)
    assert result.exit_code == 1
    assert out.read_bytes() == good
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def render_with_stop_section(cli, tmp_path, template: str):
    """Render to x.md with md/stop.md.j2 overridden by `template`."""
    templates = tmp_path / "templates"
    (templates / "md").mkdir(parents=True)
    (templates / "md" / "stop.md.j2").write_text(template)
    return cli("render", write(tmp_path), "--model", TINY_MODEL, "--templates", templates, "-o", tmp_path / "x.md")


def test_a_broken_template_override_is_an_input_error_and_writes_nothing(cli, tmp_path):
    result = render_with_stop_section(cli, tmp_path, "## Stop\n{% for s in r.stop %}\n")
    assert result.exit_code == 1
    assert "template syntax" in result.stderr and "Traceback" not in result.stderr
    assert not (tmp_path / "x.md").exists()


def test_template_override_replaces_one_section(cli, tmp_path):
    result = render_with_stop_section(cli, tmp_path, "## What to drop\n\n{% for s in r.stop %}- {{ s.title }}\n{% endfor %}")
    assert result.exit_code == 0
    text = (tmp_path / "x.md").read_text()
    assert "## What to drop\n\n- R5\n" in text
    assert "## Start doing" in text and "## Stop doing" not in text


def test_score_text(cli, tmp_path):
    result = cli("score", write(tmp_path), "--model", TINY_MODEL)
    assert result.exit_code == 0
    assert result.stdout.splitlines()[:3] == [
        "Fraud Detection: level 2 of 5 (Repeatable) - preliminary: 6 of 11 questions answered",
        "Level 2 (Repeatable): level 3 (Operable) earns 50% of its credit (it needs 75%).",
        "Target: level 4 (Governed), about 9 person-weeks in 2 phase(s)",
    ]


def test_score_json_has_the_contract_keys(cli, tmp_path):
    result = cli("score", write(tmp_path), "--model", TINY_MODEL, "--format", "json", "--target", "3")
    data = json.loads(result.stdout)
    for key in ("schema_version", "team", "organization", "assessed_on", "assessor", "model", "overall_level",
                "overall_name", "target_level", "held_back_by", "dimensions", "stop", "start", "roadmap", "unanswered"):
        assert key in data
    assert data["model"] == {"id": "tiny", "version": "1", "title": "Tiny test model"}
    assert data["target_level"] == 3
    assert data["stop"] == [dict(data["stop"][0], id="r5", kind="premature")]
    assert {"id", "title", "level", "dimension"} <= set(data["start"][0])
    assert {"phase", "level", "title", "effort", "items"} <= set(data["roadmap"][0])
    assert {"id", "title", "level", "dimension", "effort", "requires"} <= set(data["roadmap"][0]["items"][0])


def test_fail_under_gates_on_the_overall_level(cli, tmp_path):
    answers = write(tmp_path)
    assert cli("score", answers, "--model", TINY_MODEL, "--fail-under", "2").exit_code == 0
    result = cli("score", answers, "--model", TINY_MODEL, "--fail-under", "3")
    assert result.exit_code == 1
    assert result.stderr == f"{answers}: error: level 2 (Repeatable) is below the required level 3 (--fail-under)\n"
    assert cli("score", answers, "--fail-under", "6").exit_code == 2


def test_validate_ok(cli, tmp_path):
    answers = write(tmp_path)
    result = cli("validate", "--model", TINY_MODEL, answers)
    assert (result.exit_code, result.stdout) == (0, f"{answers}: ok\n")
    model = cli("validate")
    assert model.exit_code == 0 and model.stdout.startswith("mlops: ok: model mlops ")


def test_init_writes_a_commented_template_and_its_schema(cli, tmp_path):
    out = tmp_path / "answers.yaml"
    result = cli("init", "-o", out)
    assert result.exit_code == 0
    text = out.read_text()
    assert text.splitlines()[0] == "# yaml-language-server: $schema=./answers.schema.json"
    schema = json.loads((tmp_path / "answers.schema.json").read_text())
    # Every question is there as a comment, every id as an (unanswered) key.
    model = json.loads(cli("model", "--format", "json").stdout)
    for dim in model["dimensions"]:
        for cap in dim["capabilities"]:
            assert f"\n  {cap['id']}:\n" in text
            assert cap["id"] in schema["properties"]["answers"]["properties"]
    # The template is a valid answers file as it stands, all unanswered.
    validate = cli("validate", out)
    assert validate.exit_code == 0
    assert json.loads(cli("score", out, "--format", "json").stdout)["overall_level"] == 1
    # It never clobbers an existing file.
    again = cli("init", "-o", out)
    assert again.exit_code == 1 and "already exists" in again.stderr


def test_schema_accepts_the_spec_example_and_rejects_unknown_ids(cli):
    schema = json.loads(cli("schema").stdout)
    example = yaml.safe_load("""
team: Fraud Detection
organization: Acme Bank
assessed_on: "2026-11-20"
assessor: J. Doe
target_level: 4
model: mlops
answers:
  code-in-git: yes
  experiment-tracking: partial
  feature-store:
    answer: yes
    evidence: Feast runs in staging for two teams
    note: free text shown in the appendix
""")
    jsonschema.validate(example, schema)
    example["answers"]["no-such-thing"] = "yes"
    try:
        jsonschema.validate(example, schema)
    except jsonschema.ValidationError:
        pass
    else:
        raise AssertionError("unknown id accepted by the schema")


def test_model_exports_round_trip(cli, tmp_path):
    exported = cli("model", "--format", "yaml").stdout
    path = tmp_path / "copy.yaml"
    path.write_text(exported)
    as_json = json.loads(cli("model", "--format", "json").stdout)
    again = json.loads(cli("model", "--format", "json", "--model", path).stdout)
    assert again == dict(as_json, id="mlops")
    assert {"id", "version", "levels", "dimensions", "anti_patterns", "scoring"} <= set(as_json)
    assert as_json["levels"][2] == {"number": 3, "name": "Operable", "focus": "Automation",
                                    "tools": ["Argo CD", "GitHub Actions"], "next_step": "Governance & Scale",
                                    "description": as_json["levels"][2]["description"]}
    md = cli("model", "--format", "md").stdout
    assert md.startswith("# MLOps maturity model (mlops ")


def test_markdown_and_json_renders_never_import_weasyprint(tmp_path):
    import subprocess

    answers = write(tmp_path)
    code = ("import sys; from reportgen.cli import main\n"
            "try:\n main(['render', sys.argv[1], '--model', sys.argv[2], '-o', sys.argv[3], '-f', 'md,json'])\n"
            "except SystemExit: pass\n"
            "assert 'weasyprint' not in sys.modules, 'weasyprint imported'\n")
    done = subprocess.run([sys.executable, "-c", code, str(answers), str(TINY_MODEL), str(tmp_path / "o")],
                          capture_output=True, text=True, env=dict(os.environ))
    assert done.returncode == 0, done.stderr


def test_errors_have_no_traceback_unless_debug(cli, tmp_path):
    bad = write(tmp_path, "team: X\nanswers:\n  zzz: yes\n")
    assert "Traceback" not in cli("score", bad, "--model", TINY_MODEL).stderr
    from click.testing import CliRunner

    from reportgen.cli import main
    from reportgen.errors import InputError

    result = CliRunner().invoke(main, ["--debug", "score", str(bad), "--model", str(TINY_MODEL)])
    assert isinstance(result.exception, InputError)
    result = CliRunner().invoke(main, ["score", str(bad), "--model", str(TINY_MODEL), "--debug"])
    assert isinstance(result.exception, InputError)


def test_a_model_that_is_neither_built_in_nor_a_file_is_a_usage_error(cli, tmp_path):
    result = cli("score", write(tmp_path), "--model", "nope.yaml")
    assert result.exit_code == 2
    assert "'nope.yaml' is neither a built-in model (mlops) nor an existing file" in result.stderr


def test_init_with_a_model_file_points_the_answers_at_it(cli, tmp_path):
    out = tmp_path / "team" / "answers.yaml"
    assert cli("init", "-o", out, "--model", TINY_MODEL).exit_code == 0
    text = out.read_text()
    reference = os.path.relpath(TINY_MODEL, out.parent)
    assert f"\nmodel: {reference}\n" in text
    # Without --model, the file's own `model:` (relative to the file) is used.
    result = cli("score", out, "--format", "json")
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["model"]["id"] == "tiny"
