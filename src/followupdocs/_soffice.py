"""Find LibreOffice where people install it, and run it so that nothing of it outlives a run."""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from ._errors import PdfError

ENV_VAR = "FOLLOWUPDOCS_SOFFICE"
NAMES = ("soffice", "libreoffice")
INSTALL_HINT = (
    "install it (Debian/Ubuntu: 'apt-get install libreoffice-writer-nogui'), "
    f"or point {ENV_VAR} or --soffice at its soffice program, or leave out --pdf"
)
_WINDOWS = sys.platform.startswith("win")
_NEW_PROCESS_GROUP = 0x200  # subprocess.CREATE_NEW_PROCESS_GROUP, which exists only on Windows
# How long to wait for a killed process group to be gone before removing its folder.
_GROUP_EXIT_WAIT = 10.0


def standard_places(
    platform: str | None = None,
    environ: Mapping[str, str] | None = None,
    home: Path | None = None,
) -> list[Path]:
    """Return where LibreOffice's installers put soffice on `platform`, most usual first."""
    platform = platform or sys.platform
    environ = os.environ if environ is None else environ
    home = Path.home() if home is None else home
    if platform.startswith("win"):
        folders = [
            environ.get("ProgramFiles") or r"C:\Program Files",
            environ.get("ProgramW6432") or "",  # 64-bit Program Files seen from a 32-bit Python
            environ.get("ProgramFiles(x86)") or r"C:\Program Files (x86)",
        ]
        places = [Path(f, "LibreOffice", "program", "soffice.exe") for f in folders if f]
        return list(dict.fromkeys(places))
    bundle = Path("LibreOffice.app", "Contents", "MacOS", "soffice")
    if platform == "darwin":
        return [Path("/Applications") / bundle, home / "Applications" / bundle]
    # The Document Foundation's own packages install into /opt/libreofficeX.Y, off PATH.
    return sorted(Path("/opt").glob("libreoffice*/program/soffice"), reverse=True)


@dataclass(frozen=True)
class Search:
    """Where to look for LibreOffice; every part can be replaced, so tests can fake installs."""

    explicit: str | os.PathLike[str] | None = None
    environ: Mapping[str, str] | None = None
    path: str | None = None  # the PATH to search; None: the environment's
    places: Sequence[Path] | None = None  # None: standard_places()


def find_soffice(
    explicit: str | os.PathLike[str] | None = None, *, search: Search | None = None
) -> str | None:
    """Return the LibreOffice program to run, or None when it is nowhere to be found.

    Looks, in order, at `explicit` (--soffice), the FOLLOWUPDOCS_SOFFICE environment variable,
    PATH, then the standard install places. An explicit choice that is not a program raises
    PdfError instead of quietly falling back to another LibreOffice.
    """
    search = search or Search()
    environ = os.environ if search.environ is None else search.environ
    chosen = explicit if explicit is not None else search.explicit
    for value, origin in ((chosen, "--soffice"), (environ.get(ENV_VAR), ENV_VAR)):
        if value:
            name = os.fspath(value)  # str() of a path-like that is not a Path is its repr
            found = _program(name, search.path)
            if found is None:
                raise PdfError(f"{origin} {name}: no LibreOffice program there")
            return found
    for name in NAMES:
        found = shutil.which(name, path=search.path if search.path is not None else None)
        if found:
            return found
    places = standard_places(environ=environ) if search.places is None else search.places
    for place in places:
        if _is_program(place):
            return str(place)
    return None


def require_soffice(
    explicit: str | os.PathLike[str] | None = None, *, search: Search | None = None
) -> str:
    """Return the LibreOffice program, or raise PdfError saying everywhere it was looked for."""
    found = find_soffice(explicit, search=search)
    if found is not None:
        return found
    search = search or Search()
    environ = os.environ if search.environ is None else search.environ
    places = standard_places(environ=environ) if search.places is None else search.places
    looked = [f"{ENV_VAR} (not set)", "soffice and libreoffice on PATH", *map(str, places)]
    raise PdfError(
        "LibreOffice is needed for PDF output and was not found (looked at: "
        f"{', '.join(looked)}); {INSTALL_HINT}"
    )


def _program(value: str, path: str | None) -> str | None:
    """Return the program `value` names: a file, a command on PATH, or an install folder."""
    candidate = Path(value).expanduser()
    if candidate.is_dir():
        inside = ("soffice", "soffice.exe", "program/soffice", "program/soffice.exe",
                  "Contents/MacOS/soffice")  # fmt: skip
        return next((str(candidate / i) for i in inside if _is_program(candidate / i)), None)
    if _is_program(candidate):
        return str(candidate)
    if os.sep in value or (os.altsep and os.altsep in value):
        return None
    return shutil.which(value, path=path)


def _is_program(path: Path) -> bool:
    return path.is_file() and (sys.platform.startswith("win") or os.access(path, os.X_OK))


@dataclass(frozen=True)
class Finished:
    """What a LibreOffice run printed and how it ended."""

    returncode: int | None  # None: it was ended at the timeout
    output: str


def run_group(
    command: Sequence[str], timeout: float, live: set[subprocess.Popen[str]] | None = None
) -> Finished:
    """Run `command` in its own process group and end the whole group when done or timed out.

    LibreOffice's `soffice` is a launcher: killing it alone leaves `soffice.bin` running,
    re-parented to init, still writing into the folder we are about to remove.
    """
    process = subprocess.Popen(
        list(command),
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        errors="replace",
        # Its own group (POSIX session, Windows process group), so it can be ended whole.
        start_new_session=not _WINDOWS,
        creationflags=_NEW_PROCESS_GROUP if _WINDOWS else 0,
    )
    live = set() if live is None else live
    live.add(process)  # so another thread can end it on Ctrl-C
    try:
        output, _ = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        end_group(process)
        output, _ = process.communicate()
        _wait_group_gone(process.pid)
        return Finished(None, output or "")
    except BaseException:  # Ctrl-C: the group does not get the terminal's signal, so end it
        end_group(process)
        process.wait()
        raise
    finally:
        live.discard(process)
    # A member that outlived the launcher still belongs to us while the group exists.
    if _group_exists(process.pid):
        end_group(process)
        _wait_group_gone(process.pid)
    return Finished(process.returncode, output or "")


def end_group(process: subprocess.Popen[str]) -> None:
    """Kill `process` and everything it started."""
    if _WINDOWS:
        # taskkill /T follows the parent links from the launcher to soffice.bin.
        with contextlib.suppress(OSError, subprocess.TimeoutExpired):
            subprocess.run(
                ["taskkill", "/T", "/F", "/PID", str(process.pid)],
                stdin=subprocess.DEVNULL,
                capture_output=True,
                check=False,
                timeout=60,
            )
        with contextlib.suppress(OSError):
            process.kill()
        return
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(process.pid, signal.SIGKILL)


def _group_exists(pgid: int) -> bool:
    """True while a member of the group still runs; zombies do not count.

    LibreOffice leaves children (gpgconf, gpg) that outlive it and are re-parented to PID 1.
    In a container whose PID 1 does not reap them, they stay zombies for good, and waiting for
    them cost every conversion seconds. A zombie writes nothing, so the group is gone for us.
    """
    if _WINDOWS:
        return False
    try:
        os.killpg(pgid, 0)
    except (ProcessLookupError, PermissionError):
        return False
    members = _proc_states(pgid)
    return members is None or any(state != "Z" for state in members)


def _proc_states(pgid: int) -> list[str] | None:
    """Return the states of the processes in group `pgid`, or None without Linux's /proc."""
    try:
        entries = os.listdir("/proc")
    except OSError:
        return None
    states = []
    for entry in entries:
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", encoding="ascii", errors="replace") as stat:
                text = stat.read()
        except OSError:  # gone since listdir, or not ours to read
            continue
        # "pid (name) state ppid pgrp ...": the name may hold spaces and parentheses.
        fields = text[text.rfind(")") + 2 :].split()
        if len(fields) > 2 and fields[2] == str(pgid):
            states.append(fields[0])
    return states


def _wait_group_gone(pgid: int) -> None:
    """Wait until the killed group's members are gone, so none writes after we clean up."""
    deadline = time.monotonic() + _GROUP_EXIT_WAIT
    while _group_exists(pgid) and time.monotonic() < deadline:
        time.sleep(0.02)


def remove_tree(folder: Path) -> None:
    """Remove `folder`, retrying while a dying process may still add to it."""
    for _ in range(50):
        shutil.rmtree(folder, ignore_errors=True)
        if not folder.exists():
            return
        time.sleep(0.02)
