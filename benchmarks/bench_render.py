"""Benchmark followupdocs.render against the floor and a naive docxtpl baseline.

Run: python benchmarks/bench_render.py [--quick]

Prints, for synthetic agreements of 35, 350 and 1000 initiatives (4 rounds, smileys in every
round, rendered at round 4), the median of 5 runs after a warm-up of:
  (a) followupdocs.render to a file;
  (b) the floor: writing the rendered document's parts into a new zip with deflate;
  (c) naive docxtpl: the same template and context, a fresh InlineImage per smiley, the way
      docxtpl's documentation does it, rendered and saved;
with the ratios a/b and a/c, t(1000)/t(35), the peak RSS of (a) in a fresh process, the share
of (a) the well-formedness check of the filled parts takes (1000 cards, with and without it,
interleaved), and the whole-process wall time of `followupdocs render` on the example.
Times are CPU seconds of this process (the CLI figure is wall time). Absolute times vary
between machines; the ratios, measured in one run, are what to compare.
"""

from __future__ import annotations

import argparse
import io
import json
import random
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

import followupdocs  # noqa: E402
from followupdocs import Agreement, Smiley  # noqa: E402

SIZES = (35, 350, 1000)
ROUNDS = ["1. budgetopfølgning 2026", "2. budgetopfølgning 2026", "3. budgetopfølgning 2026",
          "31.12.2026"]  # fmt: skip
_VOCABULARY = (
    "kommunen budget aftale parterne enige indsats udvalget center borgere skole dagtilbud "
    "ældre sundhed klima anlæg drift økonomi besparelse analyse milepæl opfølgning status "
    "renovering plejecenter ungdomsboliger digitalisering medarbejdere fællesskab kvalitet "
    "bæredygtig udbud kontrakt politisk sekretariat erhverv beskæftigelse idræt kultur"
)
WORDS = _VOCABULARY.split()
CENTRES = [
    "Økonomi og Styring", "Politisk Sekretariat", "Ejendomme", "By, Erhverv og Miljø",
    "Skoler, Institutioner og Kultur", "Arbejdsmarked", "Digitaliseringssekretariatet",
]  # fmt: skip


def _sentence(rng: random.Random, words: int) -> str:
    text = " ".join(rng.choice(WORDS) for _ in range(words))
    return text[0].upper() + text[1:] + "."


def _text(rng: random.Random, paragraphs: int) -> str:
    parts = []
    for _ in range(paragraphs):
        if rng.random() < 0.2:
            parts.append("\n".join(f"• {_sentence(rng, 8)}" for _ in range(3)))
        else:
            parts.append(" ".join(_sentence(rng, rng.randint(8, 18)) for _ in range(3)))
    return "\n\n".join(parts)


def synthetic(cards: int, seed: int = 2018) -> Agreement:
    """Return a deterministic agreement of `cards` initiatives in the real format."""
    rng = random.Random(seed + cards)
    themes = []
    per_theme = 5
    for t in range(1, (cards + per_theme - 1) // per_theme + 1):
        initiatives = []
        for i in range(1, min(per_theme, cards - (t - 1) * per_theme) + 1):
            milestones = {
                r: {"text": _sentence(rng, 12), "status": _text(rng, 1),
                    "smiley": rng.choice(list(Smiley))}
                for r in range(1, 5)
            }  # fmt: skip
            initiatives.append({
                "number": f"{t}.{i:02d}", "title": _sentence(rng, 5)[:-1], "kind": "Drift",
                "agreement_text": _text(rng, 3), "responsible_centre": rng.choice(CENTRES),
                "responsible_committee": "Økonomiudvalget", "implementation": _text(rng, 1),
                "milestones": milestones,
                "economy": {"text": _sentence(rng, 10),
                            "smileys": {r: rng.choice([Smiley.GREEN, Smiley.RED])
                                        for r in range(1, 5)}},
            })  # fmt: skip
        themes.append({"number": str(t), "title": _sentence(rng, 4)[:-1],
                       "initiatives": initiatives})  # fmt: skip
    return Agreement(municipality="Ballerup Kommune", name="Aftale om budget 2026",
                     committee="Økonomiudvalget", rounds=ROUNDS, themes=themes)  # fmt: skip


# CPU time of this process, not wall time: on a shared machine (CI, two cores, other jobs) wall
# time counts the waits for a core, which hit the render and the floor unequally and made the
# ratios swing from 3 to 7 between runs of the same code. Both sides run in this one thread.
clock = time.process_time


def median_time(action: Callable[[], object], runs: int) -> float:
    action()  # warm-up: imports, template compiled, caches filled
    times = []
    for _ in range(runs):
        started = clock()
        action()
        times.append(clock() - started)
    return statistics.median(times)


def floor_writer(rendered: Path) -> Callable[[], bytes]:
    """Return a function writing the rendered document's parts into a new zip, deflated."""
    with zipfile.ZipFile(rendered) as z:
        parts = [(name, z.read(name)) for name in z.namelist()]

    def write() -> bytes:
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
            for name, data in parts:
                z.writestr(name, data)
        return out.getvalue()

    return write


def naive_docxtpl(agreement: Agreement, out: Path) -> Callable[[], None]:
    """Return docxtpl's documented way: a fresh InlineImage per smiley, render, save."""
    from docx.shared import Cm
    from docxtpl import DocxTemplate, InlineImage
    from jinja2 import Environment

    from followupdocs._context import build_context
    from followupdocs._docx.fill import default_template
    from followupdocs._docx.smileys import FILES as SMILEY_FILES

    assets = ROOT / "src" / "followupdocs" / "assets"
    template = default_template()

    def run() -> None:
        tpl = DocxTemplate(template)

        def image(field: str, smiley: Smiley, note: str) -> Any:
            return InlineImage(tpl, str(assets / SMILEY_FILES[smiley]), width=Cm(0.5))

        context = build_context(agreement, 4, image)
        tpl.render(context, jinja_env=Environment(autoescape=True))
        tpl.save(out)

    return run


def peak_rss_mb(cards: int) -> float:
    """Return the peak RSS (MB) of a fresh process that renders `cards` initiatives once.

    Call it while this process is still small: Linux carries ru_maxrss across fork and exec,
    so a child of a large parent would report the parent's size.
    """
    code = (
        "import resource, sys, tempfile, pathlib; "
        f"sys.path.insert(0, {str(Path(__file__).parent)!r}); "
        f"import bench_render as b, followupdocs; a = b.synthetic({cards}); "
        "followupdocs.render(a, pathlib.Path(tempfile.mkdtemp()) / 'x.docx', round=4); "
        "print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True)  # fmt: skip
    return int(done.stdout.strip()) / 1024


def check_cost(agreement: Agreement, out: Path, runs: int) -> tuple[float, float]:
    """Return the median render time with and without the streaming XML check, interleaved."""
    from followupdocs._docx import stream as _stream

    checking = _stream._feed
    times: dict[bool, list[float]] = {True: [], False: []}
    try:
        for _ in range(runs):
            for on in (True, False):
                _stream._feed = checking if on else (lambda *args, **kwargs: None)
                started = clock()
                followupdocs.render(agreement, out, round=4)
                times[on].append(clock() - started)
    finally:
        _stream._feed = checking
    return statistics.median(times[True]), statistics.median(times[False])


def cli_wall() -> float:
    """Return the wall time of the whole `followupdocs render` process on the example."""
    with tempfile.TemporaryDirectory() as folder:
        command = [sys.executable, "-m", "followupdocs", "render",
                   str(ROOT / "examples" / "oekonomiudvalget-2018.yaml"), "-o",
                   str(Path(folder) / "x.docx")]  # fmt: skip
        subprocess.run(command, check=True, capture_output=True)  # warm the disk cache
        times = []
        for _ in range(3):
            started = time.perf_counter()
            subprocess.run(command, check=True, capture_output=True)
            times.append(time.perf_counter() - started)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="one run each instead of five")
    parser.add_argument("--json", type=Path, help="also write the results as JSON")
    args = parser.parse_args()
    runs = 1 if args.quick else 5
    rss = peak_rss_mb(1000)  # first, while this process is small
    rows = []
    with tempfile.TemporaryDirectory() as folder:
        for cards in SIZES:
            agreement = synthetic(cards)
            out = Path(folder) / f"a{cards}.docx"
            a = median_time(lambda a=agreement, o=out: followupdocs.render(a, o, round=4), runs)
            b = median_time(floor_writer(out), runs)
            c = median_time(naive_docxtpl(agreement, Path(folder) / f"c{cards}.docx"), runs)
            rows.append({"cards": cards, "a": a, "b": b, "c": c})
            print(f"  measured {cards} cards", file=sys.stderr)
        with_check, without = check_cost(agreement, out, runs + 2)
    wall = cli_wall()
    print("| cards | (a) followupdocs | (b) floor | (c) naive docxtpl | a/b | a/c |")
    print("|---:|---:|---:|---:|---:|---:|")
    for row in rows:
        print(f"| {row['cards']} | {row['a']:.3f} s | {row['b']:.3f} s | {row['c']:.3f} s | "
              f"{row['a'] / row['b']:.1f} | {row['a'] / row['c']:.2f} |")  # fmt: skip
    linear = rows[-1]["a"] / rows[0]["a"]
    print()
    print(f"t(1000)/t(35) = {linear:.1f}   (linear would be {1000 / 35:.1f}; target <= 35)")
    print(f"peak RSS rendering 1000 cards (fresh process) = {rss:.0f} MB   (target <= 150)")
    print(
        f"well-formedness check of the filled parts, 1000 cards = {with_check - without:.3f} s "
        f"of {with_check:.3f} s ({(with_check - without) / with_check:.0%})"
    )
    print(
        f"followupdocs render of the example, whole process = {wall:.2f} s wall   "
        "(sanity figure <= 0.6 s)"
    )
    if args.json:
        args.json.write_text(json.dumps({"rows": rows, "linear": linear, "rss_mb": rss,
                                         "cli_wall": wall, "check_s": with_check - without},
                                        indent=2))  # fmt: skip


if __name__ == "__main__":
    main()
