"""Golden files: every example's Markdown report and JSON result, committed and compared.

After an intended change: `make golden` (pytest --update-golden), then review the diff.
"""

from __future__ import annotations

import pytest

from reportgen import pipeline
from reportgen.render import Renderer

from conftest import EXAMPLES, ROOT

GOLDEN = ROOT / "tests" / "golden"
TEAMS = sorted(EXAMPLES.glob("*.yaml"))


@pytest.mark.parametrize("example", TEAMS, ids=[p.stem for p in TEAMS])
@pytest.mark.parametrize("fmt", ["md", "json"])
def test_example_matches_golden(example, fmt, update_golden):
    result = pipeline.result_for(example)
    rendered = Renderer().render(result, fmt)
    golden = GOLDEN / f"{example.stem}.{fmt}"
    if update_golden:
        golden.parent.mkdir(exist_ok=True)
        golden.write_bytes(rendered)
        return
    assert golden.exists(), f"no golden file for {example.name}; run `make golden`"
    assert rendered.decode() == golden.read_text(), f"{golden} differs; if intended, run `make golden`"


def test_there_are_examples_at_every_level_from_one_to_four():
    levels = sorted(pipeline.result_for(p)["overall_level"] for p in TEAMS)
    assert {1, 2, 3, 4} <= set(levels)
