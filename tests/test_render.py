"""Render the example and small agreements, reopen the documents and check what they say."""

from __future__ import annotations

import os
import zipfile
from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn

import followupdocs
import wordcheck
from followupdocs import Agreement, Smiley
from helpers import all_text, card_tables, images

TITLES = {
    1: "Første opfølgning på Aftale om budget 2018 på Økonomiudvalgets område",
    2: "Anden opfølgning på Aftale om budget 2018 på Økonomiudvalgets område",
    3: "Tredje opfølgning på Aftale om budget 2018 på Økonomiudvalgets område",
    4: "Endelig opfølgning på Aftale om budget 2018 på Økonomiudvalgets område",
}
WP = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"
# The reading guide's five smileys, in order, as a screen reader announces them.
GUIDE_ALT_TEXTS = [
    "Grøn smiley: milepælen er opfyldt",
    "Gul smiley: milepælen er ikke fuldt opfyldt, men målet for året er fortsat realistisk",
    "Rød smiley: milepælen er ikke opfyldt, og målet er ikke realistisk inden for perioden",
    "Grøn smiley: budgettet er overholdt",
    "Rød smiley: budgettet er ikke overholdt",
]


def card_images(path: Path) -> list[str]:
    """Return the alt text of every image inside the cards, in document order."""
    return [d.get("descr") for t in card_tables(path) for d in t._tbl.iter(f"{{{WP}}}docPr")]


def agreement(**changes: object) -> Agreement:
    """Return a small agreement in Python, by attribute name, with `changes` to its initiative."""
    initiative = {
        "number": "1.01",
        "title": "Et kort",
        "kind": "Drift",
        "responsible_centre": "Center A",
        "responsible_committee": "Udvalg A",
        **changes,
    }
    return Agreement(
        municipality="Ballerup Kommune",
        name="Aftale om budget 2026",
        committee="Teknik- og Miljøudvalget",
        rounds=["1. budgetopfølgning 2026", "2. budgetopfølgning 2026", "31.12.2026"],
        themes=[{"number": "1", "title": "Tema", "initiatives": [initiative]}],
    )


@pytest.mark.parametrize("round", [1, 2, 3, 4])
def test_title_per_round(example_docs: dict[int, Path], round: int) -> None:
    document = docx.Document(str(example_docs[round]))
    title = document.paragraphs[0]
    assert title.text == TITLES[round]
    assert title.style.name == "Title"
    assert document.core_properties.title == TITLES[round]
    assert document.core_properties.subject == "Aftale om budget 2018, Økonomiudvalget"
    assert document.core_properties.language == "da-DK"


def test_cards_in_order_with_headings(example: Agreement, example_docs: dict[int, Path]) -> None:
    tables = card_tables(example_docs[1])
    expected = [f"{i.number}. {i.title}" for i in example.initiatives]
    assert [t.rows[0].cells[0].text for t in tables] == expected
    for table, initiative in zip(tables, example.initiatives, strict=True):
        header = table.rows[0].cells
        assert header[0].paragraphs[0].style.name == "Heading 2"
        assert [header[2].text, header[3].text, header[4].text] == [
            initiative.kind.value, "Tid", "Smiley",
        ]  # fmt: skip
    themes = [p.text for p in docx.Document(str(example_docs[1])).paragraphs
              if p.style.name == "Heading 1"]  # fmt: skip
    assert themes == ["Læsevejledning", "Samlet status"] + [
        f"{t.number}. {t.title}" for t in example.themes
    ]


def test_tid_column_has_the_round_labels(example: Agreement, example_docs: dict[int, Path]) -> None:
    for table in card_tables(example_docs[2]):
        rows = table.rows[2 : 2 + len(example.rounds)]
        assert [r.cells[0].text for r in rows] == ["Milepæl"] * 4
        assert [r.cells[3].text for r in rows] == list(example.rounds)
        assert table.rows[-1].cells[0].text == "Økonomi"
        assert len(table.rows) == 2 + len(example.rounds) + 1


@pytest.mark.parametrize("round", [1, 2, 3, 4])
def test_smiley_images_per_round(
    example: Agreement, example_docs: dict[int, Path], round: int
) -> None:
    alts = images(example_docs[round])
    guide = alts[:5]
    assert guide == GUIDE_ALT_TEXTS
    expected = []
    for initiative in example.initiatives:
        for r in range(1, len(example.rounds) + 1):
            smiley = initiative.smiley_at(round=r) if r <= round else None
            if smiley:
                expected.append(f"{smiley.value.capitalize()} smiley: milepælen")
        economy = initiative.economy_smiley_at(round=round)
        if economy:
            expected.append(f"{economy.value.capitalize()} smiley: budgettet")
    cards = card_images(example_docs[round])
    assert len(cards) == len(expected)
    assert all(alt.startswith(prefix) for alt, prefix in zip(cards, expected, strict=True))
    # The example has round-1 smileys only: 33 milestones and 13 economies at round 1.
    assert len(cards) == (33 + 13 if round == 1 else 33)


def test_one_image_part_per_smiley(example_docs: dict[int, Path]) -> None:
    with zipfile.ZipFile(example_docs[1]) as z:
        media = [n for n in z.namelist() if n.startswith("word/media/")]
    assert len(media) == 3


@pytest.mark.parametrize("round", [1, 2, 3, 4])
def test_word_clean(example_docs: dict[int, Path], round: int) -> None:
    assert wordcheck.problems(example_docs[round]) == []
    assert wordcheck.card_layout_problems(example_docs[round]) == []


def test_schema_check_runs_where_the_schemas_are() -> None:
    """The XSD check must not be skipped in CI; elsewhere it runs when the schemas are found."""
    if os.environ.get("CI"):
        assert wordcheck.schema_dir() is not None, "CI must set FOLLOWUPDOCS_OOXML_SCHEMAS"
    if wordcheck.schema_dir() is None:
        pytest.skip("no OOXML schemas here (set FOLLOWUPDOCS_OOXML_SCHEMAS)")


def test_schema_check_catches_a_broken_document(example_docs: dict[int, Path]) -> None:
    folder = wordcheck.schema_dir()
    if folder is None:
        pytest.skip("no OOXML schemas here (set FOLLOWUPDOCS_OOXML_SCHEMAS)")
    with zipfile.ZipFile(example_docs[1]) as z:
        xml = z.read("word/document.xml")
    broken = xml.replace(b"<w:tblHeader/>", b"<w:bogus/>", 1)
    assert wordcheck.xsd_problems(xml, folder) == []
    assert wordcheck.xsd_problems(broken, folder)


def test_status_only_up_to_the_round(tmp_path: Path) -> None:
    milestones = {
        n: {"text": f"Milepæl {n}", "status": f"Status ved runde {n}", "smiley": "gul"}
        for n in (1, 2, 3)
    }
    source = agreement(milestones=milestones, economy={"text": "Ingen", "smileys": {1: "rød"}})
    for round in (1, 2, 3):
        path = followupdocs.render(source, tmp_path / f"r{round}.docx", round=round)
        text = all_text(path)
        for n in (1, 2, 3):
            assert f"Milepæl {n}" in text  # planned text is always shown
            assert (f"Status ved runde {n}" in text) is (n <= round)
        alts = card_images(path)
        milestone_smileys = [a for a in alts if "milepælen" in a]
        assert len(milestone_smileys) == round
        assert ["budgettet" in a for a in alts].count(True) == (1 if round == 1 else 0)
        assert wordcheck.problems(path) == []


def test_default_round_is_the_latest_with_a_smiley(tmp_path: Path) -> None:
    source = agreement(milestones={2: {"text": "x", "smiley": Smiley.GREEN}})
    path = followupdocs.render(source, tmp_path / "out.docx")
    assert docx.Document(str(path)).paragraphs[0].text.startswith("Anden opfølgning")
    nothing = followupdocs.render(agreement(), tmp_path / "none.docx")
    assert docx.Document(str(nothing)).paragraphs[0].text.startswith("Første opfølgning")


def test_round_out_of_range_is_refused(tmp_path: Path) -> None:
    with pytest.raises(followupdocs.RoundError, match="rounds 1 to 3"):
        followupdocs.render(agreement(), tmp_path / "out.docx", round=4)
    assert not (tmp_path / "out.docx").exists()


HOSTILE = "A & B < C > D \"citat\" 'enkelt' {{ title }} {% if x %}y{% endif %} {# c #} ]]> æøå 🙂"


def test_text_is_data_never_template(tmp_path: Path) -> None:
    source = agreement(
        title=HOSTILE,
        agreement_text=HOSTILE,
        responsible_centre=HOSTILE,
        implementation=HOSTILE,
        milestones={1: {"text": HOSTILE, "status": HOSTILE, "smiley": "grøn"}},
        economy={"text": HOSTILE},
    )
    path = followupdocs.render(source, tmp_path / "out.docx", round=1)
    text = all_text(path)
    assert text.count(HOSTILE) >= 6
    assert wordcheck.problems(path) == []


def test_paragraphs_bullets_and_numbered_points(tmp_path: Path) -> None:
    text = (
        "Indledning over\nto linjer.\n\n• Første punkt\n• Andet punkt\n\n"
        "1. Et\n\n2. To\n\nAfslutning.\n\n3. Tre står alene"
    )
    path = followupdocs.render(agreement(agreement_text=text), tmp_path / "out.docx", round=1)
    cell = card_tables(path)[0].rows[1].cells[0]
    got = [(p.style.name, p.text) for p in cell.paragraphs]
    assert got == [
        ("Normal", "Indledning over to linjer."),
        ("List Bullet", "Første punkt"),
        ("List Bullet", "Andet punkt"),
        ("List Number", "Et"),
        ("List Number", "To"),
        ("Normal", "Afslutning."),
        ("Normal", "3. Tre står alene"),  # not counted from 1: kept as written
    ]
    numbered = [p for p in cell.paragraphs if p.style.name == "List Number"]
    num_ids = {p._p.pPr.find(qn("w:numPr")).find(qn("w:numId")).get(qn("w:val")) for p in numbered}
    assert len(num_ids) == 1  # one list, restarted at 1 for this card


def test_each_numbered_list_restarts(tmp_path: Path, example_docs: dict[int, Path]) -> None:
    document = docx.Document(str(example_docs[1]))
    numbering = document.part.numbering_part.element
    ids = set()
    for p in document.element.body.iter(qn("w:p")):
        num_pr = p.find(f"{qn('w:pPr')}/{qn('w:numPr')}")
        if num_pr is not None:
            ids.add(num_pr.find(qn("w:numId")).get(qn("w:val")))
    for num in numbering.iter(qn("w:num")):
        if num.get(qn("w:numId")) in ids:
            start = num.find(f"{qn('w:lvlOverride')}/{qn('w:startOverride')}")
            assert start is not None and start.get(qn("w:val")) == "1"
    assert ids


def test_accessibility_basics(example_docs: dict[int, Path]) -> None:
    with zipfile.ZipFile(example_docs[1]) as z:
        styles = z.read("word/styles.xml").decode()
    assert 'w:lang w:val="da-DK"' in styles
    assert all(alt for alt in images(example_docs[1]))


def test_failed_render_leaves_previous_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out.docx"
    followupdocs.render(agreement(), out, round=1)
    before = out.read_bytes()

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("rendering failed half-way")

    monkeypatch.setattr("followupdocs._rendering.fill", broken)
    with pytest.raises(RuntimeError):
        followupdocs.render(agreement(title="Nyt"), out, round=1)
    assert out.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.docx"]


def test_failed_replace_leaves_previous_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out.docx"
    followupdocs.render(agreement(), out, round=1)
    before = out.read_bytes()

    def locked(*args: object) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr("followupdocs._output.os.replace", locked)
    with pytest.raises(followupdocs.OutputError, match="close it"):
        followupdocs.render(agreement(title="Nyt"), out, round=1)
    assert out.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.docx"]


def _rewritten(source: Path, target: Path, part: str, old: bytes, new: bytes) -> Path:
    """Copy the package at `source` to `target` with `old` replaced by `new` in `part`."""
    with zipfile.ZipFile(source) as z, zipfile.ZipFile(target, "w") as out:
        for item in z.infolist():
            data = z.read(item)
            if item.filename == part:
                assert old in data
                data = data.replace(old, new, 1)
            out.writestr(item, data)
    return target


def test_the_checker_finds_a_picture_without_its_relationship(
    example_docs: dict[int, Path], tmp_path: Path
) -> None:
    """Every rendering test's checker: Word calls a dangling r:embed unreadable content."""
    source = example_docs[1]
    with zipfile.ZipFile(source) as z:
        document = z.read("word/document.xml").decode()
    rid = document.split('r:embed="', 1)[1].split('"', 1)[0]
    broken = _rewritten(
        source,
        tmp_path / "a.docx",
        "word/document.xml",
        f'r:embed="{rid}"'.encode(),
        b'r:embed="rId999"',
    )
    assert "word/document.xml: r:embed=rId999 is not in word/_rels/document.xml.rels" in (
        wordcheck.relationship_problems(broken)
    )
    outside = _rewritten(
        source,
        tmp_path / "b.docx",
        "word/_rels/document.xml.rels",
        f'Id="{rid}"'.encode(),
        f'TargetMode="External" Id="{rid}"'.encode(),
    )
    assert f"word/_rels/document.xml.rels: {rid} points outside the package" in (
        wordcheck.problems(outside)
    )
