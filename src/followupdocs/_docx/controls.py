"""Word content controls of the centres' forms: their tags, their XML, and their values.

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

from .text import visible_text

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
    "bookmark",
    "bookmark_name",
    "centre_id",
    "controls",
    "dropdown_control",
    "field_tag",
    "marker_tag",
    "parse_bookmark",
    "parse_tag",
    "text_control",
    "unnamed_controls",
]

PREFIX = "followupdocs:"
FIELDS = ("status", "smiley", "economy")
BOOKMARK_PREFIX = "fud_"
_FIELD_LETTERS = {"status": "s", "smiley": "m", "economy": "e"}
_BOOKMARK_LENGTH = 40  # Word's limit for a bookmark name
# A number spelled in a bookmark name as it is, dots as underscores; any other number is hashed.
# Lower case only: Word compares bookmark names without regard to case.
_PLAIN_NUMBER = re.compile(r"[0-9a-z]+(?:\.[0-9a-z]+)*")
_FIELD_BOOKMARK = re.compile(r"fud_([sme])([0-9]+)_([nh])([0-9a-z_]+)")
_MARKER_BOOKMARK = re.compile(r"fud_form_([0-9a-f]+)_([0-9]+)_([0-9a-f]+)")
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

    tag: str  # its tag, or where the tag is gone, the name of its bookmark
    placeholder: bool  # still showing its placeholder: nothing was filled in
    text: str  # the text it shows; Word's line breaks as newlines
    last_value: str | None  # a drop-down's w:lastValue, if it has one
    dropdown: bool
    # Line breaks standing right before the control: LibreOffice 7.4 moves a plain-text
    # control's breaks there when it opens a form, joining its lines.
    breaks_before: int = 0

    @property
    def what(self) -> Marker | FieldTag | None:
        """Return what the control's tag (or bookmark) says it is."""
        return parse_tag(self.tag) if self.tag.startswith(PREFIX) else parse_bookmark(self.tag)

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
        if self.placeholder:
            return ""
        # LibreOffice 7.4 drops w:showingPlcHdr from a plain-text control it saves, so the
        # placeholder's own words come back as plain text.
        if " ".join(self.text.split()) == STATUS_PLACEHOLDER:
            return ""
        return self.text.translate(_BREAKS)


def controls(root: Any) -> list[Control]:
    """Return every followupdocs control in `root`, in document order.

    A control is ours by its tag, or where an editor dropped the tag, by the bookmark around
    (or inside) it.
    """
    named = _bookmarked(root)
    found = []
    for sdt in root.iter(qn("w:sdt")):
        properties = sdt.find(qn("w:sdtPr"))
        tag = properties.find(qn("w:tag")) if properties is not None else None
        value = tag.get(qn("w:val")) if tag is not None else None
        text = _text(sdt.find(qn("w:sdtContent")))
        if not value or not value.startswith(PREFIX):
            value, start = named.get(sdt, ("", None))
            text = _spilled(sdt, start, text)
        if not value:
            continue
        dropdown = properties.find(qn("w:dropDownList")) if properties is not None else None
        if dropdown is None and properties is not None:
            dropdown = properties.find(qn("w:comboBox"))
        found.append(
            Control(
                tag=value,
                placeholder=properties is not None and _on(properties.find(qn("w:showingPlcHdr"))),
                text=text,
                last_value=dropdown.get(qn("w:lastValue")) if dropdown is not None else None,
                dropdown=dropdown is not None,
                breaks_before=_breaks_before(sdt),
            )
        )
    return found


def unnamed_controls(root: Any) -> int:
    """Return how many content controls in `root` have neither our tag nor our bookmark."""
    return sum(1 for sdt in root.iter(qn("w:sdt"))) - len(controls(root))


def _bookmarked(root: Any) -> dict[Any, tuple[str, Any]]:
    """Return the control each followupdocs bookmark names, and the bookmark's name.

    Word keeps a bookmark where it was written, around the control; LibreOffice writes its
    start inside the control's content. A bookmark whose control is gone names nothing, even
    if another control follows it in the paragraph's later runs, so it never names the wrong
    field.
    """
    named: dict[Any, tuple[str, Any]] = {}
    for start in root.iter(qn("w:bookmarkStart")):
        name = start.get(qn("w:name")) or ""
        if not name.startswith(BOOKMARK_PREFIX) or parse_bookmark(name) is None:
            continue
        sdt = next(start.iterancestors(qn("w:sdt")), None)
        if sdt is None:
            sdt = _next_control(start)
        if sdt is not None and sdt not in named:
            named[sdt] = (name, start)
    return named


def _spilled(sdt: Any, start: Any, text: str) -> str:
    """Return the text of a bookmarked control, with the paragraphs its bookmark runs on to.

    Enter in a plain-text control that LibreOffice 7.4 saves leaves the first paragraph in the
    control and the next ones after it, still inside the bookmark: the field is what the
    bookmark holds, as Word shows it.
    """
    if start is None:
        return text
    paragraph = next(sdt.iterancestors(qn("w:p")), None)
    ends = [
        end
        for end in start.getroottree().iter(qn("w:bookmarkEnd"))
        if end.get(qn("w:id")) == start.get(qn("w:id"))
    ]
    if paragraph is None or len(ends) != 1:
        return text
    end = ends[0]
    last = next(end.iterancestors(qn("w:p")), None)
    if last is None or last is paragraph or last.getparent() is not paragraph.getparent():
        return text
    lines = [text]
    for following in paragraph.itersiblings():
        if following.tag != qn("w:p"):
            break
        lines.append(_text_before(following, end))
        if following is last:
            return "\n".join(lines)
    return text


def _text_before(paragraph: Any, end: Any) -> str:
    """Return the text of `paragraph` up to `end` (a bookmark's end within it, or not)."""
    kept = []
    for element in paragraph.iter(qn("w:bookmarkEnd"), qn("w:t"), qn("w:br"), qn("w:tab")):
        if element is end:
            break
        if element.getparent().tag != qn("w:r"):
            continue
        if element.tag == qn("w:t"):
            kept.append(element.text or "")
        else:
            kept.append("\t" if element.tag == qn("w:tab") else "\n")
    return "".join(kept)


_BETWEEN = {qn("w:bookmarkStart"), qn("w:bookmarkEnd"), qn("w:proofErr"), qn("w:r")}


def _next_control(start: Any) -> Any:
    """Return the control right after a bookmark's start (runs of line breaks between)."""
    for sibling in start.itersiblings():
        if sibling.tag == qn("w:sdt"):
            return sibling
        if sibling.tag not in _BETWEEN or (sibling.tag == qn("w:r") and _text(sibling).strip()):
            return None
    return None


def _breaks_before(sdt: Any) -> int:
    """Return how many runs of only line breaks stand right before `sdt` in its paragraph."""
    count = 0
    for sibling in sdt.itersiblings(preceding=True):
        if sibling.tag in (qn("w:bookmarkStart"), qn("w:bookmarkEnd")):
            continue
        if sibling.tag != qn("w:r"):
            break
        parts = [c for c in sibling if c.tag != qn("w:rPr")]
        if not parts or any(c.tag not in (qn("w:br"), qn("w:cr")) for c in parts):
            break
        count += len(parts)
    return count


def _on(element: Any) -> bool:
    """Tell whether an on/off element is present and not switched off."""
    if element is None:
        return False
    return element.get(qn("w:val"), "true") not in ("0", "false", "off")


def _text(content: Any) -> str:
    """Return the text a control shows: tracked changes as Word shows them, breaks as newlines."""
    return "" if content is None else visible_text(content)
