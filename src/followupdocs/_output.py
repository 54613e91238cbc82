"""Write files without ever leaving a half-written one, and convert to PDF with LibreOffice."""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path

from ._errors import FollowupError, OutputError, PdfError
from ._soffice import (
    Finished,
    Search,
    end_group,
    find_soffice,
    remove_tree,
    require_soffice,
    run_group,
)

__all__ = ["PdfResult", "Search", "find_soffice", "to_pdf", "to_pdfs", "write_atomic"]

DEFAULT_TIMEOUT = 180.0  # seconds per document
# PDF/UA-1 needs the tags, and a viewer must show the title rather than the file name.
# LibreOffice takes /Lang from the document's language (da-DK in the template) and the XMP
# dc:title from its title property, which render() fills.
TAGGED_OPTIONS = {
    "UseTaggedPDF": True,
    "PDFUACompliance": True,
    "DisplayPDFDocumentTitle": True,
    "ExportBookmarks": True,
}


def write_atomic(path: Path, data: bytes) -> Path:
    """Write `data` to `path` through a temp file beside it, so a failure leaves no trace.

    The previous file at `path`, if any, stays byte-identical until the new one is complete.
    """
    path = Path(path)
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as exc:
        raise OutputError(_explain(path, exc)) from exc
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        if path.exists():
            with contextlib.suppress(OSError):  # keep the old file's permissions where we can
                shutil.copymode(path, tmp)
        else:
            os.chmod(tmp, 0o666 & ~_umask())
        os.replace(tmp, path)
    except OSError as exc:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise OutputError(_explain(path, exc)) from exc
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    return path


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _explain(path: Path, exc: OSError) -> str:
    """Say why `path` could not be written; the command line adds what to do instead."""
    reason = exc.strerror or str(exc)
    if isinstance(exc, PermissionError):
        holder = {".docx": "Word", ".pdf": "a PDF reader"}.get(
            path.suffix.lower(), "another program"
        )
        return f"{path}: cannot write the file ({reason}); if it is open in {holder}, close it"
    if isinstance(exc, FileNotFoundError):
        return f"{path}: the folder does not exist; create it first"
    return f"{path}: cannot write the file ({reason})"


@dataclass(frozen=True)
class PdfResult:
    """One document's conversion: the PDF written, or the error that stopped it."""

    docx: Path
    pdf: Path
    error: FollowupError | None = None


def to_pdf(
    docx: str | os.PathLike[str],
    pdf: str | os.PathLike[str] | None = None,
    *,
    soffice: str | os.PathLike[str] | None = None,
    timeout: float = DEFAULT_TIMEOUT,
    tagged: bool = True,
) -> Path:
    """Convert `docx` to PDF with LibreOffice and return the PDF's path (beside it by default).

    The PDF is tagged PDF/UA-1 unless `tagged` is false. `soffice` names LibreOffice's
    program; without it, FOLLOWUPDOCS_SOFFICE, PATH and the standard install places are tried.
    Each run gets its own LibreOffice profile, so conversions never wait on one another or on
    an open LibreOffice; a run still busy after `timeout` seconds is ended with everything it
    started, and the PDF is written atomically like the .docx.
    """
    docx = Path(docx)
    target = Path(pdf) if pdf else docx.with_suffix(".pdf")
    try:
        results = to_pdfs([(docx, target)], soffice=soffice, timeout=timeout, tagged=tagged)
    except PdfError as exc:
        raise PdfError(f"{docx}: {exc}") from None
    for result in list(results):  # to the end first, so the work folder is gone before we raise
        if result.error is not None:
            raise result.error
    return target


def to_pdfs(
    pairs: Iterable[tuple[Path, Path]],
    *,
    soffice: str | os.PathLike[str] | None = None,
    timeout: float = DEFAULT_TIMEOUT,
    processes: int | None = None,
    tagged: bool = True,
) -> Iterator[PdfResult]:
    """Convert each (docx, pdf) pair, yielding each result as its LibreOffice run finishes.

    Starting LibreOffice costs about as much as converting one document, so the batch is
    shared among at most `processes` LibreOffice runs (default: one per CPU), each converting
    its share in one go with its own profile. `timeout` is per document. Raises PdfError at
    once when LibreOffice is not found.
    """
    jobs = [(Path(docx), Path(pdf)) for docx, pdf in pairs]
    program = require_soffice(soffice)
    if not jobs:
        return iter(())
    count = max(1, min(processes or os.cpu_count() or 1, len(jobs)))
    return _convert_all(program, jobs, count, timeout, tagged)


def _convert_all(
    program: str, jobs: list[tuple[Path, Path]], count: int, timeout: float, tagged: bool
) -> Iterator[PdfResult]:
    work = Path(tempfile.mkdtemp(prefix="followupdocs-pdf-"))
    # Every k-th document goes to run k, so the first results arrive first.
    shares = [jobs[k::count] for k in range(count)]
    live: set[subprocess.Popen[str]] = set()
    try:
        if count == 1:
            yield from _convert_share(program, shares[0], work / "1", timeout, tagged, live)
            return
        with ThreadPoolExecutor(max_workers=count) as pool:
            futures = [
                pool.submit(_convert_list, program, share, work / str(k), timeout, tagged, live)
                for k, share in enumerate(shares, start=1)
            ]
            try:
                for future in as_completed(futures):
                    yield from future.result()
            except BaseException:  # Ctrl-C or the caller gave up: end the other runs now
                for process in list(live):
                    end_group(process)
                raise
    finally:
        remove_tree(work)


def _convert_list(
    program: str,
    share: Sequence[tuple[Path, Path]],
    work: Path,
    timeout: float,
    tagged: bool,
    live: set[subprocess.Popen[str]],
) -> list[PdfResult]:
    """Convert `share` in one LibreOffice run, in a worker thread."""
    return list(_convert_share(program, share, work, timeout, tagged, live))


def _convert_share(
    program: str,
    share: Sequence[tuple[Path, Path]],
    work: Path,
    timeout: float,
    tagged: bool,
    live: set[subprocess.Popen[str]],
) -> Iterator[PdfResult]:
    """Convert `share` in one LibreOffice run in `work`, and yield one result per document."""
    inbox, outbox = work / "in", work / "out"
    inbox.mkdir(parents=True)
    outbox.mkdir()
    staged: list[tuple[Path, Path, Path]] = []  # docx, pdf, the copy LibreOffice converts
    failed: list[PdfResult] = []
    for docx, pdf in share:
        # A copy under a name unique in this run: two inputs called x.docx in different
        # folders would otherwise both become out/x.pdf.
        copy = _unique(inbox, docx.stem)
        try:
            shutil.copyfile(docx, copy)
        except OSError as exc:
            reason = exc.strerror or str(exc)
            failed.append(
                PdfResult(docx, pdf, PdfError(f"{docx}: cannot read the file ({reason})"))
            )
            continue
        staged.append((docx, pdf, copy))
    yield from failed
    if not staged:
        return
    command = [
        program,
        f"-env:UserInstallation={(work / 'profile').as_uri()}",
        "--headless",
        "--norestore",
        "--convert-to",
        _filter(tagged),
        "--outdir",
        str(outbox),
        *(str(copy) for _, _, copy in staged),
    ]
    finished = run_group(command, timeout * len(staged), live=live)
    for docx, pdf, copy in staged:
        made = outbox / (copy.stem + ".pdf")
        if finished.returncode is None:
            # Even a PDF made before the hang may be incomplete; none of this run is trusted.
            limit = timeout * len(staged)
            error: FollowupError = PdfError(
                f"{docx}: LibreOffice did not finish within {limit:.0f} s and was stopped"
            )
            yield PdfResult(docx, pdf, error)
        elif not made.is_file() or made.stat().st_size == 0:
            # soffice exits 0 even when it converted nothing, so the file is the only proof.
            yield PdfResult(docx, pdf, PdfError(f"{docx}: {_failure(finished)}"))
        else:
            try:
                write_atomic(pdf, made.read_bytes())
            except OutputError as exc:
                error = exc
                yield PdfResult(docx, pdf, error)
                continue
            yield PdfResult(docx, pdf)


def _unique(folder: Path, stem: str) -> Path:
    """Return a path in `folder` named after `stem` that is not taken yet."""
    candidate, n = folder / f"{stem}.docx", 1
    while candidate.exists():
        n += 1
        candidate = folder / f"{stem}-{n}.docx"
    return candidate


def _filter(tagged: bool) -> str:
    """Return the --convert-to argument: PDF export with LibreOffice's JSON filter options."""
    options = TAGGED_OPTIONS if tagged else {"UseTaggedPDF": False, "PDFUACompliance": False}
    typed = {k: {"type": "boolean", "value": str(v).lower()} for k, v in options.items()}
    return "pdf:writer_pdf_Export:" + json.dumps(typed, separators=(",", ":"))


def _failure(finished: Finished) -> str:
    """Return why LibreOffice made no PDF, from the last thing it said."""
    noise = ("Warning: failed to launch javaldx", "convert ")
    said = [line.strip() for line in finished.output.splitlines() if line.strip()]
    said = [line for line in said if not line.startswith(noise)]
    reason = said[-1] if said else f"exit code {finished.returncode}"
    return f"LibreOffice could not convert the document ({reason})"
