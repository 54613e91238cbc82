"""Word-strictness checks for a rendered .docx: what Word rejects or calls "unreadable content".

`problems(path)` returns a list of plain-language problems; an empty list means clean. Used by
every rendering test, so each rendered document is checked the same way.
"""

from __future__ import annotations

import os
import zipfile
from functools import lru_cache
from pathlib import Path

from lxml import etree

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
WP = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"
MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
NS = {"w": W, "wp": WP}
ROOT = Path(__file__).resolve().parent.parent


def schema_dir() -> Path | None:
    """Return the OOXML schema folder: $FOLLOWUPDOCS_OOXML_SCHEMAS or ../shared/ooxml-schemas."""
    configured = os.environ.get("FOLLOWUPDOCS_OOXML_SCHEMAS")
    candidates = [Path(configured)] if configured else []
    candidates.append(ROOT.parent / "shared" / "ooxml-schemas")
    for candidate in candidates:
        if (candidate / "ISO-IEC29500-4_2016" / "wml.xsd").is_file():
            return candidate
    if configured:  # set but wrong: fail loudly rather than skip
        raise FileNotFoundError(f"FOLLOWUPDOCS_OOXML_SCHEMAS={configured} has no wml.xsd")
    return None


@lru_cache(maxsize=1)
def _schema(folder: str) -> etree.XMLSchema:
    iso = Path(folder, "ISO-IEC29500-4_2016")
    wrapper = (
        '<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" '
        'targetNamespace="urn:followupdocs:wrapper" elementFormDefault="qualified">'
        f'<xs:import namespace="http://www.w3.org/XML/1998/namespace" '
        f'schemaLocation="{(iso / "xml.xsd").as_uri()}"/>'
        f'<xs:import namespace="{W}" schemaLocation="{(iso / "wml.xsd").as_uri()}"/>'
        "</xs:schema>"
    )
    return etree.XMLSchema(etree.fromstring(wrapper.encode(), base_url=iso.as_uri() + "/"))


def _strip_ignorable(root: etree._Element) -> None:
    """Drop mc:Ignorable extensions (w14, w15, ...) the ISO schema does not know."""
    ignorable = set((root.get(f"{{{MC}}}Ignorable") or "").split())
    namespaces = {root.nsmap.get(prefix) for prefix in ignorable}
    for alternate in list(root.iter(f"{{{MC}}}AlternateContent")):
        fallback = alternate.find(f"{{{MC}}}Fallback")
        parent = alternate.getparent()
        index = parent.index(alternate)
        parent.remove(alternate)
        if fallback is not None:
            for offset, child in enumerate(list(fallback)):
                parent.insert(index + offset, child)
    for element in list(root.iter()):
        if not isinstance(element.tag, str):
            continue
        if etree.QName(element).namespace in namespaces:
            element.getparent().remove(element)
            continue
        for name in list(element.attrib):
            if etree.QName(name).namespace in namespaces or etree.QName(name).namespace == MC:
                del element.attrib[name]


def xsd_problems(document_xml: bytes, folder: Path) -> list[str]:
    """Validate word/document.xml against the ISO transitional schema."""
    root = etree.fromstring(document_xml)
    _strip_ignorable(root)
    schema = _schema(str(folder))
    if schema.validate(root):
        return []
    messages = dict.fromkeys(f"document.xml: {e.message}" for e in schema.error_log)
    return list(messages)[:10]


def parts(path: Path) -> dict[str, etree._Element]:
    """Return the parsed XML parts of the body, headers and footers."""
    with zipfile.ZipFile(path) as z:
        names = [
            n
            for n in z.namelist()
            if n == "word/document.xml" or n.startswith(("word/header", "word/footer"))
        ]
        return {n: etree.fromstring(z.read(n)) for n in names if n.endswith(".xml")}


def problems(path: Path, *, schemas: Path | None = None) -> list[str]:
    """Return every Word-strictness problem of the .docx at `path`."""
    found: list[str] = []
    with zipfile.ZipFile(path) as z:
        if z.testzip() is not None:
            found.append("the zip is damaged")
        document_xml = z.read("word/document.xml")
        styles = etree.fromstring(z.read("word/styles.xml"))
    xml_parts = parts(path)

    ids = [d.get("id") for root in xml_parts.values() for d in root.iter(f"{{{WP}}}docPr")]
    duplicates = sorted({i for i in ids if ids.count(i) > 1})
    if duplicates:
        found.append(f"wp:docPr ids used more than once: {duplicates[:10]}")
    for root in xml_parts.values():
        for doc_pr in root.iter(f"{{{WP}}}docPr"):
            if not (doc_pr.get("descr") or "").strip():
                found.append(f"image {doc_pr.get('id')} has no alt text")

    for name, root in xml_parts.items():
        for t, table in enumerate(root.iter(f"{{{W}}}tbl")):
            rows = table.findall(f"{{{W}}}tr")
            if not rows:
                found.append(f"{name}: table {t} has no rows")
            grid = len(table.findall(f"{{{W}}}tblGrid/{{{W}}}gridCol"))
            for r, row in enumerate(rows):
                width = 0
                for cell in row.findall(f"{{{W}}}tc"):
                    span = cell.find(f"{{{W}}}tcPr/{{{W}}}gridSpan")
                    width += int(span.get(f"{{{W}}}val")) if span is not None else 1
                    if len(cell) == 0 or cell[-1].tag != f"{{{W}}}p":
                        found.append(
                            f"{name}: table {t} row {r}: a cell does not end in a paragraph"
                        )
                if width != grid:
                    found.append(
                        f"{name}: table {t} row {r} spans {width} columns; grid has {grid}"
                    )

    lang = styles.find("w:docDefaults/w:rPrDefault/w:rPr/w:lang", NS)
    if lang is None or lang.get(f"{{{W}}}val") != "da-DK":
        found.append("the styles' default language is not da-DK")

    folder = schemas if schemas is not None else schema_dir()
    if folder is not None:
        found.extend(xsd_problems(document_xml, folder))
    return found


def card_layout_problems(path: Path) -> list[str]:
    """Check every table: header row repeats, rows do not split; card titles are headings."""
    root = parts(path)["word/document.xml"]
    found = []
    for t, table in enumerate(root.iter(f"{{{W}}}tbl")):
        header_text = ["".join(c.itertext()) for c in table.find(f"{{{W}}}tr")]
        is_card = len(header_text) == 4 and header_text[2:] == ["Tid", "Smiley"]
        rows = table.findall(f"{{{W}}}tr")
        if rows[0].find(f"{{{W}}}trPr/{{{W}}}tblHeader") is None:
            found.append(f"table {t}: the first row is not a repeating header row")
        for r, row in enumerate(rows):
            if row.find(f"{{{W}}}trPr/{{{W}}}cantSplit") is None:
                found.append(f"table {t} row {r} may split across pages")
        heading = rows[0].find(f".//{{{W}}}pStyle")
        if not is_card:
            continue
        if heading is None or not heading.get(f"{{{W}}}val", "").startswith("Heading"):
            found.append(f"table {t}: the card's title is not a heading")
    return found
