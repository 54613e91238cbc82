"""The shipped example loads and its texts are the seed document's texts."""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from pathlib import Path

import pytest

from followupdocs import Agreement, Initiative, Kind, Smiley, load
from helpers import EXAMPLE, ROOT

SEED_NAME = "000_2d5601191405ac73.txt"

NUMBERS = [
    "1.02", "2.02.1", "2.02.2", "2.02.3", "3.04", "3.08", "3.17", "3.23", "3.24", "3.26",
    "3.32", "4.01.1", "5.07", "6.02", "6.11", "6.17", "6.23", "7.01", "7.02", "7.03", "7.04",
    "7.05", "7.09", "7.10", "7.11", "7.12", "7.16", "8.01", "8.03", "8.04", "8.05", "8.06",
    "8.08", "8.09", "8.11",
]  # fmt: skip
THEMES = [
    ("1", "Vision 2029"),
    ("2", "Budget 2018 - Budget i balance med plads til investeringer"),
    ("3", "Sammenhængende udviklingsforløb 0-25 år"),
    ("4", "Sundhed, Ældre og Voksne med særlige behov"),
    ("5", "Erhverv og Beskæftigelse"),
    ("6", "Befolkning og Boliger"),
    ("7", "Borgeren og Kommunen"),
    ("8", "Ballerup Kommune som virksomhed"),
]
# Where the seed breaks a line after a hyphen inside a word ("hen-\nholdsvis", "2019-\n2022").
_BREAK = re.compile(r"(?<=\w)-[ \t]*\n\s*(?=\w)")
_MARK = "\x01"


@pytest.fixture(scope="module")
def example() -> Agreement:
    return load(EXAMPLE)


@pytest.fixture(scope="module")
def seed() -> str:
    """Return the seed's text, whitespace collapsed, each hyphenated line break marked."""
    given = os.environ.get("FOLLOWUPDOCS_SEED")
    path = Path(given) if given else ROOT.parent / "shared" / "seed"
    if path.is_dir():
        path = path / SEED_NAME
    if not path.is_file():
        pytest.skip(f"the seed document is not at {path}")
    return " ".join(_BREAK.sub(_MARK, path.read_text(encoding="utf-8")).split())


def occurs(sample: str, seed: str) -> bool:
    """Tell whether `sample` is in `seed`, where a marked break is a hyphen or nothing."""
    pattern = []
    for char in " ".join(sample.split()):
        if char == "-":
            pattern.append(f"(?:-|{_MARK})")
        else:
            pattern.append(re.escape(char) + f"{_MARK}?")
    return re.search("".join(pattern), seed) is not None


def card(agreement: Agreement, number: str) -> Initiative:
    """Return the initiative numbered `number`."""
    [found] = [i for i in agreement.initiatives if i.number == number]
    return found


def paragraph(text: str, index: int) -> str:
    """Return paragraph `index` of a text (paragraphs are separated by a blank line)."""
    return text.split("\n\n")[index]


SAMPLES: dict[str, Callable[[Agreement], str]] = {
    "theme 2 title": lambda a: a.themes[1].title,
    "2.02.2 title over two lines": lambda a: card(a, "2.02.2").title,
    "3.26 title": lambda a: card(a, "3.26").title,
    "1.02 agreement text, bullet": lambda a: paragraph(card(a, "1.02").agreement_text, 1),
    "5.07 agreement text, hyphenated break": lambda a: paragraph(card(a, "5.07").agreement_text, 0),
    "3.23 agreement text, hyphenated break": lambda a: paragraph(card(a, "3.23").agreement_text, 2),
    "6.02 agreement text": lambda a: paragraph(card(a, "6.02").agreement_text, 1),
    "2.02.1 gennemførelse": lambda a: card(a, "2.02.1").implementation,
    "3.08 gennemførelse, quotes": lambda a: paragraph(card(a, "3.08").implementation, 0),
    "7.16 gennemførelse": lambda a: card(a, "7.16").implementation,
    "2.02.1 milestone 1, kept hyphen": lambda a: card(a, "2.02.1").milestone(round=1).text,
    "3.04 milestone 1": lambda a: card(a, "3.04").milestone(round=1).text,
    "8.11 milestone 1": lambda a: paragraph(card(a, "8.11").milestone(round=1).text, 1),
    "8.11 milestone 2": lambda a: card(a, "8.11").milestone(round=2).text,
    "6.23 milestone 4": lambda a: card(a, "6.23").milestone(round=4).text,
    "2.02.1 status 1": lambda a: card(a, "2.02.1").status_at(round=1),
    "5.07 status 1": lambda a: card(a, "5.07").status_at(round=1),
    "7.09 status 1, hyphenated break": lambda a: paragraph(card(a, "7.09").status_at(round=1), 0),
    "6.02 status 1": lambda a: card(a, "6.02").status_at(round=1),
    "4.01.1 economy": lambda a: card(a, "4.01.1").economy.text,
    "7.12 economy": lambda a: card(a, "7.12").economy.text,
    "8.05 economy": lambda a: card(a, "8.05").economy.text,
    "3.23 main contributor": lambda a: card(a, "3.23").main_contributor,
    "8.09 main contributor": lambda a: card(a, "8.09").main_contributor,
    "6.23 responsible centre": lambda a: card(a, "6.23").responsible_centre,
    "8.11 responsible centre": lambda a: card(a, "8.11").responsible_centre,
    "7.05 responsible centre": lambda a: card(a, "7.05").responsible_centre,
}


def test_example_loads(example: Agreement) -> None:
    assert example.municipality == "Ballerup Kommune"
    assert example.name == "Aftale om budget 2018"
    assert example.committee == "Økonomiudvalget"
    assert example.rounds == (
        "1. budgetopfølgning 2018",
        "2. budgetopfølgning 2018",
        "3. budgetopfølgning 2018",
        "31.12.2018",
    )
    assert example.latest_round() == 1


def test_initiative_numbers_in_order(example: Agreement) -> None:
    assert [i.number for i in example.initiatives] == NUMBERS


def test_themes(example: Agreement) -> None:
    assert [(t.number, t.title) for t in example.themes] == THEMES
    for theme in example.themes:
        assert all(i.number.startswith(f"{theme.number}.") for i in theme.initiatives)


def test_every_initiative_is_complete(example: Agreement) -> None:
    for initiative in example.initiatives:
        assert initiative.responsible_committee == "Økonomiudvalget"
        assert initiative.title
        assert initiative.responsible_centre


@pytest.mark.parametrize("name", list(SAMPLES))
def test_text_is_in_the_seed(example: Agreement, seed: str, name: str) -> None:
    sample = SAMPLES[name](example)
    assert sample.strip()
    assert occurs(sample, seed), sample


def test_occurs_handles_hyphenated_breaks() -> None:
    seed = " ".join(_BREAK.sub(_MARK, "på hen-\nholdsvis indsats og 2019-\n2022 i alt").split())
    assert occurs("på henholdsvis indsats", seed)
    assert occurs("og 2019-2022 i alt", seed)
    assert not occurs("på hen holdsvis", seed)
    assert not occurs("og 20192023", seed)


def test_literal_texts(example: Agreement) -> None:
    assert card(example, "2.02.1").status_at(round=1) == (
        "Sagen har endnu ikke været forelagt Økonomiudvalget. "
        "Den vil formenligt blive forelagt i maj 2018."
    )
    assert card(example, "2.02.1").smiley_at(round=1) is Smiley.YELLOW
    assert card(example, "2.02.1").title == "Økonomi - Den økonomiske strategi"
    assert card(example, "1.02").economy.text == "Der er ikke afsat økonomi."
    assert card(example, "8.05").economy.text == (
        "Hele det afsatte beløb faktureres i 2018.\n\n"
        "Besparelsen har dog først fuld virkning fra 2019."
    )
    assert card(example, "7.05").milestone(round=2).text == (
        "50 pct. af provenuet er indhentet. (0,5 mio. kr.)"
    )


def test_7_09_has_no_economy(example: Agreement) -> None:
    initiative = card(example, "7.09")
    assert initiative.economy.text == ""
    assert initiative.economy.smileys == {}
    assert initiative.main_contributor.startswith("Børne- og Ungerådgivning, Skoler")


def test_7_10_and_7_11_have_no_round_1_milestone(example: Agreement) -> None:
    for number in ("7.10", "7.11"):
        initiative = card(example, number)
        assert 1 not in initiative.milestones
        assert initiative.milestone(round=1).text == ""


def test_kinds(example: Agreement) -> None:
    kinds = {i.number: i.kind for i in example.initiatives}
    assert kinds["1.02"] is Kind.OPERATIONS
    assert kinds["3.04"] is Kind.BOTH
    assert kinds["3.17"] is Kind.CONSTRUCTION
    assert kinds["6.11"] is Kind.BOTH


def test_round_1_smileys(example: Agreement) -> None:
    yellow = [i.number for i in example.initiatives if i.smiley_at(round=1) is Smiley.YELLOW]
    assert yellow == [
        "2.02.1", "3.04", "3.24", "4.01.1", "5.07", "6.02", "6.11", "7.01", "7.02", "7.09",
        "8.04", "8.06",
    ]  # fmt: skip
    assert not [i for i in example.initiatives if i.smiley_at(round=1) is Smiley.RED]
    assert not [i for i in example.initiatives for r in (2, 3, 4) if i.smiley_at(round=r)]
