"""Fill a docxtpl Word template with a context, and make the result clean Word.

The template is read, preprocessed by docxtpl and compiled by Jinja once per process (per file
and modification time); each render only runs the compiled template and post-processes the
result. Smiley images are added to the package once per document and shared by every card.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import jinja2
from docx import Document
from docx.document import Document as DocxDocument
from docx.opc.part import Part

from .._errors import TemplateProblemError
from .check import compiled
from .docprops import clean_package, set_properties
from .instrument import RenderState
from .numbering import add_restarted_lists
from .save import package_bytes
from .scrub import fetching_fields
from .shape import Samples
from .smileys import Image, picture
from .stream import render_part

__all__ = ["Image", "Rendered", "default_template", "fill"]

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


@dataclass
class Rendered:
    """A filled document, ready to be saved."""

    document: DocxDocument

    def to_bytes(self) -> bytes:
        """Return the .docx file's bytes."""
        return package_bytes(self.document)


def fill(
    template: Path,
    make_context: Callable[[Callable[[str, str, str], Image]], dict[str, Any]],
    properties: Mapping[str, str],
    *,
    alt_text: Mapping[tuple[str, str], str],
    samples: Samples,
) -> Rendered:
    """Fill `template` with the context `make_context` returns for this document's images.

    `alt_text` gives a smiley's alt text by (field, colour); `samples` the sample contexts the
    template is checked with once (shape.Samples).

    The filled parts are written as the template produced them: the instrumented template
    already numbers drawings, closes cells and restarts lists, so the large document part is
    never parsed again.
    """
    try:
        compiled_template = compiled(template, samples)  # checked and compiled once per process
    except TemplateProblemError as exc:  # name the template as the caller did
        raise TemplateProblemError(str(template), exc.problems) from None
    document = Document(io.BytesIO(compiled_template.data))
    state = RenderState(compiled_template.first_drawing, compiled_template.first_num)
    pictures = _Pictures(document)
    images: dict[tuple[str, str, str], Image] = {}

    def image(field: str, colour: str, note: str) -> Image:
        """Return the smiley image; its picture part is added once and shared."""
        colour = str(colour)  # a str enum's own str() is its word
        key = (field, colour, note)
        if key not in images:
            alt = alt_text[(field, colour)]
            alt = f"{note}: {alt}" if note else alt
            images[key] = Image(state.drawing, pictures.rid, colour, alt)
        return images[key]

    context = {**make_context(image), **state.hooks()}
    blobs = {}
    for name, jinja_template in compiled_template.parts.items():
        pictures.writing(name)
        try:
            blobs[name] = _encode(jinja_template, context)
        except Exception as exc:  # whatever a template does wrong at run time, say where
            problem = compiled_template.failure(name, exc)
            raise TemplateProblemError(str(template), [problem]) from exc
        fetching = fetching_fields(compiled_template.name(name), blobs[name])
        if fetching:  # a tag wrote the field's name, on a path the trial run did not take
            raise TemplateProblemError(str(template), fetching)
    for name, blob in blobs.items():
        _replace_part(document, name, blob)
    if state.nums:
        add_restarted_lists(document, state.nums)
    set_properties(document, properties)
    clean_package(document)  # a custom template's own app.xml and preview are not ours either
    return Rendered(document)


class _Pictures:
    """The smiley pictures' relationships, per part: a header or footer has its own rels.

    Each picture part is added to the package once; a part that shows it relates to it when
    the first smiley is written there, so every r:embed resolves in its own part's rels.
    """

    def __init__(self, document: DocxDocument) -> None:
        self._parts = {str(p.partname).lstrip("/"): p for p in document.part.package.iter_parts()}
        self._part = document.part
        self._name = str(document.part.partname).lstrip("/")
        self._rids: dict[tuple[str, str], str] = {}

    def writing(self, name: str) -> None:
        """Say which part the smileys written next go into."""
        self._part, self._name = self._parts[name], name

    def rid(self, colour: str) -> str:
        """Return the relationship id of the smiley `colour` in the part being written."""
        key = (self._name, colour)
        if key not in self._rids:
            self._rids[key] = self._part.get_or_add_image(io.BytesIO(picture(colour)))[0]
        return self._rids[key]


def _encode(template: jinja2.Template, context: dict[str, Any]) -> bytes:
    """Render straight into UTF-8, checked well-formed and within size as it is encoded."""
    return render_part(template, context)


def _replace_part(document: DocxDocument, name: str, blob: bytes) -> None:
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
