"""Change a rendered .docx the way an editor or another program would: its XML, its parts."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from lxml import etree

__all__ = ["NS", "W", "cards", "edited", "rows", "w"]

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = {"w": W}


def w(name: str) -> str:
    """Return the Clark name of w:`name`."""
    return f"{{{W}}}{name}"


def edited(
    source: Path,
    target: Path,
    change: Callable[[Any], None] | None = None,
    parts: Mapping[str, bytes] | None = None,
) -> Path:
    """Copy a .docx with its document part changed by `change` and `parts` replaced."""
    out = io.BytesIO()
    with zipfile.ZipFile(source) as zin, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename == "word/document.xml" and change is not None:
                root = etree.fromstring(data)
                change(root)
                data = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
            if parts and item.filename in parts:
                data = parts[item.filename]
            zout.writestr(item, data)
    target.write_bytes(out.getvalue())
    return target


def cards(root: Any) -> list[Any]:
    """Return the card tables: those whose first row has a cell "Tid"."""
    return [
        tbl
        for tbl in root.iter(w("tbl"))
        if "Tid"
        in ["".join(tc.itertext()).strip() for tc in tbl.find("w:tr", NS).findall("w:tc", NS)]
    ]


def rows(table: Any) -> list[Any]:
    """Return a table's rows."""
    return table.findall("w:tr", NS)
