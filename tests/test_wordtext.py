"""The text Word shows: tracked deletions and moves away out, insertions and moves in."""

from __future__ import annotations

import pytest
from lxml import etree

from followupdocs._docx.text import visible_text

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def body(xml: str) -> etree._Element:
    return etree.fromstring(f'<w:body xmlns:w="{W}">{xml}</w:body>')


def run(text: str) -> str:
    return f'<w:r><w:t xml:space="preserve">{text}</w:t></w:r>'


@pytest.mark.parametrize(
    ("xml", "shown"),
    [
        # A moved text, as Word stores "Start midte flyttet" after moving " flyttet" to the end.
        (
            "<w:p>"
            + run("Start")
            + f'<w:moveFrom w:id="1" w:author="A">{run(" flyttet")}</w:moveFrom>'
            + run(" midte")
            + f'<w:moveTo w:id="2" w:author="A">{run(" flyttet")}</w:moveTo>'
            + "</w:p>",
            "Start midte flyttet",
        ),
        (
            "<w:p>"
            + run("Vedtaget")
            + f'<w:ins w:id="1" w:author="A">{run(" i april")}</w:ins>'
            + '<w:del w:id="2" w:author="A"><w:r><w:delText> i marts</w:delText></w:r></w:del>'
            + "</w:p>",
            "Vedtaget i april",
        ),
        # A w:delText outside a w:del (a sloppy editor) is still deleted text.
        ("<w:p>" + run("a") + "<w:r><w:delText>b</w:delText></w:r></w:p>", "a"),
        # A deleted paragraph mark joins the paragraph to the next one.
        (
            '<w:p><w:pPr><w:rPr><w:del w:id="3" w:author="A"/></w:rPr></w:pPr>'
            + run("første")
            + "</w:p><w:p>"
            + run(" og anden")
            + "</w:p>",
            "første og anden",
        ),
        # A paragraph moved away with its mark is gone entirely.
        (
            "<w:p>"
            + run("bliver")
            + '</w:p><w:p><w:pPr><w:rPr><w:moveFrom w:id="4" w:author="A"/></w:rPr></w:pPr>'
            + f'<w:moveFrom w:id="5" w:author="A">{run("flyttet væk")}</w:moveFrom></w:p>'
            + "<w:p>"
            + run("sidst")
            + "</w:p>",
            "bliver\nsidst",
        ),
        # Tab stops, field codes and properties are not text; tabs and breaks are.
        (
            '<w:p><w:pPr><w:tabs><w:tab w:val="left" w:pos="720"/></w:tabs></w:pPr>'
            "<w:r><w:t>a</w:t><w:tab/><w:t>b</w:t><w:br/><w:t>c</w:t></w:r>"
            '<w:r><w:instrText xml:space="preserve"> PAGE </w:instrText></w:r></w:p>'
            "<w:p><w:r><w:t>d</w:t><w:cr/></w:r></w:p>",
            "a\tb\nc\nd\n",
        ),
        ("<w:p/><w:p/>", "\n"),
    ],
)
def test_visible_text(xml: str, shown: str) -> None:
    assert visible_text(body(xml)) == shown


def test_runs_without_paragraphs() -> None:
    content = etree.fromstring(
        f'<w:sdtContent xmlns:w="{W}">{run("x")}<w:moveFrom w:id="1" w:author="A">'
        f"{run('y')}</w:moveFrom></w:sdtContent>"
    )
    assert visible_text(content) == "x"
