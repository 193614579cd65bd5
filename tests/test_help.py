"""Every command explains itself with an example, and shell completion works."""

from __future__ import annotations

import os
import subprocess
import sys

import click
import pytest

from reportgen.cli import main

COMMANDS = main.list_commands(click.Context(main))


def test_every_command_is_listed():
    assert {"render", "score", "validate", "init", "assess", "diff", "model", "schema"} <= set(COMMANDS)


@pytest.mark.parametrize("args", [[], *[[name] for name in COMMANDS]], ids=["reportgen", *COMMANDS])
def test_help_shows_an_example(cli, args):
    result = cli(*args, "--help")
    assert result.exit_code == 0
    assert "Example" in result.stdout
    assert "reportgen " + (args[0] if args else "") in result.stdout.split("Example", 1)[1]


def complete(env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", "from reportgen.cli import run; run()"], capture_output=True,
                          text=True, timeout=60, env={**os.environ, **env})


def test_bash_completion_script_and_candidates():
    script = complete({"_REPORTGEN_COMPLETE": "bash_source"})
    assert script.returncode == 0
    assert "complete -o nosort -F _reportgen_completion reportgen" in script.stdout
    words = complete({"_REPORTGEN_COMPLETE": "bash_complete", "COMP_WORDS": "reportgen re", "COMP_CWORD": "1"})
    assert words.stdout.split() == ["plain,render"]
    options = complete({"_REPORTGEN_COMPLETE": "bash_complete", "COMP_WORDS": "reportgen assess --a",
                        "COMP_CWORD": "2"})
    assert options.stdout.split() == ["plain,--all"]


@pytest.mark.parametrize("shell", ["zsh", "fish"])
def test_other_shells_completion_scripts(shell):
    result = complete({"_REPORTGEN_COMPLETE": f"{shell}_source"})
    assert result.returncode == 0 and "_REPORTGEN_COMPLETE" in result.stdout
