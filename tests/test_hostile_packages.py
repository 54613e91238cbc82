"""Zip bombs and odd zip entries in templates and forms (issue 14, items 6 and 9).

The packages are built by tests/hostile.py: the default template or a real form with one entry
replaced. Each is refused in one line naming the part, with exit code 1, before anything large
is inflated.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

import followupdocs
import hostile
from followupdocs._docx.package import Limits, PackageError, read_package
from followupdocs.cli import main
from helpers import EXAMPLE

GB = 1 << 30
MB = 1 << 20

Make = Callable[[str, bytes], hostile.Entry]
# (case, the part replaced, how, the message after "<file>: " and the part's name)
CASES: list[tuple[str, str, Make, str]] = [
    ("bomb", "word/styles.xml", hostile.bomb_of(3 * GB // 2),
     r"the style sheet \(word/styles\.xml\) unpacks to 1536 MB, more than the 200 MB a part may "
     r"have; it is damaged or built to exhaust the computer's memory"),
    ("ratio", "word/styles.xml", hostile.bomb_of(100 * MB),
     r"the style sheet \(word/styles\.xml\) unpacks to \d+ times its packed size \(more than "
     r"200\); it is damaged or built to exhaust the computer's memory"),
    ("lying-bomb", "word/document.xml", hostile.lying_bomb_of(GB),
     r"the document's text \(word/document\.xml\) is (larger than it says|damaged \(.*\); save "
     r"the document again in Word)"),
    ("encrypted", "word/document.xml", hostile.encrypted,
     r"the document's text \(word/document\.xml\) is stored encrypted, which Word never does; "
     r"save the document again in Word"),
    ("unknown-method", "word/document.xml", hostile.unknown_method,
     r"the document's text \(word/document\.xml\) is compressed with a method Word does not use "
     r"\(method 99\); save the document again in Word"),
]  # fmt: skip
IDS = [case for case, *_ in CASES]


def one_line(err: str) -> str:
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    return lines[0]


@pytest.mark.parametrize(("case", "part", "make", "message"), CASES, ids=IDS)
def test_a_hostile_template_package(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    case: str,
    part: str,
    make: Make,
    message: str,
) -> None:
    template = hostile.with_entry(tmp_path / "t.docx", hostile.DEFAULT, part, make)
    assert main(["check-template", str(template)]) == 1
    line = one_line(capsys.readouterr().err)
    assert re.fullmatch(re.escape(f"{template}: ") + message, line), line
    output = tmp_path / "ud" / "x.docx"
    output.parent.mkdir()
    assert main(["render", str(EXAMPLE), "--template", str(template), "-o", str(output)]) == 1
    assert one_line(capsys.readouterr().err) == line
    assert list(output.parent.iterdir()) == []


@pytest.fixture(scope="module")
def form(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A copy of the example and the form of Økonomi og Styring at round 2."""
    folder = tmp_path_factory.mktemp("form")
    yaml = folder / "aftale.yaml"
    shutil.copyfile(EXAMPLE, yaml)
    written = followupdocs.write_forms(
        followupdocs.load(yaml), folder, round=2, centre="Økonomi og Styring"
    )
    return yaml, next(iter(written.values()))


@pytest.mark.parametrize(("case", "part", "make", "message"), CASES, ids=IDS)
def test_a_hostile_form_package(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    form: tuple[Path, Path],
    case: str,
    part: str,
    make: Make,
    message: str,
) -> None:
    yaml, real = form
    before = yaml.read_bytes()
    hostile_form = hostile.with_entry(tmp_path / "svar.docx", real, part, make)
    assert main(["collect", str(yaml), str(hostile_form), "--write"]) == 1
    err = capsys.readouterr().err
    line = one_line(err)
    assert re.fullmatch(re.escape(f"{hostile_form}: ") + message, line), line
    assert yaml.read_bytes() == before


def test_a_3_gb_form_is_refused_from_its_directory(tmp_path: Path, form: tuple[Path, Path]) -> None:
    yaml, real = form
    bomb = hostile.with_entry(
        tmp_path / "svar.docx", real, "word/document.xml", hostile.bomb_of(3 * GB)
    )
    assert 2 * MB < bomb.stat().st_size < 4 * MB
    found = followupdocs.collect(followupdocs.load(yaml), [bomb])
    assert found.conflicts == (
        f"{bomb}: the document's text (word/document.xml) unpacks to 3072 MB, more than the "
        "200 MB a part may have; it is damaged or built to exhaust the computer's memory",
    )


def test_too_many_entries(tmp_path: Path) -> None:
    entries = [hostile.deflated(f"word/media/image{n}.png", b"x") for n in range(1001)]
    package = hostile.write_zip(tmp_path / "t.docx", entries)
    with pytest.raises(PackageError, match=r"^the package holds 1001 parts, more than the 1000 "):
        read_package(package)


def test_limits_can_be_set_per_use(tmp_path: Path) -> None:
    """The import of committee documents may allow more than a template; the limits are data."""
    template = hostile.with_entry(
        tmp_path / "t.docx", hostile.DEFAULT, "word/styles.xml", hostile.bomb_of(300 * MB)
    )
    with pytest.raises(PackageError):
        read_package(template)
    small = Limits(part=1 * MB)
    with pytest.raises(PackageError, match=r"the document's text .* more than the 1 MB a part"):
        read_package(
            hostile.write_parts(tmp_path / "big.docx", {"word/document.xml": b" " * (2 * MB)}),
            small,
        )


def test_the_real_template_and_a_large_document_pass() -> None:
    parts = read_package(hostile.DEFAULT)
    assert "word/document.xml" in parts and parts["[Content_Types].xml"].startswith(b"<?xml")
