"""Bad input of every kind: one clear `file:line:col: error:` line per problem, exit 1, no output."""

from __future__ import annotations

import time

import pytest

from conftest import FIXTURES, TINY_MODEL

from reportgen.errors import InputError, Problem

BAD = FIXTURES / "bad"
MODELS = FIXTURES / "models"

EXPECTED = {
    "unknown-id.yaml": ["4:3: error: unknown question id 'r33' in model 'tiny' (did you mean 'r3'?)"],
    "bad-value.yaml": [
        "3:7: error: answer to 'b2' must be one of yes, partial, no, n/a, found 'maybe'",
        "5:13: error: answer to 'r2' must be one of yes, partial, no, n/a, found 'sometimes'",
    ],
    "missing-team.yaml": ["1:1: error: answers file: 'team' is required"],
    "bad-fields.yaml": [
        "2:14: error: 'assessed_on' must be a date written YYYY-MM-DD, found '2026-13-45'",
        "3:15: error: answers file: 'target_level' must be a whole number from 1 to 5, found '9'",
        "4:1: error: unknown key 'colour' in the answers file",
        "8:5: error: unknown key 'evidance' in the answer to 'b2' (did you mean 'evidence'?)",
    ],
    "bad-context.yaml": [
        "3:13: error: context: 'platform' must be one of kubernetes, sagemaker, vertex-ai, azure-ml, databricks, "
        "other, found 'openshift'",
        "4:14: error: context: 'team_size' must be a whole number from 1 to 100000, found 'many'",
        "5:13: error: context: 'capacity' must be a number from 0.01 to 1000, found '0'",
        "6:14: error: context: 'regulated' must be true or false, found 'sometimes'",
        "7:3: error: unknown key 'budget' in 'context'",
        "9:12: error: narrative: 'summary' must be text, found a list",
        "10:13: error: narrative: 'findings' must be a list, found a mapping",
    ],
    "syntax.yaml": ["4:6: error: invalid YAML: mapping values are not allowed in this context"],
    "python-tag.yaml": ["1:7: error: YAML tag '!!python/object/apply:os.system' is not allowed (only plain data is accepted)"],
    "alias-bomb.yaml": ["2:8: error: aliases (*a) are not allowed in reportgen files"],
    "duplicate-key.yaml": ["4:3: error: duplicate key 'b2' (first defined at line 3)"],
    "not-a-mapping.yaml": ["1:1: error: an answers file must be a mapping, found a list"],
    "binary.yaml": ["1:1: error: file is binary (contains NUL bytes), expected YAML text"],
    "latin1.yaml": ["1:10: error: file is not valid UTF-8 text"],
    "empty.yaml": ["1:1: error: an answers file must be a mapping, found an empty file"],
    "two-docs.yaml": ["2:1: error: expected a single YAML document, found another '---'"],
}


@pytest.mark.parametrize("name", sorted(EXPECTED))
@pytest.mark.parametrize("verb", ["validate", "score", "render"])
def test_bad_answers_file(cli, tmp_path, name, verb):
    path = BAD / name
    args = [verb, path, "--model", TINY_MODEL]
    if verb == "render":
        args += ["-o", tmp_path / "out", "--format", "md,json"]
    result = cli(*args)
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr.splitlines() == [f"{path}:{line}" for line in EXPECTED[name]]
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "out").exists()


def test_validate_reports_every_file_and_every_problem(cli):
    result = cli("validate", "--model", TINY_MODEL, BAD / "bad-value.yaml", BAD / "unknown-id.yaml")
    assert result.exit_code == 1
    assert len(result.stderr.splitlines()) == 3


@pytest.mark.parametrize("name, lines", [
    ("cycle.yaml", ["6:14: error: requirement cycle: a -> c -> b -> a"]),
    ("higher-prereq.yaml", [
        "6:62: error: capability 'a' (level 2) requires 'b' at a higher level (3); "
        "prerequisites must be at the same or a lower level",
        "8:62: error: capability 'c' requires unknown capability 'nope'",
    ]),
    ("bad-structure.yaml", [
        "6:24: error: capability 'a': 'level' must be a whole number from 2 to 5, found '7'",
        "7:14: error: duplicate id 'a' (first defined at line 6)",
        "8:14: error: capability: id 'Bad Id' must be a lowercase slug (letters, digits, '-', '_', '.')",
        "8:64: error: capability 'Bad Id': 'effort' must be a number from 0 to 1000, found 'lots'",
        "10:49: error: anti-pattern 'x': 'caps_level' must be a whole number from 1 to 5, found '0'",
    ]),
])
def test_bad_model_file(cli, name, lines):
    path = MODELS / name
    result = cli("validate", "--model", path)
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [f"{path}:{line}" for line in lines]


def test_answers_pointing_at_a_bad_model_name_both_files(cli, tmp_path):
    answers = tmp_path / "a.yaml"
    answers.write_text(f"team: X\nmodel: {MODELS / 'cycle.yaml'}\n")
    result = cli("validate", answers)
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0] == f"{answers}:2:8: error: cannot load model '{MODELS / 'cycle.yaml'}'"
    assert "requirement cycle" in result.stderr.splitlines()[1]


def test_problems_keep_file_order_and_sort_by_position_within_a_file():
    # The answers file's pointer must come first even when the model's path sorts before it
    # (CI checks out under /check, pytest's tmp_path is under /tmp).
    error = InputError([Problem("/tmp/a.yaml", 2, 8, "cannot load model"),
                        Problem("/check/m.yaml", 9, 1, "later"),
                        Problem("/check/m.yaml", 6, 14, "requirement cycle")])
    assert error.messages() == ["/tmp/a.yaml:2:8: error: cannot load model",
                                "/check/m.yaml:6:14: error: requirement cycle",
                                "/check/m.yaml:9:1: error: later"]


def test_missing_file_is_a_usage_error(cli):
    result = cli("score", "does-not-exist.yaml")
    assert result.exit_code == 2
    assert "does not exist" in result.stderr


def test_strict_makes_unanswered_questions_errors(cli, tmp_path):
    answers = tmp_path / "a.yaml"
    answers.write_text("team: X\nanswers:\n  b2: yes\n")
    assert cli("validate", "--model", TINY_MODEL, answers).exit_code == 0
    result = cli("validate", "--model", TINY_MODEL, "--strict", answers)
    assert result.exit_code == 1
    assert f"{answers}:2:1: error: 'b3' is not answered (--strict)" in result.stderr.splitlines()
    assert len(result.stderr.splitlines()) == 10


@pytest.mark.parametrize("text, message", [
    ("team: " + "[" * 100_000 + "]" * 100_000, "nesting"),
    ("team: " + "{a: " * 100_000 + "}" * 100_000, "nesting"),
    ("".join(" " * i + f"k{i}:\n" for i in range(200)), "nesting deeper than 32 levels"),
    ("team: x\nlist: [" + ",".join(["1"] * 60_000) + "]\n", "more than 50000 values"),
])
def test_hostile_yaml_is_refused_quickly(cli, tmp_path, text, message):
    path = tmp_path / "hostile.yaml"
    path.write_text(text)
    started = time.perf_counter()
    result = cli("validate", "--model", TINY_MODEL, path)
    assert time.perf_counter() - started < 3
    assert result.exit_code == 1
    assert message in result.stderr
    assert result.stderr.startswith(f"{path}:")


def test_huge_file_is_refused_before_parsing(cli, tmp_path):
    path = tmp_path / "huge.yaml"
    path.write_text("team: x\nnote: " + "a" * (3 * 1024 * 1024) + "\n")
    result = cli("validate", "--model", TINY_MODEL, path)
    assert result.exit_code == 1
    assert result.stderr == f"{path}:1:1: error: file is larger than 2 MiB; refusing to parse it\n"


def test_yaml_booleans_and_yaml_1_2_strings_mean_the_same(cli, tmp_path):
    as_booleans = tmp_path / "bool.yaml"
    as_booleans.write_text("team: X\nanswers:\n  b2: yes\n  r2: true\n  r2b: no\n  hand-deploys: off\n")
    as_strings = tmp_path / "str.yaml"
    as_strings.write_text("team: X\nanswers:\n  b2: 'yes'\n  r2: \"yes\"\n  r2b: 'no'\n  hand-deploys: 'no'\n")
    outputs = [cli("score", "--model", TINY_MODEL, "--format", "json", p).stdout for p in (as_booleans, as_strings)]
    assert outputs[0] == outputs[1]
    assert '"overall_level": 1' in outputs[0]
