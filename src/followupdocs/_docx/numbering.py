"""List numbering and drawing ids: one place for the renderer and the forms.

Word numbers every paragraph of one numbering instance (w:num) as one list, so each run of
List Number paragraphs gets its own instance that restarts at 1; every drawing needs its own
id (wp:docPr/@id) or Word reports the document as damaged.
"""

from __future__ import annotations

from typing import Any

from docx.document import Document
from docx.oxml import parse_xml
from docx.oxml.ns import qn

__all__ = [
    "add_restarted_lists",
    "list_numbering",
    "num_ids",
    "num_pr",
    "number_drawings",
    "restart_lists",
]

_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def num_pr(num_id: int, *, declare: bool = False) -> str:
    """Return the w:numPr putting a paragraph in list `num_id`, level 0."""
    xmlns = f' xmlns:w="{_W}"' if declare else ""
    return f'<w:numPr{xmlns}><w:ilvl w:val="0"/><w:numId w:val="{num_id}"/></w:numPr>'


def num_ids(numbering: Any) -> list[int]:
    """Return the numbering ids a numbering part's root uses."""
    return [int(n.get(qn("w:numId"))) for n in numbering.iter(qn("w:num"))]


def number_drawings(root: Any) -> None:
    """Give every drawing under `root` its own id, from 1."""
    for number, doc_pr in enumerate(root.iter(qn("wp:docPr")), start=1):
        doc_pr.set("id", str(number))


def list_numbering(document: Document) -> tuple[str | None, str | None]:
    """Return the List Number style's id and its abstract numbering id, if the template has them."""
    styles = document.styles.element
    style_id = None
    for style in styles.iter(qn("w:style")):
        name = style.find(qn("w:name"))
        if name is not None and name.get(qn("w:val")) == "List Number":
            style_id = style.get(qn("w:styleId"))
            break
    if style_id is None:
        return None, None
    num_id = styles.get_by_id(style_id).find(f"{qn('w:pPr')}/{qn('w:numPr')}/{qn('w:numId')}")
    if num_id is None:
        return None, None
    try:
        numbering = document.part.numbering_part.element
    except NotImplementedError:  # no numbering part at all
        return None, None
    for num in numbering.iter(qn("w:num")):
        if num.get(qn("w:numId")) == num_id.get(qn("w:val")):
            return style_id, num.find(qn("w:abstractNumId")).get(qn("w:val"))
    return None, None


def add_restarted_lists(document: Document, num_ids: list[int], abstract: str) -> None:
    """Add a numbering instance per id, each restarting the List Number numbering at 1."""
    numbering = document.part.numbering_part.element
    for num_id in num_ids:
        numbering.append(
            parse_xml(
                f'<w:num xmlns:w="{_W}" w:numId="{num_id}"><w:abstractNumId w:val="{abstract}"/>'
                '<w:lvlOverride w:ilvl="0"><w:startOverride w:val="1"/></w:lvlOverride></w:num>'
            )
        )


def restart_lists(document: Document) -> None:
    """Give each run of List Number paragraphs its own numbering that starts at 1."""
    style_id, abstract = list_numbering(document)
    if style_id is None or abstract is None:
        return
    numbering = document.part.numbering_part.element
    next_num = max(num_ids(numbering), default=0)
    new: list[int] = []
    previous = None
    for p_style in list(document.element.body.iter(qn("w:pStyle"))):
        if p_style.get(qn("w:val")) != style_id:
            continue
        paragraph = p_style.getparent().getparent()
        if previous is None or paragraph.getprevious() is not previous:
            next_num += 1
            new.append(next_num)
        p_style.addnext(parse_xml(num_pr(next_num, declare=True)))
        previous = paragraph
    add_restarted_lists(document, new, abstract)
