"""Read the centres' filled forms back, compare them with the agreement, update the YAML.

`collect` reads every followupdocs control by its tag, validates the values and returns the
changes, and every conflict it will not resolve silently: a form for another round or
agreement, an unknown initiative, a value outside the list, the same field answered
differently twice, a deleted control. `update_yaml` then writes only the changed values.
"""

from __future__ import annotations

import os
import re
import zipfile
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from docx.oxml import parse_xml
from pydantic import ValidationError

from ._context import paragraphs
from ._docx.controls import (
    ECONOMY_CHOICES,
    FIELDS,
    MILESTONE_CHOICES,
    FieldTag,
    Marker,
    centre_id,
    number_code,
)
from ._docx.package import NotAPackageError, PackageError, read_package
from ._docx.readback import Control, controls, unnamed_controls
from ._updating import WHAT, Change, apply_changes, current, update_yaml
from .forms import FormError, centres, form_agreement_id, form_lines
from .models import Agreement, Milestone

__all__ = ["Change", "Collection", "apply_changes", "collect", "update_yaml"]


@dataclass(frozen=True)
class Collection:
    """What a set of forms says: the changes, the conflicts, and notes worth a look."""

    changes: tuple[Change, ...]
    conflicts: tuple[str, ...]  # each a line naming the form or the initiative
    notes: tuple[str, ...]  # fields left empty where the agreement has a value (kept)
    rounds: tuple[int, ...]  # the rounds the forms are for


@dataclass(frozen=True)
class _Answer:
    source: str
    number: str
    round: int
    field: str
    value: str  # "" where nothing was filled in


def collect(
    agreement: Agreement,
    forms: Iterable[str | os.PathLike[str]],
    *,
    round: int | None = None,
    source: str = "the agreement",
) -> Collection:
    """Read `forms` and return what they change in `agreement`, and every conflict.

    With `round`, a form for another round is a conflict; without it the forms must agree
    on one round. `source` names the agreement (its file) in messages.
    """
    if round is not None:
        agreement.check_round(round)
    reader = _Reader(agreement, round, source)
    for form in forms:
        reader.read(str(form))
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
        tuple(notes),
        tuple(sorted(set(reader.rounds.values()))),
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
        self.answers: list[_Answer] = []
        self.conflicts: list[str] = []
        self.rounds: dict[str, int] = {}

    def read(self, name: str) -> None:
        try:
            found, unnamed = _controls_in(name)
        except FormError as exc:
            self.conflicts.append(f"{name}: {exc}")
            return
        tagged = [(self._tag(name, control), control) for control in found]
        markers = {tag for tag, _ in tagged if isinstance(tag, Marker)}
        fields = [(tag, c) for tag, c in tagged if isinstance(tag, FieldTag)]
        if not markers and not fields:
            self.conflicts.append(f"{name}: {_unreadable(name, unnamed)}")
            return
        if len(markers) > 1:
            self.conflicts.append(f"{name}: the form holds the titles of several forms")
            return
        marker = next(iter(markers), None)
        if marker is None:
            self.conflicts.append(
                f"{name}: the form's title field was deleted, so nothing tells which agreement "
                "and round it is for; copy the answers into a new form"
            )
            form_round = Counter(tag.round for tag, _ in fields).most_common(1)[0][0]
        elif marker.agreement != form_agreement_id(self.agreement):
            self.conflicts.append(
                f"{name}: the form is for another agreement, not {self.agreement.name}, "
                f"{self.agreement.committee} ({self.source})"
            )
            return
        else:
            form_round = marker.round
        if not self._round_ok(name, form_round):
            return
        self.rounds[name] = form_round
        answered = set()  # every control the form still has, whatever its value
        for tag, control in fields:
            if tag.round == form_round:
                answered.add((tag.number, tag.field))
            answer = self._answer(name, form_round, tag, control, marker)
            if answer is not None:
                self.answers.append(answer)
        if marker is not None:
            self._deleted(name, marker, answered)

    def _tag(self, name: str, control: Control) -> Marker | FieldTag | None:
        """Return what a control's tag says; a damaged followupdocs tag is a conflict."""
        try:
            what = control.what
        except ValueError:  # a round such as "²", which str.isdigit accepts but int() does not
            what = None
        if what is None:
            self.conflicts.append(
                f"{name}: a field's tag {control.tag!r} is damaged, so it is not known what it "
                "answers; write a new form and copy the answers into it"
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
                f"({self.agreement.round_label(form_round)}), not round {self.round}"
            )
            return False
        return True

    def _answer(
        self, name: str, form_round: int, tag: FieldTag, control: Control, marker: Marker | None
    ) -> _Answer | None:
        where = f"{name}: {tag.number}: the {WHAT[tag.field]}"
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
            value = _rejoined(value, control, self.by_number[tag.number].status_at(tag.round))
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
                self.conflicts.append(f"{where} is {exc}, which is not on the list ({allowed})")
                return None
        return _Answer(name, tag.number, tag.round, tag.field, value)

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
            f"{name}: {tag.number}: the {WHAT[tag.field]} field belongs to {owner}'s initiative, "
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
                        f"{name}: {initiative.number}: the {WHAT[field]} field was deleted (or "
                        f"the initiative was added after the form was written); write a new "
                        f'form with --centre "{centre}" and copy the answers into it'
                    )


_NOT_A_FORM = "not a Word document (.docx); save the form as a Word document"


def _controls_in(name: str) -> tuple[list[Control], int]:
    """Return the followupdocs controls of a form, and how many other controls it has."""
    try:
        xml = read_package(Path(name), only="word/document.xml")["word/document.xml"]
    except NotAPackageError:
        raise FormError(_NOT_A_FORM) from None
    except PackageError as exc:  # a bomb, an encrypted or damaged part: refuse, naming it
        raise FormError(str(exc)) from None
    except FileNotFoundError:
        raise FormError("the file does not exist") from None
    except (zipfile.BadZipFile, KeyError):
        raise FormError(_NOT_A_FORM) from None
    except OSError as exc:
        raise FormError(f"cannot read the file ({exc.strerror or exc})") from None
    try:
        root = parse_xml(xml)
    except Exception as exc:  # lxml's XMLSyntaxError: a damaged document
        raise FormError(f"the document is damaged ({_xml_error(exc)})") from None
    if root.getroottree().docinfo.doctype:
        # Word never writes a DTD; its entities would be read as empty text, without a word.
        raise FormError(
            "word/document.xml holds a document type declaration (<!DOCTYPE>, entities), which "
            "Word never writes; open the form in Word and save it again"
        )
    return controls(root), unnamed_controls(root)


def _xml_error(exc: Exception) -> str:
    """Return lxml's complaint as one line with its place (its message may span lines)."""
    position = getattr(exc, "position", None)
    reason = re.sub(r"\s*, line \d+, column \d+$", "", str(getattr(exc, "msg", exc)))
    reason = " ".join(reason.split())
    if not position:
        return reason
    return f"word/document.xml, line {position[0]}, column {position[1]}: {reason}"


def _unreadable(name: str, unnamed: int) -> str:
    """Say why a file with no field to read is not a form, naming the program that saved it."""
    if not unnamed:
        return "not a followupdocs form (it has no fields to read)"
    return (
        f"the form's {unnamed} fields have lost the names that tell which initiative they "
        f"answer ({_saved_by(name)} removed them); write the form again with followupdocs "
        "forms, which names its fields so they survive LibreOffice too, and copy the answers "
        "into it"
    )


def _saved_by(name: str) -> str:
    """Return the program that last saved a .docx, as its docProps/app.xml says."""
    try:  # within the same limits as the form's text: app.xml could be a bomb too
        root = parse_xml(read_package(Path(name), only="docProps/app.xml")["docProps/app.xml"])
    except Exception:  # no such part, or an unreadable one: say so rather than guess
        return "the program that last saved it"
    found = {child.tag.rpartition("}")[2]: (child.text or "").strip() for child in root}
    application = found.get("Application", "")
    if not application:
        return "the program that last saved it"
    # LibreOffice writes "LibreOffice/7.4.7.2$Linux_X86_64 LibreOffice_project/...".
    program = application.split("$")[0].replace("/", " ")
    if application.startswith("LibreOffice") or not found.get("AppVersion"):
        return program
    return f"{program} {found['AppVersion']}"


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
    groups: dict[tuple[str, int, str], list[_Answer]] = {}
    for answer in reader.answers:
        groups.setdefault((answer.number, answer.round, answer.field), []).append(answer)
    order = {number: index for index, number in enumerate(reader.by_number)}
    changes, notes = [], []
    for key in sorted(groups, key=lambda k: (order[k[0]], k[1], FIELDS.index(k[2]))):
        number, round, field = key
        initiative = reader.by_number[number]
        given = [a for a in groups[key] if a.value]
        values = dict.fromkeys(_same_as(a.value, field) for a in given)
        where = f"{number}: the {WHAT[field]} at round {round}"
        if len(values) > 1:
            listed = "; ".join(f"{a.source}: {_short(a.value)}" for a in given)
            reader.conflicts.append(f"{where} is answered differently ({listed})")
            continue
        old = current(initiative, round, field)
        if not given:
            if old:
                forms = ", ".join(a.source for a in groups[key])
                notes.append(f"{where} is empty in {forms}; {reader.source} keeps {_short(old)}")
            continue
        new = given[0].value
        if _same_as(new, field) == _same_as(old, field):
            continue
        sources = tuple(dict.fromkeys(a.source for a in given))
        changes.append(Change(number, initiative.title, round, field, old, new, sources))
    return changes, notes


def _same_as(value: str, field: str) -> Any:
    """Return what decides whether two values are the same: a status by its paragraphs."""
    return tuple(tuple(p.items()) for p in paragraphs(value)) if field == "status" else value


def _short(value: str) -> str:
    flat = " / ".join(line for line in value.split("\n") if line)
    return repr(flat if len(flat) <= 40 else flat[:39] + "…")
