"""Write collected changes into the agreement's YAML file, and into the models.

`update_yaml` edits the file surgically (`_yamledit`) under a lock beside it (`_lock`),
following a symbolic link, keeping backups and checking that the file still says what was read
(`_yamlfile`). `apply_changes` makes the same changes to the models, for the reload check.
"""

from __future__ import annotations

import codecs
import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ._errors import AgreementError, FormError, OutputError
from ._loading import loads
from ._lock import locked
from ._models import Agreement, Field, FrozenMap, Initiative, Kind, Milestone, Smiley
from ._yamledit import EditError, Setting, edit
from ._yamlfile import back_up, real_file, replace_if_unchanged, to_lf

__all__ = ["ROUND_FIELDS", "TEXTS", "WHAT", "Change", "apply_changes", "current", "update_yaml"]

# What each field is called in a change line, in the order a reader meets them on a card.
WHAT: dict[Field, str] = {
    "title": "title",
    "kind": "kind",
    "agreement_text": "agreement text",
    "responsible_centre": "responsible centre",
    "responsible_committee": "responsible committee",
    "main_contributor": "main contributor",
    "implementation": "implementation",
    "economy_text": "economy text",
    "milestone_text": "milestone text",
    "status": "status",
    "milestone": "milestone smiley",
    "economy": "economy smiley",
}
# The fields that belong to a round; the others are the initiative's own (Change.round None).
ROUND_FIELDS: frozenset[Field] = frozenset({"milestone_text", "status", "milestone", "economy"})
# Texts of paragraphs, compared by what the document shows of them; the rest are one line.
TEXTS: frozenset[Field] = frozenset(
    {"agreement_text", "implementation", "economy_text", "milestone_text", "status"}
)
_SMILEYS: frozenset[Field] = frozenset({"milestone", "economy"})
# The YAML keys of each field: below the initiative, or below its milestone of the round.
_KEYS: dict[Field, tuple[str, ...]] = {
    "title": ("titel",),
    "kind": ("type",),
    "agreement_text": ("aftaletekst",),
    "responsible_centre": ("ansvarligt_center",),
    "responsible_committee": ("ansvarligt_udvalg",),
    "main_contributor": ("væsentlig_bidragsyder",),
    "implementation": ("gennemførelse",),
    "economy_text": ("økonomi", "tekst"),
    "milestone_text": ("tekst",),
    "status": ("status",),
    "milestone": ("smiley",),
}
_SHOWN = 70  # characters of a status text shown in a change line


@dataclass(frozen=True)
class Change:
    """One value a form or an edited document changes: initiative, round, field, old and new.

    `round` is None for a field of the initiative itself (its title, texts, centre, ...).
    """

    number: str
    title: str
    round: int | None
    field: Field  # "status", "milestone" (its smiley), "economy" (its smiley), "title", ...
    old: str  # "" where the agreement has none
    new: str
    sources: tuple[str, ...]  # the forms and documents that give the new value

    def __str__(self) -> str:
        what = WHAT[self.field] + ("" if self.round is None else f" at round {self.round}")
        if self.field in _SMILEYS:
            return f"{what}: {self.old or '(none)'} -> {self.new}"
        if self.field not in TEXTS:
            return f"{what}: {self.old or '(none)'} -> {self.new or '(none)'}"
        if not self.new:
            return f"{what} (removed)"
        shown = " / ".join(line for line in self.new.split("\n") if line)
        if len(shown) > _SHOWN:
            shown = shown[: _SHOWN - 1].rstrip() + "…"
        return f"{what} ({'changed' if self.old else 'new'}): {shown}"


def current(initiative: Initiative, round: int | None, field: Field) -> str:
    """Return what the agreement holds for one field at `round` ("" for nothing)."""
    if field not in ROUND_FIELDS:
        if field == "economy_text":
            return initiative.economy.text
        value = getattr(initiative, field)
        return str(value.value if field == "kind" else value)
    assert round is not None, f"the {WHAT[field]} belongs to a round"
    if field == "status":
        return initiative.status_at(round=round)
    if field == "milestone_text":
        return initiative.milestone(round=round).text
    smiley = (
        initiative.smiley_at(round=round)
        if field == "milestone"
        else initiative.economy_smiley_at(round=round)
    )
    return smiley.value if smiley else ""


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
        themes.append(theme.model_copy(update={"initiatives": tuple(initiatives)}))
    return agreement.model_copy(update={"themes": tuple(themes)})


def _changed(initiative: Initiative, changes: list[Change]) -> Initiative:
    milestones = dict(initiative.milestones)
    economy = dict(initiative.economy.smileys)
    economy_text = initiative.economy.text
    own: dict[str, Any] = {}  # model_copy does not validate: values as the models hold them
    for change in changes:
        if change.field == "economy":
            economy[_round(change)] = Smiley(change.new)
        elif change.field == "economy_text":
            economy_text = change.new
        elif change.field in ROUND_FIELDS:
            milestone = milestones.get(_round(change), Milestone())
            update: dict[str, Any] = (
                {"smiley": Smiley(change.new)}
                if change.field == "milestone"
                else {"status" if change.field == "status" else "text": change.new}
            )
            milestones[_round(change)] = milestone.model_copy(update=update)
        else:
            own[change.field] = Kind(change.new) if change.field == "kind" else change.new
    return initiative.model_copy(
        update={
            **own,
            "milestones": FrozenMap(milestones),
            "economy": initiative.economy.model_copy(
                update={"text": economy_text, "smileys": FrozenMap(economy)}
            ),
        }
    )


def _round(change: Change) -> int:
    assert change.round is not None, f"the {WHAT[change.field]} belongs to a round"
    return change.round


def _setting(change: Change) -> Setting:
    value = change.new
    if change.field == "economy":
        return Setting(change.number, ("økonomi", "smiley", _round(change)), value)
    if change.field in ROUND_FIELDS:
        key = _KEYS[change.field]
        return Setting(change.number, ("milepæle", _round(change), *key), value)
    return Setting(change.number, _KEYS[change.field], value)


def update_yaml(path: str | os.PathLike[str], changes: Sequence[Change]) -> Path:
    """Write `changes` into the YAML file at `path` in place; return the file written.

    Only the changed values' characters (and new key lines) differ; every other byte stays.
    The previous file is kept as `<file>.bak` (older ones as `.bak.1` to `.bak.4`). A symbolic
    link is followed: its target is replaced, beside which the backups go, and the link stays.
    A lock file beside the target keeps two runs from updating it at once. Nothing is written
    if the file changed since the forms were compared with it, or if the edited text would
    not load as exactly the expected agreement.
    """
    target = real_file(Path(path))
    with locked(target):
        try:
            data = target.read_bytes()
        except OSError as exc:
            raise OutputError(f"{target}: cannot read the file ({exc.strerror or exc})") from None
        new_data = _updated(target, data, changes)
        back_up(target, data)
        return replace_if_unchanged(target, data, new_data)


def _updated(path: Path, data: bytes, changes: Sequence[Change]) -> bytes:
    """Return the file's bytes with `changes` made, after checking the result loads as meant."""
    bom = codecs.BOM_UTF8 if data.startswith(codecs.BOM_UTF8) else b""
    try:
        text = data[len(bom) :].decode("utf-8")
    except UnicodeDecodeError as exc:
        raise FormError(f"{path}: the file is not UTF-8 text ({exc.reason})") from None
    editable, restore = to_lf(text, path)
    agreement = loads(text, source=str(path))
    by_number = {i.number: i for i in agreement.initiatives}
    for change in changes:
        initiative = by_number.get(change.number)
        if initiative is None or current(initiative, change.round, change.field) != change.old:
            raise FormError(f"{path}: the file changed since the forms were read; run again")
    expected = apply_changes(agreement, changes)
    try:
        new_text = restore(edit(editable, [_setting(change) for change in changes]))
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
    return bom + new_text.encode("utf-8")
