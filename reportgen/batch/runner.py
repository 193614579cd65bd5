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
                       sha256_file, sync_folder)
from .portfolio import build_portfolio, portfolio_name

PORTFOLIO_KEY = "portfolio"


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

    def start(self, rows: list[Row], todo: int) -> None: ...
    def advance(self, row: Row) -> None: ...
    def finish(self, report: BatchReport) -> None: ...


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

    out.mkdir(parents=True, exist_ok=True)
    manifest = Manifest.load(manifest_path(out, options.shard))
    _clean_temp_files(out, [r.input for r in rows], formats, manifest.path)
    fingerprint = Fingerprint.of(templates=options.templates, brand_path=options.brand, brand=brand,
                                 paper=options.paper, target=options.target, strict=options.strict,
                                 model=options.model)

    # What is up to date, and what must be rendered.
    model_hashes: dict[str, str | None] = {}
    answers_hashes: dict[int, str] = {}
    tasks: list[worker.Task] = []
    for index, row in enumerate(rows):
        if row.failed:
            continue
        answers = sha256_file(row.input.path) or ""
        answers_hashes[index] = answers
        entry = None if options.force else manifest.entries.get(row.input.name)
        stale = _stale_formats(entry, formats, answers, fingerprint, out, row.input, model_hashes)
        if stale:
            tasks.append(worker.Task(index, row.input.path, row.input.display, row.input.name, tuple(stale)))
        else:
            _fill_from_entry(row, entry, formats)
    reporter.start(rows, len(tasks))
    for row in rows:
        if row.failed:
            reporter.advance(row)

    config = worker.WorkerConfig(out=out, templates=options.templates, brand=brand, paper=options.paper,
                                 model=options.model, target=options.target, strict=options.strict,
                                 formats=formats, debug=options.debug)
    jobs = options.jobs or default_jobs()
    try:
        with contextlib.closing(_execute(tasks, config, jobs)) as outcomes:
            for outcome in outcomes:
                row = rows[outcome.index]
                _apply(row, outcome, manifest, fingerprint, answers_hashes.get(outcome.index, ""), formats)
                reporter.advance(row)
                if row.failed and options.fail_fast:
                    report.stopped = True
                    break
    finally:
        manifest.close()  # the journal keeps what finished, even on Ctrl-C
    for row in rows:
        if row.status == "pending":
            row.status = "not run"

    if not report.stopped:
        _write_portfolio(report, renderer, manifest, fingerprint, out, formats, options.force)
    if manifest.dirty:
        sync_folder(out)   # outputs on disk before the manifest that vouches for them
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


def _execute(tasks: list[worker.Task], config: worker.WorkerConfig, jobs: int) -> Iterator[worker.Outcome]:
    """Outcomes as they complete: in this process for one job (or one task), else in a pool."""
    if not tasks:
        return
    if jobs <= 1 or len(tasks) == 1:
        worker.init_worker(config, in_pool=False)
        for task in tasks:
            yield worker.run_one(task)
        return
    workers = min(jobs, len(tasks))
    size = chunk_size(len(tasks), workers, config.formats)
    chunks = [tasks[i:i + size] for i in range(0, len(tasks), size)]
    context = multiprocessing.get_context("fork") if sys.platform.startswith("linux") else None
    gc.freeze()  # forked workers share the parent's pages; a collection would copy them all
    executor = ProcessPoolExecutor(max_workers=workers, mp_context=context,
                                   initializer=worker.init_worker, initargs=(config,))
    pending: dict[Future, list[worker.Task]] = {}
    try:
        for chunk in chunks:
            pending[executor.submit(worker.run_chunk, chunk)] = chunk
        while pending:
            done, _ = wait(pending, return_when=FIRST_COMPLETED)
            for future in sorted(done, key=lambda f: pending[f][0].index):
                chunk = pending.pop(future)
                try:
                    outcomes = future.result()
                except BrokenProcessPool:
                    outcomes = [worker.Outcome(t.index, ok=False, messages=[
                        f"{t.display}:1:1: error: not rendered: a worker process died (killed, or out of memory?); "
                        f"run the batch again to retry"]) for t in chunk]
                yield from outcomes
    finally:
        # Reached normally, on --fail-fast (the consumer stops iterating) or on Ctrl-C:
        # drop what has not started, let what runs finish writing its files.
        executor.shutdown(wait=True, cancel_futures=True)


def chunk_size(tasks: int, workers: int, formats: tuple[str, ...]) -> int:
    """Inputs per round trip to a worker: one for PDF (seconds each, keep the load balanced),
    else enough to make IPC negligible while every worker still gets several chunks."""
    if "pdf" in formats:
        return 1
    return max(1, min(32, math.ceil(tasks / (workers * 4))))


# -- the portfolio -------------------------------------------------------------------------


def _write_portfolio(report: BatchReport, renderer: Renderer, manifest: Manifest, fingerprint: Fingerprint,
                     out: Path, formats: tuple[str, ...], force: bool) -> None:
    summaries = [row.summary for row in report.rows if row.summary is not None and not row.failed]
    if not summaries:
        report.portfolio_status = "skipped: no team was assessed"
        return
    portfolio = build_portfolio(summaries)
    data = renderer.render(portfolio, "json", kind="portfolio")
    recorded = manifest.entries.get(PORTFOLIO_KEY, {})
    recorded = recorded if isinstance(recorded, dict) else {}
    keys = {fmt: fingerprint.key(fmt, sha256_bytes(data), PORTFOLIO_KEY) for fmt in formats}
    paths = {fmt: out / portfolio_name(fmt) for fmt in formats}
    stale = [fmt for fmt in formats if force or not isinstance(recorded.get(fmt), dict)
             or recorded[fmt].get("key") != keys[fmt] or recorded[fmt].get("state") != file_state(paths[fmt])]
    report.portfolio = [paths[fmt] for fmt in formats]
    if not stale:
        report.portfolio_status = "up to date"
        return
    try:
        rendered = {fmt: data if fmt == "json" else renderer.render(portfolio, fmt, kind="portfolio") for fmt in stale}
    except ReportgenError as exc:
        report.portfolio_status = "failed"
        report.portfolio_messages = [m if ": error: " in m else f"{out / 'portfolio'}: {m}" for m in exc.messages()]
        return
    entry = dict(recorded)
    for fmt in stale:
        atomic_write(paths[fmt], rendered[fmt], durable=False)
        entry[fmt] = {"key": keys[fmt], "state": file_state(paths[fmt])}
    manifest.record(PORTFOLIO_KEY, entry)
    report.portfolio_status = "written"
