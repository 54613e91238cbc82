"""The followupdocs command line: a thin layer over the public functions.

Exit codes: 0 done; 1 invalid input; 2 usage error; 3 environment (LibreOffice missing or
failing, output file locked or not writable).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path

from . import __version__
from ._checklist import checklist, plural
from ._cli_common import (
    EXIT_ENVIRONMENT,
    EXIT_INVALID,
    EXIT_OK,
    error,
    error_message,
    exit_code,
    load_checked,
    make_outdir,
    remove_if_empty,
)
from ._cli_import import add_arguments as add_import_arguments
from ._cli_import import run_import
from ._cli_render import run_render
from ._collecting import collect, update_yaml
from ._docx.fill import default_template
from ._errors import FollowupError
from ._forms import FormError, write_forms
from ._rendering import template_check
from ._schema import json_schema
from ._starter import STARTER
from ._yamlfile import backups

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

    template_cmd = command(
        "template",
        "Write a copy of the default Word template to restyle in Word (never overwrites).",
        "followupdocs template min-skabelon.docx",
    )
    template_cmd.add_argument("file", type=Path, metavar="T.docx")

    add_import_arguments(
        command(
            "import",
            "Read a follow-up document in the card layout and write its agreement as YAML.",
            "followupdocs import opfoelgning.docx -o oekonomiudvalget-2018.yaml --kommune "
            '"Ballerup Kommune"',
        )
    )

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
        "Read filled forms and edited committee documents back, show what they change, and "
        "with --write update the YAML.",
        "followupdocs collect oekonomiudvalget-2018.yaml skemaer/*.docx --write",
    )
    collect_cmd.add_argument("file", type=Path, metavar="FILE.yaml")
    collect_cmd.add_argument(
        "forms",
        nargs="+",
        type=Path,
        metavar="EDITED.docx",
        help="centres' filled forms, and committee documents editors touched up in Word",
    )
    collect_cmd.add_argument(
        "--round", type=int, metavar="N", help="refuse forms and documents for any other round"
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
        "render": run_render,
        "validate": _validate,
        "new": _new,
        "schema": _schema,
        "check-template": _check_template,
        "template": _template,
        "import": run_import,
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
        error(error_message(exc, args))
        return exit_code(exc)
    except KeyboardInterrupt:
        error("interrupted")
        return 130


def _validate(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    agreement = load_checked(args.file, args.round)
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
    return _write_new(
        path,
        STARTER.encode("utf-8"),
        f"fill it in, then run: followupdocs validate {path}",
    )


def _write_new(path: Path, data: bytes, next_step: str) -> int:
    """Write a file that must not exist yet ("x": never overwrite, even in a race)."""
    try:
        with path.open("xb") as handle:
            handle.write(data)
    except FileExistsError:
        error(f"{path}: the file already exists; choose another name (nothing was changed)")
        return EXIT_INVALID
    except OSError as exc:
        error(f"{path}: cannot write the file ({exc.strerror or exc})")
        return EXIT_ENVIRONMENT
    print(f"wrote {path}; {next_step}")
    return EXIT_OK


def _schema(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    print(json.dumps(json_schema(), ensure_ascii=False, indent=2))
    return EXIT_OK


def _template(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    path: Path = args.file
    if path.suffix.lower() != ".docx":
        parser.error(f"{path}: name the copy with .docx, for example min-skabelon.docx")
    return _write_new(
        path,
        default_template().read_bytes(),
        f"restyle it in Word, then run: followupdocs check-template {path} "
        f"(and render with --template {path})",
    )


def _check_template(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    report = template_check(args.template)
    for problem in report.problems:
        error(str(problem))
    for warning in report.warnings:
        where = f"{warning.path}: " if warning.path else ""
        print(f"{warning.source}: warning: {where}{warning.message}", file=sys.stderr)
    if report.problems:
        return EXIT_INVALID
    if report.warnings:
        count = plural(len(report.warnings), "warning", "warnings")
        print(f"{args.template}: the template can be used, with {count}")
    else:
        print(f"{args.template}: the template is fine")
    return EXIT_OK


def _forms(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    agreement = load_checked(args.file, args.round)
    outdir: Path = args.outdir or Path()
    prefix = f"{args.file.stem}-runde{args.round}"
    created = make_outdir(outdir) if args.outdir else []
    try:
        written = write_forms(
            agreement, outdir, round=args.round, centre=args.centre, prefix=prefix
        )
    except FormError as exc:
        error(f"{args.file}: {exc}")
        return EXIT_INVALID
    finally:
        remove_if_empty(created)
    for centre, path in written.items():
        count = sum(1 for i in agreement.initiatives if i.responsible_centre == centre)
        print(f"{path} ({centre}, {plural(count, 'initiative')})")
    print(
        f"wrote {plural(len(written), 'form')} for {agreement.round_label(round=args.round)}; "
        f"read them back with: followupdocs collect {args.file} FORM.docx..."
    )
    return EXIT_OK


def _collect(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    agreement = load_checked(args.file, args.round)
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
        error(conflict)
    count = len({change.number for change in found.changes})
    summary = (
        f"{plural(len(found.changes), 'change')} to {plural(count, 'initiative')} "
        f"from {_files(len(args.forms), len(found.documents))}"
    )
    if found.conflicts:
        print(f"{summary}; {plural(len(found.conflicts), 'conflict')}, so nothing was written")
        return EXIT_INVALID
    if not found.changes:
        they = "they" if found.documents else "the forms"
        print(f"{summary}: {they} agree with {args.file}")
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


def _files(count: int, documents: int) -> str:
    """Return what collect read: "3 forms", "1 document", "2 forms and 1 document"."""
    forms = count - documents
    if not documents:
        return plural(forms, "form")
    if not forms:
        return plural(documents, "document")
    return f"{plural(forms, 'form')} and {plural(documents, 'document')}"


__all__ = ["main"]
