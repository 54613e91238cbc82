"""Read a docxtpl Word template safely and turn its parts into Jinja sources.

A template is unpacked within limits and scrubbed, read by docxtpl, and each part to fill
becomes one Jinja source whose lines the places module maps back to the document.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from typing import Any

import jinja2
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import parse_xml
from docxtpl import DocxTemplate

from .hdrftr import labels_of
from .numbering import num_ids
from .package import NotAPackageError, PackageError, describe, pack, read_package
from .places import Locator, mark, unmark
from .scrub import scrub
from .stream import PartError
from .wording import run_problem

__all__ = ["SAVE_AS", "Compiled", "as_document", "first_ids", "load", "sources"]

HEADER_FOOTER = (RT.HEADER, RT.FOOTER)


@dataclass
class Compiled:
    """A template read and compiled once: its bytes and a Jinja template per filled part.

    `first_drawing` and `first_num` are the first drawing id and numbering id not used by any
    part the render leaves as it is.
    """

    data: bytes
    parts: dict[str, jinja2.Template] = field(default_factory=dict)
    first_drawing: int = 1
    first_num: int = 1
    locators: dict[str, Locator] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)  # found while unpacking; do not stop

    def name(self, part: str) -> str:
        """Return how Word names a filled part: "the footer", or the body's description."""
        locator = self.locators.get(part)
        return locator.label if locator is not None and locator.label else describe(part)

    def failure(self, part: str, exc: BaseException) -> str:
        """Describe an error raised while `part` rendered, located in the document."""
        line = None
        tb = exc.__traceback__
        while tb is not None:  # Jinja rewrites its frames to carry the template's line
            if tb.tb_frame.f_code.co_filename == "<template>":
                line = tb.tb_lineno
            tb = tb.tb_next
        if isinstance(exc, PartError):
            return f"{self.name(part)}: {exc}"
        where = self.locators[part](line) if part in self.locators else part
        if isinstance(exc, jinja2.exceptions.SecurityError):
            return f"{where}: uses something not allowed in a template ({exc})"
        if isinstance(exc, jinja2.UndefinedError):
            return f"{where}: uses something the context does not have ({exc.message})"
        return f"{where}: {run_problem(type(exc).__name__, str(exc))}"


def load(data: bytes) -> DocxTemplate:
    tpl = DocxTemplate(io.BytesIO(data))
    tpl.init_docx()
    return tpl


def sources(tpl: DocxTemplate) -> dict[str, tuple[str, Locator]]:
    """Return each part to fill as a Jinja source, one element a line, and its locator."""
    # The whole document part, not only its body: parsing the result once is far cheaper than
    # moving a large rendered body into the template's tree.
    xml = {"word/document.xml": tpl.xml_to_string(tpl.docx.element)}
    for rel in tpl.docx.part.rels.values():
        if rel.reltype in HEADER_FOOTER and not rel.is_external:
            blob = rel.target_part.blob.decode("utf-8")
            if "{{" in blob or "{%" in blob:
                name = str(rel.target_part.partname).lstrip("/")
                xml[name] = tpl.xml_to_string(parse_xml(rel.target_part.blob))
    sources = {}
    labels = labels_of(tpl.docx)  # "the footer", as Word names word/footer1.xml
    for name, original in xml.items():
        marked, places = mark(original)
        # docxtpl's cleaning joins tags Word split across runs and turns {%p %} and {%tr %}
        # into plain tags in place of their paragraph or row.
        source, origins = unmark(tpl.patch_xml(marked))
        sources[name] = (source, Locator(name, places, origins, labels.get(name, "")))
    return sources


SAVE_AS = "open it in Word and save it as Word Document (.docx)"
_DOCUMENT_TYPE = b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
_TEMPLATE_TYPE = b"application/vnd.openxmlformats-officedocument.wordprocessingml.template.main+xml"
# The main part of a .docm or .dotm: application/vnd.ms-word.document.macroEnabled.main+xml,
# application/vnd.ms-word.template.macroEnabledTemplate.main+xml.
_MACRO_DOCUMENT = re.compile(rb"vnd\.ms-word\.(?:document|template)\.macroEnabled")


def as_document(data: bytes) -> tuple[bytes | list[str], list[str]]:
    """Return the bytes of a safe .docx (a .dotx becomes one) and warnings, or the problems.

    The package is unpacked within limits, and remote parts and code are taken out or
    refused (scrub), so nothing of that kind reaches a document rendered from it.
    """
    try:
        parts = read_package(data)
    except NotAPackageError as exc:
        return [f"{exc}; {SAVE_AS}"], []
    except PackageError as exc:
        return [str(exc)], []
    types = parts.get("[Content_Types].xml")
    if types is None:
        return [f"the file is a zip archive but not a Word document; {SAVE_AS}"], []
    if _MACRO_DOCUMENT.search(types):  # not an embedded workbook's type: scrub names that
        return [f"the file holds macros (.docm or .dotm), which templates must not; {SAVE_AS}"], []
    problems, warnings = scrub(parts)
    if problems:
        return problems, []
    # A Word Template (.dotx) differs from a document only in its main part's content type.
    parts["[Content_Types].xml"] = types.replace(_TEMPLATE_TYPE, _DOCUMENT_TYPE)
    return pack(parts), warnings


def first_ids(tpl: DocxTemplate, rendered: dict[str, Any]) -> tuple[int, int]:
    """Return the first drawing and numbering ids that parts left as they are do not use."""
    drawing = 0
    for rel in tpl.docx.part.rels.values():
        name = (
            str(getattr(rel.target_part, "partname", "")).lstrip("/") if not rel.is_external else ""
        )
        if rel.reltype in HEADER_FOOTER and name not in rendered:
            ids = re.findall(rb'<wp:docPr\b[^>]*?\bid="(\d+)"', rel.target_part.blob)
            drawing = max([drawing, *map(int, ids)])
    try:
        numbering = tpl.docx.part.numbering_part.element
        nums = num_ids(numbering)
    except NotImplementedError:
        nums = []
    return drawing + 1, max(nums, default=0) + 1
