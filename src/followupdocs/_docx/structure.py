"""Find template blocks whose two ends sit in different paragraphs, cells, rows or tables.

A block tag ({% if %}, {% for %}, ...) repeats or leaves out everything between its two ends,
XML included. That is only safe when both ends sit in the same paragraph or cell, in the same
kind of text: otherwise the document written is not well-formed XML, and neither Word nor
LibreOffice opens it. docxtpl's {%p %} and {%tr %} tags stand for whole paragraphs and rows,
so theirs are checked where the paragraph or row was: in the same cell, table or body.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import jinja2

from .places import Locator

__all__ = ["crossing_blocks"]

_TAG = re.compile(r"<(/?)([\w.:-]+)[^>]*?(/?)>")
# The elements a block must stay inside: where text, paragraphs, rows or cells are repeated.
_CONTAINERS = frozenset(
    [
        "w:p",
        "w:tc",
        "w:tr",
        "w:tbl",
        "w:body",
        "w:hdr",
        "w:ftr",
        "w:sdtContent",
        "w:txbxContent",
        "w:footnote",
        "w:endnote",
    ]
)
_OPENERS = frozenset(["for", "if", "macro", "call", "filter", "with", "block", "autoescape", "set"])
_MIDDLES = frozenset(("elif", "else"))
_ADVICE = (
    "a block must open and close in the same paragraph or cell; to repeat or leave out whole "
    "paragraphs use {%p ... %} tags, each alone in its paragraph, and for table rows "
    "{%tr ... %} tags, each alone in its row"
)
_INLINE_ADVICE = (
    "one end is inside a hyperlink, field or content control and the other is not; put both "
    "ends in the same plain text"
)


@dataclass(frozen=True)
class _Place:
    line: int
    container: int  # which paragraph, cell, row, table or body (a running number)
    path: tuple[str, ...]  # the elements open inside it


class _Elements:
    """The XML elements open at a point of the source, each with a running number."""

    def __init__(self) -> None:
        self.stack: list[tuple[str, int]] = []  # name, running number
        self._counter = 0

    def feed(self, data: str) -> None:
        """Open and close the elements of a stretch of XML."""
        for match in _TAG.finditer(data):
            closing, name, empty = match.groups()
            if closing:
                while self.stack and self.stack.pop()[0] != name:
                    pass
            elif not empty and not name.startswith(("?", "!")):
                self._counter += 1
                self.stack.append((name, self._counter))


def crossing_blocks(env: jinja2.Environment, source: str, where: Locator) -> list[str]:
    """Return a problem for each block whose ends are not in the same paragraph or cell."""
    problems: list[str] = []
    elements = _Elements()
    blocks: list[tuple[str, _Place]] = []  # the blocks open: keyword, where
    tokens = list(env.lex(source))
    for index, (line, kind, value) in enumerate(tokens):
        if kind == "data":
            elements.feed(value)
        if kind != "block_begin":
            continue
        keyword = next((v for _, k, v in tokens[index + 1 :] if k != "whitespace"), "")
        place = _place(line, elements.stack)
        if _opens(keyword, tokens, index):
            blocks.append((keyword, place))
        elif _continues(keyword) and blocks:
            opener, opened = blocks[-1] if keyword in _MIDDLES else blocks.pop()
            if keyword.startswith("end") and keyword[3:] != opener:
                break  # the parser reports pairs that do not match
            problems.append(_compare(opener, keyword, opened, place, where))
    return [problem for problem in problems if problem]


def _opens(keyword: str, tokens: list[tuple[int, str, str]], index: int) -> bool:
    """Return whether the block tag at `index` opens a block that has an end."""
    return keyword in _OPENERS and not (keyword == "set" and _assigns(tokens, index))


def _continues(keyword: str) -> bool:
    """Return whether a block tag continues or ends an open block (else, elif, end...)."""
    return keyword in _MIDDLES or keyword.startswith("end")


def _assigns(tokens: list[tuple[int, str, str]], index: int) -> bool:
    """Return whether the {% set %} tag at `index` assigns a value (and so has no end)."""
    for _, kind, value in tokens[index + 1 :]:
        if kind == "block_end":
            return False
        if kind == "operator" and value == "=":
            return True
    return False


def _place(line: int, stack: list[tuple[str, int]]) -> _Place:
    for depth in range(len(stack) - 1, -1, -1):
        if stack[depth][0] in _CONTAINERS:
            return _Place(line, stack[depth][1], tuple(n for n, _ in stack[depth + 1 :]))
    return _Place(line, 0, tuple(n for n, _ in stack))


def _compare(opener: str, keyword: str, opened: _Place, place: _Place, where: Locator) -> str:
    if opened.container == place.container and opened.path == place.path:
        return ""
    advice = _ADVICE if opened.container != place.container else _INLINE_ADVICE
    if keyword in _MIDDLES:
        return (
            f"the '{keyword}' of the '{opener}' opened at {where(opened.line)} is at "
            f"{where(place.line)}: {advice}"
        )
    return f"the '{opener}' opened at {where(opened.line)} closes at {where(place.line)}: {advice}"
