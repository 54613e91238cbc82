"""A lock file beside a file being updated, so two followupdocs runs never interleave.

Exclusive creation (``O_CREAT | O_EXCL``) is atomic on every local file system and on SMB and
NFS shares, on Windows as on POSIX, unlike ``fcntl``/``msvcrt`` locks. The lock holds who took
it (process, machine, time) for the message the other run prints. A lock left by a run that
crashed is taken over: on POSIX when its process on this machine is gone, anywhere once it is
older than `STALE_AFTER` seconds (an update takes well under a second).
"""

from __future__ import annotations

import contextlib
import json
import os
import socket
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

from ._errors import FormError, OutputError

__all__ = ["STALE_AFTER", "WAIT", "LockedError", "locked"]

STALE_AFTER = 600.0  # seconds
WAIT = 10.0  # seconds to wait for another run before giving up
_POLL = 0.05  # seconds between tries while another run holds the lock


class LockedError(FormError):
    """Another followupdocs run is updating the file; try again."""


@contextlib.contextmanager
def locked(path: Path, *, wait: float | None = None) -> Iterator[Path]:
    """Hold `<path>.lock` for the block, waiting up to `wait` (or `WAIT`) seconds for it."""
    lock = path.with_name(path.name + ".lock")
    deadline = time.monotonic() + (WAIT if wait is None else wait)
    while True:
        try:
            fd = os.open(lock, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
            break
        except FileExistsError:
            seen = _read(lock)
            if seen is not None and _stale(lock, seen):
                _break(lock, seen)
                continue
            if time.monotonic() >= deadline:
                raise LockedError(
                    f"{path} is being updated by another followupdocs run ({_who(seen)}); try "
                    f"again (if no run is active, delete {lock.name})"
                ) from None
            time.sleep(_POLL)
        except OSError as exc:
            raise OutputError(
                f"{path}: cannot create the lock file {lock.name} beside it "
                f"({exc.strerror or exc}); the folder must be writable"
            ) from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(_holder(), handle)
        yield lock
    finally:
        with contextlib.suppress(OSError):
            os.unlink(lock)


def _holder() -> dict[str, object]:
    return {
        "pid": os.getpid(),
        "host": socket.gethostname(),
        "time": time.time(),
        "token": uuid.uuid4().hex,  # two holders never look the same, even with equal pids
    }


def _read(lock: Path) -> str | None:
    """Return the lock's content; None if it is gone (released meanwhile)."""
    try:
        return lock.read_text(encoding="utf-8", errors="replace")
    except FileNotFoundError:
        return None
    except OSError:
        return ""  # unreadable (Windows: still open for writing): judged by its age alone


def _stale(lock: Path, seen: str) -> bool:
    """Tell whether the run that took the lock is surely gone."""
    try:
        age = time.time() - lock.stat().st_mtime
    except OSError:
        return False
    if age > STALE_AFTER:
        return True
    try:
        holder = json.loads(seen)
        pid, host = int(holder["pid"]), str(holder["host"])
    except (ValueError, TypeError, KeyError):
        return False  # being written just now, or not ours: wait for it to age
    return host == socket.gethostname() and not _alive(pid)


def _alive(pid: int) -> bool:
    if sys.platform == "win32":
        return True  # os.kill(pid, 0) would send Ctrl+C there; rely on the lock's age
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True  # it exists, under another user
    return True


def _break(lock: Path, seen: str) -> None:
    """Remove a stale lock, unless another run replaced it since it was read.

    A second lock guards the removal: without it, two runs that both found the stale lock
    could each remove it, the second removing the fresh lock the first had just taken.
    """
    guard = lock.with_name(lock.name + ".break")
    try:
        os.close(os.open(guard, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644))
    except FileExistsError:
        with contextlib.suppress(OSError):
            if time.time() - guard.stat().st_mtime > STALE_AFTER:
                os.unlink(guard)  # left by a run that crashed while breaking a lock
        time.sleep(_POLL)
        return
    try:
        if _read(lock) == seen:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(lock)
    finally:
        with contextlib.suppress(OSError):
            os.unlink(guard)


def _who(seen: str | None) -> str:
    try:
        holder = json.loads(seen or "")
        since = time.strftime("%H:%M:%S", time.localtime(float(holder["time"])))
        return f"process {int(holder['pid'])} on {holder['host']} since {since}"
    except (ValueError, TypeError, KeyError):
        return "it just started"
