"""Templates from outside, tried as a hostile user would (issue 14, items 1 to 4, 6 and 9).

Every hostile template is the default template edited by tests/hostile.py. Whatever is wrong,
`check-template` and `render` say so in one located line and exit 1, `render` writes nothing,
and no document that is written carries remote parts, code or broken XML.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import docx
import pytest
from lxml import etree

import followupdocs
import hostile
from followupdocs._docx import check as _check
from followupdocs._docx import scrub as _scrub
from followupdocs._docx import stream as _stream
from followupdocs._docx.sandbox import environment
from followupdocs._docx.scrub import field_instructions
from followupdocs._docx.stream import PartError, render_part
from followupdocs.cli import main
from helpers import EXAMPLE, texts

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
REMOTE = r"(?!.*Traceback).*"
SAVE = r".*save (it|the template|the document) (again|as Word Document)"

# (variant, what check-template says: a regex of its one line)
REFUSED = [
    ("linked-picture-url", r"the document's text \(word/document\.xml\) has a picture linked to "
     r"https://evil\.example/pixel\.png; insert it instead of linking it, or delete it"),
    ("linked-picture-file", r".*has a picture linked to file:///etc/passwd; insert it .*"),
    ("macros", r"the macro project \(word/vbaProject\.bin\) is code \(macros or an ActiveX "
     r"control\); a template must have none.*"),
    ("activex", r"the part word/activeX/activeX1\.xml is code \(macros or an ActiveX control\).*"),
    ("entity", r"the document's text \(word/document\.xml\) declares a DTD.*save the template "
     r"again in Word"),
    ("if-in-cell-endif-in-body", r"the 'if' opened at table \d+, row 1, cell 2 \(.*\) closes at "
     r"paragraph \d+ \(\"\{% endif %\}\"\): a block must open and close in the same paragraph "
     r"or cell; .*\{%p \.\.\. %\}.*\{%tr \.\.\. %\}.*"),
    ("safe", r'paragraph 1 \("\{\{ "<w:p>"\|safe \}\}"\): \|safe is not allowed in a template: '
     r"it would write text as Word XML"),
    ("repeat", r'paragraph 1 \("\{\{ "x" \* 999999999 \}\}"\): uses something not allowed in a '
     r"template \(the repeated text would be larger than 100000 characters or items\)"),
    ("includepicture-unc", r"the document's text \(word/document\.xml\) has a field "
     r"\(INCLUDEPICTURE\) that shows a picture from \\\\fileserver\\share\\pixel\.png, "
     r"which Word fetches when the document opens; delete the field \(Alt\+F9 shows the "
     r"field codes\) and insert what it shows instead"),
    ("includetext", r"the document's text \(word/document\.xml\) has a field \(INCLUDETEXT\) "
     r"that shows the text of C:\\Users\\Public\\hemmeligt\.txt, which Word fetches when the "
     r"fields are updated; .*"),
    ("embedded-ole", r"the document's text \(word/document\.xml\) has an embedded object "
     r"\(embeddings/oleObject1\.bin\), which may hold a program that runs when it is "
     r"double-clicked; insert it as a picture instead, or delete it"),
    ("embedded-xlsm", r"the document's text \(word/document\.xml\) has an embedded file with "
     r"macros \(embeddings/Ark1\.xlsm\); embed it without macros \(as \.xlsx or \.docx\), or "
     r"delete it"),
    ("field-named-by-tag", r"the document's text \(word/document\.xml\) has a field whose kind "
     r"a tag writes \(\{% if title == \"Hemmelig\" %\}INCLUDEPICTURE\{% else %\}PAGE\{\.\.\.\); "
     r"type the field's name \(PAGE, DATE, \.\.\.\) itself, so the template can be checked"),
    ("ddeauto-footer", r"the footer has a field \(DDEAUTO\) that asks the program "
     r"c:\\windows\\system32\\cmd\.exe for data, which Word offers to start when the "
     r"document opens; .*"),
]  # fmt: skip


def one_line(cli_err: str) -> str:
    lines = cli_err.strip().splitlines()
    assert len(lines) == 1, cli_err
    return lines[0]


@pytest.mark.parametrize(("name", "expected"), REFUSED, ids=[name for name, _ in REFUSED])
def test_hostile_template_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str, expected: str
) -> None:
    template = hostile.template(tmp_path / f"{name}.docx", name)
    assert main(["check-template", str(template)]) == 1
    line = one_line(capsys.readouterr().err)
    assert re.fullmatch(re.escape(f"{template}: ") + expected, line), line

    output = tmp_path / "ud" / "opfølgning.docx"
    output.parent.mkdir()
    assert main(["render", str(EXAMPLE), "--template", str(template), "-o", str(output)]) == 1
    assert one_line(capsys.readouterr().err) == line
    assert list(output.parent.iterdir()) == [], "nothing is written"


def external_relationships(document: Path) -> list[str]:
    """Return every External relationship in the package that is not a hyperlink."""
    found = []
    with zipfile.ZipFile(document) as package:
        for name in package.namelist():
            if name.endswith(".rels"):
                for rel in re.findall(r"<Relationship\b[^>]*>", package.read(name).decode()):
                    if 'TargetMode="External"' in rel and "/hyperlink" not in rel:
                        found.append(f"{name}: {rel}")
    return found


@pytest.mark.parametrize("name", ["attached-template", "attached-template-unc"])
def test_an_attached_template_is_left_out_with_a_warning(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str
) -> None:
    template = hostile.template(tmp_path / "t.docx", name)
    assert external_relationships(template), "the hostile template has the relationship"
    assert main(["check-template", str(template)]) == 0
    err = one_line(capsys.readouterr().err)
    assert re.fullmatch(
        re.escape(f"{template}: warning: the document's settings (word/settings.xml) attach a ")
        + r"template from (https://evil\.example/|file://///fileserver/).*; followupdocs leaves it "
        r"out of every document, since Word would fetch it when the document opens",
        err,
    ), err

    output = tmp_path / "ud.docx"
    assert main(["render", str(EXAMPLE), "--template", str(template), "-o", str(output)]) == 0
    assert external_relationships(output) == []
    with zipfile.ZipFile(output) as package:
        assert b"attachedTemplate" not in package.read("word/settings.xml")
    assert docx.Document(str(output)).paragraphs[0].text.startswith("Første opfølgning")


def test_a_macro_project_never_reaches_a_document_whatever_the_content_types_say(
    tmp_path: Path,
) -> None:
    template = hostile.template(tmp_path / "t.docx", "macros")
    with zipfile.ZipFile(template) as package:
        types = package.read("[Content_Types].xml")
    assert b"macroEnabled" not in types, "declared as an ordinary .docx"
    with pytest.raises(followupdocs.TemplateProblemError):
        followupdocs.render(followupdocs.load(EXAMPLE), tmp_path / "ud.docx", template=template)
    assert not (tmp_path / "ud.docx").exists()


def test_hyperlinks_stay(tmp_path: Path) -> None:
    def link(parts: hostile.Parts) -> None:
        hostile._add_rel(
            parts, hostile.RELS, "rId98", f"{hostile.R}/hyperlink", "https://ballerup.dk", True
        )
        hostile._after_title(
            parts,
            '<w:p><w:hyperlink r:id="rId98"><w:r><w:t>Ballerup</w:t></w:r></w:hyperlink></w:p>',
        )

    parts = hostile.read_parts(hostile.DEFAULT)
    link(parts)
    template = hostile.write_parts(tmp_path / "t.docx", parts)
    assert followupdocs.check_template(template) == []
    output = followupdocs.render(
        followupdocs.load(EXAMPLE), tmp_path / "ud.docx", template=template
    )
    with zipfile.ZipFile(output) as package:
        assert b"https://ballerup.dk" in package.read("word/_rels/document.xml.rels")


def accepted_and_rendered(folder: Path, name: str) -> Path:
    """Check the hostile template `name` passes, and return the example rendered with it."""
    template = hostile.template(folder / "t.docx", name)
    assert followupdocs.check_template(template) == []
    return followupdocs.render(followupdocs.load(EXAMPLE), folder / "ud.docx", template=template)


def test_an_embedded_workbook_without_macros_stays(tmp_path: Path) -> None:
    """A chart's data or a workbook shown as an icon is an .xlsx package: no code, so it stays."""
    with zipfile.ZipFile(accepted_and_rendered(tmp_path, "embedded-xlsx")) as package:
        assert "word/embeddings/Ark1.xlsx" in package.namelist()


def test_fields_that_fetch_nothing_stay(tmp_path: Path) -> None:
    """A HYPERLINK field (followed on a click), a date and a page number are ordinary Word."""
    with zipfile.ZipFile(accepted_and_rendered(tmp_path, "harmless-fields")) as package:
        instructions = field_instructions(etree.fromstring(package.read("word/document.xml")))
    assert 'HYPERLINK "https://ballerup.dk/budget"' in instructions
    assert 'DATE \\@ "d. MMMM yyyy"' in instructions


def _field(instruction: str, *, pieces: int = 1, result: str = "", nested: str = "") -> str:
    """A complex field: begin, the instruction over `pieces` runs (`nested` inside), the rest."""
    size = max(1, -(-len(instruction) // pieces))
    runs = [instruction[i : i + size] for i in range(0, len(instruction), size)]
    text = "".join(f"<w:r><w:instrText>{run}</w:instrText></w:r>" for run in runs)
    separate = '<w:r><w:fldChar w:fldCharType="separate"/></w:r>' if result else ""
    shown = f"<w:r><w:t>{result}</w:t></w:r>" if result else ""
    return (
        f'<w:r><w:fldChar w:fldCharType="begin"/></w:r>{text}{nested}{separate}{shown}'
        '<w:r><w:fldChar w:fldCharType="end"/></w:r>'
    )


def test_a_filled_field_that_fetches_is_refused_even_past_the_checks(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The last line of defence: each filled part is checked for fetching fields as well.

    With the template's own check switched off, the trial run's agreement (another title)
    makes PAGE and passes; an agreement titled "Hemmelig" makes INCLUDEPICTURE, and no
    document is written.
    """
    monkeypatch.setattr(_scrub, "_fetching_fields", lambda parts, labels: [])
    _check._checked.cache_clear()
    _check._inspect.cache_clear()
    template = hostile.template(tmp_path / "t.docx", "field-named-by-tag")
    try:
        assert followupdocs.check_template(template) == []
        example = followupdocs.load(EXAMPLE)
        assert followupdocs.render_bytes(example, template=template)  # title: another
        secret = example.model_copy(update={"title": "Hemmelig"})
        with pytest.raises(followupdocs.TemplateProblemError) as caught:
            followupdocs.render(secret, tmp_path / "ud.docx", template=template)
        [problem] = caught.value.problems
        assert "has a field (INCLUDEPICTURE) that shows a picture from \\\\evil\\x.png" in str(
            problem
        )
        assert not (tmp_path / "ud.docx").exists()
    finally:
        _check._checked.cache_clear()
        _check._inspect.cache_clear()


def test_field_instructions_are_read_as_word_reads_them() -> None:
    """Pieces over runs joined; nested fields apart; no separate; a field in a result; simple."""
    inner = _field("MERGEFIELD navn", result="Navn")
    paragraph = (
        f'<w:p xmlns:w="{W}">'
        + _field('INCLUDEPICTURE "http://x/a.png" \\d', pieces=4, result="billede")
        + _field('INCLUDETEXT "', nested=inner)
        + _field("PAGE")
        + _field("REF a", result="x" + "</w:t></w:r>" + _field("LINK Excel b") + "<w:r><w:t>")
        + '<w:fldSimple w:instr=" DDEAUTO c:\\x "/>'
        + '<w:r><w:fldChar w:fldCharType="begin"/></w:r>'  # never closed
        + "<w:r><w:instrText>DATABASE q</w:instrText></w:r>"
        + "</w:p>"
    )
    assert sorted(field_instructions(etree.fromstring(paragraph))) == sorted(
        [
            'INCLUDEPICTURE "http://x/a.png" \\d',
            "MERGEFIELD navn",
            'INCLUDETEXT "',
            "PAGE",
            "REF a",
            "LINK Excel b",
            "DDEAUTO c:\\x",
            "DATABASE q",
        ]
    )


# --- blocks across paragraphs and cells ---------------------------------------------------------


def test_a_for_without_p_across_paragraphs_names_both_ends(tmp_path: Path) -> None:
    """Issue 16's forgotten p: {% for %} in one paragraph, its {%p endfor %} further down."""
    parts = hostile.read_parts(hostile.DEFAULT)
    hostile._replace(
        parts, "word/document.xml", "{%p for theme in themes %}", "{% for theme in themes %}"
    )
    template = hostile.write_parts(tmp_path / "t.docx", parts)
    [problem] = texts(followupdocs.check_template(template))
    assert re.fullmatch(
        r"the 'for' opened at paragraph \d+ \(\"\{% for theme in themes %\}\"\) closes at "
        r"paragraph \d+ \(\"\{%p endfor %\}\"\): a block must open and close in the same "
        r"paragraph or cell; .*",
        problem,
    ), problem


def test_an_else_in_another_cell_is_named(tmp_path: Path) -> None:
    parts = hostile.read_parts(hostile.DEFAULT)
    hostile._replace(
        parts, "word/document.xml", "{{ card.kind }}", "{% if card.kind %}{{ card.kind }}"
    )
    hostile._replace(
        parts, "word/document.xml", "{{ card.responsible_centre }}",
        "{% else %}{% endif %}{{ card.responsible_centre }}",
    )  # fmt: skip
    template = hostile.write_parts(tmp_path / "t.docx", parts)
    problems = texts(followupdocs.check_template(template))
    assert problems and problems[0].startswith("the 'else' of the 'if' opened at table"), problems
    assert " is at table " in problems[0]


def test_a_block_inside_one_paragraph_across_runs_is_fine(tmp_path: Path) -> None:
    parts = hostile.read_parts(hostile.DEFAULT)
    hostile._replace(
        parts, "word/document.xml", "{{ card.kind }}",
        "{% if card.kind %}</w:t></w:r><w:r><w:t>{{ card.kind }}{% endif %}",
    )  # fmt: skip
    template = hostile.write_parts(tmp_path / "t.docx", parts)
    assert followupdocs.check_template(template) == []


def test_the_stream_check_refuses_xml_that_is_not_well_formed() -> None:
    """The last guard: whatever slips past the checks, no broken part is ever returned."""
    template = environment().from_string(
        '<w:r xmlns:w="urn:w"><w:p>{% if cut %}</w:p>{% endif %}</w:r>'
    )
    assert render_part(template, {"cut": True}).endswith(b'<w:r xmlns:w="urn:w"><w:p></w:p></w:r>')
    with pytest.raises(PartError, match=r"not be well-formed XML \(mismatched tag"):
        render_part(template, {"cut": False})
    broken = environment().from_string('<w:p xmlns:w="urn:w">{{ x }}</w:p><w:p>')
    with pytest.raises(PartError, match="well-formed"):
        render_part(broken, {"x": "a"})


# --- the sandbox: no raw XML, no unbounded values -----------------------------------------------

TAGS = [
    '{{ "x" * 999999999 }}',
    '{{ 999999999 * "x" }}',
    "{{ [1] * 999999999 }}",
    "{{ 2 ** 999999999 }}",
    '{{ "%999999999s" % "x" }}',
    '{{ "%*s" % (999999999, "x") }}',
    '{{ "{:999999999}".format("x") }}',
    '{{ "x".ljust(999999999) }}',
    '{{ "x"|center(999999999) }}',
    '{{ "x"|indent(999999999) }}',
    '{{ "%s"|format("x") ~ "%999999999s"|format("x") }}',
    '{{ range(100000)|join("x" * 99999) }}',
    '{{ ("x" * 99999)|replace("x", "x" * 99999) }}',
    '{{ [1]|batch(999999999, "x")|list }}',
    "{{ lipsum(999999999) }}",
    '{{ ("x" * 99999)|wordwrap(1, wrapstring="y" * 99999) }}',
    '{{ "\t".expandtabs(999999999) }}',
    '{{ "x".translate({120: "y"}) }}',
    '{% set ns = namespace(x="x" * 99999) %}{% for i in range(40) %}{% set ns.x = ns.x ~ ns.x %}'
    "{% endfor %}{{ ns.x|length }}",
    '{% set ns = namespace(x="x" * 99999) %}{% for i in range(40) %}{% set ns.x = ns.x + ns.x %}'
    "{% endfor %}{{ ns.x|length }}",
    "{% set l = [1, 2] %}{% for i in range(60) %}{{ l.extend(l) }}{% endfor %}",
    '{{ ["<w:p>"]|map("safe")|join }}',
]


@pytest.mark.parametrize("tag", TAGS)
def test_the_sandbox_refuses_what_builds_huge_values_or_raw_xml(tmp_path: Path, tag: str) -> None:
    parts = hostile.read_parts(hostile.DEFAULT)
    hostile.tag_edit(tag)(parts)
    template = hostile.write_parts(tmp_path / "t.docx", parts)
    [problem] = texts(followupdocs.check_template(template))
    assert problem.startswith("paragraph 1 ("), problem
    assert "not allowed" in problem or "not safely callable" in problem, problem


@pytest.mark.parametrize(
    "tag",
    [
        "{% autoescape false %}{{ title }}{% endautoescape %}",
        "{{ {'a': title}|xmlattr }}",
        "{{ title|urlize }}",
        "{% filter safe %}{{ title }}{% endfilter %}",
    ],
)
def test_markup_from_template_code_is_refused(tmp_path: Path, tag: str) -> None:
    parts = hostile.read_parts(hostile.DEFAULT)
    hostile.tag_edit(tag)(parts)
    template = hostile.write_parts(tmp_path / "t.docx", parts)
    [problem] = texts(followupdocs.check_template(template))
    assert re.fullmatch(r'paragraph 1 \(".*"\): .* is not allowed in a template: .*', problem)


def test_ordinary_text_operations_still_work(tmp_path: Path) -> None:
    tag = (
        '{{ ("Opfølgning " * 2)|trim ~ " " ~ "%s-%d "|format("runde", 2) ~ title|upper }}'
        '{{ " (" ~ rounds[:2]|join(", ") ~ ")" }}'
    )
    parts = hostile.read_parts(hostile.DEFAULT)
    hostile.tag_edit(tag)(parts)
    template = hostile.write_parts(tmp_path / "t.docx", parts)
    assert followupdocs.check_template(template) == []
    output = followupdocs.render(
        followupdocs.load(EXAMPLE), tmp_path / "ud.docx", template=template
    )
    first = docx.Document(str(output)).paragraphs[0].text
    assert first.startswith("Opfølgning Opfølgning runde-2 FØRSTE OPFØLGNING")
    assert first.endswith("OMRÅDE (1. budgetopfølgning 2018, 2. budgetopfølgning 2018)")


def test_the_trial_run_has_a_time_limit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_check, "TRIAL_SECONDS", 0.2)
    tag = "{% for a in range(100000) %}{% for b in range(100000) %}{% endfor %}{% endfor %}"
    parts = hostile.read_parts(hostile.DEFAULT)
    hostile.tag_edit(tag)(parts)
    template = hostile.write_parts(tmp_path / "t.docx", parts)
    assert texts(followupdocs.check_template(template)) == [
        "the document's text (word/document.xml): the trial run on the sample agreement takes "
        "longer than 0.2 seconds; does a loop run without end?"
    ]


def test_a_part_has_a_size_limit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_stream, "MAX_PART", 2 * 1024 * 1024)
    tag = '{% for a in range(100000) %}{{ "x" * 1000 }}{% endfor %}'
    parts = hostile.read_parts(hostile.DEFAULT)
    hostile.tag_edit(tag)(parts)
    template = hostile.write_parts(tmp_path / "t.docx", parts)
    assert texts(followupdocs.check_template(template)) == [
        "the document's text (word/document.xml): the filled part is larger than 2 MB; does the "
        "template repeat something without end?"
    ]
