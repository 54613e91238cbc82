"""What the test modules share: the paths, the command-line runner, LibreOffice, reading .docx.

Import from here (`from helpers import EXAMPLE, run_cli`); pytest puts tests/ on the path.
"""

from __future__ import annotations

import functools
import os
import shutil
import stat
import subprocess
import sys
import tempfile
from pathlib import Path

import docx
import docx.table
import pytest

import followupdocs
from followupdocs.cli import main

__all__ = [
    "DATA",
    "EXAMPLE",
    "FAKE_SOFFICE",
    "ROOT",
    "WP",
    "all_text",
    "card_tables",
    "cell_text",
    "forms_for",
    "images",
    "needs_soffice",
    "program",
    "run_cli",
    "soffice_convert",
    "tag",
    "texts",
]

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "oekonomiudvalget-2018.yaml"
DATA = Path(__file__).resolve().parent / "data"
WP = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"

# Locally a machine without LibreOffice skips these tests; in CI (CI set) they must run, so a
# missing LibreOffice fails them instead of passing silently.
needs_soffice = pytest.mark.skipif(
    shutil.which("soffice") is None and not os.environ.get("CI"),
    reason="LibreOffice (soffice) is not installed",
)


def run_cli(
    capsys: pytest.CaptureFixture[str], *args: str | os.PathLike[str]
) -> tuple[int, str, str]:
    """Run the command line through main(); return its exit code, stdout and stderr."""
    capsys.readouterr()  # drop anything printed before this call
    code = main([str(a) for a in args])  # main returns; it never raises SystemExit
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    return code, out, err


def images(path: Path) -> list[str]:
    """Return the alt text of every image in the body, in document order."""
    document = docx.Document(str(path))
    return [d.get("descr") for d in document.element.body.iter(f"{{{WP}}}docPr")]


def card_tables(path: Path) -> list[docx.table.Table]:
    """Return the cards: the tables whose header row ends with "Tid" and "Smiley"."""
    return [
        t
        for t in docx.Document(str(path)).tables
        if [c.text for c in t.rows[0].cells[3:]] == ["Tid", "Smiley"]
    ]


def cell_text(cell: docx.table._Cell) -> str:
    """Return a cell's paragraphs, one a line."""
    return "\n".join(p.text for p in cell.paragraphs)


def all_text(path: Path) -> str:
    """Return the text of every body paragraph and every table cell, one a line."""
    document = docx.Document(str(path))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.extend(cell_text(c) for c in row.cells)
    return "\n".join(parts)


def tag(number: str, round: int, field: str) -> str:
    """Return the tag a form field of initiative `number` carries in Word."""
    return f"followupdocs:{number}:{round}:{field}"


def texts(problems: object) -> list[str]:
    """Return template problems as the lines they print, without the template's name."""
    assert isinstance(problems, (list, tuple))
    return [str(p).removeprefix(f"{p.source}: ") for p in problems]


@functools.cache
def _forms(yaml: bytes, round: int, centre: str | None) -> tuple[tuple[str, str, bytes], ...]:
    """The forms of the agreement `yaml` as (centre, file name, bytes), written once a process."""
    with tempfile.TemporaryDirectory() as work:
        source = Path(work) / "agreement.yaml"
        source.write_bytes(yaml)
        agreement = followupdocs.load(source)
        written = followupdocs.write_forms(agreement, work, round=round, centre=centre)
        return tuple((name, path.name, path.read_bytes()) for name, path in written.items())


def forms_for(
    yaml_path: Path, round: int, folder: Path | None = None, *, centre: str | None = None
) -> dict[str, Path]:
    """Write the forms of `round` (only `centre`'s if given) for the agreement at `yaml_path`.

    The forms of one YAML text are built once per test process and copied: dozens of tests
    fill the same forms, and building them is what made the suite slow. test_forms tests
    `write_forms` itself and does not use this.
    """
    folder = folder or yaml_path.parent / f"forms{round}"
    folder.mkdir(exist_ok=True)
    written = {}
    for name, file_name, data in _forms(yaml_path.read_bytes(), round, centre):
        written[name] = folder / file_name
        written[name].write_bytes(data)
    return written


def soffice_convert(
    files: list[Path],
    outdir: Path,
    profile: Path,
    to: str = "docx:MS Word 2007 XML",
    *,
    timeout: float = 600,
) -> list[Path]:
    """Open `files` in one headless LibreOffice run with its own profile and save them in
    `outdir` as `to` (a Word document unless told); return the saved files, each checked."""
    subprocess.run(
        [
            shutil.which("soffice") or "soffice",
            f"-env:UserInstallation={profile.as_uri()}",
            "--headless",
            "--convert-to",
            to,
            "--outdir",
            str(outdir),
            *map(str, files),
        ],
        check=True,
        capture_output=True,
        timeout=timeout,
    )
    suffix = "." + to.split(":")[0]
    saved = [outdir / Path(file).with_suffix(suffix).name for file in files]
    assert all(path.exists() for path in saved), saved
    return saved


# A stand-in for soffice: logs its arguments (to FAKE_SOFFICE_LOG, when set), writes a small PDF
# per input into --outdir, and fails (as LibreOffice does: a message, exit 0, no file) for
# inputs whose name holds "broken". Tests of our side of a conversion use it; the real
# LibreOffice is tested where its PDF is what matters (test_pdf's batch, the forms).
FAKE_SOFFICE = f"""\
#!{sys.executable}
import json, os, sys
args = sys.argv[1:]
if "FAKE_SOFFICE_LOG" in os.environ:
    with open(os.environ["FAKE_SOFFICE_LOG"], "a", encoding="utf-8") as log:
        log.write(json.dumps(args) + "\\n")
outdir = args[args.index("--outdir") + 1]
for name in args[args.index("--outdir") + 2:]:
    stem = os.path.splitext(os.path.basename(name))[0]
    if "broken" in stem:
        print("Error: source file could not be loaded")
        continue
    with open(os.path.join(outdir, stem + ".pdf"), "wb") as pdf:
        pdf.write(b"%PDF-1.7 fake " + open(name, "rb").read()[:2])
"""


def program(path: Path, text: str = "#!/bin/sh\nexit 0\n") -> Path:
    """Write an executable file at `path` and return it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    path.chmod(path.stat().st_mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)
    return path
