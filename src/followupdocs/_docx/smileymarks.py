"""Tell a smiley from what a cell shows: our pictures, others' pictures, Wingdings symbols.

Our pictures are known by their bytes; any other picture by a colour word in its alt text or
name, or by the reading guide, which shows each smiley picture before its definition
("Milepæl er opfyldt"). Wingdings J, K and L (Insert Symbol's faces) are green, yellow and red.
Anything else is reported with what was seen, never guessed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .smileys import FILES, picture
from .wordread import Body, Cell, Mark, Table

__all__ = ["Place", "Smiley", "Smileys", "is_card_table", "label_word", "shown"]

_COLOUR_WORDS = {
    "grøn": "grøn", "green": "grøn", "gul": "gul", "yellow": "gul", "rød": "rød", "red": "rød",
}  # fmt: skip
_COLOUR = re.compile(r"\b(" + "|".join(_COLOUR_WORDS) + r")\b", re.IGNORECASE)
# Wingdings J, K, L: the smiling, straight and frowning faces of Insert Symbol.
_WINGDINGS = {"\uf04a": "grøn", "\uf04b": "gul", "\uf04c": "rød", "J": "grøn", "K": "gul",
              "L": "rød"}  # fmt: skip
# The reading guide's definitions, whose picture tells what each picture in the cards means.
_DEFINITIONS = (
    ("milepæl er opfyldt", "grøn"),
    ("milepæl er ikke fuldt opfyldt", "gul"),
    ("milepæl er ikke opfyldt", "rød"),
    ("budget er overholdt", "grøn"),
    ("budget ikke overholdt", "rød"),
    ("budget er ikke overholdt", "rød"),
)


_INVISIBLE = re.compile("[\u00ad\u200b-\u200f\u2060\u202a-\u202e\ufeff]")


@dataclass(frozen=True)
class Place:
    """Where something is, as Word shows it: table, row and cell from 1 (0: not given)."""

    table: int = 0
    row: int = 0
    cell: int = 0
    paragraph: int = 0

    def __str__(self) -> str:
        if self.paragraph:
            return f"paragraph {self.paragraph}"
        parts = [f"table {self.table}"] if self.table else []
        parts += [f"row {self.row}"] if self.row else []
        parts += [f"cell {self.cell}"] if self.cell else []
        return ", ".join(parts)


@dataclass(frozen=True)
class Smiley:
    """A smiley as found: its colour word, or None with what was seen instead."""

    colour: str | None
    seen: str
    place: Place


class Smileys:
    """Read smileys in the cells of one document."""

    def __init__(self, body: Body) -> None:
        self.colours = _known_pictures(body)

    def read(self, cell: Cell | None, row: Place) -> Smiley | None:
        """Return the smiley in the smiley column's cell, None if it is empty."""
        if cell is None:
            return None
        place = Place(row.table, row.row, cell.number)
        marks = cell.marks
        text = "".join(cell.text.split())
        symbols = "".join(m.char for m in marks if m.kind == "symbol")
        if not marks and not text:
            return None
        if len(marks) > 1:
            seen = ", ".join(_seen(m) for m in marks)
            return Smiley(None, f"{len(marks)} marks ({seen})", place)
        if "".join(ch for ch in text if ch not in symbols):
            return Smiley(None, f"the text {cell.text.strip()!r}", place)
        mark = marks[0]
        return Smiley(self.colour(mark), _seen(mark), place)

    def colour(self, mark: Mark) -> str | None:
        """Return the colour of a picture or symbol, None if it tells none."""
        if mark.kind == "symbol":
            font = mark.font.casefold()
            if font == "wingdings" or (not font and "\uf020" <= mark.char <= "\uf0ff"):
                return _WINGDINGS.get(mark.char)
            return None
        if mark.image and mark.image in self.colours:
            return self.colours[mark.image]
        for text in (mark.alt, mark.name):
            found = {_COLOUR_WORDS[word.casefold()] for word in _COLOUR.findall(text)}
            if found:  # "rød smiley, nu grøn" names two: not a guess to make
                return found.pop() if len(found) == 1 else None
        return None


def _seen(mark: Mark) -> str:
    if mark.kind == "symbol":
        code = f"U+{ord(mark.char):04X}" if len(mark.char) == 1 else repr(mark.char)
        return f"the symbol {code} in {mark.font or 'the text font'}"
    described = mark.alt or mark.name
    return f"a picture ({described!r})" if described else "a picture without alt text"


def _known_pictures(body: Body) -> dict[str, str]:
    """Return the colour of each image part: ours by its bytes, others by the reading guide."""
    ours = {picture(colour): colour for colour in FILES}
    colours = {name: ours[data] for name, data in body.images.items() if data in ours}
    for block in body.blocks:
        if block.table is not None and is_card_table(block.table):
            break
        para = block.para
        if para is None or len(para.marks) != 1 or not para.marks[0].image:
            continue
        meaning = " ".join(para.text.lstrip(" :").split()).casefold()
        for start, colour in _DEFINITIONS:
            if meaning.startswith(start):
                colours.setdefault(para.marks[0].image, colour)
                break
    return colours


def is_card_table(table: Table) -> bool:
    """Tell whether a table is laid out as a card: "Tid" in its first row, or "Milepæl" rows."""
    if not table.rows:
        return False
    if any(label_word(c.text) == "tid" for c in table.rows[0].cells):
        return True
    return any(row.cells and label_word(row.cells[0].text) == "milepæl" for row in table.rows)


def shown(text: str) -> str:
    """Return `text` without the characters Word shows as nothing."""
    return _INVISIBLE.sub("", text)


def label_word(text: str) -> str:
    """Return a cell's text as one lower-case word to compare: "Tid:" -> "tid".

    Characters Word shows as nothing (a soft hyphen, zero-width spaces and joiners, direction
    marks, a byte order mark) are left out, as a person reading the label leaves them out.
    """
    return " ".join(shown(text).split()).rstrip(":").strip().casefold()
