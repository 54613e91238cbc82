"""The centres' forms: one per responsible centre, clean Word, controls tagged and prefilled."""

from __future__ import annotations

import shutil
import subprocess
import zipfile
from pathlib import Path

import docx
import pytest
from lxml import etree

import followupdocs
import wordcheck
import wordfill
from followupdocs import Agreement, FormError
from followupdocs._docx.controls import centre_id
from followupdocs._forms import centres, form_agreement_id, form_bytes, write_forms
from helpers import EXAMPLE, needs_soffice
from helpers import run_cli as run
from test_render import GUIDE_ALT_TEXTS

W = wordfill.W
NS = {"w": W}
WP = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"
CENTRE = "Økonomi og Styring"  # 2.02.1, 2.02.2, 2.02.3, 5.07, 8.08 in the example

# One xdist worker writes the module's round-2 forms (0.5 s), not each worker that runs a test.
pytestmark = pytest.mark.xdist_group("forms")


@pytest.fixture(scope="module")
def round2(example: Agreement, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The example's forms for round 2, one per centre."""
    return write_forms(example, tmp_path_factory.mktemp("forms"), round=2)


def document(path: Path) -> etree._Element:
    with zipfile.ZipFile(path) as z:
        return etree.fromstring(z.read("word/document.xml"))


def control(path: Path, tag: str) -> etree._Element:
    found = wordfill.controls(document(path))[tag]
    assert len(found) == 1
    return found[0]


def shown(sdt: etree._Element) -> str:
    """Return a control's text with Word's line breaks as newlines."""
    parts = []
    for element in sdt.find("w:sdtContent", NS).iter(f"{{{W}}}t", f"{{{W}}}br"):
        parts.append("\n" if element.tag == f"{{{W}}}br" else element.text or "")
    return "".join(parts)


def placeholder(sdt: etree._Element) -> bool:
    return sdt.find("w:sdtPr/w:showingPlcHdr", NS) is not None


def items(sdt: etree._Element) -> list[tuple[str, str]]:
    listing = sdt.find("w:sdtPr/w:dropDownList", NS)
    return [
        (i.get(f"{{{W}}}value"), i.get(f"{{{W}}}displayText"))
        for i in listing.findall("w:listItem", NS)
    ]


def card_titles(path: Path) -> list[str]:
    return [
        t.rows[0].cells[0].text
        for t in docx.Document(str(path)).tables
        if [c.text for c in t.rows[0].cells[3:]] == ["Tid", "Smiley"]
    ]


def test_one_form_per_centre_with_its_cards(example: Agreement, round2: dict[str, Path]) -> None:
    assert list(round2) == centres(example)
    assert len(round2) == 9
    assert round2[CENTRE].name == "skema-runde2-oekonomi-og-styring.docx"
    assert round2["0-25 års udvalget"].name == "skema-runde2-0-25-aars-udvalget.docx"
    for centre, path in round2.items():
        mine = [i for i in example.initiatives if i.responsible_centre == centre]
        assert card_titles(path) == [f"{i.number}. {i.title}" for i in mine]
    assert sum(len(card_titles(p)) for p in round2.values()) == 35


def test_forms_are_clean_word(round2: dict[str, Path]) -> None:
    for path in round2.values():
        assert wordcheck.problems(path) == [], path.name
        assert wordcheck.card_layout_problems(path) == [], path.name


def test_the_controls_validate_against_the_ooxml_schemas(round2: dict[str, Path]) -> None:
    folder = wordcheck.schema_dir()
    if folder is None:
        pytest.skip("the OOXML schemas are not available")
    path = round2[CENTRE]
    with zipfile.ZipFile(path) as z:
        xml = z.read("word/document.xml")
        styles = z.read("word/styles.xml")
    assert xml.count(b"<w:sdt>") == 1 + 3 * 5
    assert wordcheck.xsd_problems(xml, folder) == []
    # The Placeholder Text style the form adds is valid too.
    assert wordcheck.xsd_problems(styles, folder) == []
    broken = xml.replace(b"<w:tag ", b"<w:tagg ", 1)
    assert wordcheck.xsd_problems(broken, folder)


def test_title_heading_and_properties(example: Agreement, round2: dict[str, Path]) -> None:
    form = docx.Document(str(round2[CENTRE]))
    title = document(round2[CENTRE]).find("w:body/w:sdt/w:sdtContent/w:p", NS)
    assert "".join(title.itertext()) == "Status til 2. budgetopfølgning 2018"
    assert title.find("w:pPr/w:pStyle", NS).get(f"{{{W}}}val") == form.styles["Title"].style_id
    paragraphs = form.paragraphs  # python-docx lists the body's own paragraphs only
    assert paragraphs[0].text == f"Ansvarligt center: {CENTRE}"
    headings = [p.text for p in paragraphs if p.style.name == "Heading 1"]
    themes = [
        t for t in example.themes if any(i.responsible_centre == CENTRE for i in t.initiatives)
    ]
    assert [t.number for t in themes] == ["2", "5", "8"]
    assert headings == ["Sådan udfylder du skemaet"] + [f"{t.number}. {t.title}" for t in themes]
    properties = form.core_properties
    assert properties.title == f"Status til 2. budgetopfølgning 2018: {CENTRE}"
    assert properties.language == "da-DK"
    assert properties.subject == "Aftale om budget 2018, Økonomiudvalget"


def test_every_initiative_has_three_tagged_controls_for_the_round(
    example: Agreement, round2: dict[str, Path]
) -> None:
    for centre, path in round2.items():
        marker = f"followupdocs:form:{form_agreement_id(example)}:2:{centre_id(centre)}"
        expected = [marker] + [
            f"followupdocs:{i.number}:2:{field}"
            for i in example.initiatives
            if i.responsible_centre == centre
            for field in ("status", "smiley", "economy")
        ]
        assert wordfill.tags(path) == expected
    ids = [
        i.get(f"{{{W}}}val")
        for path in round2.values()
        for i in document(path).iter(f"{{{W}}}id")
        if i.getparent().tag == f"{{{W}}}sdtPr"
    ]
    assert len(ids) == sum(len(wordfill.tags(p)) for p in round2.values())
    for path in round2.values():
        mine = [i.get(f"{{{W}}}val") for i in document(path).iter(f"{{{W}}}id")]
        assert len(mine) == len(set(mine)), "control ids must be unique within a form"


def test_the_title_control_wraps_the_title(round2: dict[str, Path]) -> None:
    root = document(round2[CENTRE])
    first = root.find("w:body", NS)[0]
    assert first.tag == f"{{{W}}}sdt"
    assert first.find("w:sdtPr/w:tag", NS).get(f"{{{W}}}val").startswith("followupdocs:form:")
    paragraph = first.find("w:sdtContent/w:p", NS)
    assert "".join(paragraph.itertext()) == "Status til 2. budgetopfølgning 2018"


def test_empty_controls_show_placeholders(round2: dict[str, Path]) -> None:
    path = round2[CENTRE]
    status = control(path, "followupdocs:2.02.1:2:status")
    assert placeholder(status)
    assert shown(status) == "Skriv status her"
    assert status.find("w:sdtPr/w:text", NS).get(f"{{{W}}}multiLine") == "1"
    style = status.find("w:sdtContent/w:r/w:rPr/w:rStyle", NS)
    assert style.get(f"{{{W}}}val") == "PlaceholderText"
    smiley = control(path, "followupdocs:2.02.1:2:smiley")
    assert placeholder(smiley)
    assert shown(smiley) == "Vælg smiley"
    assert smiley.find("w:sdtPr/w:dropDownList", NS).get(f"{{{W}}}lastValue") is None


def test_drop_down_lists(round2: dict[str, Path]) -> None:
    path = round2[CENTRE]
    assert items(control(path, "followupdocs:2.02.1:2:smiley")) == [
        ("", "Vælg smiley"),
        ("grøn", "Grøn"),
        ("gul", "Gul"),
        ("rød", "Rød"),
    ]
    assert items(control(path, "followupdocs:2.02.1:2:economy")) == [
        ("", "Vælg smiley"),
        ("grøn", "Grøn"),
        ("rød", "Rød"),
    ]
    aliases = [
        a.get(f"{{{W}}}val") for a in document(path).iter(f"{{{W}}}alias")
    ]  # what Word shows on the control's frame
    assert aliases[:4] == [
        "Skemaets aftale, opfølgning og center",
        "Status 2.02.1",
        "Smiley milepæl 2.02.1",
        "Smiley økonomi 2.02.1",
    ]


def test_controls_are_prefilled_with_what_the_yaml_holds(
    example: Agreement, tmp_path: Path
) -> None:
    path = tmp_path / "round1.docx"
    path.write_bytes(form_bytes(example, CENTRE, round=1))
    status = control(path, "followupdocs:2.02.1:1:status")
    assert not placeholder(status)
    assert shown(status) == (
        "Sagen har endnu ikke været forelagt Økonomiudvalget. Den vil formenligt blive forelagt "
        "i maj 2018."
    )
    assert status.find("w:sdtContent/w:r/w:rPr", NS) is None  # ordinary text, not grey
    smiley = control(path, "followupdocs:2.02.1:1:smiley")
    assert not placeholder(smiley)
    assert shown(smiley) == "Gul"
    assert smiley.find("w:sdtPr/w:dropDownList", NS).get(f"{{{W}}}lastValue") == "gul"
    economy = control(path, "followupdocs:8.08:1:economy")
    assert shown(economy) == "Grøn"
    assert placeholder(control(path, "followupdocs:2.02.1:1:economy"))  # no economy smiley yet


def test_a_status_of_several_paragraphs_is_one_line_each(tmp_path: Path) -> None:
    agreement = small(status="Første afsnit\nfortsat.\n\n• et punkt\n• et andet\n\n1. a\n2. b")
    path = tmp_path / "form.docx"
    path.write_bytes(form_bytes(agreement, "Center A", round=1))
    status = control(path, "followupdocs:1.01:1:status")
    assert shown(status) == "Første afsnit fortsat.\n• et punkt\n• et andet\n1. a\n2. b"
    assert status.find("w:sdtContent/w:r/w:br", NS) is not None  # Word's own line break
    assert wordcheck.problems(path) == []


def test_earlier_rounds_show_images_later_rounds_no_smiley(
    example: Agreement, round2: dict[str, Path]
) -> None:
    form = docx.Document(str(round2[CENTRE]))
    alts = [d.get("descr") for d in form.element.body.iter(f"{{{WP}}}docPr")]
    guide = alts[:5]
    assert guide == GUIDE_ALT_TEXTS
    mine = [i for i in example.initiatives if i.responsible_centre == CENTRE]
    assert len(alts) == 5 + sum(1 for i in mine if i.smiley_at(round=1) is not None)
    card = next(t for t in form.tables if t.rows[0].cells[0].text.startswith("2.02.1."))
    rows = card.rows[2:6]
    assert [r.cells[3].text for r in rows] == list(example.rounds)
    assert "Status:\nSagen har endnu ikke" in "\n".join(p.text for p in rows[0].cells[1].paragraphs)
    assert rows[2].cells[4].text == "" and rows[3].cells[4].text == ""
    assert card.rows[-1].cells[0].text == "Økonomi"
    assert card.rows[-1].cells[3].text == "2. budgetopfølgning 2018"


def test_only_the_named_centre(example: Agreement, tmp_path: Path) -> None:
    written = write_forms(example, tmp_path, round=3, centre="økonomi  og styring", prefix="x")
    assert list(written) == [CENTRE]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["x-oekonomi-og-styring.docx"]


def test_an_unknown_centre_is_an_error_with_a_suggestion(
    example: Agreement, tmp_path: Path
) -> None:
    with pytest.raises(FormError, match="did you mean 'Økonomi og Styring'"):
        write_forms(example, tmp_path, round=2, centre="Økonomi og Styrring")
    with pytest.raises(FormError, match="the centres are 0-25 års udvalget, Arbejdsmarked"):
        write_forms(example, tmp_path, round=2, centre="Teknik")
    assert list(tmp_path.iterdir()) == []


def test_a_round_outside_the_agreement(example: Agreement, tmp_path: Path) -> None:
    with pytest.raises(followupdocs.RoundError, match="rounds 1 to 4"):
        write_forms(example, tmp_path, round=5)
    assert list(tmp_path.iterdir()) == []


def test_centres_whose_names_make_the_same_file_name(tmp_path: Path) -> None:
    agreement = small()
    second = (
        agreement.themes[0]
        .initiatives[0]
        .model_copy(update={"number": "1.02", "responsible_centre": "Center-A"})
    )
    theme = agreement.themes[0].model_copy(
        update={"initiatives": [*agreement.themes[0].initiatives, second]}
    )
    agreement = agreement.model_copy(update={"themes": [theme]})
    written = write_forms(agreement, tmp_path, round=1)
    assert {c: p.name for c, p in written.items()} == {
        "Center A": "skema-runde1-center-a.docx",
        "Center-A": "skema-runde1-center-a-2.docx",
    }


def small(**milestone: str) -> Agreement:
    """Return a one-card agreement whose round-1 milestone is `milestone`."""
    return Agreement(
        municipality="Ballerup Kommune",
        name="Aftale om budget 2026",
        committee="Teknik- og Miljøudvalget",
        rounds=["1. budgetopfølgning 2026", "31.12.2026"],
        themes=[
            {
                "number": "1",
                "title": "Tema",
                "initiatives": [
                    {
                        "number": "1.01",
                        "title": "Et kort",
                        "kind": "Drift",
                        "responsible_centre": "Center A",
                        "responsible_committee": "Udvalg A",
                        "milestones": {1: {"text": "Milepæl", **milestone}},
                    }
                ],
            }
        ],
    )


@pytest.mark.soffice
@needs_soffice
def test_pdf_of_a_form(round2: dict[str, Path], tmp_path: Path) -> None:
    pdf = followupdocs.to_pdf(round2[CENTRE], tmp_path / "form.pdf")
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    flat = " ".join(text.split())
    assert "Status til 2. budgetopfølgning 2018" in flat
    # "Vælg smiley" wraps onto two lines in the card's 1.8 cm smiley column.
    placeholders = flat.count("Vælg") - flat.count("Vælg milepælens smiley")
    assert placeholders == 2 * 5 and flat.count("smiley") >= 2 * 5
    assert flat.count("Skriv status her") == 5
    for number in ("2.02.1.", "2.02.2.", "2.02.3.", "5.07.", "8.08."):
        assert number in flat


# --- the command line ---------------------------------------------------------------------------


@pytest.fixture
def here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Work in a folder holding a copy of the example, as the secretariat does."""
    monkeypatch.chdir(tmp_path)
    shutil.copyfile(EXAMPLE, tmp_path / "oekonomiudvalget-2018.yaml")
    return tmp_path


def test_cli_writes_a_form_per_centre(here: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = here / "oekonomiudvalget-2018.yaml"
    before = (source.read_bytes(), source.stat().st_mtime_ns)
    (here / "skemaer").mkdir()

    code, out, err = run(capsys, "forms", source.name, "--round", "2", "--outdir", "skemaer")

    assert code == 0, err
    assert err == ""
    lines = out.splitlines()
    assert lines[0] == (
        "skemaer/oekonomiudvalget-2018-runde2-0-25-aars-udvalget.docx "
        "(0-25 års udvalget, 1 initiative)"
    )
    assert (
        "skemaer/oekonomiudvalget-2018-runde2-ejendomme.docx (Ejendomme, 11 initiatives)" in lines
    )
    assert lines[-1] == (
        "wrote 9 forms for 2. budgetopfølgning 2018; read them back with: followupdocs collect "
        "oekonomiudvalget-2018.yaml FORM.docx..."
    )
    assert len(list((here / "skemaer").iterdir())) == 9
    assert (source.read_bytes(), source.stat().st_mtime_ns) == before


def test_cli_one_centre_into_the_current_folder(
    here: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(
        capsys, "forms", "oekonomiudvalget-2018.yaml", "--round", "3", "--centre", CENTRE
    )

    assert code == 0
    assert out.splitlines()[0] == (
        "oekonomiudvalget-2018-runde3-oekonomi-og-styring.docx (Økonomi og Styring, 5 initiatives)"
    )
    assert sorted(p.name for p in here.iterdir()) == [
        "oekonomiudvalget-2018-runde3-oekonomi-og-styring.docx",
        "oekonomiudvalget-2018.yaml",
    ]


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (
            ["--round", "2", "--centre", "Ejendome"],
            1,
            "oekonomiudvalget-2018.yaml: no initiative has the responsible centre 'Ejendome'; "
            "did you mean 'Ejendomme'?",
        ),
        (
            ["--round", "7"],
            1,
            "oekonomiudvalget-2018.yaml: round 7 does not exist; this agreement has rounds 1 to 4",
        ),
        (["--centre", CENTRE], 2, "the following arguments are required: --round"),
    ],
)
def test_cli_forms_problems(
    here: Path, capsys: pytest.CaptureFixture[str], args: list[str], code: int, message: str
) -> None:
    result, _, err = run(capsys, "forms", "oekonomiudvalget-2018.yaml", *args)

    assert result == code
    assert message in err
    if code != 2:
        assert err.splitlines() == [message]
    assert sorted(p.name for p in here.iterdir()) == ["oekonomiudvalget-2018.yaml"]


def test_cli_forms_from_an_invalid_file(here: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (here / "bad.yaml").write_text("kommune: x\n", encoding="utf-8")

    code, _, err = run(capsys, "forms", "bad.yaml", "--round", "1")

    assert code == 1
    assert "bad.yaml:1:1: aftale: the required key 'aftale' is missing" in err


@pytest.mark.parametrize("command", ["forms", "collect"])
def test_cli_help_has_an_example(capsys: pytest.CaptureFixture[str], command: str) -> None:
    code, out, err = run(capsys, command, "--help")

    assert code == 0
    assert err == ""
    assert f"usage: followupdocs {command}" in out
    assert f"example:\n  followupdocs {command} " in out
    assert "exit codes:" in out
