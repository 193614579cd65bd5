"""What a batch worker process does: one long-lived Renderer, many answers files.

`init_worker` runs once per process (builds the Renderer; for PDF it also loads
WeasyPrint, the fonts and the stylesheets, so no report pays for them again);
`run_chunk` renders a few inputs per round trip, to keep the IPC cost low. A
failure in one input is caught and reported; it never stops the others.
"""

from __future__ import annotations

import gc
import os
import signal
import sys
import traceback
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .. import pipeline
from ..errors import InputError, ReportgenError
from ..output import atomic_write
from ..render import Renderer
from ..types import Brand
from .inputs import output_path
from .manifest import file_state, sha256_file
from .portfolio import team_summary


@dataclass(frozen=True)
class WorkerConfig:
    out: Path
    templates: Path | None
    brand: Brand
    paper: str
    model: str | None
    target: int | None
    strict: bool
    formats: tuple[str, ...]
    debug: bool = False


@dataclass(frozen=True)
class Task:
    index: int
    path: Path
    display: str
    name: str
    formats: tuple[str, ...]   # the outputs to write (the stale ones)


@dataclass
class Outcome:
    index: int
    ok: bool
    team: str = ""
    organization: str = ""
    level: int = 0
    level_name: str = ""
    target_level: int = 0
    written: dict[str, list[int] | None] = field(default_factory=dict)  # format -> [size, mtime_ns]
    model: tuple[str, str] = ("", "")   # (model file, its sha256)
    answers: str = ""                     # sha256 of the answers file, read before it was parsed
    summary: dict[str, Any] | None = None
    messages: list[str] = field(default_factory=list)


_config: WorkerConfig | None = None
_renderer: Renderer | None = None
_model_hashes: dict[tuple[str, int, int], str] = {}


_inherited: tuple[WorkerConfig, Renderer] | None = None
_parent_pid = 0


def inherit(config: WorkerConfig, renderer: Renderer) -> None:
    """In the parent, before forking: workers started for `config` reuse `renderer`
    (its templates already compiled) instead of compiling them again."""
    global _inherited, _parent_pid
    _inherited = (config, renderer)
    _parent_pid = os.getpid()


def _die_with_parent() -> None:
    """A worker whose batch is killed (kill -9, the OOM killer) must not live on.

    Its call queue never reports end of file (the other workers hold the pipe open),
    so it would wait forever; on Linux the kernel kills it when the parent dies.
    Whatever it was writing is a temp file that the next run removes.
    """
    if not sys.platform.startswith("linux") or not _parent_pid:
        return
    try:
        import ctypes

        pr_set_pdeathsig = 1
        ctypes.CDLL(None, use_errno=True).prctl(pr_set_pdeathsig, signal.SIGKILL)
    except (OSError, AttributeError):  # pragma: no cover - no prctl: stays an orphan, as before
        return
    if os.getppid() != _parent_pid:  # the parent died before prctl took effect
        os._exit(1)


def init_worker(config: WorkerConfig, *, in_pool: bool = True) -> None:
    """Build this process's Renderer once and warm what every render would load again."""
    global _config, _renderer
    if in_pool:
        # Ctrl-C reaches the whole process group; the parent decides what stops.
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        _die_with_parent()
    _config = config
    if _inherited is not None and _inherited[0] == config:
        _renderer = _inherited[1]
    else:
        _renderer = Renderer(templates=config.templates, brand=config.brand, paper=config.paper)
    for fmt in config.formats:
        try:
            warm(_renderer, fmt)
        except Exception:  # pragma: no cover - the per-input render reports it properly
            pass
    for env in (_renderer.md_env, _renderer.html_env):
        env.auto_reload = False  # templates do not change during a batch: no stat() per render
    if in_pool:
        # Everything loaded so far lives as long as the process: keep it out of the
        # collector's way. (The thresholds stay as they are: WeasyPrint's layout makes
        # reference cycles, and collecting the old generation less often lets them pile up.)
        gc.freeze()


def warm(renderer: Renderer, fmt: str) -> None:
    """Compile the templates, and for PDF load WeasyPrint, fonts and stylesheets, now rather than per report."""
    if fmt == "md":
        renderer.md_env.get_template("report.md.j2")
    elif fmt in ("html", "pdf"):
        renderer.html_env.get_template("report.html.j2")
        if fmt == "pdf":
            from ..render import pdf

            prepare = getattr(pdf, "warm", None) or getattr(pdf, "_stylesheets", None)
            if prepare is not None:
                prepare()


_dependency_of: dict[int, tuple[Any, tuple[str, str]]] = {}


def model_dependency(model) -> tuple[str, str]:
    """The model file a result was scored with and the hash of its bytes.

    `pipeline.load_model` hands out one Model object per version of a model file, so
    the answer is cached per object (a changed file is a new object, hashed again).
    """
    cached = _dependency_of.get(id(model))
    if cached is not None and cached[0] is model:
        return cached[1]
    dependency = _model_file_hash(model)
    _dependency_of[id(model)] = (model, dependency)
    return dependency


def _model_file_hash(model) -> tuple[str, str]:
    if model.source == "built-in":
        path = pipeline.builtin_model_path(model.id)
    else:
        path = Path(model.source)
    path = path.resolve()
    try:
        st = path.stat()
        key = (str(path), st.st_mtime_ns, st.st_size)
    except OSError:
        return str(path), ""
    if key not in _model_hashes:
        _model_hashes[key] = sha256_file(path) or ""
    return str(path), _model_hashes[key]


def run_one(task: Task) -> Outcome:
    config, renderer = _config, _renderer
    assert config is not None and renderer is not None, "init_worker() first"
    outcome = Outcome(task.index, ok=False)
    try:
        outcome.answers = sha256_file(task.path) or ""  # before parsing: a later edit only makes it stale
        loaded = pipeline.load_answers(task.path, model=config.model, strict=config.strict, display=task.display)
        result = pipeline.assess(loaded, target=config.target, brand=renderer.brand)
        outcome.team = result["team"]
        outcome.organization = result["organization"] or ""
        outcome.level, outcome.level_name = result["overall_level"], result["overall_name"]
        outcome.target_level = result["target_level"]
        outcome.model = model_dependency(loaded.model)
        rendered = {}
        for fmt in task.formats:  # everything first: a failed render writes nothing for this team
            try:
                rendered[fmt] = renderer.render(result, fmt)
            except InputError:
                raise
            except ReportgenError as exc:
                outcome.messages = [f"{task.display}:1:1: error: cannot render {fmt}: {exc}"]
                return outcome
        summary = team_summary(task.name, result)
        for fmt in task.formats:
            path = output_path(config.out, task.name, fmt)
            try:
                atomic_write(path, rendered[fmt], durable=False)
            except OSError as exc:  # disk full, a folder in the way, permissions
                outcome.messages = [f"{task.display}:1:1: error: cannot write {path}: {exc.strerror or exc}"]
                return outcome
            outcome.written[fmt] = file_state(path)
        outcome.summary = summary
        outcome.ok = True
    except ReportgenError as exc:
        outcome.messages = [m if m.startswith(f"{task.display}:") or ": error: " in m else f"{task.display}:1:1: {m}"
                            for m in exc.messages()]
    except Exception as exc:  # a bug must not take the other inputs down with it
        outcome.messages = [f"{task.display}:1:1: error: internal error ({type(exc).__name__}: {exc}); "
                            f"please report it with this file"]
        if config.debug:
            outcome.messages.append(traceback.format_exc().rstrip())
    return outcome


def run_chunk(tasks: list[Task]) -> list[Outcome]:
    return [run_one(task) for task in tasks]


def render_portfolio(portfolio: dict[str, Any], formats: tuple[str, ...]) -> Outcome:
    """Render and write the portfolio's slow formats (PDF, HTML) in a worker."""
    config, renderer = _config, _renderer
    assert config is not None and renderer is not None, "init_worker() first"
    outcome = Outcome(-1, ok=False)
    try:
        rendered = {fmt: renderer.render(portfolio, fmt, kind="portfolio") for fmt in formats}
        for fmt in formats:
            path = config.out / f"portfolio.{fmt}"
            atomic_write(path, rendered[fmt], durable=False)
            outcome.written[fmt] = file_state(path)
        outcome.ok = True
    except ReportgenError as exc:
        outcome.messages = exc.messages()
    except Exception as exc:  # pragma: no cover - a bug; the teams' reports are still written
        outcome.messages = [f"error: internal error rendering the portfolio ({type(exc).__name__}: {exc})"]
    return outcome


def process_memory() -> int:
    """Peak resident memory of this process in bytes (benchmarks)."""
    import resource

    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak if os.uname().sysname == "Darwin" else peak * 1024
