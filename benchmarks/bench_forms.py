"""Time followupdocs.write_forms, and fingerprint every form it writes to prove a change safe.

Run: python benchmarks/bench_forms.py [--runs N] [--hashes OUT.json]

Prints the CPU seconds of this process for writing the example's forms at rounds 1-4 and the
forms of a synthetic 300-card agreement (bench_render.synthetic) at round 3, the median of N
runs after a warm-up. With --hashes, also writes the sha256 of every form of both agreements
at every round, with SOURCE_DATE_EPOCH=1500000000; run it before and after a change and
compare the two files: a speed-up must leave every form byte for byte the same.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "benchmarks"))
os.environ["SOURCE_DATE_EPOCH"] = "1500000000"  # before followupdocs reads it

import followupdocs  # noqa: E402
from bench_render import synthetic  # noqa: E402
from followupdocs import Agreement  # noqa: E402
from followupdocs._forms import centres, form_bytes  # noqa: E402


def fingerprints(agreements: dict[str, Agreement]) -> dict[str, str]:
    """Return the sha256 of every form of every agreement at every round."""
    found = {}
    for name, agreement in agreements.items():
        for round in range(1, len(agreement.rounds) + 1):
            for centre in centres(agreement):
                data = form_bytes(agreement, centre, round=round)
                found[f"{name}:{round}:{centre}"] = hashlib.sha256(data).hexdigest()
    return found


def cpu_seconds(action: object, runs: int) -> float:
    """Return the median CPU time of `runs` calls of `action`, after one warm-up call."""
    assert callable(action)
    action()
    times = []
    for _ in range(runs):
        start = time.process_time()
        action()
        times.append(time.process_time() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--hashes", type=Path, help="write every form's sha256 here (JSON)")
    args = parser.parse_args()
    example = followupdocs.load(ROOT / "examples" / "oekonomiudvalget-2018.yaml")
    large = synthetic(300)
    with tempfile.TemporaryDirectory() as outdir:

        def example_forms() -> None:
            for round in range(1, len(example.rounds) + 1):
                followupdocs.write_forms(example, outdir, round=round)

        forms = len(example.rounds) * len(centres(example))
        seconds = cpu_seconds(example_forms, args.runs)
        print(f"example, rounds 1-4: {seconds:.2f} s CPU, {seconds / forms * 1000:.0f} ms a form")
        seconds = cpu_seconds(lambda: followupdocs.write_forms(large, outdir, round=3), args.runs)
        print(f"300 cards, round 3: {seconds:.2f} s CPU, {seconds / 300 * 1000:.1f} ms a card")
    if args.hashes:
        found = fingerprints({"example": example, "large": large})
        args.hashes.write_text(json.dumps(found, indent=1, sort_keys=True) + "\n")
        print(f"{len(found)} forms' sha256 written to {args.hashes}")


if __name__ == "__main__":
    main()
