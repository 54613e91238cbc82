"""Load valid and deliberately broken agreement files; every problem is located and readable."""

from __future__ import annotations

import contextlib
import os
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest

from followupdocs import AgreementError, Kind, Problem, Smiley, load, loads, loads_report

DATA = Path(__file__).resolve().parent / "data"
VALID = DATA / "valid"
BAD = DATA / "bad"
INITIATIVE = "temaer[0].indsatser[0]"
JARGON = ["Traceback", "validation error", "input_value", "type=", "For further information"]

# An agreement with four rounds; the first initiative's title is on line 14.
BASE = """\
kommune: Ballerup Kommune
aftale: Aftale om budget 2018
udvalg: Økonomiudvalget
opfølgninger:
  - 1. budgetopfølgning 2018
  - 2. budgetopfølgning 2018
  - 3. budgetopfølgning 2018
  - 31.12.2018
temaer:
  - nummer: "1"
    titel: Vision 2029
    indsatser:
      - nummer: "1.02"
        titel: Arbejdet med Vision 2029
        type: Drift
        ansvarligt_center: Politisk Sekretariat
        ansvarligt_udvalg: Økonomiudvalget
"""


def assert_plain(error: AgreementError) -> None:
    """Assert the message speaks to a person, not a programmer."""
    message = str(error)
    for word in JARGON:
        assert word not in message, f"{word!r} in {message!r}"


@dataclass(frozen=True)
class Bad:
    """One broken file and the problem it must produce."""

    name: str
    line: object  # int, or None when the loader cannot know it
    column: object
    path: str
    fragment: str

    def __str__(self) -> str:
        return self.name


CATALOGUE = [
    # The second 'titel' key is the one to remove.
    Bad("duplicate-key", 17, 9, f"{INITIATIVE}.titel", "the key 'titel' appears twice"),
    Bad("unknown-key", 17, 9, f"{INITIATIVE}.ansvarligt_centre",
        "unknown key 'ansvarligt_centre'; did you mean 'ansvarligt_center'?"),
    Bad("misspelt-smiley", 22, 21, f"{INITIATIVE}.milepæle.1.smiley",
        "'grønn' is not a smiley; use grøn, gul or rød"),
    Bad("economy-smiley-gul", 26, 16, f"{INITIATIVE}.økonomi.smiley.1",
        "the economy smiley is grøn or rød"),
    Bad("milestone-round-beyond", 23, 11, f"{INITIATIVE}.milepæle.5",
        "there is no follow-up 5;"),
    Bad("invalid-kind", 16, 15, f"{INITIATIVE}.type",
        "'Anlæg og Drift ja' is not a kind; use Drift, Anlæg or Anlæg og drift"),
    Bad("tab-indentation", 15, 1, "", "a tab is used for indentation; indent with spaces only"),
    # The second initiative's number is the duplicate.
    Bad("duplicate-number", 27, 17, "temaer[0].indsatser[1].nummer",
        "the number '1.02' is already used at temaer[0].indsatser[0]"),
    # A missing key is reported where its mapping (the initiative) starts.
    Bad("missing-field", 14, 9, f"{INITIATIVE}.ansvarligt_udvalg",
        "the required key 'ansvarligt_udvalg' is missing"),
    Bad("empty-field", 17, 27, f"{INITIATIVE}.ansvarligt_center", "is empty; write a value"),
    Bad("nul-escape", 15, 16, f"{INITIATIVE}.titel",
        "contains the invisible control character U+0000 at position 13"),
    Bad("nul-byte", 15, 28, "", "the file contains the invisible character U+0000"),
    Bad("empty", None, None, "", "the file is empty"),
    Bad("only-comments", None, None, "", "the file is empty"),
    Bad("top-level-list", 2, 1, "", "the file holds a list; it must start with keys such as"),
    Bad("latin-1", 4, None, "", "the file is not UTF-8 text; save it as UTF-8"),
    Bad("economy-round-0", 26, 13, f"{INITIATIVE}.økonomi.smiley.0",
        "there is no follow-up 0;"),
    Bad("milestone-key-not-number", 20, 11, f"{INITIATIVE}.milepæle.første",
        "'første' is not a follow-up number; use 1, 2, 3"),
]  # fmt: skip


def test_catalogue_covers_every_bad_file() -> None:
    assert sorted(case.name for case in CATALOGUE) == sorted(p.stem for p in BAD.glob("*.yaml"))


@pytest.mark.parametrize("case", CATALOGUE, ids=str)
def test_bad_file(case: Bad) -> None:
    path = BAD / f"{case.name}.yaml"
    with pytest.raises(AgreementError) as caught:
        load(path)
    error = caught.value
    matching = [p for p in error.problems if p.path == case.path and case.fragment in p.message]
    assert len(matching) == 1, error.problems
    problem = matching[0]
    assert problem.source == str(path)
    assert (problem.line, problem.column) == (case.line, case.column)
    assert str(problem) in str(error)
    assert_plain(error)


@pytest.mark.parametrize("case", CATALOGUE, ids=str)
def test_bad_file_message_starts_with_its_location(case: Bad) -> None:
    path = BAD / f"{case.name}.yaml"
    with pytest.raises(AgreementError) as caught:
        load(path)
    for line in str(caught.value).splitlines():
        assert line.startswith(f"{path}:")


def test_unknown_key_also_reports_the_missing_key() -> None:
    with pytest.raises(AgreementError) as caught:
        load(BAD / "unknown-key.yaml")
    assert [(p.line, p.path) for p in caught.value.problems] == [
        (14, f"{INITIATIVE}.ansvarligt_center"),
        (17, f"{INITIATIVE}.ansvarligt_centre"),
    ]


def test_minimal() -> None:
    agreement = load(VALID / "minimal.yaml")
    assert agreement.rounds == ("1. budgetopfølgning 2018",)
    assert (agreement.title, agreement.reading_guide) == ("", "")
    [initiative] = agreement.initiatives
    assert initiative.number == "1.02"
    assert initiative.kind is Kind.OPERATIONS
    assert (initiative.agreement_text, initiative.main_contributor) == ("", "")
    assert initiative.implementation == ""
    assert initiative.milestones == {}
    assert (initiative.economy.text, initiative.economy.smileys) == ("", {})
    assert agreement.latest_round() is None


def test_full() -> None:
    agreement = load(VALID / "full.yaml")
    assert agreement.municipality == "Ballerup Kommune"
    assert agreement.name == "Aftale om budget 2018"
    assert agreement.committee == "Økonomiudvalget"
    assert agreement.title == (
        "Første opfølgning på Aftale om budget 2018 på Økonomiudvalgets område"
    )
    assert agreement.reading_guide == (
        "Opfølgningen på Aftale om budget 2018 sker ved, at der gives smileys.\n\n"
        "Der følges op på aftalen fire gange årligt."
    )
    assert len(agreement.rounds) == 4
    [theme] = agreement.themes
    assert (theme.number, theme.title) == ("3", "Sammenhængende udviklingsforløb 0-25 år")
    [initiative] = theme.initiatives
    assert initiative.kind is Kind.BOTH
    assert initiative.agreement_text.endswith("• Indeklima i skolerne.\n\n• Indeklima i dagtilbud.")
    assert initiative.responsible_centre == "Ejendomme"
    assert initiative.responsible_committee == "Økonomiudvalget"
    assert initiative.main_contributor == "Skoler, Institutioner og Kultur"
    assert initiative.implementation == (
        "Anlægsinvesteringerne fordeler sig over budgetårene 2018 til 2020."
    )
    first = initiative.milestone(round=1)
    assert first.text == "Der er udarbejdet en prioriteringsliste for indsatsen."
    assert first.status == "Arbejdsmiljøgrupperne inddrages i prioriteringslisten."
    smileys = [initiative.smiley_at(round=r) for r in (1, 2, 3, 4)]
    assert smileys == [Smiley.GREEN, Smiley.YELLOW, None, None]
    assert initiative.economy.text == "Hele det afsatte budget faktureres i 2018."
    assert initiative.economy.smileys == {1: Smiley.RED, 2: Smiley.GREEN}
    assert agreement.latest_round() == 2


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("stays-text-yes-no-on-off", {"title": "no", "responsible_centre": "yes",
                                      "responsible_committee": "on", "implementation": "off"}),
        ("stays-text-number", {"number": "1.10"}),
    ],
)  # fmt: skip
def test_stays_text(name: str, expected: dict[str, str]) -> None:
    [initiative] = load(VALID / f"{name}.yaml").initiatives
    assert {key: getattr(initiative, key) for key in expected} == expected


def test_unquoted_theme_number_stays_text() -> None:
    assert load(VALID / "stays-text-number.yaml").themes[0].number == "1"


def test_date_stays_text() -> None:
    agreement = load(VALID / "stays-text-date.yaml")
    assert agreement.rounds == ("2018-01-01",)
    [initiative] = agreement.initiatives
    assert initiative.milestone(round=1).status == "2018-01-01"
    assert initiative.milestone(round=1).text == "Introduktionen sker 2018-01-01"


def test_time_stays_text() -> None:
    [initiative] = load(VALID / "stays-text-time.yaml").initiatives
    assert initiative.milestone(round=1).text == "12:30"


def test_crlf_file() -> None:
    text = BASE + "        aftaletekst: |\n          Første linje.\n          Anden linje.\n"
    [initiative] = loads(text.replace("\n", "\r\n")).initiatives
    assert initiative.agreement_text == "Første linje.\nAnden linje."


def test_crlf_file_reports_the_right_line() -> None:
    text = BASE.replace("type: Drift", "type: Ingen")
    with pytest.raises(AgreementError) as caught:
        loads(text.replace("\n", "\r\n"))
    [problem] = caught.value.problems
    assert (problem.line, problem.path) == (15, f"{INITIATIVE}.type")


def test_lone_cr_file() -> None:
    text = BASE + "        aftaletekst: |\n          Første linje.\n          Anden linje.\n"
    [initiative] = loads(text.replace("\n", "\r")).initiatives
    assert initiative.agreement_text == "Første linje.\nAnden linje."


def test_escaped_cr_and_crlf_in_text() -> None:
    text = BASE + '        aftaletekst: "Et\\r\\nTo\\rTre"\n'
    [initiative] = loads(text).initiatives
    assert initiative.agreement_text == "Et\nTo\nTre"


def test_escaped_lone_surrogate_names_the_field() -> None:
    text = BASE.replace("titel: Arbejdet med Vision 2029", 'titel: "Arbejdet\\ud800"')
    with pytest.raises(AgreementError) as caught:
        loads(text, source="aftale.yaml")
    [problem] = caught.value.problems
    assert (problem.line, problem.path) == (14, f"{INITIATIVE}.titel")
    assert "U+D800" in problem.message
    assert_plain(caught.value)


def test_lone_surrogate_in_python_string_is_an_agreement_error() -> None:
    text = BASE.replace("titel: Arbejdet med Vision 2029", "titel: Arbejdet\ud800")
    with pytest.raises(AgreementError) as caught:
        loads(text, source="aftale.yaml")
    [problem] = caught.value.problems
    assert problem.line == 14
    assert "U+D800" in problem.message
    assert_plain(caught.value)


def test_texts_are_stripped() -> None:
    text = BASE.replace("titel: Arbejdet med Vision 2029", 'titel: "  Arbejdet med Vision 2029 "')
    text += "        aftaletekst: |+\n\n          Tekst.\n\n\n"
    text += "        økonomi:\n          tekst: ' x '\n"
    [initiative] = loads(text).initiatives
    assert initiative.title == "Arbejdet med Vision 2029"
    assert initiative.agreement_text == "Tekst."
    assert initiative.economy.text == "x"


def test_number_prefix_warning() -> None:
    text = BASE.replace('nummer: "1.02"', 'nummer: "2.01"')
    report = loads_report(text, source="aftale.yaml")
    [warning] = report.warnings
    agreement = report.agreement
    message = str(warning)
    assert warning.severity == "warning"
    assert (warning.line, warning.location) == (13, ("temaer", 0, "indsatser", 0, "nummer"))
    assert message.startswith("aftale.yaml:13:")
    assert f"{INITIATIVE}.nummer" in message
    assert "'2.01' does not start with its theme's number '1'" in message
    assert [i.number for i in agreement.initiatives] == ["2.01"]


def test_multiple_problems_are_reported_at_once_sorted_by_line() -> None:
    text = (
        BASE.replace("type: Drift", "type: Drfit")
        .replace("kommune: Ballerup Kommune", "kommune:")
        .replace("ansvarligt_center:", "ansvarligt_centre:")
    )
    text += "        milepæle:\n          1:\n            smiley: grønn\n"
    with pytest.raises(AgreementError) as caught:
        loads(text, source="aftale.yaml")
    problems = caught.value.problems
    assert [(p.line, p.path) for p in problems] == [
        (1, "kommune"),
        (13, f"{INITIATIVE}.ansvarligt_center"),
        (15, f"{INITIATIVE}.type"),
        (16, f"{INITIATIVE}.ansvarligt_centre"),
        (20, f"{INITIATIVE}.milepæle.1.smiley"),
    ]
    assert str(caught.value).splitlines() == [str(p) for p in problems]
    assert_plain(caught.value)


def test_problem_str() -> None:
    assert str(Problem("a.yaml", 3, 7, "kommune", "is empty")) == "a.yaml:3:7: kommune: is empty"
    assert str(Problem("a.yaml", 3, None, "", "bad")) == "a.yaml:3: bad"
    assert str(Problem("a.yaml", None, None, "", "bad")) == "a.yaml: bad"


def test_loads_names_its_source() -> None:
    with pytest.raises(AgreementError) as caught:
        loads("")
    assert str(caught.value) == "<string>: the file is empty"


def test_load_missing_file(tmp_path: Path) -> None:
    path = tmp_path / "findes-ikke.yaml"
    with pytest.raises(AgreementError) as caught:
        load(path)
    [problem] = caught.value.problems
    assert problem.source == str(path)
    assert str(path) in str(caught.value)
    assert "cannot read the file" in problem.message
    assert_plain(caught.value)


def test_load_accepts_str_path() -> None:
    assert load(str(VALID / "minimal.yaml")).municipality == "Ballerup Kommune"


def test_load_accepts_utf8_bom(tmp_path: Path) -> None:
    path = tmp_path / "bom.yaml"
    path.write_bytes(b"\xef\xbb\xbf" + (VALID / "minimal.yaml").read_bytes())
    assert load(path).municipality == "Ballerup Kommune"


@pytest.mark.parametrize("name", ["valid/full.yaml", "bad/invalid-kind.yaml", "bad/latin-1.yaml"])
def test_load_never_writes_the_input(tmp_path: Path, name: str) -> None:
    path = tmp_path / "aftale.yaml"
    shutil.copyfile(DATA / name, path)
    past = 1_500_000_000_000_000_000
    os.utime(path, ns=(past, past))
    before = path.read_bytes()
    with contextlib.suppress(AgreementError):
        load(path)
    assert path.read_bytes() == before
    assert path.stat().st_mtime_ns == past
    assert sorted(p.name for p in tmp_path.iterdir()) == ["aftale.yaml"]


def test_an_empty_smiley_is_not_given_yet() -> None:
    text = (DATA / "valid" / "minimal.yaml").read_text(encoding="utf-8")
    agreement = loads(
        text.rstrip("\n") + "\n        milepæle:\n          1:\n            tekst: m\n"
        "            smiley:\n        økonomi:\n          smiley:\n            1:\n"
    )
    initiative = agreement.initiatives[0]
    assert initiative.smiley_at(round=1) is None
    assert initiative.economy_smiley_at(round=1) is None
