"""Measure what checking a Word template costs, in CPU seconds, and where the time goes.

Run: python benchmarks/bench_check.py

Checks the default template and, built by tests/mistakes.py, the default template with each
mistake made (as the tests make them, scattered over runs the way Word stores tags). Each
check is of bytes not checked before (the check is cached per content in a process), so
the caches are cleared between runs. Prints the best of 5 runs, then the share of the
default template's check spent compiling with Jinja (under the profiler), which the check
cannot avoid: the trial run and the render need the compiled template.
"""

from __future__ import annotations

import cProfile
import pstats
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "tests"))

from followupdocs._context import sample_contexts  # noqa: E402
from followupdocs._docx import check as _check  # noqa: E402
from mistakes import MISTAKES, build  # noqa: E402

DEFAULT = ROOT / "templates" / "opfoelgning.docx"


def inspect(data: bytes) -> None:
    """Check `data` as check-template does (problems and warnings), with nothing cached."""
    _check._inspect.cache_clear()
    _check._checked.cache_clear()
    _check._inspect(data, sample_contexts)


def best(function: Callable[[bytes], None], templates: list[bytes], runs: int = 5) -> float:
    """Return the least CPU seconds of `runs` runs of `function` over `templates`."""
    times = []
    for _ in range(runs):
        started = time.process_time()
        for data in templates:
            function(data)
        times.append(time.process_time() - started)
    return min(times)


def compiling_share(data: bytes) -> float:
    """Return the share of one check's time spent in jinja2.Environment.from_string."""
    profile = cProfile.Profile()
    profile.runcall(inspect, data)
    rows = pstats.Stats(profile).stats.items()  # (file, line, function) -> (..., cumulative)
    total = sum(row[3] for key, row in rows if key[2] == "_inspect")
    return sum(row[3] for key, row in rows if key[2] == "from_string") / total


def main() -> None:
    default = DEFAULT.read_bytes()
    inspect(default)  # imports, and the sample agreement's shape
    with tempfile.TemporaryDirectory() as tmp:
        variants = [
            build(Path(tmp) / f"{number}.docx", name).read_bytes()
            for number, name in enumerate(MISTAKES)
        ]
    seconds = best(inspect, [default] * 10) / 10
    print(f"the default template: {seconds * 1000:.1f} ms CPU per check")
    seconds = best(inspect, variants)
    print(
        f"{len(variants)} templates with a mistake: {seconds:.2f} s CPU, "
        f"{seconds / len(variants) * 1000:.1f} ms per check"
    )
    share = compiling_share(default)
    print(f"compiling with Jinja (from_string): {share:.0%} of checking the default template")


if __name__ == "__main__":
    main()
