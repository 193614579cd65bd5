"""The answers file's context and narrative: read with their places, and used only where the README says
(wording, how-to steps, weeks and dates, order among equals), never for a level or what is planned."""

from __future__ import annotations

from pathlib import Path

from conftest import FIXTURES

from reportgen import pipeline
from reportgen.assess import AnswersDocument, check_field

SMALL = FIXTURES / "models" / "small-core.yaml"


def write(tmp_path: Path, body: str, name: str = "a.yaml") -> Path:
    path = tmp_path / name
    path.write_text(body)
    return path


def test_context_and_narrative_reach_the_result(tmp_path):
    path = write(tmp_path, """\
team: T
assessed_on: 2026-01-05
context: {platform: SageMaker, team_size: 4, capacity: 2, regulated: yes}
narrative:
  summary: Our own words.
  findings: [First finding, Second finding]
  risks: One risk written as a single paragraph
answers:
  code-in-git: yes
""")
    r = pipeline.result_for(path)
    assert r["context"] == {"platform": "sagemaker", "team_size": 4, "capacity": 2.0, "regulated": True}
    assert r["narrative"] == {"summary": "Our own words.", "findings": ["First finding", "Second finding"],
                              "risks": ["One risk written as a single paragraph"], "next_steps": []}


def test_how_to_steps_follow_the_platform_and_fall_back_to_the_neutral_default(tmp_path):
    model = pipeline.load_model("mlops")
    cap = model.capabilities["gitops-deploys"]
    hows = {}
    for platform in ("kubernetes", "sagemaker", "other", None):
        context = f"context: {{platform: {platform}}}\n" if platform else ""
        r = pipeline.result_for(write(tmp_path, f"team: T\n{context}answers:\n  code-in-git: yes\n"))
        item = next(i for p in r["roadmap"] for i in p["items"] if i["id"] == "gitops-deploys")
        hows[platform] = item["how"]
    assert hows["sagemaker"] == cap.how_for("sagemaker") != hows["kubernetes"] == cap.how_for("kubernetes")
    assert hows["other"] == hows[None] == cap.how
    assert "Argo CD" in hows["kubernetes"] and "SageMaker" in hows["sagemaker"]


def test_capacity_gives_weeks_and_dates_in_sequence(tmp_path):
    r = pipeline.result_for(write(tmp_path, "team: T\nassessed_on: 2026-01-05\ntarget_level: 4\n"
                                            "context: {capacity: 2}\nanswers:\n  code-in-git: yes\n"))
    phases = r["roadmap"]
    assert [p["weeks"] for p in phases] == [p["effort"] / 2 for p in phases]
    assert phases[0]["starts_on"] == "2026-01-05"
    assert all(a["ends_on"] == b["starts_on"] for a, b in zip(phases, phases[1:]))
    # Without a date there are weeks but no dates; without capacity, a quarter of the team, else 1 pw a week.
    r = pipeline.result_for(write(tmp_path, "team: T\ncontext: {capacity: 2}\nanswers: {}\n"))
    assert "weeks" in r["roadmap"][0] and "starts_on" not in r["roadmap"][0]
    assert r["calendar"]["capacity_source"] == "context" and r["calendar"]["starts_on"] is None
    r = pipeline.result_for(write(tmp_path, "team: T\ncontext: {team_size: 6}\nanswers: {}\n"))
    assert (r["calendar"]["capacity"], r["calendar"]["capacity_source"]) == (1.5, "team size")
    r = pipeline.result_for(write(tmp_path, "team: T\nanswers: {}\n"))
    assert (r["calendar"]["capacity"], r["calendar"]["capacity_source"]) == (1, "default")
    assert r["roadmap"][0]["weeks"] == r["roadmap"][0]["effort"]


def test_regulated_teams_get_controls_first_among_equals_and_the_same_plan(tmp_path):
    level2 = ", ".join(f"{c}: yes" for c in ("code-in-git", "scripted-training", "experiment-tracking",
                                             "registered-models", "data-snapshots", "container-builds",
                                             "serving-api", "scripted-release"))
    body = "team: T\ntarget_level: 4\ncontext: {{regulated: {regulated}}}\nanswers: {{" + level2 + "}}\n"
    plain = pipeline.result_for(write(tmp_path, body.format(regulated="false")))
    regulated = pipeline.result_for(write(tmp_path, body.format(regulated="true")))
    assert plain["overall_level"] == 2
    model = pipeline.load_model("mlops")
    phase2 = [i["id"] for i in plain["roadmap"][1]["items"]]
    ranked = [i["id"] for i in regulated["roadmap"][1]["items"]]
    assert sorted(phase2) == sorted(ranked) and phase2 != ranked
    # After what leads to the level's core items, the controls a regulator asks for come first.
    controls = [c for c in ranked if model.capabilities[c].control]
    core_chain = {"shared-pipelines", "feature-store"}
    rest = [c for c in ranked if c not in core_chain]
    assert rest[:len(controls)] == controls
    assert [c for c in phase2 if c not in core_chain][:len(controls)] != controls
    for key in ("overall_level", "path_up", "stop", "target_level", "start"):
        assert plain[key] == regulated[key], key


def test_assess_asks_the_context_and_keeps_context_and_narrative_on_save(tmp_path):
    path = write(tmp_path, """\
team: T
context:
  platform: vertex-ai
  capacity: 1.5
narrative:
  summary: Kept as written.
answers:
  code-in-git: yes
""")
    doc = AnswersDocument.load(path)
    assert doc.fields["context.platform"] == "vertex-ai" and doc.fields["context.capacity"] == 1.5
    assert doc.missing_fields() == ["organization", "assessor", "assessed_on", "target_level"]
    doc.set_field("context.regulated", check_field("context.regulated", "yes")[0])
    doc.save(path)
    r = pipeline.result_for(path)
    assert r["context"] == {"platform": "vertex-ai", "team_size": None, "capacity": 1.5, "regulated": True}
    assert r["narrative"]["summary"] == "Kept as written."
    assert check_field("context.platform", "Databricks") == ("databricks", None)
    assert check_field("context.platform", "openshift")[1].startswith("one of kubernetes")
    assert check_field("context.capacity", "0")[1] and check_field("context.team_size", "six")[1]
