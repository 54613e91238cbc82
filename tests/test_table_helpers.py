"""The Word layer's fast table helpers write exactly what python-docx's own calls write.

The forms (and the template builder) use them in place of python-docx's `cell.merge`,
`row.cells`, `paragraph.style = name`, `paragraph.add_run(text).bold = True` and
`run.add_picture`, which were most of a form's time. Each test builds the same thing both ways
on the default template and compares the XML, so the helpers can only be faster, not different.
"""

from __future__ import annotations

import io
from typing import Any

import docx
import pytest
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Cm
from lxml import etree

from followupdocs._docx.fill import default_template
from followupdocs._docx.numbering import number_drawings
from followupdocs._docx.smileys import SIZE, add_picture, picture, picture_name
from followupdocs._docx.tables import (
    GREY,
    TEMPLATE_CARD_CM,
    add_paragraph,
    add_run,
    clear,
    merge,
    row_cells,
    row_property,
    set_cell,
    shade,
    style_id,
    table,
)

TEXTS = ["", "Milepæl", " Status", "Status: ", "a\tb", "to\nlinjer\r\nog", "A & B <c>", "  "]


def _document() -> Any:
    return docx.Document(str(default_template()))


def _xml(element: Any) -> bytes:
    return bytes(etree.tostring(element))


@pytest.mark.parametrize("bold", [False, True])
@pytest.mark.parametrize("text", TEXTS)
def test_add_run_writes_what_python_docx_writes(text: str, bold: bool) -> None:
    theirs, ours = _document().add_paragraph(), _document().add_paragraph()
    run = theirs.add_run(text)
    if bold:
        run.bold = True
    add_run(ours, text, bold=bold)
    assert _xml(ours._p) == _xml(theirs._p)


@pytest.mark.parametrize("style", [None, "Normal", "Heading 1", "Heading 2", "List Bullet"])
@pytest.mark.parametrize("text", ["", "Vision 2029", "a\tb"])
def test_add_paragraph_writes_what_python_docx_writes(text: str, style: str | None) -> None:
    theirs, ours = _document(), _document()
    for document in (theirs, ours):
        table(document, 1, (2.0,))
    expected = [
        theirs.add_paragraph(text, style=style)._p,
        theirs.tables[0].cell(0, 0).add_paragraph(text, style=style)._p,
    ]
    got = [
        add_paragraph(ours, text, style)._p,
        add_paragraph(ours.tables[0].cell(0, 0), text, style)._p,
    ]
    assert [_xml(p) for p in got] == [_xml(p) for p in expected]


def test_an_unknown_style_is_refused_as_python_docx_refuses_it() -> None:
    with pytest.raises(KeyError, match="Ingen"):
        add_paragraph(_document(), "x", "Ingen")


def test_style_ids_are_python_docx_s_and_follow_each_document() -> None:
    document = _document()
    for name, kind in (
        ("Heading 2", WD_STYLE_TYPE.PARAGRAPH),
        ("Normal", WD_STYLE_TYPE.PARAGRAPH),  # the default style: no id written
        ("Table Grid", WD_STYLE_TYPE.TABLE),
    ):
        expected = document.part.get_style_id(name, kind)
        assert style_id(document.part, name, kind) == expected
        assert style_id(document.part, name, kind) == expected  # the second answer is cached
    plain = docx.Document()  # python-docx's own template: other ids, its own cache
    assert style_id(plain.part, "Heading 2") == plain.part.get_style_id(
        "Heading 2", WD_STYLE_TYPE.PARAGRAPH
    )


def _table_by_python_docx(document: Any, rows: int, widths: tuple[float, ...]) -> Any:
    """Return a table as `tables.table` made it with python-docx's own calls."""
    grid = document.add_table(rows=rows, cols=len(widths))
    grid.style = document.styles["Table Grid"]
    grid.alignment = WD_TABLE_ALIGNMENT.CENTER
    grid.autofit = False
    for column, width in zip(grid.columns, widths, strict=True):
        column.width = Cm(width)
        for cell in column.cells:
            cell.width = Cm(width)
    for cell in grid.rows[0].cells:
        shade(cell, GREY)
    row_property(grid.rows[0], "w:tblHeader")
    return grid


def test_table_writes_what_python_docx_writes() -> None:
    theirs, ours = _document(), _document()
    expected = _table_by_python_docx(theirs, 4, TEMPLATE_CARD_CM)
    got = table(ours, 4, TEMPLATE_CARD_CM)
    assert _xml(got._tbl) == _xml(expected._tbl)


def test_merge_and_row_cells_write_what_python_docx_writes() -> None:
    theirs = table(_document(), 4, TEMPLATE_CARD_CM)
    ours = table(_document(), 4, TEMPLATE_CARD_CM)
    for row, (first, last) in enumerate([(0, 1), (2, 4), (1, 2), (0, 4)]):
        expected = theirs.rows[row].cells[first].merge(theirs.rows[row].cells[last])
        cells = row_cells(ours.rows[row])
        got = merge(cells[first], cells[last])
        assert got._tc is cells[first]._tc
        assert _xml(got._tc) == _xml(expected._tc)
        assert [c._tc for c in row_cells(ours.rows[row])] == [c._tc for c in ours.rows[row].cells]
    assert _xml(ours._tbl) == _xml(theirs._tbl)


def test_merge_refuses_what_it_cannot_do_as_python_docx_does() -> None:
    grid = table(_document(), 2, TEMPLATE_CARD_CM)
    top, bottom = row_cells(grid.rows[0]), row_cells(grid.rows[1])
    set_cell(top[2], "tekst")
    before = _xml(grid._tbl)
    with pytest.raises(ValueError, match="only empty cells"):
        merge(top[0], top[3])  # python-docx would move the text; no caller needs that
    with pytest.raises(ValueError, match="one row"):
        merge(top[0], bottom[1])
    with pytest.raises(ValueError, match="one row"):
        merge(bottom[3], bottom[1])
    assert _xml(grid._tbl) == before  # a refused merge changes nothing
    assert merge(bottom[3], bottom[3]) is bottom[3]
    assert _xml(grid._tbl) == before


@pytest.mark.parametrize("text", TEXTS)
@pytest.mark.parametrize(("bold", "center", "style"), [
    (False, False, None), (True, True, None), (False, False, "Heading 2"),
])  # fmt: skip
def test_set_cell_writes_what_python_docx_writes(
    text: str, bold: bool, center: bool, style: str | None
) -> None:
    theirs = table(_document(), 1, (2.0,)).cell(0, 0)
    ours = table(_document(), 1, (2.0,)).cell(0, 0)
    clear(theirs)  # set_cell as it was written with python-docx's calls
    paragraph = theirs.add_paragraph(style=style)
    if text:
        paragraph.add_run(text).bold = bold or None
    if center:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    set_cell(ours, text, style=style, bold=bold, center=center)
    assert _xml(ours._tc) == _xml(theirs._tc)


def test_smileys_are_python_docx_s_pictures_once_numbered() -> None:
    theirs, ours = _document(), _document()
    smileys = [("grøn", "Grøn: nået"), ("rød", "Rød: ikke nået"), ("grøn", "Grøn: holdt")]
    for colour, alt in smileys:
        run = theirs.add_paragraph().add_run()
        shape = run.add_picture(io.BytesIO(picture(colour)), SIZE, SIZE)
        for properties in (shape._inline.docPr, *shape._inline.iter(qn("pic:cNvPr"))):
            properties.set("name", picture_name(colour))
            properties.set("descr", alt)
        add_picture(ours.add_paragraph(), colour, alt)
    number_drawings(ours.element.body)
    number_drawings(theirs.element.body)
    assert _xml(ours.element.body) == _xml(theirs.element.body)
    ids = [d.get("id") for d in ours.element.body.iter(qn("wp:docPr"))]
    assert ids == ["1", "2", "3"]
    assert len(ours.part.package.image_parts) == 2  # one part per picture, shared
