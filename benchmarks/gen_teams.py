#!/usr/bin/env python3
"""Generate N synthetic, varied answers files for benchmarks and tests.

Deterministic for a given seed and model: the same command writes the same bytes.

    python benchmarks/gen_teams.py teams/ --count 1000 --seed 7
    python benchmarks/gen_teams.py teams/ --count 50 --model tests/fixtures/models/tiny.yaml --broken 3

Teams are spread over organisations (one folder each; a few teams have none),
with a realistic spread of maturity: most teams at levels 1-3, a few at 4-5,
dimensions a level apart, some partial and unanswered questions, the odd
premature investment or practice to stop, evidence and notes on about a quarter
of the answers, and now and then a team name full of Markdown/HTML syntax.
`--broken K` adds K files with the mistakes people make (invalid YAML, an
unknown id, a bad answer value, no team, an alias), each in its own way.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from reportgen.output import slugify  # noqa: E402
from reportgen.pipeline import load_model  # noqa: E402

LEVEL_WEIGHTS = [24, 36, 25, 11, 4]          # share of teams whose "true" level is 1..5
DOMAINS = ["Fraud Detection", "Search Ranking", "Recommendations", "Demand Forecasting", "Pricing",
           "Credit Risk", "Churn Prediction", "Document AI", "Speech", "Computer Vision", "Ads Relevance",
           "Supply Chain", "Customer Support Bots", "Anomaly Detection", "Personalisation", "Claims Triage",
           "Route Optimisation", "Marketing Mix", "Content Moderation", "Clinical NLP"]
SUFFIXES = ["", " EU", " US", " APAC", " Platform", " Core", " Labs", " (Mobile)", " II", " Batch", " Realtime"]
ORGS = ["Acme Bank", "Globex Retail", "Initech Insurance", "Umbrella Health", "Stark Logistics", "Wayne Media",
        "Hooli Cloud", "Tyrell Energy", "Cyberdyne Telecom", "Soylent Foods", "Wonka Travel", "Vandelay Industries",
        "Nakatomi Trading", "Oscorp Pharma", "Gringotts Payments", "Duff Beverages"]
ASSESSORS = ["J. Doe", "M. Kowalczyk", "D. Okafor", "A. Lindqvist", "R. Sato", "L. Moreau", "P. Ivanova"]
HOSTILE = ['Data <script>alert(1)</script> Team', "Pipes | and *stars* [link](http://evil.example)",
           "# Heading & <b>bold</b>", "`code` ![img](x.png) @everyone", "Ünïcødé Tëam ✓ 数据"]
EVIDENCE = ["Runbook in the team wiki, reviewed {m}/2026", "Dashboard 'model-health' in Grafana, owned by on-call",
            "See repo ml-platform/{slug}, folder pipelines/", "MLflow experiment {n}, last run {m} weeks ago",
            "Argo CD app {slug}-prod syncs from Git", "Checked in the audit workshop; screenshots in the deck",
            "Jira epic ML-{n}; half done", "GitHub Actions workflow train.yml runs on every merge"]
NOTES = ["Owner is changing teams next quarter.", "Only for the flagship model so far.",
         "Done by hand once a month.", "Blocked on the data platform team.", "Pilot in one region."]
BROKEN = {
    "invalid-yaml": 'team: "Broken quote\nanswers:\n  code-in-git: yes\n',
    "unknown-id": "team: Unknown Id Team\nanswers:\n  {first}: yes\n  no-such-capability: yes\n",
    "bad-value": "team: Bad Value Team\nanswers:\n  {first}: maybe\n",
    "missing-team": "organization: Nobody\nanswers:\n  {first}: yes\n",
    "alias": "team: &t Alias Team\norganization: *t\nanswers:\n  {first}: yes\n",
}


def _q(text: str) -> str:
    """A YAML double-quoted scalar (JSON strings are valid YAML)."""
    return json.dumps(text, ensure_ascii=False)


def _answer(rng: random.Random, cap_level: int, dim_level: int) -> str | None:
    if rng.random() < (0.003 if cap_level <= dim_level else 0.04):
        return None  # unanswered (mostly the questions about things the team does not have)
    if cap_level <= dim_level:
        weights = {"yes": 93, "partial": 5, "n/a": 2}
    elif cap_level == dim_level + 1:
        weights = {"yes": 14, "partial": 12, "no": 74}
    else:
        weights = {"yes": 0.6, "partial": 0.6, "no": 98.8}
    return rng.choices(list(weights), list(weights.values()))[0]


def team_file(rng: random.Random, model, index: int, org: str) -> tuple[str, str]:
    """(file name, YAML text) of one synthetic team."""
    level = rng.choices(range(1, 6), LEVEL_WEIGHTS)[0]
    name = rng.choice(HOSTILE) if rng.random() < 0.01 else rng.choice(DOMAINS) + rng.choice(SUFFIXES)
    slug = slugify(name)
    lines = [f"# Synthetic team {index} (reportgen benchmark data)", f"team: {_q(name)}"]
    if org:
        lines.append(f"organization: {_q(org)}")
    lines.append(f"assessed_on: 2026-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}")
    if rng.random() < 0.8:
        lines.append(f"assessor: {_q(rng.choice(ASSESSORS))}")
    if rng.random() < 0.6:  # a few teams only mean to consolidate where they are
        lines.append(f"target_level: {min(5, level + rng.choice((0, 1, 1, 1, 2, 2)))}")
    lines.append("answers:")
    for dim in model.dimensions:
        dim_level = min(5, level + (rng.random() < 0.25))
        lines.append(f"  # {dim.name}")
        for cap in dim.capabilities:
            value = _answer(rng, cap.level, dim_level)
            if value is None:
                continue
            if value in ("yes", "partial") and rng.random() < 0.25:
                evidence = rng.choice(EVIDENCE).format(m=rng.randint(1, 12), n=rng.randint(10, 999), slug=slug)
                lines += [f"  {cap.id}:", f"    answer: {value}", f"    evidence: {_q(evidence)}"]
                if rng.random() < 0.3:
                    lines.append(f"    note: {_q(rng.choice(NOTES))}")
            else:
                lines.append(f"  {cap.id}: {value}")
    lines.append("  # Practices to stop")
    for ap in model.anti_patterns:
        if rng.random() < 0.03:
            continue
        # Practices at or above the team's level are common; one that holds a team below it is rare.
        practise = 0.07 if ap.caps_level >= level else 0.01
        roll = rng.random()
        value = "yes" if roll < practise / 2 else "partial" if roll < practise else "no"
        lines.append(f"  {ap.id}: {value}")
    return f"{index:05d}-{slug}.yaml", "\n".join(lines) + "\n"


def generate(out: Path, count: int, *, seed: int = 1, model: str | None = None, broken: int = 0,
             flat: bool = False) -> list[Path]:
    """Write `count` teams (+ `broken` bad files) under `out`; return their paths."""
    rng = random.Random(seed)
    loaded = load_model(model)
    orgs = ORGS[:max(1, min(len(ORGS), count // 40 or 1))]
    written = []
    for index in range(1, count + 1):
        org = "" if rng.random() < 0.05 else rng.choice(orgs)
        file_name, text = team_file(rng, loaded, index, org)
        folder = out if flat else out / (slugify(org) if org else "no-organization")
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / file_name
        path.write_text(text, encoding="utf-8")
        written.append(path)
    first = next(iter(loaded.capabilities))
    kinds = list(BROKEN)
    for i in range(broken):
        kind = kinds[i % len(kinds)]
        folder = out if flat else out / "broken"
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"{count + i + 1:05d}-broken-{kind}.yaml"
        path.write_text(BROKEN[kind].replace("{first}", first), encoding="utf-8")
        written.append(path)
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path, help="folder to write the answers files into")
    parser.add_argument("--count", "-n", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--model", default=None, help="model id or file (default: the built-in mlops)")
    parser.add_argument("--broken", type=int, default=0, help="also write this many broken files")
    parser.add_argument("--flat", action="store_true", help="all files in one folder (no organisation folders)")
    args = parser.parse_args(argv)
    paths = generate(args.out, args.count, seed=args.seed, model=args.model, broken=args.broken, flat=args.flat)
    print(f"wrote {len(paths)} answers files under {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
