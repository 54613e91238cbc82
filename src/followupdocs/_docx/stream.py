"""Render one part of a document straight into UTF-8, checking the XML as it is written.

The filled part is never parsed into a tree (that would cost more than the render), but each
batch of fragments goes through expat as it is encoded: expat keeps only the open elements, so
checking that the part is well-formed XML costs a fraction of the render. Namespace prefixes
are not checked (that would treble expat's time): the template's own XML was parsed with its
declarations, the render's own XML uses prefixes declared on the root, and no text a template
writes can become markup.
A part that grows beyond MAX_PART, or a trial run beyond its deadline, stops the render.
"""

from __future__ import annotations

import io
import re
from itertools import islice
from typing import Any
from xml.parsers import expat

import jinja2

from .sandbox import check_deadline

__all__ = ["MAX_PART", "PartError", "render_part"]

MAX_PART = 256 * 1024 * 1024  # bytes of one filled part: ten times a 1000-card document
_DECLARATION = b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
_BATCH = 1024  # fragments encoded and checked at a time
_MARKUP = re.compile(r"<[^>]*>")


class PartError(Exception):
    """The filled part would not be a usable XML part; the message says why, in plain words."""


def render_part(template: jinja2.Template, context: dict[str, Any]) -> bytes:
    """Return the part `template` writes for `context`, checked well-formed and within limits."""
    out = io.BytesIO()
    out.write(_DECLARATION)
    parser = expat.ParserCreate()
    parser.Parse(_DECLARATION, False)
    fragments = template.generate(context)
    # islice gathers a batch in C: a loop over the fragments here would cost a tenth of the
    # render. A batch is at most _BATCH fragments of at most the sandbox's MAX_SIZE each.
    while batch := list(islice(fragments, _BATCH)):
        _write(out, parser, batch)
    _feed(parser, b"", out, final=True)
    return out.getvalue()


def _write(out: io.BytesIO, parser: Any, batch: list[str]) -> None:
    data = "".join(batch).encode("utf-8")
    batch.clear()
    out.write(data)
    if out.tell() > MAX_PART:
        raise PartError(
            f"the filled part is larger than {MAX_PART // (1024 * 1024)} MB; does the template "
            "repeat something without end?"
        )
    _feed(parser, data, out, final=False)
    check_deadline()


def _feed(parser: Any, data: bytes, out: io.BytesIO, *, final: bool) -> None:
    try:
        parser.Parse(data, final)
    except expat.ExpatError as exc:
        reason = expat.errors.messages[exc.code]
        near = _text_before(out.getvalue(), parser.ErrorByteIndex)
        raise PartError(
            f"the filled part would not be well-formed XML ({reason}, after the text "
            f'"{near}"); check that each block tag opens and closes in the same paragraph or '
            "cell"
        ) from None


def _text_before(data: bytes, index: int) -> str:
    """Return the visible text just before byte `index`, to find the place in Word."""
    start = max(0, index - 4000)
    text = _MARKUP.sub("", data[start : max(index, 0)].decode("utf-8", "replace"))
    text = " ".join(text.split())
    return text[-50:]
