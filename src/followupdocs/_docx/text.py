"""The text Word shows for an element, with tracked changes resolved as if accepted.

Like pandoc's ``--track-changes=accept`` and mammoth: text inside ``w:del`` and
``w:moveFrom`` is left out (it still sits in the file until someone accepts the change), text
inside ``w:ins`` and ``w:moveTo`` is read, and a paragraph whose mark was deleted runs on into
the next one. Hidden text (``w:vanish``, Font > Hidden) is left out too: Word shows it only with
formatting marks on, and never prints it. Every reader of Word documents (forms, committee
documents) reads through here.
"""

from __future__ import annotations

from typing import Any

__all__ = ["hidden_run", "visible_text", "whole_number"]

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
# Elements whose content Word does not show as text: tracked deletions and moves away, the
# properties of paragraphs, runs and controls (a w:tab there is a tab stop), field codes, and
# the fallback copy of a drawing (its text box is also in the mc:Choice).
_HIDDEN = frozenset(
    f"{_W}{name}"
    for name in (
        "del", "moveFrom", "delText", "delInstrText", "instrText",
        "pPr", "rPr", "sdtPr", "tblPr", "trPr", "tcPr", "sectPr",
    )
) | {f"{_MC}Fallback"}  # fmt: skip
_CHARACTERS = {f"{_W}tab": "\t", f"{_W}br": "\n", f"{_W}cr": "\n", f"{_W}noBreakHyphen": "-"}
_T, _P, _R = f"{_W}t", f"{_W}p", f"{_W}r"  # compared for every element read, so built once
_RPR, _VANISH = f"{_W}rPr", f"{_W}vanish"
_OFF = frozenset({"0", "false", "off"})
_PARAGRAPH_END = object()  # stands for a paragraph mark until the pieces are joined


def visible_text(element: Any) -> str:
    """Return the text Word shows in `element`: paragraphs and breaks as newlines."""
    pieces: list[object] = []
    _walk(element, pieces)
    if pieces and pieces[-1] is _PARAGRAPH_END:
        pieces.pop()  # the last paragraph's mark ends the text, it adds no line
    return "".join("\n" if piece is _PARAGRAPH_END else str(piece) for piece in pieces)


def _walk(element: Any, pieces: list[object]) -> None:
    for child in element:
        tag = child.tag
        if not isinstance(tag, str) or tag in _HIDDEN:
            continue  # comments and processing instructions have a function as their tag
        if tag == _T:
            pieces.append(child.text or "")
        elif tag == _R and hidden_run(child):
            continue
        elif tag in _CHARACTERS:
            pieces.append(_CHARACTERS[tag])
        else:
            _walk(child, pieces)
            if tag == _P and not _mark_deleted(child):
                pieces.append(_PARAGRAPH_END)


def hidden_run(run: Any) -> bool:
    """Tell whether a run is hidden text (Font > Hidden), which Word neither prints nor shows."""
    # A run's properties come first in it; asked for every run read, so no search beyond.
    if not len(run) or run[0].tag != _RPR:
        return False
    vanish = run[0].find(_VANISH)
    return vanish is not None and vanish.get(f"{_W}val", "true") not in _OFF


def _mark_deleted(paragraph: Any) -> bool:
    """Tell whether the paragraph's mark is a tracked deletion (or moved away)."""
    # The first pPr/rPr, as find("w:pPr/w:rPr") gives it, with lxml's C iterators: find()
    # runs in Python, and this is asked for every paragraph read.
    for properties in paragraph.iterchildren(f"{_W}pPr"):
        for marks in properties.iterchildren(f"{_W}rPr"):
            return next(marks.iterchildren(f"{_W}del", f"{_W}moveFrom"), None) is not None
    return False


def whole_number(text: str, digits: int) -> int | None:
    """Return `text` as a number if it is 1 to `digits` ASCII digits, else None.

    A number Word stores or a person types (a round, an outline level, "2." in a title) is a
    few digits. "²" is a digit to str.isdigit but no number to int(), and int() refuses one of
    over 4300 digits, so both are checked before it is asked.
    """
    if 0 < len(text) <= digits and text.isascii() and text.isdigit():
        return int(text)
    return None
