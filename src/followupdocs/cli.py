"""The followupdocs command line: a thin layer over the public functions.

Exit codes: 0 done; 1 invalid input; 2 usage error; 3 environment (LibreOffice missing or
failing, output file locked or not writable).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import sys
import time
import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from . import __version__
from ._checklist import checklist, plural
from ._schema import json_schema
from ._starter import STARTER
from ._templatecheck import inspect_template
from ._yamlfile import backups
from .collecting import collect, update_yaml
from .errors import AgreementWarning, FollowupError, OutputError, PdfError, RoundError
from .forms import FormError, write_forms
from .loading import load
from .models import Agreement
from .output import to_pdfs
from .rendering import render

EXIT_OK, EXIT_INVALID, EXIT_USAGE, EXIT_ENVIRONMENT = 0, 1, 2, 3

EXIT_CODES = """exit codes:
  0  done
  1  invalid input (the YAML file or the template has problems; each is listed)
  2  usage error (wrong options)
  3  environment (LibreOffice missing or failing, output file open in Word or not writable)
"""


class _Formatter(argparse.RawDescriptionHelpFormatter):
    pass


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="followupdocs",
        description="Turn a budget agreement's follow-up (YAML) into the committee's Word "
        "document.",
        epilog="example:\n  followupdocs render oekonomiudvalget-2018.yaml --pdf\n\n" + EXIT_CODES,
        formatter_class=_Formatter,
    )
    parser.add_argument("--version", action="version", version=f"followupdocs {__version__}")
    parser.add_argument("--debug", action="store_true", help="show a traceback on errors")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    def command(name: str, help: str, example: str) -> argparse.ArgumentParser:
        sub = commands.add_parser(
            name,
            help=help,
            description=help,
            formatter_class=_Formatter,
            epilog=f"example:\n  {example}\n\n{EXIT_CODES}",
        )
        sub.add_argument(
            "--debug", action="store_true", default=argparse.SUPPRESS,
            help="show a traceback on errors",
        )  # fmt: skip
        sub.set_defaults(parser=sub)
        return sub

    render_cmd = command(
        "render",
        "Render agreement files to .docx (and PDF with --pdf).",
        "followupdocs render oekonomiudvalget-2018.yaml --round 1 --pdf",
    )
    render_cmd.add_argument("files", nargs="+", type=Path, metavar="FILE.yaml")
    render_cmd.add_argument(
        "-o",
        "--output",
        type=Path,
        metavar="OUT.docx",
        help="output file (only with one input file)",
    )
    render_cmd.add_argument(
        "--outdir",
        type=Path,
        metavar="DIR",
        help="folder for the output files, created if missing (default: here)",
    )
    render_cmd.add_argument(
        "--round", type=int, metavar="N", help="follow-up round (default: the latest with a smiley)"
    )
    render_cmd.add_argument(
        "--template",
        type=Path,
        metavar="T.docx",
        help="Word template to use instead of the default one",
    )
    render_cmd.add_argument(
        "--pdf", action="store_true", help="also write a tagged, accessible PDF (LibreOffice)"
    )
    render_cmd.add_argument(
        "--soffice",
        metavar="PATH",
        help="LibreOffice's soffice program (default: $FOLLOWUPDOCS_SOFFICE, then PATH, then "
        "the usual install folders)",
    )
    render_cmd.add_argument(
        "--no-overview",
        action="store_true",
        help="leave out the overview (Samlet status, counts, changes)",
    )

    validate_cmd = command(
        "validate",
        "Check an agreement file; with --round, list the smileys still missing.",
        "followupdocs validate oekonomiudvalget-2018.yaml --round 2",
    )
    validate_cmd.add_argument("file", type=Path, metavar="FILE.yaml")
    validate_cmd.add_argument(
        "--round", type=int, metavar="N", help="also list what is missing at round N, by centre"
    )

    new_cmd = command(
        "new",
        "Write a commented starter agreement file.",
        "followupdocs new teknik-og-miljoe.yaml",
    )
    new_cmd.add_argument("file", type=Path, metavar="FILE.yaml")

    command(
        "schema",
        "Print the JSON Schema of the YAML format (for editors).",
        "followupdocs schema > followupdocs.schema.json",
    )

    check_cmd = command(
        "check-template",
        "Check a Word template's tags against the context it will receive.",
        "followupdocs check-template min-skabelon.docx",
    )
    check_cmd.add_argument("template", type=Path, metavar="T.docx")

    forms_cmd = command(
        "forms",
        "Write each responsible centre a Word form for a round's status texts and smileys.",
        "followupdocs forms oekonomiudvalget-2018.yaml --round 2 --outdir skemaer",
    )
    forms_cmd.add_argument("file", type=Path, metavar="FILE.yaml")
    forms_cmd.add_argument(
        "--round", type=int, metavar="N", required=True, help="the round the centres report on"
    )
    forms_cmd.add_argument("--centre", metavar="NAME", help="only the form of this centre")
    forms_cmd.add_argument(
        "--outdir",
        type=Path,
        metavar="DIR",
        help="folder for the forms, created if missing (default: here)",
    )

    collect_cmd = command(
        "collect",
        "Read filled forms back, show what they change, and with --write update the YAML.",
        "followupdocs collect oekonomiudvalget-2018.yaml skemaer/*.docx --write",
    )
    collect_cmd.add_argument("file", type=Path, metavar="FILE.yaml")
    collect_cmd.add_argument("forms", nargs="+", type=Path, metavar="FORM.docx")
    collect_cmd.add_argument(
        "--round", type=int, metavar="N", help="refuse forms for any other round"
    )
    collect_cmd.add_argument(
        "--write",
        action="store_true",
        help="update FILE.yaml in place (the old file is kept as FILE.yaml.bak, the ones "
        "before as .bak.1 to .bak.4)",
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line and return its exit code."""
    parser = _parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # --help, --version and usage errors
        return int(exc.code or 0)
    handler = {
        "render": _render,
        "validate": _validate,
        "new": _new,
        "schema": _schema,
        "check-template": _check_template,
        "forms": _forms,
        "collect": _collect,
    }[args.command]
    try:
        return handler(args, args.parser)
    except SystemExit as exc:  # parser.error() in a command: a usage error
        return int(exc.code or 0)
    except FollowupError as exc:
        if args.debug:
            raise
        _error(_message(exc, args))
        return _code(exc)
    except KeyboardInterrupt:
        _error("interrupted")
        return 130


def _code(exc: FollowupError) -> int:
    if isinstance(exc, (OutputError, PdfError)):
        return EXIT_ENVIRONMENT
    return EXIT_INVALID


def _message(exc: FollowupError, args: argparse.Namespace) -> str:
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


def _error(message: str) -> None:
    for line in message.splitlines():
        print(line, file=sys.stderr)


def _load(path: Path, round: int | None = None) -> Agreement:
    """Load with warnings printed as located lines; check `round` exists, naming the file."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", AgreementWarning)
        agreement = load(path)
    for warning in caught:
        print(f"warning: {warning.message}", file=sys.stderr)
    if round is not None:
        try:
            agreement.check_round(round)
        except RoundError as exc:
            raise RoundError(f"{path}: {exc}") from None
    return agreement


@dataclass(frozen=True)
class _Rendered:
    """A .docx written by `render`, waiting for its PDF."""

    index: int
    source: Path
    output: Path
    started: float


def _render(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    files: list[Path] = args.files
    if args.output and len(files) > 1:
        parser.error("-o/--output takes one input file; use --outdir for several")
    if args.output and args.outdir:
        parser.error("use either -o/--output or --outdir")
    if args.soffice and not args.pdf:
        parser.error("--soffice is only used with --pdf")
    outdir: Path = args.outdir or Path()
    outputs = [args.output or outdir / (source.stem + ".docx") for source in files]
    for source, output in zip(files, outputs, strict=True):
        if output.resolve() == source.resolve():
            parser.error(f"{output} is the input file; choose another output file with -o")
        if output.is_dir():
            parser.error(f"{output} is a folder; give a file name with -o, or use --outdir")
    clashes = sorted({str(o) for o in outputs if outputs.count(o) > 1})
    if clashes:
        parser.error(f"several inputs would write {', '.join(clashes)}; rename one of them")
    created = _make_outdir(args.outdir) if args.outdir else []
    try:
        worst, waiting = _render_docx(args, outputs)
        if waiting:
            worst = max(worst, _render_pdfs(args, waiting))
    finally:
        _remove_if_empty(created)
    return worst


def _render_docx(args: argparse.Namespace, outputs: list[Path]) -> tuple[int, list[_Rendered]]:
    """Render every file, print its line (unless a PDF is to follow), return what waits."""
    files: list[Path] = args.files
    worst = EXIT_OK
    waiting: list[_Rendered] = []
    for index, (source, output) in enumerate(zip(files, outputs, strict=True), start=1):
        started = time.perf_counter()
        prefix = _prefix(index, len(files))
        try:
            agreement = _load(source)
            render(
                agreement,
                output,
                round=args.round,
                template=args.template,
                overview=not args.no_overview,
            )
        except FollowupError as exc:
            if args.debug:
                raise
            message = _message(exc, args)
            if isinstance(exc, RoundError):
                message = f"{source}: {message}"
            _error(message)
            worst = max(worst, _code(exc))
            if prefix:  # with several files, every file gets its line
                print(f"{prefix}{source} -> not rendered, see the message above")
            continue
        if args.pdf:
            waiting.append(_Rendered(index, source, output, started))
        else:
            print(f"{prefix}{source} -> {output} ({time.perf_counter() - started:.1f} s)")
    return worst, waiting


def _render_pdfs(args: argparse.Namespace, waiting: list[_Rendered]) -> int:
    """Convert the rendered files to PDF in as few LibreOffice runs as the cores allow."""
    total = len(args.files)
    pairs = [(item.output, item.output.with_suffix(".pdf")) for item in waiting]
    try:
        results = to_pdfs(pairs, soffice=args.soffice)
    except PdfError as exc:  # LibreOffice not found: one message for the whole batch
        if args.debug:
            raise
        if len(waiting) == 1:
            only = waiting[0].output
            _error(f"{only}: {exc}; {only} was written, only the PDF is missing")
        else:
            _error(f"{exc}; the {len(waiting)} .docx files were written, only the PDFs are missing")
        for item in waiting:
            if total > 1:
                print(f"{_prefix(item.index, total)}{item.source} -> {item.output} (no PDF)")
        return EXIT_ENVIRONMENT
    worst = EXIT_OK
    by_output = {item.output: item for item in waiting}
    for result in results:
        item = by_output[result.docx]
        prefix = _prefix(item.index, total)
        if result.error is not None:
            if args.debug:
                raise result.error
            missing = f"{item.output} was written, only the PDF is missing"
            _error(f"{_message(result.error, args)}; {missing}")
            worst = max(worst, _code(result.error))
            if prefix:
                print(f"{prefix}{item.source} -> {item.output} (no PDF, see the message above)")
            continue
        seconds = time.perf_counter() - item.started
        print(f"{prefix}{item.source} -> {item.output} + {result.pdf} ({seconds:.1f} s)")
    return worst


def _prefix(index: int, total: int) -> str:
    return f"[{index}/{total}] " if total > 1 else ""


def _make_outdir(folder: Path) -> list[Path]:
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


def _remove_if_empty(created: list[Path]) -> None:
    """Remove the folders --outdir made when nothing was written into them."""
    for folder in created:
        with contextlib.suppress(OSError):  # not empty: something was written, keep it
            folder.rmdir()


def _validate(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    agreement = _load(args.file, args.round)
    count = sum(1 for _ in agreement.initiatives)
    print(
        f"{args.file}: valid ({plural(len(agreement.themes), 'theme')}, "
        f"{plural(count, 'initiative')}, {plural(len(agreement.rounds), 'round')})"
    )
    if args.round is not None:
        print()
        print(checklist(agreement, args.round), end="")
    return EXIT_OK


def _new(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    path: Path = args.file
    if path.exists():
        _error(f"{path}: the file already exists; choose another name (nothing was changed)")
        return EXIT_INVALID
    try:
        with path.open("x", encoding="utf-8") as handle:  # "x": never overwrite, even in a race
            handle.write(STARTER)
    except FileExistsError:
        _error(f"{path}: the file already exists; choose another name (nothing was changed)")
        return EXIT_INVALID
    except OSError as exc:
        _error(f"{path}: cannot write the file ({exc.strerror or exc})")
        return EXIT_ENVIRONMENT
    print(f"wrote {path}; fill it in, then run: followupdocs validate {path}")
    return EXIT_OK


def _schema(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    print(json.dumps(json_schema(), ensure_ascii=False, indent=2))
    return EXIT_OK


def _check_template(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    report = inspect_template(args.template)
    for problem in report.problems:
        _error(f"{args.template}: {problem}")
    for warning in report.warnings:
        print(f"{args.template}: warning: {warning}", file=sys.stderr)
    if report.problems:
        return EXIT_INVALID
    if report.warnings:
        count = plural(len(report.warnings), "warning", "warnings")
        print(f"{args.template}: the template can be used, with {count}")
    else:
        print(f"{args.template}: the template is fine")
    return EXIT_OK


def _forms(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    agreement = _load(args.file, args.round)
    outdir: Path = args.outdir or Path()
    prefix = f"{args.file.stem}-runde{args.round}"
    created = _make_outdir(outdir) if args.outdir else []
    try:
        written = write_forms(agreement, args.round, outdir, centre=args.centre, prefix=prefix)
    except FormError as exc:
        _error(f"{args.file}: {exc}")
        return EXIT_INVALID
    finally:
        _remove_if_empty(created)
    for centre, path in written.items():
        count = sum(1 for i in agreement.initiatives if i.responsible_centre == centre)
        print(f"{path} ({centre}, {plural(count, 'initiative')})")
    print(
        f"wrote {plural(len(written), 'form')} for {agreement.round_label(args.round)}; "
        f"read them back with: followupdocs collect {args.file} FORM.docx..."
    )
    return EXIT_OK


def _collect(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    agreement = _load(args.file, args.round)
    found = collect(agreement, args.forms, round=args.round, source=str(args.file))
    previous = None
    for change in found.changes:
        if change.number != previous:
            print(f"{change.number} {change.title}")
            previous = change.number
        print(f"  {change}")
    for note in found.notes:
        print(f"warning: {note}", file=sys.stderr)
    for conflict in found.conflicts:
        _error(conflict)
    count = len({change.number for change in found.changes})
    summary = (
        f"{plural(len(found.changes), 'change')} to {plural(count, 'initiative')} "
        f"from {plural(len(args.forms), 'form')}"
    )
    if found.conflicts:
        print(f"{summary}; {plural(len(found.conflicts), 'conflict')}, so nothing was written")
        return EXIT_INVALID
    if not found.changes:
        print(f"{summary}: the forms agree with {args.file}")
        return EXIT_OK
    if not args.write:
        print(f"{summary}; nothing was written (add --write to update {args.file})")
        return EXIT_OK
    written = update_yaml(args.file, found.changes)
    newest, *older = backups(written)
    kept = [path.name for path in older if path.exists()]
    also = f"; older ones {kept[0]} to {kept[-1]}" if len(kept) > 1 else ""
    also = f"; the one before {kept[0]}" if len(kept) == 1 else also
    target = f" -> {written}" if written != args.file else ""  # a symbolic link's target
    print(f"{summary}; wrote {args.file}{target} (the old file is {newest}{also})")
    return EXIT_OK


__all__ = ["main"]
