"""docs/templates.md's message tables and check-template examples are what the check says.

Every row of the tables of problems and warnings is made by a mistake built the way Word
stores it (mistakes.py, wordlike.py), and the message the row documents must be among what
check-template says about it; every example run shows exactly the lines the command prints.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest

import hostile
from followupdocs._rendering import template_check
from helpers import ROOT, run_cli, texts
from mistakes import BODY, build
from test_template_parts import CASES
from test_template_revisions import commented, replaced_tag
from wordlike import replace, variant

DOCS = ROOT / "docs" / "templates.md"
SECTION = "## Checking and trying a template"
DOCUMENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
MACRO_TYPE = "application/vnd.ms-word.document.macroEnabled.main+xml"

Builder = Callable[[Path], Path]


def mistake(*names: str) -> Builder:
    return lambda path: build(path, *names)


def edited(part: str, edit: Callable[[str], str]) -> Builder:
    return lambda path: variant(path, {part: edit})


def not_a_docx(path: Path) -> Path:
    path.write_bytes(b"Dette er ikke et Word-dokument")
    return path


# The message each documented row starts with (its first cell), and how to make it happen.
DOCUMENTED: dict[str, Builder] = {
    "the document's text (word/document.xml) has an embedded object "
    "(embeddings/oleObject1.bin), which may hold a program ...": lambda path: hostile.template(
        path, "embedded-ole"
    ),
    "the document's text (word/document.xml) has a field (INCLUDEPICTURE) that shows a picture "
    "from ..., which Word fetches when the document opens; ...": lambda path: hostile.template(
        path, "includepicture-unc"
    ),
    "the footer, paragraph 1 (...): a tag is not closed in the same paragraph; every {{ needs "
    "its }}": lambda path: CASES["missing-brace-in-footer"][0](path),
    "the first page's header, paragraph 1 (...): unknown variable 'round_labl'; did you mean "
    "'round_label'?": lambda path: CASES["typo-in-the-first-page-header"][0](path),
    "'titel' does not exist here; did you mean 'title'?": mistake("variable misspelt"),
    "unknown variable 'round_lable'; did you mean 'round_label'?": mistake(
        "top-level name misspelt"
    ),
    "a tag is not closed in the same paragraph; every {{ needs its }}": mistake("brace missing"),
    "this block is never closed: its {%p endfor %} was expected in the same cell (...)": mistake(
        "endfor missing in a cell"
    ),
    "... has nothing to close: the block's opening tag ({%p for ... %}) is missing": mistake(
        "for deleted"
    ),
    "... has no 'if' to belong to: the block's opening tag ({%p if ... %}) is missing": mistake(
        "if deleted above elif"
    ),
    "... comes before the end of the 'if' opened at ...: close that block first with "
    "{%p endif %}, ...": mistake("end tags in the wrong order"),
    "'endfr' is not a tag; did you mean 'endfor'? It should close the 'for' opened at ...": (
        mistake("endfor misspelt")
    ),
    "the 'for' opened at ... closes at ...: a block must open and close in the same paragraph "
    "or cell; ...": mistake("p forgotten"),
    "... is closed in another row, at ...: a {%p %} pair repeats or leaves out paragraphs "
    "within one cell; to repeat table rows use {%tr for ... %} and {%tr endfor %} instead, ...": (
        mistake("p pair around rows")
    ),
    "... is of another kind than the 'for' opened at ...: both ends of a block are of the same "
    "kind, ...": mistake("tr closed by p"),
    "its {%tr endfor %} is at ..., not in a row of table 3; ...": mistake(
        "tr end outside the table"
    ),
    "{%tr endfor %} has no {%tr for ... %} row before it in table 3: the block's opening tag is "
    "missing (was its row deleted?); ...": mistake("tr start missing"),
    "{%tr if round %} is not in a table row; ...": edited(
        BODY,
        replace(
            "<w:t>Læsevejledning</w:t></w:r>",
            "<w:t>Læsevejledning</w:t></w:r><w:r><w:t>{%tr if round %}{%tr endif %}</w:t></w:r>",
        ),
    ),
    "... shares its row with another {%p %} or {%tr %} tag, and docxtpl removes the whole row "
    "for the first one, so this one is lost; ...": mistake("tr tags in one row"),
    "the tags do not fit together: ...": mistake("if without condition"),
    "the tag {{ card.kind card.title }} is not valid: more follows the value than a tag can "
    "hold; ...": mistake("two values in a tag"),
    "'__class__' is not allowed in a template": mistake("python internals"),
    "fails on the sample agreement: it divides by zero": mistake("division by zero"),
    "the file is not a Word document (.docx); open it in Word and save it as Word Document "
    "(.docx)": not_a_docx,
    "the file holds macros (.docm or .dotm), which templates must not; ...": edited(
        "[Content_Types].xml", replace(DOCUMENT_TYPE, MACRO_TYPE)
    ),
    "the template holds 2 tracked changes (the first here); accept or reject all changes "
    "first ...": edited(BODY, replaced_tag),
    "the template holds 1 comment (the first here); delete them first ...": edited(BODY, commented),
    # warnings
    'the text "Milepæle for året" in this row will disappear: the whole row of a {%tr %} tag '
    "is removed ...": mistake("text in a tr row"),
    "the cells' widths differ from the table's column widths, ...": edited(
        BODY, replace('<w:tcW w:w="964" w:type="dxa"/>', '<w:tcW w:w="2000" w:type="dxa"/>')
    ),
    "the row prints texts from the agreement but is set not to break across pages; ...": edited(
        BODY,
        replace(
            '<w:tr><w:tc><w:tcPr><w:tcW w:w="4819"',
            '<w:tr><w:trPr><w:cantSplit/></w:trPr><w:tc><w:tcPr><w:tcW w:w="4819"',
        ),
    ),
}

# The example runs of check-template, in the order the guide shows them.
EXAMPLES: list[Builder] = [
    lambda path: variant(path, {}),
    mistake("variable misspelt"),
    mistake("endfor missing in a cell"),
    mistake("text in a tr row"),
]


def section() -> str:
    text = DOCS.read_text(encoding="utf-8")
    start = text.index(SECTION)
    following = text.find("\n## ", start + len(SECTION))
    return text[start : following if following != -1 else len(text)]


def documented_messages() -> list[str]:
    """Return the first cell of every table row whose message is in backticks."""
    rows = [line for line in section().splitlines() if line.startswith("| `")]
    return [row[3 : row.index("` |")] for row in rows]


def examples() -> list[list[str]]:
    """Return the output lines of each `$ followupdocs check-template` example."""
    blocks = re.findall(r"```\n\$ followupdocs check-template (\S+)\n(.*?)```", section(), re.S)
    return [output.splitlines() for _, output in blocks]


def pattern(message: str) -> str:
    return re.escape(message).replace(re.escape("..."), ".*?")


def test_every_documented_message_has_a_mistake_that_makes_it() -> None:
    documented = documented_messages()
    assert len(documented) == len(set(documented)), "a message is documented twice"
    assert sorted(documented) == sorted(DOCUMENTED)


@pytest.mark.parametrize("message", list(DOCUMENTED))
def test_the_documented_message_is_what_the_check_says(tmp_path: Path, message: str) -> None:
    template = DOCUMENTED[message](tmp_path / "min-skabelon.docx")
    report = template_check(template)
    said = texts(report.problems) + texts(report.warnings)
    assert any(re.search(pattern(message), line) for line in said), said


def test_the_examples_are_what_the_command_prints(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    shown = examples()
    assert len(shown) == len(EXAMPLES)
    monkeypatch.chdir(tmp_path)
    for make, lines in zip(EXAMPLES, shown, strict=True):
        make(Path("min-skabelon.docx"))
        code, out, err = run_cli(capsys, "check-template", "min-skabelon.docx")
        assert err.splitlines() + out.splitlines() == lines
        assert code == (1 if "fine" not in out and "can be used" not in out else 0)
