"""Find tracked changes and comments in a template, which would reach every document.

With Track Changes on, a tag a maintainer replaced stays in the file as deleted text, and
docxtpl fills it in all the same; every card then shows the revision. A comment's anchor in
a repeated row would be copied once per card under one id, which Word calls unreadable.
"""

from __future__ import annotations

from typing import Any

from docx.oxml.ns import qn

from .hdrftr import stories

__all__ = ["revision_problems"]

_TRACKED = {qn(f"w:{name}") for name in ("ins", "del", "moveFrom", "moveTo")}
_COMMENTS = {qn(f"w:{name}") for name in ("commentRangeStart", "commentReference")}
_ACCEPT = (
    "accept or reject all changes first (Review > Accept > Accept All Changes), turn Track "
    "Changes off, and save"
)
_DELETE = "delete them first (Review > Delete > Delete All Comments in Document) and save"


def revision_problems(document: Any) -> list[str]:
    """Return a problem for tracked changes and one for comments, in the body or elsewhere."""
    body = document.element.body
    problems = _found(body, _TRACKED, "tracked change", _ACCEPT, lambda e: _place(body, e))
    problems += _found(body, _COMMENTS, "comment", _DELETE, lambda e: _place(body, e))
    for where, element in list(stories(document))[1:]:  # the headers and footers
        problems += _found(element, _TRACKED, "tracked change", _ACCEPT, lambda e, w=where: w)
        problems += _found(element, _COMMENTS, "comment", _DELETE, lambda e, w=where: w)
    return problems


def _found(root: Any, tags: set[str], what: str, todo: str, place: Any) -> list[str]:
    marks = [element for element in root.iter() if element.tag in tags]
    if what == "comment":  # a comment has a start and a reference: count each comment once
        marks = [m for m in marks if m.tag == qn("w:commentReference")] or marks
    if not marks:
        return []
    count = f"{len(marks)} {what}{'' if len(marks) == 1 else 's'}"
    return [f"{place(marks[0])}: the template holds {count} (the first here); {todo}"]


def _place(body: Any, element: Any) -> str:
    """Name where `element` is, as Word shows it: paragraph N, or table N, row R, cell C."""
    top, row, cell = element, None, None
    while top.getparent() is not None and top.getparent() is not body:
        if top.tag == qn("w:tc"):
            cell = top
        elif top.tag == qn("w:tr"):
            row = top
        top = top.getparent()
    if top.tag == qn("w:tbl"):
        table = sum(1 for c in body.iterchildren(qn("w:tbl")) if _before(c, top)) + 1
        where = f"table {table}"
        if row is not None:
            where += f", row {list(top.iterchildren(qn('w:tr'))).index(row) + 1}"
            if cell is not None:
                where += f", cell {list(row.iterchildren(qn('w:tc'))).index(cell) + 1}"
        return where
    paragraph = sum(1 for c in body.iterchildren(qn("w:p")) if _before(c, top)) + 1
    return f"paragraph {paragraph}"


def _before(candidate: Any, element: Any) -> bool:
    """Tell whether `candidate` stands before `element` among its siblings."""
    parent = element.getparent()
    return bool(parent.index(candidate) < parent.index(element))
