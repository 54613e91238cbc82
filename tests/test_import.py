"""Read rendered follow-up documents back: read_document, and the round trip render -> import.

Every field a document shows must come back: statuses and smileys up to its round, milestone
texts of all rounds, the economy smiley of its round. `shown` is what a document can give back.
"""

from __future__ import annotations

import importlib.util
import zipfile
from pathlib import Path
from types import ModuleType

import pytest

import followupdocs
from followupdocs._importing import PLACEHOLDER
from followupdocs._shown import shown
from helpers import ROOT, needs_soffice, soffice_convert
from test_collect_documents import EXPECTED, edit_example, summary

ROUNDS = [1, 2, 3, 4]


def _bench() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "bench_render", ROOT / "benchmarks" / "bench_render.py"
    )
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def large() -> followupdocs.Agreement:
    return _bench().synthetic(300)


def _same(
    reading: followupdocs.DocumentReading, agreement: followupdocs.Agreement, round: int
) -> None:
    """Assert the reading is the agreement as the round's document shows it, card by card."""
    assert reading.problems == ()
    assert reading.round == round
    expected = shown(agreement, round)
    got = reading.agreement
    assert [i.number for i in got.initiatives] == [i.number for i in expected.initiatives]
    for mine, theirs in zip(got.initiatives, expected.initiatives, strict=True):
        assert mine == theirs, mine.number
    assert got == expected


@pytest.mark.parametrize("round", ROUNDS)
def test_every_round_of_the_example_reads_back_as_it_was(
    example: followupdocs.Agreement, example_docs: dict[int, Path], round: int
) -> None:
    reading = followupdocs.read_document(example_docs[round], kommune=example.municipality)
    _same(reading, example, round)


def test_round_one_of_the_example_reads_back_whole(
    example: followupdocs.Agreement, example_docs: dict[int, Path]
) -> None:
    # The example's texts are written the way the reader writes them, and its round-1 document
    # shows every status and smiley it has: nothing is projected away.
    reading = followupdocs.read_document(example_docs[1], kommune=example.municipality)
    assert reading.agreement == example


def test_a_later_round_shows_no_earlier_economy_smiley(
    example: followupdocs.Agreement, example_docs: dict[int, Path]
) -> None:
    reading = followupdocs.read_document(example_docs[2], kommune=example.municipality)
    assert any(i.economy.smileys for i in example.initiatives)
    assert not any(i.economy.smileys for i in reading.agreement.initiatives)
    # ... but the round-1 statuses and smileys it shows are there
    first = {i.number: i.smiley_at(round=1) for i in example.initiatives}
    assert {i.number: i.smiley_at(round=1) for i in reading.agreement.initiatives} == first


@pytest.mark.parametrize("round", ROUNDS)
def test_every_round_of_300_cards_reads_back(
    large: followupdocs.Agreement, tmp_path: Path, round: int
) -> None:
    # Each round rendered by its own test: a module fixture of all four would be made by each
    # xdist worker that runs one of them.
    path = followupdocs.render(large, tmp_path / f"large{round}.docx", round=round)
    _same(followupdocs.read_document(path, kommune=large.municipality), large, round)


def test_a_document_without_the_overview_reads_back(
    example: followupdocs.Agreement, tmp_path: Path
) -> None:
    path = followupdocs.render(example, tmp_path / "plain.docx", round=3, overview=False)
    _same(followupdocs.read_document(path, kommune=example.municipality), example, 3)


def test_round_overrides_the_title(
    example: followupdocs.Agreement, example_docs: dict[int, Path]
) -> None:
    reading = followupdocs.read_document(example_docs[1], kommune="Ballerup Kommune", round=4)
    assert reading.round == 4
    # The milestone smileys keep their rows' rounds; the one economy smiley a document shows
    # is that of the round it is for, which the caller says is 4.
    initiatives = reading.agreement.initiatives
    assert {r for i in initiatives for r, m in i.milestones.items() if m.smiley} == {1}
    assert {r for i in initiatives for r in i.economy.smileys} == {4}


def test_a_round_the_document_does_not_have_is_refused(example_docs: dict[int, Path]) -> None:
    with pytest.raises(
        followupdocs.RoundError, match="round 5 does not exist; the document has rounds 1 to 4"
    ):
        followupdocs.read_document(example_docs[1], round=5)


def test_without_kommune_the_municipality_is_a_placeholder_and_a_warning(
    example_docs: dict[int, Path],
) -> None:
    reading = followupdocs.read_document(example_docs[1])
    assert reading.agreement.municipality == PLACEHOLDER
    assert reading.agreement.name == "Aftale om budget 2018"
    assert reading.agreement.committee == "Økonomiudvalget"
    [problem] = reading.problems
    assert problem.severity == "warning" and "--kommune" in problem.message
    assert reading.errors == ()


def test_a_custom_title_is_kept_and_its_names_are_placeholders(
    example: followupdocs.Agreement, tmp_path: Path
) -> None:
    titled = example.model_copy(update={"title": "Budgetopfølgning for udvalget"})
    path = followupdocs.render(titled, tmp_path / "titled.docx", round=1)
    reading = followupdocs.read_document(path, kommune="Ballerup Kommune")
    assert reading.agreement.title == "Budgetopfølgning for udvalget"
    assert (reading.agreement.name, reading.agreement.committee) == (PLACEHOLDER, PLACEHOLDER)
    assert [p.severity for p in reading.problems] == ["warning"]
    assert "'aftale' and 'udvalg'" in reading.problems[0].message


def test_a_committee_ending_in_s_reads_back_from_its_genitive(
    example: followupdocs.Agreement, tmp_path: Path
) -> None:
    renamed = example.model_copy(update={"committee": "Børne- og Ungeudvalgets Forum for Børns"})
    path = followupdocs.render(renamed, tmp_path / "genitive.docx", round=4)
    reading = followupdocs.read_document(path, kommune="Ballerup Kommune")
    assert reading.agreement.committee == "Børne- og Ungeudvalgets Forum for Børns"
    assert reading.round == 4  # "Endelig opfølgning ..."


def test_the_reading_is_public_and_frozen(example_docs: dict[int, Path]) -> None:
    reading = followupdocs.read_document(example_docs[1])
    assert type(reading).__module__ == "followupdocs"
    with pytest.raises(AttributeError):
        reading.round = 2  # type: ignore[misc]


# --- a real LibreOffice -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def forty() -> followupdocs.Agreement:
    """40 cards of the benchmark's kind, which are all alike to LibreOffice: it takes 12 s to
    save 300, and its save of a card does not change with their number (300 cards are read
    back without LibreOffice above)."""
    return _bench().synthetic(40)


@pytest.fixture(scope="module")
def libreoffice_saved(
    example: followupdocs.Agreement,
    forty: followupdocs.Agreement,
    tmp_path_factory: pytest.TempPathFactory,
) -> dict[str, Path]:
    """The example at rounds 1 and 4, 40 cards at round 3, and test_collect_documents' touched-up
    round-1 document ("edited"), saved by LibreOffice in one run."""
    folder = tmp_path_factory.mktemp("rendered")
    rendered = [
        *(followupdocs.render(example, folder / f"example{n}.docx", round=n) for n in (1, 4)),
        followupdocs.render(forty, folder / "large3.docx", round=3),
        edit_example(followupdocs.render(example, folder / "edited.docx", round=1)),
    ]
    saved = soffice_convert(
        rendered, tmp_path_factory.mktemp("saved"), tmp_path_factory.mktemp("profile")
    )
    return {path.stem: path for path in saved}


@pytest.mark.soffice
@needs_soffice
@pytest.mark.xdist_group("libreoffice-import")  # one worker makes libreoffice_saved, not each
@pytest.mark.parametrize("name", ["example1", "example4", "large3"])
def test_documents_saved_by_libreoffice_read_back(
    libreoffice_saved: dict[str, Path],
    example: followupdocs.Agreement,
    forty: followupdocs.Agreement,
    name: str,
) -> None:
    path = libreoffice_saved[name]
    with zipfile.ZipFile(path) as package:
        assert b"LibreOffice" in package.read("docProps/app.xml")  # saved by it, not ours
    agreement = forty if name.startswith("large") else example
    round = int(name[-1])
    _same(followupdocs.read_document(path, kommune=agreement.municipality), agreement, round)


@pytest.mark.soffice
@needs_soffice
@pytest.mark.xdist_group("libreoffice-import")
def test_document_edited_then_saved_by_libreoffice(
    example: followupdocs.Agreement, libreoffice_saved: dict[str, Path]
) -> None:
    """An editor who saves with LibreOffice gives the same touch-ups (test_collect_documents'
    edits), and nothing else."""
    found = followupdocs.collect(example, [libreoffice_saved["edited"]])
    assert found.conflicts == ()
    assert summary(found.changes) == EXPECTED
