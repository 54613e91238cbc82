"""Custom Word templates: the documented context, located template problems, restyling.

Every custom template is the default template with one part rewritten, the way a template
maintainer changes it in Word, so these tests follow the default template as it evolves.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import docx
import pytest
from docx.oxml.ns import qn
from docx.shared import Pt, RGBColor
from lxml import etree

import followupdocs
import wordcheck
from followupdocs import Agreement, TemplateProblemError, check_template
from followupdocs._context import sample_contexts
from followupdocs._docx.shape import context_shape
from followupdocs.cli import main
from helpers import EXAMPLE, ROOT, texts

DEFAULT = ROOT / "templates" / "opfoelgning.docx"
DOCS = ROOT / "docs" / "templates.md"
DATA = Path(__file__).resolve().parent / "data" / "templates"
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
WP = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"
CONTEXT_HEADING = "## Context reference"
KEY_PATH = re.compile(r"[a-z_]+(?:\[\])?(?:\.[a-z_]+(?:\[\])?)*")


# ---------------------------------------------------------------------------------------------
# The context reference in docs/templates.md lists exactly the context's keys
# ---------------------------------------------------------------------------------------------


def key_paths(shape: dict[str, Any], prefix: str = "") -> Iterator[str]:
    """Yield the dotted path of every key in a context shape; a list adds "[]"."""
    for key, value in shape.items():
        path = f"{prefix}.{key}" if prefix else key
        while isinstance(value, tuple):  # ("list", element shape)
            path += "[]"
            value = value[1]
        yield path
        if isinstance(value, dict):
            yield from key_paths(value, path)


def documented_paths(markdown: str) -> list[str]:
    """Return the key paths in the first column of the context reference table."""
    start = markdown.index(CONTEXT_HEADING)
    following = markdown.find("\n## ", start + len(CONTEXT_HEADING))
    section = markdown[start : following if following != -1 else len(markdown)]
    paths = []
    for line in section.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if line.lstrip().startswith("|") and cells and re.fullmatch(r"`[^`]+`", cells[0]):
            path = cells[0].strip("`")
            assert KEY_PATH.fullmatch(path), f"not a key path in the table: {path!r}"
            paths.append(path)
    return paths


def test_context_reference_documents_every_key() -> None:
    """Every key the template receives has one row in docs/templates.md, and nothing else."""
    in_code = set(key_paths(context_shape(sample_contexts)))
    listed = documented_paths(DOCS.read_text(encoding="utf-8"))
    duplicates = sorted({p for p in listed if listed.count(p) > 1})
    missing = sorted(in_code - set(listed))
    extra = sorted(set(listed) - in_code)
    assert not (missing or extra or duplicates), (
        f"docs/templates.md's context reference is out of date.\n"
        f"  in the context but not documented: {missing}\n"
        f"  documented but not in the context: {extra}\n"
        f"  documented twice: {duplicates}"
    )


def test_key_paths_walks_lists_and_mappings() -> None:
    shape = {"a": "leaf", "b": ("list", {"c": ("list", "leaf"), "d": {"e": "leaf"}})}
    assert list(key_paths(shape)) == ["a", "b[]", "b[].c[]", "b[].d", "b[].d.e"]


# ---------------------------------------------------------------------------------------------
# Building custom templates from the default one
# ---------------------------------------------------------------------------------------------


def variant(
    path: Path,
    edit: Callable[[str], str],
    part: str = "word/document.xml",
    *,
    source: Path = DEFAULT,
) -> Path:
    """Write a copy of the template `source` to `path` with `part` rewritten by `edit`."""
    with (
        zipfile.ZipFile(source) as original,
        zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out,
    ):
        for item in original.infolist():
            data = original.read(item.filename)
            if item.filename == part:
                text = data.decode("utf-8")
                edited = edit(text)
                assert edited != text, f"the edit changed nothing in {part}"
                data = edited.encode("utf-8")
            out.writestr(item, data)
    return path


def edit_tree(change: Callable[[Any], None]) -> Callable[[str], str]:
    """Return an edit that parses the part, lets `change` alter the root element, re-serialises."""

    def edit(text: str) -> str:
        root = etree.fromstring(text.encode("utf-8"))
        change(root)
        return etree.tostring(
            root, xml_declaration=True, encoding="UTF-8", standalone=True
        ).decode()

    return edit


def replace(old: str, new: str) -> Callable[[str], str]:
    def edit(text: str) -> str:
        assert text.count(old) == 1, f"{old!r} occurs {text.count(old)} times in the template"
        return text.replace(old, new)

    return edit


def text_of(element: Any) -> str:
    return "".join(t.text or "" for t in element.iter(f"{{{W}}}t"))


def template_body() -> Any:
    with zipfile.ZipFile(DEFAULT) as z:
        return etree.fromstring(z.read("word/document.xml")).find(f"{{{W}}}body")


def table_number(containing: str) -> int:
    """Return the number Word gives the body table holding `containing` (1 = the first)."""
    tables = template_body().findall(f"{{{W}}}tbl")
    return next(n for n, t in enumerate(tables, start=1) if containing in text_of(t))


def paragraph_number(containing: str) -> int:
    """Return the number of the body paragraph holding `containing`, counting as Word does."""
    paragraphs = template_body().findall(f"{{{W}}}p")
    return next(n for n, p in enumerate(paragraphs, start=1) if containing in text_of(p))


def quoted(text: str) -> str:
    """Return a paragraph's text as the messages quote it (60 characters at most)."""
    return text if len(text) <= 60 else text[:57] + "..."


def assert_refused(template: Path, expected: list[str], agreement: Agreement) -> None:
    """Assert check_template reports `expected` (regexes) and render refuses, writing nothing."""
    problems = texts(check_template(template))
    assert len(problems) == len(expected), problems
    for problem, pattern in zip(problems, expected, strict=True):
        assert re.fullmatch(pattern, problem), f"{problem!r} does not match {pattern!r}"
    output = template.parent / "ud" / "opfølgning.docx"
    output.parent.mkdir()
    with pytest.raises(TemplateProblemError) as caught:
        followupdocs.render(agreement, output, round=1, template=template)
    assert list(caught.value.problems) == check_template(template)
    assert caught.value.template == str(template)
    assert list(output.parent.iterdir()) == [], "nothing is written"


# ---------------------------------------------------------------------------------------------
# Bad templates: every problem located, render refuses and writes nothing
# ---------------------------------------------------------------------------------------------


def test_default_template_is_fine() -> None:
    assert check_template(DEFAULT) == []


def test_typo_in_a_variable(tmp_path: Path, example: Agreement) -> None:
    template = variant(tmp_path / "t.docx", replace("{{ card.title }}", "{{ card.titel }}"))
    table = table_number("{{ card.number }}")
    expected = (
        f'table {table}, row 1, cell 1 ("{{{{ card.number }}}}. {{{{ card.titel }}}}"): '
        "'titel' does not exist here; did you mean 'title'?"
    )
    assert_refused(template, [re.escape(expected)], example)


def test_unknown_image_placeholder(tmp_path: Path, example: Agreement) -> None:
    template = variant(tmp_path / "t.docx", replace("{{ smileys.red }}", "{{ smileys.purple }}"))
    [paragraph] = [p for p in template_body().findall(f"{{{W}}}p") if "smileys.red" in text_of(p)]
    text = quoted(text_of(paragraph).replace("smileys.red", "smileys.purple"))
    # The paragraph's number is checked in test_locations_count_as_word_does (a known bug).
    expected = (
        rf'paragraph \d+ \("{re.escape(text)}"\): '
        + re.escape("'purple' does not exist here; available: ")
        + re.escape("economy_green, economy_red, green, red, yellow")
    )
    assert_refused(template, [expected], example)


def _split_title(bold_part: str, rest: str, *, new_paragraph: bool) -> Callable[[str], str]:
    """Split the card title's tag in two runs, the first bold, or in two paragraphs."""
    old = "<w:r><w:rPr/><w:t>{{ card.number }}. {{ card.title }}</w:t></w:r>"
    first = f'<w:r><w:rPr><w:b/></w:rPr><w:t xml:space="preserve">{bold_part}</w:t></w:r>'
    second = f'<w:r><w:t xml:space="preserve">{rest}</w:t></w:r>'
    between = '</w:p><w:p><w:pPr><w:pStyle w:val="Heading2"/></w:pPr>' if new_paragraph else ""
    return replace(old, first + between + second)


def test_tag_split_across_runs_still_renders(tmp_path: Path, example: Agreement) -> None:
    """Word splits a tag into runs when part of it is formatted: it must still work."""
    template = variant(
        tmp_path / "t.docx",
        _split_title("{{ card.number }}. {{ card.", "title }}", new_paragraph=False),
    )
    assert check_template(template) == []
    output = followupdocs.render(example, tmp_path / "out.docx", round=1, template=template)
    document = docx.Document(str(output))
    titles = [
        t.rows[0].cells[0].paragraphs[0]
        for t in document.tables
        if t.rows[0].cells[0].paragraphs[0].style.name == "Heading 2"
    ]
    assert [t.text for t in titles] == [f"{i.number}. {i.title}" for i in example.initiatives]
    # The value takes the formatting of the tag's first character: here bold.
    for title in titles:
        runs = [r for r in title.runs if r.text]
        assert runs and all(r.bold for r in runs), title.text
    assert wordcheck.problems(output) == []


def list_bullets(document: Any) -> int:
    """Count the List Bullet paragraphs in the document's tables."""
    names = {s.style_id: s.name for s in document.styles}
    return sum(
        names.get(p_style.get(qn("w:val"))) == "List Bullet"
        for t in document.element.body.iter(qn("w:tbl"))
        for p_style in t.iter(qn("w:pStyle"))
    )


def test_documented_tag_features(tmp_path: Path, example: Agreement) -> None:
    """What docs/templates.md promises: curly quotes, footer tags, filters and loop variables."""
    curly = variant(
        tmp_path / "curly.docx",
        lambda xml: xml.replace('para.kind == "bullet"', "para.kind == \u201cbullet\u201d"),
    )
    footer = variant(
        tmp_path / "footer.docx",
        replace(
            '<w:t xml:space="preserve">Side </w:t>', "<w:t>{{ round_label }} &#8211; Side </w:t>"
        ),
        part="word/footer1.xml",
        source=curly,
    )
    template = variant(
        tmp_path / "t.docx",
        replace(
            "<w:t>Definition af smileys på indsats:</w:t>",
            '<w:t xml:space="preserve">{{ rounds|join(", ") }}; {% for r in rounds %}'
            "{{ loop.index }}{% if not loop.last %}-{% endif %}{% endfor %}</w:t>",
        ),
        source=footer,
    )
    assert check_template(template) == []
    output = followupdocs.render(example, tmp_path / "out.docx", round=2, template=template)
    document = docx.Document(str(output))
    texts = [p.text for p in document.paragraphs]
    assert f"{', '.join(example.rounds)}; 1-2-3-4" in texts
    assert (
        document.sections[0]
        .footer.paragraphs[0]
        .text.startswith("2. budgetopfølgning 2018 \u2013 Side ")
    )
    default = docx.Document(io.BytesIO(followupdocs.render_bytes(example, round=2)))
    assert 0 < list_bullets(document) == list_bullets(default), "curly quotes pick the bullets"
    assert wordcheck.problems(output) == []


def test_tag_split_across_paragraphs(tmp_path: Path, example: Agreement) -> None:
    template = variant(
        tmp_path / "t.docx",
        _split_title("{{ card.number }}. {{ card.", "title }}", new_paragraph=True),
    )
    where = f"table {table_number('{{ card.number }}')}, row 1, cell 1"
    tail = "a tag is not closed in the same paragraph; every {{ needs its }}"
    assert_refused(
        template,
        [
            re.escape(f'{where} ("{{{{ card.number }}}}. {{{{ card."): {tail}'),
            re.escape(f'{where} ("title }}}}"): {tail}'),
        ],
        example,
    )


def _remove_paragraph(containing: str, occurrence: int = 0) -> Callable[[str], str]:
    """Remove the `occurrence`-th body-level paragraph whose text is `containing`."""

    def change(root: Any) -> None:
        body = root.find(f"{{{W}}}body")
        found = [p for p in body.findall(f"{{{W}}}p") if text_of(p) == containing]
        body.remove(found[occurrence])

    return edit_tree(change)


def test_unclosed_for(tmp_path: Path, example: Agreement) -> None:
    """The reading guide's {%p endfor %} is deleted: the loop is never closed."""
    endfor_after_guide = _remove_paragraph("{%p endfor %}", 0)
    template = variant(tmp_path / "t.docx", endfor_after_guide)
    # Where it points is checked in test_locations_count_as_word_does.
    expected = (
        r"paragraph \d+ \(.*\): this block is never closed: its \{%p endfor %\} was "
        r"expected in a paragraph of its own before the end of the document"
    )
    assert_refused(template, [expected], example)


@pytest.mark.parametrize(
    ("tag", "messages"),
    [
        (
            "{{ ''.__class__.__mro__ }}",
            ["'__class__' is not allowed in a template", "'__mro__' is not allowed in a template"],
        ),
        ("{{ title.__class__ }}", ["'__class__' is not allowed in a template"]),
        ("{{ smileys.green.__html__ }}", ["'__html__' is not allowed in a template"]),
    ],
    ids=["mro", "title-class", "image-internals"],
)
def test_sandbox_refuses_python_internals(
    tmp_path: Path, example: Agreement, tag: str, messages: list[str]
) -> None:
    template = variant(tmp_path / "t.docx", replace("{{ title }}", tag.replace('"', "&quot;")))
    where = re.escape(f'paragraph {paragraph_number("{{ title }}")} ("{tag}"): ')
    assert_refused(template, [where + re.escape(m) for m in messages], example)


def test_sandbox_stops_what_only_running_shows(tmp_path: Path, example: Agreement) -> None:
    """`attr` reaches an attribute by a string: the sandbox stops it when the template runs,
    and the check runs the template on a sample, so both report it, located."""
    tag = '{{ title|attr("__class__") }}'
    template = variant(tmp_path / "t.docx", replace("{{ title }}", tag.replace('"', "&quot;")))
    output = tmp_path / "ud" / "opfølgning.docx"
    output.parent.mkdir()
    with pytest.raises(TemplateProblemError) as caught:
        followupdocs.render(example, output, round=1, template=template)
    assert texts(caught.value.problems) == [
        f'paragraph {paragraph_number("{{ title }}")} ("{tag}"): uses something not allowed '
        "in a template (access to attribute '__class__' of 'str' object is unsafe.)",
    ]
    assert check_template(template) == list(caught.value.problems)
    assert list(output.parent.iterdir()) == []


def test_check_template_sees_attr_filter(tmp_path: Path) -> None:
    tag = '{{ title|attr("__class__") }}'
    template = variant(tmp_path / "t.docx", replace("{{ title }}", tag.replace('"', "&quot;")))
    assert check_template(template) != []


@pytest.mark.parametrize("tag", ["{{ range(1000000)|list|length }}", "{{ 1/0 }}"])
def test_runtime_error_in_template_is_a_template_problem(
    tmp_path: Path, example: Agreement, tag: str
) -> None:
    template = variant(tmp_path / "t.docx", replace("{{ title }}", tag))
    output = tmp_path / "ud" / "opfølgning.docx"
    output.parent.mkdir()
    with pytest.raises(TemplateProblemError) as caught:
        followupdocs.render(example, output, round=1, template=template)
    [problem] = texts(caught.value.problems)
    assert problem.startswith(f'paragraph {paragraph_number("{{ title }}")} ("{tag}"): fails')
    assert texts(check_template(template)) == [problem]
    assert list(output.parent.iterdir()) == []


@pytest.mark.parametrize(
    ("name", "detail"),
    [
        ("not-a-docx.docx", "the file is not a Word document \\(\\.docx\\)"),
        ("empty.docx", "the file is not a Word document \\(\\.docx\\)"),
        ("zip-not-word.docx", "the file is a zip archive but not a Word document"),
    ],
)
def test_not_a_word_document(tmp_path: Path, example: Agreement, name: str, detail: str) -> None:
    template = tmp_path / name
    template.write_bytes((DATA / name).read_bytes())
    save_as = re.escape("; open it in Word and save it as Word Document (.docx)")
    assert_refused(template, [detail + save_as], example)


def test_a_word_template_file_works_as_a_template(tmp_path: Path, example: Agreement) -> None:
    """A maintainer may save the template as a Word Template (.dotx); it renders the same."""
    template = variant(
        tmp_path / "skabelon.dotx",
        replace("wordprocessingml.document.main+xml", "wordprocessingml.template.main+xml"),
        part="[Content_Types].xml",
    )
    assert check_template(template) == []
    output = followupdocs.render(example, tmp_path / "ud.docx", round=1, template=template)
    assert docx.Document(str(output)).paragraphs[0].text.startswith("Første opfølgning")


def test_a_macro_enabled_file_is_refused(tmp_path: Path) -> None:
    template = variant(
        tmp_path / "skabelon.docm",
        replace(
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
            "application/vnd.ms-word.document.macroEnabled.main+xml",
        ),
        part="[Content_Types].xml",
    )
    [problem] = texts(check_template(template))
    assert "macros" in problem and "save it as Word Document (.docx)" in problem


@pytest.mark.parametrize("case", ["paragraph", "row", "unclosed"])
def test_locations_count_as_word_does(tmp_path: Path, case: str) -> None:
    if case == "paragraph":
        edit = replace("{{ smileys.red }}", "{{ smileys.purple }}")
        want = f"paragraph {paragraph_number('{{ smileys.red }}')} ("
    elif case == "row":
        edit = replace("{{ milestone.label }}", "{{ milestone.lable }}")
        rows = template_body().findall(f"{{{W}}}tbl")[table_number("milestone.label") - 1]
        row = next(
            n
            for n, tr in enumerate(rows.findall(f"{{{W}}}tr"), start=1)
            if "milestone.label" in text_of(tr)
        )
        want = f"table {table_number('milestone.label')}, row {row}, cell 3 ("
    else:
        edit = _remove_paragraph("{%p endfor %}", 0)
        number = paragraph_number("{%p for para in reading_guide %}")
        want = f'paragraph {number} ("{{%p for para in reading_guide %}}")'
    template = variant(tmp_path / "t.docx", edit)
    [problem] = check_template(template)
    # The place is the problem's path; str() prints it as the command line always has.
    assert problem.path.startswith(want), problem
    assert (problem.source, problem.line, problem.column) == (str(template), None, None)
    assert problem.severity == "error"
    assert str(problem) == f"{template}: {problem.path}: {problem.message}"


# ---------------------------------------------------------------------------------------------
# Restyling and moving parts carry through to the document
# ---------------------------------------------------------------------------------------------

NEW_COLOUR = "1F4E79"
NEW_FILL = "FFE699"


def _restyle_heading_2(root: Any) -> None:
    """Do what Word's Modify Style does: Heading 2 becomes 14 pt, dark blue."""
    style = root.find(f"{{{W}}}style[@{{{W}}}styleId='Heading2']")
    r_pr = style.find(f"{{{W}}}rPr")
    for tag, value in (("color", NEW_COLOUR), ("sz", "28"), ("szCs", "28")):
        r_pr.find(f"{{{W}}}{tag}").set(f"{{{W}}}val", value)


def _shade_card_header(root: Any) -> None:
    """Do what Table Design > Shading does on the card's header row."""
    [card] = [t for t in root.iter(f"{{{W}}}tbl") if "{{ card.number }}" in text_of(t)]
    header = card.find(f"{{{W}}}tr")
    for shading in header.iter(f"{{{W}}}shd"):
        shading.set(f"{{{W}}}fill", NEW_FILL)


def test_restyled_template_carries_through(tmp_path: Path, example: Agreement) -> None:
    template = variant(tmp_path / "styled.docx", edit_tree(_restyle_heading_2), "word/styles.xml")
    template = variant(
        tmp_path / "styled-and-shaded.docx", edit_tree(_shade_card_header), source=template
    )
    assert check_template(template) == []
    output = followupdocs.render(example, tmp_path / "out.docx", round=2, template=template)

    document = docx.Document(str(output))
    heading = document.styles["Heading 2"]
    assert heading.font.color.rgb == RGBColor.from_string(NEW_COLOUR)
    assert heading.font.size == Pt(14)
    cards = [t for t in document.tables if t.rows[0].cells[-1].text == "Smiley"]
    assert len(cards) == len(list(example.initiatives))
    for table, initiative in zip(cards, example.initiatives, strict=True):
        title = table.rows[0].cells[0].paragraphs[0]
        assert title.text == f"{initiative.number}. {initiative.title}"
        assert title.style.name == "Heading 2"
        assert title.style.font.color.rgb == RGBColor.from_string(NEW_COLOUR)
        fills = {s.get(qn("w:fill")) for s in table._tbl.tr_lst[0].iter(qn("w:shd"))}
        assert fills == {NEW_FILL}
    assert wordcheck.problems(output) == []


def _reading_guide(body: Any) -> list[Any]:
    """Return the reading guide's paragraphs: its heading to the last smiley definition."""
    children = list(body)
    texts = [text_of(c) if c.tag == f"{{{W}}}p" else "" for c in children]
    start = texts.index("Læsevejledning")
    end = next(i for i, t in enumerate(texts) if "{{ smileys.economy_red }}" in t)
    return children[start : end + 1]


def _without_reading_guide(root: Any) -> None:
    body = root.find(f"{{{W}}}body")
    for paragraph in _reading_guide(body):
        body.remove(paragraph)


def _reading_guide_last(root: Any) -> None:
    """Cut the reading guide and paste it after the cards (before the section properties)."""
    body = root.find(f"{{{W}}}body")
    section = body.find(f"{{{W}}}sectPr")
    for paragraph in _reading_guide(body):
        section.addprevious(paragraph)


def images(document: Any) -> list[str]:
    return [d.get("descr") for d in document.element.body.iter(f"{{{WP}}}docPr")]


def test_reading_guide_removed(tmp_path: Path, example: Agreement) -> None:
    template = variant(tmp_path / "t.docx", edit_tree(_without_reading_guide))
    assert check_template(template) == []
    default = docx.Document(io.BytesIO(followupdocs.render_bytes(example, round=2)))
    output = followupdocs.render(example, tmp_path / "out.docx", round=2, template=template)
    document = docx.Document(str(output))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "Læsevejledning" not in text
    assert "Definition af smileys" not in text
    assert document.paragraphs[0].style.name == "Title"
    assert len(images(document)) == len(images(default)) - 5, "only the guide's 5 smileys go"
    assert wordcheck.problems(output) == []


def test_reading_guide_moved_after_the_cards(tmp_path: Path, example: Agreement) -> None:
    template = variant(tmp_path / "t.docx", edit_tree(_reading_guide_last))
    assert check_template(template) == []
    output = followupdocs.render(example, tmp_path / "out.docx", round=2, template=template)
    document = docx.Document(str(output))
    body = list(document.element.body)
    guide = next(i for i, c in enumerate(body) if text_of(c) == "Læsevejledning")
    last_table = max(i for i, c in enumerate(body) if c.tag == f"{{{W}}}tbl")
    assert guide > last_table, "the reading guide comes after the last card"
    after = [d.get("descr") for c in body[guide:] for d in c.iter(f"{{{WP}}}docPr")]
    assert len(after) == 5
    assert text_of(body[0]).startswith("Anden opfølgning")
    assert wordcheck.problems(output) == []


def test_documented_commands(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], example: Agreement
) -> None:
    """The two commands docs/templates.md shows: check-template, then render --template."""
    good = variant(tmp_path / "min-skabelon.docx", edit_tree(_restyle_heading_2), "word/styles.xml")
    assert main(["check-template", str(good)]) == 0
    assert capsys.readouterr().out == f"{good}: the template is fine\n"
    output = tmp_path / "test.docx"
    code = main(
        ["render", str(EXAMPLE), "--round", "1", "--template", str(good), "-o", str(output)]
    )
    assert code == 0
    assert output.is_file()

    bad = variant(tmp_path / "fejl.docx", replace("{{ card.title }}", "{{ card.titel }}"))
    assert main(["check-template", str(bad)]) == 1
    err = capsys.readouterr().err
    assert err.startswith(f"{bad}: table ")
    assert "'titel' does not exist here; did you mean 'title'?" in err
    assert (
        main(["render", str(EXAMPLE), "--template", str(bad), "-o", str(tmp_path / "x.docx")]) == 1
    )
    assert "did you mean 'title'?" in capsys.readouterr().err
    assert not (tmp_path / "x.docx").exists()
