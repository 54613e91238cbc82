"""Paragraph styles and numbering as the body reader needs them: a paragraph's list kind and
heading level. Also the element look-ups the reader makes by the hundred thousand, kept cheap.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from typing import Any

from docx.oxml import ns

from .text import whole_number

__all__ = ["Styles", "first_child", "qn"]

# python-docx's qn() splits and formats its argument on every call, and reading a 300-card
# document asks for a name some 400,000 times; the names read here are few, so keep them.
qn = functools.cache(ns.qn)

_HEADING = re.compile(r"^(?:heading|overskrift)\s*(\d)$", re.IGNORECASE)


def first_child(element: Any, tag: str) -> Any:
    """Return the first child `tag` of `element`, None if it has none.

    The same as element.find(tag), which lxml answers in Python (its ElementPath) at several
    times the cost of this C iterator; the reader asks this some 100,000 times a document.
    """
    return next(element.iterchildren(tag), None)


class Styles:
    """Paragraph styles and numbering: what list kind and heading level a paragraph has."""

    def __init__(self, styles: Any, numbering: Any) -> None:
        self.names: dict[str, str] = {}
        self.based: dict[str, str] = {}
        self.num: dict[str, tuple[str, str]] = {}  # style id -> (numId, ilvl)
        self.outline: dict[str, int] = {}
        self.style_kinds: dict[str, str] = {}  # style id -> its list kind, as worked out
        self.style_headings: dict[str, int | None] = {}  # style id -> its heading level
        for style in [] if styles is None else styles.iter(qn("w:style")):
            self._add_style(style)
        self.formats: dict[tuple[str, str], str] = {}
        if numbering is not None:
            self._add_numbering(numbering)

    def _add_style(self, style: Any) -> None:
        sid = style.get(qn("w:styleId")) or ""
        name = first_child(style, qn("w:name"))
        self.names[sid] = (name.get(qn("w:val")) if name is not None else None) or sid
        based = first_child(style, qn("w:basedOn"))
        if based is not None:
            self.based[sid] = based.get(qn("w:val")) or ""
        ppr = first_child(style, qn("w:pPr"))
        if ppr is None:
            return
        num = _num_pr(ppr)
        if num is not None:
            self.num[sid] = num
        level = _outline(ppr)
        if level is not None:
            self.outline[sid] = level

    def _add_numbering(self, numbering: Any) -> None:
        abstract: dict[str, dict[str, str]] = {}
        for item in numbering.iter(qn("w:abstractNum")):
            levels = {}
            for lvl in item.iter(qn("w:lvl")):
                fmt = first_child(lvl, qn("w:numFmt"))
                levels[lvl.get(qn("w:ilvl")) or "0"] = (
                    fmt.get(qn("w:val")) or "" if fmt is not None else "decimal"
                )
            abstract[item.get(qn("w:abstractNumId")) or ""] = levels
        for num in numbering.iter(qn("w:num")):
            ref = first_child(num, qn("w:abstractNumId"))
            levels = abstract.get(ref.get(qn("w:val")) if ref is not None else "", {})
            for level, fmt in levels.items():
                self.formats[(num.get(qn("w:numId")) or "", level)] = fmt

    def _chain(self, sid: str) -> Iterator[str]:
        seen = set()
        while sid and sid not in seen:
            seen.add(sid)
            yield sid
            sid = self.based.get(sid, "")

    def list_kind(self, sid: str, ppr: Any) -> str:
        """Return "bullet", "number" or "" for a paragraph of style `sid` with properties `ppr`."""
        num = _num_pr(ppr) if ppr is not None else None
        if num is not None:
            return self._list_kind(sid, num)
        # Most paragraphs take it from their style alone: work that out once for each style.
        if sid not in self.style_kinds:
            self.style_kinds[sid] = self._list_kind(sid, None)
        return self.style_kinds[sid]

    def _list_kind(self, sid: str, num: tuple[str, str] | None) -> str:
        for parent in self._chain(sid):
            if num is not None:
                break
            num = self.num.get(parent)
        if num is not None:
            if num[0] in ("", "0"):
                return ""
            fmt = self.formats.get(num, self.formats.get((num[0], "0")))
            if fmt is not None:
                return "" if fmt == "none" else ("bullet" if fmt == "bullet" else "number")
        name = self.names.get(sid, sid).casefold()
        if name.startswith("list bullet"):
            return "bullet"
        if name.startswith("list number"):
            return "number"
        return ""

    def heading(self, sid: str, ppr: Any) -> int | None:
        """Return the heading level of a paragraph, None if it is no heading."""
        value = _outline(ppr) if ppr is not None else None
        if value is not None:
            return value if value <= 9 else None
        if sid not in self.style_headings:  # as for list_kind: once for each style
            self.style_headings[sid] = self._style_heading(sid)
        return self.style_headings[sid]

    def _style_heading(self, sid: str) -> int | None:
        for parent in self._chain(sid):
            found = _HEADING.match(self.names.get(parent, parent)) or _HEADING.match(parent)
            if found:
                return int(found.group(1))
            if parent in self.outline:
                return self.outline[parent]
        return None


def _outline(ppr: Any) -> int | None:
    """Return the outline level from 1 that `ppr` gives (w:outlineLvl), None if none.

    Word's levels are 0 to 9; three digits are plenty to tell one from no heading.
    """
    level = first_child(ppr, qn("w:outlineLvl"))
    value = whole_number(level.get(qn("w:val")) or "", 3) if level is not None else None
    return value + 1 if value is not None else None


def _num_pr(ppr: Any) -> tuple[str, str] | None:
    num = first_child(ppr, qn("w:numPr"))
    if num is None:
        return None
    num_id = first_child(num, qn("w:numId"))
    ilvl = first_child(num, qn("w:ilvl"))
    return (
        num_id.get(qn("w:val")) or "" if num_id is not None else "",
        ilvl.get(qn("w:val")) or "0" if ilvl is not None else "0",
    )
