"""Seconds per PDF for the example reports: reportgen next to bare WeasyPrint.

For each example team (rendered with the example brand) this prints:

CPU seconds (not wall-clock), so that the figures hold on a busy machine.

- warm: the best of --repeat renders in this process, after one warm-up, of
  `Renderer.render(result, "pdf")` (templating, charts, the safe fetcher,
  metadata) and of a bare `weasyprint.HTML(string=same_html).write_pdf()` with
  the same stylesheets: the difference is what reportgen adds;
- cold: a fresh process each, `reportgen render ... --format pdf` against a
  Python process that imports WeasyPrint and writes the same HTML to PDF
  (imports and font loading included).

    python benchmarks/bench_pdf.py [--repeat 3] [--no-cold] [EXAMPLE.yaml ...]
"""

from __future__ import annotations

import argparse
import ctypes.util
import resource
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.machine import describe  # noqa: E402
from reportgen import pipeline  # noqa: E402
from reportgen.render import Renderer, resources  # noqa: E402
from reportgen.render.html import build_html  # noqa: E402

BRAND = ROOT / "examples" / "brand" / "brand.yaml"
STYLESHEETS = [resources.ASSETS / "fonts.css", resources.ASSETS / "report.css"]

BARE = """
import sys
import weasyprint
from weasyprint.text.fonts import FontConfiguration
fc = FontConfiguration()
sheets = [weasyprint.CSS(filename=name, font_config=fc) for name in sys.argv[2:]]
weasyprint.HTML(filename=sys.argv[1]).write_pdf(stylesheets=sheets, font_config=fc)
"""


def bare_render(html: str) -> bytes:
    import weasyprint
    from weasyprint.text.fonts import FontConfiguration

    font_config = FontConfiguration()
    sheets = [weasyprint.CSS(filename=str(path), font_config=font_config) for path in STYLESHEETS]
    return weasyprint.HTML(string=html, base_url=str(resources.ASSETS) + "/").write_pdf(
        stylesheets=sheets, font_config=font_config)


def cpu() -> float:
    """CPU seconds used so far by this process and its finished children."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def interleaved(first, second, repeat: int) -> tuple[float, float]:
    """CPU seconds of the fastest of `repeat` calls of each, alternating so that a
    busy machine slows both alike (CPU time, not wall-clock: steadier under load)."""
    times: tuple[list[float], list[float]] = ([], [])
    for _ in range(repeat):
        for fn, bucket in ((first, times[0]), (second, times[1])):
            start = cpu()
            fn()
            bucket.append(cpu() - start)
    return min(times[0]), min(times[1])


def cold(cmd: list[str]) -> None:
    """Run a fresh process; its CPU time is counted through RUSAGE_CHILDREN."""
    subprocess.run(cmd, check=True, capture_output=True, cwd=ROOT)


def machine() -> str:
    import weasyprint

    subset = "HarfBuzz" if ctypes.util.find_library("harfbuzz-subset") else "fontTools (no libharfbuzz-subset)"
    return f"{describe()}, WeasyPrint {weasyprint.__version__}, font subsetting: {subset}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("examples", nargs="*", type=Path)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--no-cold", action="store_true", help="skip the fresh-process timings")
    args = parser.parse_args()
    examples = args.examples or sorted((ROOT / "examples" / "teams").glob("*.yaml"))

    from pypdf import PdfReader  # test extra; only to count pages

    print(machine())
    print(f"CPU seconds per PDF. warm: best of {args.repeat} in one process after a warm-up; "
          f"cold: best of {args.repeat} fresh processes\n")
    header = (f"{'example':34} {'pages':>5} {'reportgen':>10} {'bare':>8} {'overhead':>9} {'s/page':>7}"
              + ("" if args.no_cold else f" {'cold rg':>8} {'cold bare':>9}"))
    print(header)
    print("-" * len(header))
    renderer = Renderer(brand=pipeline.load_brand(BRAND))
    totals = [0.0, 0.0]
    total_pages = 0
    with tempfile.TemporaryDirectory() as tmp:
        for path in examples:
            result = pipeline.result_for(path)
            html = build_html(renderer, result, "report", media="pdf")
            pdf = renderer.render(result, "pdf")  # warm-up: imports, fonts, stylesheets
            bare_render(html)
            pages = len(PdfReader(__import__("io").BytesIO(pdf)).pages)
            ours, bare = interleaved(lambda: renderer.render(result, "pdf"), lambda: bare_render(html),
                                     args.repeat)
            totals[0] += ours
            totals[1] += bare
            total_pages += pages
            line = (f"{path.stem:34} {pages:5d} {ours:9.2f}s {bare:7.2f}s {(ours - bare) / bare:+8.1%} "
                    f"{ours / pages:6.3f}s")
            if not args.no_cold:
                html_file = Path(tmp) / f"{path.stem}.html"
                html_file.write_text(html, encoding="utf-8")
                ours_cmd = [sys.executable, "-m", "reportgen", "render", str(path), "--brand", str(BRAND),
                            "-o", str(Path(tmp) / f"{path.stem}.pdf")]
                bare_cmd = [sys.executable, "-c", BARE, str(html_file), *map(str, STYLESHEETS)]
                cold_ours, cold_bare = interleaved(lambda: cold(ours_cmd), lambda: cold(bare_cmd), args.repeat)
                line += f" {cold_ours:7.2f}s {cold_bare:8.2f}s"
            print(line, flush=True)
    print("-" * len(header))
    print(f"{'all examples, warm':34} {'':5} {totals[0]:9.2f}s {totals[1]:7.2f}s "
          f"{(totals[0] - totals[1]) / totals[1]:+8.1%} {totals[0] / total_pages:6.3f}s")
    print(f"\nat {totals[0] / total_pages:.3f} s a page ({total_pages} pages in all), a ten-page report takes "
          f"{10 * totals[0] / total_pages:.2f} s warm on one core (target: well under 1 s)")


if __name__ == "__main__":
    main()
