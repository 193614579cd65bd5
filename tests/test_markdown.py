"""The Markdown report: untrusted strings stay literal text; output is byte-stable."""

from __future__ import annotations

import re

import pytest

from reportgen.render.text import md_escape

from conftest import TINY_MODEL

HOSTILE = [
    '<img src="file:///etc/passwd">',
    "<script>alert(1)</script>",
    "[click me](http://evil.example/x) ![img](http://evil.example/p.png)",
    "a | b || c",
    "`code` **bold** _em_ ~~strike~~",
    "<!-- END REPORTGEN -->",
    "https://evil.example www.evil.example j@evil.example @everyone #42 $x$",
    "snake_case stays _but this is_ escaped",
    "# heading\n- list\n> quote",
    "&lt;script&gt; &#60;",
]


def unescaped(text: str, char: str) -> int:
    """How many times `char` occurs not preceded by an escaping backslash."""
    return len(re.findall(r"(?<!\\)(?:\\\\)*" + re.escape(char), text))


@pytest.mark.parametrize("value", HOSTILE)
def test_escaped_text_has_no_live_markdown(value):
    out = md_escape(value)
    assert "\n" not in out
    for char in "<>[]`*|~$@":
        assert unescaped(out, char) == 0, (char, out)
    # An underscore can only open emphasis at a word boundary; a hash only heads a line.
    assert not re.search(r"(?<!\\)(?:(?<![A-Za-z0-9])_|_(?![A-Za-z0-9]))", out), out
    assert not out.startswith("#")
    assert not re.search(r"(?<!\\)&#?\w+;", out)
    assert not re.search(r"\w://", out) and "www." not in out


def test_hostile_answers_cannot_inject_into_the_report(cli, tmp_path):
    evil = HOSTILE[0] + " " + HOSTILE[2] + " " + HOSTILE[3]
    answers = tmp_path / "a.yaml"
    answers.write_text(
        f"team: '{evil}'\norganization: '{HOSTILE[1]}'\nassessor: '{HOSTILE[5]}'\n"
        f"answers:\n  b2:\n    answer: yes\n    evidence: '{HOSTILE[3]} {HOSTILE[0]}'\n"
        f"    note: \"{HOSTILE[7]!s}\"\n  r5:\n    answer: yes\n    evidence: '{HOSTILE[6]}'\n"
        .replace("\n- list", "\\n- list").replace("\n> quote", "\\n> quote"))
    out = tmp_path / "r.md"
    result = cli("render", answers, "--model", TINY_MODEL, "-o", out)
    assert result.exit_code == 0, result.stderr
    text = out.read_text()
    assert "<img" not in text.replace("\\<img", "")
    assert "<script" not in text.replace("\\<script", "")
    # The only links are the report's own, to its headings' anchors.
    assert not re.search(r"(?<!\\)\]\((?!#[a-z0-9-]+\))", text), "a live link"
    assert "<!-- END REPORTGEN -->" not in text
    # Every table keeps its column count: count unescaped pipes per table row.
    for block in re.findall(r"(?:^\|.*\n)+", text, flags=re.M):
        rows = block.splitlines()
        widths = {unescaped(row, "|") for row in rows}
        assert len(widths) == 1, rows


def test_markdown_is_byte_identical_across_runs(cli, tmp_path):
    answers = tmp_path / "a.yaml"
    answers.write_text("team: Same\nassessed_on: 2026-01-02\nanswers:\n  b2: yes\n  r2: partial\n")
    cli("render", answers, "--model", TINY_MODEL, "-o", tmp_path / "one.md")
    cli("render", answers, "--model", TINY_MODEL, "-o", tmp_path / "two.md")
    assert (tmp_path / "one.md").read_bytes() == (tmp_path / "two.md").read_bytes()


def test_plain_text_stays_readable():
    assert md_escape("Data_Science team #2, R&D: v1.2 - ok") == "Data_Science team #2, R&D: v1.2 - ok"
