"""Centres whose names differ only in case or spacing, and very long centre names, in forms."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from docx import Document

import followupdocs
import wordfill
from followupdocs import collect, write_forms
from helpers import EXAMPLE
from helpers import run_cli as run

VARIANTS = ("Ejendomme", "ejendomme", "EJENDOMME")


@pytest.fixture
def variants(tmp_path: Path) -> Path:
    """The example with Ejendomme's initiatives spread over three spellings of the name."""
    lines = EXAMPLE.read_text(encoding="utf-8").split("\n")
    at = [i for i, line in enumerate(lines) if line.endswith("ansvarligt_center: Ejendomme")]
    for index, name in zip(at[1:3], VARIANTS[1:], strict=True):
        lines[index] = lines[index].replace("Ejendomme", name)
    spaced = next(i for i, line in enumerate(lines) if line.endswith("center: Økonomi og Styring"))
    lines[spaced] = lines[spaced].replace("Økonomi og Styring", "Økonomi og  Styring")
    path = tmp_path / "aftale.yaml"
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


NAMES = """
import json, sys
import followupdocs
from followupdocs._forms import _file_names, centres
agreement = followupdocs.load(sys.argv[1])
print(json.dumps(list({"EJENDOMME", "Ejendomme", "ejendomme"})))
print(json.dumps(_file_names(centres(agreement), "skema")))
"""


def test_form_file_names_do_not_depend_on_the_hash_seed(variants: Path) -> None:
    orders, seen = set(), set()
    for seed in ("0", "1", "3"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        done = subprocess.run(
            [sys.executable, "-c", NAMES, str(variants)],
            capture_output=True,
            text=True,
            env=env,
            check=True,
        )
        order, names = done.stdout.splitlines()
        orders.add(order)
        seen.add(names)
    # The seeds put the three spellings in a set in three different orders, so a name chosen
    # by set order would differ between them.
    assert len(orders) == 3
    (names,) = seen
    assert {centre: name for centre, name in json.loads(names).items() if "ejendomme" in name} == {
        "EJENDOMME": "skema-ejendomme.docx",
        "Ejendomme": "skema-ejendomme-2.docx",
        "ejendomme": "skema-ejendomme-3.docx",
    }


def test_one_centres_form_never_overwrites_another_centres(
    variants: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    folder = tmp_path / "skemaer"
    folder.mkdir()
    report = followupdocs.load_report(variants)
    assert "differs only in case or spacing" in str(report.warnings[0])
    agreement = report.agreement
    written = write_forms(agreement, folder, round=2, prefix="aftale-runde2")
    before = {path: path.read_bytes() for path in folder.iterdir()}
    assert len(before) == len(written)

    code, out, _ = run(
        capsys, "forms", variants, "--round", "2", "--centre", "ejendomme", "--outdir", folder
    )

    assert code == 0
    assert out.splitlines()[0].startswith(f"{written['ejendomme']} (ejendomme, ")
    changed = [path for path in folder.iterdir() if path.read_bytes() != before[path]]
    assert changed in ([], [written["ejendomme"]])  # the same form again, at most
    assert sorted(folder.iterdir()) == sorted(before)


def test_a_centre_name_matching_several_spellings_is_refused(
    variants: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code, _, err = run(
        capsys, "forms", variants, "--round", "2", "--centre", "ejendomme ", "--outdir", tmp_path
    )
    assert code == 1
    assert err.splitlines()[-1] == (
        f"{variants}: the responsible centres 'EJENDOMME', 'Ejendomme', 'ejendomme' differ "
        "only in case or spacing; give the name exactly as the YAML writes it"
    )
    assert not list(tmp_path.glob("*.docx"))


def test_validate_warns_of_centres_that_differ_only_in_case_or_spacing(
    variants: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(capsys, "validate", variants)
    assert code == 0
    spelt = "so it gets a form of its own; spell it the same way everywhere if it is one centre"
    assert err.splitlines() == [
        f"warning: {variants}:101:28: temaer[1].indsatser[1].ansvarligt_center: the centre "
        "'Økonomi og Styring' differs only in case or spacing from 'Økonomi og  Styring' "
        f"(initiative 2.02.1, line 77), {spelt}",
        f"warning: {variants}:169:28: temaer[2].indsatser[1].ansvarligt_center: the centre "
        f"'ejendomme' differs only in case or spacing from 'Ejendomme' (initiative 3.04, line "
        f"140), {spelt}",
        f"warning: {variants}:194:28: temaer[2].indsatser[2].ansvarligt_center: the centre "
        f"'EJENDOMME' differs only in case or spacing from 'Ejendomme' (initiative 3.04, line "
        f"140), {spelt}",
    ]
    code, _, err = run(capsys, "validate", EXAMPLE)
    assert code == 0 and err == ""


def test_a_very_long_centre_name(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    long = "Center for " + " ".join(["Ejendomme, Anlæg og Bygningsvedligeholdelse"] * 6)
    assert len(long) > 250
    path = tmp_path / "aftale.yaml"
    path.write_text(
        EXAMPLE.read_text(encoding="utf-8").replace(
            "ansvarligt_center: Ejendomme", f"ansvarligt_center: {long}"
        ),
        encoding="utf-8",
    )
    monkeypatch.chdir(tmp_path)

    code, _, err = run(capsys, "forms", path.name, "--round", "2")

    assert code == 0, err
    (form,) = [p for p in tmp_path.glob("*.docx") if p.name.startswith("aftale-runde2-center")]
    assert len(form.name) < 100
    title = Document(str(form)).core_properties.title
    assert len(title) == 255 and title.endswith("…")
    assert title.startswith("Status til 2. budgetopfølgning 2018: Center for Ejendomme")

    wordfill.fill(form, {"followupdocs:3.04:2:smiley": "Gul"})
    found = collect(followupdocs.load(path), [form])
    assert found.conflicts == ()
    assert [(c.number, c.new) for c in found.changes] == [("3.04", "gul")]
    with zipfile.ZipFile(form) as package:
        assert long.encode() in package.read("word/document.xml")  # the form shows it whole
