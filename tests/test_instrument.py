"""The instrumented template writes clean Word by itself: ids, cells and lists."""

from __future__ import annotations

from lxml import etree

from followupdocs._docx.instrument import RenderState, instrument
from followupdocs._docx.numbering import ListStyle
from followupdocs._docx.sandbox import environment

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
WP = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"
HEAD = f'<w:body xmlns:w="{W}" xmlns:wp="{WP}">'


LIST_NUMBER = ListStyle("ListNumber", "9")  # the style's own numbering instance


def run(source: str, **context: object) -> etree._Element:
    state = RenderState(first_drawing=7, first_num=20)
    instrumented = instrument(HEAD + source + "</w:body>", LIST_NUMBER, {"3", "9"})
    xml = environment().from_string(instrumented)
    out = etree.fromstring(xml.render({**context, **state.hooks()}))
    out.set("nums", " ".join(f"{r.num_id}:{r.source}:{sorted(r.levels)}" for r in state.nums))
    return out


def test_a_cell_the_data_left_empty_gets_a_paragraph() -> None:
    body = run(
        "<w:tbl><w:tr><w:tc><w:tcPr/>{% for x in items %}<w:p><w:r><w:t>{{ x }}</w:t></w:r>"
        "</w:p>{% endfor %}</w:tc><w:tc><w:p/></w:tc></w:tr></w:tbl>",
        items=[],
    )
    cells = body.findall(f".//{{{W}}}tc")
    assert [c[-1].tag for c in cells] == [f"{{{W}}}p", f"{{{W}}}p"]
    assert len(cells[1].findall(f"{{{W}}}p")) == 1  # a cell that had one gets no second


def test_drawings_in_a_loop_get_unique_ids_after_the_reserved_ones() -> None:
    body = run(
        '{% for x in items %}<w:p><w:r><w:drawing><wp:inline><wp:docPr id="1" name="logo"/>'
        "</wp:inline></w:drawing></w:r></w:p>{% endfor %}",
        items=[1, 2, 3],
    )
    ids = [d.get("id") for d in body.iter(f"{{{WP}}}docPr")]
    assert ids == ["7", "8", "9"]


def test_each_run_of_numbered_paragraphs_is_its_own_list() -> None:
    numbered = (
        '<w:p><w:pPr><w:pStyle w:val="ListNumber"/><w:keepNext/><w:spacing w:after="0"/>'
        "</w:pPr><w:r><w:t>{{ x }}</w:t></w:r></w:p>"
    )
    plain = "<w:p><w:r><w:t>mellem</w:t></w:r></w:p>"
    body = run(
        "{% for x in a %}" + numbered + "{% endfor %}" + plain
        + "{% for x in b %}" + numbered + "{% endfor %}",
        a=[1, 2],
        b=[3],
    )  # fmt: skip
    paragraphs = body.findall(f"{{{W}}}p")
    nums = [p.find(f".//{{{W}}}numId") for p in paragraphs]
    assert [n.get(f"{{{W}}}val") if n is not None else None for n in nums] == [
        "20", "20", None, "21",
    ]  # fmt: skip
    assert body.get("nums") == "20:9:[0] 21:9:[0]"
    # numPr stands where the schema wants it: after keepNext, before spacing.
    p_pr = [child.tag.split("}")[1] for child in paragraphs[0].find(f"{{{W}}}pPr")]
    assert p_pr == ["pStyle", "keepNext", "numPr", "spacing"]


def test_a_paragraph_with_its_own_numbering_restarts_it() -> None:
    """A LibreOffice save puts numbering on each List Number paragraph: restart that one."""
    own = (
        '<w:p><w:pPr><w:pStyle w:val="ListNumber"/><w:numPr><w:ilvl w:val="1"/>'
        '<w:numId w:val="3"/></w:numPr></w:pPr><w:r><w:t>{{ x }}</w:t></w:r></w:p>'
    )
    unknown = own.replace('w:val="3"', 'w:val="0"')  # numId 0: numbering switched off
    body = run("{% for x in a %}" + own + "{% endfor %}" + unknown, a=[1, 2], x=3)
    nums = [n.get(f"{{{W}}}val") for n in body.iter(f"{{{W}}}numId")]
    levels = [n.get(f"{{{W}}}val") for n in body.iter(f"{{{W}}}ilvl")]
    assert (nums, levels) == (["20", "20", "0"], ["1", "1", "1"])
    assert body.get("nums") == "20:3:[1]"
