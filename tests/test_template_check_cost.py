"""Checking a template does no work twice, and says the same as when it did.

- Its {{ }} tags are parsed, and only those naming an unknown filter or test are compiled:
  compiling every one cost a fifth of the check, and finds nothing more. The messages stay
  Jinja's own, whichever way they were found.
- The template is read once, for the check and the warnings.
- A template is compiled only when every part passed the checks.
"""

from __future__ import annotations

from pathlib import Path

import docx
import jinja2
import pytest

import followupdocs
import hostile
from followupdocs._docx import check as _check
from followupdocs._docx.sandbox import environment
from helpers import texts
from wordlike import DEFAULT

EXPRESSIONS = [
    "title",
    "card.title|upper",
    "cards|map(attribute='title')|join(', ')",
    "x is defined",
    "x if y else z",
    "'a' ~ b * 3",
    "range(3)|list|length > 2",
    "card.title|nosuchfilter",
    "card.title|upper|nosuchfilter(1)",
    "x is nosuchtest",
    "x|nosuchfilter if y else z",  # allowed at compile time; fails when run
    "(x|nosuchfilter) + 1",
    "x|safe",
    "card.kind card.title",
    '"unclosed',
    "card.",
    "card.title|",
    "1 +",
    "(1",
    "1)",
    "",
    "x ; y",
    "{'a': 1}['a']",
    "x[1:2]",
    "x|",
    "foo(1, bar=2, *a, **k)",
    "a.b.c.d",
    "x is divisibleby 3",
    "x is not nosuchtest",
    "caller()",
]


def reference(env: jinja2.Environment, expression: str) -> str | None:
    """What compiling the expression says: the check's behaviour before parsing sufficed."""
    try:
        env.compile_expression(expression)
    except jinja2.TemplateSyntaxError as exc:
        return exc.message or ""
    return None


@pytest.mark.parametrize("expression", EXPRESSIONS)
def test_parsing_says_what_compiling_says(expression: str) -> None:
    env = environment()
    assert _check._expression_error(env, expression) == reference(env, expression)


def test_the_list_has_each_kind_of_answer() -> None:
    env = environment()
    answers = [reference(env, expression) for expression in EXPRESSIONS]
    assert None in answers
    assert "No filter named 'nosuchfilter'." in answers
    assert "No test named 'nosuchtest'." in answers
    assert "chunk after expression" in answers


def test_checking_the_default_template_compiles_no_expression(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    compiled: list[str] = []
    original = jinja2.Environment.compile_expression

    def counting(self: jinja2.Environment, source: str, *args: object) -> object:
        compiled.append(source)
        return original(self, source, *args)

    monkeypatch.setattr(jinja2.Environment, "compile_expression", counting)
    report = followupdocs.check_template(DEFAULT)
    assert texts(report) == []
    assert compiled == []


def test_an_unknown_filter_is_reported_in_plain_words(tmp_path: Path) -> None:
    parts = hostile.read_parts(DEFAULT)
    hostile.tag_edit("{{ title|nosuchfilter }}")(parts)
    template = hostile.write_parts(tmp_path / "filter.docx", parts)
    [problem] = texts(followupdocs.check_template(template))
    assert problem == (
        'paragraph 1 ("{{ title|nosuchfilter }}"): the tag {{ title|nosuchfilter }} is not '
        "valid: there is no filter 'nosuchfilter' (the word after a |); is it misspelt?"
    )


def test_the_template_is_read_once_for_problems_and_warnings(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    reads: list[int] = []
    original = _check.load

    def counting(data: bytes) -> object:
        reads.append(len(data))
        return original(data)

    monkeypatch.setattr(_check, "load", counting)
    _check._inspect.cache_clear()  # checked by an earlier test in this process, perhaps
    _check._checked.cache_clear()
    report = followupdocs.check_template(DEFAULT)
    assert texts(report) == []
    assert len(reads) == 1


def test_a_template_with_a_problem_is_not_compiled(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """The body comes first and passes; the footer's typo must stop the check before compiling."""
    document = docx.Document(str(DEFAULT))
    document.sections[0].footer.paragraphs[0].text = "{{ round_labl }}"
    template = tmp_path / "footer-typo.docx"
    document.save(str(template))
    compiled: list[str] = []
    original = _check.instrument

    def counting(xml: str, *args: object) -> str:
        compiled.append(xml[:40])
        return original(xml, *args)

    monkeypatch.setattr(_check, "instrument", counting)
    [problem] = texts(followupdocs.check_template(template))
    assert problem.startswith('the footer, paragraph 1 ("{{ round_labl }}"): unknown variable')
    assert compiled == []
