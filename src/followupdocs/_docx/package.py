"""Open Word packages that come from outside (templates, forms, committee documents) safely.

A .docx is a zip archive, and a few megabytes of zip can declare gigabytes. Everything that can
be decided from the archive's directory is decided before anything is inflated: the number of
entries, each part's size and compression ratio, the total, encryption and the compression
method. Then each part is inflated a bounded chunk at a time, so a part whose directory entry
lies about its size is stopped at the limit too. Python's zipfile, asked for a whole member at
once, inflates the member's entire compressed data in one call before it truncates to the
declared size; the chunked read here never does.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from pathlib import Path

from .._errors import FollowupError

__all__ = [
    "DEFAULT_LIMITS",
    "Limits",
    "NotAPackageError",
    "PackageError",
    "describe",
    "pack",
    "read_package",
]

_MB = 1024 * 1024
_CHUNK = 64 * 1024
_WORD_METHODS = (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED)  # all Word and LibreOffice write


@dataclass(frozen=True)
class Limits:
    """What a package may unpack to; the defaults hold ten times the largest real document.

    A 1000-card committee document is 20 MB of XML in one part, deflated about 20:1; styles
    reach 30:1. A part smaller than `ratio_from` may compress as well as it likes.
    """

    entries: int = 1000
    part: int = 200 * _MB
    total: int = 400 * _MB
    ratio: int = 200
    ratio_from: int = 1 * _MB


DEFAULT_LIMITS = Limits()


class PackageError(FollowupError, ValueError):
    """A Word package is damaged, or larger than it may be to be opened safely."""


class NotAPackageError(PackageError):
    """The file is not a zip archive at all."""


_NAMES = {
    "word/document.xml": "the document's text",
    "word/styles.xml": "the style sheet",
    "word/settings.xml": "the document's settings",
    "word/numbering.xml": "the numbering (lists)",
    "word/fontTable.xml": "the font table",
    "word/vbaProject.bin": "the macro project",
    "[Content_Types].xml": "the list of content types",
}


def describe(part: str) -> str:
    """Return a part's name as a Word user knows it, with its name in the package."""
    name = part.lstrip("/")
    folder, _, file = name.rpartition("/")
    if name in _NAMES:
        known = _NAMES[name]
    elif file.startswith("header"):
        known = "a header"
    elif file.startswith("footer"):
        known = "a footer"
    elif folder.endswith("/media") or folder == "media":
        known = "a picture"
    else:
        return f"the part {name}"
    return f"{known} ({name})"


def _size(count: int) -> str:
    return f"{count / _MB:.0f} MB" if count >= _MB else f"{count / 1024:.0f} KB"


def _check_directory(archive: zipfile.ZipFile, limits: Limits) -> None:
    """Refuse what the archive's directory already shows: too many, too large, or unreadable."""
    items = archive.infolist()
    if len(items) > limits.entries:
        raise PackageError(
            f"the package holds {len(items)} parts, more than the {limits.entries} a Word "
            "document may have; it is damaged or built to exhaust the computer"
        )
    total = 0
    for item in items:
        where = describe(item.filename)
        if item.flag_bits & 0x1:
            raise PackageError(
                f"{where} is stored encrypted, which Word never does; save the document "
                "again in Word"
            )
        if item.compress_type not in _WORD_METHODS:
            raise PackageError(
                f"{where} is compressed with a method Word does not use (method "
                f"{item.compress_type}); save the document again in Word"
            )
        _check_size(item.filename, item.file_size, item.compress_size, limits)
        total += item.file_size
        if total > limits.total:
            raise PackageError(
                f"the package unpacks to more than {_size(limits.total)} (at {where}); it is "
                "damaged or built to exhaust the computer's memory"
            )


def _check_size(name: str, size: int, packed: int, limits: Limits) -> None:
    where = describe(name)
    if size > limits.part:
        raise PackageError(
            f"{where} unpacks to {_size(size)}, more than the {_size(limits.part)} a part "
            "may have; it is damaged or built to exhaust the computer's memory"
        )
    if size > limits.ratio_from and size > limits.ratio * max(packed, 1):
        raise PackageError(
            f"{where} unpacks to {size // max(packed, 1)} times its packed size (more than "
            f"{limits.ratio}); it is damaged or built to exhaust the computer's memory"
        )


def _inflate(archive: zipfile.ZipFile, item: zipfile.ZipInfo, limits: Limits) -> bytes:
    """Return one part, inflated a chunk at a time and never beyond its declared size."""
    out = io.BytesIO()
    with archive.open(item) as member:
        while chunk := member.read(_CHUNK):
            out.write(chunk)
            if out.tell() > item.file_size:  # zipfile truncates, but do not depend on it
                raise PackageError(f"{describe(item.filename)} is larger than it says")
    return out.getvalue()


def _open(source: bytes | Path) -> zipfile.ZipFile:
    try:
        return zipfile.ZipFile(io.BytesIO(source) if isinstance(source, bytes) else source)
    except zipfile.BadZipFile:
        raise NotAPackageError("the file is not a Word document (.docx)") from None


def read_package(
    source: bytes | Path, limits: Limits = DEFAULT_LIMITS, only: str | None = None
) -> dict[str, bytes]:
    """Return the parts of the package `source` by name; raise PackageError, naming the part.

    With `only`, read just that part (after checking the whole directory): a KeyError if the
    package has no such part.
    """
    with _open(source) as archive:
        _check_directory(archive, limits)
        items = archive.infolist()
        if only is not None:
            items = [archive.getinfo(only)]
        parts = {}
        for item in items:
            try:
                parts[item.filename] = _inflate(archive, item, limits)
            except (zipfile.BadZipFile, EOFError, OSError, ValueError) as exc:
                if isinstance(exc, PackageError):
                    raise
                raise PackageError(
                    f"{describe(item.filename)} is damaged ({exc}); save the document again in Word"
                ) from None
        return parts


def pack(parts: dict[str, bytes]) -> bytes:
    """Return a zip of `parts`, stored: it is only read again in this process."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return out.getvalue()
