"""Warnings about a template that renders, but not the way its maintainer will expect.

A warning never stops a render: the document is valid, only its layout or its behaviour in
Word differs from what the template seems to promise. Each check takes the template as
python-docx reads it and returns plain-language warnings, located as Word shows the place
("table 3, row 4").
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Any

from docx.oxml.ns import qn

from .tables import width_mismatches
from .tags import body_tags, quote

__all__ = ["CHECKS", "lint"]

_ROW_TAG = re.compile(r"^\s*\{%\s*tr\b.*%\}\s*$", re.DOTALL)


def _tables(document: Any) -> Iterator[tuple[int, Any]]:
    """Yield the body's tables numbered from 1, as check-template numbers them."""
    tables = document.element.body.iterchildren(qn("w:tbl"))
    yield from enumerate(tables, start=1)


def cell_widths(document: Any) -> list[str]:
    """Warn where a row's cell widths disagree with the table's columns."""
    warnings = []
    for t, table in _tables(document):
        rows = list(table.iterchildren(qn("w:tr")))
        for r in width_mismatches(table):
            if _ROW_TAG.match(_text(rows[r - 1])):
                continue  # a {%tr %} row is not printed; its widths do not matter
            warnings.append(
                f"table {t}, row {r}: the cells' widths differ from the table's column widths, "
                "so Word (which follows the cells) and LibreOffice and the PDF (which follow "
                "the columns) lay the table out differently; in Word, select the table and set "
                "each column's width under Table Properties > Column"
            )
    return warnings


def _text(element: Any) -> str:
    return "".join(t.text or "" for t in element.iter(qn("w:t")))


def unsplittable_text_rows(document: Any) -> list[str]:
    """Warn about rows that print agreement texts but are set never to break across pages."""
    warnings = []
    for t, table in _tables(document):
        for r, row in enumerate(table.iterchildren(qn("w:tr")), start=1):
            split = row.find(f"{qn('w:trPr')}/{qn('w:cantSplit')}")
            if split is None or split.get(qn("w:val")) in ("0", "false", "off"):
                continue
            text = _text(row)
            if ("{{" in text or "{%" in text) and not _ROW_TAG.match(text):
                warnings.append(
                    f"table {t}, row {r}: the row prints texts from the agreement but is set "
                    "not to break across pages; Word cuts off a row taller than a page, so "
                    "followupdocs lets it break when its texts are long; tick Table "
                    "Properties > Row > Allow row to break across pages to say so"
                )
    return warnings


def removed_with_a_tag(document: Any) -> list[str]:
    """Warn about text typed in a {%p %} tag's paragraph or a {%tr %} tag's row: it is lost."""
    warnings = []
    for removed in body_tags(document)[1]:
        tag = removed.tag
        what = [f'the text "{quote(removed.text, 40)}"'] if removed.text else []
        what += [f"the tag {quote(t, 40)}" for t in removed.tags]
        if tag.kind == "p":
            holder, rule = "paragraph", "move it to a paragraph of its own"
        else:
            holder, rule = "row", "move it to another row (every cell of the row goes)"
        warnings.append(
            f"{tag.place}: {' and '.join(what)} in this {holder} will disappear: the whole "
            f"{holder} of a {{%{tag.kind} %}} tag is removed when the document is made; {rule}"
        )
    return warnings


# Each check: the template's docx.Document -> warnings. Add new checks to this tuple.
CHECKS: tuple[Callable[[Any], list[str]], ...] = (
    cell_widths,
    unsplittable_text_rows,
    removed_with_a_tag,
)


def lint(document: Any) -> list[str]:
    """Return every warning of every check, in the order of CHECKS."""
    return [warning for check in CHECKS for warning in check(document)]
