"""Read the cards of a follow-up document in the card layout, as a person made or we rendered it.

Each card is a table: a header row (number and title, kind, "Tid", "Smiley"), the agreement
row (agreement text | "Ansvarligt center:", "Ansvarligt udvalg:", "Væsentlig bidragsyder:" and
how it is carried out), one "Milepæl" row per round (text, "Status:" and the status, the
round's label in the "Tid" column, a smiley) and the "Økonomi" row. Texts come back in the
YAML's conventions: a blank line between paragraphs, "• " for a bullet, "1." for a numbered
point. Smileys are words ("grøn", "gul", "rød"); what cannot be read is a located problem, never
a guess. This module knows the layout's words and nothing of agreements.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from .cardrows import LABEL, body_rows, continued, has_labels, match
from .smileymarks import Place, Smiley, Smileys, is_card_table, label_word, shown
from .wordread import Block, Body, Cell, Para, Row, Table

__all__ = [
    "Card",
    "CardDocument",
    "EconomyRow",
    "Heading",
    "MilestoneRow",
    "Place",
    "Problem",
    "Smiley",
    "read_cards",
    "yaml_text",
]

LABELS = {
    "ansvarligt center": "responsible_centre",
    "ansvarligt udvalg": "responsible_committee",
    "væsentlig bidragsyder": "main_contributor",
}
_STATUS = re.compile(r"^\s*status\s*:\s+", re.IGNORECASE)
_THEME = re.compile(r"^(\d+(?:\.\d+)*)\.?\s+(\S.*)$")


@dataclass(frozen=True)
class Problem:
    """Something the reader could not map, where it is, and whether the card is lost."""

    place: Place
    message: str
    severity: str = "error"  # "error" or "warning"


@dataclass(frozen=True)
class MilestoneRow:
    """A "Milepæl" row."""

    place: Place
    label: str  # the "Tid" column's label
    text: str
    status: str
    smiley: Smiley | None


@dataclass(frozen=True)
class EconomyRow:
    """The "Økonomi" row."""

    place: Place
    text: str
    smiley: Smiley | None


@dataclass(frozen=True)
class Heading:
    """A theme heading ("1. Vision 2029")."""

    number: str
    title: str
    place: Place


@dataclass(frozen=True)
class Card:
    """One card table as read; fields None where the card lacks the row or label."""

    place: Place
    theme: Heading | None
    number: str
    title: str
    kind: str
    agreement_text: str
    fields: dict[str, str]  # responsible_centre, ... -> value, for the labels found
    implementation: str
    milestones: tuple[MilestoneRow, ...]
    economy: EconomyRow | None
    has_agreement_row: bool


@dataclass(frozen=True)
class CardDocument:
    """The document's title, its cards in order and what could not be read."""

    title: str
    cards: tuple[Card, ...]
    problems: tuple[Problem, ...]


def yaml_text(paras: Sequence[Para]) -> str:
    """Return paragraphs as a YAML text: blank lines between, "• " and "1." for list items.

    The inverse of the renderer's paragraphs(): a Word list's bullets and numbers are not in
    the paragraph's text, so they are written as the YAML writes them; typed ones already are.
    """
    lines = []
    number = 0
    for para in paras:
        text = para.text.strip()
        if not text:
            continue  # empty paragraphs a person left, or the renderer's one empty paragraph
        if para.list_kind == "number":
            number += 1
            lines.append(f"{number}. {text}")
            continue
        number = 0
        lines.append(f"• {text}" if para.list_kind == "bullet" else text)
    return "\n\n".join(lines)


def read_cards(body: Body) -> CardDocument:
    """Return the cards of `body`, every card table in order, and the problems found."""
    return _Reader(body).read()


class _Reader:
    def __init__(self, body: Body) -> None:
        self.body = body
        self.problems: list[Problem] = []
        self.smileys = Smileys(body)

    def read(self) -> CardDocument:
        cards = []
        theme: Heading | None = None
        blocks = self.body.blocks
        first = next(
            (i for i, b in enumerate(blocks) if b.table is not None and is_card_table(b.table)),
            len(blocks),
        )
        title = _title(blocks[:first])
        parts = continued(blocks)
        follows = _cards_next(blocks)
        for index, block in enumerate(blocks):
            if block.para is not None:
                heading = _theme(block, follows[index + 1], before_cards=index < first)
                theme = heading or theme
            elif index in parts:
                card = self.card(parts[index], theme)
                if card is not None:
                    cards.append(card)
        return CardDocument(title, tuple(cards), tuple(self.problems))

    def problem(self, place: Place, message: str, severity: str = "error") -> None:
        self.problems.append(Problem(place, message, severity))

    def card(self, tables: list[Table], theme: Heading | None) -> Card | None:
        """Return the card in `tables`: a card table and the tables that continue it."""
        table = tables[0]
        where = Place(table.number)
        header = table.rows[0]
        columns = _columns(header)
        number, title, kind = _header(header, columns)
        if not number:
            self.problem(
                Place(table.number, 1, 1),
                "the card's header cell has no number and title (such as '1.02. Arbejdet "
                "med Vision 2029'); the card is left out",
            )
            return None
        agreement_text, implementation = "", ""
        fields: dict[str, str] = {}
        milestones: list[MilestoneRow] = []
        economy: EconomyRow | None = None
        has_agreement = False
        above: dict[int, str] = {}  # grid column -> label of the cell above, for merged labels
        for table, row in body_rows(tables):
            label = _row_label(row, above)
            if label == "milepæl":
                milestones.append(self.milestone(table, row, columns))
            elif has_labels(row):  # before "Økonomi": an agreement text may be that word
                has_agreement = True
                agreement_text, fields, implementation = _agreement_row(row)
            elif label == "økonomi":
                if economy is not None:
                    self.problem(Place(table.number, row.number), "a second 'Økonomi' row")
                economy = self.economy(table, row, columns)
            elif any(c.text or c.marks for c in row.cells):
                self.problem(
                    Place(table.number, row.number),
                    f"the row is not a row of the card layout (it starts {_quote(row)}); "
                    "it is left out",
                )
        return Card(
            where, theme, number, title, kind, agreement_text, fields, implementation,
            tuple(milestones), economy, has_agreement,
        )  # fmt: skip

    def milestone(self, table: Table, row: Row, columns: tuple[int, int]) -> MilestoneRow:
        label_cell, smiley_cell, text_cells = _split(row, columns)
        text_paras, status_paras = _status_split([p for cell in text_cells for p in cell.paras])
        place = Place(table.number, row.number)
        return MilestoneRow(
            place,
            label_cell.text if label_cell is not None else "",
            yaml_text(text_paras),
            yaml_text(status_paras),
            self.smileys.read(smiley_cell, Place(table.number, row.number)),
        )

    def economy(self, table: Table, row: Row, columns: tuple[int, int]) -> EconomyRow:
        label_cell, smiley_cell, text_cells = _split(row, columns)
        paras = [p for cell in text_cells for p in cell.paras]
        if label_cell is not None and label_cell.text:
            self.problem(
                Place(table.number, row.number, label_cell.number),
                f"the 'Økonomi' row has {label_cell.text!r} in the 'Tid' column, which the "
                "layout leaves empty; it is left out",
                "warning",
            )
        return EconomyRow(
            Place(table.number, row.number),
            yaml_text(paras),
            self.smileys.read(smiley_cell, Place(table.number, row.number)),
        )


def _title(blocks: Sequence[Block]) -> str:
    """Return the document's title: its Title paragraphs, or the text before the first heading."""
    titled = [b.para.text for b in blocks if b.para is not None and b.para.style == "Title"]
    if titled:
        return " ".join(" ".join(titled).split())
    lines = []
    for block in blocks:
        if block.table is not None or (block.para is not None and block.para.heading):
            break
        if block.para is not None and block.para.text.strip():
            if block.para.text.strip().casefold() == "læsevejledning":
                break
            lines.append(block.para.text)
    return " ".join(" ".join(lines).split())


def _theme(block: Block, follows: tuple[bool, bool], *, before_cards: bool) -> Heading | None:
    """Return the theme heading `block` is: a numbered Heading 1, or a numbered line right
    before a card table. `follows` tells whether a card comes next (_cards_next)."""
    para = block.para
    assert para is not None
    if para.heading == 1:  # a numbered Heading 1, as the renderer writes "{number}. {title}"
        number, title = _number_title(para.text)
        if before_cards and not follows[0]:
            return None
    else:  # a typed line "1. Vision 2029" right before a card
        found = _THEME.match(" ".join(para.text.split()))
        if not found or not follows[1]:
            return None
        number, title = found.group(1), found.group(2).strip()
    return Heading(number, title, Place(paragraph=block.number)) if number else None


def _cards_next(blocks: Sequence[Block]) -> list[tuple[bool, bool]]:
    """Return, for each block index (and one past the end), whether a card table comes next
    from there: the next table, and the next table or paragraph with text.

    Worked out once, from the end: asked for every paragraph, a search ahead from each would
    take time in the square of the document's length.
    """
    found = [(False, False)] * (len(blocks) + 1)
    for index in range(len(blocks) - 1, -1, -1):
        block = blocks[index]
        if block.table is not None:
            card = is_card_table(block.table)
            found[index] = (card, card)
        elif block.para is not None and block.para.text.strip():
            found[index] = (found[index + 1][0], False)
        else:
            found[index] = found[index + 1]
    return found


def _status_split(paras: list[Para]) -> tuple[list[Para], list[Para]]:
    """Split a milestone cell at its "Status:" paragraph: the milestone text, the status.

    A paragraph that is "Status:" alone (as the renderer and most people write it) decides;
    else one that starts with "Status: " and goes on with the status on the same line.
    """
    for index, para in enumerate(paras):
        if shown(para.text).strip().casefold() == "status:":
            return paras[:index], paras[index + 1 :]
    for index, para in enumerate(paras):
        found, text = match(_STATUS, para.text)
        if found:
            rest = Para(text[found.end() :], para.list_kind, para.style, para.heading)
            return paras[:index], [rest, *paras[index + 1 :]]
    return paras, []


def _columns(header: Row) -> tuple[int, int]:
    """Return the grid columns of "Tid" and "Smiley" from the header row (-1 if not there)."""
    tid = smiley = -1
    for cell in header.cells:
        word = label_word(cell.text)
        if word == "tid":
            tid = cell.first
        elif word == "smiley":
            smiley = cell.first
    return tid, smiley


def _header(header: Row, columns: tuple[int, int]) -> tuple[str, str, str]:
    """Return the number, title and kind the header row shows."""
    tid = columns[0]
    before = [c for c in header.cells if (tid < 0 or c.first < tid) and c.text]
    if not before:
        return "", "", ""
    kind = before[-1].text if len(before) > 1 else ""
    heading = " ".join(c.text for c in before[: len(before) - bool(kind)]).strip()
    number, title = _number_title(heading)
    return number, title, " ".join(kind.split())


def _number_title(heading: str) -> tuple[str, str]:
    """Split "1.02. Arbejdet med ..." (or a typed "1.02 Arbejdet ...") into number and title.

    The number is the first word ending in "."; else a first word with a digit in it; else,
    for a number with spaces in it as the renderer writes one, what stands before the first
    ". ". Nothing else is a number: a header without one is reported, not guessed.
    """
    parts = heading.split(None, 1)
    if not parts:
        return "", ""
    first, rest = parts[0], (parts[1] if len(parts) > 1 else "")
    if first.endswith(".") and len(first) > 1:
        return first[:-1], rest.strip()
    if any(ch.isdigit() for ch in first):
        return first, rest.strip()
    number, dot, title = heading.partition(". ")
    return (number.strip(), title.strip()) if dot and number.strip() else ("", "")


def _row_label(row: Row, above: dict[int, str]) -> str:
    """Return the row's first cell's word; a vertically merged cell takes the one above's."""
    if not row.cells:
        return ""
    first = row.cells[0]
    word = above.get(first.first, "") if first.continued else label_word(first.text)
    above[first.first] = word
    return word


def _agreement_row(row: Row) -> tuple[str, dict[str, str], str]:
    """Return the agreement text, the labelled fields and how it is carried out."""
    labelled = next(c for c in row.cells if any(match(LABEL, p.text)[0] for p in c.paras))
    agreement = [p for c in row.cells if c.first < labelled.first for p in c.paras]
    fields: dict[str, str] = {}
    implementation = []
    for para in labelled.paras:
        found, text = match(LABEL, para.text)
        if found:
            fields[LABELS[found.group(1).casefold()]] = text[found.end() :].strip()
        else:
            implementation.append(para)
    return yaml_text(agreement), fields, yaml_text(implementation)


def _split(row: Row, columns: tuple[int, int]) -> tuple[Cell | None, Cell | None, list[Cell]]:
    """Return a milestone or economy row's "Tid" cell, smiley cell and text cells."""
    tid, smiley = columns
    cells = list(row.cells[1:])
    smiley_cell = next((c for c in cells if c.covers(smiley)), None) if smiley >= 0 else None
    if smiley < 0 and cells:
        smiley_cell = cells[-1]
    label_cell = next((c for c in cells if c.covers(tid)), None) if tid >= 0 else None
    if tid < 0 and len(cells) >= 2:
        label_cell = cells[-2]
    text = [c for c in cells if c is not smiley_cell and c is not label_cell]
    return label_cell, smiley_cell, text


def _quote(row: Row) -> str:
    text = next((c.text for c in row.cells if c.text), "")
    text = " ".join(text.split())
    return repr(text if len(text) <= 40 else text[:37] + "...") if text else "with a picture"
