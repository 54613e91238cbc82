"""Which rows and tables make up a card: its labelled agreement row, and a card cut in two.

Part of the card reader (cardreader), which knows the rest of the layout.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from .smileymarks import is_card_table, label_word, shown
from .wordread import Block, Row, Table

__all__ = ["LABEL", "body_rows", "continued", "has_labels", "match"]

LABEL = re.compile(r"^\s*(ansvarligt center|ansvarligt udvalg|væsentlig bidragsyder)\s*:\s*", re.I)


def continued(blocks: Sequence[Block]) -> dict[int, list[Table]]:
    """Return each card table's block index and its tables: itself and the tables continuing it.

    A card cut in two (a page break typed between its rows, or rows pasted apart) is a card
    table followed, with nothing but empty paragraphs between, by a table that starts with a
    "Milepæl", "Økonomi" or agreement row rather than a header.
    """
    parts: dict[int, list[Table]] = {}
    current: list[Table] | None = None
    for index, block in enumerate(blocks):
        if block.para is not None:
            if block.para.text.strip() or block.para.marks:
                current = None
            continue
        table = block.table
        if table is None or not is_card_table(table):
            current = None
        elif current is not None and _continues(table):
            current.append(table)
        else:
            current = parts[index] = [table]
    return parts


def _continues(table: Table) -> bool:
    """Tell whether a card table starts with a card's body row, not with its header."""
    first = table.rows[0]
    if not first.cells:
        return False
    return label_word(first.cells[0].text) in ("milepæl", "økonomi") or has_labels(first)


def body_rows(tables: list[Table]) -> list[tuple[Table, Row]]:
    """Return the rows under a card's header row, each with the table it is in."""
    rows = [(tables[0], row) for row in tables[0].rows[1:]]
    return rows + [(table, row) for table in tables[1:] for row in table.rows]


def has_labels(row: Row) -> bool:
    """Tell whether a row holds "Ansvarligt center:" or another label of the agreement row."""
    return any(match(LABEL, p.text)[0] for cell in row.cells for p in cell.paras)


def match(label: re.Pattern[str], text: str) -> tuple[re.Match[str] | None, str]:
    """Match a label at the start of `text`, also one with characters in it Word shows as
    nothing (a soft hyphen, a zero-width space); return the match and the text it is in."""
    found = label.match(text)
    if found:
        return found, text
    visible = shown(text)
    return (label.match(visible), visible) if visible != text else (None, text)
