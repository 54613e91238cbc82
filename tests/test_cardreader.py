"""The card reader on what people and other programs do to a document: symbols typed for
smileys, pictures that are not ours, tracked changes, merged labels, rows left or added.

Each test changes the round-1 example document (its first card, 1.02, is table 3: row 1 the
header, row 2 the agreement, rows 3 to 6 the milestones, row 7 the economy) and reads it.
"""

from __future__ import annotations

import struct
import zipfile
import zlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from lxml import etree

import followupdocs
from docxedit import NS, cards, edited, rows, w

DRAWING = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}drawing"


def _read(
    doc: Path,
    tmp_path: Path,
    change: Callable[[Any], None],
    parts: dict[str, bytes] | None = None,
) -> followupdocs.DocumentReading:
    path = edited(doc, tmp_path / "changed.docx", change, parts)
    return followupdocs.read_document(path, kommune="Ballerup Kommune")


def _cell(root: Any, row: int, cell: int, table: int = 0) -> Any:
    return rows(cards(root)[table])[row - 1].findall("w:tc", NS)[cell - 1]


def _smiley_run(root: Any, row: int = 3) -> Any:
    """Return the first card's round-1 smiley run, emptied."""
    run = _cell(root, row, 4).find(f".//{DRAWING}").getparent()
    for child in list(run):
        run.remove(child)
    return run


def _first(reading: followupdocs.DocumentReading) -> followupdocs.Initiative:
    return reading.agreement.initiatives[0]


def _errors(reading: followupdocs.DocumentReading) -> list[str]:
    return [f"{p.path}: {p.message}" for p in reading.problems if p.severity == "error"]


def _sym(char: str, font: str = "Wingdings") -> Callable[[Any], None]:
    def change(root: Any) -> None:
        etree.SubElement(_smiley_run(root), w("sym"), {w("font"): font, w("char"): char})

    return change


def _font_text(text: str, font: str | None) -> Callable[[Any], None]:
    def change(root: Any) -> None:
        run = _smiley_run(root)
        if font:
            properties = etree.SubElement(run, w("rPr"))
            etree.SubElement(properties, w("rFonts"), {w("ascii"): font, w("hAnsi"): font})
        etree.SubElement(run, w("t")).text = text

    return change


@pytest.mark.parametrize(
    ("change", "smiley"),
    [
        (_sym("F04A"), "grøn"),
        (_sym("F04B"), "gul"),
        (_sym("F04C"), "rød"),
        (_sym("004C"), "rød"),  # Word also writes the code without the symbol font's F0
        (_font_text("K", "Wingdings"), "gul"),
        (_font_text("J", "Wingdings"), "grøn"),
        (_font_text("\uf04c", None), "rød"),  # pasted as text, the font lost
    ],
    ids=["sym-J", "sym-K", "sym-L", "sym-004C", "run-K", "run-J", "text-F04C"],
)
def test_wingdings_smileys_are_read(
    example_docs: dict[int, Path], tmp_path: Path, change: Callable[[Any], None], smiley: str
) -> None:
    reading = _read(example_docs[1], tmp_path, change)
    assert _errors(reading) == []
    assert _first(reading).smiley_at(round=1) == followupdocs.Smiley(smiley)


@pytest.mark.parametrize(
    ("change", "found"),
    [
        (_sym("F04D"), "the symbol U+F04D in Wingdings"),
        (_sym("F04A", "Symbol"), "the symbol U+F04A in Symbol"),
        (_font_text("grøn", None), "the text 'grøn'"),
        (_font_text("J", None), "the text 'J'"),  # a plain J is a letter, not a smiley
    ],
    ids=["wingdings-M", "symbol-font", "word", "plain-J"],
)
def test_a_smiley_that_is_no_smiley_is_a_located_error(
    example_docs: dict[int, Path], tmp_path: Path, change: Callable[[Any], None], found: str
) -> None:
    reading = _read(example_docs[1], tmp_path, change)
    assert _errors(reading) == [
        f"table 3, row 3, cell 4: the smiley is neither a smiley picture nor a known symbol "
        f"(found {found}); use a smiley picture or Wingdings J, K or L"
    ]
    assert _first(reading).smiley_at(round=1) is None


def test_two_smileys_in_one_cell_are_an_error(
    example_docs: dict[int, Path], tmp_path: Path
) -> None:
    def twice(root: Any) -> None:
        run = _cell(root, 3, 4).find(f".//{DRAWING}").getparent()
        etree.SubElement(run, w("sym"), {w("font"): "Wingdings", w("char"): "F04C"})

    [error] = _errors(_read(example_docs[1], tmp_path, twice))
    assert error.startswith("table 3, row 3, cell 4: the smiley is neither") and "2 marks" in error


def _png() -> bytes:
    """Return a 1x1 PNG that is not one of our smileys."""
    raw = b"\x00\x10\x80\x20"
    chunk = lambda kind, data: (  # noqa: E731
        struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    )
    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )


def _green_part(doc: Path) -> str:
    """Return the image part of the green smiley in the document."""
    with zipfile.ZipFile(doc) as package:
        root = etree.fromstring(package.read("word/document.xml"))
        rels = etree.fromstring(package.read("word/_rels/document.xml.rels"))
    picture = next(d for d in root.iter(DRAWING) if "Grøn" in etree.tostring(d, encoding="unicode"))
    rid = next(picture.iter("{*}blip")).get(f"{{{root.nsmap['r']}}}embed")
    return "word/" + next(r.get("Target") for r in rels if r.get("Id") == rid)


def _strip_alt(root: Any) -> None:
    for element in root.iter("{*}docPr", "{*}cNvPr"):
        element.attrib.pop("descr", None)
        element.set("name", "Billede 1")


def test_a_picture_not_ours_is_read_by_its_alt_text(
    example_docs: dict[int, Path], tmp_path: Path
) -> None:
    doc = example_docs[1]
    reading = _read(doc, tmp_path, lambda root: None, {_green_part(doc): _png()})
    assert _errors(reading) == []
    assert _first(reading).smiley_at(round=1) == followupdocs.Smiley.GREEN


def test_a_picture_without_alt_text_is_read_by_the_reading_guide(
    example_docs: dict[int, Path], tmp_path: Path
) -> None:
    # The reading guide shows the same picture before "Milepæl er opfyldt": it is green.
    doc = example_docs[1]
    reading = _read(doc, tmp_path, _strip_alt, {_green_part(doc): _png()})
    assert _errors(reading) == []
    assert _first(reading).smiley_at(round=1) == followupdocs.Smiley.GREEN


def test_a_picture_nothing_tells_the_colour_of_is_an_error(
    example_docs: dict[int, Path], tmp_path: Path
) -> None:
    doc = example_docs[1]

    def change(root: Any) -> None:
        _strip_alt(root)
        for paragraph in list(root.find("w:body", NS).findall("w:p", NS)[:12]):
            if paragraph.find(f".//{DRAWING}") is not None:  # the reading guide's definitions
                paragraph.getparent().remove(paragraph)

    reading = _read(doc, tmp_path, change, {_green_part(doc): _png()})
    errors = _errors(reading)
    assert errors and errors[0] == (
        "table 3, row 3, cell 4: the smiley is neither a smiley picture nor a known symbol "
        "(found a picture ('Billede 1')); use a smiley picture or Wingdings J, K or L"
    )


def test_a_yellow_economy_smiley_is_an_error(example_docs: dict[int, Path], tmp_path: Path) -> None:
    reading = _read(example_docs[1], tmp_path, lambda root: _economy_symbol(root, "F04B"))
    assert _errors(reading) == [
        "table 3, row 7, cell 4: the economy smiley is yellow, but the economy is green or red "
        "only; it is left out"
    ]


def _economy_symbol(root: Any, char: str) -> None:
    paragraph = _cell(root, 7, 4).find("w:p", NS)
    run = etree.SubElement(paragraph, w("r"))
    etree.SubElement(run, w("sym"), {w("font"): "Wingdings", w("char"): char})


def test_an_economy_symbol_is_read(example_docs: dict[int, Path], tmp_path: Path) -> None:
    reading = _read(example_docs[1], tmp_path, lambda root: _economy_symbol(root, "F04C"))
    assert _errors(reading) == []
    assert _first(reading).economy.smileys == {1: followupdocs.Smiley.RED}


def test_tracked_changes_read_as_accepted(example_docs: dict[int, Path], tmp_path: Path) -> None:
    def track(root: Any) -> None:
        run = _cell(root, 3, 2).find(".//w:r", NS)  # the milestone text's run
        text = run.find("w:t", NS).text
        deleted = etree.Element(w("del"), {w("id"): "1", w("author"): "R"})
        run.addprevious(deleted)
        deleted.append(run)
        run.find("w:t", NS).tag = w("delText")
        inserted = etree.Element(w("ins"), {w("id"): "2", w("author"): "R"})
        deleted.addnext(inserted)
        new = etree.SubElement(etree.SubElement(inserted, w("r")), w("t"))
        new.text = text.replace("introduceret", "præsenteret")

    reading = _read(example_docs[1], tmp_path, track)
    assert _errors(reading) == []
    assert _first(reading).milestone(round=1).text == (
        "Den ny kommunalbestyrelse er præsenteret for Vision 2029."
    )


def test_status_typed_on_the_same_line_is_the_status(
    example_docs: dict[int, Path], tmp_path: Path
) -> None:
    def inline(root: Any) -> None:
        paragraph = _cell(root, 3, 2).findall("w:p", NS)[-1]
        run = etree.SubElement(paragraph.getparent(), w("p"))
        etree.SubElement(etree.SubElement(run, w("r")), w("t")).text = "Status: Det er sket."

    reading = _read(example_docs[1], tmp_path, inline)
    assert _first(reading).status_at(round=1) == "Det er sket."


def test_empty_rows_are_skipped_and_other_rows_reported(
    example_docs: dict[int, Path], tmp_path: Path
) -> None:
    def add_rows(root: Any) -> None:
        table = cards(root)[0]
        empty = etree.fromstring(etree.tostring(rows(table)[3]))
        for text in empty.iter(w("t")):
            text.text = ""
        for drawing in list(empty.iter(DRAWING)):
            drawing.getparent().remove(drawing)
        rows(table)[3].addnext(empty)
        note = etree.fromstring(etree.tostring(empty))
        note.find(".//w:t", NS).text = "Bemærkning"
        rows(table)[-1].addnext(note)

    reading = _read(example_docs[1], tmp_path, add_rows)
    assert _errors(reading) == [
        "table 3, row 9: the row is not a row of the card layout (it starts 'Bemærkning'); "
        "it is left out"
    ]
    assert len(_first(reading).milestones) == 1


def test_a_milestone_label_merged_down_is_read(
    example: followupdocs.Agreement, example_docs: dict[int, Path], tmp_path: Path
) -> None:
    def merge(root: Any) -> None:
        for number, row in enumerate(rows(cards(root)[0])[2:6]):
            cell = row.find("w:tc", NS)
            properties = cell.find("w:tcPr", NS)
            merged = etree.SubElement(properties, w("vMerge"))
            if number == 0:
                merged.set(w("val"), "restart")
            else:
                for text in cell.iter(w("t")):
                    text.text = ""

    reading = _read(example_docs[1], tmp_path, merge)
    assert _errors(reading) == []
    assert _first(reading) == example.initiatives[0]


def test_a_label_that_is_no_round_is_located(example_docs: dict[int, Path], tmp_path: Path) -> None:
    def relabel(root: Any) -> None:
        _cell(root, 4, 3).find(".//w:t", NS).text = "1. kvartal"

    assert _errors(_read(example_docs[1], tmp_path, relabel)) == [
        "table 3, row 4: 'Tid' label '1. kvartal' is not a round of this document "
        "(1. budgetopfølgning 2018, 2. budgetopfølgning 2018, 3. budgetopfølgning 2018, "
        "31.12.2018); the row is left out",
        "table 3: the card 1.02 has no 'Milepæl' row for '2. budgetopfølgning 2018'",
    ]
