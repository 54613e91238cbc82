"""Table geometry shared by the template builder, the forms and the template check.

Word lays a table out from its cells' own widths (w:tcW), LibreOffice from the table grid
(w:tblGrid); python-docx issues #161 and #360. Every table we write therefore has each cell's
width equal to the grid columns it spans, so both programs draw the columns we designed.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from weakref import WeakKeyDictionary

from docx.document import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Cm, Length
from docx.table import Table, _Cell, _Row
from docx.text.paragraph import Paragraph
from docx.text.run import Run

__all__ = [
    "GREY",
    "TEMPLATE_CARD_CM",
    "add_paragraph",
    "add_run",
    "cell_spans",
    "clear",
    "fit_widths",
    "keep_with_next",
    "merge",
    "row_cells",
    "row_property",
    "row_text_size",
    "set_cell",
    "shade",
    "style_id",
    "table",
    "width_mismatches",
]

GREY = "D9D9D9"  # the header rows' shading
# The card's grid, the template's and the forms' alike: Milepæl label | text | kind | Tid |
# Smiley; 17 cm = A4 less 2 cm margins. The forms' smiley drop-down ("Vælg smiley") wraps
# onto two lines in the 1.8 cm column, as the centres' Word and LibreOffice show it.
TEMPLATE_CARD_CM = (2.0, 6.5, 3.2, 3.5, 1.8)

_TYPE = qn("w:type")
_W = qn("w:w")
_VAL = qn("w:val")


def _grid(tbl: Any) -> list[int]:
    return [int(col.get(_W) or 0) for col in tbl.findall(f"{qn('w:tblGrid')}/{qn('w:gridCol')}")]


def _row_before(tr: Any) -> int:
    before = tr.find(f"{qn('w:trPr')}/{qn('w:gridBefore')}")
    return int(before.get(_VAL) or 0) if before is not None else 0


def cell_spans(tbl: Any) -> Iterator[tuple[int, Any, int]]:
    """Yield (row number from 1, w:tc, the width in twips of the grid columns it spans)."""
    grid = _grid(tbl)
    for number, tr in enumerate(tbl.iterchildren(qn("w:tr")), start=1):
        column = _row_before(tr)
        for tc in tr.iterchildren(qn("w:tc")):
            span = tc.find(f"{qn('w:tcPr')}/{qn('w:gridSpan')}")
            count = int(span.get(_VAL) or 1) if span is not None else 1
            yield number, tc, sum(grid[column : column + count])
            column += count


def fit_widths(tbl: Any) -> None:
    """Give every cell the width of its grid columns, and the table a fixed layout.

    Fixed, not autofit: an autofit table lets Word widen a column for a long word or a
    drop-down and take the room from the others, which LibreOffice (it always follows the grid)
    never does; with a fixed layout both use exactly the widths written here, and Word lays out
    a long document faster, as it need not measure every cell's content first.
    """
    total = sum(_grid(tbl))
    tbl_pr = tbl.find(qn("w:tblPr"))
    for old in tbl_pr.findall(qn("w:tblW")) + tbl_pr.findall(qn("w:tblLayout")):
        tbl_pr.remove(old)
    _insert(tbl_pr, f'<w:tblW {nsdecls("w")} w:w="{total}" w:type="dxa"/>', _AFTER_TBL_W)
    _insert(tbl_pr, f'<w:tblLayout {nsdecls("w")} w:type="fixed"/>', _AFTER_TBL_LAYOUT)
    for _, tc, width in cell_spans(tbl):
        tc_pr = tc.get_or_add_tcPr()
        for old in tc_pr.findall(qn("w:tcW")):
            tc_pr.remove(old)
        tc_pr.insert(0, parse_xml(f'<w:tcW {nsdecls("w")} w:w="{width}" w:type="dxa"/>'))


def width_mismatches(tbl: Any) -> list[int]:
    """Return the rows (numbered from 1) where a cell's width differs from its grid columns.

    Only widths in twips are compared: an automatic or missing width makes no claim, and Word
    then follows the grid as LibreOffice does.
    """
    rows: list[int] = []
    for number, tc, width in cell_spans(tbl):
        tc_w = tc.find(f"{qn('w:tcPr')}/{qn('w:tcW')}")
        if tc_w is None or (tc_w.get(_TYPE) or "dxa") != "dxa":
            continue
        # Word rounds widths it converts from centimetres by a twip or two.
        if abs(int(tc_w.get(_W) or 0) - width) > 2 and number not in rows:
            rows.append(number)
    return rows


# tblPr's schema sequence: what may stand before tblW and before tblLayout.
_AFTER_TBL_W = ("tblStyle", "tblpPr", "tblOverlap", "bidiVisual", "tblStyleRowBandSize",
                "tblStyleColBandSize")  # fmt: skip
_AFTER_TBL_LAYOUT = (*_AFTER_TBL_W, "tblW", "jc", "tblCellSpacing", "tblInd", "tblBorders", "shd")


def _insert(parent: Any, xml: str, after: tuple[str, ...]) -> None:
    """Insert the element after the last child named in `after`, keeping the schema's order."""
    element = parse_xml(xml)
    index = 0
    for position, child in enumerate(parent):
        if isinstance(child.tag, str) and child.tag.split("}")[-1] in after:
            index = position + 1
    parent.insert(index, element)


def row_text_size(tr: Any) -> int:
    """Return a built row's size as the renderer counts it: characters plus a line a paragraph."""
    from .instrument import row_size  # the one measure, shared with the template's rows

    texts = ["".join(t.text or "" for t in p.iter(qn("w:t"))) for p in tr.iter(qn("w:p"))]
    return row_size(texts)


def keep_with_next(tr: Any) -> None:
    """Keep a row on the page of the next one: keep-with-next on each of its paragraphs.

    Word keeps a table row with the following row when its paragraphs are kept with the next;
    LibreOffice never leaves a repeating header row alone at the foot of a page anyway. So a
    card's header row never ends a page alone in either.
    """
    for p in tr.iter(qn("w:p")):
        p.get_or_add_pPr().keepNext_val = True


def table(document: Document, rows: int, widths_cm: tuple[float, ...]) -> Table:
    """Add a grid table with a grey header row that repeats on every page."""
    grid: Table = document.add_table(rows=rows, cols=len(widths_cm))
    grid._tbl.tblStyle_val = style_id(document.part, "Table Grid", WD_STYLE_TYPE.TABLE)
    grid.alignment = WD_TABLE_ALIGNMENT.CENTER
    grid.autofit = False
    for column, width in zip(grid.columns, widths_cm, strict=True):
        column.width = Cm(width)
    # Each cell's width set on its w:tc: python-docx's column.cells rebuilds the whole grid.
    for tr in grid._tbl.tr_lst:
        for tc, width in zip(tr.tc_lst, widths_cm, strict=True):
            tc.width = Cm(width)
    header = grid.rows[0]
    for cell in row_cells(header):
        shade(cell, GREY)
    row_property(header, "w:tblHeader")
    return grid


def row_cells(row: _Row) -> list[_Cell]:
    """Return a row's cells as `row.cells` does, a merged cell once for each column it spans.

    For the rows we build, which have no vertical merges; python-docx's `row.cells` looks for
    them in every cell, which made it a tenth of a form's time.
    """
    cells = []
    for tc in row._tr.tc_lst:
        cell = _Cell(tc, row.table)
        cells.extend([cell] * tc.grid_span)
    return cells


def merge(first: _Cell, last: _Cell) -> _Cell:
    """Merge `first`, `last` and the cells between them in one row into `first`; return it.

    The XML is what python-docx's `first.merge(last)` writes for the empty cells of a new
    row, but without its checks that the span is a rectangle, which walk the whole table for
    every merge (a third of a form's time). Only empty cells are swallowed.
    """
    tc, end = first._tc, last._tc
    if tc is end:
        return first
    if end not in tc.itersiblings(qn("w:tc")):
        raise ValueError("merge joins the cells of one row, left to right")
    swallowed = []
    for sibling in tc.itersiblings():
        content = [child for child in sibling if child.tag != qn("w:tcPr")]
        empty = len(content) == 1 and content[0].tag == qn("w:p") and not len(content[0])
        if sibling.tag != qn("w:tc") or not empty:
            raise ValueError("merge swallows only empty cells")
        swallowed.append(sibling)
        if sibling is end:
            break
    for sibling in swallowed:  # checked first, so a refused merge changes nothing
        if tc.width and sibling.width:
            tc.width = Length(tc.width + sibling.width)
        tc.grid_span += sibling.grid_span
        tc.getparent().remove(sibling)
    return first


# python-docx looks a style up by name on every assignment, scanning all of the template's
# styles twice (by name, then for the default style); each document's ids are looked up once.
_STYLE_IDS: WeakKeyDictionary[Any, dict[tuple[str, WD_STYLE_TYPE], str | None]]
_STYLE_IDS = WeakKeyDictionary()


def style_id(part: Any, name: str, kind: WD_STYLE_TYPE = WD_STYLE_TYPE.PARAGRAPH) -> str | None:
    """Return the id python-docx writes for style `name` in a document part (None: default)."""
    ids = _STYLE_IDS.setdefault(part, {})
    if (name, kind) not in ids:
        ids[name, kind] = part.get_style_id(name, kind)
    return ids[name, kind]


def add_paragraph(container: Any, text: str = "", style: str | None = None) -> Paragraph:
    """Add a paragraph to a document or cell, as `container.add_paragraph(text, style)` does."""
    paragraph: Paragraph = container.add_paragraph()
    if text:
        add_run(paragraph, text)
    if style is not None:
        paragraph._p.style = style_id(paragraph.part, style)
    return paragraph


_BREAKS = frozenset("\t\r\n")  # what python-docx writes as w:tab and w:br, not as text


def add_run(paragraph: Paragraph, text: str, *, bold: bool = False) -> Run:
    """Add a run of `text`, bold or not, as python-docx's `paragraph.add_run(text)` does.

    Faster where python-docx is slow: its text setter sends each character through a state
    machine looking for tabs and line breaks, and `run.bold = True` searches the forty-odd
    run properties w:b must precede; a new run has none, so w:b simply goes in.
    """
    run = paragraph.add_run()
    if bold:
        run._r.get_or_add_rPr().append(OxmlElement("w:b"))
    if _BREAKS.isdisjoint(text):
        if text:
            run._r.add_t(text)  # one w:t, space-preserving where it must be
    else:
        run.text = text
    return run


def clear(cell: _Cell) -> None:
    """Remove every paragraph of a cell."""
    for paragraph in list(cell._tc.findall(qn("w:p"))):
        cell._tc.remove(paragraph)


def set_cell(
    cell: _Cell, text: str, *, style: str | None = None, bold: bool = False, center: bool = False
) -> Paragraph:
    """Replace a cell's content by one paragraph of `text`; return the paragraph."""
    clear(cell)
    paragraph = add_paragraph(cell, style=style)
    if text:
        run = add_run(paragraph, text, bold=bold)
        run._r.get_or_add_rPr()  # python-docx's run.bold = None left an empty w:rPr: keep it
    if center:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    return paragraph


def shade(cell: _Cell, fill: str) -> None:
    """Give a cell a background colour."""
    tc_pr = cell._tc.get_or_add_tcPr()
    if tc_pr.find(qn("w:shd")) is not None:  # a merged cell is listed once per grid column
        return
    shd = parse_xml(f'<w:shd {nsdecls("w")} w:val="clear" w:color="auto" w:fill="{fill}"/>')
    tc_pr.insert_element_before(
        shd, "w:noWrap", "w:tcMar", "w:textDirection", "w:tcFitText", "w:vAlign", "w:hideMark"
    )


def row_property(row: _Row, tag: str) -> None:
    """Add an empty row property such as w:tblHeader or w:cantSplit."""
    row._tr.get_or_add_trPr().append(OxmlElement(tag))
