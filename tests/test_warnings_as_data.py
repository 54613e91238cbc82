"""Warnings are data: located Problems returned with the agreement, never warnings.warn."""

from __future__ import annotations

import shutil
import threading
import warnings
from pathlib import Path

import pytest

import followupdocs
from followupdocs import LoadReport, Problem
from followupdocs.cli import main
from helpers import EXAMPLE

CLI_DATA = Path(__file__).resolve().parent / "data" / "cli"
TWO_WARNINGS = CLI_DATA / "two-warnings.yaml"  # 2.01 under theme 1; a centre spelt two ways
NUMBER_WARNING = CLI_DATA / "number-warning.yaml"  # 2.01 under theme 1


def test_loading_issues_no_python_warning_and_the_report_holds_them() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # any warnings.warn would fail the test
        agreement = followupdocs.load(TWO_WARNINGS)
        report = followupdocs.load_report(TWO_WARNINGS)
        again = followupdocs.loads_report(TWO_WARNINGS.read_text("utf-8"), source="x.yaml")
    assert isinstance(report, LoadReport)
    assert report.agreement == agreement == again.agreement
    assert [(w.source, w.line, w.column, w.severity) for w in report.warnings] == [
        (str(TWO_WARNINGS), 13, 9, "warning"),
        (str(TWO_WARNINGS), 21, 28, "warning"),
    ]
    assert [w.location for w in report.warnings] == [
        ("temaer", 0, "indsatser", 0, "nummer"),
        ("temaer", 0, "indsatser", 1, "ansvarligt_center"),
    ]
    assert [w.line for w in again.warnings] == [13, 21]
    assert followupdocs.load_report(EXAMPLE).warnings == ()


def test_validate_report_locates_warnings_as_the_data_spells_them() -> None:
    data = {
        "municipality": "Ballerup Kommune",
        "name": "Aftale om budget 2018",
        "committee": "Økonomiudvalget",
        "rounds": ["1. budgetopfølgning 2018"],
        "themes": [
            {
                "number": "1",
                "title": "Vision",
                "initiatives": [
                    {
                        "number": "2.01",
                        "title": "Indsats",
                        "kind": "Drift",
                        "responsible_centre": "Ejendomme",
                        "responsible_committee": "Økonomiudvalget",
                    },
                    {
                        "number": "1.02",
                        "title": "Indsats",
                        "kind": "Drift",
                        "responsible_centre": "ejendomme",
                        "responsible_committee": "Økonomiudvalget",
                    },
                ],
            }
        ],
    }
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        report = followupdocs.validate_report(data, source="regneark.xlsx")
    assert report.agreement == followupdocs.validate(data, source="regneark.xlsx")
    number, centre = report.warnings
    assert number == Problem(
        "regneark.xlsx",
        None,
        None,
        "themes[0].initiatives[0].number",
        "the number '2.01' does not start with its theme's number '1'",
        ("themes", 0, "initiatives", 0, "number"),
        "warning",
    )
    assert centre.location == ("themes", 0, "initiatives", 1, "responsible_centre")
    assert "'ejendomme' differs only in case or spacing from 'Ejendomme' (initiative 2.01)" in (
        centre.message
    )


def test_warnings_do_not_leak_across_threads() -> None:
    expected = {
        path: followupdocs.load_report(path).warnings for path in (TWO_WARNINGS, NUMBER_WARNING)
    }
    assert len(expected[TWO_WARNINGS]) == 2 and len(expected[NUMBER_WARNING]) == 1
    rounds = 20
    start = threading.Barrier(2)
    seen: dict[Path, list[tuple[Problem, ...]]] = {path: [] for path in expected}
    failures: list[BaseException] = []

    def load_many(path: Path) -> None:
        try:
            start.wait(timeout=60)
            for _ in range(rounds):
                seen[path].append(followupdocs.load_report(path).warnings)
        except BaseException as exc:  # reported by the main thread
            failures.append(exc)

    threads = [threading.Thread(target=load_many, args=(path,)) for path in expected]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not failures
    for path, reports in seen.items():
        assert reports == [expected[path]] * rounds, path


@pytest.mark.parametrize("command", [["validate"], ["validate", "--round", "2"]])
def test_the_command_line_prints_the_warnings_as_before(
    command: list[str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.chdir(tmp_path)
    shutil.copyfile(TWO_WARNINGS, tmp_path / TWO_WARNINGS.name)
    shutil.copyfile(EXAMPLE, tmp_path / EXAMPLE.name)
    capsys.readouterr()
    assert main([command[0], TWO_WARNINGS.name, *command[1:]]) == 0
    out, err = capsys.readouterr()
    assert err == (CLI_DATA / "two-warnings.validate.err").read_text("utf-8")
    if len(command) > 1:
        assert out == (CLI_DATA / "two-warnings.validate-round-2.out").read_text("utf-8")
    else:
        assert out == "two-warnings.yaml: valid (1 theme, 2 initiatives, 2 rounds)\n"
    assert main([command[0], EXAMPLE.name, *command[1:]]) == 0
    out, err = capsys.readouterr()
    assert err == ""
    assert out.startswith(
        "oekonomiudvalget-2018.yaml: valid (8 themes, 35 initiatives, 4 rounds)\n"
    )
