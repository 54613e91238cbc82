"""The agreement as typed data: themes, initiatives, milestones and smileys.

Python attribute names are English; the Danish YAML keys are their aliases. The models know
nothing of YAML or Word.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from enum import Enum
from typing import Annotated, Any

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

from .errors import RoundError

__all__ = [
    "Agreement",
    "Economy",
    "Initiative",
    "Kind",
    "Milestone",
    "MissingSmiley",
    "Smiley",
    "Theme",
]

# Characters XML 1.0 cannot carry (and lone surrogates, which UTF-8 cannot encode).
_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")

# Set in the validation context by the loader, which reports these problems with their lines.
DEFER_CONSISTENCY = "followupdocs_defer_consistency"


class Smiley(str, Enum):
    """A follow-up smiley: green = met, yellow = not fully met, red = not met."""

    GREEN = "grøn"
    YELLOW = "gul"
    RED = "rød"


class Kind(str, Enum):
    """Whether an initiative concerns operations, construction or both."""

    OPERATIONS = "Drift"
    CONSTRUCTION = "Anlæg"
    BOTH = "Anlæg og drift"


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
    model_config = ConfigDict(
        extra="forbid", validate_by_name=True, validate_by_alias=True, frozen=True
    )


class Milestone(_Model):
    """The milestone of one follow-up round, with the status and smiley given at that round."""

    text: Text = Field("", alias="tekst")
    status: Text = Field("", alias="status")
    smiley: SmileyValue | None = Field(None, alias="smiley")


class Economy(_Model):
    """The economy of an initiative and its smiley per round (green or red only)."""

    text: Text = Field("", alias="tekst")
    smileys: dict[RoundKey, EconomySmileyValue] = Field(
        default_factory=dict,
        alias="smiley",
        description="The economy smiley per follow-up number: grøn or rød",
        json_schema_extra=_ROUND_KEYS,
    )

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
    milestones: dict[RoundKey, Milestone] = Field(
        default_factory=dict,
        alias="milepæle",
        description="One milestone per follow-up number (1 = the first round)",
        json_schema_extra=_ROUND_KEYS,
    )
    economy: Economy = Field(default_factory=Economy, alias="økonomi")

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

    def milestone(self, round: int) -> Milestone:
        """Return the milestone of `round`, empty where the agreement has none."""
        return self.milestones.get(round) or _EMPTY_MILESTONE

    def smiley_at(self, round: int) -> Smiley | None:
        """Return the milestone smiley given at `round`, if any."""
        return self.milestone(round).smiley

    def status_at(self, round: int) -> str:
        """Return the status text written at `round` ("" where none)."""
        return self.milestone(round).status

    def economy_smiley_at(self, round: int) -> Smiley | None:
        """Return the economy smiley given at `round`, if any."""
        return self.economy.smileys.get(round)


_EMPTY_MILESTONE = Milestone()


class Theme(_Model):
    """A theme of the agreement ("1. Vision 2029") and its initiatives."""

    number: NumberText = Field(alias="nummer", description="The theme's number, e.g. 1")
    title: RequiredText = Field(alias="titel")
    initiatives: list[Initiative] = Field(alias="indsatser")


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
    rounds: list[RequiredText] = Field(
        alias="opfølgninger",
        min_length=1,
        description="The follow-up rounds in order; their labels fill the 'Tid' column",
    )
    themes: list[Theme] = Field(alias="temaer")
    title: Text = Field("", alias="titel", description="Overrides the composed document title")
    reading_guide: Text = Field(
        "", alias="læsevejledning", description="Overrides the reading guide's introduction"
    )

    @model_validator(mode="after")
    def _consistent(self, info: ValidationInfo) -> Agreement:
        if info.context and info.context.get(DEFER_CONSISTENCY):
            return self
        problems = self.consistency_problems()
        if problems:
            raise ValueError("; ".join(f"{_dotted(path)}: {msg}" for path, msg in problems))
        return self

    @property
    def initiatives(self) -> Iterator[Initiative]:
        """Iterate over every initiative in document order."""
        for theme in self.themes:
            yield from theme.initiatives

    def round_label(self, round: int) -> str:
        """Return the label of `round` as the document's "Tid" column shows it."""
        self.check_round(round)
        return self.rounds[round - 1]

    def check_round(self, round: int) -> int:
        """Return `round` if the agreement has it, else raise RoundError."""
        if not 1 <= round <= len(self.rounds):
            raise RoundError(
                f"round {round} does not exist; this agreement has rounds 1 to {len(self.rounds)}"
            )
        return round

    def latest_round(self) -> int | None:
        """Return the latest round with any smiley, milestone or economy; None if none."""
        given = [
            round
            for initiative in self.initiatives
            for round in (
                *(r for r, m in initiative.milestones.items() if m.smiley is not None),
                *initiative.economy.smileys,
            )
        ]
        return max(given, default=None)

    def missing(self, round: int) -> list[MissingSmiley]:
        """Return the smileys still missing at `round`, in document order."""
        self.check_round(round)
        missing = []
        for initiative in self.initiatives:
            milestone = initiative.milestone(round)
            if milestone.text and milestone.smiley is None:
                missing.append(MissingSmiley(initiative, round, "milepæl"))
            if initiative.economy_smiley_at(round) is None:
                missing.append(MissingSmiley(initiative, round, "økonomi"))
        return missing

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
