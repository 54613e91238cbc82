"""Read the followupdocs content controls of a filled form back: what each shows.

Word, LibreOffice and people editing by hand each leave a control a little differently
(placeholders, lost tags, line breaks moved before it); see controls for the tags.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from docx.oxml.ns import qn

from .controls import (
    BOOKMARK_PREFIX,
    PREFIX,
    SMILEY_PLACEHOLDER,
    STATUS_PLACEHOLDER,
    FieldTag,
    Marker,
    parse_bookmark,
    parse_tag,
)
from .text import visible_text

__all__ = ["Control", "controls", "unnamed_controls", "unnamed_fields"]

# Line breaks a typed text may carry besides w:br; all become plain newlines.
_BREAKS = str.maketrans({"\u2028": "\n", "\u2029": "\n", "\x85": "\n", "\r": "\n"})


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
    spills = _Spills(root)
    found = []
    for sdt in root.iter(qn("w:sdt")):
        properties = sdt.find(qn("w:sdtPr"))
        tag = properties.find(qn("w:tag")) if properties is not None else None
        value = tag.get(qn("w:val")) if tag is not None else None
        text = _text(sdt.find(qn("w:sdtContent")))
        if not value or not value.startswith(PREFIX):
            value, start = named.get(sdt, ("", None))
            text = spills.text(sdt, start, text)
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


# What a form's answer fields are (plain text, drop-down); a control bound to a document
# property (a case number a records system fills in) is the document's, never a form's.
_FIELD_KINDS = (qn("w:text"), qn("w:dropDownList"), qn("w:comboBox"))


def unnamed_fields(root: Any) -> int:
    """Return how many controls in `root` without our tag or bookmark could be a form's fields.

    A table of contents, a cover page or a page number is a content control too (a building
    block), as is a rich-text control an editor put around a paragraph: they make no form.
    """
    named = {id(sdt) for sdt in _bookmarked(root)}
    count = 0
    for sdt in root.iter(qn("w:sdt")):
        properties = sdt.find(qn("w:sdtPr"))
        if properties is None or id(sdt) in named or _tagged(properties):
            continue
        kind = next(properties.iterchildren(*_FIELD_KINDS), None)
        if kind is not None and properties.find(qn("w:dataBinding")) is None:
            count += 1
    return count


def _tagged(properties: Any) -> bool:
    tag = properties.find(qn("w:tag"))
    return tag is not None and (tag.get(qn("w:val")) or "").startswith(PREFIX)


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
        sdt = _next_control(start)
        if sdt is None:
            sdt = _control_around(start)
        if sdt is not None and sdt not in named:
            named[sdt] = (name, start)
    return named


class _Spills:
    """Find the paragraphs bookmarked controls spilled into, in time linear in the document.

    The bookmarks' ends are indexed once; a paragraph is read into one control's spill at
    most, as LibreOffice never spills two controls into one paragraph, so bookmarks that all
    run over the same paragraphs cannot make the work grow with their count.
    """

    def __init__(self, root: Any) -> None:
        self.ends: dict[str | None, list[Any]] = {}
        for end in root.iter(qn("w:bookmarkEnd")):
            self.ends.setdefault(end.get(qn("w:id")), []).append(end)
        self.claimed: set[Any] = set()

    def text(self, sdt: Any, start: Any, text: str) -> str:
        """Return the text of a bookmarked control, with the paragraphs its bookmark runs on
        to.

        Enter in a plain-text control that LibreOffice 7.4 saves leaves the first paragraph in
        the control and the next ones after it, still inside the bookmark: the field is what
        the bookmark holds, as Word shows it.
        """
        if start is None:
            return text
        paragraph = next(sdt.iterancestors(qn("w:p")), None)
        ends = self.ends.get(start.get(qn("w:id")), [])
        if paragraph is None or len(ends) != 1:
            return text
        end = ends[0]
        last = next(end.iterancestors(qn("w:p")), None)
        if last is None or last is paragraph or last.getparent() is not paragraph.getparent():
            return text
        lines = [text]
        for following in paragraph.itersiblings():
            if following.tag != qn("w:p") or following in self.claimed:
                break
            self.claimed.add(following)
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


_TABLE_PARTS = frozenset({qn("w:tbl"), qn("w:tr"), qn("w:tc")})


def _control_around(start: Any) -> Any:
    """Return the control a bookmark starts in (LibreOffice's way), None if it is in none.

    A control an editor put around a whole cell, row or table is not the field: the bookmark
    is the field's, which sits in a paragraph of that cell.
    """
    for ancestor in start.iterancestors():
        if ancestor.tag == qn("w:sdt"):
            return ancestor
        if ancestor.tag in _TABLE_PARTS:
            return None
    return None


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
