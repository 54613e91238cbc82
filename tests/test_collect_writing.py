"""`collect --write` under hostile conditions: two writers, links, line endings, backups.

The YAML is replaced under a lock beside it, through a symbolic link to its target, with CR
line endings kept, the previous versions kept as FILE.bak, FILE.bak.1, ..., and never over
bytes another program saved meanwhile.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

import followupdocs
import followupdocs._lock
import wordfill
from followupdocs import Change, FollowupError, FormError, collect, update_yaml
from followupdocs._updating import current
from helpers import forms_for, tag
from helpers import run_cli as run

ECONOMY = "Økonomi og Styring"  # 2.02.1 among others
PROPERTY = "Ejendomme"  # 3.04 among others
REFUSED = ("is being updated by another followupdocs run", "the file changed")


def filled_form(yaml_path: Path, centre: str, answers: dict[str, str]) -> Path:
    written = forms_for(yaml_path, 2, yaml_path.parent / "forms", centre=centre)[centre]
    return wordfill.fill(written, answers)


def smiley(yaml_path: Path, number: str, round: int = 2) -> str:
    agreement = followupdocs.load(yaml_path)
    (initiative,) = (i for i in agreement.initiatives if i.number == number)
    return current(initiative, round, "milestone")


# --- item 10: two writers at once ---------------------------------------------------------------


def _writer(yaml_path: str, form: str, rounds: int, step: Any, go: Any, results: Any) -> None:
    """Collect `form` and write it, `rounds` times, each time together with the other writer."""
    for _ in range(rounds):
        step.wait(timeout=300)  # the test has put the original file back
        try:
            found = collect(followupdocs.load(yaml_path), [form])
            go.wait(timeout=300)  # both writers start their update at the same moment
            update_yaml(yaml_path, found.changes)
            results.put((form, "wrote"))
        except FollowupError as exc:
            results.put((form, str(exc)))
        step.wait(timeout=300)


def test_two_writers_at_once_lose_nothing(yaml_copy: Path) -> None:
    forms = {
        filled_form(yaml_copy, ECONOMY, {tag("2.02.1", 2, "smiley"): "Gul"}): ("2.02.1", "gul"),
        filled_form(yaml_copy, PROPERTY, {tag("3.04", 2, "smiley"): "Rød"}): ("3.04", "rød"),
    }
    assert [smiley(yaml_copy, number) for number, _ in forms.values()] != ["gul", "rød"]
    original = yaml_copy.read_bytes()
    rounds = 4
    context = multiprocessing.get_context("spawn")  # as on Windows; no fork of pytest
    step, go, results = context.Barrier(3), context.Barrier(2), context.Queue()
    writers = [
        context.Process(target=_writer, args=(str(yaml_copy), str(f), rounds, step, go, results))
        for f in forms
    ]
    for writer in writers:
        writer.start()
    try:
        for _ in range(rounds):
            yaml_copy.write_bytes(original)
            step.wait(timeout=300)
            step.wait(timeout=300)
            outcomes = dict(results.get(timeout=60) for _ in writers)
            for form, (number, value) in forms.items():
                outcome = outcomes[str(form)]
                if outcome == "wrote":
                    assert smiley(yaml_copy, number) == value, f"{form}'s answer was lost"
                else:
                    assert any(reason in outcome for reason in REFUSED), outcome
            assert not yaml_copy.with_name(yaml_copy.name + ".lock").exists()
    finally:
        for writer in writers:
            writer.join(timeout=60)
            if writer.is_alive():
                writer.kill()
    assert [writer.exitcode for writer in writers] == [0, 0]


def _lock_file(yaml_path: Path, **holder: object) -> Path:
    lock = yaml_path.with_name(yaml_path.name + ".lock")
    lock.write_text(json.dumps(holder), encoding="utf-8")
    return lock


def test_a_held_lock_refuses_with_a_clear_message(
    yaml_copy: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    form = filled_form(yaml_copy, ECONOMY, {tag("2.02.1", 2, "smiley"): "Gul"})
    lock = _lock_file(yaml_copy, pid=os.getpid(), host=socket.gethostname(), time=time.time())
    monkeypatch.setattr(followupdocs._lock, "WAIT", 0.0)
    before = yaml_copy.read_bytes()

    code, _, err = run(capsys, "collect", yaml_copy, form, "--write")

    assert code == 1
    (line,) = err.splitlines()
    assert line.startswith(
        f"{yaml_copy} is being updated by another followupdocs run (process {os.getpid()} on "
    )
    assert line.endswith(f"; try again (if no run is active, delete {lock.name})")
    assert yaml_copy.read_bytes() == before
    assert lock.exists()  # another run's lock is never removed


def _dead_pid() -> int:
    process = subprocess.Popen([sys.executable, "-c", "pass"])
    process.wait()
    return process.pid


@pytest.mark.parametrize("left", ["dead process", "old and unreadable"])
def test_a_stale_lock_is_taken_over(yaml_copy: Path, left: str) -> None:
    form = filled_form(yaml_copy, ECONOMY, {tag("2.02.1", 2, "smiley"): "Gul"})
    if left == "dead process":
        lock = _lock_file(yaml_copy, pid=_dead_pid(), host=socket.gethostname(), time=0)
    else:
        lock = yaml_copy.with_name(yaml_copy.name + ".lock")
        lock.write_text("", encoding="utf-8")
        old = time.time() - followupdocs._lock.STALE_AFTER - 60
        os.utime(lock, (old, old))

    update_yaml(yaml_copy, collect(followupdocs.load(yaml_copy), [form]).changes)

    assert smiley(yaml_copy, "2.02.1") == "gul"
    assert not lock.exists()
    assert not lock.with_name(lock.name + ".break").exists()


def test_a_file_saved_by_another_program_meanwhile_is_not_overwritten(
    yaml_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    form = filled_form(yaml_copy, ECONOMY, {tag("2.02.1", 2, "smiley"): "Gul"})
    found = collect(followupdocs.load(yaml_copy), [form])
    real = followupdocs._updating.back_up

    def back_up_while_an_editor_saves(path: Path, data: bytes) -> Path:
        written = real(path, data)
        path.write_bytes(data + b"# saved in an editor meanwhile\n")
        return written

    monkeypatch.setattr(followupdocs._updating, "back_up", back_up_while_an_editor_saves)
    with pytest.raises(FormError, match="the file changed while it was being updated"):
        update_yaml(yaml_copy, found.changes)
    assert yaml_copy.read_bytes().endswith(b"# saved in an editor meanwhile\n")


# --- item 11: a symbolic link -------------------------------------------------------------------


def test_a_symlinked_yaml_is_written_through_to_its_target(
    yaml_copy: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    form = filled_form(yaml_copy, ECONOMY, {tag("2.02.1", 2, "smiley"): "Gul"})
    (tmp_path / "real").mkdir()
    target = tmp_path / "real" / "aftale.yaml"
    yaml_copy.replace(target)
    link = tmp_path / "aftale.yaml"
    link.symlink_to(Path("real") / "aftale.yaml")
    old = target.read_bytes()

    code, out, _ = run(capsys, "collect", link, form, "--write")

    assert code == 0
    assert out.splitlines()[-1].endswith(
        f"; wrote {link} -> {target} (the old file is {target}.bak)"
    )
    assert link.is_symlink() and os.readlink(link) == str(Path("real") / "aftale.yaml")
    assert smiley(target, "2.02.1") == "gul"
    assert target.with_name("aftale.yaml.bak").read_bytes() == old  # beside the target
    assert sorted(p.name for p in tmp_path.iterdir()) == ["aftale.yaml", "forms", "real"]
    assert sorted(p.name for p in target.parent.iterdir()) == ["aftale.yaml", "aftale.yaml.bak"]


# --- item 14: backups ---------------------------------------------------------------------------


def test_each_write_keeps_the_previous_versions(
    yaml_copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    versions = [yaml_copy.read_bytes()]
    for value in ("gul", "rød", "grøn", "gul", "rød", "grøn"):
        agreement = followupdocs.load(yaml_copy)
        (initiative,) = (i for i in agreement.initiatives if i.number == "2.02.1")
        old = current(initiative, 2, "milestone")
        update_yaml(yaml_copy, [Change("2.02.1", initiative.title, 2, "milestone", old, value, ())])
        versions.append(yaml_copy.read_bytes())

    names = ["oekonomiudvalget-2018.yaml.bak"] + [
        f"oekonomiudvalget-2018.yaml.bak.{n}" for n in range(1, 5)
    ]
    assert [(yaml_copy.parent / name).read_bytes() for name in names] == versions[-2:-7:-1]
    assert not (yaml_copy.parent / "oekonomiudvalget-2018.yaml.bak.5").exists()

    form = filled_form(yaml_copy, ECONOMY, {tag("2.02.1", 2, "smiley"): "Gul"})
    code, out, _ = run(capsys, "collect", yaml_copy, form, "--write")
    assert code == 0
    assert out.splitlines()[-1].endswith(
        f"wrote {yaml_copy} (the old file is {yaml_copy}.bak; older ones "
        "oekonomiudvalget-2018.yaml.bak.1 to oekonomiudvalget-2018.yaml.bak.4)"
    )


# --- item 9: line endings -----------------------------------------------------------------------


def test_cr_only_line_endings_are_edited_and_kept(
    yaml_copy: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    answers = {tag("3.04", 2, "smiley"): "Gul", tag("3.04", 2, "status"): "Første\nAnden"}
    form = filled_form(yaml_copy, PROPERTY, answers)
    mac = tmp_path / "mac.yaml"
    mac.write_bytes(yaml_copy.read_bytes().replace(b"\n", b"\r"))

    for path in (yaml_copy, mac):
        code, _, err = run(capsys, "collect", path, form, "--write")
        assert code == 0, err

    assert b"\n" not in mac.read_bytes()
    assert mac.read_bytes() == yaml_copy.read_bytes().replace(b"\n", b"\r")
    assert followupdocs.load(mac) == followupdocs.load(yaml_copy)


def test_a_lone_cr_among_lf_line_endings_is_refused_with_its_line(
    yaml_copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    form = filled_form(yaml_copy, PROPERTY, {tag("3.04", 2, "smiley"): "Gul"})
    text = yaml_copy.read_bytes()
    at = text.index(b"\n", text.index(b"udvalg:"))
    yaml_copy.write_bytes(text[:at] + b"\r" + text[at + 1 :])
    line = text[:at].count(b"\n") + 1
    before = yaml_copy.read_bytes()

    code, _, err = run(capsys, "collect", yaml_copy, form, "--write")

    assert code == 1
    assert err.splitlines() == [
        f"{yaml_copy}:{line}: the line ends with a lone carriage return (CR) while other "
        "lines end with LF or CRLF; save the file with one kind of line ending; nothing was "
        "written"
    ]
    assert yaml_copy.read_bytes() == before
