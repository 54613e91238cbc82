"""Write each responsible centre a Word form to report a round's status texts and smileys.

A form holds the centre's cards as in the committee document. In the row of the round asked
for, the status text is a plain-text content control and the milestone and economy smileys are
drop-down controls, prefilled with what the agreement already holds. Everything else stays
ordinary, editable Word; `followupdocs.collect` reads the controls back by their tags, or by
the bookmarks around them where LibreOffice dropped the tags.
"""

from __future__ import annotations

import difflib
import itertools
import os
import re
import unicodedata
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from docx import Document
from docx.oxml import OxmlElement
from docx.oxml.ns import qn

from ._context import ALT_TEXT, paragraphs
from ._docx.blocks import add_placeholder_style, add_text, finish
from ._docx.controls import (
    ECONOMY_CHOICES,
    MILESTONE_CHOICES,
    agreement_id,
    block_control,
    bookmark,
    bookmark_name,
    centre_id,
    dropdown_control,
    field_tag,
    marker_tag,
    parse_tag,
    text_control,
)
from ._docx.fill import default_template
from ._docx.instrument import LONG_ROW
from ._docx.save import package_bytes
from ._docx.smileys import add_picture
from ._docx.tables import (
    TEMPLATE_CARD_CM,
    add_paragraph,
    add_run,
    clear,
    fit_widths,
    keep_with_next,
    merge,
    row_cells,
    row_text_size,
    set_cell,
    shade,
    table,
)
from ._errors import FormError
from ._models import Agreement, Initiative, Smiley, centre_key
from ._output import write_atomic

__all__ = ["FormError", "centres", "form_bytes", "write_forms"]

ANSWER = "DEEAF6"  # the rows to fill in: pale blue, and named in the instructions too
_SLUG = 60  # characters of a centre's name in a file name; the rest is a digest


def centres(agreement: Agreement) -> list[str]:
    """Return the responsible centres of `agreement`, sorted by name."""
    # The name itself breaks ties between "Ejendomme" and "ejendomme": a set's order changes
    # with PYTHONHASHSEED, and with it which centre got which form file name.
    names = {i.responsible_centre for i in agreement.initiatives}
    return sorted(names, key=lambda name: (name.casefold(), name))


def _find_centre(agreement: Agreement, name: str) -> str:
    known = centres(agreement)
    if name in known:
        return name
    matches = [centre for centre in known if centre_key(centre) == centre_key(name)]
    if len(matches) == 1:
        return matches[0]
    if matches:
        listed = ", ".join(repr(centre) for centre in matches)
        raise FormError(
            f"the responsible centres {listed} differ only in case or spacing; give the name "
            "exactly as the YAML writes it"
        )
    close = difflib.get_close_matches(name, known, n=1, cutoff=0.6)
    hint = f"did you mean {close[0]!r}?" if close else "the centres are " + ", ".join(known)
    raise FormError(f"no initiative has the responsible centre {name!r}; {hint}")


def form_bytes(agreement: Agreement, centre: str, *, round: int) -> bytes:
    """Return the .docx bytes of the form for `centre` at follow-up `round`."""
    agreement.check_round(round=round)
    centre = _find_centre(agreement, centre)
    builder = _Form(agreement, round, centre)
    return builder.build()


def write_forms(
    agreement: Agreement,
    outdir: str | os.PathLike[str],
    *,
    round: int,
    centre: str | None = None,
    prefix: str | None = None,
) -> dict[str, Path]:
    """Write one form per responsible centre (or only `centre`) into `outdir`.

    Files are named `<prefix>-<centre>.docx` (prefix by default `skema-runde<round>`) and
    written atomically. Return the path written for each centre.
    """
    agreement.check_round(round=round)
    chosen = [_find_centre(agreement, centre)] if centre is not None else centres(agreement)
    names = _file_names(centres(agreement), prefix or f"skema-runde{round}")
    written = {}
    for name in chosen:
        data = _Form(agreement, round, name).build()
        written[name] = write_atomic(Path(outdir) / names[name], data)
    return written


def _file_names(all_centres: list[str], prefix: str) -> dict[str, str]:
    """Return a file name per centre; every centre's is the same whichever are written."""
    names: dict[str, str] = {}
    for centre in all_centres:
        stem = f"{prefix}-{_slug(centre)}"
        name = f"{stem}.docx"
        for count in itertools.count(2):
            if name not in names.values():
                break
            name = f"{stem}-{count}.docx"
        names[centre] = name
    return names


def _slug(text: str) -> str:
    """Return a file-name part: "Økonomi og Styring" -> "oekonomi-og-styring".

    A long name is cut (file names are limited to 255 bytes) and ends in a short digest of
    the whole name, so two long names that begin alike still get names of their own.
    """
    slug = text.casefold().replace("æ", "ae").replace("ø", "oe").replace("å", "aa")
    slug = unicodedata.normalize("NFKD", slug).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", slug).strip("-") or "center"
    if len(slug) <= _SLUG:
        return slug
    return f"{slug[:_SLUG].rstrip('-')}-{centre_id(text)}"


class _Form:
    """Build one centre's form on the default template's styles."""

    def __init__(self, agreement: Agreement, round: int, centre: str) -> None:
        self.agreement = agreement
        self.round = round
        self.centre = centre
        self.label = agreement.round_label(round=round)
        self.ids: Iterator[int] = itertools.count(1)
        self.document: Any = Document(str(default_template()))

    def build(self) -> bytes:
        """Return the form's bytes."""
        body = self.document.element.body
        for child in list(body):
            if child.tag != qn("w:sectPr"):
                body.remove(child)
        add_placeholder_style(self.document)
        self._instructions()
        for theme in self.agreement.themes:
            mine = [i for i in theme.initiatives if i.responsible_centre == self.centre]
            if not mine:
                continue
            add_paragraph(self.document, f"{theme.number}. {theme.title}", "Heading 1")
            for initiative in mine:
                self._card(initiative)
                self.document.add_paragraph("")  # Word joins adjacent tables
        finish(self.document, self._properties())
        return package_bytes(self.document)

    def _properties(self) -> dict[str, str]:
        agreement = self.agreement
        return {  # set_properties fits each to a property's length
            "title": f"Status til {self.label}: {self.centre}",
            "subject": f"{agreement.name}, {agreement.committee}",
            "author": agreement.municipality,
            "last_modified_by": agreement.municipality,
            "keywords": self.label,
            "language": "da-DK",
            "category": "Skema til opfølgning på budgetaftale",
        }

    def _instructions(self) -> None:
        doc = self.document
        title = add_paragraph(doc, f"Status til {self.label}", "Title")
        tag = marker_tag(form_agreement_id(self.agreement), self.round, self.centre)
        self._named(
            block_control(tag, "Skemaets aftale, opfølgning og center", next(self.ids), title._p),
            tag,
        )
        centre = doc.add_paragraph()
        add_run(centre, "Ansvarligt center: ", bold=True)
        add_run(centre, self.centre)
        agreement = self.agreement
        add_paragraph(doc, f"{agreement.name}, {agreement.committee}, {agreement.municipality}")
        add_paragraph(doc, "Sådan udfylder du skemaet", "Heading 1")
        for text in (
            f"Hver indsats har to blå rækker: milepælen for {self.label} og Økonomi. Kun "
            "felterne i dem læses tilbage.",
            "Skriv status i feltet under »Status:«. Hvert linjeskift bliver et nyt afsnit; en "
            "linje, der begynder med »• «, bliver et punkt.",
            "Vælg milepælens smiley (Grøn, Gul eller Rød) og økonomiens smiley (Grøn eller "
            "Rød) på listen i kolonnen Smiley.",
            "Felterne er udfyldt med det, sekretariatet allerede har. Ret dem, hvis de ikke "
            "passer. Et felt, du ikke kan udfylde endnu, lader du stå.",
            "Slet ikke felterne. Andre rettelser til kortene sender du til sekretariatet for sig.",
            "Gem skemaet som Word-dokument (.docx), og send det tilbage til sekretariatet.",
        ):
            add_paragraph(doc, text, "List Bullet")
        for heading, field, choices in (
            ("Smileys på milepæle:", "milestone", MILESTONE_CHOICES),
            ("Smileys på økonomi:", "economy", ECONOMY_CHOICES),
        ):
            add_run(doc.add_paragraph(), heading, bold=True)
            for value, text in choices:
                smiley = Smiley(value)
                line = doc.add_paragraph()
                _add_smiley(line, field, smiley)
                meaning = ALT_TEXT[(field, smiley)].split(": ", 1)[1]
                add_run(line, f" {text}: {meaning}")

    def _named(self, control: Any, tag: str) -> None:
        """Put `control` in a bookmark saying what its tag says: LibreOffice drops the tag."""
        what = parse_tag(tag)
        assert what is not None  # we built the tag
        bookmark(control, bookmark_name(what), next(self.ids))

    def _card(self, initiative: Initiative) -> None:
        rounds = self.agreement.rounds
        grid = table(self.document, 3 + len(rounds), TEMPLATE_CARD_CM)
        header = grid.rows[0]
        _card_head(header, grid.rows[1], initiative)
        for index, label in enumerate(rounds, start=1):
            self._milestone_row(grid.rows[1 + index], initiative, index, label)
        self._economy_row(grid.rows[-1], initiative)
        answer = grid.rows[1 + self.round]._tr
        for row in grid.rows:
            # The status row is kept whole never: the centre types a text of any length into it.
            if row._tr is not answer and row_text_size(row._tr) <= LONG_ROW:
                row._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))
        keep_with_next(header._tr)
        fit_widths(grid._tbl)

    def _milestone_row(self, row: Any, initiative: Initiative, index: int, label: str) -> None:
        """Fill a round's row: done rounds as given, this round's answers as controls."""
        milestone = initiative.milestone(round=index)
        cells = row_cells(row)
        set_cell(cells[0], "Milepæl", bold=True)
        text = merge(cells[1], cells[2])
        clear(text)
        if milestone.text:
            add_text(text, paragraphs(milestone.text))
        set_cell(cells[3], label)
        smiley = cells[4]
        set_cell(smiley, "", center=True)
        if index < self.round:
            if milestone.status:
                add_run(text.add_paragraph(), "Status:", bold=True)
                add_text(text, paragraphs(milestone.status))
            if milestone.smiley is not None:
                _add_smiley(smiley.paragraphs[0], "milestone", milestone.smiley)
        elif index == self.round:
            self._milestone_answers(text, smiley, initiative.number, milestone)
            for cell in row_cells(row):
                shade(cell, ANSWER)
        if not text.paragraphs:
            text.add_paragraph()

    def _milestone_answers(self, text: Any, smiley: Any, number: str, milestone: Any) -> None:
        """Add this round's status text control and smiley drop-down."""
        add_run(text.add_paragraph(), "Status:", bold=True)
        tag = field_tag(number, self.round, "status")
        control = text_control(
            tag, f"Status {number}", next(self.ids), "\n".join(form_lines(milestone.status))
        )
        text.add_paragraph()._p.append(control)
        self._named(control, tag)
        self._dropdown(smiley.paragraphs[0], number, "smiley", milestone.smiley)

    def _dropdown(self, paragraph: Any, number: str, field: str, given: Smiley | None) -> None:
        """Add this round's smiley drop-down for `field` ("smiley" or "economy")."""
        alias, choices = _DROPDOWNS[field]
        tag = field_tag(number, self.round, field)
        control = dropdown_control(
            tag, f"{alias} {number}", next(self.ids), choices, given.value if given else None
        )
        paragraph._p.append(control)
        self._named(control, tag)

    def _economy_row(self, economy: Any, initiative: Initiative) -> None:
        """Fill the economy row: its text and this round's smiley drop-down."""
        number = initiative.number
        cells = row_cells(economy)
        set_cell(cells[0], "Økonomi", bold=True)
        text = merge(cells[1], cells[2])
        clear(text)
        add_text(text, paragraphs(initiative.economy.text))
        set_cell(cells[3], self.label)
        smiley = set_cell(cells[4], "", center=True)
        given = initiative.economy_smiley_at(round=self.round)
        self._dropdown(smiley, number, "economy", given)
        for cell in row_cells(economy):
            shade(cell, ANSWER)


_DROPDOWNS = {
    "smiley": ("Smiley milepæl", MILESTONE_CHOICES),
    "economy": ("Smiley økonomi", ECONOMY_CHOICES),
}


def _card_head(header: Any, agreement_row: Any, initiative: Initiative) -> None:
    """Fill the card's header row and its agreement row, as the document's card has them."""
    head = row_cells(header)
    title = merge(head[0], head[1])
    set_cell(title, f"{initiative.number}. {initiative.title}", style="Heading 2")
    set_cell(head[2], initiative.kind.value, bold=True)
    set_cell(head[3], "Tid", bold=True)
    set_cell(head[4], "Smiley", bold=True, center=True)
    cells = row_cells(agreement_row)
    left = merge(cells[0], cells[1])
    right = merge(cells[2], cells[4])
    clear(left)
    add_text(left, paragraphs(initiative.agreement_text))
    clear(right)
    for label, value in (
        ("Ansvarligt center:", initiative.responsible_centre),
        ("Ansvarligt udvalg:", initiative.responsible_committee),
        ("Væsentlig bidragsyder:", initiative.main_contributor),
    ):
        paragraph = right.add_paragraph()
        add_run(paragraph, label, bold=True)
        add_run(paragraph, f" {value}")
    if initiative.implementation:
        add_text(right, paragraphs(initiative.implementation))


def form_lines(text: str) -> list[str]:
    """Return a text's paragraphs one per line, as the form shows them ("• " kept)."""
    if not text:
        return []
    result = []
    number = 0
    for para in paragraphs(text):
        if para["kind"] == "bullet":
            result.append(f"• {para['text']}")
        elif para["kind"] == "number":
            number += 1
            result.append(f"{number}. {para['text']}")
            continue
        else:
            result.append(para["text"])
        number = 0
    return result


def form_agreement_id(agreement: Agreement) -> str:
    """Return the short id a form's marker carries: the municipality, name and committee."""
    return agreement_id(agreement.municipality, agreement.name, agreement.committee)


def _add_smiley(paragraph: Any, field: str, smiley: Smiley) -> None:
    """Add a smiley picture with the reading guide's alt text."""
    add_picture(paragraph, str(smiley), ALT_TEXT[(field, smiley)])
