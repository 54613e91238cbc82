"""Build agreements in Python and ask them about rounds, smileys and what is still missing."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import ValidationError

from followupdocs import (
    Agreement,
    Economy,
    Initiative,
    Kind,
    Milestone,
    MissingSmiley,
    ReadOnlyError,
    RoundError,
    Smiley,
    Theme,
)

ROUNDS = [
    "1. budgetopfølgning 2018",
    "2. budgetopfølgning 2018",
    "3. budgetopfølgning 2018",
    "31.12.2018",
]


def initiative(number: str = "1.02", **fields: Any) -> Initiative:
    """Return an initiative with the required fields filled in by attribute name."""
    required: dict[str, Any] = {
        "title": f"Indsats {number}",
        "kind": Kind.OPERATIONS,
        "responsible_centre": "Politisk Sekretariat",
        "responsible_committee": "Økonomiudvalget",
    }
    return Initiative(number=number, **{**required, **fields})


def agreement(*initiatives: Initiative, rounds: list[str] = ROUNDS) -> Agreement:
    """Return an agreement with one theme holding `initiatives`."""
    return Agreement(
        municipality="Ballerup Kommune",
        name="Aftale om budget 2018",
        committee="Økonomiudvalget",
        rounds=rounds,
        themes=[Theme(number="1", title="Vision 2029", initiatives=list(initiatives))],
    )


def test_build_by_attribute_name() -> None:
    built = agreement(
        initiative(
            agreement_text="Vision 2029 blev vedtaget.",
            main_contributor="Ejendomme",
            implementation="Introprogram.",
            milestones={1: Milestone(text="Introduceret.", status="Sket.", smiley=Smiley.GREEN)},
            economy=Economy(text="Der er ikke afsat økonomi.", smileys={1: Smiley.RED}),
        )
    )
    [only] = built.initiatives
    assert only.number == "1.02"
    assert only.kind is Kind.OPERATIONS
    assert only.main_contributor == "Ejendomme"
    assert only.milestone(round=1).status == "Sket."
    assert only.economy.smileys == {1: Smiley.RED}
    assert built.title == ""
    assert built.reading_guide == ""


def test_build_by_alias() -> None:
    built = Agreement.model_validate({
        "kommune": "Ballerup Kommune",
        "aftale": "Aftale om budget 2018",
        "udvalg": "Økonomiudvalget",
        "opfølgninger": ROUNDS,
        "titel": "Første opfølgning",
        "læsevejledning": "Læs sådan.",
        "temaer": [{
            "nummer": "1",
            "titel": "Vision 2029",
            "indsatser": [{
                "nummer": "1.02",
                "titel": "Arbejdet med Vision 2029",
                "type": "Anlæg og drift",
                "aftaletekst": "Tekst.",
                "ansvarligt_center": "Politisk Sekretariat",
                "ansvarligt_udvalg": "Økonomiudvalget",
                "væsentlig_bidragsyder": "Ejendomme",
                "gennemførelse": "Sådan.",
                "milepæle": {1: {"tekst": "Mål.", "status": "Nået.", "smiley": "grøn"}},
                "økonomi": {"tekst": "Ingen.", "smiley": {1: "rød"}},
            }],
        }],
    })  # fmt: skip
    assert built.municipality == "Ballerup Kommune"
    assert (built.title, built.reading_guide) == ("Første opfølgning", "Læs sådan.")
    [only] = built.initiatives
    assert only.kind is Kind.BOTH
    assert only.responsible_centre == "Politisk Sekretariat"
    assert only.main_contributor == "Ejendomme"
    assert only.implementation == "Sådan."
    assert only.milestone(round=1) == Milestone(text="Mål.", status="Nået.", smiley=Smiley.GREEN)
    assert only.economy == Economy(text="Ingen.", smileys={1: Smiley.RED})


def test_alias_and_name_mixed() -> None:
    only = Initiative(
        nummer="1.02",
        title="Arbejdet med Vision 2029",
        type="Drift",
        ansvarligt_center="Politisk Sekretariat",
        responsible_committee="Økonomiudvalget",
    )
    assert (only.number, only.kind, only.responsible_centre) == (
        "1.02",
        Kind.OPERATIONS,
        "Politisk Sekretariat",
    )


@pytest.mark.parametrize(
    ("word", "smiley"),
    [("grøn", Smiley.GREEN), ("Green", Smiley.GREEN), (" gul ", Smiley.YELLOW),
     ("yellow", Smiley.YELLOW), ("RØD", Smiley.RED), ("red", Smiley.RED)],
)  # fmt: skip
def test_smiley_words(word: str, smiley: Smiley) -> None:
    assert Milestone(smiley=word).smiley is smiley


@pytest.mark.parametrize(
    ("word", "kind"),
    [("Drift", Kind.OPERATIONS), ("anlæg", Kind.CONSTRUCTION), ("Anlæg  og\nDrift", Kind.BOTH)],
)
def test_kind_words(word: str, kind: Kind) -> None:
    assert initiative(kind=word).kind is kind


def test_not_a_kind() -> None:
    with pytest.raises(ValidationError, match="'Anlæg og Drift ja' is not a kind"):
        initiative(kind="Anlæg og Drift ja")


def test_latest_round_none_without_smileys() -> None:
    only = initiative(milestones={1: Milestone(text="Mål."), 4: Milestone(text="Slut.")})
    assert agreement(only).latest_round() is None
    assert agreement().latest_round() is None


def test_latest_round_from_milestone_smileys() -> None:
    only = initiative(
        milestones={1: Milestone(smiley=Smiley.GREEN), 2: Milestone(smiley=Smiley.YELLOW),
                    3: Milestone(text="Ikke givet endnu.")}
    )  # fmt: skip
    assert agreement(only).latest_round() == 2


def test_latest_round_from_economy_smileys() -> None:
    first = initiative("1.01", milestones={1: Milestone(smiley=Smiley.GREEN)})
    second = initiative("1.02", economy=Economy(smileys={3: Smiley.RED}))
    assert agreement(first, second).latest_round() == 3


def test_smiley_status_and_economy_at() -> None:
    only = initiative(
        milestones={
            1: Milestone(text="Mål.", status="Forsinket.", smiley=Smiley.YELLOW),
            2: Milestone(text="Næste mål."),
        },
        economy=Economy(smileys={1: Smiley.GREEN}),
    )
    assert only.smiley_at(round=1) is Smiley.YELLOW
    assert only.smiley_at(round=2) is None
    assert only.smiley_at(round=3) is None
    assert only.status_at(round=1) == "Forsinket."
    assert only.status_at(round=2) == ""
    assert only.status_at(round=4) == ""
    assert only.economy_smiley_at(round=1) is Smiley.GREEN
    assert only.economy_smiley_at(round=2) is None


def test_milestone_for_a_missing_round_is_empty() -> None:
    only = initiative(milestones={1: Milestone(text="Mål.")})
    empty = only.milestone(round=3)
    assert (empty.text, empty.status, empty.smiley) == ("", "", None)
    assert empty == Milestone()
    assert 3 not in only.milestones


def test_missing() -> None:
    first = initiative(
        "1.01",
        milestones={1: Milestone(text="Mål.", smiley=Smiley.GREEN), 2: Milestone(text="Næste.")},
        economy=Economy(text="Ingen.", smileys={1: Smiley.GREEN}),
    )
    second = initiative(
        "1.02",
        milestones={1: Milestone(text="Mål."), 2: Milestone(status="Kun status.")},
        economy=Economy(smileys={2: Smiley.RED}),
    )
    built = agreement(first, second)
    assert [(m.initiative.number, m.round, m.field) for m in built.missing(round=1)] == [
        ("1.02", 1, "milestone"),
        ("1.02", 1, "economy"),
    ]
    # A milestone without text needs no smiley; the economy always does.
    assert [(m.initiative.number, m.round, m.field) for m in built.missing(round=2)] == [
        ("1.01", 2, "milestone"),
        ("1.01", 2, "economy"),
    ]
    assert [(m.initiative.number, m.field) for m in built.missing(round=3)] == [
        ("1.01", "economy"),
        ("1.02", "economy"),
    ]


def test_missing_smiley_str() -> None:
    only = initiative("1.02", title="Vision")
    assert str(MissingSmiley(only, 2, "milestone")) == "1.02 Vision: no milestone smiley at round 2"
    assert str(MissingSmiley(only, 1, "economy")) == "1.02 Vision: no economy smiley at round 1"


def test_round_label_and_check_round() -> None:
    built = agreement(initiative())
    assert built.round_label(round=1) == "1. budgetopfølgning 2018"
    assert built.round_label(round=4) == "31.12.2018"
    assert built.check_round(round=3) == 3


@pytest.mark.parametrize("round", [0, 5, -1])
def test_round_out_of_range(round: int) -> None:
    built = agreement(initiative())
    for method in (built.check_round, built.round_label, built.missing):
        with pytest.raises(RoundError, match=rf"round {round} does not exist; .* rounds 1 to 4"):
            method(round=round)


def test_round_error_is_a_value_error() -> None:
    assert issubclass(RoundError, ValueError)


def test_duplicate_number_is_refused() -> None:
    with pytest.raises(ValidationError, match=r"the number '1\.02' is already used"):
        agreement(initiative("1.02"), initiative("1.02"))


@pytest.mark.parametrize(
    "fields",
    [
        {"milestones": {5: Milestone(text="For sent.")}},
        {"milestones": {0: Milestone(text="For tidligt.")}},
        {"economy": Economy(smileys={5: Smiley.GREEN})},
    ],
)
def test_round_out_of_range_is_refused(fields: dict[str, Any]) -> None:
    with pytest.raises(ValidationError, match="there is no follow-up"):
        agreement(initiative(**fields))


def test_fewer_rounds_narrow_the_range() -> None:
    with pytest.raises(ValidationError, match=r"there is no follow-up 2;.* 1 to 1"):
        agreement(initiative(milestones={2: Milestone(text="x")}), rounds=["31.12.2018"])


def test_at_least_one_round() -> None:
    with pytest.raises(ValidationError):
        agreement(initiative(), rounds=[])


@pytest.mark.parametrize("value", ["gul", "yellow", Smiley.YELLOW])
def test_gul_refused_for_economy(value: object) -> None:
    with pytest.raises(ValidationError, match="the economy smiley is grøn or rød"):
        Economy(smileys={1: value})


def test_gul_accepted_for_milestone() -> None:
    assert Milestone(smiley="gul").smiley is Smiley.YELLOW


@pytest.mark.parametrize("value", ["grønn", 1])
def test_not_a_smiley(value: object) -> None:
    with pytest.raises(ValidationError, match="is not a smiley; use grøn, gul or rød"):
        Milestone(smiley=value)


def test_required_text_must_not_be_empty() -> None:
    with pytest.raises(ValidationError, match="is empty; write a value"):
        initiative(number="  ")


def test_unknown_field_is_refused() -> None:
    with pytest.raises(ValidationError):
        initiative(responsible_center="Ejendomme")


def test_texts_are_cleaned() -> None:
    milestone = Milestone(text="  Et\r\nTo\rTre\n", status=None)
    assert (milestone.text, milestone.status) == ("Et\nTo\nTre", "")


def test_control_character_is_refused() -> None:
    with pytest.raises(ValidationError, match=r"U\+0007 at position 7"):
        Milestone(text="Klokke\a")


@pytest.mark.parametrize(
    ("model", "field", "value"),
    [
        (Milestone(text="Mål."), "text", "Andet."),
        (Economy(), "text", "Andet."),
        (initiative(), "number", "9.99"),
        (Theme(number="1", title="T", initiatives=[]), "title", "Andet"),
        (agreement(), "municipality", "Herlev Kommune"),
    ],
)
def test_models_are_frozen(model: Any, field: str, value: object) -> None:
    with pytest.raises(ReadOnlyError, match="read-only"):
        setattr(model, field, value)
    assert getattr(model, field) != value


def test_nested_collections_are_not_shared() -> None:
    first, second = initiative("1.01"), initiative("1.02")
    assert first.milestones is not second.milestones
    assert first.economy.smileys is not second.economy.smileys
