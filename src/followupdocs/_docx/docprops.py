"""Make a package say what it is: written by followupdocs, a Danish document, no stale extras.

python-docx's default document (the base of our template and forms) and templates saved by
Word carry claims that stop being true once we fill them: docProps/app.xml names the program
and counts pages and words as they were, docProps/thumbnail.jpeg is a picture of some other
document shown as the file's preview, and the settings may say en-US separators.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from datetime import datetime, timezone
from typing import Any

from docx.document import Document
from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn

__all__ = ["APP_XML", "clean_package", "fit_property", "moment", "set_properties"]

# No page, word or line counts: only Word can count them, and a wrong count is worse than none.
APP_XML = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    b'<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/'
    b'extended-properties"><Application>followupdocs</Application><DocSecurity>0</DocSecurity>'
    b"</Properties>"
)
_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def clean_package(document: Document) -> None:
    """Write honest extended properties, drop the preview picture, make the settings Danish."""
    _app_properties(document)
    package = document.part.package
    for rid, rel in list(package.rels.items()):
        if rel.reltype == RT.THUMBNAIL:
            del package.rels[rid]  # parts nothing refers to are not saved
    _danish_settings(document.settings.element)


def _app_properties(document: Document) -> None:
    package = document.part.package
    for rel in package.rels.values():
        if rel.reltype == RT.EXTENDED_PROPERTIES and not rel.is_external:
            rel.target_part._blob = APP_XML
            return
    part = Part(PackURI("/docProps/app.xml"), CT.OFC_EXTENDED_PROPERTIES, APP_XML, package)
    package.relate_to(part, RT.EXTENDED_PROPERTIES)


def _danish_settings(settings: Any) -> None:
    """Danish decimal symbol and list separator, da-DK theme fonts, a valid zoom, no preview."""
    zoom = settings.find(qn("w:zoom"))
    if zoom is not None and zoom.get(qn("w:percent")) is None:
        zoom.set(qn("w:percent"), "100")  # the schema requires it; Word writes it always
    for preview in settings.findall(qn("w:savePreviewPicture")):
        settings.remove(preview)
    language = settings.find(qn("w:themeFontLang"))
    if language is not None:
        for name in list(language.attrib):
            del language.attrib[name]
        language.set(qn("w:val"), "da-DK")
    for tag, value in (("decimalSymbol", ","), ("listSeparator", ";")):
        element = settings.find(qn(f"w:{tag}"))
        if element is None:
            element = parse_xml(f'<w:{tag} {nsdecls("w")} w:val="{value}"/>')
            separator = settings.find(qn("w:listSeparator"))
            if separator is not None:  # the schema puts the decimal symbol first
                separator.addprevious(element)
            else:
                _append_last(settings, element)
        element.set(qn("w:val"), value)


def _append_last(settings: Any, element: Any) -> None:
    """Add after the schema's last settings elements, before extensions (w14, w15, ...)."""
    ours = [i for i, c in enumerate(settings) if str(c.tag).startswith("{" + _W + "}")]
    settings.insert(ours[-1] + 1 if ours else 0, element)


def set_properties(document: Document, properties: Mapping[str, str]) -> None:
    """Set the core properties, each fitted to a property's length; the dates are moment()."""
    core = document.core_properties
    for name, value in properties.items():
        setattr(core, name, fit_property(value))
    core.revision = 1
    core.created = core.modified = moment()


def moment() -> datetime:
    """Return SOURCE_DATE_EPOCH's time when it is set (reproducible builds), else now."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "")
    if epoch.isascii() and epoch.isdigit():
        return datetime.fromtimestamp(int(epoch), timezone.utc)
    return datetime.now(timezone.utc).replace(microsecond=0)


# python-docx refuses a core property over 255 characters (the limit Word's property fields
# have); a character beyond the BMP counts as two, as in Word's UTF-16 strings, to fit both.
_PROPERTY_LIMIT = 255


def fit_property(value: str) -> str:
    """Return `value` shortened with "…" where it is too long for a document property."""
    units = [2 if ord(char) > 0xFFFF else 1 for char in value]
    if sum(units) <= _PROPERTY_LIMIT:
        return value
    used = end = 0
    while used + units[end] <= _PROPERTY_LIMIT - 1:  # room for the "…"
        used += units[end]
        end += 1
    return value[:end].rstrip() + "…"
