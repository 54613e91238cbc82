"""Build an agreement from spreadsheet rows in Python, then render it: .docx, bytes and PDF.

A typed example of the public API: CI type-checks it with `mypy --strict` and the test suite
runs it. Run it yourself with `python examples/build_from_rows.py OUTDIR [--pdf]`.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable, Mapping
from pathlib import Path

import followupdocs
from followupdocs import Agreement, Economy, Initiative, Kind, Milestone, Smiley, Theme

# One row per initiative, as a secretariat keeps them in a spreadsheet.
ROWS: list[dict[str, str]] = [
    {
        "tema": "1",
        "tema_titel": "Vision 2029",
        "nummer": "1.02",
        "titel": "Arbejdet med Vision 2029",
        "type": "Drift",
        "center": "Politisk Sekretariat",
        "udvalg": "Økonomiudvalget",
        "milepæl 1": "Den ny kommunalbestyrelse er introduceret for Vision 2029.",
        "smiley 1": "grøn",
        "økonomi": "Der er ikke afsat økonomi.",
        "økonomi 1": "grøn",
    },
    {
        "tema": "1",
        "tema_titel": "Vision 2029",
        "nummer": "1.03",
        "titel": "Borgerinddragelse",
        "type": "Anlæg og drift",
        "center": "Borgerservice",
        "udvalg": "Økonomiudvalget",
        "milepæl 1": "Modellen for inddragelse er beskrevet.",
        "smiley 1": "gul",
        "økonomi": "0,5 mio. kr. årligt.",
        "økonomi 1": "",
    },
]
ROUNDS = ("1. budgetopfølgning 2026", "2. budgetopfølgning 2026", "31.12.2026")


def initiative(row: Mapping[str, str]) -> Initiative:
    """Return the initiative of one spreadsheet row, built by the English attribute names."""
    milestones = {
        round: Milestone(text=row[f"milepæl {round}"], smiley=Smiley(row[f"smiley {round}"]))
        for round in range(1, len(ROUNDS) + 1)
        if row.get(f"milepæl {round}")
    }
    economy_smileys = {
        round: Smiley(row[f"økonomi {round}"])
        for round in range(1, len(ROUNDS) + 1)
        if row.get(f"økonomi {round}")
    }
    return Initiative(
        number=row["nummer"],
        title=row["titel"],
        kind=Kind(row["type"]),
        responsible_centre=row["center"],
        responsible_committee=row["udvalg"],
        milestones=milestones,
        economy=Economy(text=row["økonomi"], smileys=economy_smileys),
    )


def agreement(rows: Iterable[Mapping[str, str]]) -> Agreement:
    """Return the agreement of all rows, one theme per distinct theme number."""
    themes: dict[str, tuple[str, list[Initiative]]] = {}
    for row in rows:
        themes.setdefault(row["tema"], (row["tema_titel"], []))[1].append(initiative(row))
    return Agreement(
        municipality="Ballerup Kommune",
        name="Aftale om budget 2026",
        committee="Økonomiudvalget",
        rounds=ROUNDS,
        themes=[
            Theme(number=number, title=title, initiatives=items)
            for number, (title, items) in themes.items()
        ],
    )


def main(argv: list[str]) -> int:
    """Build, validate and render the example into the folder argv[0]."""
    outdir = Path(argv[0])
    outdir.mkdir(parents=True, exist_ok=True)
    built = agreement(ROWS)
    # The same agreement from plain data, with the YAML's Danish keys: AgreementError if wrong.
    checked = followupdocs.validate(built.model_dump(by_alias=True), source="rows")
    assert checked == built
    docx = followupdocs.render(built, outdir / "aftale.docx", round=1)
    data: bytes = followupdocs.render_bytes(built, round=1)
    print(f"wrote {docx} ({len(data)} bytes rendered in memory too)")
    if "--pdf" in argv:
        print(f"wrote {followupdocs.to_pdf(docx)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
