"""The agreement as typed data: themes, initiatives, milestones and smileys.

Python attribute names are English; the Danish YAML keys are their aliases. The models know
nothing of YAML or Word.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import Enum
from typing import TYPE_CHECKING, Annotated, Any, Literal, NoReturn, TypeVar

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationInfo,
    WithJsonSchema,
    field_validator,
    model_validator,
)
from pydantic.config import JsonDict
from pydantic_core import PydanticCustomError

from ._errors import ReadOnlyError, RoundError

__all__ = [
    "Agreement",
    "Economy",
    "FrozenMap",
    "Initiative",
    "Kind",
    "Milestone",
    "MissingSmiley",
    "SimilarCentre",
    "Smiley",
    "Theme",
]

# Characters XML 1.0 cannot carry (and lone surrogates, which UTF-8 cannot encode).
_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")

# Set in the validation context by the loader, which reports these problems with their lines.
DEFER_CONSISTENCY = "followupdocs_defer_consistency"


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


def round_number(text: str) -> int | None:
    """Return the follow-up number `text` spells in the digits 0-9, else None."""
    text = text.strip()
    # str.isdigit() also accepts '²' and other scripts' digits, which int() refuses or reads.
    return int(text) if text.isascii() and text.isdigit() else None


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
_ROUND_KEYS: JsonDict = {"propertyNames": {"pattern": "^[1-9][0-9]*$"}}
RoundKey = Annotated[int, BeforeValidator(_round_key)]
KindValue = Annotated[Kind, BeforeValidator(_parse_kind)]


class _Model(BaseModel):
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


def _frozen(value: Mapping[_K, _V]) -> FrozenMap[_K, _V]:
    return value if isinstance(value, FrozenMap) else FrozenMap(value)


class Milestone(_Model):
    """The milestone of one follow-up round, with the status and smiley given at that round."""

    text: Text = Field("", alias="tekst")
    status: Text = Field("", alias="status")
    smiley: SmileyValue | None = Field(None, alias="smiley")

    if TYPE_CHECKING:  # the English names, typed, whether or not pydantic's mypy plugin runs

        def __init__(
            self, *, text: str = "", status: str = "", smiley: Smiley | SmileyWord | None = None
        ) -> None: ...


class Economy(_Model):
    """The economy of an initiative and its smiley per round (green or red only)."""

    text: Text = Field("", alias="tekst")
    smileys: Annotated[Mapping[RoundKey, EconomySmileyValue], AfterValidator(_frozen)] = Field(
        default_factory=FrozenMap,
        alias="smiley",
        description="The economy smiley per follow-up number: grøn or rød",
        json_schema_extra=_ROUND_KEYS,
    )

    if TYPE_CHECKING:

        def __init__(
            self,
            *,
            text: str = "",
            smileys: Mapping[int, Smiley | Literal["grøn", "rød", "green", "red"]] = ...,
        ) -> None: ...

    @field_validator("smileys", mode="before")
    @classmethod
    def _none_is_empty(cls, value: Any) -> Any:
        if value is None:
            return {}
        if isinstance(value, dict):  # "1:" with nothing after it: no smiley given yet
            return {key: item for key, item in value.items() if item is not None}
        return value


class Initiative(_Model):
    """One initiative of the agreement: one card in the document."""

    number: NumberText = Field(alias="nummer", description="The card's number, e.g. 2.02.1")
    title: RequiredText = Field(alias="titel")
    kind: KindValue = Field(alias="type")
    agreement_text: Text = Field(
        "",
        alias="aftaletekst",
        description="What was agreed; a blank line starts a paragraph, '• ' a bullet",
    )
    responsible_centre: RequiredText = Field(alias="ansvarligt_center")
    responsible_committee: RequiredText = Field(alias="ansvarligt_udvalg")
    main_contributor: Text = Field("", alias="væsentlig_bidragsyder")
    implementation: Text = Field(
        "", alias="gennemførelse", description="How the initiative is carried out"
    )
    milestones: Annotated[Mapping[RoundKey, Milestone], AfterValidator(_frozen)] = Field(
        default_factory=FrozenMap,
        alias="milepæle",
        description="One milestone per follow-up number (1 = the first round)",
        json_schema_extra=_ROUND_KEYS,
    )
    economy: Economy = Field(default_factory=Economy, alias="økonomi")

    if TYPE_CHECKING:

        def __init__(
            self,
            *,
            number: str,
            title: str,
            kind: Kind | KindWord,
            agreement_text: str = "",
            responsible_centre: str,
            responsible_committee: str,
            main_contributor: str = "",
            implementation: str = "",
            milestones: Mapping[int, Milestone] = ...,
            economy: Economy = ...,
        ) -> None: ...

    @field_validator("milestones", mode="before")
    @classmethod
    def _empty_milestones(cls, value: Any) -> Any:
        if value is None:
            return {}
        if isinstance(value, dict):
            return {key: ({} if item is None else item) for key, item in value.items()}
        return value

    @field_validator("economy", mode="before")
    @classmethod
    def _empty_economy(cls, value: Any) -> Any:
        return {} if value is None else value

    def milestone(self, *, round: int) -> Milestone:
        """Return the milestone of `round`, empty where the agreement has none."""
        return self.milestones.get(round) or _EMPTY_MILESTONE

    def smiley_at(self, *, round: int) -> Smiley | None:
        """Return the milestone smiley given at `round`, if any."""
        return self.milestone(round=round).smiley

    def status_at(self, *, round: int) -> str:
        """Return the status text written at `round` ("" where none)."""
        return self.milestone(round=round).status

    def economy_smiley_at(self, *, round: int) -> Smiley | None:
        """Return the economy smiley given at `round`, if any."""
        return self.economy.smileys.get(round)


_EMPTY_MILESTONE = Milestone()


class Theme(_Model):
    """A theme of the agreement ("1. Vision 2029") and its initiatives."""

    number: NumberText = Field(alias="nummer", description="The theme's number, e.g. 1")
    title: RequiredText = Field(alias="titel")
    initiatives: tuple[Initiative, ...] = Field(alias="indsatser")

    if TYPE_CHECKING:

        def __init__(
            self, *, number: str, title: str, initiatives: Sequence[Initiative]
        ) -> None: ...


@dataclass(frozen=True)
class MissingSmiley:
    """A smiley the secretariat still has to collect for a round."""

    initiative: Initiative
    round: int
    field: str  # "milepæl" or "økonomi", the words of the document

    def __str__(self) -> str:
        what = "milestone smiley" if self.field == "milepæl" else "economy smiley"
        return f"{self.initiative.number} {self.initiative.title}: no {what} at round {self.round}"


@dataclass(frozen=True)
class SimilarCentre:
    """A responsible centre spelt unlike its first spelling, though only in case or spacing."""

    name: str
    path: tuple[str | int, ...]  # where this spelling first appears
    first_name: str
    first_path: tuple[str | int, ...]
    first_number: str  # the initiative where the first spelling appears


def centre_key(name: str) -> str:
    """Return `name` as centres are compared: case, spaces and invisible characters ignored."""
    folded = unicodedata.normalize("NFKC", name).casefold()
    return "".join(c for c in folded if not c.isspace() and unicodedata.category(c) != "Cf")


class Agreement(_Model):
    """A budget agreement's follow-up: its rounds and the themes with their initiatives."""

    municipality: RequiredText = Field(alias="kommune")
    name: RequiredText = Field(alias="aftale")
    committee: RequiredText = Field(alias="udvalg")
    rounds: tuple[RequiredText, ...] = Field(
        alias="opfølgninger",
        min_length=1,
        description="The follow-up rounds in order; their labels fill the 'Tid' column",
    )
    themes: tuple[Theme, ...] = Field(alias="temaer")
    title: Text = Field("", alias="titel", description="Overrides the composed document title")
    reading_guide: Text = Field(
        "", alias="læsevejledning", description="Overrides the reading guide's introduction"
    )

    if TYPE_CHECKING:

        def __init__(
            self,
            *,
            municipality: str,
            name: str,
            committee: str,
            rounds: Sequence[str],
            themes: Sequence[Theme],
            title: str = "",
            reading_guide: str = "",
        ) -> None: ...

    @model_validator(mode="after")
    def _consistent(self, info: ValidationInfo) -> Agreement:
        if info.context and info.context.get(DEFER_CONSISTENCY):
            return self
        problems = self.consistency_problems()
        if problems:  # a custom error: pydantic would prefix a ValueError with "Value error, "
            raise PydanticCustomError(
                "consistency",
                "{problems}",
                {"problems": "; ".join(f"{_dotted(path)}: {msg}" for path, msg in problems)},
            )
        return self

    @property
    def initiatives(self) -> tuple[Initiative, ...]:
        """Return every initiative in document order."""
        return tuple(initiative for theme in self.themes for initiative in theme.initiatives)

    def round_label(self, *, round: int) -> str:
        """Return the label of `round` as the document's "Tid" column shows it."""
        self.check_round(round=round)
        return self.rounds[round - 1]

    def check_round(self, *, round: int) -> int:
        """Return `round` if the agreement has it, else raise RoundError."""
        if isinstance(round, bool) or not isinstance(round, int):
            raise RoundError(f"the round must be a whole number such as 1, not {round!r}")
        if not 1 <= round <= len(self.rounds):
            raise RoundError(
                f"round {round} does not exist; this agreement has rounds 1 to {len(self.rounds)}"
            )
        return round

    def latest_round(self) -> int | None:
        """Return the latest round with any smiley (milestone or economy); None if none."""
        given = [
            round
            for initiative in self.initiatives
            for round in (
                *(r for r, m in initiative.milestones.items() if m.smiley is not None),
                *initiative.economy.smileys,
            )
        ]
        return max(given, default=None)

    def missing(self, *, round: int) -> list[MissingSmiley]:
        """Return the smileys still missing at `round`, in document order."""
        self.check_round(round=round)
        missing = []
        for initiative in self.initiatives:
            milestone = initiative.milestone(round=round)
            if milestone.text and milestone.smiley is None:
                missing.append(MissingSmiley(initiative, round, "milepæl"))
            if initiative.economy_smiley_at(round=round) is None:
                missing.append(MissingSmiley(initiative, round, "økonomi"))
        return missing

    def missing_by_initiative(self, *, round: int) -> dict[Initiative, tuple[MissingSmiley, ...]]:
        """Return the smileys still missing at `round`, grouped by initiative in document order."""
        grouped: dict[Initiative, list[MissingSmiley]] = {}
        for item in self.missing(round=round):
            grouped.setdefault(item.initiative, []).append(item)
        return {initiative: tuple(items) for initiative, items in grouped.items()}

    def consistency_problems(self) -> list[tuple[tuple[str | int, ...], str]]:
        """Return problems across fields: rounds out of range and duplicate numbers.

        Paths use the YAML keys, so the loader can point at the offending line.
        """
        problems: list[tuple[tuple[str | int, ...], str]] = []
        last = len(self.rounds)
        seen: dict[str, tuple[str | int, ...]] = {}
        for t, theme in enumerate(self.themes):
            for i, initiative in enumerate(theme.initiatives):
                here: tuple[str | int, ...] = ("temaer", t, "indsatser", i)
                if initiative.number in seen:
                    problems.append(
                        (
                            (*here, "nummer"),
                            f"the number {initiative.number!r} is already used at "
                            f"{_dotted(seen[initiative.number])}; every initiative needs its own",
                        )
                    )
                else:
                    seen[initiative.number] = here
                for key, where in (
                    *((k, "milepæle") for k in initiative.milestones),
                    *((k, "økonomi.smiley") for k in initiative.economy.smileys),
                ):
                    if not 1 <= key <= last:
                        message = f"there is no follow-up {key}; 'opfølgninger' has 1 to {last}"
                        problems.append(((*here, *where.split("."), str(key)), message))
        return problems

    def number_warnings(self) -> list[tuple[tuple[str | int, ...], str]]:
        """Return initiatives whose number does not start with their theme's number."""
        return [
            (
                ("temaer", t, "indsatser", i, "nummer"),
                f"the number {initiative.number!r} does not start with its theme's number "
                f"{theme.number!r}",
            )
            for t, theme in enumerate(self.themes)
            for i, initiative in enumerate(theme.initiatives)
            if not _within(initiative.number, theme.number)
        ]

    def similar_centres(self) -> list[SimilarCentre]:
        """Return each other spelling of a responsible centre, one per spelling.

        "Ejendomme", "ejendomme" and "Ejen domme" name one centre to a reader, but forms and
        overviews group by the exact text.
        """
        first: dict[str, tuple[str, tuple[str | int, ...], str]] = {}  # key -> name, path, number
        found: dict[str, SimilarCentre] = {}
        for t, theme in enumerate(self.themes):
            for i, initiative in enumerate(theme.initiatives):
                name = initiative.responsible_centre
                path = ("temaer", t, "indsatser", i, "ansvarligt_center")
                seen = first.setdefault(centre_key(name), (name, path, initiative.number))
                if name != seen[0] and name not in found:
                    found[name] = SimilarCentre(name, path, *seen)
        return list(found.values())


def _within(number: str, theme: str) -> bool:
    """Tell whether an initiative number such as 2.02.1 belongs under theme 2."""
    theme = theme.rstrip(".")
    return number == theme or number.startswith(theme + ".")


def _dotted(path: tuple[str | int, ...]) -> str:
    """Return a path the way a person reads it: temaer[1].indsatser[0].type."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else part
    return out
