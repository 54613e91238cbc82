"""The block tags of a template's body in document order, each with where Word shows it.

docxtpl turns a {%p %} tag into a plain tag in place of its whole paragraph, and a {%tr %} tag
in place of its whole row: everything else in that paragraph or row is removed with it. So the
tags Jinja will see are collected here as docxtpl will leave them, and what is removed with
a {%p %} or {%tr %} tag is kept aside, for a warning.

Places are named as places.py names them: "paragraph N" for the body's paragraphs, "table N,
row R, cell C" in a table; the text of a text box belongs to the paragraph that holds the
box, and its fallback copy (the same text again, for older readers) is not read.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

__all__ = ["Removed", "Tag", "body_tags", "quote"]

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
_TAG = re.compile(r"\{%.*?%\}", re.DOTALL)
_VALUE = re.compile(r"\{\{.*?\}\}", re.DOTALL)
_KIND = re.compile(r"\{%(p|tr|tc|r) ")
_KEYWORD = re.compile(r"\{%(?:p |tr |tc |r )?-?\s*([A-Za-z_]\w*)")


def quote(text: str, limit: int = 60) -> str:
    """Return `text` shortened to `limit` characters, as the messages quote it."""
    text = " ".join(text.split()) if "\n" in text else text
    return text if len(text) <= limit else text[: limit - 3] + "..."


@dataclass(eq=False)
class Tag:
    """A block tag as docxtpl leaves it: {%p %}, {%tr %} or a plain {% %} tag."""

    text: str  # as typed: "{%p endfor %}"
    kind: str  # "p", "tr", "tc", "r", or "" for a plain tag
    keyword: str  # "for", "endfor", "elif", ...
    where: str  # "paragraph 12" or "table 3, row 4, cell 2"
    paragraph: Any  # the w:p it is in
    row: Any | None  # the w:tr it is in, if any
    said: str = ""  # the paragraph's text, quoted
    lost_in: str = ""  # "row" or "paragraph" when another tag's removal takes it along

    @property
    def place(self) -> str:
        """Where the tag is, with its paragraph's text: 'table 3, row 4 ("{%tr endfor %}")'."""
        if self.kind in ("tr", "tc") and self.row is not None:
            return f'{self.where.rsplit(", cell", 1)[0]} ("{self.said}")'
        return f'{self.where} ("{self.said}")'

    @property
    def scope(self) -> Any:
        """The element a block opened by this tag must close in: body, cell, table, paragraph."""
        if self.kind in ("tr", "tc") and self.row is not None:
            return self.row.getparent() if self.kind == "tr" else self.row
        if self.kind == "p":
            return self.paragraph.getparent()
        return self.paragraph


@dataclass
class Removed:
    """A {%p %} paragraph or {%tr %} row with more in it than its tag: all of it goes."""

    tag: Tag
    text: str  # the typed text removed with it
    tags: list[str] = field(default_factory=list)  # other tags removed with it


@dataclass
class _Paragraph:
    element: Any
    where: str
    row: Any | None
    text: str


def body_tags(document: Any) -> tuple[list[Tag], list[Removed], list[Tag]]:
    """Return the body's block tags as Jinja will see them, what goes with a {%p %} or {%tr %}
    tag, and the second {%p %} or {%tr %} tags of a paragraph or row (which docxtpl loses)."""
    paragraphs = list(_paragraphs(document.element.body))
    tags: list[Tag] = []
    removed: list[Removed] = []
    lost: list[Tag] = []
    rows: dict[Any, Removed] = {}
    for paragraph in paragraphs:
        found = [_tag(m.group(0), paragraph) for m in _TAG.finditer(paragraph.text)]
        row = rows.get(paragraph.row) if paragraph.row is not None else None
        if row is not None:  # in a row whose {%tr %} tag removes it: this goes too
            _remove(row, paragraph.text, found, lost)
            continue
        first = next((t for t in found if t.kind in ("tr", "tc")), None)
        if first is not None and paragraph.row is not None:
            rows[paragraph.row] = row = Removed(first, "")
            tags.append(first)
            _remove(row, paragraph.text.replace(first.text, " ", 1), found, lost)
            removed.append(row)
            continue
        first = next((t for t in found if t.kind == "p"), None)
        if first is None:
            tags += found
            continue
        tags.append(first)
        gone = Removed(first, "")
        _remove(gone, paragraph.text.replace(first.text, " ", 1), found, lost)
        removed.append(gone)
    return tags, [r for r in removed if r.text.strip() or r.tags], lost


def _remove(removed: Removed, text: str, found: list[Tag], lost: list[Tag]) -> None:
    """Record `text` and the tags in `found` (but the row's own) as removed with a tag."""
    for tag in found:
        if tag is removed.tag:
            continue
        text = text.replace(tag.text, " ", 1)
        if tag.kind == removed.tag.kind or (tag.kind, removed.tag.kind) == ("p", "tr"):
            tag.lost_in = "paragraph" if removed.tag.kind == "p" else "row"
            lost.append(tag)
        else:
            removed.tags.append(tag.text)
    removed.tags += _VALUE.findall(text)
    removed.text = " ".join(f"{removed.text} {_VALUE.sub(' ', text)}".split())


def _tag(text: str, paragraph: _Paragraph) -> Tag:
    kind = _KIND.match(text)
    keyword = _KEYWORD.match(text)
    return Tag(
        text,
        kind.group(1) if kind else "",
        keyword.group(1) if keyword else "",
        paragraph.where,
        paragraph.element,
        paragraph.row,
        quote(paragraph.text),
    )


def _paragraphs(body: Any) -> Iterator[_Paragraph]:
    """Yield the paragraphs of the body in document order, each with its place."""
    counter = {"paragraph": 0, "table": 0}
    for element, where, row in _walk(body, counter, None, None):
        yield _Paragraph(element, where, row, _own_text(element))


def _walk(
    element: Any, counter: dict[str, int], outer: str | None, row: Any | None
) -> Iterator[tuple[Any, str, Any | None]]:
    """Yield (paragraph, place, row) under `element`; `outer` is the place of an outer cell."""
    for child in element:
        tag = child.tag
        if not isinstance(tag, str) or tag == f"{_MC}Fallback":
            continue
        if tag == f"{_W}p":
            if outer is None:
                counter["paragraph"] += 1
            where = outer or f"paragraph {counter['paragraph']}"
            yield child, where, row
            yield from _walk_inside(child, counter, where, row)  # text boxes in it
        elif tag == f"{_W}tbl" and outer is None:
            counter["table"] += 1
            yield from _table(child, counter)
        elif tag == f"{_W}tr":  # a row of a table inside a cell: named by the outer cell
            yield from _walk(child, counter, outer, child)
        else:
            yield from _walk(child, counter, outer, row)


def _walk_inside(
    paragraph: Any, counter: dict[str, int], where: str, row: Any | None
) -> Iterator[tuple[Any, str, Any | None]]:
    for box in paragraph.iter(f"{_W}txbxContent"):
        if not any(a.tag == f"{_MC}Fallback" for a in box.iterancestors()):
            yield from _walk(box, counter, where, row)


def _table(table: Any, counter: dict[str, int]) -> Iterator[tuple[Any, str, Any | None]]:
    number = counter["table"]
    for r, row in enumerate(table.iterchildren(f"{_W}tr"), start=1):
        for c, cell in enumerate(row.iterchildren(f"{_W}tc"), start=1):
            yield from _walk(cell, counter, f"table {number}, row {r}, cell {c}", row)


def _own_text(paragraph: Any) -> str:
    """Return the text of the paragraph's own runs: not of text boxes in it, nor fallbacks."""
    pieces = []
    for t in paragraph.iter(f"{_W}t"):
        if not any(a.tag in (f"{_W}txbxContent", f"{_MC}Fallback") for a in _up_to(t, paragraph)):
            pieces.append(t.text or "")
    return "".join(pieces)


def _up_to(element: Any, top: Any) -> Iterator[Any]:
    for ancestor in element.iterancestors():
        if ancestor is top:
            return
        yield ancestor
