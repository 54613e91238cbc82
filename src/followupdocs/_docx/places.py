"""Name places in a Word template the way its maintainer finds them in Word.

Before docxtpl preprocesses a part, a numbered marker goes in front of every paragraph, table,
row and cell, and each is described from the XML as Word shows it (paragraphs and tables
counted from the top, rows and cells within their table). docxtpl's preprocessing removes the
{%p %} paragraphs and {%tr %} rows, but each marker that survives still names the element its
line came from, so a Jinja line number leads back to what the maintainer sees.
"""

from __future__ import annotations

import html
import re

__all__ = ["Locator", "mark", "unmark"]

_ELEMENT = re.compile(r"<w:(?:p|tbl|tr|tc|txbxContent)(?=[ >/])|</w:(?:tbl|txbxContent)>")
_MARK = re.compile(r"<!--fd(\d+)-->")
_TEXT = re.compile(r"<w:t(?: [^>]*)?>([^<]*)</w:t>")


def mark(xml: str) -> tuple[str, list[str]]:
    """Return `xml` with a marker and a line break before each element, and their places."""
    out: list[str] = []
    places: list[str] = []
    last = 0
    counter = _Counter()
    for match in _ELEMENT.finditer(xml):
        tag = match.group(0)
        if tag.startswith("</"):
            counter.leave(tag)
            continue
        if tag == "<w:txbxContent":
            counter.enter_box()
            continue
        where = counter.enter(tag[3:])
        out += [xml[last : match.start()], f"\n<!--fd{len(places)}-->"]
        places.append(f'{where} ("{_text(xml, match.start())}")')
        last = match.start()
    out.append(xml[last:])
    return "".join(out), places


class _Counter:
    """Count the body's paragraphs and its tables' rows and cells, as a reader names them.

    A text box's paragraphs are not counted: Word stores its text twice (the text box and a
    fallback copy for older readers), and a reader sees it inside the paragraph or cell that
    holds it, which names it here too.
    """

    def __init__(self) -> None:
        self.depth = self.table = self.row = self.cell = self.paragraph = 0
        self.boxes = 0  # text boxes open
        self.box_place = ""  # the place of the paragraph or cell holding the text box

    def enter_box(self) -> None:
        if self.boxes == 0:
            self.box_place = self._where("p")
        self.boxes += 1

    def leave(self, tag: str) -> None:
        """Count the end of a table or a text box."""
        if tag == "</w:txbxContent>":
            self.boxes -= 1
        elif self.boxes == 0:
            self.depth -= 1

    def enter(self, kind: str) -> str:
        """Count an element of `kind` (p, tbl, tr or tc) opening; return its place."""
        if self.boxes:
            return self.box_place
        if kind == "tbl":
            self.depth += 1
            if self.depth == 1:
                self.table, self.row = self.table + 1, 0
        elif kind == "tr" and self.depth == 1:
            self.row, self.cell = self.row + 1, 0
        elif kind == "tc" and self.depth == 1:
            self.cell += 1
        elif kind == "p" and self.depth == 0:
            self.paragraph += 1
        return self._where(kind)

    def _where(self, kind: str) -> str:
        if self.depth == 0:
            return f"paragraph {self.paragraph}"
        if kind == "tbl" and self.depth == 1:
            return f"table {self.table}"
        if kind == "tr" and self.depth == 1:
            return f"table {self.table}, row {self.row}"
        return f"table {self.table}, row {self.row}, cell {self.cell}"


def _text(xml: str, start: int) -> str:
    """Return the visible text of the first paragraph from `start`, shortened."""
    end = xml.find("</w:p>", start)
    text = html.unescape("".join(_TEXT.findall(xml, start, end if end >= 0 else len(xml))))
    return text if len(text) <= 60 else text[:57] + "..."


def unmark(xml: str) -> tuple[str, list[int | None]]:
    """Return `xml` without markers, and for each of its lines the element it came from."""
    lines = []
    origins: list[int | None] = []
    current: int | None = None
    for line in xml.split("\n"):
        found = _MARK.match(line)
        if found:
            current = int(found.group(1))
        lines.append(_MARK.sub("", line))
        origins.append(current)
    return "\n".join(lines), origins


class Locator:
    """Name the place of a line of a compiled part.

    `label` is how Word names a header or footer part ("the footer"); a place there is
    prefixed with it. The body's places have no prefix.
    """

    def __init__(
        self, part: str, places: list[str], origins: list[int | None], label: str = ""
    ) -> None:
        self.part = part
        self.places = places
        self.origins = origins
        self.label = "" if part == "word/document.xml" else label or part

    def __call__(self, lineno: int | None) -> str:
        prefix = f"{self.label}, " if self.label else ""
        if not lineno or lineno > len(self.origins) or self.origins[lineno - 1] is None:
            return self.label or self.part
        return prefix + self.places[self.origins[lineno - 1]]  # type: ignore[index]
