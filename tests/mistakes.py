"""The mistakes template maintainers make, each as an edit of the default template's body.

Each edit is applied by `wordlike.variant`, which then scatters every tag over runs as Word
stores it. `build(path, *names)` writes the default template with the named mistakes made.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from wordlike import Edit, replace, variant

BODY = "word/document.xml"
TR_FOR = "<w:t>{%tr for milestone in card.milestones %}</w:t>"
P_ENDFOR = "<w:p><w:r><w:t>{%p endfor %}</w:t></w:r></w:p>"


def after(anchor: str, old: str, new: str) -> Edit:
    """An edit replacing the first `old` after `anchor` (both must be there) by `new`."""

    def edit(text: str) -> str:
        start = text.index(anchor)
        at = text.index(old, start)
        return text[:at] + new + text[at + len(old) :]

    return edit


def milestone_endfor(new: str) -> Edit:
    """Replace the card's {%tr endfor %} (the row after the milestone row) by `new`."""
    return after("{{ milestone.smiley }}", "<w:t>{%tr endfor %}</w:t>", new)


MISTAKES: dict[str, list[Edit]] = {
    # {%p %} tags where {%tr %} tags belong, around the card's milestone row.
    "p pair around rows": [
        replace(TR_FOR, "<w:t>{%p for milestone in card.milestones %}</w:t>"),
        milestone_endfor("<w:t>{%p endfor %}</w:t>"),
    ],
    # The card's {%tr endfor %} row deleted and the tag typed under the table instead.
    "tr end outside the table": [
        milestone_endfor("<w:t></w:t>"),
        after("{{ card.economy.smiley }}", P_ENDFOR, P_ENDFOR.replace("p endfor", "tr endfor")),
    ],
    "tr end missing": [milestone_endfor("<w:t></w:t>")],
    "tr start missing": [replace(TR_FOR, "<w:t></w:t>")],
    # Both {%tr %} tags in the one row: cell 1 and cell 2.
    "tr tags in one row": [
        after(TR_FOR, "<w:p/>", "<w:p><w:r><w:t>{%tr endfor %}</w:t></w:r></w:p>"),
        milestone_endfor("<w:t></w:t>"),
    ],
    "endfor missing in a cell": [after("{%p for para in card.agreement_text %}", P_ENDFOR, "")],
    "text with a p tag": [
        replace(
            "<w:t>{%p for para in reading_guide %}</w:t>",
            "<w:t>Læs dette først {%p for para in reading_guide %}</w:t>",
        )
    ],
    "text in a tr row": [
        after(TR_FOR, "<w:p/>", "<w:p><w:r><w:t>Milepæle for året</w:t></w:r></w:p>")
    ],
    "endfor misspelt": [milestone_endfor("<w:t>{%tr endfr %}</w:t>")],
    "if deleted above elif": [replace('<w:t>{%p if para.kind == "bullet" %}</w:t>', "<w:t></w:t>")],
    "for deleted": [replace("<w:t>{%p for para in reading_guide %}</w:t>", "<w:t></w:t>")],
    "endif for endfor": [after("{%p endif %}", "{%p endfor %}", "{%p endif %}")],
    "end tags in the wrong order": [
        replace(
            "<w:t>{%p endif %}</w:t></w:r></w:p><w:p><w:r><w:t>{%p endfor %}</w:t>",
            "<w:t>{%p endfor %}</w:t></w:r></w:p><w:p><w:r><w:t>{%p endif %}</w:t>",
        )
    ],
    "quote not closed": [replace("{{ card.kind }}", '{{ card.kind ~ " }}')],
    "two values in a tag": [replace("{{ card.kind }}", "{{ card.kind card.title }}")],
    "division by zero": [replace("{{ card.kind }}", "{{ 1/0 }}")],
    "brace missing": [replace("{{ card.kind }}", "{{ card.kind }")],
    "variable misspelt": [replace("{{ card.title }}", "{{ card.titel }}")],
    "top-level name misspelt": [replace("{{ round_label }}", "{{ round_lable }}")],
    "p forgotten": [replace("{%p for theme in themes %}", "{% for theme in themes %}")],
    "tr closed by p": [milestone_endfor("<w:t>{%p endfor %}</w:t>")],
    "if without condition": [replace("{%p if overview %}", "{%p if %}")],
    "python internals": [replace("{{ title }}", "{{ title.__class__ }}")],
}


def build(path: Path, *names: str, extra: list[Edit] | None = None) -> Path:
    """Write the default template with the mistakes `names` made, Word-like, to `path`."""
    edits = [edit for name in names for edit in MISTAKES[name]] + (extra or [])
    return variant(path, {BODY: _all(edits)})


def _all(edits: list[Edit]) -> Callable[[str], str]:
    def edit(text: str) -> str:
        for one in edits:
            changed = one(text)
            assert changed != text, "an edit changed nothing"
            text = changed
        return text

    return edit


def text_box(*paragraphs: str) -> str:
    """A run holding a text box with `paragraphs`, as Word stores it: the text box for Word
    2010 and later (wps:txbx) and the same text again as a VML fallback (v:textbox)."""
    content = (
        "<w:txbxContent>"
        + "".join(f"<w:p><w:r><w:t>{text}</w:t></w:r></w:p>" for text in paragraphs)
        + "</w:txbxContent>"
    )
    a = 'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"'
    return (
        '<w:r><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing>'
        '<wp:anchor distT="0" distB="0" distL="114300" distR="114300" simplePos="0" '
        'relativeHeight="251659264" behindDoc="0" locked="0" layoutInCell="1" allowOverlap="1">'
        '<wp:simplePos x="0" y="0"/><wp:positionH relativeFrom="column"><wp:posOffset>0'
        '</wp:posOffset></wp:positionH><wp:positionV relativeFrom="paragraph"><wp:posOffset>0'
        '</wp:posOffset></wp:positionV><wp:extent cx="2286000" cy="685800"/>'
        '<wp:effectExtent l="0" t="0" r="0" b="0"/><wp:wrapSquare wrapText="bothSides"/>'
        '<wp:docPr id="90" name="Tekstfelt 1"/><wp:cNvGraphicFramePr/>'
        f"<a:graphic {a}><a:graphicData "
        'uri="http://schemas.microsoft.com/office/word/2010/wordprocessingShape"><wps:wsp>'
        '<wps:cNvSpPr txBox="1"/><wps:spPr><a:xfrm><a:off x="0" y="0"/>'
        '<a:ext cx="2286000" cy="685800"/></a:xfrm><a:prstGeom prst="rect"><a:avLst/>'
        f"</a:prstGeom></wps:spPr><wps:txbx>{content}</wps:txbx><wps:bodyPr/></wps:wsp>"
        "</a:graphicData></a:graphic></wp:anchor></w:drawing></mc:Choice><mc:Fallback>"
        '<w:pict><v:shape id="Tekstfelt 1" o:spid="_x0000_s1026" type="#_x0000_t202" '
        'style="position:absolute;width:180pt;height:54pt"><v:textbox>'
        f"{content}</v:textbox></v:shape></w:pict></mc:Fallback></mc:AlternateContent></w:r>"
    )


HEADING = "<w:t>Læsevejledning</w:t></w:r>"
MISTAKES["text box above a typo"] = [
    replace(HEADING, HEADING + text_box("Ballerup Kommune", "{{ committee }}")),
    replace("{{ smileys.red }}", "{{ smileys.purple }}"),
]
