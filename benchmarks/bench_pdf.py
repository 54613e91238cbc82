"""Benchmark `render --pdf` of a batch against one `render --pdf` per file.

Run: python benchmarks/bench_pdf.py [--files 6] [--runs 1]

Measures, in the same run, the wall time of
  (a) one `followupdocs render f1.yaml ... f6.yaml --pdf` process (the batch: the PDFs are
      shared among at most one LibreOffice run per core);
  (b) six `followupdocs render fN.yaml --pdf` processes, one after the other;
each file a copy of the example (35 cards, rendered at round 1), and prints a/b. Target:
a/b <= 0.6. LibreOffice dominates both, so the ratio depends on free cores: on a machine others
are loading, run it more than once and look at the load average it prints.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "oekonomiudvalget-2018.yaml"


def render(files: list[Path], outdir: Path) -> float:
    """Run one `followupdocs render --pdf` process over `files`; return its wall time."""
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    command = [sys.executable, "-m", "followupdocs", "render", *map(str, files),
               "--round", "1", "--pdf", "--outdir", str(outdir)]  # fmt: skip
    started = time.perf_counter()
    subprocess.run(command, check=True, capture_output=True, env=env)
    seconds = time.perf_counter() - started
    for source in files:
        assert (outdir / f"{source.stem}.pdf").stat().st_size > 0, source
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=6, help="documents in the batch")
    parser.add_argument("--runs", type=int, default=1, help="repetitions (median is shown)")
    args = parser.parse_args()
    if shutil.which("soffice") is None and not os.environ.get("FOLLOWUPDOCS_SOFFICE"):
        sys.exit("LibreOffice (soffice) is needed for this benchmark")
    batch, separate = [], []
    with tempfile.TemporaryDirectory() as folder:
        files = []
        for n in range(1, args.files + 1):
            files.append(Path(folder, f"udvalg-{n}.yaml"))
            shutil.copyfile(EXAMPLE, files[-1])
        render(files[:1], Path(folder, "warm"))  # disk cache, Python imports
        for run in range(args.runs):
            out = Path(folder, f"run{run}")
            batch.append(render(files, out / "batch"))
            separate.append(sum(render([f], out / "separate") for f in files))
            print(f"  run {run + 1}: batch {batch[-1]:.1f} s, separate {separate[-1]:.1f} s",
                  file=sys.stderr)  # fmt: skip
    a, b = statistics.median(batch), statistics.median(separate)
    load = " ".join(f"{x:.2f}" for x in os.getloadavg()) if hasattr(os, "getloadavg") else "?"
    print(f"| documents | (a) one render --pdf | (b) {args.files} x render --pdf | a/b |")
    print("|---:|---:|---:|---:|")
    print(f"| {args.files} | {a:.1f} s | {b:.1f} s | {a / b:.2f} |")
    print()
    print(f"a/b = {a / b:.2f}   (target <= 0.6; cores: {os.cpu_count()}; load average {load})")


if __name__ == "__main__":
    main()
