"""Word content controls of the centres' forms: their tags and their XML (readback reads them).

Every control carries a tag, so it is found again whatever the editor does around it:
``followupdocs:<initiative number>:<round>:status|smiley|economy`` for the answers, and
``followupdocs:form:<agreement id>:<round>:<centre id>`` on the title, which says which
agreement, round and responsible centre the form was written for.

LibreOffice 7.4 removes every tag when it saves a .docx (and a drop-down's alias and id), but
keeps bookmarks. So each control also sits in a bookmark saying the same in a name Word
accepts (at most 40 letters, digits and underscores): ``fud_s2_n7_05`` is the status of 7.05
at round 2 (``m`` the milestone smiley, ``e`` the economy), ``fud_form_<agreement id>_<round>_
<centre id>`` the title. A tag wins over a bookmark; the bookmark is read only where the tag is
gone.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from typing import Any
from xml.sax.saxutils import quoteattr

from docx.oxml import parse_xml
from docx.oxml.ns import qn

from .text import whole_number

__all__ = [
    "ECONOMY_CHOICES",
    "FIELDS",
    "MILESTONE_CHOICES",
    "PLACEHOLDER_STYLE",
    "SMILEY_PLACEHOLDER",
    "STATUS_PLACEHOLDER",
    "FieldTag",
    "Marker",
    "agreement_id",
    "block_control",
    "bookmark",
    "bookmark_name",
    "centre_id",
    "dropdown_control",
    "field_tag",
    "marker_tag",
    "parse_bookmark",
    "parse_tag",
    "text_control",
]

PREFIX = "followupdocs:"
FIELDS = ("status", "smiley", "economy")
BOOKMARK_PREFIX = "fud_"
_FIELD_LETTERS = {"status": "s", "smiley": "m", "economy": "e"}
_BOOKMARK_LENGTH = 40  # Word's limit for a bookmark name
# A number spelled in a bookmark name as it is, dots as underscores; any other number is hashed.
# Lower case only: Word compares bookmark names without regard to case.
_PLAIN_NUMBER = re.compile(r"[0-9a-z]+(?:\.[0-9a-z]+)*")
# A round is a few digits: a longer run is no round, and int() refuses one of 4300 digits.
_ROUND_DIGITS = 6
_FIELD_BOOKMARK = re.compile(rf"fud_([sme])([0-9]{{1,{_ROUND_DIGITS}}})_([nh])([0-9a-z_]+)")
_MARKER_BOOKMARK = re.compile(rf"fud_form_([0-9a-f]+)_([0-9]{{1,{_ROUND_DIGITS}}})_([0-9a-f]+)")
# (value, display text): the values are the YAML's words, the display texts Word's list.
MILESTONE_CHOICES = (("grøn", "Grøn"), ("gul", "Gul"), ("rød", "Rød"))
ECONOMY_CHOICES = (("grøn", "Grøn"), ("rød", "Rød"))
SMILEY_PLACEHOLDER = "Vælg smiley"
STATUS_PLACEHOLDER = "Skriv status her"
# Word's own style for placeholder text: Word drops it from the runs once something is typed.
PLACEHOLDER_STYLE = "PlaceholderText"
_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def _digest(text: str, length: int) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:length]


def agreement_id(*names: str) -> str:
    """Return the short id of an agreement from the names that identify it."""
    return _digest("\n".join(names), 12)


def centre_id(centre: str) -> str:
    """Return the short id of a responsible centre (a tag must stay short)."""
    return _digest(centre, 8)


@dataclass(frozen=True)
class Marker:
    """What the form's title control says: the agreement, round and centre it is for."""

    agreement: str
    round: int
    centre: str


@dataclass(frozen=True)
class FieldTag:
    """What an answer control says: the initiative, round and field it answers."""

    number: str
    round: int
    field: str  # one of FIELDS


def marker_tag(agreement: str, round: int, centre: str) -> str:
    """Return the tag of the form's title control; `agreement` is its agreement_id."""
    return f"{PREFIX}form:{agreement}:{round}:{centre_id(centre)}"


def field_tag(number: str, round: int, field: str) -> str:
    """Return the tag of one answer control."""
    return f"{PREFIX}{number}:{round}:{field}"


def bookmark_name(what: Marker | FieldTag) -> str:
    """Return the name of the bookmark around a control: what its tag says, in Word's terms."""
    if isinstance(what, Marker):
        return f"{BOOKMARK_PREFIX}form_{what.agreement}_{what.round}_{what.centre}"
    head = f"{BOOKMARK_PREFIX}{_FIELD_LETTERS[what.field]}{what.round}_"
    plain = f"{head}n{what.number.replace('.', '_')}"
    if _PLAIN_NUMBER.fullmatch(what.number) and len(plain) <= _BOOKMARK_LENGTH:
        return plain
    return f"{head}h{number_code(what.number)}"


def number_code(number: str) -> str:
    """Return the short code that stands for an initiative number no bookmark name can spell."""
    return _digest(number, 16)


def parse_bookmark(name: str) -> Marker | FieldTag | None:
    """Return what a followupdocs bookmark name says; None for any other name.

    A hashed number comes back as ``#`` and its code, for the reader to look up.
    """
    marker = _MARKER_BOOKMARK.fullmatch(name)
    if marker:
        return Marker(marker[1], int(marker[2]), marker[3])
    found = _FIELD_BOOKMARK.fullmatch(name)
    if not found:
        return None
    letter, round_text, kind, code = found.groups()
    field = next(f for f, short in _FIELD_LETTERS.items() if short == letter)
    number = code.replace("_", ".") if kind == "n" else f"#{code}"
    return FieldTag(number, int(round_text), field)


def bookmark(control: Any, name: str, id: int) -> None:
    """Put a bookmark named `name` around `control`, which is already in the document."""
    start = parse_xml(f'<w:bookmarkStart xmlns:w="{_W}" w:id="{id}" w:name="{name}"/>')
    end = parse_xml(f'<w:bookmarkEnd xmlns:w="{_W}" w:id="{id}"/>')
    paragraph = control.find(f"{qn('w:sdtContent')}/{qn('w:p')}")
    if paragraph is None:
        control.addprevious(start)
        control.addnext(end)
        return
    # A block control stays the first thing of its body: the bookmark goes inside its text.
    properties = paragraph.find(qn("w:pPr"))
    paragraph.insert(0 if properties is None else 1, start)
    paragraph.append(end)


def parse_tag(tag: str) -> Marker | FieldTag | None:
    """Return what a followupdocs tag says; None for any other tag, or a damaged one."""
    if not tag.startswith(PREFIX):
        return None
    rest = tag[len(PREFIX) :]
    if rest.startswith("form:"):
        parts = rest.split(":")
        form_round = whole_number(parts[2], _ROUND_DIGITS) if len(parts) == 4 else None
        return Marker(parts[1], form_round, parts[3]) if form_round is not None else None
    number, _, tail = rest.rpartition(":")  # the number itself may hold a colon
    number, _, round_text = number.rpartition(":")
    field_round = whole_number(round_text, _ROUND_DIGITS)
    if tail in FIELDS and number and field_round is not None:
        return FieldTag(number, field_round, tail)
    return None


def _properties(tag: str, alias: str, id: int, placeholder: bool, kind: str) -> str:
    return (
        f"<w:sdtPr><w:alias w:val={quoteattr(alias)}/><w:tag w:val={quoteattr(tag)}/>"
        f'<w:id w:val="{id}"/>{"<w:showingPlcHdr/>" if placeholder else ""}{kind}</w:sdtPr>'
    )


def _runs(text: str, placeholder: bool) -> str:
    """Return runs showing `text`, a line break for every newline (as Word stores Enter)."""
    style = f'<w:rPr><w:rStyle w:val="{PLACEHOLDER_STYLE}"/></w:rPr>' if placeholder else ""
    pieces = []
    for index, line in enumerate(text.split("\n")):
        if index:
            pieces.append("<w:br/>")
        if line:
            pieces.append(f'<w:t xml:space="preserve">{_escape(line)}</w:t>')
    return f"<w:r>{style}{''.join(pieces)}</w:r>"


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def text_control(tag: str, alias: str, id: int, text: str) -> Any:
    """Return an inline plain-text control (several lines allowed) holding `text`."""
    empty = not text
    xml = (
        f'<w:sdt xmlns:w="{_W}">'
        + _properties(tag, alias, id, empty, '<w:text w:multiLine="1"/>')
        + f"<w:sdtContent>{_runs(STATUS_PLACEHOLDER if empty else text, empty)}</w:sdtContent>"
        "</w:sdt>"
    )
    return parse_xml(xml)


def dropdown_control(
    tag: str, alias: str, id: int, choices: tuple[tuple[str, str], ...], value: str | None
) -> Any:
    """Return an inline drop-down control over `choices`, showing `value` if it is one."""
    shown = dict(choices).get(value or "")
    items = f'<w:listItem w:displayText="{SMILEY_PLACEHOLDER}" w:value=""/>' + "".join(
        f"<w:listItem w:displayText={quoteattr(text)} w:value={quoteattr(item)}/>"
        for item, text in choices
    )
    last = f" w:lastValue={quoteattr(value or '')}" if shown else ""
    kind = f"<w:dropDownList{last}>{items}</w:dropDownList>"
    content = _runs(shown or SMILEY_PLACEHOLDER, shown is None)
    xml = (
        f'<w:sdt xmlns:w="{_W}">'
        + _properties(tag, alias, id, shown is None, kind)
        + f"<w:sdtContent>{content}</w:sdtContent></w:sdt>"
    )
    return parse_xml(xml)


def block_control(tag: str, alias: str, id: int, paragraph: Any) -> Any:
    """Wrap `paragraph` (already in the body) in a block-level rich-text control."""
    sdt = parse_xml(
        f'<w:sdt xmlns:w="{_W}">{_properties(tag, alias, id, False, "")}<w:sdtContent/></w:sdt>'
    )
    paragraph.addprevious(sdt)
    sdt.find(qn("w:sdtContent")).append(paragraph)
    return sdt
