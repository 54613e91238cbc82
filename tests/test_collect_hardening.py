"""Forms from outside: hostile variants of a real form, built here from a generated one.

Each test edits the XML of a form followupdocs wrote (tests/wordfill.py), the way a person,
another editor or an attacker could, and checks that collect reads what Word shows, answers
only for the form's own centre, and refuses what it cannot read with one located line.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from lxml import etree

import followupdocs
import wordfill
from followupdocs import collect, write_forms
from followupdocs.cli import main

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "oekonomiudvalget-2018.yaml"
W = wordfill.W
NS = wordfill.NS
ECONOMY = "Økonomi og Styring"  # 2.02.1, 2.02.2, 2.02.3, 5.07, 8.08
POLITICAL = "Politisk Sekretariat"  # 1.02 among others


def tag(number: str, round: int, field: str) -> str:
    return f"followupdocs:{number}:{round}:{field}"


@pytest.fixture
def yaml_copy(tmp_path: Path) -> Path:
    target = tmp_path / "oekonomiudvalget-2018.yaml"
    shutil.copyfile(EXAMPLE, target)
    return target


def form(yaml_path: Path, centre: str = ECONOMY, round: int = 2) -> Path:
    folder = yaml_path.parent / "forms"
    folder.mkdir(exist_ok=True)
    return write_forms(followupdocs.load(yaml_path), round, folder, centre=centre)[centre]


def run(capsys: pytest.CaptureFixture[str], *args: str | Path) -> tuple[int, str, str]:
    capsys.readouterr()
    code = main([str(a) for a in args])
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    return code, out, err


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
