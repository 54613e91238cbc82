"""Hostile agreement files: bombs, deep nesting, look-alike characters; one located line each."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from followupdocs import Agreement, AgreementError, load, loads, loads_report
from followupdocs._models import centre_key, round_number
from followupdocs._syntax import MAX_ALIAS_NODES, MAX_DEPTH, MAX_FILE_BYTES
from followupdocs.cli import main

DATA = Path(__file__).resolve().parent / "data"
HOSTILE = DATA / "bad" / "hostile"
INITIATIVE = "temaer[0].indsatser[0]"
MINIMAL = (DATA / "valid" / "minimal.yaml").read_text(encoding="utf-8")
# The initiative of minimal.yaml, to append more of them (its number is on line 11).
CARD = MINIMAL[MINIMAL.index("      - nummer:") :]


@dataclass(frozen=True)
class Hostile:
    """One hostile file and the one line it must produce."""

    name: str
    line: int
    column: int
    path: str
    message: str

    def __str__(self) -> str:
        return self.name


CATALOGUE = [
    Hostile("alias-bomb", 7, 63, "",
            "the alias *lol4 brings the values repeated by aliases to more than 100,000; "
            "an agreement needs far fewer, so write the values out"),
    Hostile("deep-nesting", 2, 109, "",
            "the lists and keys are nested more than 100 levels deep here; an agreement needs "
            "fewer than 10 (is a ']' or '}' missing?)"),
    Hostile("unclosed-flow", 2, 10, "",
            "this '[' starts a list that is never closed; end it with ']'"),
    Hostile("round-key-superscript", 17, 11, f"{INITIATIVE}.milepæle.²",
            "'²' is not a follow-up number; use 1, 2, 3, ..."),
    Hostile("tab-before-comment", 4, 24, "",
            "a tab stands before a comment; put spaces before '#' instead"),
    Hostile("invisible-in-number", 11, 17, f"{INITIATIVE}.nummer",
            "contains the invisible character U+200B (ZERO WIDTH SPACE) at position 5, so two "
            "numbers could look alike; delete it"),
]  # fmt: skip


def expected_line(case: Hostile, source: str) -> str:
    where = f"{source}:{case.line}:{case.column}"
    return f"{where}: {case.path}: {case.message}" if case.path else f"{where}: {case.message}"


def only_problem(text: str, source: str = "a.yaml") -> str:
    """Return the one line `loads` refuses `text` with."""
    with pytest.raises(AgreementError) as caught:
        loads(text, source=source)
    assert len(caught.value.problems) == 1, caught.value.problems
    return str(caught.value)


def test_catalogue_covers_every_hostile_file() -> None:
    assert sorted(case.name for case in CATALOGUE) == sorted(p.stem for p in HOSTILE.glob("*"))


@pytest.mark.parametrize("case", CATALOGUE, ids=str)
def test_hostile_file(case: Hostile) -> None:
    path = HOSTILE / f"{case.name}.yaml"
    with pytest.raises(AgreementError) as caught:
        load(path)
    assert str(caught.value) == expected_line(case, str(path))


@pytest.mark.parametrize("case", CATALOGUE, ids=str)
def test_validate_hostile_file(case: Hostile, capsys: pytest.CaptureFixture[str]) -> None:
    path = HOSTILE / f"{case.name}.yaml"
    assert main(["validate", str(path)]) == 1
    out, err = capsys.readouterr()
    assert out == ""
    assert err == expected_line(case, str(path)) + "\n"


# Alias bombs and nesting


def bomb(levels: int, fold: int) -> str:
    """Return an agreement whose 'kommune' expands to fold**levels texts."""
    lines = ['lol0: &lol0 "lol"']
    for level in range(1, levels + 1):
        aliases = ", ".join([f"*lol{level - 1}"] * fold)
        lines.append(f"lol{level}: &lol{level} [{aliases}]")
    return "\n".join(lines) + "\n" + MINIMAL.replace("Ballerup Kommune", f"*lol{levels}")


def test_a_thirty_level_bomb_is_refused_at_its_fifth_level() -> None:
    # 10**30 values if expanded; refused before anything is expanded.
    assert only_problem(bomb(30, 10)).startswith("a.yaml:6:63: the alias *lol4 brings")


def test_a_wide_bomb_is_refused() -> None:
    # Two levels of a thousand: a million values from a 10 kB file.
    assert only_problem(bomb(2, 1000)).startswith("a.yaml:3:")


def test_aliases_within_the_budget_still_work() -> None:
    text = MINIMAL.replace("udvalg: Økonomiudvalget", "udvalg: &oku Økonomiudvalget", 1)
    text = text.replace("ansvarligt_udvalg: Økonomiudvalget", "ansvarligt_udvalg: *oku")
    [initiative] = loads(text).initiatives
    assert initiative.responsible_committee == "Økonomiudvalget"


def budget_test(extra: int) -> str:
    """Return a file whose aliases stand for the budget's worth of values, plus `extra` uses."""
    fold = 1000
    uses = (MAX_ALIAS_NODES - fold) // (fold + 1) + extra  # *lol1 stands for 1001 values
    return (
        f"lol0: &lol0 x\nlol1: &lol1 [{', '.join(['*lol0'] * fold)}]\n"
        f"kommune: [{', '.join(['*lol1'] * uses)}]\n"
    )


def test_aliases_up_to_the_budget_are_read() -> None:
    # Within the budget the aliases are expanded, and the usual problems reported.
    with pytest.raises(AgreementError) as caught:
        loads(budget_test(0))
    assert "kommune: must be a text" in str(caught.value)


def test_one_alias_beyond_the_budget_is_refused() -> None:
    assert "the alias *lol1 brings the values" in only_problem(budget_test(1))


def test_an_alias_that_contains_itself_is_reported() -> None:
    text = MINIMAL.replace("kommune: Ballerup Kommune", "kommune: &loop [a, *loop]")
    assert only_problem(text).startswith(
        "a.yaml:2:10: kommune[1]: an alias (*name) refers to the block it is inside"
    )


def nested(depth: int) -> str:
    return "[" * depth + "x" + "]" * depth


def test_nesting_up_to_the_limit_is_parsed() -> None:
    # The mapping of the file is the first level.
    with pytest.raises(AgreementError) as caught:
        loads(f"kommune: {nested(MAX_DEPTH - 2)}\n", source="a.yaml")
    assert "a.yaml:1:10: kommune: must be a text" in str(caught.value).splitlines()


def test_nesting_beyond_the_limit_is_refused() -> None:
    message = only_problem(f"kommune: {nested(MAX_DEPTH - 1)}\n")
    assert message.startswith(f"a.yaml:1:{10 + MAX_DEPTH - 1}: the lists and keys are nested")


def test_deep_block_nesting_is_refused() -> None:
    text = "kommune:\n" + "".join("  " * i + "-\n" for i in range(1, 3000))
    assert f"nested more than {MAX_DEPTH} levels" in only_problem(text)


def test_aliases_that_nest_deeper_than_the_limit_are_refused() -> None:
    # Each level is shallow; chained through aliases it is 50 * 40 deep.
    lines = [f"a0: &a0 {nested(50)}"]
    for level in range(1, 40):
        lines.append(f"a{level}: &a{level} {'[' * 50}*a{level - 1}{']' * 50}")
    message = only_problem("\n".join(lines) + "\n")
    assert message.startswith("a.yaml:2:59: the lists and keys are nested more than 100")


# Input size


def test_a_file_over_the_size_limit_is_refused_unread(tmp_path: Path) -> None:
    path = tmp_path / "stor.yaml"
    path.write_bytes(b"#" * (MAX_FILE_BYTES + 1))
    with pytest.raises(AgreementError) as caught:
        load(path)
    assert str(caught.value) == (
        f"{path}: the file is larger than 10 MB; an agreement file is far smaller (the 35 cards "
        "of a real one take 60 kB), so followupdocs reads at most 10 MB"
    )


def test_a_text_over_the_size_limit_is_refused() -> None:
    message = only_problem("#" * (MAX_FILE_BYTES + 1))
    assert message.startswith("a.yaml: the file is larger than 10 MB;")


# Syntax errors located where the mistake is


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("kommune: [unclosed\n", "a.yaml:1:10: this '[' starts a list that is never closed"),
        ("kommune: {a: b\n", "a.yaml:1:10: this '{' starts a group that is never closed"),
        ("aftale: x\nkommune: [a,\n  b,\n", "a.yaml:2:10: this '[' starts a list"),
        ("kommune: 'unclosed\n", "a.yaml:1:10: this quote starts a text that is never closed"),
    ],
)
def test_unclosed_is_located_where_it_opens(text: str, expected: str) -> None:
    assert only_problem(text).startswith(expected)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("kommune: x\t# c\n", "a.yaml:1:11: a tab stands before a comment;"),
        ("kommune: x\n\t# c\n", "a.yaml:2:1: a tab stands before a comment;"),
        ("kommune: |\t# c\n  x\n", "a.yaml:1:11: a tab stands before a comment;"),
        ("kommune: x\t\n", "a.yaml:1:11: the line ends with a tab; delete it"),
        ("kommune:\n\tx\n", "a.yaml:2:1: a tab is used for indentation; indent with spaces"),
        ("kommune: [a,\tb]\n", "a.yaml:1:13: a tab separates the values here; use spaces"),
    ],
)
def test_a_tab_is_named_for_what_it_does(text: str, expected: str) -> None:
    assert only_problem(text).startswith(expected)


# Round keys and numbers that look like others


@pytest.mark.parametrize(("text", "number"), [("1", 1), (" 12 ", 12), ("04", 4)])
def test_round_number_reads_plain_digits(text: str, number: int) -> None:
    assert round_number(text) == number


@pytest.mark.parametrize("text", ["²", "１", "١", "1.0", "-1", "", "en"])
def test_round_number_refuses_anything_else(text: str) -> None:
    assert round_number(text) is None


@pytest.mark.parametrize("key", ["²", "１", "١"])  # fullwidth and Arabic-Indic 1: int() reads them
def test_a_round_key_in_other_digits_is_refused(key: str) -> None:
    text = MINIMAL + f"        milepæle:\n          {key}:\n            tekst: Noget\n"
    assert only_problem(text) == (
        f"a.yaml:17:11: {INITIATIVE}.milepæle.{key}: {key!r} is not a follow-up number; "
        "use 1, 2, 3, ..."
    )


def test_an_economy_round_key_in_other_digits_is_refused() -> None:
    text = MINIMAL + "        økonomi:\n          smiley:\n            ²: grøn\n"
    assert only_problem(text).startswith(f"a.yaml:18:13: {INITIATIVE}.økonomi.smiley.²: '²'")


def test_a_python_round_key_in_other_digits_is_refused() -> None:
    data = loads(MINIMAL).model_dump(by_alias=True)
    data["temaer"][0]["indsatser"][0]["milepæle"] = {"１": {"tekst": "Noget"}}
    with pytest.raises(ValueError, match="not a follow-up number"):
        Agreement.model_validate(data)


@pytest.mark.parametrize(
    ("number", "shown"),
    [
        ("1.02\\u200b", "U+200B (ZERO WIDTH SPACE) at position 5"),
        ("1.\\u00a002", "U+00A0 (NO-BREAK SPACE) at position 3"),
        ("1.0\\u20602", "U+2060 (WORD JOINER) at position 4"),
        ("1.0\\u00ad2", "U+00AD (SOFT HYPHEN) at position 4"),
        ("\\u200e1.02", "U+200E (LEFT-TO-RIGHT MARK) at position 1"),
        ("1.0\\ufeff2", "U+FEFF (ZERO WIDTH NO-BREAK SPACE) at position 4"),
        ("1.\\t02", "U+0009 at position 3"),
        ("1.\\n02", "U+000A at position 3"),
    ],
)
def test_an_invisible_character_in_a_number_is_refused(number: str, shown: str) -> None:
    text = MINIMAL.replace('nummer: "1.02"', f'nummer: "{number}"')
    assert only_problem(text) == (
        f"a.yaml:11:17: {INITIATIVE}.nummer: contains the invisible character {shown}, so two "
        "numbers could look alike; delete it"
    )


def test_an_invisible_character_in_a_theme_number_is_refused() -> None:
    text = MINIMAL.replace('nummer: "1"', 'nummer: "1\u200b"')
    assert only_problem(text).startswith("a.yaml:8:13: temaer[0].nummer: contains the invisible")


def test_two_numbers_that_print_alike_cannot_both_load() -> None:
    second = CARD.replace('"1.02"', '"1.02\u200b"')
    with pytest.raises(AgreementError) as caught:
        loads(MINIMAL + second)
    assert [p.path for p in caught.value.problems] == ["temaer[0].indsatser[1].nummer"]


def test_a_plain_space_in_a_number_is_still_allowed() -> None:
    text = MINIMAL.replace('nummer: "1.02"', 'nummer: "1. 02"')
    assert [i.number for i in loads(text).initiatives] == ["1. 02"]


# Centres spelt two ways


def with_centres(*centres: str) -> str:
    cards = [
        CARD.replace('"1.02"', f'"1.{n:02d}"').replace("Politisk Sekretariat", centre)
        for n, centre in enumerate(centres, 2)
    ]
    return MINIMAL[: MINIMAL.index("      - nummer:")] + "".join(cards)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Ejendomme", "ejendomme"),
        ("Ejendomme", "EJENDOMME"),
        ("Økonomi og Styring", "Økonomi  og Styring"),
        ("Økonomi og Styring", "ØkonomiogStyring"),
        ("Økonomi og Styring", "Økonomi og\u00a0Styring"),
        ("Ejendomme", "Ejen\u200bdomme"),
    ],
)
def test_centre_key_ignores_case_and_spacing(a: str, b: str) -> None:
    assert centre_key(a) == centre_key(b)


def test_centre_key_tells_different_centres_apart() -> None:
    assert centre_key("Ejendomme") != centre_key("Ejendomme Nord")


def test_similar_centres_names_each_other_spelling_once() -> None:
    agreement = loads(with_centres("Ejendomme", "ejendomme", "EJENDOMME", "ejendomme", "Børn"))
    found = [(s.name, s.first_name, s.first_number, s.path[3]) for s in agreement.similar_centres()]
    assert found == [("ejendomme", "Ejendomme", "1.02", 1), ("EJENDOMME", "Ejendomme", "1.02", 2)]


def test_load_warns_of_similar_centres_with_both_lines() -> None:
    text = with_centres("Ejendomme", "Børn", "ejendomme ")
    report = loads_report(text, source="a.yaml")
    assert [str(w) for w in report.warnings] == [
        "a.yaml:24:28: temaer[0].indsatser[2].ansvarligt_center: the centre 'ejendomme' differs "
        "only in case or spacing from 'Ejendomme' (initiative 1.02, line 14), so it gets a form "
        "of its own; spell it the same way everywhere if it is one centre"
    ]


def test_one_spelling_gives_no_warning() -> None:
    assert loads_report(with_centres("Ejendomme", "Ejendomme", "Børn")).warnings == ()


def test_validate_prints_the_similar_centre_warning(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "aftale.yaml"
    path.write_text(with_centres("Ejendomme", "EJENDOMME"), encoding="utf-8")
    assert main(["validate", str(path)]) == 0
    out, err = capsys.readouterr()
    assert out.startswith(f"{path}: valid")
    assert err == (
        f"warning: {path}:19:28: temaer[0].indsatser[1].ansvarligt_center: the centre "
        "'EJENDOMME' differs only in case or spacing from 'Ejendomme' (initiative 1.02, line 14), "
        "so it gets a form of its own; spell it the same way everywhere if it is one centre\n"
    )
