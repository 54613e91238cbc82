"""Read an edited committee document back: the touch-ups its editors made, as answers.

A committee document is what `render` wrote, touched up in Word before it went on the agenda.
The card reader (`read_document`) reads it like any follow-up document; here every field it
shows is compared with the agreement, and each one that differs becomes an `Answer`, the same
kind of answer a form gives, so `collect` treats both alike: conflicts between files, changes,
the surgical write. Only what the document shows is compared: statuses and milestone smileys
of its rounds up to its own, the economy smiley of its round, milestone texts of every round.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

from ._context import paragraphs
from ._errors import DocumentError, FormError
from ._formfile import controls_in
from ._importing import PLACEHOLDER, DocumentReading, read_document
from ._models import Agreement, Field, Initiative, Smiley
from ._updating import ROUND_FIELDS, TEXTS, WHAT, current

__all__ = ["Answer", "Touchups", "is_document", "read_touchups", "same_as"]

# The initiative's own fields a card shows, in the order a reader meets them (WHAT's order).
_OWN: tuple[Field, ...] = tuple(field for field in WHAT if field not in ROUND_FIELDS)


@dataclass(frozen=True)
class Answer:
    """One value a form or a committee document gives for a field."""

    source: str
    number: str
    round: int | None  # None for the initiative's own fields
    field: Field
    value: str  # "" where nothing was filled in (a form) or the editor removed the text
    document: bool = False  # a document's "" is an answer: the text was removed


@dataclass
class Touchups:
    """What one committee document says against the agreement."""

    answers: list[Answer] = dataclasses.field(default_factory=list)
    conflicts: list[str] = dataclasses.field(default_factory=list)
    notes: list[str] = dataclasses.field(default_factory=list)
    round: int | None = None  # the document's round, once read


def same_as(value: str, field: Field) -> Any:
    """Return what decides whether two values are the same: a text by its paragraphs."""
    return tuple(tuple(p.items()) for p in paragraphs(value)) if field in TEXTS else value


def is_document(name: str) -> bool:
    """Tell whether a file is a committee document rather than a form.

    Forms have content controls; a document has none. A file that cannot be read at all is
    left to the form reader, which says why in the words forms use.
    """
    try:
        found, unnamed = controls_in(name)
    except FormError:
        return False
    return not found and not unnamed


def read_touchups(agreement: Agreement, name: str, *, round: int | None, source: str) -> Touchups:
    """Read the committee document `name` and return where it differs from `agreement`."""
    result = Touchups()
    try:
        reading = read_document(name, kommune=agreement.municipality)
    except DocumentError as exc:  # no card, or none that can be read
        first, *rest = (_located(name, p) for p in exc.problems)
        what = first.removeprefix(f"{name}: ")
        result.conflicts.append(
            f"{name}: not a followupdocs form (it has no fields to read), nor a committee "
            f"document: {what}"
        )
        result.conflicts.extend(rest)
        return result
    result.round = reading.round
    if _same_agreement(agreement, reading, name, round, source, result):
        _problems(agreement, reading, name, result)
        _compare_cards(agreement, reading, name, source, result)
        result.notes.extend(_theme_titles(agreement, reading, name, source))
    return result


def _theme_titles(
    agreement: Agreement, reading: DocumentReading, name: str, source: str
) -> list[str]:
    """Return a note for each theme the document titles unlike the agreement.

    A theme title is no field of an initiative, so it is not written back; the note keeps an
    editor's rewording from being lost unseen at the next render.
    """
    ours = {theme.number: theme.title for theme in agreement.themes}
    return [
        f"{name}: theme {theme.number} is titled {theme.title!r} in the document, "
        f"{ours[theme.number]!r} in {source}; collect does not write theme titles: change it "
        f"in {source} by hand, or the next document shows the old title"
        for theme in reading.agreement.themes
        if theme.number in ours
        and " ".join(theme.title.split()) != " ".join(ours[theme.number].split())
    ]


def _problems(agreement: Agreement, reading: DocumentReading, name: str, result: Touchups) -> None:
    """Add what the reader could not map: errors are conflicts, warnings notes."""
    own_title = bool(agreement.title) and reading.agreement.title == agreement.title
    for problem in reading.problems:
        if own_title and problem.severity == "warning" and not problem.path:
            continue  # "fill in 'aftale' and 'udvalg'": the YAML has them
        (result.conflicts if problem.severity == "error" else result.notes).append(
            _located(name, problem)
        )


def _compare_cards(
    agreement: Agreement, reading: DocumentReading, name: str, source: str, result: Touchups
) -> None:
    """Add each card's differences, cards the YAML lacks, and cards the document lacks."""
    by_number = {i.number: i for i in agreement.initiatives}
    for card in reading.agreement.initiatives:
        initiative = by_number.get(card.number)
        if initiative is None:
            result.conflicts.append(
                f"{name}: the card {card.number} {card.title} is not in {source}; add the "
                "initiative to the YAML first (followupdocs import reads the whole document)"
            )
            continue
        result.answers.extend(
            _differences(name, initiative, card, reading.round, len(agreement.rounds))
        )
        result.notes.extend(_removed_smileys(name, initiative, card, reading.round, source))
    if not reading.errors:  # a card left out for a problem is reported already
        shown = {card.number for card in reading.agreement.initiatives}
        result.notes.extend(
            f"{name}: the card {i.number} {i.title} is not in the document (deleted?); "
            f"{source} keeps it"
            for i in agreement.initiatives
            if i.number not in shown
        )


def _located(name: str, problem: Any) -> str:
    """Return a reader's problem as a line naming the document (not its full path twice)."""
    where = f"{problem.path}: " if problem.path else ""
    return f"{name}: {where}{problem.message}"


def _same_agreement(
    agreement: Agreement,
    reading: DocumentReading,
    name: str,
    round: int | None,
    source: str,
    result: Touchups,
) -> bool:
    """Tell whether the document is of `agreement` (and of `round`, if given); if not, say so."""
    read = reading.agreement
    if agreement.title and read.title == agreement.title:
        pass  # the agreement's own title ('titel'), which names no agreement the reader knows
    elif PLACEHOLDER in (read.name, read.committee):
        result.conflicts.append(
            f"{name}: the title {read.title!r} does not read 'Første opfølgning på <aftale> på "
            "<udvalg>s område', so nothing tells which agreement the document is for; "
            f"restore its title as {source} renders it"
        )
        return False
    elif (read.name, read.committee) != (agreement.name, agreement.committee):
        result.conflicts.append(
            f"{name}: the document is for {read.name}, {read.committee}, not "
            f"{agreement.name}, {agreement.committee} ({source})"
        )
        return False
    if tuple(read.rounds) != tuple(agreement.rounds):
        result.conflicts.append(
            f"{name}: the document's rounds ({', '.join(read.rounds)}) are not those of "
            f"{source} ({', '.join(agreement.rounds)})"
        )
        return False
    if round is not None and reading.round != round:
        result.conflicts.append(
            f"{name}: the document is for round {reading.round} "
            f"({agreement.round_label(round=reading.round)}), not round {round}"
        )
        return False
    return True


def _differences(
    name: str, initiative: Initiative, card: Initiative, round: int, last: int
) -> list[Answer]:
    """Return an answer for every field the card shows unlike the agreement."""
    shown: list[tuple[int | None, Field]] = [(None, field) for field in _OWN]
    for number in range(1, last + 1):
        shown.append((number, "milestone_text"))
        if number <= round:
            shown += [(number, "status"), (number, "milestone")]
    shown.append((round, "economy"))
    answers = []
    for at, field in shown:
        old, new = current(initiative, at, field), current(card, at, field)
        if same_as(new, field) == same_as(old, field):
            continue
        if field in ROUND_FIELDS - TEXTS and not new:
            continue  # a smiley the document lacks: a note (_removed_smileys), not a change
        answers.append(Answer(name, initiative.number, at, field, new, True))
    return answers


def _removed_smileys(
    name: str, initiative: Initiative, card: Initiative, round: int, source: str
) -> list[str]:
    """Return a note for each smiley the agreement has but the document does not show."""
    shown: list[tuple[int, Field, Smiley | None, Smiley | None]] = [
        (r, "milestone", initiative.smiley_at(round=r), card.smiley_at(round=r))
        for r in range(1, round + 1)
    ]
    shown.append(
        (
            round,
            "economy",
            initiative.economy_smiley_at(round=round),
            card.economy_smiley_at(round=round),
        )
    )
    return [
        f"{name}: {initiative.number}: the document shows no {WHAT[field]} at round {r}; "
        f"{source} keeps {old.value}"
        for r, field, old, new in shown
        if old is not None and new is None
    ]
