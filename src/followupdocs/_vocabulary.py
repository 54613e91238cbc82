"""The agreement's words: smileys, kinds, the fields a follow-up fills in, and frozen mappings.

These are what a caller compares and spells; the models (`_models`) are built from them.
"""

from __future__ import annotations

import unicodedata
from enum import Enum
from typing import Literal, NoReturn, TypeVar

from ._errors import ReadOnlyError

__all__ = [
    "Field",
    "FrozenMap",
    "Kind",
    "KindWord",
    "Smiley",
    "SmileyWord",
    "centre_key",
    "round_number",
]

Field = Literal[
    "status",
    "milestone",
    "economy",
    "title",
    "kind",
    "agreement_text",
    "responsible_centre",
    "responsible_committee",
    "main_contributor",
    "implementation",
    "milestone_text",
    "economy_text",
]
Field.__doc__ = """A field of an initiative that a form or an edited committee document can change.

"status" is the status text, "milestone" the milestone's smiley, "economy" the economy smiley
(the fields a follow-up fills in, and the words of `MissingSmiley.field`); "milestone_text"
and "economy_text" are those texts, and the others name the initiative's attributes of the
same name. `Change.field` is one of these.
"""


class Smiley(str, Enum):
    """A follow-up smiley: green = met, yellow = not fully met, red = not met."""

    # str() gives the YAML's word ("grøn"); Smiley("green") accepts the English names too, as
    # the models do. (The docstring stays one line: it is the JSON Schema's description.)

    GREEN = "grøn"
    YELLOW = "gul"
    RED = "rød"

    def __str__(self) -> str:
        return self.value

    @classmethod
    def _missing_(cls, value: object) -> Smiley | None:
        if isinstance(value, str):
            return _SMILEY_WORDS.get(value.strip().casefold())
        return None


class Kind(str, Enum):
    """Whether an initiative concerns operations, construction or both."""

    OPERATIONS = "Drift"
    CONSTRUCTION = "Anlæg"
    BOTH = "Anlæg og drift"

    def __str__(self) -> str:
        return self.value


SmileyWord = Literal["grøn", "gul", "rød", "green", "yellow", "red"]
"""The words a smiley may be given as, besides a Smiley."""
KindWord = Literal["Drift", "Anlæg", "Anlæg og drift"]
"""The words a kind may be given as, besides a Kind."""

_K = TypeVar("_K")
_V = TypeVar("_V")


class FrozenMap(dict[_K, _V]):
    """A mapping that cannot change after it is made, and so can be hashed.

    The models keep their milestones and economy smileys in one, so a loaded agreement cannot
    change under a cached render.
    """

    __slots__ = ()

    def _read_only(self, *args: object, **kwargs: object) -> NoReturn:
        raise ReadOnlyError("the mapping is read-only; build a new agreement to change it")

    __setitem__ = __delitem__ = clear = pop = popitem = setdefault = update = _read_only
    __ior__ = _read_only

    def __hash__(self) -> int:  # type: ignore[override]
        return hash(frozenset(self.items()))

    def __reduce__(self) -> tuple[type[FrozenMap[_K, _V]], tuple[dict[_K, _V]]]:
        # pickle and copy rebuild a dict subclass item by item through __setitem__, which
        # refuses; rebuild it from a plain dict in one step instead.
        return (type(self), (dict(self),))


_SMILEY_WORDS = {
    "grøn": Smiley.GREEN,
    "green": Smiley.GREEN,
    "gul": Smiley.YELLOW,
    "yellow": Smiley.YELLOW,
    "rød": Smiley.RED,
    "red": Smiley.RED,
}
_KIND_WORDS = {kind.value.casefold(): kind for kind in Kind}


def round_number(text: str) -> int | None:
    """Return the follow-up number `text` spells in the digits 0-9, else None."""
    text = text.strip()
    # str.isdigit() also accepts '²' and other scripts' digits, which int() refuses or reads.
    return int(text) if text.isascii() and text.isdigit() else None


def centre_key(name: str) -> str:
    """Return `name` as centres are compared: case, spaces and invisible characters ignored."""
    folded = unicodedata.normalize("NFKC", name).casefold()
    return "".join(c for c in folded if not c.isspace() and unicodedata.category(c) != "Cf")
