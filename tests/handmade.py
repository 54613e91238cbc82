"""Make card documents the way a person makes them in Word, without our template or renderer.

A secretariat's own follow-up document is typed, not generated: python-docx's default document,
a title with line breaks, the reading guide with pasted smiley pictures, themes as Heading 1 and
one table per card in the seed's layout. Within that layout every card varies the way people do:

- the header cell in a heading style or as plain bold text;
- smileys as Wingdings J/K/L typed with Insert Symbol (`w:sym`), as the letter (or U+F04A..C)
  in a Wingdings run, or as a picture that is not ours (alt text "Grøn smiley", or none);
- bullets typed "• " and points typed "1. ", or real Word lists (numPr);
- the "Milepæl" label once, its cells merged down (vMerge); column widths set by hand;
- an empty row left in; runs split with rsids and proofErr marks, a _GoBack bookmark.

`make(agreement, round, path)` writes such a document of `agreement` as it stood at follow-up
`round`, so a test can compare what the reader gives back with the agreement it was made from.
`bad=` makes one of the broken variants a reader must report, located: `BAD` lists them.

Nothing here imports followupdocs beyond its models: the fixture must be able to disagree with
the code it checks.
"""

from __future__ import annotations

import re
import struct
import zlib
from collections.abc import Iterator
from io import BytesIO
from itertools import count
from pathlib import Path

import docx
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Emu
from lxml import etree

from followupdocs import Agreement, Initiative, Smiley

__all__ = ["BAD", "SYMBOL", "make", "paragraph_texts"]

# Wingdings J, K and L as Insert Symbol stores them: a character in the private-use area.
SYMBOL = {Smiley.GREEN: "F04A", Smiley.YELLOW: "F04B", Smiley.RED: "F04C"}
_LETTER = {Smiley.GREEN: "J", Smiley.YELLOW: "K", Smiley.RED: "L"}
_COLOUR = {Smiley.GREEN: (0, 160, 0), Smiley.YELLOW: (255, 200, 0), Smiley.RED: (220, 0, 0)}
_ALT = {Smiley.GREEN: "Grøn smiley", Smiley.YELLOW: "Gul smiley", Smiley.RED: "Rød smiley"}
_ORDINAL = ("Første", "Anden", "Tredje", "Fjerde", "Femte")

# The broken variants: each names what a reader must report about card 2 (table 2).
BAD = ("row_missing", "duplicate_number", "unknown_smiley", "no_cards")

# Widths a person drags the column borders to (twentieths of a point), not ours.
_GRID = (1300, 3300, 1700, 2100, 1200)
_BULLET = re.compile(r"^•\s*")
_NUMBER = re.compile(r"^(\d{1,3})\.\s+")
_rsids = (f"00{n:06X}" for n in count(0xA13F20, 0x1D3))


def paragraph_texts(text: str) -> list[tuple[str, str]]:
    """Split a YAML text into (kind, text) paragraphs the way a person would type them.

    Kind is "normal", "bullet" or "number" (text keeps its "N. "); a blank line ends a
    paragraph, a line starting "• " or "N. " starts one, other lines continue the last.
    """
    result: list[tuple[str, str]] = []
    fresh = True
    for raw in text.split("\n"):
        line = raw.strip()
        if not line:
            fresh = True
            continue
        if _BULLET.match(line) and _BULLET.sub("", line):
            result.append(("bullet", _BULLET.sub("", line)))
        elif _NUMBER.match(line):
            result.append(("number", line))
        elif fresh or not result:
            result.append(("normal", line))
        else:
            result[-1] = (result[-1][0], result[-1][1] + " " + line)
        fresh = False
    return result


def make(agreement: Agreement, round: int, path: Path, *, bad: str | None = None) -> Path:
    """Write `agreement` at follow-up `round` as a hand-made card document at `path`."""
    if bad is not None and bad not in BAD:
        raise ValueError(f"unknown variant {bad!r}; choose from {BAD}")
    maker = _Maker(agreement, round, bad)
    maker.build()
    maker.document.save(str(path))
    return path


class _Maker:
    def __init__(self, agreement: Agreement, round: int, bad: str | None) -> None:
        self.agreement = agreement
        self.round = round
        self.bad = bad
        self.document = docx.Document()
        self.body = self.document.element.body
        self.sect = self.body[-1]  # w:sectPr stays last
        self.drawing_ids = count(1001)
        self.smileys = count()  # the n-th smiley picks its own way of being typed
        self.numbering = self.document.part.numbering_part.element
        self.bullet_list = self._abstract_num(bullet=True)
        self.number_list = self._abstract_num(bullet=False)
        self.pictures: dict[Smiley, bytes] = {s: _png(_COLOUR[s]) for s in Smiley}

    # --- the document ---------------------------------------------------------------------

    def build(self) -> None:
        self._title()
        self._reading_guide()
        card = 0
        for t, theme in enumerate(self.agreement.themes):
            if t:
                self._append(_page_break())
            self._append(self._para(f"{theme.number}. {theme.title}", style="Heading1"))
            if self.bad == "no_cards":
                self._append(self._para("Kortene følger senere."))
                continue
            for initiative in theme.initiatives:
                card += 1
                self._append(self._card(card, initiative))
                self._append(self._para(""))  # Word needs a paragraph between two tables

    def _append(self, element: etree._Element) -> None:
        self.sect.addprevious(element)

    def _title(self) -> None:
        last = len(self.agreement.rounds)
        ordinal = "Endelig" if self.round == last and last > 1 else _ORDINAL[self.round - 1]
        committee = self.agreement.committee
        genitive = committee + ("'" if committee[-1] in "sxz" else "s")
        p = self._para("", style="Title")
        for n, part in enumerate(
            (f"{ordinal} opfølgning på", self.agreement.name, f"på {genitive} område")
        ):
            if n:
                run = OxmlElement("w:r")
                run.append(OxmlElement("w:br"))
                p.append(run)
            self._runs(p, part)
        self._append(p)

    def _reading_guide(self) -> None:
        self._append(self._para("Læsevejledning", style="Heading1"))
        self._append(
            self._para(
                f"Opfølgningen på {self.agreement.name} sker ved, at der gives smileys, på "
                "henholdsvis indsats og økonomi."
            )
        )
        # The definitions show the pictures pasted without alt text, as the seed's do; a card's
        # picture without alt text is the same image, so the guide tells its colour.
        for heading, definitions in (
            (
                "Definition af smileys på indsats:",
                (
                    (Smiley.GREEN, "Milepæl er opfyldt"),
                    (Smiley.YELLOW, "Milepæl er ikke fuldt opfyldt, men det er fortsat realistisk"),
                    (Smiley.RED, "Milepæl er ikke opfyldt"),
                ),
            ),
            (
                "Definition af smileys på økonomi",
                (
                    (Smiley.GREEN, "Budget er overholdt/Besparelse er opnået"),
                    (Smiley.RED, "Budget ikke overholdt"),
                ),
            ),
        ):
            self._append(self._para(heading, bold=True))
            for smiley, words in definitions:
                p = self._para("")
                p.append(self._picture(smiley, alt=None))
                self._runs(p, f": {words}")
                self._append(p)
        bookmark = OxmlElement("w:bookmarkStart")
        bookmark.set(qn("w:id"), "0")
        bookmark.set(qn("w:name"), "_GoBack")
        end = OxmlElement("w:bookmarkEnd")
        end.set(qn("w:id"), "0")
        p = self._para("Der gives én samlet smiley-status på økonomi ved hver opfølgning.")
        p.append(bookmark)
        p.append(end)
        self._append(p)

    # --- one card ---------------------------------------------------------------------------

    def _card(self, card: int, initiative: Initiative) -> etree._Element:
        number = initiative.number
        if self.bad == "duplicate_number" and card == 2:
            number = self.agreement.initiatives[0].number
        tbl = _table()
        tbl.append(self._header(card, number, initiative))
        tbl.append(self._agreement_row(card, initiative))
        merged = card % 3 == 2  # "Milepæl" typed once, the label cells merged down
        for r, label in enumerate(self.agreement.rounds, start=1):
            if self.bad == "row_missing" and card == 2 and r == 2:
                continue
            tbl.append(self._milestone_row(card, initiative, r, label, merged=merged and r > 1))
        if card % 4 == 3:
            tbl.append(_row([_cell(_GRID[0], [self._para("")]), *self._blank_cells()]))
        tbl.append(self._economy_row(card, initiative))
        if card % 5 == 0:  # an empty row at the end, as a person leaves one
            tbl.append(_row([_cell(_GRID[0], [self._para("")]), *self._blank_cells()]))
        return tbl

    def _blank_cells(self) -> list[etree._Element]:
        return [
            _cell(_GRID[1] + _GRID[2], [self._para("")], span=2),
            _cell(_GRID[3], [self._para("")]),
            _cell(_GRID[4], [self._para("")]),
        ]

    def _header(self, card: int, number: str, initiative: Initiative) -> etree._Element:
        heading = f"{number}. {initiative.title}"
        if card % 2:
            title = self._para(heading, style="Heading2")
        else:  # plain bold text, the number in a run of its own
            title = self._para("")
            self._runs(title, f"{number}.", bold=True)
            self._runs(title, f" {initiative.title}", bold=True)
        return _row(
            [
                _cell(_GRID[0] + _GRID[1] - 2, [title], span=2),
                _cell(_GRID[2], [self._para(initiative.kind.value, bold=True)]),
                _cell(_GRID[3], [self._para("Tid", bold=True)]),
                _cell(_GRID[4], [self._para("Smiley", bold=True)]),
            ],
            header=True,
        )

    def _agreement_row(self, card: int, initiative: Initiative) -> etree._Element:
        real_lists = card % 2 == 0
        left = self._text(initiative.agreement_text, real_lists=real_lists)
        right = [
            self._labelled(card, "Ansvarligt center:", initiative.responsible_centre),
            self._labelled(card, "Ansvarligt udvalg:", initiative.responsible_committee),
            self._labelled(card, "Væsentlig bidragsyder:", initiative.main_contributor),
        ]
        if initiative.implementation:
            right += self._text(initiative.implementation, real_lists=real_lists)
        return _row(
            [
                _cell(_GRID[0] + _GRID[1], left, span=2),
                _cell(_GRID[2] + _GRID[3] + _GRID[4], right, span=3),
            ]
        )

    def _labelled(self, card: int, label: str, value: str) -> etree._Element:
        if card % 2:
            return self._para(f"{label} {value}")
        p = self._para("")
        self._runs(p, label, bold=True)
        self._runs(p, f" {value}")
        return p

    def _milestone_row(
        self, card: int, initiative: Initiative, r: int, label: str, *, merged: bool
    ) -> etree._Element:
        milestone = initiative.milestone(round=r)
        shown = r <= self.round
        content = self._text(milestone.text, real_lists=card % 2 == 0) if milestone.text else []
        if shown and milestone.status:
            content.append(self._para("Status:", bold=True))
            content += self._text(milestone.status, real_lists=card % 2 == 1)
        smiley = milestone.smiley if shown else None
        unknown = self.bad == "unknown_smiley" and card == 2 and r == 1
        return _row(
            [
                _cell(_GRID[0], [self._para("" if merged else "Milepæl")], vmerge=merged or None),
                _cell(_GRID[1] + _GRID[2], content or [self._para("")], span=2),
                _cell(_GRID[3], [self._para(label)]),
                _cell(_GRID[4], [self._smiley(smiley, unknown=unknown)]),
            ],
            first_merged=card % 3 == 2 and r == 1,
        )

    def _economy_row(self, card: int, initiative: Initiative) -> etree._Element:
        smiley = initiative.economy_smiley_at(round=self.round)
        text = self._text(initiative.economy.text, real_lists=False)
        return _row(
            [
                _cell(_GRID[0], [self._para("Økonomi")]),
                _cell(_GRID[1] + _GRID[2], text or [self._para("")], span=2),
                _cell(_GRID[3], [self._para("")]),
                _cell(_GRID[4], [self._smiley(smiley)]),
            ]
        )

    # --- smileys ------------------------------------------------------------------------------

    def _smiley(self, smiley: Smiley | None, *, unknown: bool = False) -> etree._Element:
        p = self._para("")
        if unknown:  # Wingdings "ü", a tick: a symbol, but no smiley
            p.append(_sym("F0FC"))
            return p
        if smiley is None:
            return p
        n = next(self.smileys)
        way = n % 4
        if way == 0:
            p.append(_sym(SYMBOL[smiley]))
        elif way == 1:  # the letter, or the private-use character a PDF of the seed shows
            run = _run(_LETTER[smiley] if n % 8 == 1 else chr(int(SYMBOL[smiley], 16)))
            fonts = OxmlElement("w:rFonts")
            for attr in ("ascii", "hAnsi"):
                fonts.set(qn(f"w:{attr}"), "Wingdings")
            run.insert(0, _rpr(fonts))
            p.append(run)
        else:
            p.append(self._picture(smiley, alt=_ALT[smiley] if way == 2 else None))
        return p

    def _picture(self, smiley: Smiley, *, alt: str | None) -> etree._Element:
        inline = self.document.part.new_pic_inline(
            BytesIO(self.pictures[smiley]), Emu(200_000), Emu(200_000)
        )
        doc_pr = inline.find(qn("wp:docPr"))
        doc_pr.set("id", str(next(self.drawing_ids)))  # python-docx counts only placed ones
        doc_pr.set("name", f"Billede {doc_pr.get('id')}")
        if alt is None:
            doc_pr.attrib.pop("descr", None)
        else:
            doc_pr.set("descr", alt)
        run = OxmlElement("w:r")
        drawing = OxmlElement("w:drawing")
        drawing.append(inline)
        run.append(drawing)
        return run

    # --- text -----------------------------------------------------------------------------------

    def _text(self, text: str, *, real_lists: bool) -> list[etree._Element]:
        """Return the paragraphs of `text`: typed bullets and numbers, or real Word lists."""
        paragraphs = paragraph_texts(text)
        result = []
        num_id: str | None = None
        for index, (kind, words) in enumerate(paragraphs):
            counted = kind == "number" and _counted_run(paragraphs, index)
            if not real_lists or kind == "normal" or (kind == "number" and not counted):
                num_id = None
                typed = f"• {words}" if kind == "bullet" else words
                result.append(self._para(typed))
                continue
            previous = paragraphs[index - 1][0] if index else ""
            if kind == "bullet":
                if previous != "bullet" or num_id is None:  # Word starts a list per run
                    num_id = self._num(self.bullet_list)
                words_shown = words
            else:
                if words.startswith("1."):
                    num_id = self._num(self.number_list)
                words_shown = _NUMBER.sub("", words, count=1)
            p = self._para(words_shown, style="ListParagraph")
            _numbered(p, num_id or self._num(self.number_list))
            result.append(p)
        return result

    def _para(self, text: str, *, style: str | None = None, bold: bool = False) -> etree._Element:
        p = OxmlElement("w:p")
        p.set(qn("w:rsidR"), next(_rsids))
        p.set(qn("w:rsidRDefault"), "00C41D7E")
        if style:
            ppr = OxmlElement("w:pPr")
            pstyle = OxmlElement("w:pStyle")
            pstyle.set(qn("w:val"), style)
            ppr.append(pstyle)
            p.append(ppr)
        if text:
            self._runs(p, text, bold=bold)
        return p

    def _runs(self, p: etree._Element, text: str, *, bold: bool = False) -> None:
        """Append `text` split into runs as Word leaves them after editing, with proofErr marks."""
        for n, chunk in enumerate(_chunks(text)):
            run = _run(chunk)
            run.set(qn("w:rsidR"), next(_rsids))
            if bold:
                run.insert(0, _rpr(OxmlElement("w:b")))
            misspelt = n % 3 == 1 and chunk.strip()
            if misspelt:
                p.append(_proof("spellStart"))
            p.append(run)
            if misspelt:
                p.append(_proof("spellEnd"))

    # --- numbering ------------------------------------------------------------------------------

    def _abstract_num(self, *, bullet: bool) -> str:
        ids = [int(a.get(qn("w:abstractNumId"))) for a in self.numbering.iter(qn("w:abstractNum"))]
        new = str(max(ids, default=-1) + 1)
        fmt, text, font = ("bullet", "\uf0b7", "Symbol") if bullet else ("decimal", "%1.", None)
        xml = (
            f'<w:abstractNum xmlns:w="{_W}" w:abstractNumId="{new}">'
            '<w:multiLevelType w:val="hybridMultilevel"/><w:lvl w:ilvl="0">'
            f'<w:start w:val="1"/><w:numFmt w:val="{fmt}"/><w:lvlText w:val="{text}"/>'
            '<w:lvlJc w:val="left"/><w:pPr><w:ind w:left="360" w:hanging="360"/></w:pPr>'
            + (f'<w:rPr><w:rFonts w:ascii="{font}" w:hAnsi="{font}"/></w:rPr>' if font else "")
            + "</w:lvl></w:abstractNum>"
        )
        nums = self.numbering.findall(qn("w:num"))
        element = etree.fromstring(xml)
        if nums:
            nums[0].addprevious(element)  # abstractNum elements come before every num
        else:
            self.numbering.append(element)
        return new

    def _num(self, abstract: str) -> str:
        ids = [int(n.get(qn("w:numId"))) for n in self.numbering.iter(qn("w:num"))]
        new = str(max(ids, default=0) + 1)
        xml = (
            f'<w:num xmlns:w="{_W}" w:numId="{new}"><w:abstractNumId w:val="{abstract}"/>'
            '<w:lvlOverride w:ilvl="0"><w:startOverride w:val="1"/></w:lvlOverride></w:num>'
        )
        self.numbering.append(etree.fromstring(xml))
        return new


_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def _counted_run(paragraphs: list[tuple[str, str]], index: int) -> bool:
    """Tell whether paragraph `index` is in a run of points numbered 1, 2, 3, ..."""
    start = index
    while start and paragraphs[start - 1][0] == "number":
        start -= 1
    end = index
    while end < len(paragraphs) and paragraphs[end][0] == "number":
        end += 1
    return all(
        paragraphs[i][1].startswith(f"{n}. ") for n, i in enumerate(range(start, end), start=1)
    )


def _numbered(p: etree._Element, num_id: str) -> None:
    ppr = p.find(qn("w:pPr"))
    numpr = OxmlElement("w:numPr")
    ilvl = OxmlElement("w:ilvl")
    ilvl.set(qn("w:val"), "0")
    num = OxmlElement("w:numId")
    num.set(qn("w:val"), num_id)
    numpr.append(ilvl)
    numpr.append(num)
    ppr.append(numpr)


def _chunks(text: str) -> Iterator[str]:
    """Cut `text` at every third space: the runs Word leaves after a few edits."""
    words = text.split(" ")
    for start in range(0, len(words), 3):
        chunk = " ".join(words[start : start + 3])
        yield chunk if start + 3 >= len(words) else chunk + " "


def _run(text: str) -> etree._Element:
    run = OxmlElement("w:r")
    t = OxmlElement("w:t")
    t.text = text
    t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    run.append(t)
    return run


def _rpr(child: etree._Element) -> etree._Element:
    rpr = OxmlElement("w:rPr")
    rpr.append(child)
    return rpr


def _sym(char: str, font: str = "Wingdings") -> etree._Element:
    run = OxmlElement("w:r")
    sym = OxmlElement("w:sym")
    sym.set(qn("w:font"), font)
    sym.set(qn("w:char"), char)
    run.append(sym)
    return run


def _proof(kind: str) -> etree._Element:
    mark = OxmlElement("w:proofErr")
    mark.set(qn("w:type"), kind)
    return mark


def _page_break() -> etree._Element:
    p = OxmlElement("w:p")
    run = OxmlElement("w:r")
    br = OxmlElement("w:br")
    br.set(qn("w:type"), "page")
    run.append(br)
    p.append(run)
    return p


def _table() -> etree._Element:
    xml = (
        f'<w:tbl xmlns:w="{_W}"><w:tblPr><w:tblStyle w:val="TableGrid"/>'
        '<w:tblW w:w="0" w:type="auto"/><w:tblLook w:val="04A0" w:firstRow="1" '
        'w:lastRow="0" w:firstColumn="1" w:lastColumn="0" w:noHBand="0" w:noVBand="1"/>'
        "</w:tblPr><w:tblGrid>"
        + "".join(f'<w:gridCol w:w="{w}"/>' for w in _GRID)
        + "</w:tblGrid></w:tbl>"
    )
    return etree.fromstring(xml)


def _row(
    cells: list[etree._Element], *, header: bool = False, first_merged: bool = False
) -> etree._Element:
    tr = OxmlElement("w:tr")
    tr.set(qn("w:rsidR"), next(_rsids))
    if header:
        trpr = OxmlElement("w:trPr")
        trpr.append(OxmlElement("w:tblHeader"))
        tr.append(trpr)
    if first_merged:  # the first "Milepæl" cell starts the vertical merge
        tcpr = cells[0].find(qn("w:tcPr"))
        vmerge = OxmlElement("w:vMerge")
        vmerge.set(qn("w:val"), "restart")
        tcpr.append(vmerge)
    for cell in cells:
        tr.append(cell)
    return tr


def _cell(
    width: int, paragraphs: list[etree._Element], *, span: int = 1, vmerge: bool | None = None
) -> etree._Element:
    tc = OxmlElement("w:tc")
    tcpr = OxmlElement("w:tcPr")
    tcw = OxmlElement("w:tcW")
    tcw.set(qn("w:w"), str(width))
    tcw.set(qn("w:type"), "dxa")
    tcpr.append(tcw)
    if span > 1:
        grid_span = OxmlElement("w:gridSpan")
        grid_span.set(qn("w:val"), str(span))
        tcpr.append(grid_span)
    if vmerge:
        tcpr.append(OxmlElement("w:vMerge"))  # continues the merge above
    tc.append(tcpr)
    for p in paragraphs:
        tc.append(p)
    return tc


def _png(rgb: tuple[int, int, int], size: int = 16) -> bytes:
    """Return a small filled PNG of one colour: a picture that is not one of ours."""
    raw = b"".join(b"\x00" + bytes(rgb) * size for _ in range(size))

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", size, size, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )
