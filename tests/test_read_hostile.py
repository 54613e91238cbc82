"""The read side against documents and forms other programs and people made: each test is a
defect a hostile-input hunt found, edited into a rendered document or form by raw XML."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest

import readhostile
import wordfill
from docxedit import edited
from followupdocs import Agreement, collect, load, read_document, render, write_forms
from helpers import EXAMPLE, run_cli

CENTRE = "Arbejdsmarked"


@pytest.fixture(scope="module")
def example(tmp_path_factory: pytest.TempPathFactory) -> Agreement:
    """The example cut to its first four cards and CENTRE's first: every edit here is of the
    card layout, which a few cards hold as all 35 do, and each test reads its document twice."""
    full = load(EXAMPLE)
    first = next(i.number for i in full.initiatives if i.responsible_centre == CENTRE)
    kept = {i.number for i in full.initiatives[:4]} | {first}
    themes = [
        theme.model_copy(update={"initiatives": [i for i in theme.initiatives if i.number in kept]})
        for theme in full.themes
    ]
    return full.model_copy(update={"themes": tuple(t for t in themes if t.initiatives)})


@pytest.fixture(scope="module")
def example_docs(example: Agreement, tmp_path_factory: pytest.TempPathFactory) -> dict[int, Path]:
    folder = tmp_path_factory.mktemp("small")
    return {n: render(example, folder / f"round{n}.docx", round=n) for n in (1, 2)}


def _same_reading(original: Path, changed: Path, example: Agreement) -> None:
    """Assert `changed` reads as `original` does, and collect finds nothing in it."""
    before = read_document(original, kommune=example.municipality)
    after = read_document(changed, kommune=example.municipality)
    assert after.agreement == before.agreement
    assert after.problems == before.problems
    found = collect(example, [changed])
    assert (found.changes, found.conflicts, found.documents) == ((), (), (str(changed),))


def _edited_reads_the_same(
    example: Agreement, document: Path, tmp_path: Path, edit: readhostile.Edit
) -> Path:
    """Assert `document` edited by `edit` reads as it did and collect finds nothing in it;
    return the edited document."""
    changed = edited(document, tmp_path / "edited.docx", edit)
    _same_reading(document, changed, example)
    return changed


@pytest.mark.parametrize("name", sorted(readhostile.EDITS_SHOWING_THE_SAME))
def test_rows_cells_and_tables_inside_controls_or_custom_xml_are_read(
    example: Agreement, example_docs: dict[int, Path], tmp_path: Path, name: str
) -> None:
    # Word lets content controls and custom XML stand around rows and cells; before, such a
    # row or cell was skipped, and the whole document had "no card".
    _edited_reads_the_same(
        example, example_docs[2], tmp_path, readhostile.EDITS_SHOWING_THE_SAME[name]
    )


def test_a_committee_document_with_a_table_of_contents_is_a_document(
    example: Agreement, example_docs: dict[int, Path], tmp_path: Path
) -> None:
    # A table of contents is a content control; before, the document was taken for a form
    # whose fields had lost their names.
    _edited_reads_the_same(example, example_docs[2], tmp_path, readhostile.table_of_contents)


@pytest.mark.parametrize(
    "edit",
    [
        readhostile.attribute("gridSpan", "x"),
        readhostile.attribute("gridBefore", "to", on_row=True),
        readhostile.attribute("gridBefore", "-2", on_row=True),
    ],
    ids=["span-word", "before-word", "before-negative"],
)
def test_grid_counts_that_are_no_whole_number_read_as_word_shows_them(
    example: Agreement,
    example_docs: dict[int, Path],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    edit: readhostile.Edit,
) -> None:
    # Before, int() of the attribute ended `import` and `collect` in a ValueError traceback.
    changed = _edited_reads_the_same(example, example_docs[2], tmp_path, edit)
    code, _, err = run_cli(capsys, "import", changed, "-o", tmp_path / "read.yaml")
    assert code == 0, err


def test_a_text_box_in_a_cell_is_read_once(
    example: Agreement, example_docs: dict[int, Path], tmp_path: Path
) -> None:
    # Before, the text box's paragraph was read in its paragraph and again as a cell paragraph.
    changed = edited(example_docs[2], tmp_path / "box.docx", readhostile.text_box_in_cell)

    first = example.initiatives[0]
    found = collect(example, [changed])
    assert [(c.number, c.round, c.field, c.new) for c in found.changes] == [
        (first.number, 1, "milestone_text", first.milestones[1].text + "Boks")
    ]


def test_hidden_text_is_left_out(
    example: Agreement, example_docs: dict[int, Path], tmp_path: Path
) -> None:
    # Before, a note formatted as hidden text (which Word neither shows nor prints) was read
    # into the milestone text, a change nobody sees.
    _edited_reads_the_same(example, example_docs[2], tmp_path, readhostile.hidden_run)


@pytest.mark.parametrize(
    "char", ["\u00ad", "\u200b", "\u200e", "\ufeff"], ids=["shy", "zwsp", "lrm", "bom"]
)
def test_characters_word_shows_as_nothing_do_not_hide_the_layout_words(
    example: Agreement, example_docs: dict[int, Path], tmp_path: Path, char: str
) -> None:
    # Before, "Mi\u00adlepæl" was no "Milepæl" (no card at all), and "St\u200batus:" no
    # "Status:", so the status ran into the milestone text.
    _edited_reads_the_same(
        example, example_docs[2], tmp_path, readhostile.invisible_in_labels(char)
    )


def test_a_card_cut_in_two_by_a_page_break_is_one_card(
    example: Agreement, example_docs: dict[int, Path], tmp_path: Path
) -> None:
    # Before, the second half was "a card without a header" left out, with its rows.
    _edited_reads_the_same(example, example_docs[2], tmp_path, readhostile.page_break_in_card)


@pytest.fixture
def filled_form(example: Agreement, tmp_path: Path) -> Path:
    form = write_forms(example, tmp_path, round=2, centre=CENTRE)[CENTRE]
    number = next(i.number for i in example.initiatives if i.responsible_centre == CENTRE)
    return wordfill.fill(
        form,
        {
            f"followupdocs:{number}:2:status": "Første linje\nAnden linje",
            f"followupdocs:{number}:2:smiley": "Rød",
        },
    )


@pytest.mark.parametrize("what", ["tc", "tr", "tbl"])
def test_a_control_around_a_forms_cell_row_or_table_is_not_its_field(
    example: Agreement, filled_form: Path, tmp_path: Path, what: str
) -> None:
    # Before, the bookmark around a field named the nearest control above it, here the one
    # around the whole cell, row or table: the field was read twice, once as that whole text.
    expected = collect(example, [filled_form])
    changed = edited(filled_form, tmp_path / "wrapped.docx", readhostile.wrapped(what, "sdt"))

    found = collect(example, [changed])

    assert [(c.number, c.field, c.new) for c in found.changes] == [
        (c.number, c.field, c.new) for c in expected.changes
    ]
    assert len(expected.changes) == 2
    assert found.conflicts == ()


def _styles_without_names(data: bytes) -> bytes:
    return re.sub(rb'<w:name w:val="[^"]*"/>', b"<w:name/>", data)


def test_a_style_with_an_empty_name_is_known_by_its_id(
    example: Agreement, example_docs: dict[int, Path], tmp_path: Path
) -> None:
    # Before, a w:name without w:val ended import in an AttributeError on None.
    styles = zipfile.ZipFile(example_docs[2]).read("word/styles.xml")
    changed = edited(
        example_docs[2],
        tmp_path / "styles.docx",
        parts={"word/styles.xml": _styles_without_names(styles)},
    )

    _same_reading(example_docs[2], changed, example)


@pytest.mark.parametrize(
    "edit",
    [
        readhostile.heading_outline("²"),
        readhostile.heading_outline("9" * 5000),
        readhostile.title_text("². opfølgning på Aftale om budget 2018 på Økonomiudvalgets område"),
        readhostile.title_text(
            "9" * 5000 + ". opfølgning på Aftale om budget 2018 på Økonomiudvalgets område"
        ),
    ],
    ids=["outline-superscript", "outline-5000-digits", "title-superscript", "title-5000-digits"],
)
def test_numbers_int_refuses_are_no_traceback(
    example: Agreement,
    example_docs: dict[int, Path],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    edit: readhostile.Edit,
) -> None:
    # "²" is a digit to str.isdigit but no number to int(), nor are 5000 ASCII digits (Python's
    # limit is 4300): before, a ValueError traceback.
    changed = edited(example_docs[2], tmp_path / "number.docx", edit)

    reading = read_document(changed)
    assert len(reading.agreement.initiatives) == len(example.initiatives)
    code, _, err = run_cli(capsys, "import", changed, "-o", tmp_path / "read.yaml")
    assert code == 0, err


@pytest.mark.parametrize(
    "code",
    ["FFFFFFFF", "110000", "-1", "F04A" * 2000],
    ids=["32-bits", "beyond-unicode", "negative", "8000-digits"],
)
def test_a_symbol_naming_no_character_is_reported(
    example: Agreement, example_docs: dict[int, Path], tmp_path: Path, code: str
) -> None:
    # Before, chr() of the code ended import in a ValueError or OverflowError traceback.
    changed = edited(example_docs[2], tmp_path / "symbol.docx", readhostile.symbol_smiley(code))

    reading = read_document(changed)

    (error,) = reading.errors
    assert error.path == "table 3, row 3, cell 4"
    assert error.message.startswith("the smiley is neither a smiley picture nor a known symbol")
    assert len(error.message) < 300


def test_a_form_bookmark_with_a_round_of_5000_digits_is_no_field(
    example: Agreement, filled_form: Path, tmp_path: Path
) -> None:
    # Before, int() of the round raised ValueError in the bookmark lookup: a traceback.
    name = "fud_form_abc_" + "9" * 5000 + "_abc"
    changed = edited(
        filled_form, tmp_path / "bookmark.docx", readhostile.first_bookmark_named(name)
    )

    found = collect(example, [changed])

    assert len(found.changes) == 2


def test_a_damaged_tag_is_quoted_short(
    example: Agreement, filled_form: Path, tmp_path: Path
) -> None:
    # Before, the conflict quoted the whole tag: a one-line message of megabytes.
    tag = "followupdocs:form:x:" + "9" * 100_000 + ":y"
    changed = edited(filled_form, tmp_path / "tag.docx", readhostile.first_tag(tag))

    found = collect(example, [changed])

    assert found.conflicts
    assert all(len(conflict) < 400 for conflict in found.conflicts)
    assert f"a field's tag {tag[:79] + '…'!r} is damaged" in found.conflicts[0]


@pytest.mark.parametrize(
    ("alt", "colour"),
    [
        ("Rød smiley er skiftet ud med grøn", None),
        ("Smiley, red <grøn/> &amp;", None),
        ("Grøn smiley", "grøn"),
    ],
)
def test_a_picture_whose_alt_text_names_two_colours_is_reported_not_guessed(
    example_docs: dict[int, Path], tmp_path: Path, alt: str, colour: str | None
) -> None:
    # Before, the first colour word decided: "Rød smiley er skiftet ud med grøn" read as red.
    changed = edited(example_docs[2], tmp_path / "alt.docx", readhostile.picture_of_others(alt))

    reading = read_document(changed)

    first = reading.agreement.initiatives[0]
    assert first.smiley_at(round=1) == colour
    errors = [(p.path, p.message[:34]) for p in reading.errors]
    assert errors == (
        [("table 3, row 3, cell 4", "the smiley is neither a smiley pic")] if colour is None else []
    )


def test_many_paragraphs_are_read() -> None:
    # Before, every paragraph copied the rest of the document to look for the next card:
    # 100,000 paragraphs (a few MB of XML) took minutes. Now they take a fraction of a second;
    # benchmarks/bench_hostile.py prints how the time grows with their number.
    from followupdocs._docx.cardreader import read_cards
    from followupdocs._docx.wordread import Block, Body, Para

    line = Para("1. Ikke et tema", "", "", None)
    body = Body(blocks=[Block(n, para=line) for n in range(1, 100_001)])
    document = read_cards(body)

    assert document.cards == ()


@pytest.mark.parametrize(
    ("count", "spanning"), [(2000, 0), (300, 3000)], ids=["many-controls", "overlapping-spans"]
)
def test_many_bookmarked_controls_are_read(
    example: Agreement, filled_form: Path, tmp_path: Path, count: int, spanning: int
) -> None:
    # Before, each control without its tag searched the whole document for its bookmark's end,
    # and each bookmark read every paragraph it runs over: 2000 controls took 30 s, and 300
    # bookmarks over the same 3000 paragraphs 24 s. Now they take under a second;
    # benchmarks/bench_hostile.py prints how the time grows with their number.
    edit = readhostile.many_bookmarked_controls(count, spanning)
    changed = edited(filled_form, tmp_path / "many.docx", edit)

    found = collect(example, [changed])

    assert len(found.changes) == 2
    unknown = [c for c in found.conflicts if "initiative 9." in c]
    assert len(unknown) == count
