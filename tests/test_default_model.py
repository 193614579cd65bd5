"""The default model is a credible instrument: the SPEC's content requirements."""

from __future__ import annotations

import re

from reportgen import pipeline
from reportgen.validate.model import DEFAULT_LEVELS

MODEL = pipeline.load_model("mlops")


def test_levels_are_the_five_level_model_exactly():
    assert [(lvl.number, lvl.name, lvl.focus, lvl.tools, lvl.next_step) for lvl in MODEL.levels] == [
        (1, "Manual", "Experimentation", ("Jupyter", "Local Python"), "Scripting & Versioning"),
        (2, "Repeatable", "Packaging", ("Docker", "Git", "MLflow"), "CI/CD & Basic Monitoring"),
        (3, "Operable", "Automation", ("Argo CD", "GitHub Actions"), "Governance & Scale"),
        (4, "Governed", "Multi-team leverage", ("Kubeflow", "Feature Stores"), "Self-service & Policy-as-Code"),
        (5, "Adaptive", "Optimization", ("KEDA", "Automated Retraining"), "Unit Economics & Efficiency"),
    ]
    assert MODEL.levels == tuple(
        type(d)(d.number, d.name, d.focus, d.tools, d.next_step, MODEL.levels[i].description)
        for i, d in enumerate(DEFAULT_LEVELS))
    assert all(lvl.description for lvl in MODEL.levels)


def test_size_and_every_dimension_is_a_full_ladder():
    assert len(MODEL.dimensions) >= 8
    assert len(MODEL.capabilities) >= 40
    assert len(MODEL.anti_patterns) >= 6
    for dim in MODEL.dimensions:
        assert {c.level for c in dim.capabilities} == {2, 3, 4, 5}, dim.id


def test_every_text_is_written_for_a_reader():
    for cap in MODEL.capabilities.values():
        assert cap.question.endswith("?"), cap.id
        assert len(cap.why) > 60 and len(cap.how) > 60, cap.id
        assert cap.how.lstrip().startswith("- "), f"{cap.id}: how-to is a list of concrete steps"
        assert cap.effort > 0
    for ap in MODEL.anti_patterns:
        assert ap.question.endswith("?") and ap.why and ap.instead, ap.id
        assert 1 <= ap.caps_level <= 4


def mentions(text: str, tool: str) -> bool:
    return re.search(re.escape(tool).replace(r"\ ", r"\s+"), text, re.IGNORECASE) is not None


def test_every_level_tool_is_used_in_guidance_at_its_level():
    aliases = {"Feature Stores": "feature store", "Automated Retraining": "retrain"}
    for level in MODEL.levels[1:]:
        caps = [c for c in MODEL.capabilities.values() if c.level == level.number]
        for tool in level.tools:
            needle = aliases.get(tool, tool)
            assert any(mentions(c.how, needle) for c in caps), f"{tool} is not in any level-{level.number} how-to"


def test_manual_kubectl_caps_below_operable():
    ap = MODEL.anti_pattern_index["manual-prod-deploys"]
    assert ap.caps_level == 2
    assert "kubectl" in ap.question
