"""Edit rendered documents and filled forms as other programs and people do, in their XML.

Each edit takes word/document.xml's root and changes it in place, for docxedit.edited(); none
goes through followupdocs' own writer, so a test can disagree with the reader it checks.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

from lxml import etree

from docxedit import NS, cards, rows, w

__all__ = [
    "EDITS_SHOWING_THE_SAME",
    "hidden_run",
    "invisible_in_labels",
    "page_break_in_card",
    "table_of_contents",
    "text_box_in_cell",
    "wrapped",
]

Edit = Callable[[Any], None]
MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
WPS = "http://schemas.microsoft.com/office/word/2010/wordprocessingShape"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def _wrap(element: Any, tag: str) -> None:
    """Put `element` inside a w:sdt (its content) or a w:customXml, where it stood."""
    wrapper = etree.Element(w(tag))
    if tag == "sdt":
        etree.SubElement(wrapper, w("sdtPr"))
        inner = etree.SubElement(wrapper, w("sdtContent"))
    else:
        wrapper.set(w("element"), "indsats")
        inner = wrapper
    element.addprevious(wrapper)
    inner.append(element)


def wrapped(what: str, tag: str, depth: int = 1) -> Edit:
    """Return an edit that wraps every `what` (p, tbl, tr, tc) in `depth` `tag`s."""

    def edit(root: Any) -> None:
        for element in list(root.iter(w(what))):
            for _ in range(depth):
                _wrap(element, tag)

    return edit


EDITS_SHOWING_THE_SAME = {
    "row in a content control": wrapped("tr", "sdt"),
    "row in two content controls": wrapped("tr", "sdt", 2),
    "cell in two content controls": wrapped("tc", "sdt", 2),
    "table in a content control": wrapped("tbl", "sdt"),
    "paragraph in custom XML": wrapped("p", "customXml"),
    "table in custom XML": wrapped("tbl", "customXml"),
    "row in custom XML": wrapped("tr", "customXml"),
    "cell in custom XML": wrapped("tc", "customXml"),
}


def table_of_contents(root: Any) -> None:
    """Insert Word's table of contents (a building-block control) and a rich-text control
    around the first paragraph, as an editor of the committee document would."""
    body = root.find("w:body", NS)
    toc = etree.fromstring(
        f'<w:sdt xmlns:w="{NS["w"]}"><w:sdtPr><w:id w:val="-1"/><w:docPartObj>'
        '<w:docPartGallery w:val="Table of Contents"/><w:docPartUnique/></w:docPartObj>'
        "</w:sdtPr><w:sdtContent><w:p><w:r><w:t>Indhold</w:t></w:r></w:p></w:sdtContent></w:sdt>"
    )
    body.insert(0, toc)
    _wrap(body.findall("w:p", NS)[0], "sdt")


def _first_milestone_paragraph(root: Any) -> Any:
    """Return the first paragraph of the first card's first "Milepæl" row's text cell."""
    return rows(cards(root)[0])[2].findall("w:tc", NS)[1].find("w:p", NS)


def text_box_in_cell(root: Any) -> None:
    """Put a text box saying "Boks" at the end of the first milestone text (Word 2010's way)."""
    run = etree.SubElement(_first_milestone_paragraph(root), w("r"))
    choice = etree.SubElement(etree.SubElement(run, f"{{{MC}}}AlternateContent"), f"{{{MC}}}Choice")
    choice.set("Requires", "wps")
    box = etree.SubElement(etree.SubElement(choice, w("drawing")), f"{{{WPS}}}txbx")
    paragraph = etree.SubElement(etree.SubElement(box, w("txbxContent")), w("p"))
    etree.SubElement(etree.SubElement(paragraph, w("r")), w("t")).text = "Boks"


def hidden_run(root: Any) -> None:
    """Add a run of hidden text (Font > Hidden) to the first milestone text."""
    run = etree.SubElement(_first_milestone_paragraph(root), w("r"))
    etree.SubElement(etree.SubElement(run, w("rPr")), w("vanish"))
    etree.SubElement(run, w("t")).text = " Skjult note."


def invisible_in_labels(char: str) -> Edit:
    """Return an edit putting `char` into every layout word: "Mi<char>lepæl", "St<char>atus:"."""
    words = {"Milepæl", "Tid", "Smiley", "Økonomi", "Status:"}

    def edit(root: Any) -> None:
        for text in root.iter(w("t")):
            if (text.text or "").strip() in words:
                text.text = text.text[:2] + char + text.text[2:]

    return edit


def page_break_in_card(root: Any) -> None:
    """Cut the first card in two after its first "Milepæl" row with a page break paragraph."""
    table = cards(root)[0]
    second = etree.Element(w("tbl"))
    second.append(copy.deepcopy(table.find("w:tblPr", NS)))
    second.append(copy.deepcopy(table.find("w:tblGrid", NS)))
    for row in rows(table)[3:]:
        second.append(row)
    paragraph = etree.Element(w("p"))
    etree.SubElement(etree.SubElement(paragraph, w("r")), w("br")).set(w("type"), "page")
    table.addnext(paragraph)
    paragraph.addnext(second)


def attribute(tag: str, value: str, *, on_row: bool = False) -> Edit:
    """Return an edit setting w:gridSpan (on a cell) or w:gridBefore (on the first card's
    header row) to `value`, as a program that writes no schema-valid XML may."""

    def edit(root: Any) -> None:
        if on_row:
            row = rows(cards(root)[0])[0]
            properties = row.find("w:trPr", NS)
            if properties is None:
                properties = etree.Element(w("trPr"))
                row.insert(0, properties)
            etree.SubElement(properties, w(tag)).set(w("val"), value)
            return
        span = next(root.iter(w(tag)))
        span.set(w("val"), value)

    return edit


def heading_outline(value: str) -> Edit:
    """Return an edit giving the document's first paragraph w:outlineLvl `value`."""

    def edit(root: Any) -> None:
        paragraph = next(root.iter(w("p")))
        properties = paragraph.find("w:pPr", NS)
        if properties is None:
            properties = etree.Element(w("pPr"))
            paragraph.insert(0, properties)
        etree.SubElement(properties, w("outlineLvl")).set(w("val"), value)

    return edit


def title_text(text: str) -> Edit:
    """Return an edit replacing the title's text ("Anden opfølgning på ...") with `text`."""

    def edit(root: Any) -> None:
        title = next(t for t in root.iter(w("t")) if " opfølgning på " in (t.text or ""))
        title.text = text

    return edit


def symbol_smiley(code: str) -> Edit:
    """Return an edit making the first card's first smiley a Wingdings w:sym of char `code`."""

    def edit(root: Any) -> None:
        cell = rows(cards(root)[0])[2].findall("w:tc", NS)[-1]
        for paragraph in cell.findall("w:p", NS):
            cell.remove(paragraph)
        symbol = etree.SubElement(
            etree.SubElement(etree.SubElement(cell, w("p")), w("r")), w("sym")
        )
        symbol.set(w("font"), "Wingdings")
        symbol.set(w("char"), code)

    return edit


def first_bookmark_named(name: str) -> Edit:
    """Return an edit renaming the form's first bookmark (its title's) to `name`."""

    def edit(root: Any) -> None:
        next(root.iter(w("bookmarkStart"))).set(w("name"), name)

    return edit


def first_tag(value: str) -> Edit:
    """Return an edit setting the form's first control tag (its title's) to `value`."""

    def edit(root: Any) -> None:
        next(root.iter(w("tag"))).set(w("val"), value)

    return edit


def picture_of_others(alt: str) -> Edit:
    """Return an edit making the first card's first smiley a picture that is not ours (its
    image part unknown) with alt text `alt`, as one pasted from elsewhere."""

    def edit(root: Any) -> None:
        cell = rows(cards(root)[0])[2].findall("w:tc", NS)[-1]
        drawing = next(cell.iter(w("drawing")))
        for blip in drawing.iter("{http://schemas.openxmlformats.org/drawingml/2006/main}blip"):
            blip.set(f"{{{R}}}embed", "rIdElsewhere")
        for props in drawing.iter():
            if props.get("descr") is not None:
                props.set("descr", alt)
                props.set("name", "Billede 1")

    return edit


def _tagless_control(root: Any, index: int) -> Any:
    """Return a paragraph holding a control without a tag, a followupdocs bookmark starting in
    it (LibreOffice's way), its end not yet placed."""
    paragraph = etree.Element(w("p"))
    control = etree.SubElement(paragraph, w("sdt"))
    etree.SubElement(etree.SubElement(control, w("sdtPr")), w("text"))
    content = etree.SubElement(control, w("sdtContent"))
    start = etree.SubElement(content, w("bookmarkStart"))
    start.set(w("id"), str(90_000 + index))
    start.set(w("name"), f"fud_s2_n9_{index}")
    etree.SubElement(etree.SubElement(content, w("r")), w("t")).text = "x"
    return paragraph


def many_bookmarked_controls(count: int, spanning: int = 0) -> Edit:
    """Return an edit adding `count` tagless bookmarked controls at the top of the body; with
    `spanning`, all their bookmarks run on over the same `spanning` paragraphs after them."""

    def edit(root: Any) -> None:
        first = root.find("w:body", NS)[0]
        paragraphs = [_tagless_control(root, index) for index in range(count)]
        for _ in range(spanning):
            paragraph = etree.Element(w("p"))
            etree.SubElement(etree.SubElement(paragraph, w("r")), w("t")).text = "fyld"
            paragraphs.append(paragraph)
        for index in range(count):
            target = paragraphs[-1] if spanning else paragraphs[index]
            etree.SubElement(target, w("bookmarkEnd")).set(w("id"), str(90_000 + index))
        for paragraph in paragraphs:
            first.addprevious(paragraph)

    return edit
