"""Fill a docxtpl Word template with a context, and make the result clean Word.

The template is read, preprocessed by docxtpl and compiled by Jinja once per process (per file
and modification time); each render only runs the compiled template and post-processes the
result. Smiley images are added to the package once per document and shared by every card.
"""

from __future__ import annotations

import io
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime, timezone
from importlib import resources
from pathlib import Path
from typing import Any
from xml.sax.saxutils import quoteattr

import jinja2
from docx import Document
from docx.opc.part import Part
from docx.shared import Cm

from .._context import ALT_TEXT
from ..errors import TemplateProblemError
from ..models import Smiley
from .compile import compiled
from .docprops import clean_package
from .instrument import RenderState, add_restarted_lists
from .save import package_bytes
from .stream import render_part

__all__ = ["SMILEY_FILES", "Rendered", "default_template", "fill"]

SMILEY_FILES: Mapping[Smiley, str] = {
    Smiley.GREEN: "smiley-groen.png",
    Smiley.YELLOW: "smiley-gul.png",
    Smiley.RED: "smiley-roed.png",
}
SMILEY_SIZE = Cm(0.5)

_DRAWING = (
    # The namespaces are declared once on the part's root (instrument.DRAWING_NAMESPACES).
    '</w:t></w:r><w:r><w:drawing><wp:inline distT="0" distB="0" distL="0" distR="0">'
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


_TEMPLATE = "templates/opfoelgning.docx"


def default_template() -> Path:
    """Return the path of the template shipped with followupdocs.

    A wheel has it as package data; an editable install or a source checkout finds the
    top-level templates/ folder the wheel's copy is made from.
    """
    packaged = resources.files("followupdocs") / _TEMPLATE
    if packaged.is_file():
        with resources.as_file(packaged) as path:
            return Path(path)
    return Path(__file__).resolve().parents[3] / _TEMPLATE


def _asset(name: str) -> bytes:
    return (resources.files("followupdocs") / "assets" / name).read_bytes()


class Image:
    """An image the template inserts with {{ ... }}: the same picture part, its own alt text."""

    def __init__(self, state: RenderState, rid: str, name: str, alt: str) -> None:
        before, after = _DRAWING.format(
            size=int(SMILEY_SIZE), name=name, alt=quoteattr(alt), rid=rid
        ).split('<wp:docPr id="1"')
        self._state = state
        self._before = before + '<wp:docPr id="'
        self._after = '"' + after

    def __html__(self) -> str:
        # Each insertion is its own drawing and needs its own id.
        return f"{self._before}{self._state.drawing()}{self._after}"

    def __str__(self) -> str:
        return self.__html__()


@dataclass
class Rendered:
    """A filled document, ready to be saved."""

    document: Any  # docx.Document

    def to_bytes(self) -> bytes:
        """Return the .docx file's bytes."""
        return package_bytes(self.document)


def fill(
    template: Path,
    make_context: Callable[[Callable[[str, Smiley, str], Image]], dict[str, Any]],
    properties: Mapping[str, str],
) -> Rendered:
    """Fill `template` with the context `make_context` returns for this document's images.

    The filled parts are written as the template produced them: the instrumented template
    already numbers drawings, closes cells and restarts lists, so the large document part is
    never parsed again.
    """
    try:
        compiled_template = compiled(template)  # checked and compiled once per process
    except TemplateProblemError as exc:  # name the template as the caller did
        raise TemplateProblemError(str(template), exc.problems) from None
    document = Document(io.BytesIO(compiled_template.data))
    part = document.part
    state = RenderState(compiled_template.first_drawing, compiled_template.first_num)
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
            name = f"Smiley {smiley.value}"
            images[key] = Image(state, rids[smiley], name, f"{note}: {alt}" if note else alt)
        return images[key]

    context = {**make_context(image), **state.hooks()}
    blobs = {}
    for name, jinja_template in compiled_template.parts.items():
        try:
            blobs[name] = _encode(jinja_template, context)
        except Exception as exc:  # whatever a template does wrong at run time, say where
            problem = compiled_template.failure(name, exc)
            raise TemplateProblemError(str(template), [problem]) from exc
    for name, blob in blobs.items():
        _replace_part(document, name, blob)
    if state.nums and compiled_template.list_abstract is not None:
        add_restarted_lists(document, state.nums, compiled_template.list_abstract)
    set_properties(document, properties)
    clean_package(document)  # a custom template's own app.xml and preview are not ours either
    return Rendered(document)


def _encode(template: jinja2.Template, context: dict[str, Any]) -> bytes:
    """Render straight into UTF-8, checked well-formed and within size as it is encoded."""
    return render_part(template, context)


def _replace_part(document: Any, name: str, blob: bytes) -> None:
    """Put `blob` in the package in place of the part called `name`, keeping its relationships."""
    package = document.part.package
    old = next(p for p in package.iter_parts() if str(p.partname).lstrip("/") == name)
    new = Part(old.partname, old.content_type, blob, package)
    for rel in old.rels.values():
        new.load_rel(rel.reltype, rel._target, rel.rId, rel.is_external)
    sources = [package, *package.iter_parts()]
    for source in sources:
        for rel in source.rels.values():
            if not rel.is_external and rel._target is old:
                rel._target = new


def set_properties(document: Any, properties: Mapping[str, str]) -> None:
    """Set the core properties; the dates honour SOURCE_DATE_EPOCH for reproducible files."""
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
