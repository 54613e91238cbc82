"""The agreement as typed data: themes, initiatives, milestones and smileys.

Python attribute names are English; the Danish YAML keys are their aliases. The models know
nothing of YAML or Word. Their field types are in `_fields`, their words in `_vocabulary`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Annotated, Any, Literal

import pydantic
from pydantic import AfterValidator, ValidationInfo, field_validator, model_validator
from pydantic_core import PydanticCustomError

from ._errors import RoundError
from ._fields import (
    ROUND_KEYS,
    EconomySmileyValue,
    KindValue,
    Model,
    NumberText,
    RequiredText,
    RoundKey,
    SmileyValue,
    Text,
    frozen,
)
from ._vocabulary import (
    Field,
    FrozenMap,
    Kind,
    KindWord,
    Smiley,
    SmileyWord,
    centre_key,
    round_number,
)

__all__ = [
    "DEFER_CONSISTENCY",
    "Agreement",
    "Economy",
    "Field",
    "FrozenMap",
    "Initiative",
    "Kind",
    "Milestone",
    "MissingSmiley",
    "SimilarCentre",
    "Smiley",
    "Theme",
    "centre_key",
    "round_number",
]

# Set in the validation context by the loader, which reports these problems with their lines.
DEFER_CONSISTENCY = "followupdocs_defer_consistency"


class Milestone(Model):
    """The milestone of one follow-up round, with the status and smiley given at that round."""

    text: Text = pydantic.Field("", alias="tekst")
    status: Text = pydantic.Field("", alias="status")
    smiley: SmileyValue | None = pydantic.Field(None, alias="smiley")

    if TYPE_CHECKING:  # the English names, typed, whether or not pydantic's mypy plugin runs

        def __init__(
            self, *, text: str = "", status: str = "", smiley: Smiley | SmileyWord | None = None
        ) -> None: ...


class Economy(Model):
    """The economy of an initiative and its smiley per round (green or red only)."""

    text: Text = pydantic.Field("", alias="tekst")
    smileys: Annotated[Mapping[RoundKey, EconomySmileyValue], AfterValidator(frozen)] = (
        pydantic.Field(
            default_factory=FrozenMap,
            alias="smiley",
            description="The economy smiley per follow-up number: grøn or rød",
            json_schema_extra=ROUND_KEYS,
        )
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


class Initiative(Model):
    """One initiative of the agreement: one card in the document."""

    number: NumberText = pydantic.Field(
        alias="nummer", description="The card's number, e.g. 2.02.1"
    )
    title: RequiredText = pydantic.Field(alias="titel")
    kind: KindValue = pydantic.Field(alias="type")
    agreement_text: Text = pydantic.Field(
        "",
        alias="aftaletekst",
        description="What was agreed; a blank line starts a paragraph, '• ' a bullet",
    )
    responsible_centre: RequiredText = pydantic.Field(alias="ansvarligt_center")
    responsible_committee: RequiredText = pydantic.Field(alias="ansvarligt_udvalg")
    main_contributor: Text = pydantic.Field("", alias="væsentlig_bidragsyder")
    implementation: Text = pydantic.Field(
        "", alias="gennemførelse", description="How the initiative is carried out"
    )
    milestones: Annotated[Mapping[RoundKey, Milestone], AfterValidator(frozen)] = pydantic.Field(
        default_factory=FrozenMap,
        alias="milepæle",
        description="One milestone per follow-up number (1 = the first round)",
        json_schema_extra=ROUND_KEYS,
    )
    economy: Economy = pydantic.Field(default_factory=Economy, alias="økonomi")

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


class Theme(Model):
    """A theme of the agreement ("1. Vision 2029") and its initiatives."""

    number: NumberText = pydantic.Field(alias="nummer", description="The theme's number, e.g. 1")
    title: RequiredText = pydantic.Field(alias="titel")
    initiatives: tuple[Initiative, ...] = pydantic.Field(alias="indsatser")

    if TYPE_CHECKING:

        def __init__(
            self, *, number: str, title: str, initiatives: Sequence[Initiative]
        ) -> None: ...


@dataclass(frozen=True)
class MissingSmiley:
    """A smiley the secretariat still has to collect for a round."""

    initiative: Initiative
    round: int
    field: Field  # "milestone" or "economy"

    def __str__(self) -> str:
        what = "milestone smiley" if self.field == "milestone" else "economy smiley"
        return f"{self.initiative.number} {self.initiative.title}: no {what} at round {self.round}"


@dataclass(frozen=True)
class SimilarCentre:
    """A responsible centre spelt unlike its first spelling, though only in case or spacing."""

    name: str
    path: tuple[str | int, ...]  # where this spelling first appears
    first_name: str
    first_path: tuple[str | int, ...]
    first_number: str  # the initiative where the first spelling appears


class Agreement(Model):
    """A budget agreement's follow-up: its rounds and the themes with their initiatives."""

    municipality: RequiredText = pydantic.Field(alias="kommune")
    name: RequiredText = pydantic.Field(alias="aftale")
    committee: RequiredText = pydantic.Field(alias="udvalg")
    rounds: tuple[RequiredText, ...] = pydantic.Field(
        alias="opfølgninger",
        min_length=1,
        description="The follow-up rounds in order; their labels fill the 'Tid' column",
    )
    themes: tuple[Theme, ...] = pydantic.Field(alias="temaer")
    title: Text = pydantic.Field(
        "", alias="titel", description="Overrides the composed document title"
    )
    reading_guide: Text = pydantic.Field(
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
                missing.append(MissingSmiley(initiative, round, "milestone"))
            if initiative.economy_smiley_at(round=round) is None:
                missing.append(MissingSmiley(initiative, round, "economy"))
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
