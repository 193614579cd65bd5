"""Shared test helpers: fixture paths, a CLI runner, and the golden-file switch."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from reportgen.cli import main

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"
TINY_MODEL = FIXTURES / "models" / "tiny.yaml"
EXAMPLES = ROOT / "examples" / "teams"
BRAND = ROOT / "examples" / "brand" / "brand.yaml"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--update-golden", action="store_true",
                     help="Rewrite tests/golden/ from the current output instead of comparing.")


@pytest.fixture
def update_golden(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-golden"))


@pytest.fixture
def cli():
    """Run `reportgen ARGS...`; returns click's Result (exit_code, stdout, stderr)."""
    runner = CliRunner()

    def run(*args: object, input: str | None = None):
        return runner.invoke(main, [str(a) for a in args], input=input, catch_exceptions=False)

    return run
