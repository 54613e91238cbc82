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
from pathlib import Path

import docx
import pytest
from docx.shared import Cm
from lxml import etree
from PIL import Image as PILImage

import followupdocs
import wordcheck
from followupdocs import Agreement, check_template
from followupdocs._docx.smileys import picture
from helpers import needs_soffice
from wordlike import DEFAULT, replace, variant

R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PR = "http://schemas.openxmlformats.org/package/2006/relationships"
A = "http://schemas.openxmlformats.org/drawingml/2006/main"
WP = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"
FOOTER = "word/footer1.xml"
SIDE = '<w:t xml:space="preserve">Side </w:t>'
GREEN_ALT = "Grøn smiley: milepælen er opfyldt"
LOGO_ALT = "Ballerup Kommunes logo"
RED_ALT = "Rød smiley: milepælen er ikke opfyldt, og målet er ikke realistisk inden for perioden"


def footer_with(text: str) -> dict[str, object]:
    """The edit putting `text` in front of "Side" in the default template's footer."""
    return {FOOTER: replace(SIDE, f'<w:t xml:space="preserve">{text}Side </w:t>')}


def logo() -> io.BytesIO:
    """A small blue PNG standing in for the municipality's logo."""
    data = io.BytesIO()
    PILImage.new("RGB", (40, 20), (0, 70, 140)).save(data, format="PNG")
    data.seek(0)
    return data


def with_header(path: Path, *paragraphs: str, first_page: str | None = None) -> Path:
    """Copy the default template with a header: the logo and `paragraphs`, as Word adds one.

    `first_page` also gives the first page a header of its own (Different First Page).
    """
    document = docx.Document(str(DEFAULT))
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
    built = path.with_name(path.stem + "-built.docx")
    document.save(str(built))
    return variant(path, {}, source=built)


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


@needs_soffice
@pytest.mark.soffice
def test_libreoffice_shows_the_footer_smiley_on_every_page(
    tmp_path: Path, example: Agreement
) -> None:
    """Each page of the PDF has one picture more than with the default template: the footer's."""
    template = variant(tmp_path / "t.docx", footer_with("{{ smileys.yellow }} "))
    with_smiley = followupdocs.render(example, tmp_path / "smiley.docx", round=1, template=template)
    plain = followupdocs.render(example, tmp_path / "plain.docx", round=1)
    subprocess.run(
        [
            shutil.which("soffice") or "soffice",
            f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path / "pdf"),
            str(with_smiley),
            str(plain),
        ],
        check=True,
        capture_output=True,
        timeout=600,
    )
    smiley_pages = pictures_per_page(tmp_path / "pdf" / "smiley.pdf")
    plain_pages = pictures_per_page(tmp_path / "pdf" / "plain.pdf")
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
