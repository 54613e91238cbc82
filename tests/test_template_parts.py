"""Tags in a template's headers and footers: smiley pictures there, and messages naming them.

The templates are the default template with a header or footer edited the way a maintainer
does it in Word (a logo and a tag in the header, a smiley in the footer), stored as Word
stores it: every tag scattered over runs with rsids and proofing marks (wordlike.variant).
"""

from __future__ import annotations

import io
import posixpath
import re
import shutil
import subprocess
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import docx
import pytest
from docx.shared import Cm
from lxml import etree
from PIL import Image as PILImage

import followupdocs
import wordcheck
from followupdocs import Agreement, check_template
from followupdocs._docx.smileys import picture
from helpers import EXAMPLE, needs_soffice, run_cli, soffice_convert, texts
from wordlike import DEFAULT, Edit, replace, variant

R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PR = "http://schemas.openxmlformats.org/package/2006/relationships"
A = "http://schemas.openxmlformats.org/drawingml/2006/main"
WP = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"
FOOTER = "word/footer1.xml"
SIDE = '<w:t xml:space="preserve">Side </w:t>'
GREEN_ALT = "Grøn smiley: milepælen er opfyldt"
LOGO_ALT = "Ballerup Kommunes logo"
RED_ALT = "Rød smiley: milepælen er ikke opfyldt, og målet er ikke realistisk inden for perioden"


def footer_with(text: str) -> dict[str, Edit]:
    """The edit putting `text` in front of "Side" in the default template's footer."""
    return {FOOTER: replace(SIDE, f'<w:t xml:space="preserve">{text}Side </w:t>')}


def logo() -> io.BytesIO:
    """A small blue PNG standing in for the municipality's logo."""
    data = io.BytesIO()
    PILImage.new("RGB", (40, 20), (0, 70, 140)).save(data, format="PNG")
    data.seek(0)
    return data


def built(path: Path, change: Callable[[Any], None], edits: dict[str, Edit] | None = None) -> Path:
    """Copy the default template changed through python-docx, as Word would; then scatter it.

    `edits` are text edits of parts afterwards, as for wordlike.variant.
    """
    document = docx.Document(str(DEFAULT))
    change(document)
    source = path.with_name(path.stem + "-built.docx")
    document.save(str(source))
    return variant(path, edits or {}, source=source)


def with_header(
    path: Path,
    *paragraphs: str,
    first_page: str | None = None,
    edits: dict[str, Edit] | None = None,
) -> Path:
    """Copy the default template with a header: the logo and `paragraphs`, as Word adds one.

    `first_page` also gives the first page a header of its own (Different First Page).
    """

    def change(document: Any) -> None:
        section = document.sections[0]
        header = section.header
        header.is_linked_to_previous = False
        shape = header.paragraphs[0].add_run().add_picture(logo(), Cm(2), Cm(1))
        shape._inline.docPr.set("descr", LOGO_ALT)  # Word's Alt Text pane
        for text in paragraphs:
            header.add_paragraph(text)
        if first_page is not None:
            section.different_first_page_header_footer = True
            section.first_page_header.paragraphs[0].text = first_page

    return built(path, change, edits)


def pictures(path: Path, part: str) -> list[tuple[str, bytes]]:
    """Return the alt text and image bytes of every picture in `part`, resolved by its own rels.

    Fails if a picture's relationship id is missing from the part's rels, or its target from
    the package: Word reports that document as unreadable.
    """
    folder, name = posixpath.split(part)
    with zipfile.ZipFile(path) as z:
        root = etree.fromstring(z.read(part))
        rels_name = f"{folder}/_rels/{name}.rels"
        rels = etree.fromstring(z.read(rels_name)) if rels_name in z.namelist() else None
        targets = {
            rel.get("Id"): posixpath.normpath(posixpath.join(folder, rel.get("Target")))
            for rel in ([] if rels is None else rels.iter(f"{{{PR}}}Relationship"))
        }
        found = []
        for inline in root.iter(f"{{{WP}}}inline", f"{{{WP}}}anchor"):
            alt = inline.find(f"{{{WP}}}docPr").get("descr") or ""
            rid = inline.find(f".//{{{A}}}blip").get(f"{{{R}}}embed")
            assert rid in targets, f"{part}: r:embed={rid} is not in {rels_name}"
            found.append((alt, z.read(targets[rid])))
    return found


# --- 5: a smiley tag in a header or footer is a picture of that header or footer --------------


def test_a_smiley_in_the_footer_is_a_picture_of_the_footer(
    tmp_path: Path, example: Agreement
) -> None:
    template = variant(tmp_path / "t.docx", footer_with("{{ smileys.green }} "))
    assert check_template(template) == []

    output = followupdocs.render(example, tmp_path / "out.docx", round=1, template=template)

    assert pictures(output, FOOTER) == [(GREEN_ALT, picture("grøn"))]
    footer = docx.Document(str(output)).sections[0].footer
    assert footer.paragraphs[0].text.startswith(" Side ")
    assert wordcheck.problems(output) == []


def test_a_smiley_in_a_header_with_a_logo_keeps_both(tmp_path: Path, example: Agreement) -> None:
    template = with_header(
        tmp_path / "t.docx", "Ballerup Kommune {{ round_label }} {{ smileys.red }}"
    )
    assert check_template(template) == []

    output = followupdocs.render(example, tmp_path / "out.docx", round=2, template=template)

    header = docx.Document(str(output)).sections[0].header
    part = str(header.part.partname).lstrip("/")
    found = pictures(output, part)
    assert [alt for alt, _ in found] == [LOGO_ALT, RED_ALT]
    assert found[0][1] == logo().getvalue()  # the logo is still the logo
    assert found[1][1] == picture("rød")
    assert header.paragraphs[1].text == "Ballerup Kommune 2. budgetopfølgning 2018 "
    # The body's smileys are untouched: still pictures of the body.
    assert (GREEN_ALT, picture("grøn")) in pictures(output, "word/document.xml")
    assert wordcheck.problems(output) == []


# --- LibreOffice as a second reader -------------------------------------------------------------
# Every LibreOffice start costs seconds before it converts anything, so the module's LibreOffice
# work is two runs shared by its two tests (one xdist group, so one worker makes them): saving the
# default template as LibreOffice saves it, then one PDF conversion of every document rendered
# for the tests. The second needs the first: one of its documents is rendered with that template.


@pytest.fixture(scope="module")
def libreoffice_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The default template, opened and saved by LibreOffice."""
    folder = tmp_path_factory.mktemp("libreoffice-template")
    shutil.copyfile(DEFAULT, folder / "skabelon.docx")
    (template,) = soffice_convert([folder / "skabelon.docx"], folder / "saved", folder / "profile")
    return template


@pytest.fixture(scope="module")
def libreoffice_pdfs(
    tmp_path_factory: pytest.TempPathFactory, example: Agreement, libreoffice_template: Path
) -> Path:
    """A folder of documents and the PDFs LibreOffice made of them (one run): smiley, with a
    smiley in the footer; plain, with the default template; out, with the LibreOffice-saved
    template and the two cards with numbered points."""
    folder = tmp_path_factory.mktemp("libreoffice-pdfs")
    footer = variant(folder / "t.docx", footer_with("{{ smileys.yellow }} "))
    pages = _first_cards(example, 5)  # several pages; each card more costs LibreOffice time
    documents = [
        followupdocs.render(pages, folder / "smiley.docx", round=1, template=footer),
        followupdocs.render(pages, folder / "plain.docx", round=1),
        followupdocs.render(  # the first 3 cards: the 2 with numbered points, and one before
            _first_cards(two_numbered_lists(), 3),
            folder / "out.docx",
            round=1,
            template=libreoffice_template,
        ),
    ]
    soffice_convert(documents, folder, folder / "profile", "pdf")
    return folder


def _first_cards(agreement: Agreement, count: int) -> Agreement:
    """Return `agreement` cut to its first `count` cards (and the themes they are in)."""
    themes = []
    for theme in agreement.themes:
        kept = theme.initiatives[: count - sum(len(t.initiatives) for t in themes)]
        if kept:
            themes.append(theme.model_copy(update={"initiatives": kept}))
    return agreement.model_copy(update={"themes": tuple(themes)})


@needs_soffice
@pytest.mark.soffice
@pytest.mark.xdist_group("libreoffice-template-parts")
def test_libreoffice_shows_the_footer_smiley_on_every_page(libreoffice_pdfs: Path) -> None:
    """Each page of the PDF has one picture more than with the default template: the footer's."""
    smiley_pages = pictures_per_page(libreoffice_pdfs / "smiley.pdf")
    plain_pages = pictures_per_page(libreoffice_pdfs / "plain.pdf")
    assert len(smiley_pages) == len(plain_pages) > 3
    assert [n - 1 for n in smiley_pages] == plain_pages


def pictures_per_page(pdf: Path) -> list[int]:
    """Return how many pictures each page of `pdf` draws (pdfimages; masks not counted)."""
    listing = subprocess.run(
        ["pdfimages", "-list", str(pdf)], check=True, capture_output=True, text=True
    ).stdout
    pages = subprocess.run(["pdfinfo", str(pdf)], check=True, capture_output=True, text=True)
    count = int(re.search(r"^Pages:\s+(\d+)", pages.stdout, re.M).group(1))  # type: ignore[union-attr]
    per_page = [0] * count
    for line in listing.splitlines()[2:]:
        page, _, kind = line.split()[:3]
        if kind == "image":
            per_page[int(page) - 1] += 1
    return per_page


# --- 6: a template saved by LibreOffice still restarts its numbered lists on every card -------

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
POINTS = ("Første punkt", "Andet punkt", "Tredje punkt")


def two_numbered_lists() -> Agreement:
    """The example with a second card holding numbered points, after the economy card's five."""
    text = EXAMPLE.read_text(encoding="utf-8")
    anchor = "          En grundlæggende forudsætning for et stadig mere grønt miljø er"
    assert text.count(anchor) == 1
    points = "".join(f"          {n}. {point}\n\n" for n, point in enumerate(POINTS, start=1))
    return followupdocs.loads(text.replace(anchor, points + anchor), source=str(EXAMPLE))


def w(name: str) -> str:
    return f"{{{W}}}{name}"


def numbered_lists(path: Path) -> list[tuple[str, str, str | None]]:
    """Return each run of List Number paragraphs: its first text, its num, the num's restart.

    The numbering is the paragraph's own w:numPr, else its style's, as Word resolves it; the
    restart is the num's startOverride of the paragraph's level, if it has one.
    """
    with zipfile.ZipFile(path) as z:
        body = etree.fromstring(z.read("word/document.xml")).find(w("body"))
        styles = etree.fromstring(z.read("word/styles.xml"))
        numbering = etree.fromstring(z.read("word/numbering.xml"))
    [style] = [
        s for s in styles.iter(w("style")) if s.find(w("name")).get(w("val")) == "List Number"
    ]
    style_num = style.find(f"{w('pPr')}/{w('numPr')}/{w('numId')}").get(w("val"))
    nums = {n.get(w("numId")): n for n in numbering.iter(w("num"))}
    lists: list[tuple[str, str, str | None]] = []
    previous = None
    for paragraph in body.iter(w("p")):
        p_style = paragraph.find(f"{w('pPr')}/{w('pStyle')}")
        if p_style is None or p_style.get(w("val")) != style.get(w("styleId")):
            continue
        num_pr = paragraph.find(f"{w('pPr')}/{w('numPr')}")
        num_id = style_num if num_pr is None else num_pr.find(w("numId")).get(w("val"))
        level = "0" if num_pr is None else num_pr.find(w("ilvl")).get(w("val"))
        if previous is None or paragraph.getprevious() is not previous:
            start = nums[num_id].find(
                f"{w('lvlOverride')}[@{w('ilvl')}='{level}']/{w('startOverride')}"
            )
            text = "".join(t.text or "" for t in paragraph.iter(w("t")))
            lists.append((text, num_id, None if start is None else start.get(w("val"))))
        previous = paragraph
    return lists


@needs_soffice
@pytest.mark.soffice
@pytest.mark.xdist_group("libreoffice-template-parts")
def test_a_template_saved_by_libreoffice_restarts_numbered_points_on_every_card(
    libreoffice_template: Path, libreoffice_pdfs: Path
) -> None:
    template, output = libreoffice_template, libreoffice_pdfs / "out.docx"
    with zipfile.ZipFile(template) as z:  # LibreOffice put its own numbering on the paragraphs
        assert b'<w:pStyle w:val="ListNumber"/><w:numPr>' in z.read("word/document.xml")
    assert check_template(template) == []

    lists = numbered_lists(output)
    assert [text for text, _, _ in lists] == [
        "Servicerammen, som udgør rammen for, hvor meget kommunen kan anvende til "
        "driftsudgifter skal ligge på niveau med KL's udmeldte ramme for 2018.",
        POINTS[0],
    ]
    assert [start for _, _, start in lists] == ["1", "1"]
    assert len({num for _, num, _ in lists}) == 2
    assert wordcheck.problems(output) == []
    shown = subprocess.run(
        ["pdftotext", "-layout", str(libreoffice_pdfs / "out.pdf"), "-"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    numbers = re.findall(rf"^\s*(\d+)\.\s+({'|'.join(POINTS)})", shown, re.M)
    assert numbers == [("1", POINTS[0]), ("2", POINTS[1]), ("3", POINTS[2])]


# --- 9: headers and footers named as Word names them, and checked as the body is -------------

UNCLOSED = "a tag is not closed in the same paragraph; every {{ needs its }}"


def second_section(footer: str) -> Callable[[Any], None]:
    """Add a section (as for a landscape page) whose footer, not linked, holds `footer`."""

    def change(document: Any) -> None:
        document.add_section()
        section = document.sections[1]
        section.footer.is_linked_to_previous = False
        section.footer.paragraphs[0].text = footer

    return change


def even_pages(footer: str) -> Callable[[Any], None]:
    """Switch on Different Odd & Even Pages and give the even pages' footer `footer`."""

    def change(document: Any) -> None:
        document.settings.odd_and_even_pages_header_footer = True
        document.sections[0].even_page_footer.paragraphs[0].text = footer

    return change


CASES = {
    "missing-brace-in-footer": (
        lambda path: variant(path, footer_with("{{ round_label } ")),
        [f'the footer, paragraph 1 ("{{{{ round_label }} Side 1"): {UNCLOSED}'],
    ),
    "enter-inside-a-header-tag": (
        lambda path: with_header(path, "Ballerup Kommune {{ round_", "label }}"),
        [
            f'the header, paragraph 2 ("Ballerup Kommune {{{{ round_"): {UNCLOSED}',
            f'the header, paragraph 3 ("label }}}}"): {UNCLOSED}',
        ],
    ),
    "typo-in-the-first-page-header": (
        lambda path: with_header(path, "Ballerup Kommune", first_page="{{ round_labl }}"),
        [
            'the first page\'s header, paragraph 1 ("{{ round_labl }}"): unknown variable '
            "'round_labl'; did you mean 'round_label'?"
        ],
    ),
    "typo-in-the-even-pages-footer": (
        lambda path: built(path, even_pages("{{ round_labl }}")),
        [
            'the even pages\' footer, paragraph 1 ("{{ round_labl }}"): unknown variable '
            "'round_labl'; did you mean 'round_label'?"
        ],
    ),
    "missing-brace-in-the-second-sections-footer": (
        lambda path: built(path, second_section("Bilag {{ round_label }")),
        [f'the footer of section 2, paragraph 1 ("Bilag {{{{ round_label }}"): {UNCLOSED}'],
    ),
    "header-logo-linked-not-inserted": (
        lambda path: with_header(
            path,
            "Ballerup Kommune",
            edits={
                "word/_rels/header1.xml.rels": replace(
                    'Target="media/image1.png"',
                    'Target="https://intranet.example/logo.png" TargetMode="External"',
                )
            },
        ),
        [
            "the header has a picture linked to https://intranet.example/logo.png; insert it "
            "instead of linking it, or delete it"
        ],
    ),
}


@pytest.mark.parametrize("case", CASES)
def test_a_mistake_in_a_header_or_footer_is_named_as_word_names_it(
    tmp_path: Path, case: str
) -> None:
    make, expected = CASES[case]
    template = make(tmp_path / "t.docx")
    assert texts(check_template(template)) == expected


def test_the_same_mistake_gets_the_same_message_in_the_footer_as_in_the_body(
    tmp_path: Path,
) -> None:
    guide = "<w:t>Definition af smileys på indsats:</w:t>"
    body = variant(
        tmp_path / "body.docx",
        {"word/document.xml": replace(guide, "<w:t>{{ round_label } Definition:</w:t>")},
    )
    footer = variant(tmp_path / "footer.docx", footer_with("{{ round_label } "))
    [in_body] = texts(check_template(body))
    [in_footer] = texts(check_template(footer))
    assert in_body.split('"): ')[1] == in_footer.split('"): ')[1] == UNCLOSED
    assert in_footer.startswith('the footer, paragraph 1 ("{{ round_label } ')


@pytest.mark.parametrize(
    ("text", "start"),
    [
        ("{% if round_label %}", 'near the footer, paragraph 1 ("{% if round_label %} Side 1")'),
        ("{{ 1 // 0 }}", 'the footer, paragraph 1 ("{{ 1 // 0 }} Side 1"): '),
    ],
    ids=["unclosed-block", "fails-when-it-runs"],
)
def test_other_footer_problems_name_the_footer_not_its_part(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], text: str, start: str
) -> None:
    template = variant(tmp_path / "t.docx", footer_with(text + " "))
    code, _, err = run_cli(capsys, "check-template", template)
    assert code == 1
    assert err.startswith(f"{template}: {start}"), err
    assert "footer1" not in err


def test_a_header_no_page_shows_is_named_so(tmp_path: Path) -> None:
    """A header part no section refers to (left behind by an edit) is still checked, named."""
    template = with_header(
        tmp_path / "t.docx",
        "{{ round_labl }}",
        edits={
            "word/document.xml": replace('<w:headerReference w:type="default" r:id="rId4"/>', "")
        },
    )
    assert texts(check_template(template)) == [
        'a header that no page shows, paragraph 2 ("{{ round_labl }}"): unknown variable '
        "'round_labl'; did you mean 'round_label'?"
    ]
