"""The render command: check the outputs, render each file, then convert to PDF in batches."""

from __future__ import annotations

import argparse
import time
from dataclasses import dataclass
from pathlib import Path

from ._cli_common import (
    EXIT_ENVIRONMENT,
    EXIT_OK,
    error,
    error_message,
    exit_code,
    load_checked,
    make_outdir,
    remove_if_empty,
)
from ._errors import FollowupError, PdfError, RoundError
from ._output import to_pdfs
from ._rendering import render

__all__ = ["run_render"]


@dataclass(frozen=True)
class _Rendered:
    """A .docx written by `render`, waiting for its PDF."""

    index: int
    source: Path
    output: Path
    started: float


def run_render(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    """Render every file to .docx, then (with --pdf) to PDF; return the worst exit code."""
    _check_options(args, parser)
    outputs = _outputs(args, parser)
    created = make_outdir(args.outdir) if args.outdir else []
    try:
        worst, waiting = _render_docx(args, outputs)
        if waiting:
            worst = max(worst, _render_pdfs(args, waiting))
    finally:
        remove_if_empty(created)
    return worst


def _check_options(args: argparse.Namespace, parser: argparse.ArgumentParser) -> None:
    """Refuse options that do not go together (a usage error)."""
    if args.output and len(args.files) > 1:
        parser.error("-o/--output takes one input file; use --outdir for several")
    if args.output and args.outdir:
        parser.error("use either -o/--output or --outdir")
    if args.soffice and not args.pdf:
        parser.error("--soffice is only used with --pdf")


def _outputs(args: argparse.Namespace, parser: argparse.ArgumentParser) -> list[Path]:
    """Return the .docx each input writes; refuse an input, a folder or a clash as output."""
    files: list[Path] = args.files
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
    return outputs


def _render_docx(args: argparse.Namespace, outputs: list[Path]) -> tuple[int, list[_Rendered]]:
    """Render every file, print its line (unless a PDF is to follow), return what waits."""
    files: list[Path] = args.files
    worst = EXIT_OK
    waiting: list[_Rendered] = []
    for index, (source, output) in enumerate(zip(files, outputs, strict=True), start=1):
        started = time.perf_counter()
        prefix = _prefix(index, len(files))
        try:
            agreement = load_checked(source)
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
            message = error_message(exc, args)
            if isinstance(exc, RoundError):
                message = f"{source}: {message}"
            error(message)
            worst = max(worst, exit_code(exc))
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
            error(f"{only}: {exc}; {only} was written, only the PDF is missing")
        else:
            error(f"{exc}; the {len(waiting)} .docx files were written, only the PDFs are missing")
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
            error(f"{error_message(result.error, args)}; {missing}")
            worst = max(worst, exit_code(result.error))
            if prefix:
                print(f"{prefix}{item.source} -> {item.output} (no PDF, see the message above)")
            continue
        seconds = time.perf_counter() - item.started
        print(f"{prefix}{item.source} -> {item.output} + {result.pdf} ({seconds:.1f} s)")
    return worst


def _prefix(index: int, total: int) -> str:
    return f"[{index}/{total}] " if total > 1 else ""
