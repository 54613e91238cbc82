"""Collecting filled forms: what changes, every conflict, and a YAML changed only where filled.

Forms are written for the example, filled the way Word stores a filled content control
(tests/wordfill.py), and read back. Every YAML written is compared with the exact text
expected: the old text with the filled values' lines inserted or replaced, nothing else.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Sequence
from pathlib import Path

import docx
import pytest
from lxml import etree

import followupdocs
import followupdocs._docx.readback
import wordfill
from followupdocs import Agreement, FormError, collect, update_yaml
from helpers import EXAMPLE, forms_for, tag
from helpers import run_cli as run

W = wordfill.W
NS = wordfill.NS
ECONOMY = "Økonomi og Styring"  # 2.02.1, 2.02.2, 2.02.3, 5.07, 8.08
PROPERTY = "Ejendomme"  # 3.04 among others
POLITICAL = "Politisk Sekretariat"  # 1.02 among others


def economy_form(yaml_path: Path, round: int = 2, folder: Path | None = None) -> Path:
    """Write and return the form of Økonomi og Styring."""
    return forms_for(yaml_path, round, folder, centre=ECONOMY)[ECONOMY]


Edit = tuple[str, str, str, Sequence[str]]  # (initiative, line starting with, after|replace, lines)


def expected_text(old: str, edits: Sequence[Edit]) -> str:
    """Return `old` with `edits`, each at the first line under its initiative that matches."""
    lines = old.split("\n")
    where = []
    for number, prefix, how, new in edits:
        start = lines.index(f'      - nummer: "{number}"')
        index = next(i for i in range(start, len(lines)) if lines[i].startswith(prefix))
        where.append((index, how, list(new)))
    for index, how, new in sorted(where, key=lambda w: w[0], reverse=True):
        if how == "after":
            lines[index + 1 : index + 1] = new
        else:
            lines[index : index + 1] = new
    return "\n".join(lines)


# --- the round trip ---------------------------------------------------------------------------

ROUND2_ANSWERS = {
    POLITICAL: {
        tag("1.02", 2, "status"): "Kommunalbestyrelsen er introduceret.\n"
        "Visionen indgår i introprogrammet.",
        tag("1.02", 2, "smiley"): "Grøn",
        tag("1.02", 2, "economy"): "Grøn",
    },
    ECONOMY: {
        tag("2.02.1", 2, "status"): "Strategien er vedtaget.",
        tag("2.02.1", 2, "smiley"): "Gul",
        tag("2.02.1", 2, "economy"): "Rød",
        tag("8.08", 2, "status"): "Kolon: ja # ikke en kommentar",
    },
    PROPERTY: {
        tag("3.04", 2, "smiley"): "Gul",
        tag("3.04", 2, "economy"): "Rød",
    },
}
ROUND2_EDITS: list[Edit] = [
    (
        "1.02",
        "            smiley: grøn",
        "after",
        [
            "          2:",
            "            status: |-",
            "              Kommunalbestyrelsen er introduceret.",
            "",
            "              Visionen indgår i introprogrammet.",
            "            smiley: grøn",
        ],
    ),
    (
        "1.02",
        "          tekst: Der er ikke afsat",
        "after",
        ["          smiley:", "            2: grøn"],
    ),
    (
        "2.02.1",
        "            tekst: Ny Økonomisk Strategi",
        "after",
        ["            status: Strategien er vedtaget.", "            smiley: gul"],
    ),
    (
        "2.02.1",
        "          tekst: Der er ikke afsat",
        "after",
        ["          smiley:", "            2: rød"],
    ),
    (
        "8.08",
        "            tekst: Besparelsen er indarbejdet",
        "after",
        ["            status: 'Kolon: ja # ikke en kommentar'"],
    ),
    ("3.04", "            tekst: Der er indgået", "after", ["            smiley: gul"]),
    ("3.04", "            1: grøn", "after", ["            2: rød"]),
]


def test_round_2_round_trip_changes_exactly_the_filled_values(yaml_copy: Path) -> None:
    old = yaml_copy.read_bytes()
    forms = forms_for(yaml_copy, 2)
    for centre, answers in ROUND2_ANSWERS.items():
        wordfill.fill(forms[centre], answers)

    found = collect(followupdocs.load(yaml_copy), forms.values(), source=str(yaml_copy))

    assert found.conflicts == ()
    assert found.notes == ()
    assert found.rounds == (2,)
    assert [(c.number, c.field, c.old, c.new) for c in found.changes] == [
        ("1.02", "status", "", "Kommunalbestyrelsen er introduceret.\n\n"
         "Visionen indgår i introprogrammet."),
        ("1.02", "milestone", "", "grøn"),
        ("1.02", "economy", "", "grøn"),
        ("2.02.1", "status", "", "Strategien er vedtaget."),
        ("2.02.1", "milestone", "", "gul"),
        ("2.02.1", "economy", "", "rød"),
        ("3.04", "milestone", "", "gul"),
        ("3.04", "economy", "", "rød"),
        ("8.08", "status", "", "Kolon: ja # ikke en kommentar"),
    ]  # fmt: skip
    assert {c.sources for c in found.changes if c.number == "3.04"} == {(str(forms[PROPERTY]),)}
    assert yaml_copy.read_bytes() == old  # collecting alone writes nothing

    update_yaml(yaml_copy, found.changes)

    assert (yaml_copy.parent / "oekonomiudvalget-2018.yaml.bak").read_bytes() == old
    new = yaml_copy.read_text(encoding="utf-8")
    assert new == expected_text(old.decode("utf-8"), ROUND2_EDITS)
    agreement = followupdocs.load(yaml_copy)
    initiatives = {i.number: i for i in agreement.initiatives}
    assert initiatives["1.02"].status_at(round=2) == (
        "Kommunalbestyrelsen er introduceret.\n\nVisionen indgår i introprogrammet."
    )
    assert initiatives["3.04"].economy_smiley_at(round=2) is followupdocs.Smiley.RED
    # The forms now agree with the file.
    again = collect(agreement, forms.values())
    assert again.changes == ()
    assert again.conflicts == ()


def test_round_1_replaces_values_and_leaves_unchanged_answers_alone(yaml_copy: Path) -> None:
    old = yaml_copy.read_text(encoding="utf-8")
    agreement = followupdocs.load(yaml_copy)
    initiatives = {i.number: i for i in agreement.initiatives}
    forms = forms_for(yaml_copy, 1)
    wordfill.fill(
        forms[ECONOMY],
        {
            tag("2.02.1", 1, "status"): "Forelagt i maj.",
            tag("2.02.1", 1, "smiley"): "Grøn",
            tag("2.02.3", 1, "smiley"): "Grøn",  # chosen again: the value it had
            tag("8.08", 1, "status"): initiatives["8.08"].status_at(round=1),  # typed again
        },
    )
    wordfill.fill(forms[POLITICAL], {tag("1.02", 1, "status"): "Introduktionen er holdt."})
    wordfill.fill(forms[PROPERTY], {tag("3.04", 1, "economy"): "Rød"})

    found = collect(agreement, forms.values())

    assert found.conflicts == ()
    assert [(c.number, c.field, c.old, c.new) for c in found.changes] == [
        ("1.02", "status", "", "Introduktionen er holdt."),
        ("2.02.1", "status", initiatives["2.02.1"].status_at(round=1), "Forelagt i maj."),
        ("2.02.1", "milestone", "gul", "grøn"),
        ("3.04", "economy", "grøn", "rød"),
    ]
    assert str(found.changes[0]) == "status at round 1 (new): Introduktionen er holdt."
    assert str(found.changes[1]) == "status at round 1 (changed): Forelagt i maj."
    assert str(found.changes[2]) == "milestone smiley at round 1: gul -> grøn"

    update_yaml(yaml_copy, found.changes)

    edits: list[Edit] = [
        (
            "1.02",
            "            tekst: Den ny kommunalbestyrelse",
            "after",
            ["            status: Introduktionen er holdt."],
        ),
        (
            "2.02.1",
            "            status: Sagen har",
            "replace",
            ["            status: Forelagt i maj."],
        ),
        ("2.02.1", "            smiley: gul", "replace", ["            smiley: grøn"]),
        ("3.04", "            1: grøn", "replace", ["            1: rød"]),
    ]
    assert yaml_copy.read_text(encoding="utf-8") == expected_text(old, edits)


def test_crlf_and_a_byte_order_mark_are_kept(yaml_copy: Path) -> None:
    crlf = EXAMPLE.read_text(encoding="utf-8").replace("\n", "\r\n")
    yaml_copy.write_bytes(b"\xef\xbb\xbf" + crlf.encode("utf-8"))
    forms = forms_for(yaml_copy, 2)
    for centre, answers in ROUND2_ANSWERS.items():
        wordfill.fill(forms[centre], answers)
    found = collect(followupdocs.load(yaml_copy), forms.values())

    update_yaml(yaml_copy, found.changes)

    data = yaml_copy.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    text = data[3:].decode("utf-8")
    expected = expected_text(EXAMPLE.read_text(encoding="utf-8"), ROUND2_EDITS)
    assert text == expected.replace("\n", "\r\n")


# --- conflicts ---------------------------------------------------------------------------------


def test_a_form_for_another_agreement(yaml_copy: Path, tmp_path: Path) -> None:
    other = tmp_path / "teknik.yaml"
    other.write_text(
        EXAMPLE.read_text(encoding="utf-8").replace(
            "udvalg: Økonomiudvalget", "udvalg: Teknik- og Miljøudvalget", 1
        ),
        encoding="utf-8",
    )
    form = economy_form(other, 2, tmp_path / "teknik")
    wordfill.fill(form, {tag("2.02.1", 2, "smiley"): "Grøn"})

    found = collect(followupdocs.load(yaml_copy), [form], source="ø.yaml")

    assert found.conflicts == (
        f"{form}: the form is for another agreement, not Aftale om budget 2018, "
        "Økonomiudvalget (ø.yaml)",
    )
    assert found.changes == ()


def test_a_form_for_another_round(yaml_copy: Path) -> None:
    form1 = economy_form(yaml_copy, 1)
    form2 = economy_form(yaml_copy, 2)
    wordfill.fill(form1, {tag("2.02.1", 1, "smiley"): "Rød"})
    agreement = followupdocs.load(yaml_copy)

    found = collect(agreement, [form1, form2], round=2)

    assert found.conflicts == (
        f"{form1}: the form is for round 1 (1. budgetopfølgning 2018), not round 2",
    )
    assert found.changes == ()

    mixed = collect(agreement, [form1, form2])

    assert mixed.conflicts == (
        f"the forms are for different rounds ({form1}: 1, {form2}: 2); collect one round at a "
        "time with --round N",
    )


def test_a_control_copied_from_a_form_for_another_round(yaml_copy: Path) -> None:
    form = economy_form(yaml_copy, 2)

    def copy_in(root: etree._Element) -> None:
        sdt = wordfill.controls(root)[tag("2.02.1", 2, "smiley")][0]
        sdt.find("w:sdtPr/w:tag", NS).set(f"{{{W}}}val", tag("2.02.1", 1, "smiley"))

    wordfill.edit_document(form, copy_in)
    found = collect(followupdocs.load(yaml_copy), [form])

    assert found.conflicts == (
        f"{form}: 2.02.1: the milestone smiley field is for round 1, but the form is for round "
        "2; it was copied from another form",
        f"{form}: 2.02.1: the milestone smiley field was deleted (or the initiative was added "
        'after the form was written); write a new form with --centre "Økonomi og Styring" and '
        "copy the answers into it",
    )


def test_an_unknown_initiative_number(yaml_copy: Path, tmp_path: Path) -> None:
    renumbered = tmp_path / "renumbered.yaml"
    renumbered.write_text(
        EXAMPLE.read_text(encoding="utf-8").replace('nummer: "2.02.3"', 'nummer: "2.02.9"'),
        encoding="utf-8",
    )
    form = economy_form(renumbered, 2, tmp_path / "renumbered")
    wordfill.fill(form, {tag("2.02.9", 2, "smiley"): "Grøn"})

    found = collect(followupdocs.load(yaml_copy), [form], source="ø.yaml")

    assert found.conflicts[0] == (
        f"{form}: initiative 2.02.9 is not in ø.yaml; was it renumbered or removed after the "
        "form was written?"
    )
    assert len(found.conflicts) == 3 + 3  # 2.02.9's three fields; 2.02.3's three are missing
    assert all("2.02.3: the" in c and "field was deleted" in c for c in found.conflicts[3:])
    assert found.changes == ()


@pytest.mark.parametrize(
    ("field", "shown", "allowed"),
    [("smiley", "Blå", "Grøn, Gul, Rød"), ("economy", "Gul", "Grøn, Rød")],
)
def test_a_value_outside_the_list(yaml_copy: Path, field: str, shown: str, allowed: str) -> None:
    form = economy_form(yaml_copy, 2)

    def edit(root: etree._Element) -> None:
        wordfill.show(wordfill.controls(root)[tag("2.02.1", 2, field)][0], shown)

    wordfill.edit_document(form, edit)
    found = collect(followupdocs.load(yaml_copy), [form])

    what = "milestone smiley" if field == "smiley" else "economy smiley"
    assert found.conflicts == (
        f"{form}: 2.02.1: the {what} is {shown}, which is not on the list ({allowed})",
    )


def test_a_last_value_outside_the_list(yaml_copy: Path) -> None:
    form = economy_form(yaml_copy, 2)

    def edit(root: etree._Element) -> None:
        sdt = wordfill.controls(root)[tag("2.02.1", 2, "smiley")][0]
        wordfill.show(sdt, "")
        sdt.find("w:sdtPr/w:dropDownList", NS).set(f"{{{W}}}lastValue", "blå")

    wordfill.edit_document(form, edit)
    found = collect(followupdocs.load(yaml_copy), [form])

    assert found.conflicts == (
        f"{form}: 2.02.1: the milestone smiley is blå, which is not on the list (Grøn, Gul, Rød)",
    )


def test_the_same_field_answered_differently_in_two_forms(yaml_copy: Path) -> None:
    first = economy_form(yaml_copy, 2)
    second = first.with_name("kopi.docx")
    third = first.with_name("kopi2.docx")
    shutil.copyfile(first, second)
    shutil.copyfile(first, third)
    wordfill.fill(first, {tag("2.02.1", 2, "smiley"): "Grøn", tag("5.07", 2, "economy"): "Rød"})
    wordfill.fill(second, {tag("2.02.1", 2, "smiley"): "Rød", tag("5.07", 2, "economy"): "Rød"})

    found = collect(followupdocs.load(yaml_copy), [first, second, third])

    assert found.conflicts == (
        f"2.02.1: the milestone smiley at round 2 is answered differently ({first}: 'grøn'; "
        f"{second}: 'rød')",
    )
    # The same answer twice is no conflict; both forms are named as its source.
    assert [(c.number, c.new, c.sources) for c in found.changes] == [
        ("5.07", "rød", (str(first), str(second)))
    ]


def _unwrap(root: etree._Element, wanted: str) -> None:
    """Remove a control and keep what it shows, as Word's "Remove content control" does."""
    sdt = wordfill.controls(root)[wanted][0]
    parent = sdt.getparent()
    index = parent.index(sdt)
    for offset, child in enumerate(sdt.find("w:sdtContent", NS)):
        parent.insert(index + offset, child)
    parent.remove(sdt)


def test_a_deleted_control(yaml_copy: Path) -> None:
    form = economy_form(yaml_copy, 2)
    wordfill.fill(form, {tag("2.02.1", 2, "economy"): "Grøn", tag("2.02.2", 2, "smiley"): "Gul"})
    wordfill.edit_document(form, lambda root: _unwrap(root, tag("2.02.1", 2, "economy")))

    found = collect(followupdocs.load(yaml_copy), [form])

    assert found.conflicts == (
        f"{form}: 2.02.1: the economy smiley field was deleted (or the initiative was added "
        'after the form was written); write a new form with --centre "Økonomi og Styring" and '
        "copy the answers into it",
    )
    assert [(c.number, c.field) for c in found.changes] == [("2.02.2", "milestone")]


def test_a_deleted_title_control(yaml_copy: Path) -> None:
    form = economy_form(yaml_copy, 2)
    marker = wordfill.tags(form)[0]
    wordfill.edit_document(form, lambda root: _unwrap(root, marker))

    found = collect(followupdocs.load(yaml_copy), [form])

    assert found.conflicts == (
        f"{form}: the form's title field was deleted, so nothing tells which agreement and "
        "round it is for; copy the answers into a new form",
    )


def test_files_that_are_not_forms(yaml_copy: Path, tmp_path: Path) -> None:
    text = tmp_path / "svar.docx"
    text.write_text("not a zip", encoding="utf-8")
    blank = tmp_path / "tom.docx"  # a committee document is read as one: see test_collect_documents
    docx.Document().save(str(blank))
    missing = tmp_path / "mangler.docx"

    found = collect(followupdocs.load(yaml_copy), [text, blank, missing])

    assert found.conflicts[0] == (
        f"{text}: not a Word document (.docx); save the form as a Word document"
    )
    assert found.conflicts[1].startswith(
        f"{blank}: not a followupdocs form (it has no fields to read), nor a committee "
        "document: no card found"
    )
    assert found.conflicts[2:] == (f"{missing}: the file does not exist",)


# --- reading what Word and other editors store ---------------------------------------------------


def test_an_emptied_field_is_a_note_and_the_value_is_kept(yaml_copy: Path) -> None:
    form = economy_form(yaml_copy, 1)

    def empty(root: etree._Element) -> None:
        sdt = wordfill.controls(root)[tag("2.02.1", 1, "status")][0]
        wordfill.show(sdt, "")

    wordfill.edit_document(form, empty)
    found = collect(followupdocs.load(yaml_copy), [form], source="ø.yaml")

    assert found.changes == ()
    assert found.conflicts == ()
    assert found.notes == (
        f"2.02.1: the status at round 1 is empty in {form}; ø.yaml keeps 'Sagen har endnu "
        "ikke været forelagt Øko…'",
    )


def test_what_the_controls_show(yaml_copy: Path) -> None:
    form = economy_form(yaml_copy, 2)

    def edit(root: etree._Element) -> None:
        found = wordfill.controls(root)
        # Tracked changes: inserted text counts, deleted text does not.
        status = found[tag("2.02.1", 2, "status")][0]
        wordfill.type_text(status, "Vedtaget")
        content = status.find("w:sdtContent", NS)
        content.append(
            etree.fromstring(
                f'<w:ins xmlns:w="{W}" w:id="90" w:author="A"><w:r><w:t xml:space="preserve">'
                " i april</w:t></w:r></w:ins>"
            )
        )
        content.append(
            etree.fromstring(
                f'<w:del xmlns:w="{W}" w:id="91" w:author="A"><w:r><w:delText> i marts'
                "</w:delText></w:r></w:del>"
            )
        )
        # Another editor changed the shown text but left a stale w:lastValue: the text wins.
        smiley = found[tag("2.02.1", 2, "smiley")][0]
        wordfill.choose(smiley, "Gul")
        wordfill.show(smiley, "Rød")
        # Shown text empty, w:lastValue set: the value is read from w:lastValue.
        economy = found[tag("2.02.1", 2, "economy")][0]
        wordfill.choose(economy, "Rød")
        wordfill.show(economy, "")
        # Word shows its list's first item again: no answer.
        wordfill.choose(found[tag("2.02.2", 2, "smiley")][0], "Vælg smiley")
        # A control turned into paragraphs: each paragraph is a line.
        text = found[tag("2.02.2", 2, "status")][0]
        wordfill.type_text(text, "x")
        content = text.find("w:sdtContent", NS)
        for child in list(content):
            content.remove(child)
        for line in ("Første", "Anden"):
            content.append(
                etree.fromstring(f'<w:p xmlns:w="{W}"><w:r><w:t>{line}</w:t></w:r></w:p>')
            )

    wordfill.edit_document(form, edit)
    found = collect(followupdocs.load(yaml_copy), [form])

    assert found.conflicts == ()
    assert [(c.number, c.field, c.new) for c in found.changes] == [
        ("2.02.1", "status", "Vedtaget i april"),
        ("2.02.1", "milestone", "rød"),
        ("2.02.1", "economy", "rød"),
        ("2.02.2", "status", "Første\n\nAnden"),
    ]


def test_control_text_keeps_tabs_and_breaks_but_not_tab_stops() -> None:
    xml = (
        f'<w:body xmlns:w="{W}"><w:sdt><w:sdtPr><w:tag w:val="{tag("1", 1, "status")}"/>'
        "<w:text/></w:sdtPr><w:sdtContent>"
        '<w:p><w:pPr><w:tabs><w:tab w:val="left" w:pos="720"/></w:tabs></w:pPr>'
        "<w:r><w:t>a</w:t><w:tab/><w:t>b</w:t><w:br/><w:t>c</w:t></w:r></w:p>"
        "<w:p><w:r><w:t>d</w:t><w:cr/></w:r></w:p>"
        "</w:sdtContent></w:sdt></w:body>"
    )
    (found,) = followupdocs._docx.readback.controls(etree.fromstring(xml))
    assert found.text == "a\tb\nc\nd\n"
    assert not found.placeholder and not found.dropdown


# --- writing safely ------------------------------------------------------------------------------


def _filled_round2(yaml_copy: Path) -> followupdocs.Collection:
    form = economy_form(yaml_copy, 2)
    wordfill.fill(form, {tag("2.02.1", 2, "smiley"): "Grøn"})
    return collect(followupdocs.load(yaml_copy), [form])


def _untouched(yaml_copy: Path, before: bytes) -> None:
    assert yaml_copy.read_bytes() == before
    assert not yaml_copy.with_name(yaml_copy.name + ".bak").exists()
    assert [p.name for p in yaml_copy.parent.iterdir() if p.name.startswith(".")] == []


def test_a_file_changed_since_the_forms_were_read(yaml_copy: Path) -> None:
    found = _filled_round2(yaml_copy)
    text = yaml_copy.read_text(encoding="utf-8")
    changed = text.replace(
        "grundlag for budgetproces 2019.\n",
        "grundlag for budgetproces 2019.\n            smiley: rød\n",
        1,
    )
    assert changed != text
    yaml_copy.write_text(changed, encoding="utf-8")
    before = yaml_copy.read_bytes()

    with pytest.raises(FormError, match="the file changed since the forms were read"):
        update_yaml(yaml_copy, found.changes)
    _untouched(yaml_copy, before)


@pytest.mark.parametrize(
    ("broken", "message"),
    [
        ("temaer: [\n", "cannot update the file safely"),
        (None, "the edited file would not say what the forms say"),
    ],
)
def test_a_file_that_would_not_load_is_never_written(
    yaml_copy: Path, monkeypatch: pytest.MonkeyPatch, broken: str | None, message: str
) -> None:
    found = _filled_round2(yaml_copy)
    before = yaml_copy.read_bytes()

    def edit(text: str, settings: object) -> str:
        return broken if broken is not None else text  # garbage, or silently nothing

    monkeypatch.setattr("followupdocs._updating.edit", edit)
    with pytest.raises(FormError, match=message):
        update_yaml(yaml_copy, found.changes)
    _untouched(yaml_copy, before)


def test_a_layout_the_editor_will_not_change(yaml_copy: Path) -> None:
    found = _filled_round2(yaml_copy)
    text = yaml_copy.read_text(encoding="utf-8")
    start = text.index('      - nummer: "2.02.1"')
    block = text.index("        milepæle:\n", start)
    end = text.index("        økonomi:\n", block)
    flow = "        milepæle: {1: {tekst: a, status: b, smiley: gul}, 2: {tekst: c}}\n"
    yaml_copy.write_text(text[:block] + flow + text[end:], encoding="utf-8")
    before = yaml_copy.read_bytes()

    with pytest.raises(FormError, match=r"cannot update the file safely \(line \d+: 'milepæle'"):
        update_yaml(yaml_copy, found.changes)
    _untouched(yaml_copy, before)


def test_a_failed_write_leaves_the_file(yaml_copy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    found = _filled_round2(yaml_copy)
    before = yaml_copy.read_bytes()
    real = os.replace

    def locked(source: str, target: str) -> None:
        if str(target).endswith(".yaml"):
            raise PermissionError(13, "Permission denied")
        real(source, target)

    monkeypatch.setattr("followupdocs._output.os.replace", locked)
    with pytest.raises(followupdocs.OutputError, match="cannot write the file"):
        update_yaml(yaml_copy, found.changes)
    assert yaml_copy.read_bytes() == before
    assert yaml_copy.with_name(yaml_copy.name + ".bak").read_bytes() == before


def test_apply_changes_matches_the_written_file(yaml_copy: Path) -> None:
    forms = forms_for(yaml_copy, 2)
    for centre, answers in ROUND2_ANSWERS.items():
        wordfill.fill(forms[centre], answers)
    agreement: Agreement = followupdocs.load(yaml_copy)
    found = collect(agreement, forms.values())

    update_yaml(yaml_copy, found.changes)

    assert followupdocs.load(yaml_copy) == followupdocs._collecting.apply_changes(
        agreement, found.changes
    )


# --- the command line ---------------------------------------------------------------------------


@pytest.fixture
def here(yaml_copy: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Work in the folder of the example's copy, as the secretariat does."""
    monkeypatch.chdir(yaml_copy.parent)
    return yaml_copy.parent


def state(path: Path) -> tuple[bytes, int]:
    return path.read_bytes(), path.stat().st_mtime_ns


def test_cli_round_trip_for_round_2(here: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = here / "oekonomiudvalget-2018.yaml"
    old = source.read_bytes()
    (here / "skemaer").mkdir()
    code, _, err = run(capsys, "forms", source.name, "--round", "2", "--outdir", "skemaer")
    assert code == 0, err
    forms = {p.name: p for p in (here / "skemaer").iterdir()}
    prefix = "oekonomiudvalget-2018-runde2-"
    names = {
        POLITICAL: prefix + "politisk-sekretariat.docx",
        ECONOMY: prefix + "oekonomi-og-styring.docx",
        PROPERTY: prefix + "ejendomme.docx",
    }
    for centre, answers in ROUND2_ANSWERS.items():
        wordfill.fill(forms[names[centre]], answers)
    os.utime(source, ns=(1_500_000_000 * 10**9,) * 2)
    before = state(source)
    paths = sorted(f"skemaer/{name}" for name in forms)

    code, out, err = run(capsys, "collect", source.name, *paths)

    assert code == 0, err
    assert err == ""
    assert out == (
        "1.02 Arbejdet med Vision 2029\n"
        "  status at round 2 (new): Kommunalbestyrelsen er introduceret. / Visionen indgår i "
        "introprogram…\n"
        "  milestone smiley at round 2: (none) -> grøn\n"
        "  economy smiley at round 2: (none) -> grøn\n"
        "2.02.1 Økonomi - Den økonomiske strategi\n"
        "  status at round 2 (new): Strategien er vedtaget.\n"
        "  milestone smiley at round 2: (none) -> gul\n"
        "  economy smiley at round 2: (none) -> rød\n"
        "3.04 Bygning - Indeklima i daginstitutioner\n"
        "  milestone smiley at round 2: (none) -> gul\n"
        "  economy smiley at round 2: (none) -> rød\n"
        "8.08 Kontrakter – reduktion\n"
        "  status at round 2 (new): Kolon: ja # ikke en kommentar\n"
        "9 changes to 4 initiatives from 9 forms; nothing was written (add --write to update "
        "oekonomiudvalget-2018.yaml)\n"
    )
    assert state(source) == before
    assert not (here / "oekonomiudvalget-2018.yaml.bak").exists()

    code, out, err = run(capsys, "collect", source.name, *paths, "--write")

    assert code == 0, err
    assert out.splitlines()[-1] == (
        "9 changes to 4 initiatives from 9 forms; wrote oekonomiudvalget-2018.yaml (the old "
        "file is oekonomiudvalget-2018.yaml.bak)"
    )
    assert (here / "oekonomiudvalget-2018.yaml.bak").read_bytes() == old
    assert source.read_text(encoding="utf-8") == expected_text(old.decode("utf-8"), ROUND2_EDITS)

    code, out, err = run(capsys, "collect", source.name, *paths, "--write")

    assert code == 0
    assert out == "0 changes to 0 initiatives from 9 forms: the forms agree with " + (
        "oekonomiudvalget-2018.yaml\n"
    )


def test_cli_conflicts_write_nothing(here: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = here / "oekonomiudvalget-2018.yaml"
    form = economy_form(source)
    copy = form.with_name("kopi.docx")
    shutil.copyfile(form, copy)
    wordfill.fill(form, {tag("2.02.1", 2, "smiley"): "Grøn", tag("5.07", 2, "smiley"): "Gul"})
    wordfill.fill(copy, {tag("2.02.1", 2, "smiley"): "Rød"})
    os.utime(source, ns=(1_500_000_000 * 10**9,) * 2)
    before = state(source)

    for extra in ([], ["--write"]):
        code, out, err = run(capsys, "collect", source.name, form, copy, *extra)

        assert code == 1
        assert err.splitlines() == [
            f"2.02.1: the milestone smiley at round 2 is answered differently ({form}: 'grøn'; "
            f"{copy}: 'rød')"
        ]
        assert out.splitlines() == [
            "5.07 Dialog om håndværkerudbud i 2018",
            "  milestone smiley at round 2: (none) -> gul",
            "1 change to 1 initiative from 2 forms; 1 conflict, so nothing was written",
        ]
        assert state(source) == before
        assert not (here / "oekonomiudvalget-2018.yaml.bak").exists()


def test_cli_round_option(here: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = here / "oekonomiudvalget-2018.yaml"
    form = economy_form(source, 1)

    code, _, err = run(capsys, "collect", source.name, form, "--round", "2", "--write")
    assert code == 1
    assert err.splitlines() == [
        f"{form}: the form is for round 1 (1. budgetopfølgning 2018), not round 2"
    ]

    code, _, err = run(capsys, "collect", source.name, form, "--round", "9")
    assert code == 1
    assert err.splitlines() == [
        "oekonomiudvalget-2018.yaml: round 9 does not exist; this agreement has rounds 1 to 4"
    ]


def test_cli_notes_are_warnings(here: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = here / "oekonomiudvalget-2018.yaml"
    form = economy_form(source, 1)
    wordfill.edit_document(
        form,
        # Word's way to empty a drop-down: choose its first item again.
        lambda root: wordfill.choose(
            wordfill.controls(root)[tag("2.02.1", 1, "smiley")][0], "Vælg smiley"
        ),
    )

    code, out, err = run(capsys, "collect", source.name, form)

    assert code == 0
    assert err.splitlines() == [
        f"warning: 2.02.1: the milestone smiley at round 1 is empty in {form}; "
        "oekonomiudvalget-2018.yaml keeps 'gul'"
    ]
    assert "the forms agree" in out


def test_cli_unwritable_file_is_an_environment_problem(
    here: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    source = here / "oekonomiudvalget-2018.yaml"
    form = economy_form(source)
    wordfill.fill(form, {tag("2.02.1", 2, "smiley"): "Grøn"})
    before = source.read_bytes()

    def locked(*args: object) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr("followupdocs._output.os.replace", locked)
    code, _, err = run(capsys, "collect", source.name, form, "--write")

    assert code == 3
    assert len(err.splitlines()) == 1
    assert "oekonomiudvalget-2018.yaml.bak: cannot write the file" in err
    assert source.read_bytes() == before


def test_cli_unsafe_layout(here: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = here / "oekonomiudvalget-2018.yaml"
    form = economy_form(source)
    wordfill.fill(form, {tag("2.02.1", 2, "smiley"): "Grøn"})
    text = source.read_text(encoding="utf-8").replace(
        "          2:\n            tekst: Ny Økonomisk Strategi for vedtaget",
        "          2: {tekst: Ny Økonomisk Strategi for vedtaget",
        1,
    )
    text = text.replace("budgetproces 2019.\n", "budgetproces 2019.}\n", 1)
    source.write_text(text, encoding="utf-8")
    followupdocs.load(source)
    before = source.read_bytes()

    code, _, err = run(capsys, "collect", source.name, form, "--write")

    assert code == 1
    assert err.splitlines() == [
        "oekonomiudvalget-2018.yaml: cannot update the file safely (line 88: '2' does not hold "
        "indented keys); nothing was written"
    ]
    assert source.read_bytes() == before
