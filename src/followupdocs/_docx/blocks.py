"""Word building blocks of the forms: tables in the card's look, smiley images, clean finish.

The forms are built with python-docx on the default template's styles (not through docxtpl),
so they need their own small toolkit; it depends only on python-docx and the template's
built-in styles (Table Grid, List Bullet, List Number, Heading 1 and 2).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn

from .controls import PLACEHOLDER_STYLE
from .docprops import clean_package, set_properties
from .instrument import add_restarted_lists, list_numbering

__all__ = ["add_placeholder_style", "add_text", "finish"]

_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_STYLES = {"bullet": "List Bullet", "number": "List Number", "normal": None}


def add_text(cell: Any, paragraphs: Iterable[Mapping[str, str]]) -> None:
    """Add paragraphs ({"text", "kind"}) to a cell: Normal, List Bullet or List Number by kind."""
    for para in paragraphs:
        cell.add_paragraph(para["text"], style=_STYLES[para["kind"]])


def add_placeholder_style(document: Any) -> None:
    """Add Word's "Placeholder Text" character style if the template lacks it.

    Dark grey on white (7:1) rather than Word's lighter default grey, which is too faint.
    """
    styles = document.styles.element
    if styles.get_by_id(PLACEHOLDER_STYLE) is not None:
        return
    styles.append(
        parse_xml(
            f'<w:style {nsdecls("w")} w:type="character" w:styleId="{PLACEHOLDER_STYLE}">'
            '<w:name w:val="Placeholder Text"/><w:basedOn w:val="DefaultParagraphFont"/>'
            '<w:uiPriority w:val="99"/><w:semiHidden/>'
            '<w:rPr><w:color w:val="595959"/></w:rPr></w:style>'
        )
    )


def finish(document: Any, properties: Mapping[str, str]) -> None:
    """Number drawings uniquely, restart every numbered list at 1, set the properties."""
    for number, doc_pr in enumerate(document.element.body.iter(qn("wp:docPr")), start=1):
        doc_pr.set("id", str(number))
    _restart_lists(document)
    set_properties(document, properties)
    clean_package(document)


def _restart_lists(document: Any) -> None:
    """Give each run of List Number paragraphs its own numbering that starts at 1."""
    style_id, abstract = list_numbering(document)
    if style_id is None or abstract is None:
        return
    numbering = document.part.numbering_part.element
    next_num = max((int(n.get(qn("w:numId"))) for n in numbering.iter(qn("w:num"))), default=0)
    new: list[int] = []
    previous = None
    for p_style in list(document.element.body.iter(qn("w:pStyle"))):
        if p_style.get(qn("w:val")) != style_id:
            continue
        paragraph = p_style.getparent().getparent()
        if previous is None or paragraph.getprevious() is not previous:
            next_num += 1
            new.append(next_num)
        p_style.addnext(
            parse_xml(
                f'<w:numPr xmlns:w="{_W}"><w:ilvl w:val="0"/><w:numId w:val="{next_num}"/>'
                "</w:numPr>"
            )
        )
        previous = paragraph
    add_restarted_lists(document, new, abstract)
