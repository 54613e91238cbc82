"""Generated agreements render into clean Word that says exactly what the agreement says.

Hypothesis builds agreements in Python (by attribute name) with hostile texts: XML and Jinja
characters, emoji, Danish letters, blank lines, bullets and numbered points, up to 5,000
characters. Every document is reopened and compared card by card with the agreement, its
smileys are counted, and it must pass the Word-strictness checks. A second part injects write
failures and checks the previous output survives untouched.
"""

from __future__ import annotations

import errno
import io
import os
import re
import tempfile
import unicodedata
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import docx
import pytest
from docx.oxml.ns import qn
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph
from hypothesis import event, given, settings
from hypothesis import strategies as st

import followupdocs
import followupdocs._output
import wordcheck
from followupdocs import Agreement, Economy, Initiative, Kind, Milestone, Smiley, Theme
from followupdocs._context import ALT_TEXT

WP = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"
# The profile (tests/conftest.py) sets the number of examples: a few seconds locally, about
# 30 s for the whole file in CI. In CI the whole-document property gets twice as many; locally
# the same 8, since its agreements of up to 30 cards and 5,000-character texts took 3 to 12 s.
SETTINGS = settings()
MANY = settings(
    SETTINGS,
    max_examples=SETTINGS.max_examples * (2 if os.environ.get("HYPOTHESIS_PROFILE") == "ci" else 1),
)

# ---------------------------------------------------------------------------------------------
# Strategies
# ---------------------------------------------------------------------------------------------

# Unusual whitespace too: no-break space, line and paragraph separators, NEL, zero-width space.
ALPHABET = "abcxyzæøåÆØÅ &<>\"'{}%#.,:;-•·😀🇩🇰\n\t012)\u00a0\u2028\u2029\x85\u200b"
TOKENS = [
    "{{",
    "}}",
    "{%",
    "%}",
    "{{ title }}",
    "{%p for x in themes %}",
    "{% endfor %}",
    "&amp;",
    "<w:t>",
    "]]>",
    "\n",
    "\n\n",
    "\r\n",
    "\n• ",
    "• ",
    "\n1. ",
    "\n2. ",
    "\n3. ",
    "\n\n1. ",
    "1) ",
    "👍🏽",
    "Økonomi",
    "Status:",
    "æøå ÆØÅ",
    "   ",
]
piece = st.one_of(st.sampled_from(TOKENS), st.text(alphabet=ALPHABET, min_size=1, max_size=12))
short_text = st.lists(piece, max_size=10).map("".join)
# Long texts repeat a short one: cheap to generate, still up to 5,000 characters.
long_text = st.tuples(short_text, st.integers(1, 2500)).map(lambda t: (t[0] * t[1])[:5000])
free_text = st.one_of(st.just(""), short_text, short_text, long_text)
required_text = st.tuples(st.sampled_from("AbÆøå1&<{😀"), short_text).map("".join)
smileys = st.one_of(st.none(), st.sampled_from(list(Smiley)))
economy_smileys = st.sampled_from([Smiley.GREEN, Smiley.RED])


def _clean(text: str) -> str:
    """Return a text as the models store it (line endings normalised, stripped)."""
    return text.replace("\r\n", "\n").replace("\r", "\n").strip()


def _visible(text: str) -> str:
    """Return a text with its invisible characters made spaces: numbers refuse them."""
    invisible = {"Cc", "Cf", "Zs", "Zl", "Zp"}
    return "".join(" " if unicodedata.category(c) in invisible else c for c in text)


numbers = st.one_of(
    st.from_regex(r"\A[1-9][0-9]?(\.[0-9]{1,2}){0,2}\Z"),
    required_text.map(_visible),
)


@st.composite
def initiatives(
    draw: st.DrawFn, number: str, rounds: int, texts: list[str], names: list[str]
) -> Initiative:
    """Return an initiative whose texts are drawn from the agreement's `texts` and `names`."""
    text = st.sampled_from(texts)
    name = st.sampled_from(names)
    milestone_rounds = draw(st.sets(st.integers(1, rounds)))
    economy_rounds = draw(st.sets(st.integers(1, rounds)))
    return Initiative(
        number=number,
        title=draw(name),
        kind=draw(st.sampled_from(list(Kind))),
        agreement_text=draw(text),
        responsible_centre=draw(name),
        responsible_committee=draw(name),
        main_contributor=draw(st.one_of(st.just(""), name)),
        implementation=draw(text),
        milestones={
            r: Milestone(text=draw(text), status=draw(text), smiley=draw(smileys))
            for r in sorted(milestone_rounds)
        },
        economy=Economy(
            text=draw(text), smileys={r: draw(economy_smileys) for r in economy_rounds}
        ),
    )


@st.composite
def agreements(draw: st.DrawFn) -> Agreement:
    """Return an agreement of 1-6 rounds and 1-30 initiatives in 1-5 themes.

    Each agreement draws a few texts and names and its fields pick among them: drawing every
    field afresh makes generation, not rendering, the slow part of the test.
    """
    texts = draw(st.lists(free_text, min_size=1, max_size=6))
    names = draw(st.lists(required_text, min_size=1, max_size=4))
    rounds = draw(st.lists(st.sampled_from(names), min_size=1, max_size=6))
    theme_count = draw(st.integers(1, 5))
    count = draw(st.integers(1, 30))
    initiative_numbers = draw(st.lists(numbers, min_size=count, max_size=count, unique_by=_clean))
    owners = sorted(draw(st.lists(st.integers(0, theme_count - 1), min_size=count, max_size=count)))
    cards = [draw(initiatives(n, len(rounds), texts, names)) for n in initiative_numbers]
    themes = [
        Theme(
            number=draw(numbers),
            title=draw(st.sampled_from(names)),
            initiatives=[card for card, owner in zip(cards, owners, strict=True) if owner == t],
        )
        for t in range(theme_count)
    ]
    return Agreement(
        municipality=draw(required_text),
        name=draw(required_text),
        committee=draw(required_text),
        rounds=rounds,
        themes=themes,
        title=draw(st.one_of(st.just(""), required_text)),
        reading_guide=draw(st.one_of(st.just(""), short_text)),
    )


# ---------------------------------------------------------------------------------------------
# What the document should show
# ---------------------------------------------------------------------------------------------

_MARKER = re.compile(r"^[•●▪◦·]\s*(?=\S)")  # a bullet marker followed by text
# "1)" and "1." read the same once Word numbers the list with its own "1." format. Leading
# zeros are dropped too: BUG (reported) "01. a / 02. b" becomes a Word list showing "1." and
# "2."; test_zero_padded_points_keep_their_numbers holds that case.
_POINT = re.compile(r"(?<!\S)0*(\d{1,3})[.)](?=\s|$)")


def collapse(text: str) -> str:
    return " ".join(text.split())


def expected(text: str) -> str:
    """Return what a text should read as in Word: bullets as "• ", whitespace collapsed."""
    lines = (_MARKER.sub("• ", line.strip()) for line in text.split("\n"))
    return _POINT.sub(r"\1.", collapse(" ".join(lines)))


class Styles:
    """Style names by id: python-docx's Paragraph.style searches styles.xml on every call."""

    def __init__(self, document: Any) -> None:
        self.names = {s.style_id: s.name for s in document.styles}

    def __call__(self, paragraph: Paragraph) -> str:
        p_style = paragraph._p.find(f"{qn('w:pPr')}/{qn('w:pStyle')}")
        return "Normal" if p_style is None else self.names.get(p_style.get(qn("w:val")), "")


def shown(paragraphs: Iterable[Paragraph], style_of: Styles) -> str:
    """Return what paragraphs read as in Word, with list bullets and list numbers written out.

    A List Number paragraph counts from 1 within its run of consecutive List Number paragraphs
    (check_numbering asserts the numbering XML makes Word do exactly that).
    """
    out = []
    count = 0
    for paragraph in paragraphs:
        style = style_of(paragraph)
        count = count + 1 if style == "List Number" else 0
        if style == "List Number":
            out.append(f"{count}. {paragraph.text}")
        elif style == "List Bullet":
            out.append(f"• {paragraph.text}")
        else:
            out.append(paragraph.text)
    return _POINT.sub(r"\1.", collapse(" ".join(out)))


def without_list_marks(text: str) -> str:
    """Drop bullet markers and leading point numbers (for the reading guide, see below)."""
    text = re.sub(r"(?<!\S)[•●▪◦·]", " ", text)
    return collapse(re.sub(r"(?<!\S)\d{1,3}[.)](?=\s|$)", " ", text))


def cells(row: Any, table: Table) -> list[_Cell]:
    """Return a row's real cells (a merged cell once), as Word counts them."""
    return [_Cell(tc, table) for tc in row._tr.tc_lst]


def alt_texts(element: Any) -> list[str]:
    return [d.get("descr") for d in element.iter(f"{{{WP}}}docPr")]


def card_tables(document: Any, style_of: Styles) -> list[Table]:
    """Return the cards: tables whose first cell is a Heading 2 (the card's title)."""
    found = []
    for table in document.tables:
        first = cells(table.rows[0], table)[0].paragraphs
        if first and style_of(first[0]) == "Heading 2":
            found.append(table)
    return found


def is_subsequence(wanted: list[str], found: list[str]) -> bool:
    rest = iter(found)
    return all(any(w == f for f in rest) for w in wanted)


def check_document(agreement: Agreement, round: int, data: bytes, *, overview: bool) -> None:
    """Assert the document `data` shows `agreement` at `round`, text by text, smiley by smiley."""
    document = docx.Document(io.BytesIO(data))
    style_of = Styles(document)
    paragraphs = document.paragraphs
    texts = [p.text for p in paragraphs]
    styles = [style_of(p) for p in paragraphs]

    title = texts[styles.index("Title")]
    if agreement.title:
        assert collapse(title) == collapse(agreement.title)
    else:
        assert collapse(agreement.name) in collapse(title)
        assert collapse(agreement.committee) in collapse(title)
    assert document.core_properties.author == agreement.municipality

    # Reading guide: its own introduction, then the five smiley definitions with their images.
    start = texts.index("Læsevejledning")
    end = texts.index("Definition af smileys på indsats:")
    if agreement.reading_guide:
        # BUG (reported): an own reading guide loses its "• " markers and its 1., 2. numbers
        # (they become plain paragraphs, neither text nor a Word list), so compare without them.
        guide = collapse(" ".join(texts[start + 1 : end]))
        assert without_list_marks(guide) == without_list_marks(expected(agreement.reading_guide))
    guide_images = [a for p in paragraphs[start:] for a in alt_texts(p._p)][:5]
    assert guide_images == [
        ALT_TEXT[("milestone", Smiley.GREEN)],
        ALT_TEXT[("milestone", Smiley.YELLOW)],
        ALT_TEXT[("milestone", Smiley.RED)],
        ALT_TEXT[("economy", Smiley.GREEN)],
        ALT_TEXT[("economy", Smiley.RED)],
    ]
    assert ("Samlet status" in texts) is overview

    headings = [collapse(t) for t, s in zip(texts, styles, strict=True) if s == "Heading 1"]
    themes = [collapse(f"{t.number}. {t.title}") for t in agreement.themes]
    assert is_subsequence(themes, headings), (themes, headings)

    tables = card_tables(document, style_of)
    initiatives = list(agreement.initiatives)
    assert len(tables) == len(initiatives)
    card_images = 0
    for table, initiative in zip(tables, initiatives, strict=True):
        card_images += check_card(table, initiative, agreement, round, style_of)
    assert card_images == expected_card_images(agreement, round)
    # The overview ("Samlet status") shows the same smileys as the cards once more.
    guide = 5
    total = len(alt_texts(document.element.body))
    assert total == guide + card_images * (2 if overview else 1)


def check_card(
    table: Table, initiative: Initiative, agreement: Agreement, round: int, style_of: Styles
) -> int:
    """Assert one card shows `initiative` at `round`; return how many smileys it shows."""
    where = f"card {initiative.number!r}"
    rows = table.rows
    assert len(rows) == 3 + len(agreement.rounds), where
    header = cells(rows[0], table)
    assert [collapse(c.text) for c in header] == [
        collapse(f"{initiative.number}. {initiative.title}"),
        initiative.kind.value,
        "Tid",
        "Smiley",
    ], where

    left, right = cells(rows[1], table)
    assert shown(left.paragraphs, style_of) == expected(initiative.agreement_text), where
    labels = [collapse(p.text) for p in right.paragraphs[:3]]
    assert labels == [
        collapse(f"Ansvarligt center: {initiative.responsible_centre}"),
        collapse(f"Ansvarligt udvalg: {initiative.responsible_committee}"),
        collapse(f"Væsentlig bidragsyder: {initiative.main_contributor}"),
    ], where
    assert shown(right.paragraphs[3:], style_of) == expected(initiative.implementation), where

    images = 0
    for number, label in enumerate(agreement.rounds, start=1):
        milestone = initiative.milestone(round=number)
        what, text, tid, smiley = cells(rows[1 + number], table)
        assert what.text == "Milepæl", where
        want = expected(milestone.text)
        if number <= round and milestone.status:
            want = collapse(f"{want} Status: {expected(milestone.status)}")
        assert shown(text.paragraphs, style_of) == want, (where, number)
        assert collapse(tid.text) == collapse(label), (where, number)
        given_smiley = milestone.smiley if number <= round else None
        want_alt = [] if given_smiley is None else [ALT_TEXT[("milestone", given_smiley)]]
        assert alt_texts(smiley._tc) == want_alt, (where, number)
        assert alt_texts(text._tc) + alt_texts(tid._tc) + alt_texts(what._tc) == [], where
        images += len(want_alt)

    what, text, empty, smiley = cells(rows[-1], table)
    assert what.text == "Økonomi", where
    assert shown(text.paragraphs, style_of) == expected(initiative.economy.text), where
    assert empty.text == "", where
    economy = initiative.economy_smiley_at(round=round)
    want_alt = [] if economy is None else [ALT_TEXT[("economy", economy)]]
    assert alt_texts(smiley._tc) == want_alt, where
    return images + len(want_alt)


def expected_card_images(agreement: Agreement, round: int) -> int:
    """Count the smileys the cards show: milestones of rounds 1..round, economy at round."""
    return sum(
        sum(1 for r in range(1, round + 1) if initiative.smiley_at(round=r) is not None)
        + (initiative.economy_smiley_at(round=round) is not None)
        for initiative in agreement.initiatives
    )


def check_numbering(data: bytes) -> None:
    """Assert each run of List Number paragraphs is its own Word list starting at 1."""
    document = docx.Document(io.BytesIO(data))
    styles = {s.name: s.style_id for s in document.styles}
    style_id = styles.get("List Number")
    body = document.element.body
    runs: list[list[Any]] = []
    for p in body.iter(qn("w:p")):
        p_style = p.find(f"{qn('w:pPr')}/{qn('w:pStyle')}")
        if p_style is None or p_style.get(qn("w:val")) != style_id:
            continue
        if runs and p.getprevious() is runs[-1][-1]:
            runs[-1].append(p)
        else:
            runs.append([p])
    if not runs:
        return
    numbering = document.part.numbering_part.element
    starts = {}
    for num in numbering.iter(qn("w:num")):
        start = num.find(f"{qn('w:lvlOverride')}/{qn('w:startOverride')}")
        starts[num.get(qn("w:numId"))] = None if start is None else start.get(qn("w:val"))
    seen = set()
    for run in runs:
        ids = {
            p.find(f"{qn('w:pPr')}/{qn('w:numPr')}/{qn('w:numId')}").get(qn("w:val")) for p in run
        }
        assert len(ids) == 1, "one list, one numbering"
        [num_id] = ids
        assert num_id not in seen, "every list has its own numbering"
        assert starts[num_id] == "1", "every list starts at 1"
        seen.add(num_id)


# ---------------------------------------------------------------------------------------------
# Tests
# ---------------------------------------------------------------------------------------------


@MANY
@given(data=st.data(), agreement=agreements())
def test_generated_agreement_renders_everything(data: st.DataObject, agreement: Agreement) -> None:
    """Render at a drawn round (or the default), reopen, and compare every text and smiley."""
    chosen = data.draw(st.one_of(st.none(), st.integers(1, len(agreement.rounds))), label="round")
    overview = data.draw(st.booleans(), label="overview")
    round = chosen if chosen is not None else (agreement.latest_round() or 1)
    initiatives = list(agreement.initiatives)
    longest = max(len(i.agreement_text) for i in initiatives)
    size = len(initiatives)
    event(f"initiatives: {'1' if size == 1 else '2-9' if size < 10 else '10+'}")
    event(f"longest text: {'<100' if longest < 100 else '<1000' if longest < 1000 else '1000+'}")
    rendered = followupdocs.render_bytes(agreement, round=chosen, overview=overview)
    check_document(agreement, round, rendered, overview=overview)
    check_numbering(rendered)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder, "out.docx")
        path.write_bytes(rendered)
        assert wordcheck.problems(path) == []


_NUMBERED = st.lists(
    st.tuples(
        st.sampled_from(["", "\n", "\n\n"]),
        st.sampled_from(["1. ", "2. ", "3) ", "• ", "x"]),
        short_text,
    ),
    max_size=8,
).map(lambda parts: "".join(a + b + c for a, b, c in parts))


def one_card(text: str, **agreement: Any) -> Agreement:
    """Return an agreement of one card with `text` in every text field."""
    initiative = Initiative(
        number="1.01",
        title="Punkter",
        kind=Kind.OPERATIONS,
        agreement_text=text,
        responsible_centre="Center",
        responsible_committee="Udvalg",
        implementation=text,
        milestones={1: Milestone(text=text, status=text, smiley=Smiley.GREEN)},
        economy=Economy(text=text, smileys={1: Smiley.RED}),
    )
    return Agreement(
        municipality="Kommune",
        name="Aftale",
        committee="Udvalget",
        rounds=["1. budgetopfølgning", "31.12.2018"],
        themes=[Theme(number="1", title="Tema", initiatives=[initiative])],
        **agreement,
    )


@SETTINGS
@given(text=_NUMBERED)
def test_points_and_bullets_lose_only_their_marks(text: str) -> None:
    """A card of bullets and numbered points: every word kept, numbers shown by Word's list."""
    agreement = one_card(text)
    rendered = followupdocs.render_bytes(agreement, round=1)
    check_document(agreement, 1, rendered, overview=True)
    check_numbering(rendered)


def test_zero_padded_points_keep_their_numbers() -> None:
    agreement = one_card("01. Første\n02. Anden")
    document = docx.Document(io.BytesIO(followupdocs.render_bytes(agreement, round=1)))
    [card] = card_tables(document, Styles(document))
    left = cells(card.rows[1], card)[0]
    assert [p.text for p in left.paragraphs] == ["01. Første", "02. Anden"]


def test_own_reading_guide_keeps_bullets_and_numbers() -> None:
    guide = "Indledning\n\n• Første punkt\n• Andet punkt\n\n1. Et\n2. To"
    document = docx.Document(
        io.BytesIO(followupdocs.render_bytes(one_card("x", reading_guide=guide), round=1))
    )
    paragraphs = document.paragraphs
    texts = [p.text for p in paragraphs]
    start = texts.index("Læsevejledning") + 1
    end = texts.index("Definition af smileys på indsats:")
    assert shown(paragraphs[start:end], Styles(document)) == expected(guide)


# ---------------------------------------------------------------------------------------------
# Fault injection: a failed write leaves the previous document as it was
# ---------------------------------------------------------------------------------------------


@pytest.fixture
def previous(example: Agreement, tmp_path: Path) -> tuple[Path, bytes]:
    """Render round 1 once; return its path and bytes."""
    path = followupdocs.render(example, tmp_path / "opfølgning.docx", round=1)
    return path, path.read_bytes()


def _assert_untouched(path: Path, before: bytes) -> None:
    assert path.read_bytes() == before
    assert sorted(os.listdir(path.parent)) == [path.name], "no temp file is left behind"


def test_disk_full_at_fsync_keeps_previous(
    example: Agreement, previous: tuple[Path, bytes], monkeypatch: pytest.MonkeyPatch
) -> None:
    path, before = previous

    def full(fd: int) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(followupdocs._output.os, "fsync", full)
    with pytest.raises(followupdocs.OutputError, match="cannot write the file"):
        followupdocs.render(example, path, round=2)
    _assert_untouched(path, before)


def test_disk_full_in_the_middle_of_writing_keeps_previous(
    example: Agreement, previous: tuple[Path, bytes], monkeypatch: pytest.MonkeyPatch
) -> None:
    path, before = previous
    real_fdopen = os.fdopen

    class HalfWritten(io.FileIO):
        """Write half of what is asked, then fail as a full disk does."""

        def write(self, data: Any) -> int:
            super().write(bytes(data)[: len(data) // 2])
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    def fdopen(fd: int, mode: str = "r", *args: Any, **kwargs: Any) -> Any:
        if "w" in mode:
            return HalfWritten(fd, "wb")
        return real_fdopen(fd, mode, *args, **kwargs)

    monkeypatch.setattr(followupdocs._output.os, "fdopen", fdopen)
    with pytest.raises(followupdocs.OutputError, match="No space left"):
        followupdocs.render(example, path, round=2)
    _assert_untouched(path, before)


def test_replace_refused_keeps_previous(
    example: Agreement, previous: tuple[Path, bytes], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Word holds the file open (Windows): os.replace is refused."""
    path, before = previous

    def refuse(src: Any, dst: Any) -> None:
        raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), str(dst))

    monkeypatch.setattr(followupdocs._output.os, "replace", refuse)
    with pytest.raises(followupdocs.OutputError, match="close it") as caught:
        followupdocs.render(example, path, round=2)
    assert str(path) in str(caught.value)
    _assert_untouched(path, before)
