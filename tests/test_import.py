"""Read rendered follow-up documents back: read_document, and the round trip render -> import."""

from __future__ import annotations

from pathlib import Path

import pytest

import followupdocs
from followupdocs._importing import PLACEHOLDER, shown


@pytest.mark.parametrize("round", [1, 2, 3, 4])
def test_every_round_of_the_example_reads_back_as_it_was(
    example: followupdocs.Agreement, example_docs: dict[int, Path], round: int
) -> None:
    reading = followupdocs.read_document(example_docs[round], kommune=example.municipality)
    assert reading.problems == ()
    assert reading.round == round
    assert reading.agreement == shown(example, round)


def test_round_one_of_the_example_reads_back_whole(
    example: followupdocs.Agreement, example_docs: dict[int, Path]
) -> None:
    # The example's texts are written the way the reader writes them, and its round-1 document
    # shows every status and smiley it has: nothing is projected away.
    reading = followupdocs.read_document(example_docs[1], kommune=example.municipality)
    assert reading.agreement == example


def test_without_kommune_the_municipality_is_a_placeholder_and_a_warning(
    example_docs: dict[int, Path],
) -> None:
    reading = followupdocs.read_document(example_docs[1])
    assert reading.agreement.municipality == PLACEHOLDER
    assert reading.agreement.name == "Aftale om budget 2018"
    assert reading.agreement.committee == "Økonomiudvalget"
    [problem] = reading.problems
    assert problem.severity == "warning" and "--kommune" in problem.message
