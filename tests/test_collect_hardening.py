"""Forms from outside: hostile variants of a real form, built here from a generated one.

Each test edits the XML of a form followupdocs wrote (tests/wordfill.py), the way a person,
another editor or an attacker could, and checks that collect reads what Word shows, answers
only for the form's own centre, and refuses what it cannot read with one located line.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from lxml import etree

import followupdocs
import wordfill
from followupdocs import collect
from helpers import forms_for, tag
from helpers import run_cli as run

W = wordfill.W
NS = wordfill.NS
ECONOMY = "Økonomi og Styring"  # 2.02.1, 2.02.2, 2.02.3, 5.07, 8.08
POLITICAL = "Politisk Sekretariat"  # 1.02 among others


def form(yaml_path: Path, centre: str = ECONOMY, round: int = 2) -> Path:
    return forms_for(yaml_path, round, yaml_path.parent / "forms", centre=centre)[centre]


def runs(xml: str) -> etree._Element:
    return etree.fromstring(f'<w:wrap xmlns:w="{W}">{xml}</w:wrap>')[0]


# --- item 7: tracked changes ------------------------------------------------------------------


def test_a_tracked_move_is_read_once(yaml_copy: Path) -> None:
    filled = form(yaml_copy)

    def edit(root: etree._Element) -> None:
        status = wordfill.controls(root)[tag("2.02.1", 2, "status")][0]
        wordfill.type_text(status, "Start")
        content = status.find("w:sdtContent", NS)
        r = '<w:r><w:t xml:space="preserve">{}</w:t></w:r>'
        content.append(
            runs(f'<w:moveFrom w:id="1" w:author="A">{r.format(" flyttet")}</w:moveFrom>')
        )
        content.append(
            etree.fromstring(f'<w:r xmlns:w="{W}"><w:t xml:space="preserve"> midte</w:t></w:r>')
        )
        content.append(runs(f'<w:moveTo w:id="2" w:author="A">{r.format(" flyttet")}</w:moveTo>'))
        content.append(runs(f'<w:del w:id="3" w:author="A">{r.format(" slettet")}</w:del>'))

    wordfill.edit_document(filled, edit)
    found = collect(followupdocs.load(yaml_copy), [filled])

    assert found.conflicts == ()
    assert [(c.number, c.field, c.new) for c in found.changes] == [
        ("2.02.1", "status", "Start midte flyttet")
    ]


# --- item 5: a form answers only for its own centre ---------------------------------------------


def _smuggle(yaml_path: Path, into: Path, number: str, centre: str) -> None:
    """Copy the status control of another centre's initiative into the form `into`."""
    other = form(yaml_path, centre)
    with __import__("zipfile").ZipFile(other) as package:
        donor = etree.fromstring(package.read("word/document.xml"))
    control = wordfill.controls(donor)[tag(number, 2, "status")][0]
    wordfill.type_text(control, "Smuglet status")

    def edit(root: etree._Element) -> None:
        paragraph = etree.SubElement(root.find("w:body", NS), f"{{{W}}}p")
        paragraph.append(control)
        root.find("w:body", NS).append(root.find("w:body/w:sectPr", NS))  # sectPr stays last

    wordfill.edit_document(into, edit)


def test_a_field_of_another_centres_initiative_is_a_conflict(
    yaml_copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    filled = form(yaml_copy)
    wordfill.fill(filled, {tag("2.02.1", 2, "smiley"): "Gul"})
    _smuggle(yaml_copy, filled, "1.02", POLITICAL)
    before = yaml_copy.read_bytes()

    found = collect(followupdocs.load(yaml_copy), [filled])
    assert found.conflicts == (
        f"{filled}: 1.02: the status field belongs to {POLITICAL}'s initiative, but the form "
        f"is {ECONOMY}'s; a form answers only for its own centre",
    )
    assert [c.number for c in found.changes] == ["2.02.1"]

    code, _, err = run(capsys, "collect", yaml_copy, filled, "--write")
    assert code == 1
    assert "a form answers only for its own centre" in err
    assert yaml_copy.read_bytes() == before


# --- item 9: a damaged tag ----------------------------------------------------------------------


@pytest.mark.parametrize("round_text", ["²", "x", ""])
def test_a_tag_whose_round_is_not_a_number(yaml_copy: Path, round_text: str) -> None:
    filled = form(yaml_copy)

    def edit(root: etree._Element) -> None:
        for element in root.iter(f"{{{W}}}tag"):
            if element.get(f"{{{W}}}val") == tag("2.02.1", 2, "status"):
                element.set(f"{{{W}}}val", f"followupdocs:2.02.1:{round_text}:status")

    wordfill.edit_document(filled, edit)
    found = collect(followupdocs.load(yaml_copy), [filled])
    damaged = [c for c in found.conflicts if "is damaged" in c]
    assert damaged == [
        f"{filled}: a field's tag 'followupdocs:2.02.1:{round_text}:status' is damaged, so it "
        "is not known what it answers; write a new form and copy the answers into it"
    ]


# --- item 14: a DTD, entities, and characters XML does not allow --------------------------------


def _rewrite(path: Path, change: object) -> None:
    """Rewrite word/document.xml's bytes with `change` (bytes -> bytes), keeping the rest."""
    import zipfile

    tmp = path.with_name(path.name + ".tmp")
    with zipfile.ZipFile(path) as zin, zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename == "word/document.xml":
                data = change(data)  # type: ignore[operator]
            zout.writestr(item, data)
    tmp.replace(path)


def _with_dtd(data: bytes) -> bytes:
    declaration, _, rest = data.partition(b"?>")
    doctype = b'<!DOCTYPE w:document [<!ENTITY svar "Smuglet svar">]>'
    rest = rest.replace(b"Skriv status her", b"&svar;", 1).replace(b"<w:showingPlcHdr/>", b"", 1)
    return declaration + b"?>" + doctype + rest


def test_a_form_with_a_dtd_is_refused(yaml_copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    filled = form(yaml_copy)
    _rewrite(filled, _with_dtd)
    before = yaml_copy.read_bytes()

    found = collect(followupdocs.load(yaml_copy), [filled])
    assert found.conflicts == (
        f"{filled}: word/document.xml holds a document type declaration (<!DOCTYPE>, "
        "entities), which Word never writes; open the form in Word and save it again",
    )
    code, _, err = run(capsys, "collect", yaml_copy, filled, "--write")
    assert code == 1 and "document type declaration" in err
    assert yaml_copy.read_bytes() == before


@pytest.mark.parametrize(
    ("character", "reason"),
    [
        (b"\x00", "Char 0x0 out of allowed range"),
        (b"&#0;", "invalid xmlChar value 0"),
        (b"\x01", "PCDATA invalid Char value 1"),
    ],
)
def test_a_character_xml_does_not_allow_is_one_line(
    yaml_copy: Path, capsys: pytest.CaptureFixture[str], character: bytes, reason: str
) -> None:
    filled = form(yaml_copy)
    _rewrite(filled, lambda data: data.replace(b"Skriv status her", b"Skriv " + character, 1))

    code, _, err = run(capsys, "collect", yaml_copy, filled)
    assert code == 1
    (line,) = err.splitlines()
    assert line.startswith(f"{filled}: the document is damaged (word/document.xml, line ")
    assert line.endswith(f"{reason})")
