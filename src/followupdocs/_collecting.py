"""Read filled forms and edited committee documents back, compare, update the YAML.

`collect` reads every followupdocs control of a form by its tag, validates the values and
returns the changes, and every conflict it will not resolve silently: a form for another round
or agreement, an unknown initiative, a value outside the list, the same field answered
differently twice, a deleted control. A committee document (a file without content controls)
is read by the card reader, and each field it shows unlike the agreement is an answer too
(`_touchups`). `update_yaml` then writes only the changed values.
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from pydantic import ValidationError

from ._docx.controls import (
    ECONOMY_CHOICES,
    FIELDS,
    MILESTONE_CHOICES,
    FieldTag,
    Marker,
    centre_id,
    number_code,
)
from ._docx.readback import Control
from ._formfile import controls_in, unreadable
from ._forms import FormError, centres, form_agreement_id, form_lines
from ._models import Agreement, Field, Milestone
from ._touchups import Answer, is_document, read_touchups, same_as
from ._updating import WHAT, Change, apply_changes, current, update_yaml

__all__ = ["Change", "Collection", "apply_changes", "collect", "update_yaml"]

# The forms' tags name a milestone's smiley "smiley" (kept, so forms already sent out still
# read); everywhere else it is the milestone's field, as Change.field says.
_FIELD: dict[str, Field] = {"status": "status", "smiley": "milestone", "economy": "economy"}
_ORDER = tuple(WHAT)  # the order of an initiative's changes: its own fields, then by round


def _what(tag_field: str) -> str:
    """Return what a form's field holds, in words: "milestone smiley" for a "smiley" tag."""
    return WHAT[_FIELD[tag_field]]


@dataclass(frozen=True)
class Collection:
    """What a set of forms and documents says: the changes, conflicts, and notes worth a look."""

    changes: tuple[Change, ...]
    conflicts: tuple[str, ...]  # each a line naming the form, document or initiative
    notes: tuple[str, ...]  # fields left empty where the agreement has a value (kept), ...
    rounds: tuple[int, ...]  # the rounds the forms and documents are for
    documents: tuple[str, ...] = ()  # the files read as committee documents, not forms


def collect(
    agreement: Agreement,
    forms: Iterable[str | os.PathLike[str]],
    *,
    round: int | None = None,
    source: str = "the agreement",
) -> Collection:
    """Read `forms` and return what they change in `agreement`, and every conflict.

    Each file is a centre's form or, if it has no content controls, a committee document
    that editors touched up: every field it shows unlike `agreement` is a change. With
    `round`, a form or document for another round is a conflict; without it the forms must
    agree on one round (documents may be of any). `source` names the agreement (its file) in
    messages.
    """
    if round is not None:
        agreement.check_round(round=round)
    reader = _Reader(agreement, round, source)
    for form in forms:
        name = os.fspath(form)  # str() of a path-like that is not a Path is its repr
        if is_document(name):
            reader.read_document(name)
        else:
            reader.read(name)
    if round is None and len(set(reader.rounds.values())) > 1:
        listed = ", ".join(f"{name}: {number}" for name, number in reader.rounds.items())
        reader.conflicts.append(
            f"the forms are for different rounds ({listed}); collect one round at a time "
            "with --round N"
        )
    changes, notes = _compare(agreement, reader)
    return Collection(
        tuple(changes),
        tuple(reader.conflicts),
        tuple(reader.notes + notes),
        tuple(sorted({*reader.rounds.values(), *reader.documents.values()})),
        tuple(reader.documents),
    )


class _Reader:
    """Read forms one by one, collecting their answers and conflicts."""

    def __init__(self, agreement: Agreement, round: int | None, source: str) -> None:
        self.agreement = agreement
        self.round = round
        self.source = source
        self.by_number = {i.number: i for i in agreement.initiatives}
        # A bookmark names an initiative whose number no bookmark name can spell by its code.
        self.by_code = {f"#{number_code(n)}": n for n in self.by_number}
        self.centres = {centre_id(c): c for c in centres(agreement)}
        self.answers: list[Answer] = []
        self.conflicts: list[str] = []
        self.notes: list[str] = []
        self.rounds: dict[str, int] = {}  # the forms' rounds
        self.documents: dict[str, int] = {}  # the committee documents' rounds

    def read_document(self, name: str) -> None:
        """Read one committee document: every field it shows unlike the agreement."""
        found = read_touchups(self.agreement, name, round=self.round, source=self.source)
        if found.round is not None:
            self.documents[name] = found.round
        self.answers.extend(found.answers)
        self.conflicts.extend(found.conflicts)
        self.notes.extend(found.notes)

    def read(self, name: str) -> None:
        """Read one form: its title says which agreement and round, its fields the answers."""
        tagged = self._tagged(name)
        if tagged is None:
            return
        marker, fields = tagged
        form_round = self._form_round(name, marker, fields)
        if form_round is None or not self._round_ok(name, form_round):
            return
        self.rounds[name] = form_round
        answered = self._read_fields(name, form_round, marker, fields)
        if marker is not None:
            self._deleted(name, marker, answered)

    def _tagged(self, name: str) -> tuple[Marker | None, list[tuple[FieldTag, Control]]] | None:
        """Return a form's title (None if deleted) and its fields; None if it cannot be read."""
        try:
            found, unnamed = controls_in(name)
        except FormError as exc:
            self.conflicts.append(f"{name}: {exc}")
            return None
        tagged = [(self._tag(name, control), control) for control in found]
        markers = {tag for tag, _ in tagged if isinstance(tag, Marker)}
        fields = [(tag, c) for tag, c in tagged if isinstance(tag, FieldTag)]
        if not markers and not fields:
            self.conflicts.append(f"{name}: {unreadable(name, unnamed)}")
            return None
        if len(markers) > 1:
            self.conflicts.append(f"{name}: the form holds the titles of several forms")
            return None
        return next(iter(markers), None), fields

    def _form_round(
        self, name: str, marker: Marker | None, fields: list[tuple[FieldTag, Control]]
    ) -> int | None:
        """Return the round a form is for; None if it is for another agreement."""
        if marker is None:
            self.conflicts.append(
                f"{name}: the form's title field was deleted, so nothing tells which agreement "
                "and round it is for; copy the answers into a new form"
            )
            return Counter(tag.round for tag, _ in fields).most_common(1)[0][0]
        if marker.agreement != form_agreement_id(self.agreement):
            self.conflicts.append(
                f"{name}: the form is for another agreement, not {self.agreement.name}, "
                f"{self.agreement.committee} ({self.source})"
            )
            return None
        return marker.round

    def _read_fields(
        self,
        name: str,
        form_round: int,
        marker: Marker | None,
        fields: list[tuple[FieldTag, Control]],
    ) -> set[tuple[str, str]]:
        """Collect the answers of a form's fields; return every field it still has."""
        answered = set()  # every control the form still has, whatever its value
        for tag, control in fields:
            if tag.round == form_round:
                answered.add((tag.number, tag.field))
            answer = self._answer(name, form_round, tag, control, marker)
            if answer is not None:
                self.answers.append(answer)
        return answered

    def _tag(self, name: str, control: Control) -> Marker | FieldTag | None:
        """Return what a control's tag says; a damaged followupdocs tag is a conflict."""
        what = control.what  # None for a damaged tag, a round such as "²" or 4300 digits too
        if what is None:
            self.conflicts.append(
                f"{name}: a field's tag {_cut(control.tag)!r} is damaged, so it is not known what "
                "it answers; write a new form and copy the answers into it"
            )
        return self._resolved(what)

    def _resolved(self, what: Marker | FieldTag | None) -> Marker | FieldTag | None:
        """Return `what` with a bookmark's number code replaced by the number it stands for."""
        if isinstance(what, FieldTag) and what.number in self.by_code:
            return FieldTag(self.by_code[what.number], what.round, what.field)
        return what

    def _round_ok(self, name: str, form_round: int) -> bool:
        last = len(self.agreement.rounds)
        if not 1 <= form_round <= last:
            self.conflicts.append(
                f"{name}: the form is for round {form_round}; {self.source} has rounds 1 to {last}"
            )
            return False
        if self.round is not None and form_round != self.round:
            self.conflicts.append(
                f"{name}: the form is for round {form_round} "
                f"({self.agreement.round_label(round=form_round)}), not round {self.round}"
            )
            return False
        return True

    def _answer(
        self, name: str, form_round: int, tag: FieldTag, control: Control, marker: Marker | None
    ) -> Answer | None:
        where = f"{name}: {tag.number}: the {_what(tag.field)}"
        if tag.round != form_round:
            self.conflicts.append(
                f"{where} field is for round {tag.round}, but the form is for round "
                f"{form_round}; it was copied from another form"
            )
            return None
        if tag.number not in self.by_number:
            self.conflicts.append(
                f"{name}: initiative {tag.number} is not in {self.source}; was it renumbered "
                "or removed after the form was written?"
            )
            return None
        if not self._own(name, tag, marker):
            return None
        if tag.field == "status":
            value = _status(control.answer())
            value = _rejoined(value, control, self.by_number[tag.number].status_at(round=tag.round))
            try:
                Milestone(status=value)
            except ValidationError as exc:
                message = str(exc.errors()[0]["msg"])
                self.conflicts.append(f"{where} {message}")
                return None
        else:
            choices = MILESTONE_CHOICES if tag.field == "smiley" else ECONOMY_CHOICES
            try:
                value = control.choice(choices) or ""
            except ValueError as exc:
                allowed = ", ".join(text for _, text in choices)
                self.conflicts.append(
                    f"{where} is {_cut(str(exc))}, which is not on the list ({allowed})"
                )
                return None
        return Answer(name, tag.number, tag.round, _FIELD[tag.field], value)

    def _own(self, name: str, tag: FieldTag, marker: Marker | None) -> bool:
        """Tell whether the field answers for the form's own centre; if not, note a conflict.

        A form answers only for the centre its title names; a field of another centre's
        initiative was copied (or smuggled) in. Where the title's centre is unknown, the
        deleted-fields check already refuses the form.
        """
        centre = self.centres.get(marker.centre) if marker is not None else None
        owner = self.by_number[tag.number].responsible_centre
        if centre is None or owner == centre:
            return True
        self.conflicts.append(
            f"{name}: {tag.number}: the {_what(tag.field)} field belongs to {owner}'s initiative, "
            f"but the form is {centre}'s; a form answers only for its own centre"
        )
        return False

    def _deleted(self, name: str, marker: Marker, answered: set[tuple[str, str]]) -> None:
        centre = self.centres.get(marker.centre)
        if centre is None:
            self.conflicts.append(
                f"{name}: the form's responsible centre no longer has initiatives in "
                f"{self.source}, so deleted fields cannot be found"
            )
            return
        for initiative in self.agreement.initiatives:
            if initiative.responsible_centre != centre:
                continue
            for field in FIELDS:
                if (initiative.number, field) not in answered:
                    self.conflicts.append(
                        f"{name}: {initiative.number}: the {_what(field)} field was deleted (or "
                        f"the initiative was added after the form was written); write a new "
                        f'form with --centre "{centre}" and copy the answers into it'
                    )


def _rejoined(value: str, control: Control, old: str) -> str:
    """Return the agreement's status where a form shows it with only its line breaks lost.

    LibreOffice 7.4 moves the line breaks of a plain-text control in front of it when it
    opens a form, joining the lines; saved unchanged, such a status is not a new answer.
    """
    if not control.breaks_before or not old:
        return value
    lines = [line.strip() for line in form_lines(old)]
    if len(lines) > 1 and value == "".join(lines):
        return old
    return value


def _status(text: str) -> str:
    """Return a typed status as YAML text: each line of the field is a paragraph."""
    return "\n\n".join(line.strip() for line in text.split("\n") if line.strip())


def _compare(agreement: Agreement, reader: _Reader) -> tuple[list[Change], list[str]]:
    groups: dict[tuple[str, int | None, Field], list[Answer]] = {}
    for answer in reader.answers:
        groups.setdefault((answer.number, answer.round, answer.field), []).append(answer)
    order = {number: index for index, number in enumerate(reader.by_number)}
    changes, notes = [], []
    for key in sorted(groups, key=lambda k: (order[k[0]], k[1] or 0, _ORDER.index(k[2]))):
        number, round, field = key
        initiative = reader.by_number[number]
        old = current(initiative, round, field)
        given = _given(groups[key], field, old)
        if given is None:
            continue
        values = dict.fromkeys(same_as(a.value, field) for a in given)
        at = "" if round is None else f" at round {round}"
        where = f"{number}: the {WHAT[field]}{at}"
        if len(values) > 1:
            listed = "; ".join(f"{a.source}: {_short(a.value)}" for a in given)
            reader.conflicts.append(f"{where} is answered differently ({listed})")
            continue
        if not given:
            if old:
                forms = ", ".join(a.source for a in groups[key])
                notes.append(f"{where} is empty in {forms}; {reader.source} keeps {_short(old)}")
            continue
        new = given[0].value
        if same_as(new, field) == same_as(old, field):
            continue
        sources = tuple(dict.fromkeys(a.source for a in given))
        changes.append(Change(number, initiative.title, round, field, old, new, sources))
    return changes, notes


def _given(answers: list[Answer], field: Field, old: str) -> list[Answer] | None:
    """Return the answers that give a value; None where a document shows the agreement's.

    A form's empty field gives nothing (a note says the YAML keeps its value); a document's
    empty field is a text its editor removed. Beside a document, only values that differ from
    the agreement count: a form repeating the agreement does not conflict with a touch-up.
    """
    given = [a for a in answers if a.value or a.document]
    if not any(a.document for a in given):
        return given
    changed = [a for a in given if same_as(a.value, field) != same_as(old, field)]
    return changed or None


def _cut(text: str) -> str:
    """Return a tag as a message may quote it: a hostile one can be megabytes long."""
    return text if len(text) <= 80 else text[:79] + "…"


def _short(value: str) -> str:
    flat = " / ".join(line for line in value.split("\n") if line)
    return repr(flat if len(flat) <= 40 else flat[:39] + "…")
