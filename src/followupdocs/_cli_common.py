"""What the command line's commands share: exit codes, messages, loading, output folders."""

from __future__ import annotations

import argparse
import contextlib
import sys
from pathlib import Path

from ._errors import FollowupError, OutputError, PdfError, RoundError
from ._loading import load_report
from ._models import Agreement

__all__ = [
    "EXIT_ENVIRONMENT",
    "EXIT_INVALID",
    "EXIT_OK",
    "EXIT_USAGE",
    "error",
    "error_message",
    "exit_code",
    "load_checked",
    "make_outdir",
    "remove_if_empty",
]

EXIT_OK, EXIT_INVALID, EXIT_USAGE, EXIT_ENVIRONMENT = 0, 1, 2, 3


def exit_code(exc: FollowupError) -> int:
    """Return the exit code for an error: 3 where the environment failed, else 1."""
    if isinstance(exc, (OutputError, PdfError)):
        return EXIT_ENVIRONMENT
    return EXIT_INVALID


def error_message(exc: FollowupError, args: argparse.Namespace) -> str:
    """Return the error's message, with what this command offers instead when a write failed."""
    message = str(exc)
    hint = _write_hint(args)
    if not isinstance(exc, OutputError) or not hint:
        return message
    # "...; if it is open in Word, close it" reads on as one sentence.
    return message + (", or " if message.endswith("close it") else "; ") + hint


def _write_hint(args: argparse.Namespace) -> str:
    """Return the way this command offers to write somewhere else ("" for collect: none)."""
    if args.command == "render":
        if args.outdir or len(args.files) > 1:
            return "choose another folder with --outdir"
        return "choose another output file with -o"
    if args.command == "forms":
        return "choose another folder with --outdir"
    return ""


def error(message: str) -> None:
    """Print `message` to stderr, line by line."""
    for line in message.splitlines():
        print(line, file=sys.stderr)


def load_checked(path: Path, round: int | None = None) -> Agreement:
    """Load with warnings printed as located lines; check `round` exists, naming the file."""
    report = load_report(path)
    for warning in report.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    agreement = report.agreement
    if round is not None:
        try:
            agreement.check_round(round=round)
        except RoundError as exc:
            raise RoundError(f"{path}: {exc}") from None
    return agreement


def make_outdir(folder: Path) -> list[Path]:
    """Create the --outdir folder and its missing parents; return those made, deepest first."""
    missing = [p for p in (folder, *folder.parents) if not p.exists() and not p.is_symlink()]
    if folder.exists() and not folder.is_dir():
        raise OutputError(f"{folder}: --outdir names a file, not a folder")
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(
            f"{folder}: cannot create the output folder ({exc.strerror or exc})"
        ) from exc
    return missing


def remove_if_empty(created: list[Path]) -> None:
    """Remove the folders --outdir made when nothing was written into them."""
    for folder in created:
        with contextlib.suppress(OSError):  # not empty: something was written, keep it
            folder.rmdir()
