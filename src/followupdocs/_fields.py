"""The models' field types: how text, numbers, smileys, kinds and round keys are validated.

Each type is a pydantic `Annotated` type whose validators raise errors worded for the person
who wrote the YAML; the loader adds the file and line.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from typing import Annotated, Any, NoReturn, TypeVar

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, WithJsonSchema
from pydantic.config import JsonDict
from pydantic_core import PydanticCustomError

from ._errors import ReadOnlyError
from ._vocabulary import _KIND_WORDS, _SMILEY_WORDS, FrozenMap, Kind, Smiley, round_number

__all__ = [
    "ROUND_KEYS",
    "EconomySmileyValue",
    "KindValue",
    "Model",
    "NumberText",
    "RequiredText",
    "RoundKey",
    "SmileyValue",
    "Text",
    "frozen",
]

_K = TypeVar("_K")
_V = TypeVar("_V")

# Characters XML 1.0 cannot carry (and lone surrogates, which UTF-8 cannot encode).
_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def _parse_smiley(value: Any, choices: str = "grøn, gul or rød") -> Any:
    if isinstance(value, Smiley):
        return value
    if isinstance(value, str) and value.strip().casefold() in _SMILEY_WORDS:
        return _SMILEY_WORDS[value.strip().casefold()]
    if value is None or value == "":
        raise PydanticCustomError("smiley", "is empty; use {choices}", {"choices": choices})
    raise PydanticCustomError(
        "smiley",
        "{value} is not a smiley; use {choices}",
        {"value": repr(value), "choices": choices},
    )


def _parse_economy_smiley(value: Any) -> Any:
    smiley = _parse_smiley(value, "grøn or rød")
    if smiley is Smiley.YELLOW:
        raise PydanticCustomError(
            "economy_smiley",
            "the economy smiley is grøn or rød (the reading guide defines no gul for the economy)",
        )
    return smiley


def _parse_kind(value: Any) -> Any:
    if isinstance(value, Kind):
        return value
    if isinstance(value, str):
        key = " ".join(value.split()).casefold()
        if key in _KIND_WORDS:
            return _KIND_WORDS[key]
    choices = "use Drift, Anlæg or Anlæg og drift"
    if value is None or value == "":
        raise PydanticCustomError("kind", "is empty; " + choices)
    raise PydanticCustomError("kind", "{value} is not a kind; " + choices, {"value": repr(value)})


def _round_key(value: Any) -> Any:
    """Accept 1, 2, ... (as numbers or digits); refuse 1.0, -1, ² and words."""
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    number = round_number(value) if isinstance(value, str) else None
    if number is None:
        raise PydanticCustomError("round_key", "not a follow-up number")
    return number


def _to_text(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    return value


def _clean_text(value: str) -> str:
    bad = _ILLEGAL.search(value)
    if bad:
        raise PydanticCustomError(
            "illegal_character",
            "contains the invisible control character {char} at position {pos}, which a Word "
            "document cannot hold; delete it",
            {"char": f"U+{ord(bad.group()):04X}", "pos": bad.start() + 1},
        )
    return value.replace("\r\n", "\n").replace("\r", "\n").strip()


# Characters that print as nothing (or as a plain space): in a number they make two different
# numbers look alike, "3.04" and "3.04\u200b".
_INVISIBLE = frozenset({"Cc", "Cf", "Zs", "Zl", "Zp"})


def _visible(value: str) -> str:
    """Refuse a number with an invisible character in it."""
    for position, char in enumerate(value, 1):
        if char != " " and unicodedata.category(char) in _INVISIBLE:
            name = unicodedata.name(char, "")
            raise PydanticCustomError(
                "invisible_character",
                "contains the invisible character {char} at position {pos}, so two numbers "
                "could look alike; delete it",
                {"char": f"U+{ord(char):04X}" + (f" ({name})" if name else ""), "pos": position},
            )
    return value


def _not_empty(value: str) -> str:
    if not value:
        raise PydanticCustomError("empty", "is empty; write a value")
    return value


Text = Annotated[
    str,
    BeforeValidator(_to_text),
    AfterValidator(_clean_text),
    WithJsonSchema({"type": ["string", "null"]}),
]
"""Optional text: empty when left out; line endings normalised; control characters refused."""
RequiredText = Annotated[
    Text, AfterValidator(_not_empty), WithJsonSchema({"type": "string", "minLength": 1})
]
# Numbers such as 2.02.1 are text; an unquoted 1.10 reaches an editor's schema check as a number.
NumberText = Annotated[
    RequiredText, AfterValidator(_visible), WithJsonSchema({"type": ["string", "number"]})
]
SmileyValue = Annotated[Smiley, BeforeValidator(_parse_smiley)]
EconomySmileyValue = Annotated[
    Smiley, BeforeValidator(_parse_economy_smiley), WithJsonSchema({"enum": ["grøn", "rød"]})
]
ROUND_KEYS: JsonDict = {"propertyNames": {"pattern": "^[1-9][0-9]*$"}}
RoundKey = Annotated[int, BeforeValidator(_round_key)]
KindValue = Annotated[Kind, BeforeValidator(_parse_kind)]


class Model(BaseModel):
    """Immutable and hashable: every field is text, a tuple, a FrozenMap or another model."""

    model_config = ConfigDict(
        extra="forbid", validate_by_name=True, validate_by_alias=True, frozen=True
    )

    def __setattr__(self, name: str, value: Any) -> NoReturn:
        raise ReadOnlyError(
            f"{type(self).__name__} is read-only: '{name}' cannot be set; build a new one "
            "(model_copy(update=...) or followupdocs.validate)"
        )

    def __delattr__(self, name: str) -> NoReturn:
        raise ReadOnlyError(f"{type(self).__name__} is read-only: '{name}' cannot be deleted")


def frozen(value: Mapping[_K, _V]) -> FrozenMap[_K, _V]:
    return value if isinstance(value, FrozenMap) else FrozenMap(value)
