"""Save a python-docx document as .docx bytes, the same bytes for the same document.

python-docx stamps every zip entry with the current time, so two renders of one agreement
differ; here every entry carries SOURCE_DATE_EPOCH's time when it is set (reproducible
builds' convention), else the current time, as one stamp for the whole package.
"""

from __future__ import annotations

import io
import zipfile

from docx.document import Document
from docx.opc.pkgwriter import _ContentTypesItem

from .docprops import moment

__all__ = ["package_bytes"]

_EARLIEST = (1980, 1, 1, 0, 0, 0)  # the zip format cannot say earlier


def package_bytes(document: Document) -> bytes:
    """Return the .docx bytes of `document`, every entry stamped with one time."""
    package = document.part.package
    parts = list(package.iter_parts())
    for part in parts:
        part.before_marshal()
    stamp = _stamp()
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:

        def put(name: str, blob: bytes) -> None:
            info = zipfile.ZipInfo(name, date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, blob)

        types = _ContentTypesItem.from_parts(parts)  # type: ignore[no-untyped-call]
        put("[Content_Types].xml", types.blob)
        put("_rels/.rels", package.rels.xml)
        for part in parts:
            put(part.partname.membername, part.blob)
            if len(part.rels):
                put(part.partname.rels_uri.membername, part.rels.xml)
    return out.getvalue()


def _stamp() -> tuple[int, int, int, int, int, int]:
    when = moment()  # the same time the core properties carry
    return max(_EARLIEST, (when.year, when.month, when.day, when.hour, when.minute, when.second))
