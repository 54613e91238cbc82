"""Read the centres' filled forms back, compare them with the agreement, update the YAML.

`collect` reads every followupdocs control by its tag, validates the values and returns the
changes, and every conflict it will not resolve silently: a form for another round or
agreement, an unknown initiative, a value outside the list, the same field answered
differently twice, a deleted control. `update_yaml` then writes only the changed values.
"""

from __future__ import annotations

import codecs
import os
import warnings
import zipfile
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from docx.oxml import parse_xml
from pydantic import ValidationError

from ._context import paragraphs
from ._controls import (
    ECONOMY_CHOICES,
    FIELDS,
    MILESTONE_CHOICES,
    Control,
    FieldTag,
    Marker,
    agreement_id,
    centre_id,
    controls,
    parse_tag,
)
from ._package import NotAPackageError, PackageError, read_package
from ._yamledit import EditError, Setting, edit
from .errors import AgreementError, AgreementWarning
from .forms import FormError, centres
from .loading import loads
from .models import Agreement, Initiative, Milestone, Smiley
from .output import write_atomic

__all__ = ["Change", "Collection", "apply_changes", "collect", "update_yaml"]

WHAT = {"status": "status", "smiley": "milestone smiley", "economy": "economy smiley"}
_SHOWN = 70  # characters of a status text shown in a change line


@dataclass(frozen=True)
class Change:
    """One value a form changes: the initiative, round and field, old and new value."""

    number: str
    title: str
    round: int
    field: str  # "status", "smiley" (the milestone's) or "economy"
    old: str  # "" where the agreement has none
    new: str
    sources: tuple[str, ...]  # the forms that give the new value

    def __str__(self) -> str:
        what = f"{WHAT[self.field]} at round {self.round}"
        if self.field != "status":
            return f"{what}: {self.old or '(none)'} -> {self.new}"
        shown = " / ".join(line for line in self.new.split("\n") if line)
        if len(shown) > _SHOWN:
            shown = shown[: _SHOWN - 1].rstrip() + "…"
        return f"{what} ({'changed' if self.old else 'new'}): {shown}"


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
        self.centres = {centre_id(c): c for c in centres(agreement)}
        self.answers: list[_Answer] = []
        self.conflicts: list[str] = []
        self.rounds: dict[str, int] = {}

    def read(self, name: str) -> None:
        try:
            found = _controls_in(name)
        except FormError as exc:
            self.conflicts.append(f"{name}: {exc}")
            return
        tagged = [(parse_tag(control.tag), control) for control in found]
        markers = {tag for tag, _ in tagged if isinstance(tag, Marker)}
        fields = [(tag, c) for tag, c in tagged if isinstance(tag, FieldTag)]
        if not markers and not fields:
            self.conflicts.append(f"{name}: not a followupdocs form (it has no fields to read)")
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
        elif marker.agreement != agreement_id(self.agreement):
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
            answer = self._answer(name, form_round, tag, control)
            if answer is not None:
                self.answers.append(answer)
        if marker is not None:
            self._deleted(name, marker, answered)

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
        self, name: str, form_round: int, tag: FieldTag, control: Control
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
        if tag.field == "status":
            value = _status(control.answer())
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


def _controls_in(name: str) -> list[Control]:
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
        return controls(parse_xml(xml))
    except Exception as exc:  # lxml's XMLSyntaxError: a damaged document
        raise FormError(f"the document is damaged ({exc})") from None


def _status(text: str) -> str:
    """Return a typed status as YAML text: each line of the field is a paragraph."""
    return "\n\n".join(line.strip() for line in text.split("\n") if line.strip())


def _current(initiative: Initiative, round: int, field: str) -> str:
    if field == "status":
        return initiative.status_at(round)
    smiley = (
        initiative.smiley_at(round) if field == "smiley" else initiative.economy_smiley_at(round)
    )
    return smiley.value if smiley else ""


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
        old = _current(initiative, round, field)
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


def apply_changes(agreement: Agreement, changes: Sequence[Change]) -> Agreement:
    """Return `agreement` with `changes` made (the models are frozen; this copies)."""
    by_number: dict[str, list[Change]] = {}
    for change in changes:
        by_number.setdefault(change.number, []).append(change)
    themes = []
    for theme in agreement.themes:
        initiatives = [
            _changed(initiative, by_number[initiative.number])
            if initiative.number in by_number
            else initiative
            for initiative in theme.initiatives
        ]
        themes.append(theme.model_copy(update={"initiatives": initiatives}))
    return agreement.model_copy(update={"themes": themes})


def _changed(initiative: Initiative, changes: list[Change]) -> Initiative:
    milestones = dict(initiative.milestones)
    economy = dict(initiative.economy.smileys)
    for change in changes:
        if change.field == "economy":
            economy[change.round] = Smiley(change.new)
            continue
        milestone = milestones.get(change.round, Milestone())
        value: Any = change.new if change.field == "status" else Smiley(change.new)
        milestones[change.round] = milestone.model_copy(update={change.field: value})
    return initiative.model_copy(
        update={
            "milestones": milestones,
            "economy": initiative.economy.model_copy(update={"smileys": economy}),
        }
    )


def _setting(change: Change) -> Setting:
    if change.field == "economy":
        return Setting(change.number, ("økonomi", "smiley", change.round), change.new)
    return Setting(change.number, ("milepæle", change.round, change.field), change.new)


def update_yaml(path: str | os.PathLike[str], changes: Sequence[Change]) -> Path:
    """Write `changes` into the YAML file at `path` in place, after saving `<path>.bak`.

    Only the changed values' characters (and new key lines) differ; every other byte stays.
    Nothing is written if the file changed since the forms were compared with it, or if the
    edited text would not load as exactly the expected agreement.
    """
    path = Path(path)
    data = path.read_bytes()
    bom = codecs.BOM_UTF8 if data.startswith(codecs.BOM_UTF8) else b""
    text = data[len(bom) :].decode("utf-8")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", AgreementWarning)  # validate reports them; not ours
        agreement = loads(text, source=str(path))
        by_number = {i.number: i for i in agreement.initiatives}
        for change in changes:
            initiative = by_number.get(change.number)
            if initiative is None or _current(initiative, change.round, change.field) != change.old:
                raise FormError(f"{path}: the file changed since the forms were read; run again")
        expected = apply_changes(agreement, changes)
        try:
            new_text = edit(text, [_setting(change) for change in changes])
            result = loads(new_text, source=str(path))
        except (EditError, AgreementError) as exc:
            first = str(exc).splitlines()[0]
            raise FormError(
                f"{path}: cannot update the file safely ({first}); nothing was written"
            ) from None
    if result != expected:
        raise FormError(
            f"{path}: the edited file would not say what the forms say; nothing written"
        )
    write_atomic(path.with_name(path.name + ".bak"), data)
    return write_atomic(path, bom + new_text.encode("utf-8"))
