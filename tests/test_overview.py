"""The overview: "Samlet status", the counts per round and the changes since the last round.

Every assertion reads the rendered document, and the overview is checked against the cards of
the same document, so the two can never disagree.
"""

from __future__ import annotations

import re
from pathlib import Path

import docx
import pytest

import followupdocs
import wordcheck
from followupdocs import Agreement, Smiley
from followupdocs._overview import TREND_WORDS, trend
from helpers import card_tables

WP = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"
COLOURS = {"Grøn": Smiley.GREEN, "Gul": Smiley.YELLOW, "Rød": Smiley.RED}


def pattern() -> Agreement:
    """Three initiatives whose smileys rise, fall, stay and go missing over four rounds."""

    def milestones(*smileys: str | None) -> dict[int, dict[str, object]]:
        return {
            r: {"text": f"Milepæl {r}", "status": f"Status {r}", "smiley": s}
            for r, s in enumerate(smileys, start=1)
        }

    def initiative(number: str, centre: str, ms: dict[int, dict[str, object]],
                   economy: dict[int, str]) -> dict[str, object]:  # fmt: skip
        return {
            "number": number, "title": f"Indsats {number}", "kind": "Drift",
            "responsible_centre": centre, "responsible_committee": "Udvalg",
            "milestones": ms, "economy": {"text": "Økonomi", "smileys": economy},
        }  # fmt: skip

    no_first = milestones(None, "rød", "rød", "gul")
    del no_first[1]
    return Agreement(
        municipality="Ballerup Kommune",
        name="Aftale om budget 2026",
        committee="Økonomiudvalget",
        rounds=["1. budgetopfølgning", "2. budgetopfølgning", "3. budgetopfølgning", "31.12"],
        themes=[
            {"number": "1", "title": "Et", "initiatives": [
                initiative("1.01", "Center A", milestones("grøn", "gul", "rød", "grøn"),
                           {1: "grøn", 2: "grøn", 3: "rød", 4: "rød"}),
                initiative("1.02", "Center B", milestones("gul", "gul", None, "grøn"),
                           {1: "grøn", 2: "grøn", 3: "grøn", 4: "grøn"}),
            ]},
            {"number": "2", "title": "To", "initiatives": [
                initiative("2.01", "Center A", no_first, {2: "rød", 3: "rød", 4: "grøn"}),
            ]},
        ],
    )  # fmt: skip


def overview_table(path: Path) -> docx.table.Table:
    tables = [t for t in docx.Document(str(path)).tables if t.rows[0].cells[0].text == "Nr."]
    assert len(tables) == 1
    return tables[0]


def counts_table(path: Path) -> docx.table.Table:
    document = docx.Document(str(path))
    return next(t for t in document.tables if t.rows[0].cells[0].text == "Opfølgning")


def colours(cell: docx.table._Cell) -> list[Smiley]:
    """Return the smileys shown in a cell, read from the images' alt text."""
    alts = [d.get("descr") for d in cell._tc.iter(f"{{{WP}}}docPr")]
    return [COLOURS[re.search(r"(\w+) smiley:", alt).group(1)] for alt in alts]


def card_smileys(path: Path, rounds: int) -> dict[str, tuple[list[Smiley | None], Smiley | None]]:
    """Return, per initiative number, the milestone smiley of each row and the economy's."""
    result = {}
    for table in card_tables(path):
        number = table.rows[0].cells[0].text.split(". ")[0]
        rows = table.rows[2 : 2 + rounds]
        milestone = [(colours(r.cells[4]) or [None])[0] for r in rows]
        economy = (colours(table.rows[-1].cells[4]) or [None])[0]
        result[number] = (milestone, economy)
    return result


def render(agreement: Agreement, tmp_path: Path, round: int, **kwargs: object) -> Path:
    path = followupdocs.render(agreement, tmp_path / f"r{round}.docx", round=round, **kwargs)
    assert wordcheck.problems(path) == []
    assert wordcheck.card_layout_problems(path) == []
    return path


def check_against_cards(agreement: Agreement, path: Path, round: int) -> None:
    """The overview rows, smileys, counts and trends agree with the cards of the document."""
    cards = card_smileys(path, len(agreement.rounds))
    table = overview_table(path)
    rows = table.rows[1:]
    expected_rows = []
    for theme in agreement.themes:
        expected_rows.append(("theme", f"{theme.number}. {theme.title}"))
        expected_rows += [("row", i.number) for i in theme.initiatives]
    got_rows = [
        ("theme", r.cells[0].text)
        if r.cells[0]._tc is r.cells[-1]._tc
        else ("row", r.cells[0].text)
        for r in rows
    ]
    assert got_rows == expected_rows
    for row in rows:
        if row.cells[0]._tc is row.cells[-1]._tc:
            continue
        number = row.cells[0].text
        milestones, economy = cards[number]
        shown = colours(row.cells[3])
        assert shown == [m for m in milestones[:round] if m is not None]
        alts = [d.get("descr") for d in row.cells[3]._tc.iter(f"{{{WP}}}docPr")]
        given = [r for r in range(1, round + 1) if milestones[r - 1] is not None]
        assert [a.split(": ")[0] for a in alts] == [agreement.rounds[r - 1] for r in given]
        assert colours(row.cells[4]) == ([economy] if economy else [])
        assert row.cells[3].text.count("–") == round - len(shown)
        if round == 1:
            assert row.cells[5].text == "Første opfølgning"
        else:
            key = trend(milestones[round - 2], milestones[round - 1])
            assert row.cells[5].text == TREND_WORDS[key]

    counts = counts_table(path).rows[1:]
    assert [r.cells[0].text for r in counts] == list(agreement.rounds[:round])
    for r, row in enumerate(counts, start=1):
        values = [int(c.text) for c in row.cells[1:]]
        card_row = [m[r - 1] for m, _ in cards.values()]
        texts = [i.milestone(round=r).text for i in agreement.initiatives]
        without = sum(1 for s, t in zip(card_row, texts, strict=True) if s is None and t)
        assert values[:4] == [card_row.count(Smiley.GREEN), card_row.count(Smiley.YELLOW),
                              card_row.count(Smiley.RED), without]  # fmt: skip
        economy = [i.economy_smiley_at(round=r) for i in agreement.initiatives]
        if r == round:  # the cards show the economy of the rendered round
            assert economy == [e for _, e in cards.values()]
        assert values[4:] == [economy.count(Smiley.GREEN), economy.count(Smiley.RED),
                              economy.count(None)]  # fmt: skip


@pytest.mark.parametrize("round", [1, 2, 3, 4])
def test_example_overview_matches_cards(
    example: Agreement, example_docs: dict[int, Path], round: int
) -> None:
    check_against_cards(example, example_docs[round], round)


@pytest.mark.parametrize("round", [1, 2, 3, 4])
def test_pattern_overview_matches_cards(tmp_path: Path, round: int) -> None:
    check_against_cards(pattern(), render(pattern(), tmp_path, round), round)


def test_trend_words(tmp_path: Path) -> None:
    expected = {
        1: ["Første opfølgning"] * 3,
        2: ["↓ Dårligere", "→ Uændret", "Ikke givet"],
        3: ["↓ Dårligere", "Ikke givet", "→ Uændret"],
        4: ["↑ Bedre", "Ikke givet", "↑ Bedre"],
    }
    for round, words in expected.items():
        rows = overview_table(render(pattern(), tmp_path, round)).rows[1:]
        got = [r.cells[5].text for r in rows if r.cells[0]._tc is not r.cells[-1]._tc]
        assert got == words, round


def test_counts_per_round(tmp_path: Path) -> None:
    rows = counts_table(render(pattern(), tmp_path, 4)).rows[1:]
    got = [[c.text for c in r.cells] for r in rows]
    assert got == [
        ["1. budgetopfølgning", "1", "1", "0", "0", "2", "0", "1"],
        ["2. budgetopfølgning", "0", "2", "1", "0", "2", "1", "0"],
        ["3. budgetopfølgning", "0", "0", "2", "1", "1", "2", "0"],
        ["31.12", "2", "1", "0", "0", "2", "1", "0"],
    ]


def changes_text(path: Path) -> list[str] | None:
    paragraphs = [p.text for p in docx.Document(str(path)).paragraphs]
    if "Ændringer siden sidste opfølgning" not in paragraphs:
        return None
    start = paragraphs.index("Ændringer siden sidste opfølgning") + 1
    end = next(i for i, p in enumerate(paragraphs) if p.startswith("1. Et"))
    return [p for p in paragraphs[start:end] if p]


def test_changes_since_last_round(tmp_path: Path) -> None:
    assert changes_text(render(pattern(), tmp_path, 1)) is None  # omitted in round 1
    assert changes_text(render(pattern(), tmp_path, 2)) == [
        "1.01. Indsats 1.01 (Center A): Milepæl: grøn → gul",
        "Status 2",
    ]
    assert changes_text(render(pattern(), tmp_path, 3)) == [
        "1.01. Indsats 1.01 (Center A): Milepæl: gul → rød; Økonomi: grøn → rød",
        "Status 3",
    ]
    assert changes_text(render(pattern(), tmp_path, 4)) == [
        "Ingen indsatser har fået en dårligere smiley siden sidste opfølgning."
    ]


def test_overview_can_be_left_out(tmp_path: Path) -> None:
    path = render(pattern(), tmp_path, 3, overview=False)
    text = [p.text for p in docx.Document(str(path)).paragraphs]
    assert "Samlet status" not in text
    assert "Antal smileys pr. opfølgning" not in text
    assert "Ændringer siden sidste opfølgning" not in text
    assert len(docx.Document(str(path)).tables) == 3  # the cards only
    assert len(card_tables(path)) == 3


def test_cli_no_overview(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from followupdocs.cli import main

    monkeypatch.chdir(tmp_path)
    example = Path(__file__).resolve().parent.parent / "examples" / "oekonomiudvalget-2018.yaml"
    assert main(["render", str(example), "--no-overview", "-o", "plain.docx"]) == 0
    text = [p.text for p in docx.Document("plain.docx").paragraphs]
    assert "Samlet status" not in text


@pytest.mark.parametrize(
    ("before", "now", "expected"),
    [
        (None, Smiley.GREEN, "not_given"),
        (Smiley.GREEN, None, "not_given"),
        (Smiley.RED, Smiley.YELLOW, "better"),
        (Smiley.YELLOW, Smiley.GREEN, "better"),
        (Smiley.GREEN, Smiley.GREEN, "same"),
        (Smiley.GREEN, Smiley.RED, "worse"),
    ],
)
def test_trend(before: Smiley | None, now: Smiley | None, expected: str) -> None:
    assert trend(before, now) == expected
