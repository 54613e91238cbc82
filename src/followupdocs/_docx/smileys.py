"""The one place that knows the smiley pictures: their files, size and drawing.

Keyed by the smiley's word ("grøn", "gul", "rød"); the alt texts are the domain's words and
are passed in.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Mapping
from importlib import resources
from xml.sax.saxutils import quoteattr

from docx.oxml.ns import qn
from docx.oxml.shape import CT_Inline
from docx.shared import Cm, Length
from docx.text.paragraph import Paragraph

__all__ = ["FILES", "SIZE", "Image", "add_picture", "picture", "picture_name"]

FILES: Mapping[str, str] = {
    "grøn": "smiley-groen.png",
    "gul": "smiley-gul.png",
    "rød": "smiley-roed.png",
}
SIZE: Length = Cm(0.5)

_DRAWING = (
    # The namespaces are declared once on the part's root (instrument.DRAWING_NAMESPACES).
    '</w:t></w:r><w:r><w:drawing><wp:inline distT="0" distB="0" distL="0" distR="0">'
    '<wp:extent cx="{size}" cy="{size}"/><wp:effectExtent l="0" t="0" r="0" b="0"/>'
    '<wp:docPr id="1" name="{name}" descr={alt}/>'
    '<wp:cNvGraphicFramePr><a:graphicFrameLocks noChangeAspect="1"/></wp:cNvGraphicFramePr>'
    '<a:graphic><a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/picture">'
    '<pic:pic><pic:nvPicPr><pic:cNvPr id="0" name="{name}" descr={alt}/><pic:cNvPicPr/>'
    '</pic:nvPicPr><pic:blipFill><a:blip r:embed=""/><a:stretch><a:fillRect/></a:stretch>'
    '</pic:blipFill><pic:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="{size}" cy="{size}"/>'
    '</a:xfrm><a:prstGeom prst="rect"><a:avLst/></a:prstGeom></pic:spPr></pic:pic>'
    '</a:graphicData></a:graphic></wp:inline></w:drawing></w:r><w:r><w:t xml:space="preserve">'
)
_EMBED = '<a:blip r:embed="'


def picture(colour: str) -> bytes:
    """Return the PNG of the smiley `colour`."""
    return (resources.files("followupdocs") / "assets" / FILES[colour]).read_bytes()


def picture_name(colour: str) -> str:
    """Return the name Word shows for a smiley picture."""
    return f"Smiley {colour}"


class Image:
    """A smiley the template inserts with {{ ... }}: the same picture part, its own alt text.

    `next_id` gives each insertion its own drawing id; `rid` gives the relationship id of the
    picture in the part being written, for a header or footer has relationships of its own.
    """

    def __init__(
        self, next_id: Callable[[], int], rid: Callable[[str], str], colour: str, alt: str
    ) -> None:
        drawing = _DRAWING.format(size=int(SIZE), name=picture_name(colour), alt=quoteattr(alt))
        before, after = drawing.split('<wp:docPr id="1"')
        middle, after = after.split(_EMBED)
        self._next_id = next_id
        self._rid = rid
        self._colour = colour
        self._before = before + '<wp:docPr id="'
        self._middle = '"' + middle + _EMBED
        self._after = after

    def __html__(self) -> str:
        # Each insertion is its own drawing and needs its own id.
        drawing_id, rid = self._next_id(), self._rid(self._colour)
        return f"{self._before}{drawing_id}{self._middle}{rid}{self._after}"

    def __str__(self) -> str:
        return self.__html__()


def add_picture(paragraph: Paragraph, colour: str, alt: str) -> None:
    """Add a smiley picture with its alt text; python-docx shares the picture part.

    This is python-docx's `run.add_picture` but for the drawing id, which stays 0 until
    `numbering.number_drawings` numbers every drawing of the document (`blocks.finish` does):
    python-docx searches the whole document for the highest id at every picture, so a form's
    time grew with the square of its cards.
    """
    run = paragraph.add_run()
    rid, image = paragraph.part.get_or_add_image(io.BytesIO(picture(colour)))
    width, height = image.scaled_dimensions(SIZE, SIZE)
    inline = CT_Inline.new_pic_inline(0, rid, image.filename, width, height)
    run._r.add_drawing(inline)
    for properties in (inline.docPr, *inline.iter(qn("pic:cNvPr"))):
        properties.set("name", picture_name(colour))
        properties.set("descr", alt)
