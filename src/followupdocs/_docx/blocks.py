"""Word building blocks of the forms: tables in the card's look, smiley images, clean finish.

The forms are built with python-docx on the default template's styles (not through docxtpl),
so they need their own small toolkit; it depends only on python-docx and the template's
built-in styles (Table Grid, List Bullet, List Number, Heading 1 and 2).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from docx.document import Document
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls
from docx.table import _Cell

from .controls import PLACEHOLDER_STYLE
from .docprops import clean_package, set_properties
from .numbering import number_drawings, restart_lists
from .tables import add_paragraph

__all__ = ["add_placeholder_style", "add_text", "finish"]

_STYLES = {"bullet": "List Bullet", "number": "List Number", "normal": None}


def add_text(cell: _Cell, paragraphs: Iterable[Mapping[str, str]]) -> None:
    """Add paragraphs ({"text", "kind"}) to a cell: Normal, List Bullet or List Number by kind."""
    for para in paragraphs:
        add_paragraph(cell, para["text"], _STYLES[para["kind"]])


def add_placeholder_style(document: Document) -> None:
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


def finish(document: Document, properties: Mapping[str, str]) -> None:
    """Number drawings uniquely, restart every numbered list at 1, set the properties."""
    number_drawings(document.element.body)
    restart_lists(document)
    set_properties(document, properties)
    clean_package(document)
