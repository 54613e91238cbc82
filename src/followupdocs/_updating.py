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
from ._models import Agreement, Field, FrozenMap, Initiative, Milestone, Smiley
from ._yamledit import EditError, Setting, edit
from ._yamlfile import back_up, real_file, replace_if_unchanged, to_lf

__all__ = ["WHAT", "Change", "apply_changes", "current", "update_yaml"]

WHAT: dict[Field, str] = {
    "status": "status",
    "milestone": "milestone smiley",
    "economy": "economy smiley",
}
_SHOWN = 70  # characters of a status text shown in a change line


@dataclass(frozen=True)
class Change:
    """One value a form changes: the initiative, round and field, old and new value."""

    number: str
    title: str
    round: int
    field: Field  # "status", "milestone" (its smiley) or "economy" (its smiley)
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


def current(initiative: Initiative, round: int, field: Field) -> str:
    """Return what the agreement holds for one field at `round` ("" for nothing)."""
    if field == "status":
        return initiative.status_at(round=round)
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
    for change in changes:
        if change.field == "economy":
            economy[change.round] = Smiley(change.new)
            continue
        milestone = milestones.get(change.round, Milestone())
        update: dict[str, Any] = (
            {"status": change.new} if change.field == "status" else {"smiley": Smiley(change.new)}
        )
        milestones[change.round] = milestone.model_copy(update=update)
    return initiative.model_copy(
        update={
            "milestones": FrozenMap(milestones),
            "economy": initiative.economy.model_copy(update={"smileys": FrozenMap(economy)}),
        }
    )


def _setting(change: Change) -> Setting:
    if change.field == "economy":
        return Setting(change.number, ("økonomi", "smiley", change.round), change.new)
    key = "status" if change.field == "status" else "smiley"  # the YAML's keys
    return Setting(change.number, ("milepæle", change.round, key), change.new)


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
