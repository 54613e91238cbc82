"""Forms saved in LibreOffice: fields found again by their bookmarks, read as LibreOffice wrote.

LibreOffice 7.4 drops every content control's w:tag (and a drop-down's alias and id) when it
saves a .docx. The LibreOffice tests make their fixtures with LibreOffice itself: a headless
conversion (open and save), and a form filled through LibreOffice's UNO interface by
`lofill.py`, run with a Python that has LibreOffice's `uno` module (Debian: python3-uno).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pytest
from lxml import etree

import wordfill
from followupdocs import Agreement, collect, write_forms
from followupdocs._docx.controls import (
    FieldTag,
    Marker,
    bookmark_name,
    number_code,
    parse_bookmark,
    parse_tag,
)
from followupdocs._docx.readback import controls
from followupdocs.cli import main
from helpers import needs_soffice, soffice_convert

W = wordfill.W
NS = {"w": W}
HERE = Path(__file__).resolve().parent
EXAMPLE = HERE.parent / "examples" / "oekonomiudvalget-2018.yaml"
WORD_NAME = re.compile(r"[A-Za-z][A-Za-z0-9_]{0,39}")  # what Word accepts as a bookmark name
SECTION = (
    "Arbejdsmarked"  # 7.05 and 7.09 in the example; 7.09 has a two-paragraph status at round 1
)


def _w(name: str) -> str:
    return f"{{{W}}}{name}"


def document(path: Path) -> etree._Element:
    with zipfile.ZipFile(path) as z:
        return etree.fromstring(z.read("word/document.xml"))


def identities(path: Path) -> list[Marker | FieldTag | None]:
    """Return what every followupdocs control of a form says it is, in document order."""
    return [control.what for control in controls(document(path))]


def strip_tags(root: etree._Element) -> None:
    """Remove what LibreOffice 7.4 removes on saving: every tag, and a drop-down's alias and id."""
    for properties in root.iter(_w("sdtPr")):
        for child in properties.findall("w:tag", NS):
            properties.remove(child)
        if properties.find("w:dropDownList", NS) is not None:
            for child in properties.findall("w:alias", NS) + properties.findall("w:id", NS):
                properties.remove(child)


def strip_bookmarks(root: etree._Element) -> None:
    """Remove every bookmark: a form as followupdocs wrote it before it named fields twice."""
    for element in list(root.iter(_w("bookmarkStart"), _w("bookmarkEnd"))):
        element.getparent().remove(element)


# --- the names, without LibreOffice -------------------------------------------------------------


def test_every_control_sits_in_a_bookmark_saying_what_its_tag_says(
    example: Agreement, tmp_path: Path
) -> None:
    for path in write_forms(example, tmp_path, round=2).values():
        root = document(path)
        names = [b.get(_w("name")) for b in root.iter(_w("bookmarkStart"))]
        assert len(names) == len(set(names))
        assert all(WORD_NAME.fullmatch(name) for name in names), names
        tags = [t.get(_w("val")) for t in root.iter(_w("tag"))]
        assert [parse_bookmark(name) for name in names] == [parse_tag(tag) for tag in tags]
        strip_tags(root)
        assert [c.what for c in controls(root)] == [parse_tag(tag) for tag in tags]


@pytest.mark.parametrize(
    ("number", "spelled"),
    [
        ("1.02", "1.02"),
        ("2.02.1", "2.02.1"),
        ("3.04a", "3.04a"),
        ("3.04A", None),  # Word compares bookmark names regardless of case
        ("1:2", None),
        ("Ø.1", None),
        ("1..2", None),
        ("1.2.3.4.5.6.7.8.9.10.11.12.13.14.15", None),  # too long to spell
    ],
)
def test_a_bookmark_name_spells_a_number_or_stands_for_it(number: str, spelled: str | None) -> None:
    for what in (FieldTag(number, 12, "status"), FieldTag(number, 1, "economy")):
        name = bookmark_name(what)
        assert WORD_NAME.fullmatch(name), name
        expected = spelled if spelled is not None else f"#{number_code(number)}"
        assert parse_bookmark(name) == FieldTag(expected, what.round, what.field)
    marker = Marker("efd8951ee7db", 4, "0422cc9c")
    assert parse_bookmark(bookmark_name(marker)) == marker


def test_other_bookmarks_are_not_fields() -> None:
    for name in (
        "fud_",
        "fud_x2_n1",
        "fud_s_n1",
        "fud_s2_n",
        "fud_form_ab_x_cd",
        "_GoBack",
        "s2_n1",
    ):
        assert parse_bookmark(name) is None


def _odd_numbers() -> Agreement:
    """An agreement whose numbers no bookmark name can spell, in one centre."""
    initiatives = [
        {
            "number": number,
            "title": f"Kort {number}",
            "kind": "Drift",
            "responsible_centre": "Center A",
            "responsible_committee": "Udvalg A",
            "milestones": {1: {"text": "Milepæl"}},
        }
        for number in ("1:A", "1.B", "Ø2")
    ]
    return Agreement(
        municipality="Kommune",
        name="Aftale",
        committee="Udvalg",
        rounds=["1. opfølgning"],
        themes=[{"number": "1", "title": "Tema", "initiatives": initiatives}],
    )


def test_a_form_without_its_tags_is_read_by_its_bookmarks(tmp_path: Path) -> None:
    agreement = _odd_numbers()
    (path,) = write_forms(agreement, tmp_path, round=1).values()
    wordfill.fill(
        path,
        {
            "followupdocs:1:A:1:status": "Første\nAnden",
            "followupdocs:1.B:1:smiley": "Gul",
            "followupdocs:Ø2:1:economy": "Rød",
        },
    )
    wordfill.edit_document(path, strip_tags)
    assert wordfill.tags(path) == []

    found = collect(agreement, [path])

    assert found.conflicts == ()
    assert [(c.number, c.field, c.new) for c in found.changes] == [
        ("1:A", "status", "Første\n\nAnden"),
        ("1.B", "milestone", "gul"),
        ("Ø2", "economy", "rød"),
    ]


def test_the_placeholder_libreoffice_leaves_as_text_is_no_answer(
    example: Agreement, tmp_path: Path
) -> None:
    path = write_forms(example, tmp_path, round=2, centre=SECTION)[SECTION]

    def as_libreoffice_saves(root: etree._Element) -> None:
        strip_tags(root)
        for flag in root.findall(".//w:sdtPr/w:showingPlcHdr", NS):
            if flag.getparent().find("w:text", NS) is not None:
                flag.getparent().remove(flag)

    wordfill.edit_document(path, as_libreoffice_saves)
    found = collect(example, [path])
    assert (found.changes, found.conflicts, found.notes) == ((), (), ())


def _move_breaks_out(root: etree._Element) -> None:
    """Do what LibreOffice 7.4 does on opening: a text control's line breaks go before it."""
    for properties in root.iter(_w("sdtPr")):
        if properties.find("w:text", NS) is None:
            continue
        sdt = properties.getparent()
        breaks = sdt.findall(".//w:sdtContent//w:br", NS)
        for br in breaks:
            br.getparent().remove(br)
            run = etree.Element(_w("r"))
            run.append(br)
            sdt.addprevious(run)


def test_a_status_whose_line_breaks_libreoffice_moved_out_is_unchanged(
    example: Agreement, tmp_path: Path
) -> None:
    path = write_forms(example, tmp_path, round=1, centre=SECTION)[SECTION]
    wordfill.edit_document(path, lambda root: (strip_tags(root), _move_breaks_out(root)))

    found = collect(example, [path])

    assert (found.changes, found.conflicts, found.notes) == ((), (), ())


def test_a_joined_status_that_was_also_edited_is_a_change(
    example: Agreement, tmp_path: Path
) -> None:
    path = write_forms(example, tmp_path, round=1, centre=SECTION)[SECTION]

    def edit(root: etree._Element) -> None:
        strip_tags(root)
        _move_breaks_out(root)
        start = next(
            b for b in root.iter(_w("bookmarkStart")) if b.get(_w("name")) == "fud_s1_n7_09"
        )
        last = next(start.itersiblings(_w("sdt"))).findall(".//w:t", NS)[-1]
        last.text += " Tilføjet."

    wordfill.edit_document(path, edit)
    found = collect(example, [path])

    assert found.conflicts == ()
    (change,) = found.changes
    assert (change.number, change.field) == ("7.09", "status")
    assert "indsatsen.Processen" in change.new and change.new.endswith("juni 2018. Tilføjet.")


def test_a_status_typed_with_enter_in_libreoffice_is_read_whole(
    example: Agreement, tmp_path: Path
) -> None:
    path = write_forms(example, tmp_path, round=2, centre=SECTION)[SECTION]

    def as_libreoffice_saves_enter(root: etree._Element) -> None:
        """The first paragraph stays in the control, the next follows it, in the bookmark."""
        strip_tags(root)
        start = next(
            b for b in root.iter(_w("bookmarkStart")) if b.get(_w("name")) == "fud_s2_n7_05"
        )
        sdt = next(start.itersiblings(_w("sdt")))
        end = next(
            e for e in root.iter(_w("bookmarkEnd")) if e.get(_w("id")) == start.get(_w("id"))
        )
        end.getparent().remove(end)
        wordfill.show(sdt, "Første linje")
        sdt.find("w:sdtContent", NS).insert(0, start)
        paragraph = sdt.getparent()
        ghost = etree.fromstring(
            f'<w:p xmlns:w="{W}"><w:r><w:t>Anden linje</w:t></w:r><w:sdt><w:sdtPr><w:text/>'
            "</w:sdtPr><w:sdtContent><w:r/></w:sdtContent></w:sdt></w:p>"
        )
        ghost.append(end)
        paragraph.addnext(ghost)

    wordfill.edit_document(path, as_libreoffice_saves_enter)
    found = collect(example, [path])

    assert found.conflicts == ()
    assert [(c.number, c.field, c.new) for c in found.changes] == [
        ("7.05", "status", "Første linje\n\nAnden linje")
    ]


def _with_app(path: Path, application: str, version: str) -> None:
    """Rewrite docProps/app.xml to say which program saved the file."""
    app = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/'
        f'extended-properties"><Application>{application}</Application>'
        f"<AppVersion>{version}</AppVersion></Properties>"
    )
    tmp = path.with_name(path.name + ".tmp")
    with zipfile.ZipFile(path) as zin, zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            data = app.encode() if item.filename == "docProps/app.xml" else zin.read(item.filename)
            zout.writestr(item, data)
    shutil.move(tmp, path)


@pytest.mark.parametrize(
    ("application", "version", "named"),
    [
        ("Microsoft Office Word", "16.0000", "Microsoft Office Word 16.0000"),
        (
            "LibreOffice/7.4.7.2$Linux_X86_64 LibreOffice_project/40$Build-2",
            "15.0000",
            "LibreOffice 7.4.7.2",
        ),
    ],
)
def test_a_form_whose_fields_lost_their_names_says_why_and_who(
    example: Agreement, tmp_path: Path, application: str, version: str, named: str
) -> None:
    path = write_forms(example, tmp_path, round=2, centre=SECTION)[SECTION]
    wordfill.edit_document(path, lambda root: (strip_tags(root), strip_bookmarks(root)))
    _with_app(path, application, version)

    found = collect(example, [path])

    assert found.conflicts == (
        f"{path}: the form's 7 fields have lost the names that tell which initiative they "
        f"answer ({named} removed them); write the form again with followupdocs forms, which "
        "names its fields so they survive LibreOffice too, and copy the answers into it",
    )


# --- a real LibreOffice -------------------------------------------------------------------------


def libreoffice_save(forms: list[Path], outdir: Path, profile: Path) -> list[Path]:
    """Open and save `forms` in LibreOffice as Word documents; return the saved files."""
    outdir.mkdir(parents=True, exist_ok=True)
    return soffice_convert(forms, outdir, profile)


def saved_by(path: Path) -> str:
    with zipfile.ZipFile(path) as z:
        root = etree.fromstring(z.read("docProps/app.xml"))
    return root.findtext("{*}Application") or ""


@dataclass(frozen=True)
class SavedForms:
    """Forms written by followupdocs and the same forms opened and saved in LibreOffice."""

    rounds: dict[int, tuple[list[Path], list[Path]]]  # round: (every form, each saved)
    old: Path  # a round 2 form without bookmarks, as followupdocs wrote forms before, saved


@pytest.fixture(scope="module")
def saved_forms(example: Agreement, tmp_path_factory: pytest.TempPathFactory) -> SavedForms:
    """Every form of rounds 1 and 2 and an old form, each saved in LibreOffice.

    One LibreOffice run for them all: a start costs seconds before it converts anything. The
    tests using this are one xdist group, so only one worker makes it.
    """
    folder = tmp_path_factory.mktemp("saved-forms")
    written = {}
    for round in (1, 2):
        (folder / f"forms{round}").mkdir()
        forms = write_forms(example, folder / f"forms{round}", round=round).values()
        written[round] = sorted(forms)
    (folder / "old").mkdir()
    form = write_forms(example, folder / "old", round=2, centre=SECTION)[SECTION]
    old = form.rename(folder / "old" / f"gammel-{form.name}")  # saved apart from its new self
    wordfill.edit_document(old, strip_bookmarks)  # as followupdocs wrote forms before
    saved = libreoffice_save([*written[1], *written[2], old], folder / "saved", folder / "profile")
    return SavedForms(
        {
            round: (forms, [path for path in saved if path.name in {f.name for f in forms}])
            for round, forms in written.items()
        },
        saved[-1],
    )


@pytest.mark.soffice
@needs_soffice
@pytest.mark.xdist_group("libreoffice-forms")
@pytest.mark.parametrize("round", [1, 2])
def test_every_field_of_every_form_survives_a_libreoffice_save(
    example: Agreement, saved_forms: SavedForms, round: int
) -> None:
    written, saved = saved_forms.rounds[round]
    assert len(written) == len(saved) > 1

    for before, after in zip(written, saved, strict=True):
        assert saved_by(after).startswith("LibreOffice")
        assert wordfill.tags(after) == []  # read by the bookmarks alone
        assert identities(after) == identities(before), after.name
    found = collect(example, saved, round=round)
    assert (found.changes, found.conflicts, found.notes) == ((), (), ())
    assert found.rounds == (round,)


def _uno_python() -> str | None:
    """Return a Python that can import LibreOffice's uno module (often not the one testing)."""
    for candidate in (
        os.environ.get("FOLLOWUPDOCS_UNO_PYTHON"),
        "/usr/bin/python3",
        sys.executable,
    ):
        if not candidate or not Path(candidate).exists():
            continue
        probe = subprocess.run([candidate, "-c", "import uno"], capture_output=True)
        if probe.returncode == 0:
            return candidate
    return None


UNO_PYTHON = _uno_python()
needs_uno = pytest.mark.skipif(
    UNO_PYTHON is None and not os.environ.get("CI"),
    reason="no Python with LibreOffice's uno module (Debian: python3-uno)",
)


def libreoffice_fill(
    source: Path, target: Path, profile: Path, edits: list[dict[str, object]]
) -> Path:
    """Fill a form in LibreOffice through UNO as a person would, and save it as .docx."""
    assert UNO_PYTHON, "no Python with LibreOffice's uno module; install python3-uno"
    subprocess.run(
        [
            UNO_PYTHON,
            str(HERE / "lofill.py"),
            str(profile),
            str(source),
            str(target),
            json.dumps(edits),
        ],
        check=True,
        capture_output=True,
        timeout=600,
    )
    return target


@pytest.mark.soffice
@needs_soffice
@needs_uno
def test_a_form_filled_in_libreoffice_is_collected_with_its_values(
    example: Agreement, tmp_path: Path
) -> None:
    form = write_forms(example, tmp_path, round=2, centre=SECTION)[SECTION]
    filled = libreoffice_fill(
        form,
        tmp_path / "udfyldt.docx",
        tmp_path / "profile",
        [
            # 7.05's status, milestone smiley and economy smiley, then 7.09's status
            {"find": "Skriv status her", "nth": 0, "text": "Halvdelen af provenuet er indhentet."},
            {"find": "Vælg smiley", "nth": 0, "text": "Rød", "dropdown": 0},
            {"find": "Vælg smiley", "nth": 0, "text": "Grøn", "dropdown": 1},
            {
                "find": "Skriv status her",
                "nth": 0,
                "text": "Processen er i gang.\nPolitikken vedtages i juni.",
            },
        ],
    )
    assert saved_by(filled).startswith("LibreOffice")
    assert wordfill.tags(filled) == []

    found = collect(example, [filled], round=2)

    assert found.conflicts == ()
    assert [(c.number, c.field, c.old, c.new) for c in found.changes] == [
        ("7.05", "status", "", "Halvdelen af provenuet er indhentet."),
        ("7.05", "milestone", "", "rød"),
        ("7.05", "economy", "", "grøn"),
        ("7.09", "status", "", "Processen er i gang.\n\nPolitikken vedtages i juni."),
    ]


@pytest.mark.soffice
@needs_soffice
@pytest.mark.xdist_group("libreoffice-forms")
def test_an_old_form_saved_in_libreoffice_names_libreoffice(
    example: Agreement, saved_forms: SavedForms
) -> None:
    saved = saved_forms.old
    version = re.match(r"LibreOffice/([0-9.]+)", saved_by(saved))
    assert version

    found = collect(example, [saved])

    (conflict,) = found.conflicts
    assert conflict.startswith(f"{saved}: the form's 7 fields have lost the names")
    assert f"(LibreOffice {version[1]} removed them)" in conflict
    assert main(["collect", str(EXAMPLE), str(saved)]) == 1
