"""Write files without ever leaving a half-written one, and convert to PDF with LibreOffice."""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from .errors import OutputError, PdfError

__all__ = ["find_soffice", "to_pdf", "write_atomic"]

SOFFICE_INSTALL_HINT = (
    "LibreOffice is needed for PDF output; install it (Debian/Ubuntu: "
    "'apt-get install libreoffice-writer-nogui') or leave out --pdf"
)


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
    reason = exc.strerror or str(exc)
    if isinstance(exc, PermissionError):
        return (
            f"{path}: cannot write the file ({reason}); if it is open in Word, close it, "
            "or choose another output file with -o"
        )
    if isinstance(exc, FileNotFoundError):
        return f"{path}: the folder does not exist; create it or choose another output file"
    return f"{path}: cannot write the file ({reason}); choose another output file with -o"


def find_soffice() -> str | None:
    """Return LibreOffice's command, or None when it is not installed."""
    for name in ("soffice", "libreoffice"):
        found = shutil.which(name)
        if found:
            return found
    return None


def to_pdf(docx: Path, pdf: Path | None = None, *, timeout: float = 180) -> Path:
    """Convert `docx` to PDF with LibreOffice and return the PDF's path (beside it by default).

    Each run gets its own LibreOffice profile, so conversions never wait on one another or on
    an open LibreOffice, and the PDF is written atomically like the .docx.
    """
    docx = Path(docx)
    pdf = Path(pdf) if pdf else docx.with_suffix(".pdf")
    soffice = find_soffice()
    if soffice is None:
        raise PdfError(f"{docx}: {SOFFICE_INSTALL_HINT}")
    with tempfile.TemporaryDirectory(prefix="followupdocs-pdf-") as work:
        profile = Path(work, "profile").as_uri()
        command = [
            soffice,
            f"-env:UserInstallation={profile}",
            "--headless",
            "--norestore",
            "--convert-to",
            "pdf",
            "--outdir",
            work,
            str(docx.resolve()),
        ]
        try:
            done = subprocess.run(
                command,
                capture_output=True,
                text=True,
                timeout=timeout,
                stdin=subprocess.DEVNULL,
                check=False,
            )
        except subprocess.TimeoutExpired:
            raise PdfError(f"{docx}: LibreOffice did not finish within {timeout:.0f} s") from None
        made = Path(work, docx.stem + ".pdf")
        # soffice exits 0 even when it converted nothing, so the file is the only proof.
        if not made.is_file() or made.stat().st_size == 0:
            detail = (done.stderr or done.stdout).strip().splitlines()
            reason = detail[-1] if detail else f"exit code {done.returncode}"
            raise PdfError(f"{docx}: LibreOffice could not convert the document ({reason})")
        write_atomic(pdf, made.read_bytes())
    return pdf
