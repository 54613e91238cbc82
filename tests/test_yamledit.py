"""The surgical YAML editor: the value changes, every other character stays where it was."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import followupdocs
from followupdocs import Milestone
from followupdocs._yamledit import EditError, Setting, edit

HEAD = """\
kommune: Ballerup Kommune
aftale: Aftale om budget 2026
udvalg: Økonomiudvalget
opfølgninger:
  - 1. budgetopfølgning 2026
  - 2. budgetopfølgning 2026
  - 31.12.2026
temaer:
  - nummer: "1"
    titel: Tema
    indsatser:
      - nummer: "1.01"
        titel: Et kort
        type: Drift
        ansvarligt_center: Center A
        ansvarligt_udvalg: Udvalg A
"""


def lines(*items: str) -> str:
    """Return lines of the initiative's mapping (indented as in HEAD), each ending in \\n."""
    return "".join(f"        {item}\n" if item else "\n" for item in items)


# (what the initiative holds after HEAD, the keys to set, the value, what it holds afterwards)
LAYOUTS = {
    "no milestones, no economy": (
        "",
        ("milepæle", 1, "status"),
        "Klar.",
        lines("milepæle:", "  1:", "    status: Klar."),
    ),
    "economy after, milestones inserted before it": (
        lines("økonomi:", "  tekst: Ingen."),
        ("milepæle", 2, "smiley"),
        "gul",
        lines("milepæle:", "  2:", "    smiley: gul", "økonomi:", "  tekst: Ingen."),
    ),
    "status goes between tekst and smiley": (
        lines("milepæle:", "  1:", "    tekst: Mål.", "    smiley: grøn"),
        ("milepæle", 1, "status"),
        "Nået.",
        lines("milepæle:", "  1:", "    tekst: Mål.", "    status: Nået.", "    smiley: grøn"),
    ),
    "a round goes between its neighbours": (
        lines("milepæle:", "  1:", "    tekst: A", "  3:", "    tekst: C"),
        ("milepæle", 2, "smiley"),
        "rød",
        lines(
            "milepæle:", "  1:", "    tekst: A", "  2:", "    smiley: rød", "  3:", "    tekst: C"
        ),
    ),
    "a round goes before the first": (
        lines("milepæle:", "  2:", "    tekst: B"),
        ("milepæle", 1, "smiley"),
        "grøn",
        lines("milepæle:", "  1:", "    smiley: grøn", "  2:", "    tekst: B"),
    ),
    "an empty round key": (
        lines("milepæle:", "  1:", "økonomi:"),
        ("milepæle", 1, "smiley"),
        "grøn",
        lines("milepæle:", "  1:", "    smiley: grøn", "økonomi:"),
    ),
    "an empty economy with a comment": (
        lines("økonomi:   # kommer senere"),
        ("økonomi", "smiley", 1),
        "rød",
        lines("økonomi:   # kommer senere", "  smiley:", "    1: rød"),
    ),
    "an economy written as ~": (
        lines("økonomi: ~  # intet endnu"),
        ("økonomi", "smiley", 1),
        "grøn",
        lines("økonomi:  # intet endnu", "  smiley:", "    1: grøn"),
    ),
    "an economy smiley mapping that is empty": (
        lines("økonomi:", "  tekst: X", "  smiley:"),
        ("økonomi", "smiley", 2),
        "grøn",
        lines("økonomi:", "  tekst: X", "  smiley:", "    2: grøn"),
    ),
    "an economy round prepared empty": (
        lines("økonomi:", "  smiley:", "    1:", "    2:  # kommer"),
        ("økonomi", "smiley", 2),
        "rød",
        lines("økonomi:", "  smiley:", "    1:", "    2: rød  # kommer"),
    ),
    "milestone keys prepared empty": (
        lines("milepæle:", "  1:", "    tekst: A", "    status:", "    smiley:"),
        ("milepæle", 1, "status"),
        "Klar.",
        lines("milepæle:", "  1:", "    tekst: A", "    status: Klar.", "    smiley:"),
    ),
    "a smiley replaced, its comment kept": (
        lines("økonomi:", "  smiley:", "    1: grøn   # foreløbig"),
        ("økonomi", "smiley", 1),
        "rød",
        lines("økonomi:", "  smiley:", "    1: rød   # foreløbig"),
    ),
    "a smiley replaced beside a quoted status": (
        lines("milepæle:", "  1:", "    status: 'Gammel: tekst'", "    smiley: gul"),
        ("milepæle", 1, "smiley"),
        "grøn",
        lines("milepæle:", "  1:", "    status: 'Gammel: tekst'", "    smiley: grøn"),
    ),
    "a block replaced by one line, blank line and header comment kept": (
        lines("milepæle:", "  1:", "    status: |  # fra centret", "      A", "", "      B", "")
        + lines("    smiley: gul"),
        ("milepæle", 1, "status"),
        "Ny: tekst",
        lines("milepæle:", "  1:", "    status: 'Ny: tekst'  # fra centret", "", "    smiley: gul"),
    ),
    "one line replaced by a block, comment moved to the header": (
        lines("milepæle:", "  1:", "    status: Gammel  # note", "    smiley: gul"),
        ("milepæle", 1, "status"),
        "Første.\n\nAndet.",
        lines("milepæle:", "  1:", "    status: |-  # note", "      Første.", "")
        + lines("      Andet.", "    smiley: gul"),
    ),
    "keys in another order than usual": (
        lines("økonomi:", "  smiley:", "    1: grøn", "milepæle:", "  1:", "    smiley: gul")
        + lines("    tekst: T"),
        ("milepæle", 1, "status"),
        "S",
        lines("økonomi:", "  smiley:", "    1: grøn", "milepæle:", "  1:", "    smiley: gul")
        + lines("    tekst: T", "    status: S"),
    ),
    "round keys written with a leading zero": (
        lines("milepæle:", "  01:", "    tekst: A"),
        ("milepæle", 1, "smiley"),
        "gul",
        lines("milepæle:", "  01:", "    tekst: A", "    smiley: gul"),
    ),
}


@pytest.mark.parametrize("name", list(LAYOUTS))
def test_layouts(name: str) -> None:
    before, path, value, after = LAYOUTS[name]
    result = edit(HEAD + before, [Setting("1.01", path, value)])
    assert result == HEAD + after
    followupdocs.loads(result)


def test_four_indent_steps_are_kept() -> None:
    text = HEAD + "        milepæle:\n            1:\n                tekst: A\n"
    result = edit(text, [Setting("1.01", ("økonomi", "smiley", 1), "grøn")])
    assert result == text + "        økonomi:\n            smiley:\n                1: grøn\n"


def test_several_settings_on_one_initiative() -> None:
    text = HEAD + "        økonomi:\n          tekst: X\n"
    result = edit(
        text,
        [
            Setting("1.01", ("økonomi", "smiley", 1), "rød"),
            Setting("1.01", ("milepæle", 1, "smiley"), "gul"),
            Setting("1.01", ("milepæle", 1, "status"), "S"),
            Setting("1.01", ("økonomi", "smiley", 2), "grøn"),
        ],
    )
    assert result == HEAD + (
        "        milepæle:\n          1:\n            status: S\n            smiley: gul\n"
        "        økonomi:\n          tekst: X\n          smiley:\n            1: rød\n"
        "            2: grøn\n"
    )


def test_crlf_line_endings_are_kept() -> None:
    text = (HEAD + "        milepæle:\n          1:\n            tekst: A\n").replace("\n", "\r\n")
    result = edit(
        text,
        [
            Setting("1.01", ("milepæle", 1, "status"), "En\n\nTo"),
            Setting("1.01", ("økonomi", "smiley", 1), "grøn"),
        ],
    )
    assert "\n" not in result.replace("\r\n", "")
    assert result.startswith(text)
    assert result[len(text) :] == (
        "            status: |-\r\n              En\r\n\r\n              To\r\n"
        "        økonomi:\r\n          smiley:\r\n            1: grøn\r\n"
    )


@pytest.mark.parametrize("eol", ["\n", "\r\n"])
def test_a_file_without_a_final_line_break(eol: str) -> None:
    text = (HEAD + "        milepæle:\n          1:\n            tekst: A").replace("\n", eol)
    result = edit(text, [Setting("1.01", ("milepæle", 1, "smiley"), "rød")])
    assert result == text + eol + "            smiley: rød"


@pytest.mark.parametrize(
    ("before", "message"),
    [
        ("        milepæle: {1: {tekst: A}}\n", "'milepæle' does not hold indented keys"),
        (
            "        milepæle:\n          1: &m\n            tekst: A\n            status: S\n"
            "          2:\n            status: *s\n",
            None,
        ),
    ],
)
def test_layouts_it_will_not_edit(before: str, message: str | None) -> None:
    text = HEAD + before
    if message is None:  # an alias: the value lives elsewhere
        text = text.replace("status: S", "status: &s S")
        with pytest.raises(EditError, match="refers to a value elsewhere"):
            edit(text, [Setting("1.01", ("milepæle", 2, "status"), "Ny")])
        return
    with pytest.raises(EditError, match=message):
        edit(text, [Setting("1.01", ("milepæle", 1, "status"), "Ny")])


def test_an_unknown_initiative() -> None:
    with pytest.raises(EditError, match=r"initiative 9\.99 is not in the file"):
        edit(HEAD, [Setting("9.99", ("milepæle", 1, "status"), "x")])


TRICKY = [
    "yes",
    "null",
    "~",
    "12:30",
    "2018-01-01",
    "1.10",
    "Kolon: ja # ikke en kommentar",
    "'enkelt' og \"dobbelt\"",
    "- bindestreg",
    "#hash",
    "> større",
    "| lodret",
    "@snabel",
    "`tick`",
    "%procent",
    "!udråb",
    "&amp; <tag>",
    "æøå ÆØÅ – “ord” → ✓",
    "Tab\there",
    "Linje\n\n  indrykket",
    "• punkt\n\n• punkt",
    "a\u2028b",
    "a\x85b",
    "slut med kolon:",
    "x" * 500,
]


@pytest.mark.parametrize("value", TRICKY)
def test_tricky_values_read_back_exactly(value: str, example_text: str) -> None:
    for number, round in (("1.02", 2), ("2.02.1", 1)):  # inserted, and replaced
        result = edit(example_text, [Setting(number, ("milepæle", round, "status"), value)])
        agreement = followupdocs.loads(result)
        initiative = next(i for i in agreement.initiatives if i.number == number)
        assert initiative.status_at(round=round) == Milestone(status=value).status


@pytest.fixture(scope="module")
def example_text() -> str:
    example = Path(__file__).resolve().parent.parent / "examples" / "oekonomiudvalget-2018.yaml"
    return example.read_text(encoding="utf-8")


texts = (
    st.text(
        alphabet=st.one_of(
            st.characters(codec="utf-8", exclude_categories=("Cs", "Cc", "Co", "Cn")),
            st.sampled_from("\n\t #:'\"|>-&*!%@`{}[],?\x85\u2028\u2029"),
        ),
        min_size=1,
        max_size=200,
    )
    .map(lambda t: Milestone(status=t).status)
    .filter(bool)
)


@settings(max_examples=round(1.5 * settings().max_examples))
@given(value=texts)
def test_any_text_reads_back_and_nothing_else_moves(value: str) -> None:
    text = HEAD + "        milepæle:\n          1:\n            tekst: A\n            smiley: gul\n"
    result = edit(text, [Setting("1.01", ("milepæle", 1, "status"), value)])
    assert followupdocs.loads(result).themes[0].initiatives[0].status_at(round=1) == value
    anchor = "            tekst: A\n"
    head, tail = text.split(anchor)
    assert result.startswith(head + anchor + "            status: ")
    assert result.endswith("\n" + tail)
