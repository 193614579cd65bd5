"""The library API: load -> validate -> score -> plan -> result, for one answers file.

The CLI commands and the batch workers call these; they hold no logic of their own.
"""

from __future__ import annotations

import functools
import os
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from .errors import InputError, Problem
from .load import read_yaml
from .plan import plan as make_plan
from .result import build_result
from .score import score as make_score
from .types import Answers, Brand, Model
from .validate.answers import build_answers, model_reference
from .validate.brand import build_brand
from .validate.model import build_model

DEFAULT_MODEL = "mlops"


def builtin_models() -> list[str]:
    folder = resources.files("reportgen") / "models"
    return sorted(p.name[:-5] for p in folder.iterdir() if p.name.endswith(".yaml"))


def builtin_model_path(model_id: str) -> Path:
    return Path(str(resources.files("reportgen") / "models" / f"{model_id}.yaml"))


@functools.lru_cache(maxsize=32)
def _load_model_cached(path: str, display: str, source: str, _stamp: tuple[int, int]) -> Model:
    default_id = Path(path).stem
    return build_model(read_yaml(Path(path), display), display, source, default_id)


def load_model(reference: str | None = None, *, base: Path | None = None, display: str | None = None) -> Model:
    """A built-in model by id, or a model file by path (relative to `base` when given).

    Parsed models are cached per process, keyed by file identity, so a batch of a
    thousand teams validates the model once.
    """
    reference = reference or DEFAULT_MODEL
    if reference in builtin_models():
        path, source = builtin_model_path(reference), "built-in"
        display = f"<built-in model {reference}>"
    else:
        path = Path(reference)
        if base is not None and not path.is_absolute():
            path = base / path
        source = display = display or str(path)
        if not path.is_file():
            hint = ", ".join(builtin_models())
            raise InputError([Problem(display, 1, 1, f"no such model file (built-in models: {hint})")])
    st = os.stat(path)
    return _load_model_cached(str(path), display, source, (st.st_mtime_ns, st.st_size))


@dataclass(frozen=True)
class Loaded:
    model: Model
    answers: Answers


def load_answers(path: Path, *, model: str | None = None, strict: bool = False,
                 display: str | None = None) -> Loaded:
    """Parse and validate an answers file; `model` (from --model) overrides its own `model:`."""
    display = display or str(path)
    root = read_yaml(path, display)
    if model:
        loaded_model = load_model(model)
    else:
        reference, node = model_reference(root)
        try:
            loaded_model = load_model(reference or None, base=path.parent)
        except InputError as exc:
            if node is None:
                raise
            # Point at the answers file's `model:` line as well as at the model's own problems.
            raise InputError([Problem(display, node.line, node.column, f"cannot load model {reference!r}"),
                              *exc.problems]) from None
    return Loaded(loaded_model, build_answers(root, display, loaded_model, strict=strict))


def load_brand(path: Path | None) -> Brand:
    if path is None:
        return Brand()
    return build_brand(read_yaml(path), str(path), path.parent)


def assess(loaded: Loaded, *, target: int | None = None, brand: Brand | None = None) -> dict[str, Any]:
    """Score and plan; the serialisable result every renderer reads (priced with the brand's rate)."""
    score = make_score(loaded.model, loaded.answers)
    chosen_target = target or loaded.answers.target_level
    plan = make_plan(loaded.model, score, chosen_target, context=loaded.answers.context,
                     assessed_on=loaded.answers.assessed_on, rate=brand.rate if brand else None)
    return build_result(loaded.model, loaded.answers, score, plan, currency=brand.currency if brand else "")


def result_for(path: Path, *, model: str | None = None, target: int | None = None,
               strict: bool = False, brand: Brand | None = None) -> dict[str, Any]:
    return assess(load_answers(path, model=model, strict=strict), target=target, brand=brand)
