"""Word-strictness checks for a rendered .docx: what Word rejects or calls "unreadable content".

`problems(path)` returns a list of plain-language problems; an empty list means clean. Used by
every rendering test, so each rendered document is checked the same way.
"""

from __future__ import annotations

import os
import posixpath
import zipfile
from collections import Counter
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
    namespaces = sorted({root.nsmap[prefix] for prefix in ignorable if prefix in root.nsmap})
    for alternate in list(root.iter(f"{{{MC}}}AlternateContent")):
        fallback = alternate.find(f"{{{MC}}}Fallback")
        parent = alternate.getparent()
        index = parent.index(alternate)
        parent.remove(alternate)
        if fallback is not None:
            for offset, child in enumerate(list(fallback)):
                parent.insert(index + offset, child)
    # One XPath each (lxml walks the tree in C): the ignorable elements, then the ignorable
    # attributes and mc's own (mc:Ignorable) on what is left.
    tests = [f"namespace-uri()='{namespace}'" for namespace in namespaces]
    if tests:
        for element in root.xpath(f"//*[{' or '.join(tests)}]"):
            parent = element.getparent()
            if parent is not None:
                parent.remove(element)
    dropped = " or ".join([*tests, f"namespace-uri()='{MC}'"])
    for attribute in root.xpath(f"//@*[{dropped}]"):
        del attribute.getparent().attrib[attribute.attrname]


def xsd_problems(document_xml: bytes, folder: Path, name: str = "document.xml") -> list[str]:
    """Validate a WordprocessingML part (word/document.xml by default) against the schema."""
    root = etree.fromstring(document_xml)
    _strip_ignorable(root)
    schema = _schema(str(folder))
    if schema.validate(root):
        return []
    messages = dict.fromkeys(f"{name}: {e.message}" for e in schema.error_log)
    return list(messages)[:10]


def wordprocessing_parts(path: Path) -> dict[str, bytes]:
    """Return every XML part whose root is WordprocessingML: document, styles, settings, ..."""
    found = {}
    with zipfile.ZipFile(path) as z:
        for name in z.namelist():
            if not name.endswith(".xml"):
                continue
            data = z.read(name)
            if etree.QName(etree.fromstring(data)).namespace == W:
                found[name] = data
    return found


def width_problems(name: str, t: int, table: etree._Element) -> list[str]:
    """Return the cells whose width (w:tcW) is not the sum of the grid columns they span."""
    grid = [int(c.get(f"{{{W}}}w")) for c in table.findall(f"{{{W}}}tblGrid/{{{W}}}gridCol")]
    found = []
    layout = table.find(f"{{{W}}}tblPr/{{{W}}}tblLayout")
    if layout is None or layout.get(f"{{{W}}}type") != "fixed":
        found.append(f"{name}: table {t} does not have a fixed layout")
    for r, row in enumerate(table.findall(f"{{{W}}}tr")):
        column = 0
        for c, cell in enumerate(row.findall(f"{{{W}}}tc")):
            span = cell.find(f"{{{W}}}tcPr/{{{W}}}gridSpan")
            count = int(span.get(f"{{{W}}}val")) if span is not None else 1
            want = sum(grid[column : column + count])
            column += count
            width = cell.find(f"{{{W}}}tcPr/{{{W}}}tcW")
            if width is None or width.get(f"{{{W}}}type") != "dxa":
                found.append(f"{name}: table {t} row {r} cell {c} has no width in twips")
            elif int(width.get(f"{{{W}}}w")) != want:
                found.append(
                    f"{name}: table {t} row {r} cell {c} is {width.get(f'{{{W}}}w')} twips wide; "
                    f"its grid columns are {want}"
                )
    return found


def package_problems(path: Path) -> list[str]:
    """Return the leftovers of python-docx's default document and non-Danish settings."""
    found = []
    with zipfile.ZipFile(path) as z:
        names = z.namelist()
        app = etree.fromstring(z.read("docProps/app.xml")) if "docProps/app.xml" in names else None
        settings = etree.fromstring(z.read("word/settings.xml"))
        rels = z.read("_rels/.rels").decode()
    if app is None:
        found.append("there is no docProps/app.xml")
    else:
        ep = "{http://schemas.openxmlformats.org/officeDocument/2006/extended-properties}"
        if app.findtext(f"{ep}Application") != "followupdocs":
            found.append(f"app.xml names the application {app.findtext(f'{ep}Application')!r}")
        for count in ("Pages", "Words", "Characters", "Lines", "Paragraphs"):
            if app.find(f"{ep}{count}") is not None:
                found.append(f"app.xml claims a count of {count}")
    if any(n.startswith("docProps/thumbnail") for n in names) or "thumbnail" in rels:
        found.append("the package has a preview picture (thumbnail)")
    if settings.find("w:savePreviewPicture", NS) is not None:
        found.append("settings ask Word to save a preview picture")
    for tag, value in (("decimalSymbol", ","), ("listSeparator", ";"), ("themeFontLang", "da-DK")):
        element = settings.find(f"w:{tag}", NS)
        if element is None or element.get(f"{{{W}}}val") != value:
            found.append(f"settings: {tag} is not {value!r}")
    return found


R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PR = "http://schemas.openxmlformats.org/package/2006/relationships"


def relationship_problems(path: Path) -> list[str]:
    """Return every r:embed, r:id, ... of an XML part that names no relationship of the part,
    every relationship whose internal target is not in the package, and every external one:
    Word calls the first two unreadable content, and nothing of ours points outside."""
    found = []
    with zipfile.ZipFile(path) as z:
        names = set(z.namelist())
        for part in sorted(n for n in names if n.endswith(".xml") and "/_rels/" not in n):
            folder, name = posixpath.split(part)
            rels_name = posixpath.join(folder, "_rels", f"{name}.rels")
            rels = etree.fromstring(z.read(rels_name)) if rels_name in names else None
            ids = set()
            for rel in [] if rels is None else rels.iter(f"{{{PR}}}Relationship"):
                ids.add(rel.get("Id"))
                target = posixpath.normpath(posixpath.join(folder, rel.get("Target", "")))
                if rel.get("TargetMode") == "External":
                    found.append(f"{rels_name}: {rel.get('Id')} points outside the package")
                elif target.lstrip("/") not in names:
                    found.append(f"{rels_name}: {rel.get('Id')} names {target}, not in the package")
            used = etree.fromstring(z.read(part)).xpath(f"//@*[namespace-uri()='{R}']")
            found.extend(
                f"{part}: r:{used_id.attrname.split('}')[1]}={used_id} is not in {rels_name}"
                for used_id in used
                if str(used_id) not in ids
            )
    return found


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
        styles = etree.fromstring(z.read("word/styles.xml"))
    xml_parts = parts(path)

    ids = [d.get("id") for root in xml_parts.values() for d in root.iter(f"{{{WP}}}docPr")]
    duplicates = sorted(i for i, count in Counter(ids).items() if count > 1)
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
            found.extend(width_problems(name, t, table))

    lang = styles.find("w:docDefaults/w:rPrDefault/w:rPr/w:lang", NS)
    if lang is None or lang.get(f"{{{W}}}val") != "da-DK":
        found.append("the styles' default language is not da-DK")

    found.extend(package_problems(path))
    found.extend(relationship_problems(path))
    folder = schemas if schemas is not None else schema_dir()
    if folder is not None:
        for name, data in wordprocessing_parts(path).items():
            found.extend(xsd_problems(data, folder, name))
    return found


LONG_ROW = 1500  # characters: a row holding more may be taller than a page (issue 15)
SHORT_ROW = 600  # characters in at most 6 paragraphs: a row this short is kept on one page


def card_layout_problems(path: Path) -> list[str]:
    """Check every table: header rows repeat and keep with the next row, only short rows are
    kept on one page (long ones split, or Word cuts them off), card titles are headings."""
    root = parts(path)["word/document.xml"]
    found = []
    for t, table in enumerate(root.iter(f"{{{W}}}tbl")):
        header_text = ["".join(c.itertext()) for c in table.find(f"{{{W}}}tr")]
        is_card = len(header_text) == 4 and header_text[2:] == ["Tid", "Smiley"]
        rows = table.findall(f"{{{W}}}tr")
        if rows[0].find(f"{{{W}}}trPr/{{{W}}}tblHeader") is None:
            found.append(f"table {t}: the first row is not a repeating header row")
        for r, row in enumerate(rows):
            kept = row.find(f"{{{W}}}trPr/{{{W}}}cantSplit") is not None
            text = "".join(t.text or "" for t in row.iter(f"{{{W}}}t"))
            paragraphs = len(row.findall(f".//{{{W}}}p"))
            typed = row.find(f".//{{{W}}}sdtPr/{{{W}}}text") is not None  # a form's answer
            if kept and len(text) > LONG_ROW:
                found.append(f"table {t} row {r} holds {len(text)} characters and cannot split")
            elif not kept and not typed and len(text) <= SHORT_ROW and paragraphs <= 6:
                found.append(f"table {t} row {r} is short and may split across pages")
        heading = rows[0].find(f".//{{{W}}}pStyle")
        if not is_card:
            continue
        if heading is None or not heading.get(f"{{{W}}}val", "").startswith("Heading"):
            found.append(f"table {t}: the card's title is not a heading")
        for p in rows[0].iter(f"{{{W}}}p"):
            if p.find(f"{{{W}}}pPr/{{{W}}}keepNext") is None:
                found.append(f"table {t}: the header row is not kept with the next row")
                break
    return found
