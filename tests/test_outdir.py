"""--outdir makes its folder, and a failed write says what this command offers instead."""

from __future__ import annotations

import errno
import os
import shutil
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from docx import Document

import followupdocs
import followupdocs._output
import wordfill
from helpers import EXAMPLE
from helpers import run_cli as cli

INVALID = Path(__file__).resolve().parent / "data" / "cli" / "invalid.yaml"


@pytest.fixture
def here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    shutil.copyfile(EXAMPLE, tmp_path / EXAMPLE.name)
    return tmp_path


def test_the_forms_help_example_works_in_a_fresh_folder(
    here: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _, help_text, _ = cli(capsys, "forms", "--help")
    example = "followupdocs forms oekonomiudvalget-2018.yaml --round 2 --outdir skemaer"
    assert example in help_text

    code, out, err = cli(capsys, *example.split()[1:])

    assert code == 0, err
    forms = sorted((here / "skemaer").iterdir())
    centres = {i.responsible_centre for i in followupdocs.load(EXAMPLE).initiatives}
    assert len(forms) == len(centres) and all(p.suffix == ".docx" for p in forms)
    for form in forms:
        assert str(form.relative_to(here)) in out
        assert any(wordfill.tags(form)), form  # a real form, with its fields


def test_render_creates_nested_outdir(here: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = cli(capsys, "render", EXAMPLE.name, "--round", "1", "--outdir", "ud/2018")

    assert code == 0, err
    made = here / "ud" / "2018" / "oekonomiudvalget-2018.docx"
    assert out.startswith(f"{EXAMPLE.name} -> {Path('ud/2018/oekonomiudvalget-2018.docx')} (")
    assert Document(str(made)).core_properties.title.startswith("Første opfølgning")


def test_a_failed_render_leaves_no_new_folder(
    here: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    shutil.copyfile(INVALID, here / "invalid.yaml")

    code, _, _ = cli(capsys, "render", "invalid.yaml", "--outdir", "ud/2018")

    assert code == 1
    assert not (here / "ud").exists()


@pytest.mark.parametrize("command", ["render", "forms"])
def test_outdir_that_is_a_file(
    here: Path, capsys: pytest.CaptureFixture[str], command: str
) -> None:
    (here / "ud").write_text("not a folder", encoding="utf-8")
    extra = ["--round", "2"]

    code, out, err = cli(capsys, command, EXAMPLE.name, *extra, "--outdir", "ud")

    assert code == 3
    assert out == ""
    assert err.splitlines() == [
        "ud: --outdir names a file, not a folder; choose another folder with --outdir"
    ]
    assert sorted(p.name for p in here.iterdir()) == [EXAMPLE.name, "ud"]


def _refuse(suffix: str, real: Callable[..., Any]) -> Callable[..., Any]:
    """Wrap os.replace so that replacing a file ending in `suffix` is refused, as when locked."""

    def replace(source: Any, target: Any, *args: Any, **kwargs: Any) -> Any:
        if str(target).endswith(suffix):
            raise PermissionError(errno.EACCES, os.strerror(errno.EACCES))
        return real(source, target, *args, **kwargs)

    return replace


def test_collect_write_failure_offers_no_option_it_does_not_have(
    here: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    code, _, err = cli(capsys, "forms", EXAMPLE.name, "--round", "2", "--outdir", "skemaer")
    assert code == 0, err
    form = sorted((here / "skemaer").iterdir())[0]
    status = next(tag for tag in wordfill.tags(form) if "status" in tag)
    wordfill.fill(form, {status: "Skrevet i skemaet."})
    before = (here / EXAMPLE.name).read_bytes()
    monkeypatch.setattr(followupdocs._output.os, "replace", _refuse(".yaml", os.replace))

    code, _, err = cli(capsys, "collect", EXAMPLE.name, form, "--write")

    assert code == 3
    [line] = err.splitlines()
    assert line.startswith(f"{EXAMPLE.name}: cannot write the file (")
    assert "close it" in line
    assert "-o" not in line and "--outdir" not in line
    assert (here / EXAMPLE.name).read_bytes() == before


@pytest.mark.parametrize(
    ("args", "target", "hint"),
    [
        (["render", EXAMPLE.name, "--round", "1"], "oekonomiudvalget-2018.docx",
         "if it is open in Word, close it, or choose another output file with -o"),
        (["render", EXAMPLE.name, "--round", "1", "--outdir", "ud"], "oekonomiudvalget-2018.docx",
         "if it is open in Word, close it, or choose another folder with --outdir"),
        (["forms", EXAMPLE.name, "--round", "2", "--outdir", "ud"], ".docx",
         "if it is open in Word, close it, or choose another folder with --outdir"),
    ],
)  # fmt: skip
def test_write_failure_hint_fits_the_command(
    here: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    args: list[str],
    target: str,
    hint: str,
) -> None:
    monkeypatch.setattr(followupdocs._output.os, "replace", _refuse(target, os.replace))

    code, _, err = cli(capsys, *args)

    assert code == 3
    [line] = err.splitlines()
    assert "cannot write the file (Permission denied)" in line
    assert line.endswith(hint)
    written = [p for p in here.rglob("*.docx") if zipfile.is_zipfile(p)]
    assert written == []
