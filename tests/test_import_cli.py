"""`followupdocs import`: the YAML it writes, what it never overwrites, and bad documents."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import docx
import pytest
from lxml import etree

import followupdocs
from docxedit import NS, W, cards, edited, rows
from followupdocs._importing import shown
from helpers import run_cli

# --- the YAML written -------------------------------------------------------------------------


def test_import_writes_yaml_that_loads_as_the_document_shows_it(
    capsys: pytest.CaptureFixture[str],
    example: followupdocs.Agreement,
    example_docs: dict[int, Path],
    tmp_path: Path,
) -> None:
    out = tmp_path / "aftale.yaml"
    code, stdout, err = run_cli(
        capsys, "import", example_docs[2], "-o", out, "--kommune", "Ballerup Kommune"
    )
    assert (code, err) == (0, "")
    assert stdout == (
        f"wrote {out} (8 themes, 35 initiatives, round 2 of 4); next: followupdocs validate {out}\n"
    )
    assert followupdocs.load(out) == shown(example, 2)


def test_the_yaml_is_laid_out_as_new_writes_it(
    capsys: pytest.CaptureFixture[str], example_docs: dict[int, Path], tmp_path: Path
) -> None:
    out = tmp_path / "aftale.yaml"
    run_cli(capsys, "import", example_docs[1], "-o", out, "--kommune", "Ballerup Kommune")
    text = out.read_text(encoding="utf-8")
    starter = tmp_path / "starter.yaml"
    run_cli(capsys, "new", starter)
    # The same comments on the same keys, at the same column.
    for key in ("kommune:", "opfølgninger:", "temaer:", "  - nummer:", "        type:"):
        mine = next(line for line in text.splitlines() if line.startswith(key))
        theirs = next(
            line for line in starter.read_text("utf-8").splitlines() if line.startswith(key)
        )
        assert mine.index("#") == theirs.index("#"), key
        assert mine.split("#", 1)[1] == theirs.split("#", 1)[1], key
    assert '      - nummer: "1.02"' in text  # numbers quoted as the starter quotes them
    assert "        aftaletekst: |" in text
    # The initiative's keys in the order the starter (and the models) have them.
    block = text.split('      - nummer: "2.02.1"\n', 1)[1].split("      - nummer:", 1)[0]
    keys = [line.split(":")[0].strip() for line in block.splitlines() if line[8:9].isalpha()]
    assert keys == [
        "titel", "type", "aftaletekst", "ansvarligt_center", "ansvarligt_udvalg",
        "gennemførelse", "milepæle", "økonomi",
    ]  # fmt: skip


def test_without_kommune_the_yaml_marks_it_and_validate_reports_it(
    capsys: pytest.CaptureFixture[str], example_docs: dict[int, Path], tmp_path: Path
) -> None:
    out = tmp_path / "aftale.yaml"
    code, _, err = run_cli(capsys, "import", example_docs[1], "-o", out)
    assert code == 0
    assert err.startswith(
        f"warning: {example_docs[1]}: the document does not name the municipality"
    )
    assert out.read_text("utf-8").splitlines()[6].startswith("kommune:  ")
    assert "UDFYLD" in out.read_text("utf-8").splitlines()[6]
    code, _, err = run_cli(capsys, "validate", out)
    assert code == 1
    assert err == f"{out}:7:9: kommune: is empty; write a value\n"


def test_the_default_output_is_the_documents_name_here(
    capsys: pytest.CaptureFixture[str],
    example_docs: dict[int, Path],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(tmp_path)
    code, stdout, _ = run_cli(capsys, "import", example_docs[3], "--kommune", "K")
    assert code == 0
    assert (tmp_path / "round3.yaml").exists()
    assert stdout.startswith("wrote round3.yaml ")


def test_an_existing_file_is_kept_unless_force(
    capsys: pytest.CaptureFixture[str], example_docs: dict[int, Path], tmp_path: Path
) -> None:
    out = tmp_path / "aftale.yaml"
    out.write_text("mine\n")
    code, stdout, err = run_cli(capsys, "import", example_docs[1], "-o", out, "--kommune", "K")
    assert (code, stdout) == (1, "")
    assert err.endswith(
        f"{out}: the file already exists; replace it with --force or choose another name with "
        "-o (nothing was changed)\n"
    )
    assert out.read_text() == "mine\n"
    code, _, _ = run_cli(capsys, "import", example_docs[1], "-o", out, "--kommune", "K", "--force")
    assert code == 0
    assert followupdocs.load(out).municipality == "K"
    assert [p.name for p in tmp_path.iterdir()] == ["aftale.yaml"]  # no temp file left


def test_round_is_taken_from_the_command_line(
    capsys: pytest.CaptureFixture[str], example_docs: dict[int, Path], tmp_path: Path
) -> None:
    out = tmp_path / "aftale.yaml"
    code, stdout, _ = run_cli(
        capsys, "import", example_docs[1], "-o", out, "--kommune", "K", "--round", "3"
    )
    assert code == 0 and "round 3 of 4" in stdout
    assert set(followupdocs.load(out).initiatives[0].economy.smileys) <= {3}


def test_debug_shows_the_traceback(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    bad = tmp_path / "x.docx"
    bad.write_text("not a zip")
    with pytest.raises(followupdocs.DocumentError):
        followupdocs.cli.main(["--debug", "import", str(bad)])


# --- bad documents ----------------------------------------------------------------------------


def _not_a_docx(doc: Path, tmp: Path) -> tuple[Path, str]:
    path = tmp / "notes.docx"
    path.write_text("Første opfølgning\n")
    return path, f"{path}: not a Word document (.docx)"


def _no_cards(doc: Path, tmp: Path) -> tuple[Path, str]:
    path = tmp / "empty.docx"
    document = docx.Document()
    document.add_paragraph("Første opfølgning på Aftale om budget 2018 på Økonomiudvalgets område")
    document.add_table(rows=2, cols=2).cell(0, 0).text = "Nr."
    document.save(str(path))
    return path, (
        f"{path}: no card found: no table with 'Tid' in its first row or with 'Milepæl' rows; "
        "is it a follow-up document?"
    )


def _row_missing(doc: Path, tmp: Path) -> tuple[Path, str]:
    def drop(root: Any) -> None:
        first = cards(root)[0]
        first.remove(rows(first)[-1])  # the "Økonomi" row

    return edited(doc, tmp / "row.docx", drop), (
        f"{tmp / 'row.docx'}: table 3: the card 1.02 has no 'Økonomi' row"
    )


def _milestone_missing(doc: Path, tmp: Path) -> tuple[Path, str]:
    def drop(root: Any) -> None:
        first = cards(root)[0]
        first.remove(rows(first)[4])  # the "Milepæl" row of the third round

    return edited(doc, tmp / "milestone.docx", drop), (
        f"{tmp / 'milestone.docx'}: table 3: the card 1.02 has no 'Milepæl' row for "
        "'3. budgetopfølgning 2018'"
    )


def _same_number(doc: Path, tmp: Path) -> tuple[Path, str]:
    def renumber(root: Any) -> None:
        text = rows(cards(root)[1])[0].find(".//w:t", NS)
        text.text = "1.02. " + text.text.split(". ", 1)[1]

    return edited(doc, tmp / "twice.docx", renumber), (
        f"{tmp / 'twice.docx'}: table 4: the number '1.02' is already used by the card in "
        "table 3; it is left out"
    )


def _unknown_smiley(doc: Path, tmp: Path) -> tuple[Path, str]:
    def symbol(root: Any) -> None:
        cell = rows(cards(root)[0])[2].findall("w:tc", NS)[-1]
        run = cell.find(".//w:drawing", NS).getparent()
        for child in list(run):
            run.remove(child)
        etree.SubElement(run, f"{{{W}}}sym", {f"{{{W}}}font": "Wingdings", f"{{{W}}}char": "F04D"})

    return edited(doc, tmp / "bomb.docx", symbol), (
        f"{tmp / 'bomb.docx'}: table 3, row 3, cell 4: the smiley is neither a smiley picture nor "
        "a known symbol (found the symbol U+F04D in Wingdings); use a smiley picture or "
        "Wingdings J, K or L"
    )


@pytest.mark.parametrize(
    "make",
    [_not_a_docx, _no_cards, _row_missing, _milestone_missing, _same_number, _unknown_smiley],
    ids=lambda f: f.__name__.strip("_"),
)
def test_a_bad_document_is_a_located_message_and_nothing_is_written(
    capsys: pytest.CaptureFixture[str],
    example_docs: dict[int, Path],
    tmp_path: Path,
    make: Callable[[Path, Path], tuple[Path, str]],
) -> None:
    path, message = make(example_docs[1], tmp_path)
    out = tmp_path / "out.yaml"
    code, stdout, err = run_cli(capsys, "import", path, "-o", out, "--kommune", "K")
    assert (code, stdout) == (1, "")
    assert message in err.splitlines()
    assert not out.exists()
