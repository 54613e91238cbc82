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

_ELEMENT = re.compile(r"<w:(?:p|tbl|tr|tc)(?=[ >/])|</w:tbl>")
_MARK = re.compile(r"<!--fd(\d+)-->")
_TEXT = re.compile(r"<w:t(?: [^>]*)?>([^<]*)</w:t>")


def mark(xml: str) -> tuple[str, list[str]]:
    """Return `xml` with a marker and a line break before each element, and their places."""
    out: list[str] = []
    places: list[str] = []
    last = depth = table = row = cell = paragraph = 0
    for match in _ELEMENT.finditer(xml):
        tag = match.group(0)
        if tag == "</w:tbl>":
            depth -= 1
            continue
        kind = tag[3:]
        if kind == "tbl":
            depth += 1
            if depth == 1:
                table, row = table + 1, 0
        elif kind == "tr" and depth == 1:
            row, cell = row + 1, 0
        elif kind == "tc" and depth == 1:
            cell += 1
        elif kind == "p" and depth == 0:
            paragraph += 1
        if depth == 0:
            where = f"paragraph {paragraph}"
        elif kind == "tbl" and depth == 1:
            where = f"table {table}"
        elif kind == "tr" and depth == 1:
            where = f"table {table}, row {row}"
        else:
            where = f"table {table}, row {row}, cell {cell}"
        out += [xml[last : match.start()], f"\n<!--fd{len(places)}-->"]
        places.append(f'{where} ("{_text(xml, match.start())}")')
        last = match.start()
    out.append(xml[last:])
    return "".join(out), places


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
    """Name the place of a line of a compiled part."""

    def __init__(self, part: str, places: list[str], origins: list[int | None]) -> None:
        self.part = part
        self.places = places
        self.origins = origins

    def __call__(self, lineno: int | None) -> str:
        prefix = "" if self.part == "word/document.xml" else f"{self.part}, "
        if not lineno or lineno > len(self.origins) or self.origins[lineno - 1] is None:
            return prefix.rstrip(", ") or self.part
        return prefix + self.places[self.origins[lineno - 1]]  # type: ignore[index]
