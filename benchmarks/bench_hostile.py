"""Measure what hostile packages cost: a 3 MB form and a 1.5 MB template that unpack to GBs;
and how reading grows with a document's shape (tests/readhostile.py builds the shapes).

Run: python benchmarks/bench_hostile.py

Each case runs the real command line in a fresh process (so its peak RSS is its own) and
prints the wall time, the peak RSS, the exit code and the one-line message. The packages are
built by tests/hostile.py: a form written by `followupdocs forms` and the default template,
each with one entry replaced.
"""

from __future__ import annotations

import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "tests"))

import followupdocs  # noqa: E402
import hostile  # noqa: E402

EXAMPLE = ROOT / "examples" / "oekonomiudvalget-2018.yaml"
GB = 1 << 30
_CHILD = (
    "import resource, sys; from followupdocs.cli import main; code = main(sys.argv[1:]); "
    "print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, file=sys.stderr); sys.exit(code)"
)


def run(*args: str) -> tuple[float, float, int, str]:
    """Return wall seconds, peak RSS in MB, exit code and first message line of one command."""
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", _CHILD, *args],
        capture_output=True,
        text=True,
        env={"PYTHONPATH": str(ROOT / "src"), "PATH": "/usr/bin:/bin"},
    )
    wall = time.perf_counter() - started
    lines = done.stderr.strip().splitlines()
    rss = int(lines[-1]) / 1024
    return wall, rss, done.returncode, (lines[0] if len(lines) > 1 else done.stdout.strip())


def main() -> None:
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss >= 0
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        yaml = folder / "aftale.yaml"
        shutil.copyfile(EXAMPLE, yaml)
        forms = followupdocs.write_forms(
            followupdocs.load(yaml), folder, round=2, centre="Ejendomme"
        )
        form = next(iter(forms.values()))
        doc = "word/document.xml"
        cases = {
            "form, document.xml 3 GB": hostile.with_entry(
                folder / "bomb.docx", form, doc, hostile.bomb_of(3 * GB)
            ),
            "form, document.xml 3 GB, size hidden": hostile.with_entry(
                folder / "lying.docx", form, doc, hostile.lying_bomb_of(3 * GB)
            ),
            "template, styles.xml 1.5 GB": hostile.with_entry(
                folder / "t-bomb.docx",
                hostile.DEFAULT,
                "word/styles.xml",
                hostile.bomb_of(3 * GB // 2),
            ),
            "template, styles.xml 1.5 GB, size hidden": hostile.with_entry(
                folder / "t-lying.docx",
                hostile.DEFAULT,
                "word/styles.xml",
                hostile.lying_bomb_of(3 * GB // 2),
            ),
            'template, {{ "x" * 999999999 }}': hostile.template(folder / "rep.docx", "repeat"),
        }
        print("| case | file | wall | peak RSS | exit | message |")
        print("|---|---:|---:|---:|---:|---|")
        for label, path in cases.items():
            if label.startswith("form"):
                args = ("collect", str(yaml), str(path))
            else:
                args = ("check-template", str(path))
            wall, rss, code, message = run(*args)
            size = path.stat().st_size / (1 << 20)
            short = message.split(": ", 1)[-1][:90]
            print(f"| {label} | {size:.1f} MB | {wall:.2f} s | {rss:.0f} MB | {code} | {short} |")
        wall, rss, code, _ = run("collect", str(yaml), str(form))
        print(f"| an ordinary form, for comparison | - | {wall:.2f} s | {rss:.0f} MB | {code} | |")


def _cpu(call: Callable[[], object]) -> float:
    """Return the CPU seconds one call takes, the best of three."""
    best = float("inf")
    for _ in range(3):
        started = time.process_time()
        call()
        best = min(best, time.process_time() - started)
    return best


def scaling() -> None:
    """Print how reading grows when a shape doubles: about 2x is linear, 4x quadratic.

    Each of these took minutes before it was made linear: paragraphs that are no card (each
    copied the rest of the document), form controls without their tags and bookmarks that
    run over the same paragraphs (each searched the whole document).
    """
    from docxedit import edited
    from followupdocs._docx.cardreader import read_cards
    from followupdocs._docx.wordread import Block, Body, Para
    from readhostile import many_bookmarked_controls

    def paragraphs(count: int) -> Callable[[], object]:
        line = Para("1. Ikke et tema", "", "", None)
        body = Body(blocks=[Block(n, para=line) for n in range(1, count + 1)])
        return lambda: read_cards(body)

    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        agreement = followupdocs.load(EXAMPLE)
        form = next(iter(followupdocs.write_forms(agreement, folder, round=2).values()))

        def controls(count: int, spanning: int = 0) -> Callable[[], object]:
            edit = many_bookmarked_controls(count, spanning)
            changed = edited(form, folder / f"c{count}-{spanning}.docx", edit)
            return lambda: followupdocs.collect(agreement, [changed])

        cases = {
            "paragraphs that are no card": (paragraphs, 50_000),
            "form controls without their tags": (controls, 1000),
            "bookmarks over the same 1500 paragraphs": (lambda n: controls(n, 1500), 150),
        }
        print()
        print("| shape | n | CPU at n | CPU at 2n | ratio (2 is linear, 4 quadratic) |")
        print("|---|---:|---:|---:|---:|")
        for label, (make, n) in cases.items():
            once, twice = _cpu(make(n)), _cpu(make(2 * n))
            print(f"| {label} | {n} | {once:.3f} s | {twice:.3f} s | {twice / once:.1f} |")


if __name__ == "__main__":
    main()
    scaling()
