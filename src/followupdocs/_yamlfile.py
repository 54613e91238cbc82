"""Replace a YAML file in place safely: its real target, its line endings, its backups.

`collect --write` reads the file, edits its text and writes it back. Around that edit: a
symbolic link is followed, so the link's target is replaced (atomically, beside it) and the link
kept; a file with classic Mac line endings (CR only) is edited as LF and written back as CR;
the previous versions are kept as `FILE.bak` (the newest), `FILE.bak.1`, ... ; and the file is
only replaced if it is still exactly what was read.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from pathlib import Path

from ._errors import FormError, OutputError
from ._output import write_atomic

__all__ = ["KEEP", "back_up", "backups", "real_file", "replace_if_unchanged", "to_lf"]

KEEP = 5  # backups kept: FILE.bak and FILE.bak.1 to FILE.bak.4
_LONE_CR = re.compile(r"\r(?!\n)")
_BREAK = re.compile(r"\r\n|\r|\n")


def real_file(path: Path) -> Path:
    """Return the file a path names, following a symbolic link (the file that is replaced).

    A path that is no link is returned as given, so messages name it as the user wrote it.
    """
    return Path(os.path.realpath(path)) if path.is_symlink() else path


def to_lf(text: str, source: Path) -> tuple[str, Callable[[str], str]]:
    """Return `text` with CR-only line endings as LF, and the function that turns them back.

    The editor places new lines by LF (or CRLF). A file with CR alone throughout is edited as
    LF and written back with CR; a file that mixes a lone CR with other line endings is refused,
    as no one choice of ending for the new lines would be right.
    """
    lone = _LONE_CR.search(text)
    if lone is None:
        return text, lambda edited: edited
    if "\n" in text:
        line = len(_BREAK.findall(text, 0, lone.start())) + 1
        raise FormError(
            f"{source}:{line}: the line ends with a lone carriage return (CR) while other lines "
            "end with LF or CRLF; save the file with one kind of line ending; nothing was written"
        )
    return text.replace("\r", "\n"), lambda edited: edited.replace("\n", "\r")


def backups(path: Path) -> list[Path]:
    """Return the backup names of `path`, newest first: FILE.bak, FILE.bak.1, ..."""
    return [path.with_name(f"{path.name}.bak" + (f".{n}" if n else "")) for n in range(KEEP)]


def back_up(path: Path, data: bytes) -> Path:
    """Save `data` as the newest backup of `path`, moving the older ones down; return its name.

    The oldest of `KEEP` falls off the end.
    """
    names = backups(path)
    for older, newer in zip(reversed(names[:-1]), reversed(names[1:]), strict=True):
        if older.exists():
            try:
                os.replace(older, newer)
            except OSError as exc:
                raise OutputError(
                    f"{older}: cannot keep the backup as {newer.name} ({exc.strerror or exc}); "
                    "nothing was written"
                ) from None
    return write_atomic(names[0], data)


def replace_if_unchanged(path: Path, before: bytes, after: bytes) -> Path:
    """Atomically replace the file at `path` by `after`, if it still holds `before`.

    Another program (an editor, a sync client) may have saved the file meanwhile; its bytes
    would otherwise be lost without a trace.
    """
    try:
        now = path.read_bytes()
    except OSError as exc:
        raise OutputError(f"{path}: cannot read the file again ({exc.strerror or exc})") from None
    if now != before:
        raise FormError(
            f"{path}: the file changed while it was being updated (saved by another program?); "
            "nothing was written; run collect again"
        )
    return write_atomic(path, after)
