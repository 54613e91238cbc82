"""Keep what must never reach a committee document out of a template: remote parts and code.

Word follows a document's External relationships when it opens it: a template attached by URL
or UNC path ("template injection": its macros run, or Windows sends the user's credentials), a
picture linked by URL or file:// path (LibreOffice fetches it into the PDF, local files
included). Fields fetch too: INCLUDEPICTURE and INCLUDETEXT read a file or URL (a UNC path
sends the reader's Windows credentials), LINK and DDE talk to other programs (DDEAUTO asks to
run one when the document opens), DATABASE queries a data source. Macro projects and ActiveX
controls are code, and so may be an embedded object (an OLE package holds any file, a program
too) or an embedded Office file with macros. Hyperlinks, as links or HYPERLINK fields, are
external too, but only followed when someone clicks them, so they stay.

The content types are not trusted: a macro project is found by its part and relationship,
whatever [Content_Types].xml declares.
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from typing import Any

from docx.opc.oxml import serialize_part_xml
from docx.oxml.parser import parse_xml

from .hdrftr import package_labels
from .package import describe

__all__ = ["fetching_fields", "field_instructions", "scrub"]

_RELS = "{http://schemas.openxmlformats.org/package/2006/relationships}Relationship"
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
# Parts that hold code, by name: vbaProject.bin, vbaData.xml, activeX/activeX1.xml|.bin.
_CODE_PART = re.compile(r"(?:^|/)(?:vba[^/]*|activeX/[^/]*)$", re.IGNORECASE)
_CODE_TYPE = re.compile(r"/(?:vbaProject|vbaData|control|activeXControlBinary)$")
_LINKED = {  # what Word calls the thing an External relationship of this type links in
    "image": "a picture linked to",
    "oleObject": "an object linked to",
    "subDocument": "a subdocument linked from",
    "frame": "a frame showing",
    "mailMergeSource": "a mail merge data source at",
    "recipientData": "a mail merge recipient list at",
    "mailMergeHeaderSource": "a mail merge header source at",
}
_NOT_A_LINK = "insert it instead of linking it, or delete it"
# Office files that may hold macros, as an embedded object's package would be named.
_MACRO_FILES = (".docm", ".dotm", ".xlsm", ".xltm", ".xlsb", ".xlam", ".pptm", ".potm", ".ppsm",
                ".ppam", ".sldm")  # fmt: skip
# Fields that fetch from outside the document, by their first word (INCLUDE and IMPORT are
# Word's older names for INCLUDETEXT and INCLUDEPICTURE), and what they fetch.
_FETCHING_FIELDS = {
    "INCLUDEPICTURE": "shows a picture from {}, which Word fetches when the document opens",
    "IMPORT": "shows a picture from {}, which Word fetches when the document opens",
    "INCLUDETEXT": "shows the text of {}, which Word fetches when the fields are updated",
    "INCLUDE": "shows the text of {}, which Word fetches when the fields are updated",
    "LINK": "shows an object linked from {}, which Word fetches when the document opens",
    "DDE": "asks the program {} for data, which Word offers to start when the document opens",
    "DDEAUTO": "asks the program {} for data, which Word offers to start when the document opens",
    "DATABASE": "queries the data source {} when the fields are updated",
}


def _source(rels_name: str) -> str:
    """Return the part whose relationships `rels_name` holds ('' for the package itself)."""
    folder, _, file = rels_name.rpartition("_rels/")
    return posixpath.join(folder, file[: -len(".rels")]).lstrip("/")


def _where(part: str, labels: dict[str, str]) -> str:
    """Name a part for a message: a header or footer as Word shows it ("the footer")."""
    return "the package" if not part else labels.get(part) or describe(part)


def scrub(parts: dict[str, bytes]) -> tuple[list[str], list[str]]:
    """Take remote templates out of `parts`; return the problems and the warnings found.

    A problem (code, a linked picture, any other remote part) refuses the template; an attached
    template is only left out, with a warning, since Word adds one to many ordinary documents.
    """
    labels = package_labels(parts)  # "the footer", as Word names word/footer1.xml
    problems = _code_parts(parts) + _doctypes(parts, labels) + _fetching_fields(parts, labels)
    warnings: list[str] = []
    for name in [n for n in parts if n.endswith(".rels")]:
        _scrub_relationships(parts, name, problems, warnings, labels)
    return problems, warnings


def _code_parts(parts: dict[str, bytes]) -> list[str]:
    return [
        f"{describe(name)} is code (macros or an ActiveX control); a template must have "
        "none: delete the controls, then save it as Word Document (.docx)"
        for name in parts
        if _CODE_PART.search(name)
    ]


def _doctypes(parts: dict[str, bytes], labels: dict[str, str]) -> list[str]:
    return [
        f"{_where(name, labels)} declares a DTD (<!DOCTYPE>), which Word never writes and "
        "which can hide text or fetch files; save the template again in Word"
        for name, data in parts.items()
        if name.endswith((".xml", ".rels")) and b"<!DOCTYPE" in data
    ]


def _fetching_fields(parts: dict[str, bytes], labels: dict[str, str]) -> list[str]:
    """Return a problem for each field that would fetch something from outside the document."""
    problems = []
    for name, data in parts.items():
        if name.endswith(".xml"):
            problems += fetching_fields(_where(name, labels), data)
    return problems


def fetching_fields(where: str, data: bytes) -> list[str]:
    """Return a problem for each field in the part `data` that would fetch from outside.

    The template is checked before it is filled, and each filled part again, since a tag
    could write a field's name: `<w:instrText>{{ "INCLUDE" ~ "PICTURE" }} ...</w:instrText>`.
    """
    if b"instrText" not in data and b"fldSimple" not in data:  # 14 ms for 1000 cards, a regex 70
        return []
    try:
        root = parse_xml(data)
    except Exception:  # lxml's XMLSyntaxError: python-docx reports the damaged part
        return []
    problems = []
    for instruction in field_instructions(root):
        words = instruction.split(None, 1)
        field = words[0].upper() if words else ""
        if field in _FETCHING_FIELDS:
            target = _quoted_target(words[1] if len(words) > 1 else "")
            problems.append(
                f"{where} has a field ({field}) that "
                + _FETCHING_FIELDS[field].format(target)
                + "; delete the field (Alt+F9 shows the field codes) and insert what it "
                "shows instead"
            )
        elif "{{" in field or "{%" in field:
            shown = instruction if len(instruction) <= 60 else instruction[:57] + "..."
            problems.append(
                f"{where} has a field whose kind a tag writes ({shown}); type the field's "
                "name (PAGE, DATE, ...) itself, so the template can be checked"
            )
    return problems


@dataclass
class _Field:
    """A complex field being read: its instruction's pieces, and whether they are complete."""

    pieces: list[str] = dataclass_field(default_factory=list)
    separated: bool = False

    @property
    def instruction(self) -> str:
        return "".join(self.pieces).strip()


def field_instructions(root: Any) -> list[str]:
    """Return the instruction of every field in a part, a complex field's pieces joined.

    A simple field is one w:fldSimple with a w:instr attribute. A complex field is w:fldChar
    begin, its w:instrText in any number of runs, w:fldChar separate, its shown result, and
    w:fldChar end (separate and the result may be missing). Fields nest, in an instruction or
    in a result, so each open field collects its own text.
    """
    found = [(e.get(f"{_W}instr") or "").strip() for e in root.iter(f"{_W}fldSimple")]
    open_fields: list[_Field] = []
    for element in root.iter(f"{_W}fldChar", f"{_W}instrText"):
        if element.tag != f"{_W}instrText":
            _field_char(element.get(f"{_W}fldCharType"), open_fields, found)
        elif open_fields and not open_fields[-1].separated:
            open_fields[-1].pieces.append(element.text or "")
    found.extend(f.instruction for f in open_fields if not f.separated)  # never closed
    return found


def _field_char(kind: str | None, open_fields: list[_Field], found: list[str]) -> None:
    """Follow one w:fldChar: a field begins, its instruction ends, or the field ends."""
    if kind == "begin":
        open_fields.append(_Field())
    elif not open_fields:
        return
    elif kind == "separate" and not open_fields[-1].separated:
        found.append(open_fields[-1].instruction)
        open_fields[-1].separated = True
    elif kind == "end":
        ended = open_fields.pop()
        if not ended.separated:
            found.append(ended.instruction)


def _quoted_target(arguments: str) -> str:
    """Return a field's first argument for a message: its quoted text, else its first word."""
    quoted = re.match(r'\s*"([^"]*)"', arguments)
    target = quoted.group(1) if quoted else (arguments.split() or [""])[0]
    if not target:  # "{ INCLUDEPICTURE "{ MERGEFIELD x }" }": another field names it
        return "a place another field names"
    return target if len(target) <= 80 else target[:77] + "..."


def _scrub_relationships(
    parts: dict[str, bytes],
    name: str,
    problems: list[str],
    warnings: list[str],
    labels: dict[str, str],
) -> None:
    """Check one relationships part: refuse code and remote parts, drop an attached template."""
    try:
        root = parse_xml(parts[name])
    except Exception:  # lxml's XMLSyntaxError
        return  # python-docx reports a damaged part when it loads the package
    source = _source(name)
    where = _where(source, labels)
    changed = False
    for rel in list(root.iter(_RELS)):
        kind = (rel.get("Type") or "").rsplit("/", 1)[-1]
        target = rel.get("Target") or ""
        if _CODE_TYPE.search(rel.get("Type") or "") and not problems:
            problems.append(
                f"{where} refers to macros or an ActiveX control ({kind}); a "
                "template must have none: save it as Word Document (.docx)"
            )
        if rel.get("TargetMode") != "External":
            embedded = _embedded(kind, target)
            if embedded:
                problems.append(f"{where} {embedded}")
            continue
        if kind == "hyperlink":
            continue
        if kind == "attachedTemplate":
            root.remove(rel)
            changed = True
            parts[source] = _without_attached_template(parts.get(source, b""))
            warnings.append(
                f"{where} attach a template from {target}; followupdocs leaves it "
                "out of every document, since Word would fetch it when the document opens"
            )
        else:
            problems.append(_remote(where, kind, target))
    if changed:
        parts[name] = serialize_part_xml(root)


def _embedded(kind: str, target: str) -> str:
    """Describe an embedded object that may hold code ('' for anything else in the package)."""
    if kind == "oleObject":  # an OLE package can be any file, a program too
        return (
            f"has an embedded object ({target}), which may hold a program that runs when it "
            "is double-clicked; insert it as a picture instead, or delete it"
        )
    if kind == "package" and target.lower().endswith(_MACRO_FILES):  # a chart's data is .xlsx
        return (
            f"has an embedded file with macros ({target}); embed it without macros (as .xlsx "
            "or .docx), or delete it"
        )
    return ""


def _remote(where: str, kind: str, target: str) -> str:
    """Describe a part that would be fetched from outside the package."""
    if kind in _LINKED:
        return f"{where} has {_LINKED[kind]} {target}; {_NOT_A_LINK}"
    return (
        f"{where} links to an outside file ({kind}: {target}); remove the "
        "link, since Word would fetch it when the document opens"
    )


def _without_attached_template(settings: bytes) -> bytes:
    """Return the settings part without its w:attachedTemplate element."""
    try:
        root = parse_xml(settings)
    except Exception:  # lxml's XMLSyntaxError
        return settings
    for element in list(root.iter(f"{_W}attachedTemplate")):
        element.getparent().remove(element)
    data: bytes = serialize_part_xml(root)
    return data
