"""CPU instructions per warm PDF render, counted by valgrind: a figure a busy machine cannot skew.

Seconds on a shared VM swing by ±15 % from run to run, which hides a 5 % change.
Instruction counts do not: this runs the render under valgrind's cachegrind (no
cache simulation) twice, once with one render and once with two, and prints the
difference, the instructions of one warm render (imports, fonts and stylesheet
parsing excluded).

    python benchmarks/bench_instructions.py [EXAMPLE.yaml ...]

Needs valgrind (`apt-get install valgrind`); each example takes about a minute.
"""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BRAND = ROOT / "examples" / "brand" / "brand.yaml"

RENDER = """
import sys
from pathlib import Path
from reportgen import pipeline
from reportgen.render import Renderer
renderer = Renderer(brand=pipeline.load_brand(Path(sys.argv[2])))
result = pipeline.result_for(Path(sys.argv[1]))
for _ in range(int(sys.argv[3])):
    renderer.render(result, "pdf")
"""


def instructions(example: Path, renders: int) -> int:
    run = subprocess.run(
        ["valgrind", "--tool=cachegrind", "--cache-sim=no", "--cachegrind-out-file=/dev/null",
         sys.executable, "-c", RENDER, str(example), str(BRAND), str(renders)],
        capture_output=True, text=True, check=True, cwd=ROOT)
    return int(re.search(r"I\s+refs:\s+([\d,]+)", run.stderr).group(1).replace(",", ""))


def pages(example: Path) -> int:
    from pypdf import PdfReader

    from reportgen import pipeline
    from reportgen.render import Renderer

    pdf = Renderer(brand=pipeline.load_brand(BRAND)).render(pipeline.result_for(example), "pdf")
    return len(PdfReader(io.BytesIO(pdf)).pages)


def main() -> None:
    if not shutil.which("valgrind"):
        sys.exit("bench_instructions: valgrind is not installed (apt-get install valgrind)")
    sys.path.insert(0, str(ROOT))
    examples = [Path(a) for a in sys.argv[1:]] or sorted((ROOT / "examples" / "teams").glob("*.yaml"))
    print("CPU instructions of one warm PDF render (valgrind cachegrind: two renders minus one)\n")
    print(f"{'example':34} {'pages':>5} {'instructions':>13} {'per page':>10}")
    for example in examples:
        with ThreadPoolExecutor(2) as pool:  # the two valgrind runs side by side
            one, two = pool.map(lambda n: instructions(example, n), (1, 2))
        count, n_pages = two - one, pages(example)
        print(f"{example.stem:34} {n_pages:5d} {count / 1e9:12.2f}G {count / n_pages / 1e9:9.3f}G", flush=True)


if __name__ == "__main__":
    main()
