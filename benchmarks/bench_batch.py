#!/usr/bin/env python3
"""Batch benchmarks: throughput, incremental re-runs, PDF efficiency, worker memory.

    python benchmarks/bench_batch.py md        # Markdown + JSON for 1,000 teams, 2 jobs (target >= 500/s)
    python benchmarks/bench_batch.py rerun     # an unchanged re-run of those 1,000 teams (target < 2 s)
    python benchmarks/bench_batch.py pdf       # 100 PDFs, 2 jobs, against 2x a bare single-process
                                               # WeasyPrint render of the same HTML (target >= 90%)
    python benchmarks/bench_batch.py memory    # peak RSS of each worker over N PDFs (flat, < 200 MB)
    python benchmarks/bench_batch.py all

Every batch runs as `reportgen batch` in a fresh process (end to end: interpreter
start, discovery, workers, manifest, portfolio), with CI=1 so that no progress
output is timed. Teams come from benchmarks/gen_teams.py (seeded, so every run
renders the same inputs); generating them is not timed. Wall-clock seconds are
what a user waits; CPU seconds (parent + workers) are printed too, because on a
shared machine they vary less.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.gen_teams import generate  # noqa: E402
from benchmarks.machine import describe  # noqa: E402


def machine() -> str:
    try:
        load = "; load average %.2f %.2f %.2f" % os.getloadavg()
    except OSError:
        load = ""
    return describe() + load


def run_batch(args: list[str], **kwargs) -> tuple[float, float, subprocess.CompletedProcess]:
    """(wall seconds, CPU seconds (user + system) of the batch and its workers, process)."""
    env = {**os.environ, "CI": "1"}
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "reportgen", "batch", *args], env=env, capture_output=True,
                          text=True, **kwargs)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        sys.exit(f"batch failed ({done.returncode}):\n{done.stdout}\n{done.stderr}")
    cpu = after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
    return wall, cpu, done


def teams(folder: Path, count: int, seed: int = 1) -> Path:
    if not folder.exists():
        generate(folder, count, seed=seed)
    return folder


def bench_md(tmp: Path, count: int, jobs: int, repeat: int, outputs: Path) -> None:
    src = teams(tmp / f"teams-{count}", count)
    best = None
    for _ in range(repeat):
        out = outputs / "out-md"
        shutil.rmtree(out, ignore_errors=True)
        wall, cpu, _ = run_batch([str(src), "-o", str(out), "--format", "md,json", "--jobs", str(jobs)])
        best = min(best or (wall, cpu), (wall, cpu))
    shutil.rmtree(outputs / "out-md", ignore_errors=True)
    wall, cpu = best
    print(f"md+json  {count} teams, {jobs} jobs, outputs in {outputs}: {wall:.2f} s wall, {count / wall:.0f} teams/s "
          f"= {2 * count / wall:.0f} files/s (target >= 500 reports/s); {cpu:.2f} CPU s "
          f"(best of {repeat})")


def bench_rerun(tmp: Path, count: int, jobs: int, repeat: int) -> None:
    src = teams(tmp / f"teams-{count}", count)
    out = tmp / "out-rerun"
    shutil.rmtree(out, ignore_errors=True)
    run_batch([str(src), "-o", str(out), "--format", "md,json", "--jobs", str(jobs)])
    times = []
    for _ in range(repeat):
        wall, cpu, done = run_batch([str(src), "-o", str(out), "--format", "md,json", "--jobs", str(jobs)])
        assert f" 0 rendered, {count} up to date" in done.stdout, done.stdout[-300:]
        times.append((wall, cpu))
    wall, cpu = min(times)
    print(f"re-run   {count} teams unchanged: {wall:.2f} s wall (target < 2 s); {cpu:.2f} CPU s (best of {repeat})")


def bare_pdf_rate(src: Path, count: int) -> tuple[float, int]:
    """PDFs per second of WeasyPrint alone, in this one process, on the HTML reportgen gives it.

    The fonts and stylesheets are parsed once and reused (the fastest a single
    process can go), so the baseline is strict; the HTML is built beforehand and
    not timed.
    """
    import weasyprint
    from weasyprint.text.fonts import FontConfiguration

    from reportgen import pipeline
    from reportgen.render import Renderer, resources
    from reportgen.render.html import build_html

    renderer = Renderer()
    docs = [build_html(renderer, pipeline.result_for(p), "report", media="pdf")
            for p in sorted(src.rglob("*.yaml"))[:count]]
    fonts = FontConfiguration()
    sheets = [weasyprint.CSS(filename=str(resources.ASSETS / name), font_config=fonts)
              for name in ("fonts.css", "report.css")]
    base = resources.ASSETS.resolve().as_uri() + "/"
    weasyprint.HTML(string=docs[0], base_url=base).write_pdf(stylesheets=sheets, font_config=fonts)  # warm-up
    pages = 0
    start = time.perf_counter()
    for html in docs:
        document = weasyprint.HTML(string=html, base_url=base).render(stylesheets=sheets, font_config=fonts)
        pages += len(document.pages)
        document.write_pdf()
    return len(docs) / (time.perf_counter() - start), pages


def bench_pdf(tmp: Path, count: int, jobs: int) -> None:
    src = teams(tmp / f"teams-pdf-{count}", count, seed=2)
    out = tmp / "out-pdf"
    shutil.rmtree(out, ignore_errors=True)
    wall, cpu, _ = run_batch([str(src), "-o", str(out), "--format", "pdf", "--jobs", str(jobs)])
    batch_rate = count / wall
    bare_rate, pages = bare_pdf_rate(src, count)
    ideal = jobs * bare_rate
    print(f"pdf      {count} teams ({pages} pages), {jobs} jobs: batch {batch_rate:.2f} PDFs/s "
          f"({wall:.1f} s wall, {cpu:.1f} CPU s, portfolio PDF included); bare WeasyPrint, one process: "
          f"{bare_rate:.2f} PDFs/s; ideal {jobs} x bare = {ideal:.2f}/s; ratio {batch_rate / ideal:.1%} "
          f"(target >= 90%)")


def bench_memory(tmp: Path, count: int, jobs: int) -> None:
    """Peak RSS of every worker, sampled from /proc while a PDF batch runs."""
    src = teams(tmp / f"teams-mem-{count}", count, seed=3)
    out = tmp / "out-mem"
    shutil.rmtree(out, ignore_errors=True)
    env = {**os.environ, "CI": "1"}
    process = subprocess.Popen([sys.executable, "-m", "reportgen", "batch", str(src), "-o", str(out),
                                "--format", "pdf", "--jobs", str(jobs)], env=env,
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    samples: dict[int, list[tuple[float, int]]] = {}
    start = time.perf_counter()
    while process.poll() is None:
        for pid in _children(process.pid):
            rss = _rss(pid)
            if rss:
                samples.setdefault(pid, []).append((time.perf_counter() - start, rss))
        time.sleep(0.5)
    if process.returncode != 0:
        sys.exit(f"batch failed: {process.stderr.read().decode()[-2000:]}")
    rendered = sum(1 for _ in out.rglob("*.pdf")) - 1
    total = time.perf_counter() - start
    print(f"memory   {rendered} PDFs, {jobs} jobs, {total:.0f} s:")
    for pid, points in sorted(samples.items()):
        if len(points) < 4:
            continue
        peak = max(r for _, r in points)
        if points[-1][0] - points[0][0] < total / 2:   # short-lived: the portfolio's own process
            print(f"  portfolio process {pid}: peak {peak / 2**20:.0f} MB over {points[-1][0] - points[0][0]:.0f} s")
            continue
        quarter = max(1, len(points) // 4)
        first = max(r for _, r in points[:quarter])
        last = max(r for _, r in points[-quarter:])
        print(f"  worker {pid}: peak {peak / 2**20:.0f} MB; max in the first quarter {first / 2**20:.0f} MB, "
              f"in the last quarter {last / 2**20:.0f} MB (target: flat, < 200 MB)")


def _children(pid: int) -> list[int]:
    try:
        return [int(p) for p in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []


def _rss(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("what", choices=["md", "rerun", "pdf", "memory", "all"])
    parser.add_argument("--teams", type=int, help="number of teams (default: 1000 for md/rerun/memory, 100 for pdf)")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--keep", type=Path, help="work in this folder and keep it (default: a temp folder)")
    parser.add_argument("--outputs", type=Path,
                        help="write the md+json outputs under this folder, e.g. /dev/shm to leave the disk out")
    args = parser.parse_args()
    print(machine())
    tmp = args.keep or Path(tempfile.mkdtemp(prefix="reportgen-bench-"))
    tmp.mkdir(parents=True, exist_ok=True)
    try:
        if args.what in ("md", "all"):
            bench_md(tmp, args.teams or 1000, args.jobs, args.repeat, args.outputs or tmp)
        if args.what in ("rerun", "all"):
            bench_rerun(tmp, args.teams or 1000, args.jobs, args.repeat)
        if args.what in ("pdf", "all"):
            bench_pdf(tmp, args.teams or 100, args.jobs)
        if args.what in ("memory", "all"):
            bench_memory(tmp, args.teams or 1000, args.jobs)
    finally:
        if not args.keep:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
