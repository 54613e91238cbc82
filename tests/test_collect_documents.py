"""`collect` of committee documents: the touch-ups editors make in Word come back to the YAML.

The rendered document is edited here with lxml the way Word stores an edit (a retyped word in
a run of its own with a new rsid, a smiley picture copied from the reading guide), not with
the code that renders or reads it.
"""

from __future__ import annotations

import copy
import difflib
import shutil
from pathlib import Path

import pytest
from lxml import etree

import followupdocs
import wordfill
from followupdocs import Agreement, Change, collect, update_yaml
from followupdocs._updating import current
from handmade import make
from helpers import EXAMPLE, run_cli, tag

W = wordfill.W
NS = {"w": W, "wp": "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"}
STATUS = (
    "Sagen har endnu ikke været forelagt Økonomiudvalget. Den vil formenligt blive forelagt i "
    "maj 2018."
)
REWORDED = "Sagen forelægges Økonomiudvalget i maj 2018."


def _w(name: str) -> str:
    return f"{{{W}}}{name}"


def card(root: etree._Element, number: str) -> etree._Element:
    """Return the card table whose header cell starts with `number`."""
    for table in root.iter(_w("tbl")):
        header = table.find("w:tr", NS).find("w:tc", NS)
        first = "".join(t.text or "" for t in header.iter(_w("t")))
        if first.startswith(f"{number}. "):
            return table
    raise AssertionError(f"no card {number}")


def cell(table: etree._Element, row: int, column: int) -> etree._Element:
    return table.findall("w:tr", NS)[row].findall("w:tc", NS)[column]


def retype(root: etree._Element, old: str, new: str, *, within: etree._Element) -> None:
    """Replace `old` by `new` as Word does: the run split, the typed text in a run of its own."""
    for t in within.iter(_w("t")):
        if t.text and old in t.text:
            run = t.getparent()
            before, after = t.text.split(old, 1)
            t.text = before
            typed = copy.deepcopy(run)
            typed.set(_w("rsidR"), "00F1E2D3")
            typed.find("w:t", NS).text = new
            rest = copy.deepcopy(run)
            rest.find("w:t", NS).text = after
            for t2 in (t, typed.find("w:t", NS), rest.find("w:t", NS)):
                t2.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
            run.addnext(typed)
            typed.addnext(rest)
            return
    raise AssertionError(f"{old!r} is not in one run")


def paste_smiley(root: etree._Element, target: etree._Element, alt_start: str) -> None:
    """Replace the picture in `target` by a copy of the reading guide's picture `alt_start`."""
    guide = next(
        d
        for d in root.iter(_w("drawing"))
        if d.find(".//wp:docPr", NS).get("descr", "").startswith(alt_start)
    )
    pasted = copy.deepcopy(guide)
    pasted.find(".//wp:docPr", NS).set("id", "9001")  # Word gives a pasted picture a new id
    old = next(target.iter(_w("drawing")))
    old.getparent().replace(old, pasted)


def edit_example(path: Path) -> Path:
    """Make the four touch-ups an editor makes in the round-1 document."""

    def change(root: etree._Element) -> None:
        # 2.02.1: the status at round 1 reworded (row 3 is round 1; column 1 its text).
        retype(root, STATUS, REWORDED, within=cell(card(root, "2.02.1"), 2, 1))
        # 1.02: a typo fixed in the round-1 milestone ("Den ny" -> "Den nye").
        retype(root, "Den ny ", "Den nye ", within=cell(card(root, "1.02"), 2, 1))
        # 2.02.2: the centre renamed in "Ansvarligt center: Økonomi og Styring".
        retype(root, "Økonomi og Styring", "Økonomi og Analyse", within=card(root, "2.02.2"))
        # 1.02: the green round-1 smiley replaced by the reading guide's yellow one.
        paste_smiley(root, cell(card(root, "1.02"), 2, 3), "Gul smiley")

    return wordfill.edit_document(path, change)


EXPECTED = [
    ("1.02", 1, "milestone_text", "Den nye kommunalbestyrelse er introduceret for Vision 2029."),
    ("1.02", 1, "milestone", "gul"),
    ("2.02.1", 1, "status", REWORDED),
    ("2.02.2", None, "responsible_centre", "Økonomi og Analyse"),
]


@pytest.fixture
def edited(example_docs: dict[int, Path], tmp_path: Path) -> Path:
    return edit_example(shutil.copyfile(example_docs[1], tmp_path / "udvalg-redigeret.docx"))


def summary(changes: tuple[Change, ...]) -> list[tuple[str, int | None, str, str]]:
    return [(c.number, c.round, c.field, c.new) for c in changes]


# --- an untouched document, and one touched up ----------------------------------------------


@pytest.mark.parametrize("round", [1, 2, 3, 4])
def test_untouched_document_gives_no_change(
    example: Agreement, example_docs: dict[int, Path], round: int
) -> None:
    found = collect(example, [example_docs[round]])
    assert (found.changes, found.conflicts, found.notes) == ((), (), ())
    assert found.documents == (str(example_docs[round]),)
    assert found.rounds == (round,)


def test_untouched_document_without_overview_gives_no_change(
    example: Agreement, tmp_path: Path
) -> None:
    path = followupdocs.render(example, tmp_path / "uden.docx", round=2, overview=False)
    found = collect(example, [path])
    assert (found.changes, found.conflicts, found.notes) == ((), (), ())


@pytest.mark.parametrize("round", [1, 4])
def test_untouched_hand_made_document_gives_no_change(
    example: Agreement, tmp_path: Path, round: int
) -> None:
    """A secretariat's own document in the card layout is collected like a rendered one."""
    path = make(example, round, tmp_path / "haandlavet.docx")
    found = collect(example, [path])
    assert (found.changes, found.conflicts, found.notes) == ((), (), ())


def test_edited_document_gives_exactly_the_touch_ups(example: Agreement, edited: Path) -> None:
    found = collect(example, [edited])
    assert found.conflicts == ()
    assert summary(found.changes) == EXPECTED
    assert all(c.sources == (str(edited),) for c in found.changes)
    old = {(c.number, c.field): c.old for c in found.changes}
    assert old[("2.02.1", "status")] == STATUS
    assert old[("2.02.2", "responsible_centre")] == "Økonomi og Styring"
    assert old[("1.02", "milestone")] == "grøn"


def test_collect_write_changes_only_those_lines(
    edited: Path, yaml_copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = yaml_copy.read_bytes()
    code, out, err = run_cli(capsys, "collect", yaml_copy, edited, "--write")
    assert code == 0, out + err
    assert "4 changes to 3 initiatives from 1 document; wrote" in out
    assert "responsible centre: Økonomi og Styring -> Økonomi og Analyse" in out
    assert "milestone smiley at round 1: grøn -> gul" in out
    after = yaml_copy.read_bytes()
    assert yaml_copy.with_name(yaml_copy.name + ".bak").read_bytes() == before
    old_lines, new_lines = before.split(b"\n"), after.split(b"\n")
    assert len(old_lines) == len(new_lines)  # every edit replaced a value on its own line
    changed = [n for n, (a, b) in enumerate(zip(old_lines, new_lines, strict=True)) if a != b]
    assert [new_lines[n].decode().strip() for n in changed] == [
        "tekst: Den nye kommunalbestyrelse er introduceret for Vision 2029.",
        "smiley: gul",
        f"status: {REWORDED}",
        "ansvarligt_center: Økonomi og Analyse",
    ]
    diff = list(difflib.diff_bytes(difflib.unified_diff, old_lines, new_lines, n=0))
    assert sum(1 for line in diff if line.startswith(b"-") and not line.startswith(b"---")) == 4
    # Collected again, the document agrees with the file it was written into.
    code, out, _ = run_cli(capsys, "collect", yaml_copy, edited)
    assert code == 0 and "0 changes" in out


def test_forms_and_documents_in_one_call(
    example: Agreement, edited: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A form's answers and a document's touch-ups are collected together."""
    centre = "Politisk Sekretariat"  # 1.02's centre
    form = followupdocs.write_forms(example, tmp_path, round=1, centre=centre)[centre]
    wordfill.fill(form, {tag("1.02", 1, "status"): "Introduktionen er gennemført."})
    found = collect(example, [form, edited], round=1)
    assert found.conflicts == ()
    assert ("1.02", 1, "status", "Introduktionen er gennemført.") in summary(found.changes)
    assert set(summary(found.changes)) - {
        ("1.02", 1, "status", "Introduktionen er gennemført.")
    } == set(EXPECTED)
    assert found.documents == (str(edited),)
    code, out, err = run_cli(capsys, "collect", EXAMPLE, form, edited, "--round", "1")
    assert code == 0, err
    assert "5 changes to 3 initiatives from 1 form and 1 document" in out


def test_a_round_1_document_says_nothing_of_round_2(
    example_docs: dict[int, Path], yaml_copy: Path
) -> None:
    """Statuses and smileys of a later round are not in the document, so not compared."""
    agreement = followupdocs.load(yaml_copy)
    (initiative,) = (i for i in agreement.initiatives if i.number == "2.02.1")
    later = [
        Change("2.02.1", initiative.title, 2, "status", "", "Strategien er vedtaget.", ()),
        Change("2.02.1", initiative.title, 2, "milestone", "", "grøn", ()),
        Change("2.02.1", initiative.title, 2, "economy", "", "rød", ()),
    ]
    update_yaml(yaml_copy, later)
    found = collect(followupdocs.load(yaml_copy), [example_docs[1]])
    assert (found.changes, found.conflicts, found.notes) == ((), (), ())
    # The round-2 document shows them, and says they are gone.
    found = collect(followupdocs.load(yaml_copy), [example_docs[2]])
    assert [(c.number, c.round, c.field, c.new) for c in found.changes] == [
        ("2.02.1", 2, "status", "")
    ]
    assert any("no milestone smiley at round 2" in note for note in found.notes)
    assert any("no economy smiley at round 2" in note for note in found.notes)


# --- conflicts: reported, not resolved ------------------------------------------------------


def test_document_of_another_agreement_is_a_conflict(
    example: Agreement, tmp_path: Path, capsys: pytest.CaptureFixture[str], yaml_copy: Path
) -> None:
    other = example.model_copy(update={"name": "Aftale om budget 2019"})
    path = followupdocs.render(other, tmp_path / "andet.docx", round=1)
    found = collect(example, [path])
    assert found.changes == ()
    assert [c for c in found.conflicts if "Aftale om budget 2019" in c and "andet.docx" in c]
    before = yaml_copy.read_bytes()
    code, out, _ = run_cli(capsys, "collect", yaml_copy, path, "--write")
    assert code == 1 and "nothing was written" in out
    assert yaml_copy.read_bytes() == before


def test_document_with_the_agreements_own_title_is_collected(
    example: Agreement, tmp_path: Path
) -> None:
    """An agreement with 'titel' renders a title that names no agreement: the title says it."""
    titled = example.model_copy(update={"title": "Opfølgning på budgetaftalen 2018"})
    path = followupdocs.render(titled, tmp_path / "titel.docx", round=1)
    found = collect(titled, [path])
    assert (found.changes, found.conflicts, found.notes) == ((), (), ())
    found = collect(example, [path])  # the same document against the agreement without it
    assert [c for c in found.conflicts if "nothing tells which agreement" in c], found.conflicts


def test_card_number_not_in_the_yaml_is_a_conflict(example: Agreement, edited: Path) -> None:
    wordfill.edit_document(
        edited, lambda root: retype(root, "2.02.2.", "2.02.9.", within=card(root, "2.02.2"))
    )
    found = collect(example, [edited])
    assert [c for c in found.conflicts if "2.02.9" in c and "not in" in c], found.conflicts
    # The card of 2.02.2 is gone from the document: a warning, the YAML keeps it.
    assert [n for n in found.notes if "2.02.2" in n and "keeps it" in n], found.notes


def written_unchanged(capsys: pytest.CaptureFixture[str], yaml_path: Path, document: Path) -> str:
    """Run `collect --write` on `document`; assert it succeeds, changes nothing and leaves the
    YAML byte for byte as it was; return what it said on stderr."""
    before = yaml_path.read_bytes()
    code, out, err = run_cli(capsys, "collect", yaml_path, document, "--write")
    assert code == 0, err
    assert "0 changes" in out
    assert yaml_path.read_bytes() == before
    return err


def test_deleted_card_is_a_warning_and_the_yaml_keeps_it(
    example_docs: dict[int, Path],
    tmp_path: Path,
    yaml_copy: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    path = shutil.copyfile(example_docs[1], tmp_path / "slettet.docx")

    def delete(root: etree._Element) -> None:
        table = card(root, "3.04")
        table.getparent().remove(table)

    wordfill.edit_document(path, delete)
    err = written_unchanged(capsys, yaml_copy, path)
    assert "warning: " in err and "3.04" in err and "keeps it" in err


def test_a_reworded_theme_title_is_a_note_and_the_yaml_keeps_its_own(
    example_docs: dict[int, Path],
    tmp_path: Path,
    yaml_copy: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """A theme title belongs to no initiative, so it is not written; the note says so."""
    path = shutil.copyfile(example_docs[2], tmp_path / "tema.docx")

    def reword(root: etree._Element) -> None:
        [heading] = [
            p
            for p in root.iter(_w("p"))
            if p.find("w:pPr/w:pStyle[@w:val='Heading1']", NS) is not None
            and "".join(p.itertext()) == "1. Vision 2029"
        ]
        retype(root, "Vision 2029", "Visionen for 2029", within=heading)

    wordfill.edit_document(path, reword)
    err = written_unchanged(capsys, yaml_copy, path)
    assert err.splitlines() == [
        f"warning: {path}: theme 1 is titled 'Visionen for 2029' in the document, 'Vision "
        f"2029' in {yaml_copy}; collect does not write theme titles: change it in "
        f"{yaml_copy} by hand, or the next document shows the old title"
    ]


def test_same_field_changed_differently_in_two_documents(
    example: Agreement, edited: Path, tmp_path: Path
) -> None:
    other = shutil.copyfile(edited, tmp_path / "kopi.docx")
    wordfill.edit_document(
        other, lambda root: retype(root, REWORDED, "Sagen er udsat.", within=card(root, "2.02.1"))
    )
    found = collect(example, [edited, other])
    assert [c for c in found.conflicts if "2.02.1: the status at round 1" in c], found.conflicts
    # The touch-ups both documents make alike are no conflict.
    assert ("2.02.2", None, "responsible_centre", "Økonomi og Analyse") in summary(found.changes)


def test_same_field_changed_differently_in_a_form_and_a_document(
    example: Agreement, edited: Path, tmp_path: Path
) -> None:
    centre = "Økonomi og Styring"  # 2.02.1's centre
    form = followupdocs.write_forms(example, tmp_path, round=1, centre=centre)[centre]
    wordfill.fill(form, {tag("2.02.1", 1, "status"): "Sagen er udsat til juni."})
    found = collect(example, [form, edited])
    (conflict,) = [c for c in found.conflicts if "2.02.1: the status at round 1" in c]
    assert form.name in conflict and edited.name in conflict


def test_document_for_another_round_is_refused_with_round(
    example: Agreement, example_docs: dict[int, Path]
) -> None:
    found = collect(example, [example_docs[2]], round=1)
    assert [c for c in found.conflicts if "for round 2" in c and "not round 1" in c]


def test_unreadable_smiley_in_a_document_is_a_located_conflict(
    example: Agreement, edited: Path
) -> None:
    def replace(root: etree._Element) -> None:
        target = cell(card(root, "2.02.1"), 2, 3)
        drawing = next(target.iter(_w("drawing")))
        run = drawing.getparent()
        run.remove(drawing)
        sym = etree.SubElement(run, _w("sym"))
        sym.set(_w("font"), "Wingdings")
        sym.set(_w("char"), "F0FC")

    wordfill.edit_document(edited, replace)
    found = collect(example, [edited])
    assert [c for c in found.conflicts if "udvalg-redigeret.docx: table" in c and "row 3" in c]


# --- the YAML editor changes every field a document shows ------------------------------------


def test_update_yaml_writes_every_field(yaml_copy: Path) -> None:
    agreement = followupdocs.load(yaml_copy)
    by = {i.number: i for i in agreement.initiatives}
    wanted = [
        ("1.02", None, "title", "Arbejdet med Vision 2030"),
        ("1.02", None, "kind", "Anlæg og drift"),
        ("1.02", None, "agreement_text", "Første afsnit.\n\n• Et punkt\n\n1. Et nummer"),
        ("1.02", None, "responsible_centre", "Borgerservice"),
        ("1.02", None, "responsible_committee", "Beskæftigelsesudvalget"),
        ("1.02", None, "main_contributor", "Ejendomme"),  # a key the file does not have
        ("1.02", None, "implementation", "Sådan gøres det."),  # nor this
        ("1.02", None, "economy_text", "Der er afsat 1 mio. kr."),
        ("1.02", 1, "milestone_text", "Kommunalbestyrelsen er introduceret."),
        ("1.02", 3, "milestone_text", "Et nyt mål."),  # a milestone the file does not have
        ("2.02.1", 1, "status", ""),  # a status removed
        ("7.09", None, "economy_text", "Ingen økonomi."),  # 7.09 has no 'økonomi' key
        ("7.09", 1, "status", "Første afsnit.\n\nAndet afsnit."),  # a block for a block
    ]
    changes = [
        Change(n, by[n].title, r, f, current(by[n], r, f), new, ())  # type: ignore[arg-type]
        for n, r, f, new in wanted
    ]
    before = yaml_copy.read_text(encoding="utf-8")
    update_yaml(yaml_copy, changes)
    after = followupdocs.load(yaml_copy)
    got = {i.number: i for i in after.initiatives}
    for n, r, f, new in wanted:
        assert current(got[n], r, f) == new, f  # type: ignore[arg-type]
    # Nothing else moved: the lines before the first initiative are untouched.
    text = yaml_copy.read_text(encoding="utf-8")
    head = before.index('  - nummer: "1"')
    assert text[:head] == before[:head]
    assert text.count("\n") - before.count("\n") < 20


def test_change_lines_name_the_field() -> None:
    assert str(Change("1", "T", None, "responsible_centre", "A", "B", ())) == (
        "responsible centre: A -> B"
    )
    assert str(Change("1", "T", 2, "milestone_text", "a", "b\n\nc", ())) == (
        "milestone text at round 2 (changed): b / c"
    )
    assert str(Change("1", "T", 2, "status", "a", "", ())) == "status at round 2 (removed)"
