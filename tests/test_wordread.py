"""The Word body reader on the cases its shortcuts must not change: style facts worked out once a
style yet a paragraph's own numbering and outline level still deciding, and marks inside
tracked deletions (in the paragraph, or above it around a text box) left out.

The package is a few lines of XML, read with the same parser read_document uses.
"""

from __future__ import annotations

from typing import Any

from lxml import etree

from followupdocs._docx.wordread import Mark, read_body

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
WP = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"
A = "http://schemas.openxmlformats.org/drawingml/2006/main"
WPS = "http://schemas.microsoft.com/office/word/2010/wordprocessingShape"

STYLES = f"""<w:styles xmlns:w="{W}">
  <w:style w:type="paragraph" w:styleId="Normal"><w:name w:val="Normal"/></w:style>
  <w:style w:type="paragraph" w:styleId="Overskrift1"><w:name w:val="heading 1"/>
    <w:basedOn w:val="Normal"/></w:style>
  <w:style w:type="paragraph" w:styleId="Punkt"><w:name w:val="Punkt"/>
    <w:pPr><w:numPr><w:numId w:val="2"/></w:numPr></w:pPr></w:style>
</w:styles>"""
NUMBERING = f"""<w:numbering xmlns:w="{W}">
  <w:abstractNum w:abstractNumId="1"><w:lvl w:ilvl="0"><w:numFmt w:val="bullet"/></w:lvl>
  </w:abstractNum>
  <w:abstractNum w:abstractNumId="2"><w:lvl w:ilvl="0"><w:numFmt w:val="decimal"/></w:lvl>
  </w:abstractNum>
  <w:num w:numId="1"><w:abstractNumId w:val="1"/></w:num>
  <w:num w:numId="2"><w:abstractNumId w:val="2"/></w:num>
</w:numbering>"""


def _parse(data: bytes) -> Any:
    return etree.fromstring(data, etree.XMLParser(remove_blank_text=True, resolve_entities=False))


def _cells(xml: str) -> list[Any]:
    (table,) = [block.table for block in _blocks(xml)]
    return [para for row in table.rows for cell in row.cells for para in cell.paras]


def _body(xml: str) -> list[Any]:
    return [block.para for block in _blocks(xml)]


def _blocks(xml: str) -> list[Any]:
    document = (
        f'<w:document xmlns:w="{W}" xmlns:wp="{WP}" xmlns:a="{A}" xmlns:wps="{WPS}">'
        f"<w:body>{xml}</w:body></w:document>"
    )
    parts = {
        "word/document.xml": document.encode(),
        "word/styles.xml": STYLES.encode(),
        "word/numbering.xml": NUMBERING.encode(),
    }
    return read_body(parts, _parse).blocks


def _p(text: str, ppr: str = "") -> str:
    return f"<w:p><w:pPr>{ppr}</w:pPr><w:r><w:t>{text}</w:t></w:r></w:p>"


def test_a_paragraphs_own_numbering_and_level_decide_before_its_style() -> None:
    bullet = '<w:numPr><w:ilvl w:val="0"/><w:numId w:val="1"/></w:numPr>'
    paras = _body(
        _p("a", bullet)
        + _p("b")
        + _p("c", '<w:pStyle w:val="Punkt"/>' + bullet)
        + _p("d", '<w:pStyle w:val="Punkt"/>')
        + _p("e", '<w:pStyle w:val="Overskrift1"/><w:outlineLvl w:val="2"/>')
        + _p("f", '<w:pStyle w:val="Overskrift1"/>')
        + _p("g", '<w:pStyle w:val="Punkt"/><w:outlineLvl w:val="0"/>')
    )
    assert [(p.text, p.list_kind, p.heading) for p in paras] == [
        ("a", "bullet", None),
        ("b", "", None),
        ("c", "bullet", None),
        ("d", "number", None),
        ("e", "", 3),
        ("f", "", 1),
        ("g", "number", 1),
    ]
    assert [p.style for p in paras] == ["", "", "Punkt", "Punkt", "heading 1", "heading 1", "Punkt"]


def _sym(char: str) -> str:
    return f'<w:r><w:sym w:font="Wingdings" w:char="{char}"/></w:r>'


def test_marks_in_tracked_deletions_are_left_out() -> None:
    text_box = (
        "<w:r><w:drawing><wp:inline><wp:docPr id='1' name='Boks'/><a:graphic><a:graphicData>"
        "<wps:wsp><wps:txbx><w:txbxContent>"
        f"<w:p>{_sym('F04C')}</w:p>"
        "</w:txbxContent></wps:txbx></wps:wsp></a:graphicData></a:graphic></wp:inline>"
        "</w:drawing></w:r>"
    )
    shown = f"<w:p><w:del>{text_box}</w:del>{_sym('F04B')}</w:p>"
    cell = f"<w:tbl><w:tr><w:tc>{shown}</w:tc></w:tr></w:tbl>"
    # In a cell, the text box's paragraph is read within the cell's paragraph that holds it
    # (not again as one of the cell's own), and its deleted symbol is left out.
    assert [p.marks for p in _cells(cell)] == [(Mark("symbol", font="Wingdings", char="\uf04b"),)]
    paras = _body(
        f"<w:p>{_sym('F04A')}<w:del>{_sym('F04B')}</w:del><w:ins>{_sym('004C')}</w:ins></w:p>"
        f"<w:p><w:del>{text_box}</w:del>{_sym('F04B')}</w:p>"
        '<w:p><w:r><w:rPr><w:rFonts w:ascii=" WingDings "/></w:rPr><w:t>J</w:t></w:r>'
        "<w:r><w:t>x\uf04ay</w:t></w:r></w:p>"
    )
    assert [p.marks for p in paras] == [
        (
            Mark("symbol", font="Wingdings", char="\uf04a"),
            Mark("symbol", font="Wingdings", char="\uf04c"),
        ),
        (Mark("symbol", font="Wingdings", char="\uf04b"),),
        (Mark("symbol", font="wingdings", char="J"), *(Mark("symbol", char=c) for c in "x\uf04ay")),
    ]
