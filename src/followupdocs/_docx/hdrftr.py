"""Name a document's headers and footers as Word shows them, not by their part in the package.

Word shows "First Page Header", "Even Page Footer", "Header -Section 2-"; the package has
word/header1.xml. Which is which is said by each section's w:headerReference and
w:footerReference (their type: default, first or even), so a message says "the first page's
header" or "the footer of section 2", and the maintainer knows where to double-click.
"""

from __future__ import annotations

import posixpath
from collections.abc import Iterable, Mapping
from typing import Any

from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml.parser import parse_xml

__all__ = ["KINDS", "labels", "labels_of", "package_labels", "stories"]

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_R_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}Relationship"
KINDS = {RT.HEADER: "header", RT.FOOTER: "footer"}
_PAGES = {"first": "the first page's ", "even": "the even pages' "}


def labels(
    document_xml: Any, targets: Mapping[str, tuple[str, str]], odd_even: bool
) -> dict[str, str]:
    """Return the Word name of each header and footer part, by part name.

    `document_xml` is the document part's root element; `targets` maps a relationship id of
    the document part to its kind ("header" or "footer") and the part's name; `odd_even` says
    whether the document has different odd and even pages (then a default header is the odd
    pages' one).
    """
    body = document_xml.find(f"{_W}body")
    sections = [] if body is None else _sections(body)
    names: dict[str, str] = {}
    for number, section in enumerate(sections, start=1):
        for reference in section:
            if not reference.tag.endswith(("}headerReference", "}footerReference")):
                continue
            kind, part = targets.get(reference.get(_R_ID) or "", ("", ""))
            if not part or part in names:
                continue
            page = reference.get(f"{_W}type") or "default"
            which = _PAGES.get(page, "the odd pages' " if odd_even else "the ")
            names[part] = which + kind + (f" of section {number}" if len(sections) > 1 else "")
    for kind, part in targets.values():
        names.setdefault(part, f"a {kind} that no page shows")
    return names


def _sections(body: Any) -> list[Any]:
    """Return the section properties in document order: each section ends with its own."""
    found = [p.find(f"{_W}pPr/{_W}sectPr") for p in body.iterchildren(f"{_W}p")]
    last = body.find(f"{_W}sectPr")
    return [s for s in found if s is not None] + ([] if last is None else [last])


def labels_of(document: Any) -> dict[str, str]:
    """Return the Word name of each header and footer part of a python-docx document."""
    targets = {
        rid: (KINDS[rel.reltype], str(rel.target_part.partname).lstrip("/"))
        for rid, rel in document.part.rels.items()
        if rel.reltype in KINDS and not rel.is_external
    }
    # Not document.settings: python-docx would add a settings part to a template without one.
    settings = [
        rel.target_part.blob
        for rel in document.part.rels.values()
        if rel.reltype == RT.SETTINGS and not rel.is_external
    ]
    return labels(document.element, targets, any(b"evenAndOddHeaders" in s for s in settings))


def stories(document: Any) -> Iterable[tuple[str, Any]]:
    """Yield the body ("" as its name) and each header and footer's root, with its Word name."""
    yield "", document.element.body
    names = labels_of(document)
    seen = set()
    for rel in document.part.rels.values():
        name = "" if rel.is_external else str(rel.target_part.partname).lstrip("/")
        if rel.reltype in KINDS and name not in seen:  # a part related twice is one part
            seen.add(name)
            yield names[name], rel.target_part.element


def package_labels(parts: Mapping[str, bytes]) -> dict[str, str]:
    """Return the Word name of each header and footer of an unpacked package, if it can tell."""
    try:
        document = parse_xml(parts["word/document.xml"])
        rels = parse_xml(parts["word/_rels/document.xml.rels"])
        settings = parts.get("word/settings.xml", b"")
    except Exception:  # missing or damaged: the message falls back to the part's name
        return {}
    kinds = {t.rsplit("/", 1)[-1]: k for t, k in KINDS.items()}
    targets = {
        rel.get("Id") or "": (kinds[kind], _resolve(rel.get("Target") or ""))
        for rel in rels.iter(_REL)
        if (kind := (rel.get("Type") or "").rsplit("/", 1)[-1]) in kinds
        and rel.get("TargetMode") != "External"
    }
    return labels(document, targets, b"evenAndOddHeaders" in settings)


def _resolve(target: str) -> str:
    """Return a document relationship's target as a part name (word/header1.xml)."""
    if target.startswith("/"):
        return target.lstrip("/")
    return posixpath.normpath(posixpath.join("word", target))
