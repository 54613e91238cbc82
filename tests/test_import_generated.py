"""Generated agreements with hostile texts read back from their documents as they were.

The agreements are test_generated's (XML and Jinja characters, emoji, odd whitespace, bullets
and numbered points), renumbered the way real numbers look ("2.03", themes "2"): a number with
spaces and ". " in it cannot be told from the title after it. A milestone text with a
paragraph starting "Status:" cannot be told from the status either, so such agreements are
left out.
"""

from __future__ import annotations

import re
import tempfile
from pathlib import Path

from hypothesis import assume, given
from hypothesis import strategies as st

import followupdocs
from followupdocs import Agreement
from followupdocs._context import paragraphs
from followupdocs._shown import shown
from test_generated import SETTINGS, agreements


def _renumbered(agreement: Agreement) -> Agreement:
    themes = []
    for t, theme in enumerate(agreement.themes, start=1):
        initiatives = [
            initiative.model_copy(update={"number": f"{t}.{i:02d}"})
            for i, initiative in enumerate(theme.initiatives, start=1)
        ]
        themes.append(theme.model_copy(update={"number": str(t), "initiatives": initiatives}))
    return agreement.model_copy(update={"themes": tuple(themes)})


# The reader's rule (cardreader._STATUS) loosened: any whitespace, U+0085 included, or none.
_STATUS_START = re.compile(r"\s*status\s*:(\s|$)", re.IGNORECASE)


def _status_like(agreement: Agreement) -> bool:
    """Tell whether a milestone text has a paragraph the reader takes for "Status:".

    The paragraphs are the renderer's own, as the reader sees them: "• Status:" is a bullet
    whose text is "Status:", and a line joined to the one before it starts no paragraph.
    """
    return any(
        paragraph["text"].strip().casefold() == "status:" or _STATUS_START.match(paragraph["text"])
        for initiative in agreement.initiatives
        for milestone in initiative.milestones.values()
        for paragraph in paragraphs(milestone.text)
    )


@SETTINGS
@given(agreements().map(_renumbered), st.data())
def test_a_generated_agreement_reads_back_from_its_document(
    agreement: Agreement, data: st.DataObject
) -> None:
    assume(not _status_like(agreement))
    round = data.draw(st.integers(1, len(agreement.rounds)))
    with tempfile.TemporaryDirectory() as folder:
        path = followupdocs.render(agreement, Path(folder) / "generated.docx", round=round)
        reading = followupdocs.read_document(path, kommune=agreement.municipality, round=round)
    assert reading.errors == ()
    expected = shown(agreement, round)
    got = reading.agreement
    assert got.rounds == expected.rounds
    assert [(t.number, t.title) for t in got.themes] == [
        (t.number, t.title) for t in expected.themes if t.initiatives
    ]
    for mine, theirs in zip(got.initiatives, expected.initiatives, strict=True):
        assert mine == theirs
