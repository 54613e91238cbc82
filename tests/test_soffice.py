"""Finding LibreOffice, batching the conversions, and ending a hung LibreOffice, with fakes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import followupdocs
import followupdocs._output
import followupdocs._soffice as soffice_module
from followupdocs import PdfError
from followupdocs._soffice import ENV_VAR, Search, find_soffice, require_soffice, standard_places
from helpers import FAKE_SOFFICE, program
from helpers import run_cli as cli

CLI_DATA = Path(__file__).resolve().parent / "data" / "cli"
VALID = CLI_DATA / "valid.yaml"


@pytest.fixture
def fake(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Return a fake soffice; its runs are logged in FAKE_SOFFICE_LOG."""
    log = tmp_path / "soffice-log.jsonl"
    log.touch()
    monkeypatch.setenv("FAKE_SOFFICE_LOG", str(log))
    yield program(tmp_path / "bin" / "soffice", FAKE_SOFFICE)


@pytest.fixture
def private_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Make followupdocs' temporary folders in a folder of the test's own, to look at after."""
    folder = tmp_path / "tmp"
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    return folder


def runs(tmp_path: Path) -> list[list[str]]:
    lines = (tmp_path / "soffice-log.jsonl").read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines]


# --- where LibreOffice is looked for --------------------------------------------------------


def test_explicit_program_comes_first(tmp_path: Path) -> None:
    explicit = program(tmp_path / "mine" / "soffice")
    on_path = program(tmp_path / "path" / "soffice")
    search = Search(environ={ENV_VAR: str(on_path)}, path=str(on_path.parent), places=[])

    assert find_soffice(explicit, search=search) == str(explicit)


def test_environment_variable_before_path(tmp_path: Path) -> None:
    chosen = program(tmp_path / "lo" / "program" / "soffice")
    on_path = program(tmp_path / "path" / "soffice")
    search = Search(environ={ENV_VAR: str(chosen)}, path=str(on_path.parent), places=[])

    assert find_soffice(search=search) == str(chosen)


def test_an_install_folder_is_accepted(tmp_path: Path) -> None:
    inside = program(tmp_path / "LibreOffice" / "program" / "soffice")
    search = Search(environ={ENV_VAR: str(tmp_path / "LibreOffice")}, path="", places=[])

    assert find_soffice(search=search) == str(inside)


@pytest.mark.parametrize("where", ["--soffice", ENV_VAR])
def test_an_explicit_choice_that_is_no_program_is_an_error(tmp_path: Path, where: str) -> None:
    on_path = program(tmp_path / "path" / "soffice")  # never used instead of what was asked
    missing = tmp_path / "nowhere" / "soffice"
    explicit = missing if where == "--soffice" else None
    environ = {ENV_VAR: str(missing)} if where == ENV_VAR else {}
    search = Search(environ=environ, path=str(on_path.parent), places=[])

    with pytest.raises(PdfError, match=f"^{where} {missing}: no LibreOffice program there$"):
        find_soffice(explicit, search=search)


def test_path_before_the_standard_places(tmp_path: Path) -> None:
    on_path = program(tmp_path / "path" / "libreoffice")
    installed = program(tmp_path / "opt" / "soffice")
    search = Search(environ={}, path=str(on_path.parent), places=[installed])

    assert find_soffice(search=search) == str(on_path)


@pytest.mark.parametrize("variable", ["ProgramFiles", "ProgramFiles(x86)"])
def test_windows_program_files(tmp_path: Path, variable: str) -> None:
    folder = tmp_path / variable.replace("(", "").replace(")", "")
    installed = program(folder / "LibreOffice" / "program" / "soffice.exe")
    environ = {variable: str(folder)}
    places = standard_places("win32", environ)
    search = Search(environ=environ, path=str(tmp_path / "empty"), places=places)

    assert installed in places
    assert find_soffice(search=search) == str(installed)


def test_windows_places_without_the_variables() -> None:
    places = [str(p) for p in standard_places("win32", {})]

    assert len(places) == 2
    assert places[0].startswith("C:\\Program Files") and "(x86)" not in places[0]
    assert places[1].startswith("C:\\Program Files (x86)")
    assert all(p.replace("\\", "/").endswith("LibreOffice/program/soffice.exe") for p in places)


def test_macos_app_bundle(tmp_path: Path) -> None:
    bundle = program(tmp_path / "Applications/LibreOffice.app/Contents/MacOS/soffice")
    places = standard_places("darwin", {}, home=tmp_path)
    search = Search(environ={}, path=str(tmp_path / "empty"), places=places)

    assert places[0] == Path("/Applications/LibreOffice.app/Contents/MacOS/soffice")
    assert find_soffice(search=search) == str(bundle)


def test_not_found_says_where_it_looked(tmp_path: Path) -> None:
    places = standard_places("win32", {"ProgramFiles": str(tmp_path / "PF")})
    search = Search(environ={}, path=str(tmp_path / "empty"), places=places)

    assert find_soffice(search=search) is None
    with pytest.raises(PdfError) as caught:
        require_soffice(search=search)
    message = str(caught.value)
    assert "\n" not in message
    assert message.startswith("LibreOffice is needed for PDF output and was not found")
    assert f"{ENV_VAR} (not set)" in message
    assert "soffice and libreoffice on PATH" in message
    for place in places:
        assert str(place) in message
    assert "--soffice" in message


# --- the command line: --soffice, FOLLOWUPDOCS_SOFFICE, batches ------------------------------


def yaml_files(folder: Path, *names: str) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = [folder / f"{name}.yaml" for name in names]
    for path in paths:
        path.write_bytes(VALID.read_bytes())
    return paths


def test_soffice_option_and_environment_variable(
    tmp_path: Path, fake: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    [source] = yaml_files(tmp_path / "in", "a")
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))

    code, out, err = cli(
        capsys, "render", source, "--pdf", "--soffice", fake, "-o", tmp_path / "x.docx"
    )
    assert code == 0, err
    assert f" -> {tmp_path / 'x.docx'} + {tmp_path / 'x.pdf'} (" in out
    assert (tmp_path / "x.pdf").read_bytes() == b"%PDF-1.7 fake PK"  # the .docx's zip magic

    monkeypatch.setenv(ENV_VAR, str(fake))
    code, _, err = cli(capsys, "render", source, "--pdf", "-o", tmp_path / "y.docx")
    assert code == 0, err
    assert (tmp_path / "y.pdf").read_bytes().startswith(b"%PDF")
    assert len(runs(tmp_path)) == 2


def test_a_batch_without_libreoffice_says_so_once(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    sources = yaml_files(tmp_path / "in", "a", "b")
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    monkeypatch.delenv(ENV_VAR, raising=False)
    monkeypatch.setattr(soffice_module, "standard_places", lambda **kwargs: [])

    code, out, err = cli(capsys, "render", *sources, "--pdf", "--outdir", tmp_path / "ud")

    assert code == 3
    [line] = err.splitlines()
    assert line.startswith("LibreOffice is needed for PDF output and was not found (looked at: ")
    assert line.endswith("; the 2 .docx files were written, only the PDFs are missing")
    assert out.splitlines() == [
        f"[1/2] {sources[0]} -> {tmp_path / 'ud' / 'a.docx'} (no PDF)",
        f"[2/2] {sources[1]} -> {tmp_path / 'ud' / 'b.docx'} (no PDF)",
    ]
    assert sorted(p.name for p in (tmp_path / "ud").iterdir()) == ["a.docx", "b.docx"]


def test_soffice_without_pdf_is_a_usage_error(
    tmp_path: Path, fake: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    [source] = yaml_files(tmp_path / "in", "a")

    code, _, err = cli(capsys, "render", source, "--soffice", fake)

    assert code == 2
    assert "--soffice is only used with --pdf" in err
    assert not (tmp_path / "in" / "a.docx").exists()


def test_batch_shares_the_files_among_at_most_the_cores(
    tmp_path: Path,
    fake: Path,
    private_tmp: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    sources = yaml_files(tmp_path / "in", "a", "broken", "c", "d", "e")
    out = tmp_path / "out"
    out.mkdir()
    (out / "broken.pdf").write_bytes(b"the earlier PDF")
    monkeypatch.setattr(followupdocs._output.os, "cpu_count", lambda: 2)

    code, stdout, err = cli(capsys, "render", *sources, "--pdf", "--soffice", fake, "--outdir", out)

    assert code == 3
    logged = runs(tmp_path)
    assert len(logged) == 2  # one LibreOffice run per core, not one per file
    profiles = {arg for run in logged for arg in run if arg.startswith("-env:UserInstallation=")}
    assert len(profiles) == 2  # each run has a profile of its own
    converted = sorted(Path(arg).name for run in logged for arg in run if arg.endswith(".docx"))
    assert len(converted) == 5
    for run in logged:
        options = run[run.index("--convert-to") + 1]
        assert options.startswith("pdf:writer_pdf_Export:")
        assert json.loads(options.split(":", 2)[2])["PDFUACompliance"]["value"] == "true"
    lines = sorted(stdout.splitlines())
    assert len(lines) == 5
    for index, name in enumerate(["a", "broken", "c", "d", "e"], start=1):
        [line] = [x for x in lines if x.startswith(f"[{index}/5] ")]
        if name == "broken":
            assert line.endswith(f"{out / 'broken.docx'} (no PDF, see the message above)")
        else:
            assert f" -> {out / name}.docx + {out / name}.pdf (" in line
            assert (out / f"{name}.pdf").read_bytes().startswith(b"%PDF-1.7 fake")
    assert err.splitlines() == [
        f"{out / 'broken.docx'}: LibreOffice could not convert the document (Error: source "
        f"file could not be loaded); {out / 'broken.docx'} was written, only the PDF is missing"
    ]
    assert (out / "broken.pdf").read_bytes() == b"the earlier PDF"  # left as it was
    assert sorted(p.name for p in out.iterdir()) == sorted(
        [f"{n}.docx" for n in ("a", "broken", "c", "d", "e")]
        + [f"{n}.pdf" for n in ("a", "broken", "c", "d", "e")]
    )
    assert list(private_tmp.iterdir()) == []


def test_batch_keeps_inputs_of_the_same_name_apart(
    tmp_path: Path, fake: Path, private_tmp: Path
) -> None:
    pairs = []
    for folder in ("one", "two"):
        docx = tmp_path / folder / "bilag.docx"
        docx.parent.mkdir()
        docx.write_bytes(folder.encode())
        pairs.append((docx, docx.with_suffix(".pdf")))

    results = list(followupdocs._output.to_pdfs(pairs, soffice=fake, processes=1))

    assert [r.error for r in results] == [None, None]
    assert (tmp_path / "one" / "bilag.pdf").read_bytes() == b"%PDF-1.7 fake on"
    assert (tmp_path / "two" / "bilag.pdf").read_bytes() == b"%PDF-1.7 fake tw"
    assert list(private_tmp.iterdir()) == []


# --- a hung LibreOffice ---------------------------------------------------------------------

# Like soffice.bin behind its launcher: a child keeps writing into the output folder while
# the launcher waits; killing only the launcher leaves the child re-creating the folder.
HUNG_SOFFICE = """\
#!/bin/sh
while [ "$1" != "--outdir" ]; do shift; done
out="$2"
( while :; do mkdir -p "$out/late"; echo x > "$out/late/x.pdf"; sleep 0.05; done ) >/dev/null 2>&1 &
echo $! > "$HUNG_CHILD_PID"
wait
"""


def alive(pid: int) -> bool:
    """True while `pid` runs: a zombie (ended, not yet reaped by its parent) does not."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    try:
        line = Path(f"/proc/{pid}/stat").read_text(encoding="ascii", errors="replace")
    except OSError:  # no /proc (macOS): kill's answer is all there is
        return True
    return line[line.rfind(")") + 2 :].split()[0] != "Z"


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads Linux's /proc")
def test_a_group_of_zombies_is_gone() -> None:
    """LibreOffice's gpgconf children outlive it; where PID 1 never reaps them (a container
    without an init), waiting for them cost every PDF seconds, up to the 10 s limit."""
    process = subprocess.Popen(["sleep", "30"], start_new_session=True)
    try:
        assert soffice_module._group_exists(process.pid)
        process.kill()
        # Wait for it to end but leave it unreaped: a zombie, as PID 1 leaves them.
        os.waitid(os.P_PID, process.pid, os.WEXITED | os.WNOWAIT)
        assert os.killpg(process.pid, 0) is None  # the kernel still lists the group
        assert not soffice_module._group_exists(process.pid)
    finally:
        process.kill()
        process.wait()


@pytest.mark.skipif(sys.platform.startswith("win"), reason="a POSIX shell script stands in")
def test_a_hung_libreoffice_is_ended_with_everything_it_started(
    tmp_path: Path, private_tmp: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    hung = program(tmp_path / "bin" / "soffice", HUNG_SOFFICE)
    pid_file = tmp_path / "child.pid"
    monkeypatch.setenv("HUNG_CHILD_PID", str(pid_file))
    docx = tmp_path / "a.docx"
    docx.write_bytes(b"PK")
    try:
        with pytest.raises(PdfError, match=r"a\.docx: LibreOffice did not finish within 1 s"):
            followupdocs.to_pdf(docx, soffice=hung, timeout=1)
        child = int(pid_file.read_text())
        assert not alive(child)
        assert list(private_tmp.iterdir()) == []  # no PDF, no profile, no folder left
        assert not docx.with_suffix(".pdf").exists()
    finally:
        if pid_file.exists() and alive(int(pid_file.read_text())):
            os.kill(int(pid_file.read_text()), 9)


def test_windows_ends_the_whole_tree_with_taskkill(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[list[str]] = []

    class Process:
        pid = 4242
        killed = False

        def kill(self) -> None:
            self.killed = True

    def run(command: list[str], **kwargs: Any) -> subprocess.CompletedProcess[str]:
        calls.append(command)
        return subprocess.CompletedProcess(command, 0)

    monkeypatch.setattr(soffice_module, "_WINDOWS", True)
    monkeypatch.setattr(soffice_module.subprocess, "run", run)
    process = Process()
    soffice_module.end_group(process)  # type: ignore[arg-type]

    assert calls == [["taskkill", "/T", "/F", "/PID", "4242"]]
    assert process.killed


@pytest.mark.skipif(sys.platform.startswith("win"), reason="sessions are POSIX")
def test_libreoffice_runs_in_a_session_of_its_own() -> None:
    code = "import os; print(os.getsid(0) == os.getpid(), os.getpgid(0) == os.getpid())"

    finished = soffice_module.run_group([sys.executable, "-c", code], timeout=60)

    assert finished.returncode == 0
    assert finished.output.split() == ["True", "True"]
