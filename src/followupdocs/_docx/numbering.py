"""List numbering and drawing ids: one place for the renderer and the forms.

Word numbers every paragraph of one numbering instance (w:num) as one list, so each run of
List Number paragraphs gets its own instance that restarts at 1; every drawing needs its own
id (wp:docPr/@id) or Word reports the document as damaged.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from docx.document import Document
from docx.oxml import parse_xml
from docx.oxml.ns import qn

__all__ = [
    "ListStyle",
    "Restart",
    "add_restarted_lists",
    "list_numbering",
    "num_ids",
    "num_pr",
    "number_drawings",
    "restart_lists",
]

_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def num_pr(num_id: int, *, level: int = 0, declare: bool = False) -> str:
    """Return the w:numPr putting a paragraph in list `num_id`, at `level`."""
    xmlns = f' xmlns:w="{_W}"' if declare else ""
    return f'<w:numPr{xmlns}><w:ilvl w:val="{level}"/><w:numId w:val="{num_id}"/></w:numPr>'


def num_ids(numbering: Any) -> list[int]:
    """Return the numbering ids a numbering part's root uses."""
    return [int(n.get(qn("w:numId"))) for n in numbering.iter(qn("w:num"))]


def number_drawings(root: Any) -> None:
    """Give every drawing under `root` its own id, from 1."""
    for number, doc_pr in enumerate(root.iter(qn("wp:docPr")), start=1):
        doc_pr.set("id", str(number))


@dataclass(frozen=True)
class ListStyle:
    """The List Number style: its id, and the numbering instance (w:num) it points to."""

    style_id: str
    num_id: str


@dataclass
class Restart:
    """A list the render numbers afresh: its new instance, the one it copies, its levels."""

    num_id: int
    source: str  # the w:num whose abstract numbering (look) the list keeps
    levels: set[int] = field(default_factory=set)


def list_numbering(document: Document) -> tuple[ListStyle | None, dict[str, str]]:
    """Return the List Number style, if it numbers, and each w:num's abstract numbering."""
    try:
        numbering = document.part.numbering_part.element
    except NotImplementedError:  # no numbering part at all
        return None, {}
    abstracts = {}
    for num in numbering.iter(qn("w:num")):
        abstract = num.find(qn("w:abstractNumId"))
        if abstract is not None:
            abstracts[num.get(qn("w:numId"))] = abstract.get(qn("w:val"))
    styles = document.styles.element
    for style in styles.iter(qn("w:style")):
        name = style.find(qn("w:name"))
        if name is not None and name.get(qn("w:val")) == "List Number":
            num_id = style.find(f"{qn('w:pPr')}/{qn('w:numPr')}/{qn('w:numId')}")
            if num_id is None or num_id.get(qn("w:val")) not in abstracts:
                break
            return ListStyle(style.get(qn("w:styleId")), num_id.get(qn("w:val"))), abstracts
    return None, abstracts


def add_restarted_lists(document: Document, restarts: list[Restart]) -> None:
    """Add a numbering instance per list, restarting its source's numbering at 1 on its levels.

    A list keeps the look of the numbering its paragraphs carried in the template (the List
    Number style's, or their own, as a LibreOffice save writes it) and only counts afresh.
    """
    numbering = document.part.numbering_part.element
    _, abstracts = list_numbering(document)
    for restart in restarts:
        overrides = "".join(
            f'<w:lvlOverride w:ilvl="{level}"><w:startOverride w:val="1"/></w:lvlOverride>'
            for level in sorted(restart.levels or {0})
        )
        numbering.append(
            parse_xml(
                f'<w:num xmlns:w="{_W}" w:numId="{restart.num_id}">'
                f'<w:abstractNumId w:val="{abstracts[restart.source]}"/>{overrides}</w:num>'
            )
        )


def restart_lists(document: Document) -> None:
    """Give each run of List Number paragraphs its own numbering that starts at 1."""
    style, _ = list_numbering(document)
    if style is None:
        return
    numbering = document.part.numbering_part.element
    next_num = max(num_ids(numbering), default=0)
    new: list[Restart] = []
    previous = None
    for p_style in list(document.element.body.iter(qn("w:pStyle"))):
        if p_style.get(qn("w:val")) != style.style_id:
            continue
        paragraph = p_style.getparent().getparent()
        if previous is None or paragraph.getprevious() is not previous:
            next_num += 1
            new.append(Restart(next_num, style.num_id, {0}))
        p_style.addnext(parse_xml(num_pr(next_num, declare=True)))
        previous = paragraph
    add_restarted_lists(document, new)
