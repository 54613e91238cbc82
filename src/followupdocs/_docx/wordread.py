"""Read a Word document's body as a person sees it: paragraphs, tables, lists and marks.

A paragraph is its visible text (tracked changes resolved, see text) with its list kind, found
from Word numbering (directly or through the paragraph's style) or a List Bullet/List Number
style; a table is rows of cells placed on the table's grid, each cell its paragraphs and the
marks in it: pictures (alt text, name, image part) and symbols (w:sym, or text in a symbol font
such as Wingdings). What these mean is for the caller to say.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from .text import hidden_run, visible_text
from .wordstyles import Styles, first_child, qn

__all__ = [
    "Block",
    "Body",
    "Cell",
    "Mark",
    "Para",
    "Row",
    "Table",
    "read_body",
]

_SYMBOL_FONTS = frozenset({"wingdings", "wingdings 2", "wingdings 3", "webdings", "symbol"})
_MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
# A tracked deletion, and the fallback copy of a drawing (the mc:Choice holds what Word shows).
_HIDDEN_RUNS = frozenset({qn("w:del"), qn("w:moveFrom"), _MC_FALLBACK})
_PRIVATE_SYMBOL = re.compile("[\uf020-\uf0ff]")  # Wingdings' characters, as Word stores them
# Compared for each child of each run.
_PICTURES = frozenset({qn("w:drawing"), qn("w:pict"), qn("w:object")})
_SYM, _T, _P, _TEXT_BOX = qn("w:sym"), qn("w:t"), qn("w:p"), qn("w:txbxContent")
_VML = "{urn:schemas-microsoft-com:vml}"


@dataclass(frozen=True)
class Mark:
    """A picture or symbol in a cell or paragraph."""

    kind: str  # "picture" or "symbol"
    alt: str = ""  # a picture's alt text (descr, else title)
    name: str = ""  # a picture's name
    image: str = ""  # a picture's image part ("word/media/image1.png"), "" if none
    font: str = ""  # a symbol's font
    char: str = ""  # a symbol's character, e.g. "\uf04a" or "J"


@dataclass(frozen=True)
class Para:
    """A paragraph: its visible text, list kind ("bullet", "number" or "") and style."""

    text: str
    list_kind: str
    style: str  # the style's name as Word shows it ("Heading 1"), "" for Normal
    heading: int | None  # the outline level from 1 of a heading style, None otherwise
    marks: tuple[Mark, ...] = ()


@dataclass(frozen=True)
class Cell:
    """A table cell: its 1-based number in the row, its grid columns and its content."""

    number: int
    first: int  # first grid column, from 0
    span: int
    continued: bool  # a vertically merged cell continuing the one above
    paras: tuple[Para, ...]

    @property
    def marks(self) -> tuple[Mark, ...]:
        """Return every picture and symbol in the cell."""
        return tuple(mark for para in self.paras for mark in para.marks)

    @property
    def text(self) -> str:
        """Return the cell's text, paragraphs joined by newlines, stripped."""
        return "\n".join(p.text for p in self.paras).strip()

    def covers(self, column: int) -> bool:
        """Tell whether the cell spans grid column `column`."""
        return self.first <= column < self.first + self.span


@dataclass(frozen=True)
class Row:
    """A table row: its 1-based number and its cells."""

    number: int
    cells: tuple[Cell, ...]


@dataclass(frozen=True)
class Table:
    """A body table: its 1-based number among the body's tables, and its rows."""

    number: int
    rows: tuple[Row, ...]


@dataclass(frozen=True)
class Block:
    """A body paragraph (with its 1-based number) or a table, in document order."""

    number: int
    para: Para | None = None
    table: Table | None = None


@dataclass
class Body:
    """The document's body in order, and the image parts' bytes by part name."""

    blocks: list[Block] = field(default_factory=list)
    images: dict[str, bytes] = field(default_factory=dict)


def read_body(parts: dict[str, bytes], parse: Any) -> Body:
    """Return the body of the package `parts`; `parse` turns a part's bytes into an element."""
    document = parse(parts["word/document.xml"])
    styles = parse(parts["word/styles.xml"]) if "word/styles.xml" in parts else None
    numbering = parse(parts["word/numbering.xml"]) if "word/numbering.xml" in parts else None
    rels = _relationships(parts, parse)
    reader = _Reader(Styles(styles, numbering), rels)
    body = first_child(document, qn("w:body"))
    result = Body(images={name: parts[name] for name in set(rels.values()) if name in parts})
    if body is not None:
        reader.blocks(body, result.blocks)
    return result


def _relationships(parts: dict[str, bytes], parse: Any) -> dict[str, str]:
    """Return the document part's relationship ids and the part names they point to."""
    data = parts.get("word/_rels/document.xml.rels")
    if data is None:
        return {}
    found = {}
    for rel in parse(data):
        if rel.get("TargetMode") == "External":
            continue
        target = rel.get("Target") or ""
        name = target.lstrip("/") if target.startswith("/") else posixpath.join("word", target)
        found[rel.get("Id") or ""] = posixpath.normpath(name)
    return found


class _Reader:
    def __init__(self, styles: Styles, rels: dict[str, str]) -> None:
        self.styles = styles
        self.rels = rels
        self.paragraphs = 0
        self.tables = 0

    def blocks(self, parent: Any, out: list[Block]) -> None:
        """Append the paragraphs and tables of `parent` (content controls opened) to `out`."""
        for child in _opened(parent):
            if child.tag == qn("w:p"):
                self.paragraphs += 1
                out.append(Block(self.paragraphs, para=self.para(child)))
            elif child.tag == qn("w:tbl"):
                self.tables += 1
                out.append(Block(self.tables, table=self.table(child, self.tables)))

    def para(self, p: Any) -> Para:
        ppr = first_child(p, qn("w:pPr"))
        style = first_child(ppr, qn("w:pStyle")) if ppr is not None else None
        sid = (style.get(qn("w:val")) or "") if style is not None else ""
        return Para(
            text=visible_text(p),
            list_kind=self.styles.list_kind(sid, ppr),
            style=self.styles.names.get(sid, sid),
            heading=self.styles.heading(sid, ppr),
            marks=tuple(self.marks(p)),
        )

    def table(self, tbl: Any, number: int) -> Table:
        rows = []
        rows_found = (child for child in _opened(tbl) if child.tag == qn("w:tr"))
        for index, tr in enumerate(rows_found, start=1):
            trpr = first_child(tr, qn("w:trPr"))
            if trpr is not None and first_child(trpr, qn("w:del")) is not None:
                continue  # a row deleted with tracked changes: Word shows it struck out
            column = _number(first_child(trpr, qn("w:gridBefore")) if trpr is not None else None, 0)
            cells = []
            for cell_number, tc in enumerate(_cells(tr), start=1):
                tcpr = first_child(tc, qn("w:tcPr"))
                span_el = first_child(tcpr, qn("w:gridSpan")) if tcpr is not None else None
                span = _number(span_el, 1)
                vmerge = first_child(tcpr, qn("w:vMerge")) if tcpr is not None else None
                continued = vmerge is not None and vmerge.get(qn("w:val")) in (None, "continue")
                paras = tuple(self.para(p) for p in _paragraphs(tc))
                cells.append(Cell(cell_number, column, span, continued, paras))
                column += span
            rows.append(Row(index, tuple(cells)))
        return Table(number, tuple(rows))

    def marks(self, p: Any) -> Iterator[Mark]:
        """Yield the pictures and symbols of paragraph `p` that Word shows, in order."""
        # A run is hidden inside a tracked deletion above it. Look above the paragraph once,
        # not again for each of its runs (a text box's paragraph can sit in a deleted run).
        if any(a.tag in _HIDDEN_RUNS for a in p.iterancestors()):
            return
        for run in p.iter(qn("w:r")):
            if not _deleted_within(run, p) and not hidden_run(run):
                yield from self.run_marks(run)

    def run_marks(self, run: Any) -> Iterator[Mark]:
        font = _run_font(run)
        for child in run:
            tag = child.tag
            if tag in _PICTURES:
                yield self.picture(child)
            elif tag == _SYM:
                yield Mark(
                    "symbol",
                    font=child.get(qn("w:font")) or "",
                    char=_sym_char(child.get(qn("w:char")) or ""),
                )
            elif tag == _T:
                text = child.text or ""
                if _symbolic(font, text):
                    for char in text.strip():
                        yield Mark("symbol", font=font, char=char)

    def picture(self, element: Any) -> Mark:
        alt = name = ""
        for props in element.iter(
            qn("wp:docPr"), qn("pic:cNvPr"), "{urn:schemas-microsoft-com:vml}shape"
        ):
            alt = alt or props.get("descr") or props.get("title") or props.get("alt") or ""
            name = name or props.get("name") or ""
        image = ""
        for blip in element.iter(qn("a:blip"), f"{_VML}imagedata"):
            rid = blip.get(qn("r:embed")) or blip.get(qn("r:id")) or ""
            image = self.rels.get(rid, "")
            break
        return Mark("picture", alt=alt.strip(), name=name.strip(), image=image)


def _deleted_within(run: Any, p: Any) -> bool:
    """Tell whether `run` sits in a tracked deletion inside paragraph `p`."""
    parent = run.getparent()
    while parent is not None and parent is not p:
        if parent.tag in _HIDDEN_RUNS:
            return True
        parent = parent.getparent()
    return False


def _number(element: Any, default: int) -> int:
    """Return a count such as w:gridSpan's or w:gridBefore's; `default` if unreadable, at least 0.

    Word ignores a value that is not a whole number; a span is at least one column.
    """
    if element is None:
        return default
    try:
        value = int(element.get(qn("w:val")) or default)
    except ValueError:
        return default
    return max(value, min(default, 1))


def _paragraphs(cell: Any) -> list[Any]:
    """Return the paragraphs of a cell, those of tables in it too, but not those inside them.

    A text box's paragraphs sit inside a paragraph of the cell, whose text already holds them.
    """
    found = list(cell.iter(_P))
    if next(cell.iter(_TEXT_BOX), None) is None:
        return found  # the common case, in lxml's C iterator
    return [p for p in found if not any(a.tag == _P for a in _ancestors(p, cell))]


def _ancestors(element: Any, top: Any) -> Iterator[Any]:
    parent = element.getparent()
    while parent is not None and parent is not top:
        yield parent
        parent = parent.getparent()


def _cells(tr: Any) -> Iterator[Any]:
    """Yield the row's cells, also those inside cell-level content controls and custom XML."""
    return (child for child in _opened(tr) if child.tag == qn("w:tc"))


_WRAPPERS = frozenset({qn("w:sdt"), qn("w:customXml")})


def _opened(parent: Any) -> Iterator[Any]:
    """Yield the children of `parent`, with content controls and custom XML opened (nested too).

    Word lets both stand around paragraphs, tables, rows and cells; what they hold is shown as
    if they were not there.
    """
    for child in parent:
        if child.tag not in _WRAPPERS:
            yield child
        elif child.tag == qn("w:customXml"):
            yield from _opened(child)
        else:
            content = first_child(child, qn("w:sdtContent"))
            if content is not None:
                yield from _opened(content)


def _symbolic(font: str, text: str) -> bool:
    """Tell whether a run's text is symbols: a symbol font, or Wingdings' private code points."""
    return font in _SYMBOL_FONTS or _PRIVATE_SYMBOL.search(text) is not None


def _run_font(run: Any) -> str:
    rpr = first_child(run, qn("w:rPr"))
    fonts = first_child(rpr, qn("w:rFonts")) if rpr is not None else None
    if fonts is None:
        return ""
    for attribute in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        value = fonts.get(qn(attribute))
        if value:
            return str(value).strip().casefold()
    return ""


def _sym_char(code: str) -> str:
    """Return a w:sym's character: "F04A" and "004A" both name Wingdings J as U+F04A.

    A code that names no character (not hexadecimal, beyond Unicode, a surrogate) comes back
    as it is written, cut short, for the reader to report.
    """
    try:
        value = int(code, 16) if len(code) <= 6 else -1
    except ValueError:
        value = -1
    if value < 0 or value > 0x10FFFF or 0xD800 <= value <= 0xDFFF:
        return code if len(code) <= 12 else code[:12] + "…"
    return chr(value | 0xF000) if value < 0x100 else chr(value)
