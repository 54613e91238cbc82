"""Fill a docxtpl Word template with a context, and make the result clean Word.

The template is read, preprocessed by docxtpl and compiled by Jinja once per process (per file
and modification time); each render only runs the compiled template and post-processes the
result. Smiley images are added to the package once per document and shared by every card.
"""

from __future__ import annotations

import io
import os
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timezone
from importlib import resources
from pathlib import Path
from typing import Any
from xml.sax.saxutils import quoteattr

import jinja2
from docx import Document
from docx.oxml import parse_xml
from docx.oxml.ns import qn
from docx.shared import Cm

from ._context import ALT_TEXT
from ._template import HEADER_FOOTER, compiled
from .errors import TemplateProblemError
from .models import Smiley

__all__ = ["SMILEY_FILES", "Rendered", "default_template", "fill"]

SMILEY_FILES: Mapping[Smiley, str] = {
    Smiley.GREEN: "smiley-groen.png",
    Smiley.YELLOW: "smiley-gul.png",
    Smiley.RED: "smiley-roed.png",
}
SMILEY_SIZE = Cm(0.5)

_DRAWING = (
    '</w:t></w:r><w:r><w:drawing><wp:inline distT="0" distB="0" distL="0" distR="0" '
    'xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" '
    'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
    'xmlns:pic="http://schemas.openxmlformats.org/drawingml/2006/picture" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    '<wp:extent cx="{size}" cy="{size}"/><wp:effectExtent l="0" t="0" r="0" b="0"/>'
    '<wp:docPr id="1" name="{name}" descr={alt}/>'
    '<wp:cNvGraphicFramePr><a:graphicFrameLocks noChangeAspect="1"/></wp:cNvGraphicFramePr>'
    '<a:graphic><a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/picture">'
    '<pic:pic><pic:nvPicPr><pic:cNvPr id="0" name="{name}" descr={alt}/><pic:cNvPicPr/>'
    '</pic:nvPicPr><pic:blipFill><a:blip r:embed="{rid}"/><a:stretch><a:fillRect/></a:stretch>'
    '</pic:blipFill><pic:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="{size}" cy="{size}"/>'
    '</a:xfrm><a:prstGeom prst="rect"><a:avLst/></a:prstGeom></pic:spPr></pic:pic>'
    '</a:graphicData></a:graphic></wp:inline></w:drawing></w:r><w:r><w:t xml:space="preserve">'
)


def default_template() -> Path:
    """Return the path of the template shipped with followupdocs."""
    with resources.as_file(resources.files("followupdocs") / "templates" / "opfoelgning.docx") as p:
        return Path(p)


def _asset(name: str) -> bytes:
    return (resources.files("followupdocs") / "assets" / name).read_bytes()


class Image:
    """An image the template inserts with {{ ... }}: the same picture part, its own alt text."""

    def __init__(self, rid: str, name: str, alt: str) -> None:
        # The docPr id is a placeholder; post-processing numbers every drawing uniquely.
        self._xml = _DRAWING.format(size=int(SMILEY_SIZE), name=name, alt=quoteattr(alt), rid=rid)

    def __html__(self) -> str:
        return self._xml

    def __str__(self) -> str:
        return self._xml


@dataclass
class Rendered:
    """A filled document, ready to be saved."""

    document: Any  # docx.Document

    def to_bytes(self) -> bytes:
        """Return the .docx file's bytes."""
        out = io.BytesIO()
        self.document.save(out)
        return out.getvalue()


def fill(
    template: Path,
    make_context: Callable[[Callable[[str, Smiley, str], Image]], dict[str, Any]],
    properties: Mapping[str, str],
) -> Rendered:
    """Fill `template` with the context `make_context` returns for this document's images."""
    try:
        compiled_template = compiled(template)  # checked and compiled once per process
    except TemplateProblemError as exc:  # name the template as the caller did
        raise TemplateProblemError(str(template), exc.problems) from None
    document = Document(io.BytesIO(compiled_template.data))
    part = document.part
    rids: dict[Smiley, str] = {}
    images: dict[tuple[str, Smiley, str], Image] = {}

    def image(field: str, smiley: Smiley, note: str) -> Image:
        """Return the smiley image; its picture part is added once and shared."""
        key = (field, smiley, note)
        if key not in images:
            if smiley not in rids:
                blob = io.BytesIO(_asset(SMILEY_FILES[smiley]))
                rids[smiley] = part.get_or_add_image(blob)[0]
            alt = ALT_TEXT[(field, smiley)]
            images[key] = Image(
                rids[smiley], f"Smiley {smiley.value}", f"{note}: {alt}" if note else alt
            )
        return images[key]

    context = make_context(image)
    try:
        for name, jinja_template in compiled_template.parts.items():
            xml = jinja_template.render(context)
            if name == "word/document.xml":
                body = parse_xml(xml)
                document.element.replace(document.element.body, body)
            else:
                target = next(
                    p
                    for p in document.part.package.iter_parts()
                    if str(p.partname).lstrip("/") == name
                )
                target._element = parse_xml(xml)
    except jinja2.TemplateError as exc:
        raise TemplateProblemError(str(template), [_describe(exc)]) from None
    _post_process(document, properties)
    return Rendered(document)


def _describe(exc: jinja2.TemplateError) -> str:
    if isinstance(exc, jinja2.UndefinedError):
        return f"the template uses something the context does not have: {exc.message}"
    if isinstance(exc, jinja2.exceptions.SecurityError):
        return f"the template tried something not allowed in a template: {exc}"
    return f"the template failed: {exc}"


def _post_process(document: Any, properties: Mapping[str, str]) -> None:
    body = document.element.body
    _number_drawings(document)
    _end_cells_with_paragraphs(body)
    _restart_numbered_lists(document, body)
    _set_properties(document, properties)


def _number_drawings(document: Any) -> None:
    """Give every wp:docPr a unique id across body, headers and footers (Word insists)."""
    elements: Iterable[Any] = [document.element]
    for rel in document.part.rels.values():
        if rel.reltype in HEADER_FOOTER and not rel.is_external:
            elements = [*elements, rel.target_part.element]
    next_id = 1
    tag = qn("wp:docPr")
    for element in elements:
        for doc_pr in element.iter(tag):
            doc_pr.set("id", str(next_id))
            next_id += 1


def _end_cells_with_paragraphs(body: Any) -> None:
    """Make every table cell end in a paragraph, as Word requires, whatever the template did."""
    paragraph = qn("w:p")
    for cell in body.iter(qn("w:tc")):
        if len(cell) == 0 or cell[-1].tag != paragraph:
            cell.append(
                parse_xml(
                    '<w:p xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"/>'
                )
            )


def _restart_numbered_lists(document: Any, body: Any) -> None:
    """Start each run of List Number paragraphs at 1, so every card's points count from 1."""
    style_id = _style_id(document, "List Number")
    if style_id is None:
        return
    runs: list[list[Any]] = []
    previous = None
    for p_style in body.iter(qn("w:pStyle")):
        if p_style.get(qn("w:val")) != style_id:
            continue
        paragraph = p_style.getparent().getparent()
        if previous is not None and paragraph.getprevious() is previous:
            runs[-1].append(paragraph)
        else:
            runs.append([paragraph])
        previous = paragraph
    if not runs:
        return
    abstract_id = _abstract_numbering(document, style_id)
    if abstract_id is None:
        return
    numbering = document.part.numbering_part.element
    w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    next_num = max((int(n.get(qn("w:numId"))) for n in numbering.iter(qn("w:num"))), default=0)
    for run in runs:
        next_num += 1
        numbering.append(
            parse_xml(
                f'<w:num xmlns:w="{w}" w:numId="{next_num}">'
                f'<w:abstractNumId w:val="{abstract_id}"/>'
                '<w:lvlOverride w:ilvl="0"><w:startOverride w:val="1"/></w:lvlOverride></w:num>'
            )
        )
        for paragraph in run:
            p_pr = paragraph.get_or_add_pPr()
            p_pr.remove_all("w:numPr")
            p_style = p_pr.find(qn("w:pStyle"))
            p_style.addnext(
                parse_xml(
                    f'<w:numPr xmlns:w="{w}"><w:ilvl w:val="0"/><w:numId w:val="{next_num}"/>'
                    "</w:numPr>"
                )
            )


def _style_id(document: Any, name: str) -> str | None:
    for style in document.styles.element.iter(qn("w:style")):
        style_name = style.find(qn("w:name"))
        if style_name is not None and style_name.get(qn("w:val")) == name:
            return str(style.get(qn("w:styleId")))
    return None


def _abstract_numbering(document: Any, style_id: str) -> str | None:
    """Return the abstract numbering the List Number style uses, if it has one."""
    style = document.styles.element.get_by_id(style_id)
    num_id = style.find(f"{qn('w:pPr')}/{qn('w:numPr')}/{qn('w:numId')}")
    if num_id is None:
        return None
    numbering = document.part.numbering_part.element
    for num in numbering.iter(qn("w:num")):
        if num.get(qn("w:numId")) == num_id.get(qn("w:val")):
            return str(num.find(qn("w:abstractNumId")).get(qn("w:val")))
    return None


def _set_properties(document: Any, properties: Mapping[str, str]) -> None:
    core = document.core_properties
    for name, value in properties.items():
        setattr(core, name, value)
    core.revision = 1
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    when = (
        datetime.fromtimestamp(int(epoch), timezone.utc)
        if epoch
        else datetime.now(timezone.utc).replace(microsecond=0)
    )
    core.created = core.modified = when
