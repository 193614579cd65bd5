"""Running a batch: discover, shard, skip what is up to date, render the rest in parallel,
keep the manifest current, and write the portfolio summary.

The CLI (`reportgen.cli.batch`) only parses options and prints; everything a
batch does is here, so it can be driven from Python as well:

    report = run_batch(BatchOptions(inputs=(Path("teams"),), out=Path("out")))
"""

from __future__ import annotations

import contextlib
import gc
import math
import multiprocessing
import os
import sys
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator

import jinja2

from .. import pipeline
from ..errors import InputError, Problem, ReportgenError, RenderError
from ..output import atomic_write
from ..render import Renderer
from . import worker
from .inputs import Input, collisions, discover, output_path, take_shard
from .manifest import (Fingerprint, Manifest, file_state, manifest_path, remove_leftover_temp_files, sha256_bytes,
                       sha256_file)
from .portfolio import build_portfolio, portfolio_name

PORTFOLIO_KEY = "portfolio"
FAST_FORMATS = ("json", "md")  # milliseconds per team; html and pdf take longer


def default_jobs() -> int:
    """The CPUs this process may run on (respects taskset / cpusets), at least 1."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - macOS, Windows
        return max(1, os.cpu_count() or 1)


@dataclass(frozen=True)
class BatchOptions:
    inputs: tuple[Path, ...]
    out: Path
    formats: tuple[str, ...] = ("md",)
    jobs: int | None = None
    shard: tuple[int, int] | None = None
    force: bool = False
    fail_fast: bool = False
    title: str | None = None         # the portfolio's title (None: DEFAULT_TITLE)
    model: str | None = None
    brand: Path | None = None
    templates: Path | None = None
    paper: str = "a4"
    target: int | None = None
    strict: bool = False
    debug: bool = False

    @property
    def all_formats(self) -> tuple[str, ...]:
        """The requested formats, plus JSON: the portfolio is built from the JSON results."""
        return self.formats + (() if "json" in self.formats else ("json",))


@dataclass
class Row:
    """One input's line in the summary table."""

    input: Input
    status: str = "pending"          # rendered | up to date | failed | not run
    team: str = ""
    organization: str = ""
    level: int = 0
    level_name: str = ""
    target_level: int = 0
    outputs: tuple[str, ...] = ()    # formats on disk for this input after the run
    messages: list[str] = field(default_factory=list)
    summary: dict[str, Any] | None = None

    @property
    def failed(self) -> bool:
        return self.status == "failed"


@dataclass
class BatchReport:
    rows: list[Row]
    shard: tuple[int, int] | None
    discovered: int                       # inputs found before sharding
    portfolio: list[Path] = field(default_factory=list)
    portfolio_status: str = ""            # written | up to date | skipped: ... | failed
    portfolio_messages: list[str] = field(default_factory=list)
    stopped: bool = False                 # --fail-fast stopped the run

    def count(self, status: str) -> int:
        return sum(r.status == status for r in self.rows)

    @property
    def ok(self) -> bool:
        return not any(r.failed for r in self.rows) and self.portfolio_status != "failed" and not self.stopped


class Reporter:
    """Receives progress; `reportgen.batch.progress` has the terminal, plain and CI flavours."""

    def start(self, rows: list[Row], todo: int, inputs: int) -> None:
        """`todo` renders (one per input and kind of format) for `inputs` of the `rows`."""
    def advance(self, row: Row, formats: tuple[str, ...]) -> None:
        """`row` failed (before or while rendering) or has just had `formats` written."""
    def finish(self, report: BatchReport) -> None:
        pass


class NoInputs(ReportgenError):
    pass


def run_batch(options: BatchOptions, reporter: Reporter | None = None) -> BatchReport:
    reporter = reporter or Reporter()
    formats = options.all_formats
    out = options.out
    if out.exists() and not out.is_dir():
        raise InputError([Problem(str(out), 1, 1, "the output (-o) must be a folder, found a file")])

    brand = pipeline.load_brand(options.brand)
    if options.model:
        pipeline.load_model(options.model)  # a broken --model fails every input: say it once
    renderer = Renderer(templates=options.templates, brand=brand, paper=options.paper)
    preflight(renderer, formats)

    exclude = [p for p in (options.brand, Path(options.model) if options.model else None) if p is not None]
    found = discover(options.inputs, exclude=exclude)
    if not found:
        shown = ", ".join(str(p) for p in options.inputs)
        raise NoInputs(f"no answers files (*.yaml, *.yml) found in {shown}")
    inputs = take_shard(found, options.shard)
    rows = [Row(item) for item in inputs]
    report = BatchReport(rows, options.shard, len(found))

    clashes = collisions(inputs, formats)
    for row in rows:
        if row.input.display in clashes:
            row.status = "failed"
            row.messages = [str(p) for p in clashes[row.input.display]]

    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InputError([Problem(str(out), 1, 1, f"cannot create the output folder: {exc.strerror}")]) from None
    if not os.access(out, os.W_OK | os.X_OK):
        raise InputError([Problem(str(out), 1, 1, "the output folder is not writable")])
    manifest = Manifest.load(manifest_path(out, options.shard))
    _clean_temp_files(out, [r.input for r in rows], formats, manifest.path)
    fingerprint = Fingerprint.of(templates=options.templates, brand_path=options.brand, brand=brand,
                                 paper=options.paper, target=options.target, strict=options.strict,
                                 model=options.model)

    # What is up to date, and what must be rendered: the fast formats (JSON, Markdown) of
    # every input first, so the portfolio can be built and rendered while the slow ones
    # (PDF, HTML) are still being made, instead of after them.
    model_hashes: dict[str, str | None] = {}
    answers_hashes: dict[int, str] = {}
    fast_tasks: list[worker.Task] = []
    slow_tasks: list[worker.Task] = []
    for index, row in enumerate(rows):
        if row.failed:
            continue
        entry = None if options.force else manifest.entries.get(row.input.name)
        # Without an entry everything is stale: the worker hashes the answers (in parallel).
        answers = (sha256_file(row.input.path) or "") if entry else ""
        answers_hashes[index] = answers
        stale = _stale_formats(entry, formats, answers, fingerprint, out, row.input, model_hashes)
        fast = tuple(f for f in stale if f in FAST_FORMATS)
        slow = tuple(f for f in stale if f not in FAST_FORMATS)
        if fast:
            fast_tasks.append(worker.Task(index, row.input.path, row.input.display, row.input.name, fast))
        else:
            _fill_from_entry(row, entry, formats)   # its summary comes from the manifest
        if slow:
            slow_tasks.append(worker.Task(index, row.input.path, row.input.display, row.input.name, slow))
    reporter.start(rows, len(fast_tasks) + len(slow_tasks), len({t.index for t in fast_tasks + slow_tasks}))
    for row in rows:
        if row.failed:
            reporter.advance(row, ())

    config = worker.WorkerConfig(out=out, templates=options.templates, brand=brand, paper=options.paper,
                                 model=options.model, target=options.target, strict=options.strict,
                                 formats=formats, debug=options.debug)
    jobs = options.jobs or default_jobs()
    worker.inherit(config, renderer)   # forked workers start with the templates compiled by preflight()
    workers = Workers(config, jobs, len(fast_tasks) + len(slow_tasks))

    slow_pending = {t.index for t in slow_tasks}

    def consume(outcomes: Iterator[worker.Outcome], *, slow: bool = False) -> bool:
        """Apply outcomes as they arrive; False when --fail-fast stops the run."""
        with contextlib.closing(outcomes):  # on a stop, tasks not started are cancelled
            for outcome in outcomes:
                row = rows[outcome.index]
                if slow:
                    slow_pending.discard(outcome.index)
                _apply(row, outcome, manifest, fingerprint, answers_hashes.get(outcome.index) or outcome.answers,
                       formats)
                reporter.advance(row, tuple(outcome.written))
                if row.failed and options.fail_fast:
                    report.stopped = True
                    return False
        return True

    try:
        with workers:
            if consume(workers.run(fast_tasks)):
                pending_portfolio = _portfolio(report, renderer, manifest, fingerprint, out, formats, options.force,
                                               workers, options.title)
                failed = {r.input.name for r in rows if r.failed}
                consume(workers.run([t for t in slow_tasks if t.name not in failed]), slow=True)
                if pending_portfolio is not None:
                    _finish_portfolio(report, manifest, pending_portfolio, cancel=report.stopped)
    finally:
        manifest.close()  # the journal keeps what finished, even on Ctrl-C
    for index, row in enumerate(rows):
        if row.status == "pending" or (report.stopped and index in slow_pending and not row.failed):
            row.status = "not run"
    if manifest.dirty:
        manifest.save()
    reporter.finish(report)
    return report


def preflight(renderer: Renderer, formats: tuple[str, ...]) -> None:
    """Compile every template the run needs, once: a broken override is one error, not a thousand."""
    for fmt in formats:
        if fmt == "json":
            continue
        if fmt in ("html", "pdf"):
            try:
                if fmt == "html":
                    from ..render import html  # noqa: F401
                else:
                    from ..render import pdf  # noqa: F401
            except ImportError as exc:
                raise RenderError(f"format {fmt} is not available: {exc}") from None
        env = renderer.md_env if fmt == "md" else renderer.html_env
        ext = "md" if fmt == "md" else "html"
        for kind in ("report", "portfolio"):
            name = f"{kind}.{ext}.j2"
            try:
                env.get_template(name)
            except jinja2.TemplateSyntaxError as exc:
                where = exc.filename or exc.name or name
                raise InputError([Problem(where, exc.lineno or 1, 1, f"template syntax: {exc.message}")]) from None
            except jinja2.TemplateNotFound as exc:
                raise RenderError(f"template {name}: {exc.name or name} not found") from None


def _clean_temp_files(out: Path, inputs: list[Input], formats: tuple[str, ...], manifest: Path) -> None:
    by_folder: dict[Path, set[str]] = {out: {manifest.name, *(portfolio_name(f) for f in formats)}}
    for item in inputs:
        for fmt in formats:
            path = output_path(out, item.name, fmt)
            by_folder.setdefault(path.parent, set()).add(path.name)
    for folder, names in by_folder.items():
        remove_leftover_temp_files(folder, names)


def _stale_formats(entry: dict[str, Any] | None, formats: tuple[str, ...], answers: str,
                   fingerprint: Fingerprint, out: Path, item: Input,
                   model_hashes: dict[str, str | None]) -> list[str]:
    if not entry or not answers or entry.get("answers") != answers or not isinstance(entry.get("summary"), dict):
        return list(formats)
    model = entry.get("model")
    if not (isinstance(model, list) and len(model) == 2 and isinstance(model[0], str)):
        return list(formats)
    if model[0] not in model_hashes:
        model_hashes[model[0]] = sha256_file(Path(model[0]))
    if not model_hashes[model[0]] or model_hashes[model[0]] != model[1]:
        return list(formats)
    outputs = entry.get("outputs") if isinstance(entry.get("outputs"), dict) else {}
    stale = []
    for fmt in formats:
        recorded = outputs.get(fmt)
        if (not isinstance(recorded, dict) or recorded.get("key") != fingerprint.key(fmt, answers, model[1])
                or recorded.get("state") != file_state(output_path(out, item.name, fmt))):
            stale.append(fmt)
    return stale


def _fill_from_entry(row: Row, entry: dict[str, Any], formats: tuple[str, ...]) -> None:
    summary = entry["summary"]
    row.status = "up to date"
    row.summary = summary
    row.team = summary.get("team", "")
    row.organization = summary.get("organization", "")
    row.level = summary.get("overall_level", 0)
    row.level_name = summary.get("overall_name", "")
    row.target_level = summary.get("target_level", 0)
    row.outputs = formats


def _apply(row: Row, outcome: worker.Outcome, manifest: Manifest, fingerprint: Fingerprint,
           answers: str, formats: tuple[str, ...]) -> None:
    row.team, row.organization = outcome.team, outcome.organization
    row.level, row.level_name, row.target_level = outcome.level, outcome.level_name, outcome.target_level
    if not outcome.ok:
        row.status = "failed"
        row.messages = outcome.messages
        return
    row.status = "rendered"
    row.summary = outcome.summary
    row.outputs = formats
    name = row.input.name
    old = manifest.entries.get(name) or {}
    outputs = dict(old.get("outputs") or {}) if isinstance(old.get("outputs"), dict) else {}
    model_file, model_hash = outcome.model
    for fmt, state in outcome.written.items():
        outputs[fmt] = {"key": fingerprint.key(fmt, answers, model_hash), "state": state}
    manifest.record(name, {"input": row.input.display, "answers": answers, "model": [model_file, model_hash],
                           "outputs": outputs, "summary": outcome.summary})


# -- running the tasks ---------------------------------------------------------------------


class Workers:
    """The batch's long-lived worker processes (or this process, for one job or one task).

    Each worker builds its Renderer once (and warms WeasyPrint when PDFs are asked
    for); tasks go out in chunks, outcomes come back as they complete.
    """

    def __init__(self, config: worker.WorkerConfig, jobs: int, tasks: int):
        self.config = config
        self.inline = jobs <= 1 or tasks <= 1
        self.jobs = max(1, min(jobs, tasks))
        self.executor: ProcessPoolExecutor | None = None
        self.side: ProcessPoolExecutor | None = None

    def __enter__(self) -> "Workers":
        if self.inline:
            worker.init_worker(self.config, in_pool=False)
        return self

    def __exit__(self, *exc: object) -> None:
        # Reached normally, on --fail-fast or on Ctrl-C: drop what has not started,
        # let what runs finish writing its files.
        for executor in (self.executor, self.side):
            if executor is not None:
                executor.shutdown(wait=True, cancel_futures=True)

    def _new_pool(self, size: int) -> ProcessPoolExecutor:
        context = multiprocessing.get_context("fork") if sys.platform.startswith("linux") else None
        gc.freeze()  # forked workers share the parent's pages; a collection would copy them all
        return ProcessPoolExecutor(max_workers=size, mp_context=context,
                                   initializer=worker.init_worker, initargs=(self.config,))

    def _pool(self) -> ProcessPoolExecutor:
        if self.executor is None:
            self.executor = self._new_pool(self.jobs)
        return self.executor

    def run(self, tasks: list[worker.Task]) -> Iterator[worker.Outcome]:
        """Outcomes of `tasks` as they complete."""
        if not tasks:
            return
        if self.inline:
            for task in tasks:
                yield worker.run_one(task)
            return
        size = chunk_size(len(tasks), self.jobs, tasks[0].formats)
        executor = self._pool()
        pending = {executor.submit(worker.run_chunk, tasks[i:i + size]): tasks[i:i + size]
                   for i in range(0, len(tasks), size)}
        try:
            while pending:
                done, _ = wait(pending, return_when=FIRST_COMPLETED)
                for future in sorted(done, key=lambda f: pending[f][0].index):
                    chunk = pending.pop(future)
                    try:
                        outcomes = future.result()
                    except BrokenProcessPool:
                        outcomes = [worker.Outcome(t.index, ok=False, messages=[
                            f"{t.display}:1:1: error: not rendered: a worker process died (killed, or out of "
                            f"memory?); run the batch again to retry"]) for t in chunk]
                    yield from outcomes
        finally:
            for future in pending:  # --fail-fast or Ctrl-C: what has not started never will
                future.cancel()

    def submit_aside(self, fn, *args) -> Future:
        """One big task (the portfolio's PDF) in a process of its own, running alongside the
        workers: the memory a document of hundreds of pages takes is returned when it exits,
        instead of staying with a long-lived worker. In inline mode it runs now."""
        if self.inline:
            future: Future = Future()
            try:
                future.set_result(fn(*args))
            except BaseException as exc:  # pragma: no cover - fn reports its own errors
                future.set_exception(exc)
            return future
        if self.side is None:
            self.side = self._new_pool(1)
        return self.side.submit(fn, *args)


def chunk_size(tasks: int, workers: int, formats: tuple[str, ...]) -> int:
    """Inputs per round trip to a worker: one for PDF (seconds each, keep the load balanced),
    else enough to make IPC negligible while every worker still gets several chunks."""
    if "pdf" in formats:
        return 1
    return max(1, min(32, math.ceil(tasks / (workers * 4))))


# -- the portfolio -------------------------------------------------------------------------


@dataclass
class _PendingPortfolio:
    future: Future
    keys: dict[str, str]
    entry: dict[str, Any]


def _portfolio(report: BatchReport, renderer: Renderer, manifest: Manifest, fingerprint: Fingerprint,
               out: Path, formats: tuple[str, ...], force: bool, workers: Workers,
               title: str | None = None) -> _PendingPortfolio | None:
    """Build the portfolio from every assessed team; write its fast formats now and hand the
    slow ones (PDF, HTML) to a worker, to run alongside the teams' own PDFs."""
    summaries = [row.summary for row in report.rows if row.summary is not None and not row.failed]
    if not summaries:
        report.portfolio_status = "skipped: no team was assessed"
        return None
    portfolio = build_portfolio(summaries, title=title)
    data = renderer.render(portfolio, "json", kind="portfolio")
    recorded = manifest.entries.get(PORTFOLIO_KEY)
    recorded = dict(recorded) if isinstance(recorded, dict) else {}
    keys = {fmt: fingerprint.key(fmt, sha256_bytes(data), PORTFOLIO_KEY) for fmt in formats}
    paths = {fmt: out / portfolio_name(fmt) for fmt in formats}
    stale = [fmt for fmt in formats if force or not isinstance(recorded.get(fmt), dict)
             or recorded[fmt].get("key") != keys[fmt] or recorded[fmt].get("state") != file_state(paths[fmt])]
    report.portfolio = [paths[fmt] for fmt in formats]
    report.portfolio_status = "up to date"
    if not stale:
        return None
    try:
        rendered = {fmt: data if fmt == "json" else renderer.render(portfolio, fmt, kind="portfolio")
                    for fmt in stale if fmt in FAST_FORMATS}
    except ReportgenError as exc:
        report.portfolio_status = "failed"
        report.portfolio_messages = _portfolio_messages(out, exc.messages())
        return None
    for fmt, content in rendered.items():
        atomic_write(paths[fmt], content, durable=False)
        recorded[fmt] = {"key": keys[fmt], "state": file_state(paths[fmt])}
    report.portfolio_status = "written"
    manifest.record(PORTFOLIO_KEY, dict(recorded))
    slow = tuple(fmt for fmt in stale if fmt not in FAST_FORMATS)
    if not slow:
        return None
    return _PendingPortfolio(workers.submit_aside(worker.render_portfolio, portfolio, slow), keys, recorded)


def _finish_portfolio(report: BatchReport, manifest: Manifest, pending: _PendingPortfolio, *, cancel: bool) -> None:
    if cancel and pending.future.cancel():
        report.portfolio_status = "failed"
        report.portfolio_messages = ["error: the portfolio's PDF/HTML was not rendered (stopped by --fail-fast)"]
        return
    outcome = pending.future.result()
    if not outcome.ok:
        report.portfolio_status = "failed"
        report.portfolio_messages = _portfolio_messages(report.portfolio[0].parent, outcome.messages)
        return
    for fmt, state in outcome.written.items():
        pending.entry[fmt] = {"key": pending.keys[fmt], "state": state}
    manifest.record(PORTFOLIO_KEY, dict(pending.entry))


def _portfolio_messages(out: Path, messages: list[str]) -> list[str]:
    return [m if ": error: " in m else f"{out / 'portfolio'}: {m}" for m in messages]
