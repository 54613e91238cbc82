"""Import card documents made by hand in Word (tests/handmade.py), not by our renderer.

What a secretariat has today is typed: Wingdings smileys, typed bullets, merged cells, split
runs. Reading one must give back the agreement it was made from on every field the document
shows, and a broken one must give located problems, not a guess.
"""

from __future__ import annotations

import textwrap
import zipfile
from pathlib import Path
from typing import Any

import pytest

import followupdocs
from followupdocs import Agreement
from handmade import BAD, make, paragraph_texts
from helpers import run_cli

RICH = textwrap.dedent(
    """\
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
          - nummer: "1.01"
            titel: Arbejdet med Vision 2029
            type: Drift
            aftaletekst: |
              Visionen blev vedtaget af en enig kommunalbestyrelse.

              • Intern kommunikation på arbejdspladserne.

              • Nyt design af temaerne.

              Efteråret bruges på at folde visionen ud.
            ansvarligt_center: Politisk Sekretariat
            ansvarligt_udvalg: Økonomiudvalget
            væsentlig_bidragsyder: Ejendomme
            gennemførelse: |
              Sekretariatet planlægger forløbet.

              • Et seminar i foråret
            milepæle:
              1:
                tekst: Kommunalbestyrelsen er introduceret for visionen.
                status: Introduktionen er gennemført.
                smiley: grøn
              2:
                tekst: Praksisfortællingerne er udarbejdet.
                status: |
                  Fortællingerne er halvt færdige.

                  • Tre mangler stadig
                smiley: gul
              3:
                tekst: Designet er godkendt.
                status: Designet er udskudt til næste år.
                smiley: rød
              4:
                tekst: Visionen er indarbejdet i alle politikker.
                status: Arbejdet er afsluttet.
                smiley: grøn
            økonomi:
              tekst: Der er ikke afsat økonomi.
              smiley:
                1: grøn
                2: rød
                3: grøn
                4: rød
          - nummer: "1.02"
            titel: Ny økonomisk strategi 2019-2022
            type: Anlæg
            aftaletekst: |
              Strategien har fem målsætninger:

              1. Servicerammen skal ligge på niveau med KL's ramme.

              2. Anlægget skal ligge på niveau med KL's ramme for anlæg.

              3. Gælden skal falde med 50 mio. kr.

              Efter listen kommer et afsnit.

              7. Et punkt med sit eget nummer.
            ansvarligt_center: Økonomi og Styring
            ansvarligt_udvalg: Økonomiudvalget
            milepæle:
              1:
                tekst: Ramme og oplæg er forelagt Økonomiudvalget.
                status: Sagen er forelagt i marts.
                smiley: gul
              2:
                tekst: Strategien er vedtaget.
                status: Vedtaget i juni.
                smiley: grøn
              4:
                tekst: Strategien er i brug.
            økonomi:
              tekst: Udgiften afholdes inden for rammen.
              smiley:
                1: grøn
                2: grøn
          - nummer: "1.03"
            titel: Frikommuneforsøg
            type: Anlæg og drift
            ansvarligt_center: Borgerservice
            ansvarligt_udvalg: Beskæftigelsesudvalget
            milepæle:
              3:
                tekst: Forsøget er evalueret.
                status: Evalueringen er i gang.
                smiley: gul
      - nummer: "2"
        titel: Budget i balance med plads til investeringer
        indsatser:
          - nummer: "2.02.1"
            titel: Økonomi - Den økonomiske strategi
            type: Drift
            aftaletekst: |
              Kommunen har en sund og solid økonomi.
            ansvarligt_center: Økonomi og Styring
            ansvarligt_udvalg: Økonomiudvalget
            væsentlig_bidragsyder: Alle centre
            milepæle:
              1:
                tekst: Budgetprocessen er planlagt.
                smiley: rød
              2:
                tekst: Budgettet er vedtaget.
                status: |
                  Vedtaget med disse ændringer:

                  1. Skatten er uændret.

                  2. Gælden falder.
                smiley: grøn
              3:
                tekst: ""
              4:
                tekst: Regnskabet er aflagt.
            økonomi:
              smiley:
                1: rød
                3: grøn
          - nummer: "2.02.2"
            titel: Ny finansiel strategi
            type: Drift
            aftaletekst: Der udarbejdes en ny finansiel strategi.
            ansvarligt_center: Økonomi og Styring
            ansvarligt_udvalg: Økonomiudvalget
            milepæle:
              1:
                tekst: Strategien er vedtaget.
                status: Vedtaget i januar.
                smiley: grøn
              2:
                tekst: Strategien er fulgt op.
                status: Opfølgningen viser små afvigelser.
                smiley: gul
              3:
                tekst: Afvigelserne er rettet.
                smiley: grøn
            økonomi:
              tekst: Ingen.
              smiley:
                2: grøn
                4: grøn
          - nummer: "2.03"
            titel: Digitalisering
            type: Anlæg
            aftaletekst: Alle breve sendes digitalt.
            ansvarligt_center: Digitalisering
            ansvarligt_udvalg: Økonomiudvalget
            gennemførelse: Centret udruller løsningen.
            milepæle:
              1:
                tekst: Løsningen er udbudt.
                smiley: grøn
              2:
                tekst: Løsningen er i drift.
                status: Udrulningen er forsinket.
                smiley: rød
            økonomi:
              tekst: Finansieret af puljen.
              smiley:
                1: grøn
                2: rød
    """
)


@pytest.fixture(scope="module")
def rich() -> Agreement:
    return followupdocs.loads(RICH)


def text(value: str) -> list[tuple[str, str]]:
    """Return a text's paragraphs, what the document shows of it."""
    return paragraph_texts(value)


def shown(agreement: Agreement, round: int) -> dict[str, Any]:
    """Return every field a document of `agreement` at `round` shows, comparable."""
    last = len(agreement.rounds)
    return {
        "aftale": agreement.name,
        "udvalg": agreement.committee,
        "kommune": agreement.municipality,
        "opfølgninger": list(agreement.rounds),
        "temaer": [(theme.number, theme.title) for theme in agreement.themes],
        "indsatser": [
            {
                "tema": theme.number,
                "nummer": i.number,
                "titel": i.title,
                "type": i.kind,
                "aftaletekst": text(i.agreement_text),
                "ansvarligt_center": i.responsible_centre,
                "ansvarligt_udvalg": i.responsible_committee,
                "væsentlig_bidragsyder": i.main_contributor,
                "gennemførelse": text(i.implementation),
                "milepæle": {
                    r: (
                        text(i.milestone(round=r).text),
                        text(i.status_at(round=r)) if r <= round else [],
                        i.smiley_at(round=r) if r <= round else None,
                    )
                    for r in range(1, last + 1)
                },
                "økonomi": (text(i.economy.text), i.economy_smiley_at(round=round)),
            }
            for theme in agreement.themes
            for i in theme.initiatives
        ],
    }


def read(path: Path, agreement: Agreement, round: int | None) -> Any:
    return followupdocs.read_document(  # type: ignore[attr-defined]
        path, kommune=agreement.municipality, round=round
    )


def test_the_rich_agreement_uses_what_it_is_meant_to(rich: Agreement) -> None:
    """The fixture has every smiley colour, several rounds' statuses and empty fields."""
    smileys = {m.smiley for i in rich.initiatives for m in i.milestones.values()}
    assert smileys == {
        followupdocs.Smiley.GREEN,
        followupdocs.Smiley.YELLOW,
        followupdocs.Smiley.RED,
        None,
    }
    assert len(rich.initiatives) >= 5  # every combination of the generator's variations


def test_the_hand_made_document_holds_what_people_type(rich: Agreement, tmp_path: Path) -> None:
    """The fixture keeps covering every way of typing it claims (checked on its XML)."""
    path = make(rich, 4, tmp_path / "haandlavet.docx")
    with zipfile.ZipFile(path) as package:
        xml = package.read("word/document.xml").decode("utf-8")
    cards = xml[xml.index("<w:tbl>") :]
    for needed in (
        'w:font="Wingdings" w:char="F04A"',  # Insert Symbol
        'w:ascii="Wingdings"',  # a letter in a Wingdings run ...
        ">J</w:t>",
        "\uf04b</w:t>",  # ... or the private-use character
        'smiley"',  # a picture with alt text ("Grøn smiley", ...)
        "<w:numPr>",  # a real Word list
        ">• ",  # a typed bullet
        '<w:vMerge w:val="restart"/>',
        '<w:gridSpan w:val="3"/>',
        '<w:proofErr w:type="spellStart"/>',
        '<w:pStyle w:val="Heading2"/>',
    ):
        assert needed in cards, needed
    pictures = cards.count("<wp:docPr ")
    assert pictures > cards.count("descr=")  # some pictures without alt text


@pytest.mark.parametrize("round", [1, 2, 3, 4])
@pytest.mark.parametrize("explicit", [True, False], ids=["round-given", "round-found"])
def test_hand_made_document_reads_back(
    rich: Agreement, tmp_path: Path, round: int, explicit: bool
) -> None:
    path = make(rich, round, tmp_path / f"haandlavet-{round}.docx")
    reading = read(path, rich, round if explicit else None)
    assert [str(p) for p in reading.problems if p.severity == "error"] == []
    assert reading.round == round
    assert shown(reading.agreement, round) == shown(rich, round)


@pytest.mark.parametrize("round", [1, 4])
def test_hand_made_example_reads_back(example: Agreement, tmp_path: Path, round: int) -> None:
    """The 35 cards of the seed, typed by hand, give back the example."""
    path = make(example, round, tmp_path / f"ballerup-{round}.docx")
    reading = read(path, example, round)
    assert [str(p) for p in reading.problems if p.severity == "error"] == []
    got, want = shown(reading.agreement, round), shown(example, round)
    for mine, theirs in zip(got["indsatser"], want["indsatser"], strict=False):
        assert mine == theirs, theirs["nummer"]
    assert got == want


def test_the_round_is_the_last_with_a_smiley_or_status(rich: Agreement, tmp_path: Path) -> None:
    path = make(rich, 3, tmp_path / "tredje.docx")
    assert read(path, rich, None).round == 3
    assert read(path, rich, 4).round == 4  # --round N wins over what the document shows


# --- bad documents: each a located problem, exit 1, nothing written -------------------------

WHERE = {
    "row_missing": ["table 2", "2. budgetopfølgning 2018"],
    "duplicate_number": ["table 2", "1.01"],
    "unknown_smiley": ["table 2", "row 3"],
    "no_cards": [],
}


@pytest.mark.parametrize("bad", BAD)
def test_bad_hand_made_document_gives_located_problems(
    rich: Agreement, tmp_path: Path, bad: str
) -> None:
    path = make(rich, 1, tmp_path / f"{bad}.docx", bad=bad)
    try:
        problems = [str(p) for p in read(path, rich, 1).problems if p.severity == "error"]
    except followupdocs.FollowupError as error:
        problems = [str(error)]
    assert problems, f"{bad}: read without a problem"
    assert any(all(word in p for word in WHERE[bad]) for p in problems), problems
    assert all(path.name in p for p in problems), problems


@pytest.mark.parametrize("bad", BAD)
def test_import_of_bad_hand_made_document_exits_1_and_writes_nothing(
    rich: Agreement, tmp_path: Path, capsys: pytest.CaptureFixture[str], bad: str
) -> None:
    path = make(rich, 1, tmp_path / f"{bad}.docx", bad=bad)
    target = tmp_path / "aftale.yaml"
    code, out, err = run_cli(capsys, "import", path, "-o", target, "--kommune", "Ballerup Kommune")
    assert code == 1, out + err
    assert not target.exists()
    assert path.name in err
    assert len(err.strip().splitlines()) <= 20  # located lines, not a dump


def test_import_of_hand_made_document_writes_a_valid_yaml(
    rich: Agreement, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = make(rich, 2, tmp_path / "anden.docx")
    target = tmp_path / "aftale.yaml"
    code, out, err = run_cli(capsys, "import", path, "-o", target, "--kommune", "Ballerup Kommune")
    assert code == 0, out + err
    assert shown(followupdocs.load(target), 2) == shown(rich, 2)
