"""Issue 16: the mistakes maintainers make in Word, each caught, located and said plainly.

Every template here is the default one with a mistake made and then stored the way Word
stores it (tags split over runs, rsids, proofing marks: see wordlike.py).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import followupdocs
from followupdocs import TemplateProblemError
from followupdocs._rendering import template_check
from helpers import EXAMPLE, all_text, run_cli, texts
from mistakes import MISTAKES, after, build, text_box
from mistakes import TR_FOR as TR_FOR_XML
from wordlike import DEFAULT, replace, variant

TR_FOR = '("{%tr for milestone in card.milestones %}")'


def problems(template: Path) -> list[str]:
    return texts(followupdocs.check_template(template))


def warnings(template: Path) -> list[str]:
    return texts(template_check(template).warnings)


def refused(template: Path) -> str:
    """Return the one problem of `template`, after checking that render refuses it too."""
    [problem] = problems(template)
    with pytest.raises(TemplateProblemError) as caught:
        followupdocs.render(
            followupdocs.load(EXAMPLE), template.parent / "ud.docx", template=template
        )
    assert texts(caught.value.problems) == [problem]
    assert not (template.parent / "ud.docx").exists()
    return problem


# --- item 2: pairs of the wrong kind -------------------------------------------------------------


def test_a_p_pair_around_table_rows_says_to_use_tr(tmp_path: Path) -> None:
    problem = refused(build(tmp_path / "t.docx", "p pair around rows"))
    assert problem == (
        'table 3, row 3, cell 1 ("{%p for milestone in card.milestones %}"): this '
        "{%p for milestone in card.milestones %} is closed in another row, at table 3, row 5, "
        'cell 1 ("{%p endfor %}"): a {%p %} pair repeats or leaves out paragraphs within one '
        "cell; to repeat table rows use {%tr for ... %} and {%tr endfor %} instead, each alone "
        "in its row"
    )


def test_a_tr_block_must_end_in_its_own_table(tmp_path: Path) -> None:
    problem = refused(build(tmp_path / "t.docx", "tr end outside the table"))
    assert problem.startswith(
        f'table 3, row 3 {TR_FOR}: its {{%tr endfor %}} is at paragraph 42 ("{{%tr endfor %}}"), '
        "not in a row of table 3; a {%tr %} tag must stand alone in a row of the table"
    ), problem


# --- item 7: the places of unclosed and unopened blocks -------------------------------------------


def test_a_missing_endfor_in_a_cell_is_reported_in_the_cell(tmp_path: Path) -> None:
    problem = refused(build(tmp_path / "t.docx", "endfor missing in a cell"))
    assert problem == (
        'table 3, row 2, cell 1 ("{%p for para in card.agreement_text %}"): this block is never '
        "closed: its {%p endfor %} was expected in the same cell (table 3, row 2, cell 1), in a "
        "paragraph of its own"
    )


def test_a_missing_tr_endfor_is_reported_at_its_opening_row(tmp_path: Path) -> None:
    problem = refused(build(tmp_path / "t.docx", "tr end missing"))
    assert problem == (
        f"table 3, row 3 {TR_FOR}: this block is never closed: its {{%tr endfor %}} was "
        "expected in a later row of table 3, alone in its row"
    )


def test_a_deleted_tr_for_row_is_named(tmp_path: Path) -> None:
    problem = refused(build(tmp_path / "t.docx", "tr start missing"))
    assert problem.startswith(
        'table 3, row 5 ("{%tr endfor %}"): {%tr endfor %} has no {%tr for ... %} row before it '
        "in table 3: the block's opening tag is missing (was its row deleted?)"
    ), problem


def test_both_tr_tags_in_one_row_are_named(tmp_path: Path) -> None:
    problem = refused(build(tmp_path / "t.docx", "tr tags in one row"))
    assert problem == (
        'table 3, row 3 ("{%tr endfor %}"): {%tr endfor %} shares its row with another {%p %} '
        "or {%tr %} tag, and docxtpl removes the whole row for the first one, so this one is "
        "lost; give each such tag a row of its own"
    )


def test_check_template_on_the_command_line_names_the_place(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    template = build(tmp_path / "t.docx", "endfor missing in a cell")
    code, out, err = run_cli(capsys, "check-template", template)
    assert code == 1
    assert "table 3, row 2, cell 1" in out + err and "paragraph 3" not in out + err
    assert "Jinja" not in out + err


def test_a_tr_tag_outside_a_table_is_named(tmp_path: Path) -> None:
    heading = "<w:t>Læsevejledning</w:t>"
    tags = "</w:r><w:r><w:t>{%tr if round %}{%tr endif %}</w:t>"
    template = build(tmp_path / "t.docx", extra=[replace(heading, heading + tags)])
    problem = refused(template)
    assert problem.startswith(
        'paragraph 2 ("Læsevejledning{%tr if round %}{%tr endif %}"): {%tr if round %} is not '
        "in a table row"
    ), problem


# --- item 3: typed text that disappears with a {%p %} or {%tr %} tag ------------------------------


def test_text_beside_a_p_tag_is_quoted_in_a_warning(tmp_path: Path) -> None:
    template = build(tmp_path / "t.docx", "text with a p tag")
    assert problems(template) == []
    assert warnings(template) == [
        'paragraph 3 ("Læs dette først {%p for para in reading_guide %}"): the text "Læs dette '
        'først" in this paragraph will disappear: the whole paragraph of a {%p %} tag is removed '
        "when the document is made; move it to a paragraph of its own"
    ]


def test_text_in_another_cell_of_a_tr_row_is_quoted_in_a_warning(tmp_path: Path) -> None:
    template = build(tmp_path / "t.docx", "text in a tr row")
    assert problems(template) == []
    assert warnings(template) == [
        f'table 3, row 3 {TR_FOR}: the text "Milepæle for året" in this row will disappear: '
        "the whole row of a {%tr %} tag is removed when the document is made; move it to "
        "another row (every cell of the row goes)"
    ]
    # It does disappear: the warning is not a false alarm.
    output = followupdocs.render(
        followupdocs.load(EXAMPLE), tmp_path / "ud.docx", template=template
    )
    assert "Milepæle for året" not in all_text(output)


def test_long_text_and_tags_in_a_tr_row_are_shortened_and_named(tmp_path: Path) -> None:
    long = "Her står en lang forklaring, som ingen vil savne før den er væk"
    template = build(
        tmp_path / "t.docx",
        extra=[
            after(TR_FOR_XML, "<w:p/>", f"<w:p><w:r><w:t>{long}</w:t></w:r></w:p>"),
            after(TR_FOR_XML, "<w:p/>", "<w:p><w:r><w:t>{{ card.kind }}</w:t></w:r></w:p>"),
        ],
    )
    [warning] = warnings(template)
    assert warning.startswith(
        f'table 3, row 3 {TR_FOR}: the text "Her står en lang forklaring, som inge..." and '
        "the tag {{ card.kind }} in this row will disappear"
    ), warning


def test_the_default_template_has_no_warnings() -> None:
    assert warnings(DEFAULT) == []


# --- item 8: plain words instead of Jinja's and Python's -----------------------------------------

PLAIN = [
    (
        "endfor misspelt",
        "table 3, row 5 (\"{%tr endfr %}\"): 'endfr' is not a tag; did you mean 'endfor'? It "
        f"should close the 'for' opened at table 3, row 3 {TR_FOR}",
    ),
    (
        "if deleted above elif",
        'paragraph 6 ("{%p elif para.kind == "number" %}"): {%p elif para.kind == "number" %} '
        "has no 'if' to belong to: the block's opening tag ({%p if ... %}) is missing; the block "
        "open here is the 'for' opened at paragraph 3 (\"{%p for para in reading_guide %}\")",
    ),
    (
        "for deleted",
        'paragraph 11 ("{%p endfor %}"): {%p endfor %} has nothing to close: the block\'s '
        "opening tag ({%p for ... %}) is missing",
    ),
    (
        "end tags in the wrong order",
        "paragraph 10 (\"{%p endfor %}\"): {%p endfor %} comes before the end of the 'if' opened "
        'at paragraph 4 ("{%p if para.kind == "bullet" %}"): close that block first with '
        "{%p endif %}, or its closing tag is missing; the inner block closes before the outer one",
    ),
    (
        "two values in a tag",
        'table 3, row 1, cell 2 ("{{ card.kind card.title }}"): the tag {{ card.kind card.title '
        "}} is not valid: more follows the value than a tag can hold; put each value in a tag of "
        "its own",
    ),
    (
        "quote not closed",
        'table 3, row 1, cell 2 ("{{ card.kind ~ " }}"): the tag {{ card.kind ~ " }} is not '
        'valid: a quote (") is not closed',
    ),
    (
        "division by zero",
        'table 3, row 1, cell 2 ("{{ 1/0 }}"): fails on the sample agreement: it divides by zero',
    ),
]


@pytest.mark.parametrize(("mistake", "message"), PLAIN, ids=[m for m, _ in PLAIN])
def test_mistakes_are_said_in_plain_words(tmp_path: Path, mistake: str, message: str) -> None:
    assert refused(build(tmp_path / "t.docx", mistake)) == message


JINJA_WORDS = re.compile(
    r"Jinja|Encountered|nesting mistake|chunk|innermost|\w+Error\b|end of statement block"
)


@pytest.mark.parametrize("mistake", sorted(MISTAKES))
def test_no_message_speaks_jinja_or_python(tmp_path: Path, mistake: str) -> None:
    template = build(tmp_path / "t.docx", mistake)
    said = problems(template) + warnings(template)
    assert said, "every mistake is reported"
    assert not [s for s in said if JINJA_WORDS.search(s)], said


@pytest.mark.parametrize(
    ("tags", "message"),
    [
        (
            "{% if round %}x{% endfr %}",
            "the tags do not fit together: 'endfr' is not a tag; did you mean 'endfor'?",
        ),
        ("{% endif %}", "the tags do not fit together: 'endif' has nothing to close: the "
         "block's opening tag ('if') is missing"),
        ("{% for r in rounds %}", "this block is never closed (it needs its 'endfor')"),
        ("{% if %}x{% endif %}", "the tags do not fit together: a tag has no condition or value "
         "after its keyword"),
    ],
)  # fmt: skip
def test_tags_in_the_footer_are_said_in_plain_words(
    tmp_path: Path, tags: str, message: str
) -> None:
    """Jinja's own errors remain where the body's pairing does not look: say them plainly."""
    template = variant(
        tmp_path / "t.docx",
        {"word/footer1.xml": replace("<w:t xml:space=\"preserve\">Side </w:t>",
                                     f"<w:t xml:space=\"preserve\">{tags} Side </w:t>")},
    )  # fmt: skip
    [problem] = problems(template)
    assert problem.endswith(f"): {message}"), problem


# --- item 10: paragraph numbers after a text box --------------------------------------------------


def test_a_text_box_does_not_shift_the_paragraph_numbers(tmp_path: Path) -> None:
    """Word stores a text box's paragraphs twice; a reader counts neither among the body's."""
    template = build(tmp_path / "t.docx", "text box above a typo")
    [problem] = problems(template)
    assert problem.startswith(
        'paragraph 15 ("{{ smileys.purple }}: Milepæl er ikke opfyldt, og det er ...")'
    ), problem


def test_a_tag_in_a_text_box_is_named_by_the_paragraph_holding_it(tmp_path: Path) -> None:
    heading = "<w:t>Læsevejledning</w:t></w:r>"
    template = build(
        tmp_path / "t.docx", extra=[replace(heading, heading + text_box("{{ comittee }}"))]
    )
    assert problems(template) == [
        "paragraph 2 (\"{{ comittee }}\"): unknown variable 'comittee'; did you mean 'committee'?"
    ]  # once, though Word stores the text box's text twice
    problem = problems(
        build(tmp_path / "u.docx", "text box above a typo", "endfor missing in a cell")
    )
    assert problem[0].startswith('table 3, row 2, cell 1 ("{%p for para in card.agreement_text'), (
        problem
    )


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        (
            "{%p for para in reading_guide %}",
            "{%p for para in reading_guide|nosuchfilter %}",
            "there is no filter 'nosuchfilter' (the word after a |); is it misspelt?",
        ),
        (
            "{%tr for row in theme.rows %}",
            "{%tr for row in theme.rows if row is nosuchtest %}",
            "there is no test 'nosuchtest' (the word after 'is'); is it misspelt?",
        ),
    ],
)
def test_an_unknown_filter_or_test_in_a_block_tag_is_a_problem_at_its_place(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], old: str, new: str, expected: str
) -> None:
    """Jinja refuses these only when it compiles the template: that was a traceback."""
    template = variant(tmp_path / "t.docx", {"word/document.xml": replace(old, new)})
    problem = refused(template)
    assert problem.endswith(f'("{new}"): {expected}'), problem
    code, out, err = run_cli(capsys, "check-template", template)
    assert code == 1 and "Traceback" not in out + err
    assert problem in out + err
