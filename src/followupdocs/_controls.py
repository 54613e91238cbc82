"""Word content controls of the centres' forms: their tags, their XML, and their values.

Every control carries a tag, so it is found again whatever the editor does around it:
``followupdocs:<initiative number>:<round>:status|smiley|economy`` for the answers, and
``followupdocs:form:<agreement id>:<round>:<centre id>`` on the title, which says which
agreement, round and responsible centre the form was written for.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any
from xml.sax.saxutils import quoteattr

from docx.oxml import parse_xml
from docx.oxml.ns import qn

from ._wordtext import visible_text
from .models import Agreement

__all__ = [
    "ECONOMY_CHOICES",
    "FIELDS",
    "MILESTONE_CHOICES",
    "PLACEHOLDER_STYLE",
    "SMILEY_PLACEHOLDER",
    "STATUS_PLACEHOLDER",
    "Control",
    "FieldTag",
    "Marker",
    "agreement_id",
    "block_control",
    "centre_id",
    "controls",
    "dropdown_control",
    "field_tag",
    "marker_tag",
    "parse_tag",
    "text_control",
]

PREFIX = "followupdocs:"
FIELDS = ("status", "smiley", "economy")
# (value, display text): the values are the YAML's words, the display texts Word's list.
MILESTONE_CHOICES = (("grøn", "Grøn"), ("gul", "Gul"), ("rød", "Rød"))
ECONOMY_CHOICES = (("grøn", "Grøn"), ("rød", "Rød"))
SMILEY_PLACEHOLDER = "Vælg smiley"
STATUS_PLACEHOLDER = "Skriv status her"
# Word's own style for placeholder text: Word drops it from the runs once something is typed.
PLACEHOLDER_STYLE = "PlaceholderText"
_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
# Line breaks a typed text may carry besides w:br; all become plain newlines.
_BREAKS = str.maketrans({"\u2028": "\n", "\u2029": "\n", "\x85": "\n", "\r": "\n"})


def _digest(text: str, length: int) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:length]


def agreement_id(agreement: Agreement) -> str:
    """Return the short id of an agreement: its municipality, name and committee."""
    return _digest("\n".join((agreement.municipality, agreement.name, agreement.committee)), 12)


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


def marker_tag(agreement: Agreement, round: int, centre: str) -> str:
    """Return the tag of the form's title control."""
    return f"{PREFIX}form:{agreement_id(agreement)}:{round}:{centre_id(centre)}"


def field_tag(number: str, round: int, field: str) -> str:
    """Return the tag of one answer control."""
    return f"{PREFIX}{number}:{round}:{field}"


def parse_tag(tag: str) -> Marker | FieldTag | None:
    """Return what a followupdocs tag says; None for any other tag, or a damaged one."""
    if not tag.startswith(PREFIX):
        return None
    rest = tag[len(PREFIX) :]
    if rest.startswith("form:"):
        parts = rest.split(":")
        if len(parts) == 4 and parts[2].isdigit():
            return Marker(parts[1], int(parts[2]), parts[3])
        return None
    number, _, tail = rest.rpartition(":")  # the number itself may hold a colon
    number, _, round_text = number.rpartition(":")
    if tail in FIELDS and number and round_text.isdigit():
        return FieldTag(number, int(round_text), tail)
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


@dataclass(frozen=True)
class Control:
    """One followupdocs control as found in a form."""

    tag: str
    placeholder: bool  # still showing its placeholder: nothing was filled in
    text: str  # the text it shows; Word's line breaks as newlines
    last_value: str | None  # a drop-down's w:lastValue, if it has one
    dropdown: bool

    def choice(self, choices: tuple[tuple[str, str], ...]) -> str | None:
        """Return the chosen value; None if none; raise ValueError if not one of `choices`.

        The shown text decides, as that is what the person filling in saw; w:lastValue only
        helps when the text is empty. Another editor may change the text but keep a stale
        w:lastValue, never the other way round.
        """
        if self.placeholder:
            return None
        shown = " ".join(self.text.split())
        if shown and shown.casefold() != SMILEY_PLACEHOLDER.casefold():
            for value, text in choices:
                if shown.casefold() in (value.casefold(), text.casefold()):
                    return value
            raise ValueError(shown)
        if self.last_value:
            for value, _ in choices:
                if self.last_value.casefold() == value.casefold():
                    return value
            raise ValueError(self.last_value)
        return None

    def answer(self) -> str:
        """Return the typed text, "" where the placeholder still shows."""
        return "" if self.placeholder else self.text.translate(_BREAKS)


def controls(root: Any) -> list[Control]:
    """Return every control in `root` whose tag starts with followupdocs:, in document order."""
    found = []
    for sdt in root.iter(qn("w:sdt")):
        properties = sdt.find(qn("w:sdtPr"))
        tag = properties.find(qn("w:tag")) if properties is not None else None
        value = tag.get(qn("w:val")) if tag is not None else None
        if not value or not value.startswith(PREFIX):
            continue
        dropdown = properties.find(qn("w:dropDownList"))
        if dropdown is None:
            dropdown = properties.find(qn("w:comboBox"))
        found.append(
            Control(
                tag=value,
                placeholder=_on(properties.find(qn("w:showingPlcHdr"))),
                text=_text(sdt.find(qn("w:sdtContent"))),
                last_value=dropdown.get(qn("w:lastValue")) if dropdown is not None else None,
                dropdown=dropdown is not None,
            )
        )
    return found


def _on(element: Any) -> bool:
    """Tell whether an on/off element is present and not switched off."""
    if element is None:
        return False
    return element.get(qn("w:val"), "true") not in ("0", "false", "off")


def _text(content: Any) -> str:
    """Return the text a control shows: tracked changes as Word shows them, breaks as newlines."""
    return "" if content is None else visible_text(content)
