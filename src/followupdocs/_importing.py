"""Read a follow-up document in the card layout back into an `Agreement`.

The Word layer reads the cards (`_docx.cardreader`); here they become initiatives, themes and
rounds. The document's round is the one its title names, else the last round with a smiley or
a status; statuses and smileys up to it are read, milestone texts of every round. Whatever
cannot be mapped is a `Problem` located as Word shows it ("table 12, row 3").
"""

from __future__ import annotations

import os
import re
import zipfile
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import pydantic
from lxml import etree  # type: ignore[import-untyped]  # lxml ships no type information

from ._context import _ORDINALS
from ._docx.cardreader import Card, CardDocument, MilestoneRow, Place, read_cards
from ._docx.package import NotAPackageError, PackageError, read_package
from ._docx.text import whole_number
from ._docx.wordread import read_body
from ._errors import DocumentError, Problem, RoundError
from ._models import Agreement, Economy, Initiative, Milestone, Smiley, Theme

__all__ = ["PLACEHOLDER", "DocumentReading", "read_document"]

# Stands for what the document does not say (the municipality, usually); the YAML writer
# leaves such a value empty with a note, so `validate` reports it.
PLACEHOLDER = "UDFYLD"

_TITLE = re.compile(
    r"^(?P<ordinal>\S+)\s+opfølgning\s+på\s+(?P<name>.+)\s+på\s+(?P<committee>.+?)(?:s|')\s+område$",
    re.IGNORECASE,
)
_ROUND_WORDS = {word.casefold(): n for n, word in enumerate(_ORDINALS, start=1)}


@dataclass(frozen=True)
class DocumentReading:
    """What `read_document` read: the agreement, the document's round and the problems.

    `problems` are located in the document ("table 12, row 3"); an error means something
    shown in the document is not in `agreement` (a card or a value that could not be read).
    """

    agreement: Agreement
    round: int
    problems: tuple[Problem, ...]

    @property
    def errors(self) -> tuple[Problem, ...]:
        """Return the problems that are errors."""
        return tuple(p for p in self.problems if p.severity == "error")


def read_document(
    path: str | os.PathLike[str], *, kommune: str | None = None, round: int | None = None
) -> DocumentReading:
    """Read a follow-up document in the card layout (rendered by followupdocs or made by hand).

    `kommune` names the municipality, which the document does not say; without it the
    agreement carries a placeholder, reported as a warning. `round` overrides the round the
    document is for. Raise DocumentError if the file is no Word document or holds no card.
    """
    source = os.fspath(path)
    document = read_cards(read_body(_parts(source), lambda data: _parse(data, source)))
    return _Builder(source, document, kommune, round).build()


def _parts(source: str) -> dict[str, bytes]:
    def fail(message: str) -> DocumentError:
        return DocumentError([Problem(source, None, None, "", message)])

    try:
        parts = read_package(Path(source))
    except NotAPackageError:
        raise fail("not a Word document (.docx)") from None
    except PackageError as exc:
        raise fail(str(exc)) from None
    except FileNotFoundError:
        raise fail("the file does not exist") from None
    except IsADirectoryError:
        raise fail("is a folder, not a Word document") from None
    except zipfile.BadZipFile:
        raise fail("not a Word document (.docx)") from None
    except OSError as exc:
        raise fail(f"cannot read the file ({exc.strerror or exc})") from None
    if "word/document.xml" not in parts:
        raise fail("not a Word document (.docx): it has no word/document.xml")
    if "word/vbaProject.bin" in parts:
        raise fail("the document holds macros; save it as a Word document (.docx) without them")
    return parts


def _parse(data: bytes, source: str) -> Any:
    try:
        # python-docx's parser settings without its element classes, which the reader does
        # not use and which make every element lxml hands out slower to build.
        root = etree.fromstring(
            data, etree.XMLParser(remove_blank_text=True, resolve_entities=False)
        )
    except Exception as exc:  # lxml's XMLSyntaxError: a damaged part
        raise DocumentError(
            [Problem(source, None, None, "", f"the document is damaged ({exc})")]
        ) from None
    if root.getroottree().docinfo.doctype:
        raise DocumentError(
            [Problem(source, None, None, "", "the document holds a <!DOCTYPE>, which Word never "
                     "writes; open it in Word and save it again")]
        )  # fmt: skip
    return root


def _row_rounds(card: Card, rounds: list[str]) -> list[int | None]:
    """Return the round of each of the card's "Milepæl" rows, None where its label tells none.

    Rows in the rounds' order are theirs by position (two rounds may share a label); other
    rows by a label that names exactly one round.
    """
    labels = [m.label for m in card.milestones]
    if labels == rounds:
        return list(range(1, len(rounds) + 1))
    return [_label_round(label, rounds) for label in labels]


def _label_round(label: str, rounds: list[str]) -> int | None:
    """Return the one round `label` names, as written or with other spacing; else None."""
    if label in rounds:
        return rounds.index(label) + 1 if rounds.count(label) == 1 else None
    spaced = [" ".join(r.split()) for r in rounds]
    key = " ".join(label.split())
    return spaced.index(key) + 1 if spaced.count(key) == 1 else None


class _Builder:
    def __init__(
        self, source: str, document: CardDocument, kommune: str | None, round: int | None
    ) -> None:
        self.source = source
        self.document = document
        self.kommune = kommune
        self.asked_round = round
        self.problems = [self._problem(p.place, p.message, p.severity) for p in document.problems]

    def _problem(self, place: Place | str, message: str, severity: str = "error") -> Problem:
        level: Literal["error", "warning"] = "warning" if severity == "warning" else "error"
        return Problem(self.source, None, None, str(place), message, severity=level)

    def add(self, place: Place | str, message: str, severity: str = "error") -> None:
        self.problems.append(self._problem(place, message, severity))

    def build(self) -> DocumentReading:
        cards = self.document.cards
        if not cards:
            raise DocumentError(
                [
                    *self.problems,
                    self._problem("", "no card found: no table with 'Tid' in its first row "
                                  "or with 'Milepæl' rows; is it a follow-up document?"),
                ]
            )  # fmt: skip
        rounds = self.rounds(cards)
        name, committee, title_round, title = self.title()
        round = self.round_of(cards, rounds, title_round)
        themes = self.themes(cards, rounds, round)
        if not themes:
            raise DocumentError(self.problems)
        municipality = self.kommune or PLACEHOLDER
        if not self.kommune:
            self.add(
                "",
                "the document does not name the municipality; give it with --kommune (or "
                "kommune=...) or fill in 'kommune' in the YAML",
                "warning",
            )
        agreement = Agreement(
            municipality=municipality,
            name=name,
            committee=committee,
            rounds=rounds,
            themes=themes,
            title=title,
        )
        return DocumentReading(agreement, round, tuple(self.problems))

    def rounds(self, cards: Sequence[Card]) -> list[str]:
        """Return the rounds: the "Tid" labels most cards show, in their order."""
        sequences = Counter(
            tuple(m.label for m in card.milestones) for card in cards if card.milestones
        )
        if not sequences:
            raise DocumentError(
                [*self.problems, self._problem("", "no card has a 'Milepæl' row with a round "
                                               "in its 'Tid' column")]
            )  # fmt: skip
        labels, _ = sequences.most_common(1)[0]
        if "" in labels:
            raise DocumentError(
                [*self.problems, self._problem(
                    cards[0].place, "a 'Milepæl' row has no label in its 'Tid' column, so "
                    "the rounds cannot be told")]
            )  # fmt: skip
        return list(labels)

    def title(self) -> tuple[str, str, int | None, str]:
        """Return the agreement's name and committee, the round the title names, and the
        title to keep where it is not the composed one."""
        text = self.document.title
        found = _TITLE.match(text)
        if not found:
            where = f"the title {text!r}" if text else "the document has no title, so it"
            self.add(
                "",
                f"{where} does not read 'Første opfølgning på <aftale> på <udvalg>s område'; "
                "fill in 'aftale' and 'udvalg' in the YAML",
                "warning",
            )
            return PLACEHOLDER, PLACEHOLDER, None, text
        ordinal = found.group("ordinal").casefold()
        number: int | None = _ROUND_WORDS.get(ordinal)
        if number is None and ordinal.endswith("."):
            number = whole_number(ordinal[:-1], 3)  # "2."
        if ordinal == "endelig":
            number = -1  # the last round, whatever the count
        return found.group("name").strip(), found.group("committee").strip(), number, ""

    def round_of(self, cards: Sequence[Card], rounds: list[str], named: int | None) -> int:
        """Return the document's round: as asked, as the title names it, else the last given."""
        given = [
            number
            for card in cards
            for m, number in zip(card.milestones, _row_rounds(card, rounds), strict=True)
            if number is not None and (m.smiley is not None or m.status)
        ]
        last = max(given, default=None)
        if named == -1:
            named = len(rounds)
        if named is not None and not 1 <= named <= len(rounds):
            named = None
        if self.asked_round is not None:
            return self.checked_round(len(rounds))
        round = named or last or 1
        if last is not None and last > round:
            self.add(
                "",
                f"the title names round {round} ({rounds[round - 1]}), but round {last} has "
                "statuses or smileys; they are left out (use --round to read them)",
                "warning",
            )
        return round

    def checked_round(self, count: int) -> int:
        """Return the round asked for, if the document has it; else raise RoundError."""
        asked = self.asked_round
        if isinstance(asked, bool) or not isinstance(asked, int):
            raise RoundError(f"the round must be a whole number such as 1, not {asked!r}")
        if not 1 <= asked <= count:
            raise RoundError(
                f"{self.source}: round {asked} does not exist; the document has rounds 1 to {count}"
            )
        return asked

    def themes(self, cards: Sequence[Card], rounds: list[str], round: int) -> list[Theme]:
        grouped: dict[Any, list[Initiative]] = {}
        titles: dict[Any, tuple[str, str]] = {}
        numbers: dict[str, Place] = {}
        for card in cards:
            if card.theme is None:
                self.add(card.place, f"the card {card.number} comes before any theme heading "
                         "(such as '1. Vision 2029'); it is left out")  # fmt: skip
                continue
            if card.number in numbers:
                self.add(card.place, f"the number {card.number!r} is already used by the card "
                         f"in {numbers[card.number]}; it is left out")  # fmt: skip
                continue
            initiative = self.initiative(card, rounds, round)
            if initiative is None:
                continue
            numbers[card.number] = card.place
            key = card.theme.place
            titles[key] = (card.theme.number, card.theme.title)
            grouped.setdefault(key, []).append(initiative)
        return [
            Theme(number=titles[key][0], title=titles[key][1], initiatives=items)
            for key, items in grouped.items()
        ]

    def initiative(self, card: Card, rounds: list[str], round: int) -> Initiative | None:
        if not card.has_agreement_row:
            self.add(card.place, f"the card {card.number} has no row with 'Ansvarligt center:' "
                     "and 'Ansvarligt udvalg:'; it is left out")  # fmt: skip
            return None
        milestones = self.milestones(card, rounds, round)
        economy = self.economy(card, round)
        try:
            return Initiative(
                number=card.number,
                title=card.title,
                kind=card.kind,  # type: ignore[arg-type]  # checked by the model
                agreement_text=card.agreement_text,
                responsible_centre=card.fields.get("responsible_centre", ""),
                responsible_committee=card.fields.get("responsible_committee", ""),
                main_contributor=card.fields.get("main_contributor", ""),
                implementation=card.implementation,
                milestones=milestones,
                economy=economy,
            )
        except pydantic.ValidationError as exc:
            for error in exc.errors():
                field = _FIELD_WORDS.get(str(error["loc"][0]), str(error["loc"][0]))
                self.add(card.place, f"the card {card.number}: {field} {error['msg']}; "
                         "it is left out")  # fmt: skip
            return None

    def milestones(self, card: Card, rounds: list[str], round: int) -> dict[int, Milestone]:
        found: dict[int, Milestone] = {}
        for row, position in zip(card.milestones, _row_rounds(card, rounds), strict=True):
            number = self.milestone_round(row, position, rounds, found)
            if number is None:
                continue
            shown = number <= round
            smiley = self.smiley_word(row.smiley) if shown else None
            if row.text or (shown and (row.status or smiley)):
                found[number] = Milestone(
                    text=row.text,
                    status=row.status if shown else "",
                    smiley=smiley,  # type: ignore[arg-type]
                )
        labels = {m.label for m in card.milestones}
        for label in rounds:
            if label not in labels:
                self.add(card.place, f"the card {card.number} has no 'Milepæl' row for "
                         f"{label!r}")  # fmt: skip
        return found

    def milestone_round(
        self, row: MilestoneRow, number: int | None, rounds: list[str], found: dict[int, Milestone]
    ) -> int | None:
        if number is None and rounds.count(row.label) > 1:
            self.add(row.place, f"'Tid' label {row.label!r} names more than one round, and the "
                     "card's rows are not in the rounds' order; the row is left out")  # fmt: skip
            return None
        if number is None:
            self.add(row.place, f"'Tid' label {row.label!r} is not a round of this document "
                     f"({', '.join(rounds)}); the row is left out")  # fmt: skip
            return None
        if number in found:
            self.add(row.place, f"a second 'Milepæl' row for {row.label!r}; it is left out")
            return None
        return number

    def economy(self, card: Card, round: int) -> Economy:
        if card.economy is None:
            self.add(card.place, f"the card {card.number} has no 'Økonomi' row")
            return Economy()
        smiley = self.smiley_word(card.economy.smiley)
        if smiley == "gul":
            self.add(card.economy.smiley.place,  # type: ignore[union-attr]
                     "the economy smiley is yellow, but the economy is green or red only; "
                     "it is left out")  # fmt: skip
            smiley = None
        smileys = {round: smiley} if smiley else {}
        return Economy(text=card.economy.text, smileys=smileys)  # type: ignore[arg-type]

    def smiley_word(self, smiley: Any) -> str | None:
        if smiley is None:
            return None
        if smiley.colour is None:
            self.add(
                smiley.place,
                f"the smiley is neither a smiley picture nor a known symbol (found "
                f"{smiley.seen}); use a smiley picture or Wingdings J, K or L",
            )
            return None
        return str(Smiley(smiley.colour))


_FIELD_WORDS = {
    "nummer": "the number",
    "titel": "the title",
    "type": "the kind (Drift, Anlæg or Anlæg og drift)",
    "ansvarligt_center": "'Ansvarligt center'",
    "ansvarligt_udvalg": "'Ansvarligt udvalg'",
}
