"""`followupdocs import`: read a follow-up document and write its agreement as YAML."""

from __future__ import annotations

import argparse
import contextlib
import os
import tempfile
from pathlib import Path

from ._checklist import plural
from ._cli_common import EXIT_INVALID, EXIT_OK, error
from ._errors import OutputError
from ._importing import PLACEHOLDER, read_document
from ._output import write_atomic
from ._yamlwrite import agreement_yaml

__all__ = ["add_arguments", "run_import"]


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Add the import command's arguments."""
    parser.add_argument("document", type=Path, metavar="DOC.docx")
    parser.add_argument(
        "-o",
        "--output",
        type=Path,
        metavar="FILE.yaml",
        help="the YAML file to write (default: the document's name with .yaml, here)",
    )
    parser.add_argument(
        "--round",
        type=int,
        metavar="N",
        help="the round the document is for (default: the one its title names, else the "
        "last with a smiley or status)",
    )
    parser.add_argument(
        "--kommune", metavar="NAME", help="the municipality, which the document does not name"
    )
    parser.add_argument(
        "--force", action="store_true", help="replace FILE.yaml if it exists already"
    )


def run_import(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    """Read the document; write the YAML unless a card or value could not be read."""
    document: Path = args.document
    output: Path = args.output or Path(document.stem + ".yaml")
    reading = read_document(document, kommune=args.kommune, round=args.round)
    for problem in reading.problems:
        if problem.severity == "warning":
            error(f"warning: {problem}")
    errors = reading.errors
    if errors:
        for problem in errors:
            error(str(problem))
        error(
            f"{document}: {plural(len(errors), 'problem')} reading the document; nothing was "
            "written"
        )
        return EXIT_INVALID
    agreement = reading.agreement
    missing = frozenset(
        key
        for key, value in (
            ("kommune", agreement.municipality),
            ("aftale", agreement.name),
            ("udvalg", agreement.committee),
        )
        if value == PLACEHOLDER
    )
    text = agreement_yaml(agreement, document.name, missing)
    if not _write(output, text.encode("utf-8"), force=args.force):
        return EXIT_INVALID
    cards = len(agreement.initiatives)
    print(
        f"wrote {output} ({plural(len(agreement.themes), 'theme')}, {plural(cards, 'initiative')}"
        f", round {reading.round} of {len(agreement.rounds)}); next: followupdocs validate "
        f"{output}"
    )
    return EXIT_OK


def _write(path: Path, data: bytes, *, force: bool) -> bool:
    """Write `data` at `path` whole or not at all; never replace a file without `force`."""
    if force:
        write_atomic(path, data)
        return True
    exists = (
        f"{path}: the file already exists; replace it with --force or choose another name "
        "with -o (nothing was changed)"
    )
    if path.exists() or path.is_symlink():
        error(exists)
        return False
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as exc:
        raise OutputError(f"{path}: cannot write the file ({exc.strerror or exc})") from exc
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, 0o666 & ~_umask())
        os.link(tmp, path)  # fails if the file appeared meanwhile: never overwrites
    except FileExistsError:
        error(exists)
        return False
    except OSError as exc:
        raise OutputError(f"{path}: cannot write the file ({exc.strerror or exc})") from exc
    finally:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
    return True


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
