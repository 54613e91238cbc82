"""The command line through `main([...])`: exit codes, messages, files written and left alone."""

from __future__ import annotations

import errno
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from docx import Document

import followupdocs
import followupdocs._output
import followupdocs._soffice
from followupdocs import AgreementError, load
from followupdocs.cli import main
from helpers import EXAMPLE, FAKE_SOFFICE, ROOT, all_text, program

CLI_DATA = Path(__file__).resolve().parent / "data" / "cli"
VALID = CLI_DATA / "valid.yaml"  # four rounds, smileys at rounds 1 and 2
INVALID = CLI_DATA / "invalid.yaml"  # a misspelt key and a wrong kind
NUMBER_WARNING = CLI_DATA / "number-warning.yaml"  # initiative 2.01 under theme 1
TEMPLATE = ROOT / "templates" / "opfoelgning.docx"
SCHEMA_FILE = ROOT / "schema" / "followupdocs.schema.json"

# A time in the past, so a rewrite of a file shows in its mtime even on coarse clocks.
OLD_MTIME_NS = 1_500_000_000 * 10**9
LOCATED = re.compile(r"^(?P<file>[^:]+):(?P<line>\d+):(?P<col>\d+): (?P<path>\S+): (?P<msg>.+)$")
KEYS = [
    "kommune",
    "aftale",
    "udvalg",
    "titel",
    "læsevejledning",
    "opfølgninger",
    "temaer",
    "nummer",
    "indsatser",
    "type",
    "aftaletekst",
    "ansvarligt_center",
    "ansvarligt_udvalg",
    "væsentlig_bidragsyder",
    "gennemførelse",
    "milepæle",
    "tekst",
    "status",
    "smiley",
    "økonomi",
]
COMMANDS = ["render", "validate", "new", "schema", "check-template", "forms", "collect"]


@dataclass(frozen=True)
class Run:
    """What one call of the command line did."""

    code: int
    out: str
    err: str

    @property
    def err_lines(self) -> list[str]:
        return [line for line in self.err.splitlines() if line.strip()]


Cli = Callable[..., Run]


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str]) -> Cli:
    """Return a function that runs the command line and returns its exit code and output."""

    def run(*args: str | os.PathLike[str]) -> Run:
        capsys.readouterr()  # drop anything printed before this call
        code = main([str(a) for a in args])  # main returns; it never raises SystemExit
        out, err = capsys.readouterr()
        assert "Traceback" not in out + err
        return Run(code, out, err)

    return run


@pytest.fixture
def here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Work in an empty folder, as the secretariat does."""
    monkeypatch.chdir(tmp_path)
    return tmp_path


def copy(source: Path, folder: Path, name: str | None = None) -> Path:
    """Copy `source` into `folder` with an old mtime, and return the copy."""
    target = folder / (name or source.name)
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(source, target)
    os.utime(target, ns=(OLD_MTIME_NS, OLD_MTIME_NS))
    return target


def state(path: Path) -> tuple[bytes, int]:
    """Return what must not change when a file is left alone: its bytes and its mtime."""
    return path.read_bytes(), path.stat().st_mtime_ns


def listing(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


def old_output(path: Path) -> tuple[bytes, int]:
    """Write a stand-in for an earlier render at `path` and return its state."""
    path.write_bytes(b"the earlier document, which must survive a failed render")
    os.utime(path, ns=(OLD_MTIME_NS, OLD_MTIME_NS))
    return state(path)


def document_title(path: Path) -> str:
    """Open a rendered .docx again and return its title property."""
    return str(Document(str(path)).core_properties.title)


# --- render ---------------------------------------------------------------------------------


def test_render_writes_docx_named_after_the_yaml_in_the_current_folder(
    cli: Cli, here: Path
) -> None:
    source = copy(VALID, here / "input")
    before = state(source)

    run = cli("render", "input/valid.yaml")

    assert run.code == 0, run.err
    assert run.err == ""
    assert re.fullmatch(r"input/valid\.yaml -> valid\.docx \(\d+\.\d s\)\n", run.out)
    assert listing(here) == ["input", "valid.docx"]
    assert listing(here / "input") == ["valid.yaml"]
    # Default round: the latest with a smiley (2).
    assert document_title(here / "valid.docx") == (
        "Anden opfølgning på Aftale om budget 2018 på Økonomiudvalgets område"
    )
    text = all_text(here / "valid.docx")
    assert "Arbejdet med Vision 2029" in text
    assert "Den økonomiske strategi" in text
    assert state(source) == before


def test_render_output_option_and_round(cli: Cli, here: Path) -> None:
    source = copy(VALID, here)
    before = state(source)

    run = cli("render", "valid.yaml", "-o", "udvalg/bilag.docx", "--round", "1")

    assert run.code == 3  # the folder udvalg does not exist yet
    assert "udvalg/bilag.docx" in run.err
    assert "folder does not exist" in run.err
    assert not (here / "udvalg").exists()

    (here / "udvalg").mkdir()
    run = cli("render", "valid.yaml", "-o", "udvalg/bilag.docx", "--round", "1")

    assert run.code == 0, run.err
    assert run.out.startswith("valid.yaml -> udvalg/bilag.docx (")
    assert listing(here / "udvalg") == ["bilag.docx"]
    assert listing(here) == ["udvalg", "valid.yaml"]
    assert document_title(here / "udvalg" / "bilag.docx").startswith("Første opfølgning på")
    assert state(source) == before


def test_render_replaces_an_existing_output(cli: Cli, here: Path) -> None:
    copy(VALID, here)
    old_output(here / "valid.docx")

    run = cli("render", "valid.yaml")

    assert run.code == 0, run.err
    assert zipfile.is_zipfile(here / "valid.docx")
    assert listing(here) == ["valid.docx", "valid.yaml"]  # no temp file left beside it


def test_render_several_files_into_outdir_with_progress_lines(cli: Cli, here: Path) -> None:
    first = copy(VALID, here, "a.yaml")
    second = copy(EXAMPLE, here, "b.yaml")
    (here / "ud").mkdir()

    run = cli("render", "a.yaml", "b.yaml", "--outdir", "ud")

    assert run.code == 0, run.err
    lines = run.out.splitlines()
    assert len(lines) == 2
    assert re.fullmatch(r"\[1/2\] a\.yaml -> ud/a\.docx \(\d+\.\d s\)", lines[0])
    assert re.fullmatch(r"\[2/2\] b\.yaml -> ud/b\.docx \(\d+\.\d s\)", lines[1])
    assert listing(here / "ud") == ["a.docx", "b.docx"]
    assert document_title(here / "ud" / "b.docx").startswith("Første opfølgning på Aftale om")
    assert listing(here) == ["a.yaml", "b.yaml", "ud"]
    assert first.stat().st_mtime_ns == second.stat().st_mtime_ns == OLD_MTIME_NS


def test_render_continues_after_an_invalid_file(cli: Cli, here: Path) -> None:
    bad = copy(INVALID, here)
    good = copy(VALID, here)
    before = state(bad), state(good)

    run = cli("render", "invalid.yaml", "valid.yaml")

    assert run.code == 1
    assert re.fullmatch(
        r"\[1/2\] invalid\.yaml -> not rendered, see the message above\n"
        r"\[2/2\] valid\.yaml -> valid\.docx \(\d+\.\d s\)\n",
        run.out,
    )
    assert len(run.err_lines) == 2
    for line in run.err_lines:
        assert LOCATED.match(line), line
        assert line.startswith("invalid.yaml:")
    assert "did you mean 'ansvarligt_center'?" in run.err
    assert "'Drfit' is not a kind" in run.err
    assert (here / "valid.docx").is_file()
    assert not (here / "invalid.docx").exists()
    assert (state(bad), state(good)) == before


def test_render_invalid_file_leaves_existing_output_alone(cli: Cli, here: Path) -> None:
    copy(INVALID, here)
    before = old_output(here / "invalid.docx")

    run = cli("render", "invalid.yaml")

    assert run.code == 1
    assert run.out == ""
    assert state(here / "invalid.docx") == before
    assert listing(here) == ["invalid.docx", "invalid.yaml"]


def test_render_missing_input_file(cli: Cli, here: Path) -> None:
    run = cli("render", "nowhere.yaml")

    assert run.code == 1
    assert run.err_lines == ["nowhere.yaml: cannot read the file: No such file or directory"]
    assert listing(here) == []


def test_render_round_beyond_the_agreement(cli: Cli, here: Path) -> None:
    source = copy(VALID, here)
    before = state(source)

    run = cli("render", "valid.yaml", "--round", "9")

    assert run.code == 1
    assert len(run.err_lines) == 1
    assert run.err.startswith("valid.yaml: round 9 does not exist")
    assert "rounds 1 to 4" in run.err
    assert listing(here) == ["valid.yaml"]
    assert state(source) == before


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (["render", "a.yaml", "b.yaml", "-o", "out.docx"], "-o/--output takes one input file"),
        (
            ["render", "a.yaml", "-o", "out.docx", "--outdir", "ud"],
            "either -o/--output or --outdir",
        ),
        (["render", "a.yaml", "--bogus"], "unrecognized arguments: --bogus"),
        (["render", "a.yaml", "--round", "x"], "invalid int value: 'x'"),
        (["render"], "the following arguments are required: FILE.yaml"),
        (["validate", "a.yaml", "--bogus"], "unrecognized arguments: --bogus"),
        (["new"], "the following arguments are required: FILE.yaml"),
        (["schema", "extra"], "unrecognized arguments: extra"),
        (["check-template"], "the following arguments are required: T.docx"),
        (["publish", "a.yaml"], "invalid choice: 'publish'"),
        ([], "the following arguments are required: COMMAND"),
    ],
)
def test_usage_errors_exit_2(cli: Cli, here: Path, args: list[str], fragment: str) -> None:
    source = copy(VALID, here, "a.yaml")
    copy(VALID, here, "b.yaml")
    (here / "ud").mkdir()
    before = state(source)

    run = cli(*args)

    assert run.code == 2
    assert run.out == ""
    assert fragment in run.err
    assert run.err_lines[0].startswith("usage: followupdocs")
    assert listing(here) == ["a.yaml", "b.yaml", "ud"]
    assert listing(here / "ud") == []
    assert state(source) == before


def test_render_outdir_that_does_not_exist_is_created(cli: Cli, here: Path) -> None:
    copy(VALID, here)

    run = cli("render", "valid.yaml", "--outdir", "nowhere/deeper")

    assert run.code == 0, run.err
    assert listing(here / "nowhere" / "deeper") == ["valid.docx"]
    assert document_title(here / "nowhere" / "deeper" / "valid.docx")


def test_render_never_writes_the_input(cli: Cli, here: Path) -> None:
    source = copy(VALID, here)
    before = state(source)

    run = cli("render", "valid.yaml", "-o", "valid.yaml")

    assert run.code == 2
    assert run.err_lines[-1].endswith(
        "valid.yaml is the input file; choose another output file with -o"
    )
    assert run.err_lines[0].startswith("usage: followupdocs render")
    assert listing(here) == ["valid.yaml"]
    assert state(source) == before


def _refuse(target: Path, real: Callable[..., Any]) -> Callable[..., Any]:
    """Wrap `real` so it raises PermissionError for `target`, as for a file open in Word."""

    def fake(*args: Any, **kwargs: Any) -> Any:
        names = [str(a) for a in args] + [str(v) for v in kwargs.values()]
        if str(target) in names or str(target.parent) in names:
            raise PermissionError(errno.EACCES, "Permission denied")
        return real(*args, **kwargs)

    return fake


@pytest.mark.parametrize("step", ["mkstemp", "replace"])
def test_render_output_not_writable(
    cli: Cli, here: Path, monkeypatch: pytest.MonkeyPatch, step: str
) -> None:
    source = copy(VALID, here)
    target = (here / "valid.docx").resolve()
    before = old_output(target)
    inputs = state(source)
    if step == "mkstemp":  # the folder is read-only: no temp file can be made beside the target
        real = tempfile.mkstemp
        monkeypatch.setattr(followupdocs._output.tempfile, "mkstemp", _refuse(target, real))
    else:  # the target is locked (open in Word): the temp file cannot take its place
        real = os.replace
        monkeypatch.setattr(followupdocs._output.os, "replace", _refuse(target, real))

    run = cli("render", str(target.parent / "valid.yaml"), "-o", str(target))

    assert run.code == 3
    assert run.out == ""
    assert len(run.err_lines) == 1
    message = run.err_lines[0]
    assert message.startswith(f"{target}: cannot write the file (Permission denied)")
    assert "open in Word, close it" in message
    assert "choose another output file with -o" in message
    assert state(target) == before
    assert listing(here) == ["valid.docx", "valid.yaml"]  # no temp file left
    assert state(source) == inputs


def test_render_debug_shows_the_exception(here: Path) -> None:
    copy(INVALID, here)

    with pytest.raises(AgreementError):
        main(["render", "--debug", "invalid.yaml"])


def test_render_with_a_broken_template(cli: Cli, here: Path, typo_template: Path) -> None:
    copy(VALID, here)

    run = cli("render", "valid.yaml", "--template", typo_template)

    assert run.code == 1
    assert len(run.err_lines) == 1
    assert card_table() in run.err
    assert "did you mean 'title'?" in run.err
    assert not (here / "valid.docx").exists()


def test_render_with_a_missing_template(cli: Cli, here: Path) -> None:
    copy(VALID, here)

    run = cli("render", "valid.yaml", "--template", "nope.docx")

    assert run.code == 1
    assert run.err_lines == ["nope.docx: the template file does not exist"]
    assert listing(here) == ["valid.yaml"]


# --- render --pdf ---------------------------------------------------------------------------


def test_pdf_without_libreoffice(cli: Cli, here: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    source = copy(VALID, here)
    before = state(source)
    monkeypatch.setenv("PATH", str(here / "no-programs"))
    monkeypatch.delenv("FOLLOWUPDOCS_SOFFICE", raising=False)
    monkeypatch.setattr(followupdocs._soffice, "standard_places", lambda **kwargs: [])

    run = cli("render", "valid.yaml", "--pdf")

    assert run.code == 3
    assert run.out == ""
    assert "LibreOffice is needed for PDF output" in run.err
    assert "apt-get install libreoffice" in run.err
    assert "valid.docx was written, only the PDF is missing" in run.err
    assert run.err.startswith("valid.docx: LibreOffice is needed")
    assert zipfile.is_zipfile(here / "valid.docx")
    assert listing(here) == ["valid.docx", "valid.yaml"]
    assert state(source) == before


def test_pdf_when_libreoffice_makes_no_pdf(
    cli: Cli, here: Path, tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake = program(tmp_path_factory.mktemp("bin") / "soffice")  # exits 0 and writes nothing
    copy(VALID, here)

    run = cli("render", "valid.yaml", "--pdf", "--soffice", str(fake))

    assert run.code == 3
    assert run.out == ""
    assert "valid.docx: LibreOffice could not convert the document" in run.err
    assert "only the PDF is missing" in run.err
    assert listing(here) == ["valid.docx", "valid.yaml"]


def test_pdf_with_a_converter(
    cli: Cli, here: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """The real LibreOffice makes the PDF in test_pdf; here a stand-in, so this test is quick."""
    fake = program(tmp_path_factory.mktemp("bin") / "soffice", FAKE_SOFFICE)
    source = copy(VALID, here)
    before = state(source)

    run = cli("render", "valid.yaml", "--pdf", "--soffice", str(fake))

    assert run.code == 0, run.err
    assert re.fullmatch(r"valid\.yaml -> valid\.docx \+ valid\.pdf \(\d+\.\d s\)\n", run.out)
    assert (here / "valid.pdf").read_bytes().startswith(b"%PDF")
    assert listing(here) == ["valid.docx", "valid.pdf", "valid.yaml"]
    assert state(source) == before


# --- validate -------------------------------------------------------------------------------


def test_validate_valid_file(cli: Cli, here: Path) -> None:
    source = copy(VALID, here)
    before = state(source)

    run = cli("validate", "valid.yaml")

    assert run.code == 0
    assert run.err == ""
    assert run.out == "valid.yaml: valid (2 themes, 2 initiatives, 4 rounds)\n"
    assert listing(here) == ["valid.yaml"]
    assert state(source) == before


def test_validate_invalid_file_lists_each_problem_located(cli: Cli, here: Path) -> None:
    source = copy(INVALID, here)
    before = state(source)

    run = cli("validate", "invalid.yaml")

    assert run.code == 1
    assert run.out == ""
    found = [LOCATED.match(line) for line in run.err_lines]
    assert all(found), run.err
    located = [(m["file"], int(m["line"]), int(m["col"]), m["path"]) for m in found if m]
    assert located == [
        ("invalid.yaml", 16, 9, "temaer[0].indsatser[0].ansvarligt_centre"),
        ("invalid.yaml", 17, 15, "temaer[0].indsatser[0].type"),
    ]
    assert "unknown key 'ansvarligt_centre'; did you mean 'ansvarligt_center'?" in run.err
    assert "use Drift, Anlæg or Anlæg og drift" in run.err
    assert listing(here) == ["invalid.yaml"]
    assert state(source) == before


@pytest.mark.parametrize(
    "name", ["missing-field.yaml", "tab-indentation.yaml", "latin-1.yaml", "duplicate-key.yaml"]
)
def test_validate_broken_files_from_the_catalogue(cli: Cli, here: Path, name: str) -> None:
    copy(ROOT / "tests" / "data" / "bad" / name, here)

    run = cli("validate", name)

    assert run.code == 1
    assert run.out == ""
    assert run.err_lines
    for line in run.err_lines:
        assert line.startswith(f"{name}:"), line
        assert re.match(rf"{re.escape(name)}:\d+(:\d+)?: ", line), line


def test_validate_missing_file(cli: Cli, here: Path) -> None:
    run = cli("validate", "nowhere.yaml")

    assert run.code == 1
    assert run.err_lines == ["nowhere.yaml: cannot read the file: No such file or directory"]


def test_validate_prints_a_warning_and_succeeds(cli: Cli, here: Path) -> None:
    copy(NUMBER_WARNING, here)

    run = cli("validate", "number-warning.yaml")

    assert run.code == 0
    assert run.out.startswith("number-warning.yaml: valid")
    assert run.err_lines == [
        "warning: number-warning.yaml:12:9: temaer[0].indsatser[0].nummer: the number '2.01' "
        "does not start with its theme's number '1'"
    ]


def test_render_prints_the_warning_too(cli: Cli, here: Path) -> None:
    copy(NUMBER_WARNING, here)

    run = cli("render", "number-warning.yaml")

    assert run.code == 0
    assert run.out.startswith("number-warning.yaml -> number-warning.docx (")
    assert len(run.err_lines) == 1
    assert run.err_lines[0].startswith("warning: number-warning.yaml:12:9: ")


def test_validate_round_lists_what_is_missing_by_centre(cli: Cli, here: Path) -> None:
    source = copy(EXAMPLE, here)
    before = state(source)
    agreement = load(EXAMPLE)
    centre_of = {i.number: i.responsible_centre for i in agreement.initiatives}

    run = cli("validate", source.name, "--round", "2")

    assert run.code == 0
    assert run.err == ""
    assert run.out.startswith(f"{source.name}: valid (8 themes, 35 initiatives, 4 rounds)\n")
    assert "Missing at round 2 (2. budgetopfølgning 2018): " in run.out
    lines = run.out.splitlines()
    assert "Arbejdsmarked (3)" in lines
    assert "  7.05 Styrket indsats mod socialt bedrageri: milestone smiley" in lines
    # Every item line sits under the heading of its own responsible centre.
    headings: list[str] = []
    centre = None
    items = 0
    for line in lines[3:]:
        if heading := re.fullmatch(r"(\S.*) \((\d+)\)", line):
            centre = heading[1]
            headings.append(centre)
        elif line.startswith("  "):
            number = line.split()[0]
            assert centre_of[number] == centre, line
            items += 1
    assert headings == sorted(headings, key=str.casefold)
    assert len(headings) == len(set(headings))
    assert items == len(agreement.missing(round=2))
    assert state(source) == before


def test_validate_round_with_nothing_missing(cli: Cli, here: Path) -> None:
    copy(VALID, here)

    run = cli("validate", "valid.yaml", "--round", "1")

    assert run.code == 0
    assert "Nothing is missing at round 1 (1. budgetopfølgning 2018)." in run.out


@pytest.mark.parametrize("round", ["9", "0"])
def test_validate_round_beyond_the_agreement(cli: Cli, here: Path, round: str) -> None:
    copy(VALID, here)

    run = cli("validate", "valid.yaml", "--round", round)

    assert run.code == 1
    assert run.err_lines == [
        f"valid.yaml: round {round} does not exist; this agreement has rounds 1 to 4"
    ]
    assert run.out == ""


# --- new ------------------------------------------------------------------------------------


def test_new_writes_a_commented_starter_that_validates(cli: Cli, here: Path) -> None:
    run = cli("new", "teknik.yaml")

    assert run.code == 0
    assert run.err == ""
    assert "wrote teknik.yaml" in run.out
    assert "followupdocs validate teknik.yaml" in run.out
    assert listing(here) == ["teknik.yaml"]
    agreement = load(here / "teknik.yaml")  # warnings are errors here: none expected
    assert agreement.themes
    text = (here / "teknik.yaml").read_text(encoding="utf-8")
    missing = [key for key in KEYS if not re.search(rf"^[ #-]*{key}:", text, flags=re.M)]
    assert missing == []
    assert sum(1 for line in text.splitlines() if "#" in line) >= 20

    assert cli("validate", "teknik.yaml").code == 0
    assert cli("render", "teknik.yaml").code == 0


def test_new_refuses_to_overwrite(cli: Cli, here: Path) -> None:
    existing = here / "teknik.yaml"
    existing.write_text("kommune: mine egne noter\n", encoding="utf-8")
    os.utime(existing, ns=(OLD_MTIME_NS, OLD_MTIME_NS))
    before = state(existing)

    run = cli("new", "teknik.yaml")

    assert run.code == 1
    assert run.out == ""
    assert run.err_lines == [
        "teknik.yaml: the file already exists; choose another name (nothing was changed)"
    ]
    assert state(existing) == before
    assert listing(here) == ["teknik.yaml"]


def test_new_twice(cli: Cli, here: Path) -> None:
    assert cli("new", "teknik.yaml").code == 0
    os.utime(here / "teknik.yaml", ns=(OLD_MTIME_NS, OLD_MTIME_NS))
    before = state(here / "teknik.yaml")

    run = cli("new", "teknik.yaml")

    assert run.code == 1
    assert "already exists" in run.err
    assert state(here / "teknik.yaml") == before


def test_new_in_a_folder_that_does_not_exist(cli: Cli, here: Path) -> None:
    run = cli("new", "nowhere/teknik.yaml")

    assert run.code == 3
    assert run.err_lines == [
        "nowhere/teknik.yaml: cannot write the file (No such file or directory)"
    ]
    assert listing(here) == []


# --- schema ---------------------------------------------------------------------------------


def _property_names(node: object) -> set[str]:
    names: set[str] = set()
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "properties" and isinstance(value, dict):
                names |= set(value)
            names |= _property_names(value)
    elif isinstance(node, list):
        for item in node:
            names |= _property_names(item)
    return names


def test_schema_prints_the_json_schema(cli: Cli, here: Path) -> None:
    run = cli("schema")

    assert run.code == 0
    assert run.err == ""
    schema = json.loads(run.out)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert set(schema["required"]) == {"kommune", "aftale", "udvalg", "opfølgninger", "temaer"}
    assert {"titel", "læsevejledning"} <= set(schema["properties"])
    assert schema["additionalProperties"] is False
    assert set(KEYS) <= _property_names(schema)
    assert listing(here) == []


def test_schema_file_is_the_generated_one(cli: Cli) -> None:
    assert SCHEMA_FILE.is_file(), (
        f"{SCHEMA_FILE.relative_to(ROOT)} is missing; generate it with "
        "'followupdocs schema > schema/followupdocs.schema.json'"
    )
    run = cli("schema")
    assert run.code == 0
    assert SCHEMA_FILE.read_text(encoding="utf-8") == run.out, (
        "the committed schema is out of date; regenerate it with "
        "'followupdocs schema > schema/followupdocs.schema.json'"
    )


# --- check-template -------------------------------------------------------------------------


def card_table() -> str:
    """Return where the card's title is in the default template: "table N, row 1"."""
    for number, table in enumerate(Document(str(TEMPLATE)).tables, start=1):
        if "{{ card.title }}" in table.rows[0].cells[0].text:
            return f"table {number}, row 1"
    raise AssertionError("the default template has no card table")


@pytest.fixture
def typo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Return a copy of the default template with {{ card.title }} misspelt as card.titel."""
    target = tmp_path_factory.mktemp("templates") / "typo.docx"
    with zipfile.ZipFile(TEMPLATE) as source, zipfile.ZipFile(target, "w") as copy_:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "word/document.xml":
                assert b"{{ card.title }}" in data
                data = data.replace(b"{{ card.title }}", b"{{ card.titel }}")
            copy_.writestr(item, data)
    return target


def test_check_template_default(cli: Cli) -> None:
    before = state(TEMPLATE)

    run = cli("check-template", TEMPLATE)

    assert run.code == 0
    assert run.err == ""
    assert run.out == f"{TEMPLATE}: the template is fine\n"
    assert state(TEMPLATE) == before


def test_check_template_with_a_typo(
    cli: Cli, typo_template: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(typo_template.parent)
    before = state(typo_template)

    run = cli("check-template", "typo.docx")

    assert run.code == 1
    assert run.out == ""
    assert len(run.err_lines) == 1
    message = run.err_lines[0]
    assert message.startswith(f"typo.docx: {card_table()}")
    assert "card.titel" in message
    assert "'titel' does not exist here; did you mean 'title'?" in message
    assert state(typo_template) == before


@pytest.mark.parametrize(
    ("name", "fragment"),
    [
        ("valid.yaml", "the file is not a Word document (.docx); open it in Word and save it"),
        ("nowhere.docx", "cannot read the template (No such file or directory)"),
    ],
)
def test_check_template_on_something_else(cli: Cli, here: Path, name: str, fragment: str) -> None:
    copy(VALID, here)

    run = cli("check-template", name)

    assert run.code == 1
    assert len(run.err_lines) == 1
    assert run.err_lines[0].startswith(f"{name}: ")
    assert fragment in run.err


# --- version and help -----------------------------------------------------------------------


def test_version(cli: Cli) -> None:
    run = cli("--version")

    assert run.code == 0
    assert run.out == f"followupdocs {followupdocs.__version__}\n"
    assert followupdocs.__version__ != "0+unknown"


@pytest.mark.parametrize("command", [None, *COMMANDS])
def test_help_has_an_example(cli: Cli, command: str | None) -> None:
    run = cli(*([command] if command else []), "--help")

    assert run.code == 0
    assert run.err == ""
    assert "example:\n  followupdocs " in run.out
    assert "exit codes:" in run.out
    if command:
        assert f"usage: followupdocs {command}" in run.out
        assert f"  followupdocs {command} " in run.out


def test_python_m_followupdocs() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "followupdocs", "--version"],
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )

    assert done.returncode == 0, done.stderr
    assert done.stdout == f"followupdocs {followupdocs.__version__}\n"


def test_same_output_name_twice_is_a_usage_error(cli: Cli, here: Path) -> None:
    (here / "x").mkdir()
    (here / "y").mkdir()
    copy(VALID, here / "x")
    copy(VALID, here / "y")

    run = cli("render", "x/valid.yaml", "y/valid.yaml")

    assert run.code == 2
    assert "several inputs would write valid.docx; rename one of them" in run.err
    assert listing(here) == ["x", "y"]


def test_output_that_is_a_folder_is_a_usage_error(cli: Cli, here: Path) -> None:
    copy(VALID, here)
    run = cli("render", "valid.yaml", "-o", ".")
    assert run.code == 2
    assert ". is a folder; give a file name with -o, or use --outdir" in run.err


@pytest.mark.parametrize("position", ["before", "after"])
def test_debug_shows_the_traceback_in_either_position(here: Path, position: str) -> None:
    copy(INVALID, here)
    args = ["render", "invalid.yaml", "--debug"]
    if position == "before":
        args = ["--debug", "render", "invalid.yaml"]
    with pytest.raises(followupdocs.AgreementError):
        main(args)
