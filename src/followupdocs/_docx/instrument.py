"""Make a compiled template write clean Word by itself, so its output never has to be parsed.

The template's XML is rewritten once, at compile time, with calls into a RenderState:
- every drawing gets the next unique wp:docPr id;
- every table cell that the data left without a paragraph gets an empty one (Word requires it);
- every run of List Number paragraphs gets its own numbering instance, so each list counts from
  1 wherever it stands, whether the paragraphs take their numbering from the style or carry
  their own (as a template saved by LibreOffice does);
- every table row that prints values is kept on one page (w:cantSplit) only while the texts it
  prints are short: the row asks, before its cells are written, how long the values it uses
  are (see keep_rows).
The state sees the output in document order, because Jinja writes it in order.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping
from typing import Any

import jinja2
from jinja2 import nodes
from markupsafe import Markup

from .numbering import ListStyle, Restart, num_pr

__all__ = [
    "LONG_ROW",
    "Hook",
    "RenderState",
    "instrument",
    "keep_rows",
    "row_size",
]

STATE = "_fd"  # context names starting with _ are not for templates; see RenderState.hooks
_DOC_PR = re.compile(r'(<wp:docPr\b[^>]*?\bid=")\d+(")')
_MARKS = re.compile(r"<w:p(?=[ >/])|<w:tc(?=[ >])|</w:tc>")
_P_PR = re.compile(r"<w:pPr>.*?</w:pPr>", re.DOTALL)
_NUM_PR = re.compile(r"<w:numPr>(.*?)</w:numPr>", re.DOTALL)
_VAL = r'<w:{}\b[^>]*?\bw:val="(\d+)"'
# The pPr children that come before numPr in the schema's sequence.
_BEFORE_NUM_PR = ("pStyle", "keepNext", "keepLines", "pageBreakBefore", "framePr", "widowControl")
_EMPTY = Markup("")
_PARAGRAPH_XML = Markup("<w:p/>")


DRAWING_NAMESPACES = {
    "wp": "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing",
    "a": "http://schemas.openxmlformats.org/drawingml/2006/main",
    "pic": "http://schemas.openxmlformats.org/drawingml/2006/picture",
    "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
}
_ROOT = re.compile(r"<w:\w+\b[^>]*>")


def instrument(xml: str, list_style: ListStyle | None, nums: Collection[str] = ()) -> str:
    """Return the template source with the RenderState calls woven in.

    `nums` are the numbering instances the template defines: a List Number paragraph with
    numbering of its own is restarted only if its instance exists.
    """
    xml = keep_rows(xml)
    xml = _declare_drawing_namespaces(xml)
    xml = _DOC_PR.sub(lambda m: m.group(1) + _call("drawing") + m.group(2), xml)
    if list_style:
        xml = _P_PR.sub(lambda m: _number(m.group(0), list_style, nums), xml)
    return _mark_paragraphs_and_cells(xml)


def _mark_paragraphs_and_cells(xml: str) -> str:
    """Add the paragraph and cell calls, leaving out cells whose content cannot vary.

    A cell without a {% %} tag always has the paragraphs the template gave it, so it needs no
    tracking; that spares most of the calls, which cost a few microseconds each.
    """
    marks = list(_MARKS.finditer(xml))
    variable: dict[int, bool] = {}  # index of a cell's opening mark -> has tags inside
    stack: list[int] = []
    for index, mark in enumerate(marks):
        if mark.group(0).startswith("<w:tc"):
            stack.append(index)
        elif mark.group(0) == "</w:tc>" and stack:
            opening = stack.pop()
            variable[opening] = "{%" in xml[marks[opening].start() : mark.start()]
    out = []
    last = 0
    cells: list[bool] = []  # per open cell: is it tracked?
    for index, mark in enumerate(marks):
        out.append(xml[last : mark.start()])
        last = mark.start()
        text = mark.group(0)
        if text.startswith("<w:tc"):
            tracked = variable.get(index, True)
            cells.append(tracked)
            if tracked:
                out.append(_silent_call("cell_open"))
        elif text == "</w:tc>":
            if cells and cells.pop():
                out.append(_call("cell_close"))
        elif not cells or cells[-1]:
            out.append(_silent_call("paragraph"))
    out.append(xml[last:])
    return "".join(out)


def _declare_drawing_namespaces(xml: str) -> str:
    """Declare the picture namespaces once on the root, not on every inserted image."""
    root = _ROOT.search(xml)
    if root is None:
        return xml
    tag = root.group(0)
    missing = "".join(
        f' xmlns:{prefix}="{uri}"'
        for prefix, uri in DRAWING_NAMESPACES.items()
        if f"xmlns:{prefix}=" not in tag
    )
    end = root.end() - (2 if tag.endswith("/>") else 1)
    return xml[:end] + missing + xml[end:]


def _silent_call(method: str) -> str:
    """Call a hook that writes nothing, without the output (and its escaping) a {{ }} costs.

    Most hook calls are these, tens of thousands in a large document.
    """
    return "{% set " + STATE + "_ = " + STATE + "_" + method + "() %}"


def _call(method: str) -> str:
    return "{{ " + STATE + "_" + method + "() }}"


def _number(p_pr: str, style: ListStyle, nums: Collection[str]) -> str:
    """Number a List Number paragraph in a list of its own, keeping its numbering's look."""
    if f'<w:pStyle w:val="{style.style_id}"/>' not in p_pr:
        return p_pr
    own = _NUM_PR.search(p_pr)
    if own is not None:  # its own numbering: restart that one, at its level
        num = re.search(_VAL.format("numId"), own.group(1))
        level = re.search(_VAL.format("ilvl"), own.group(1))
        if num is None or num.group(1) not in nums:  # numId 0 or unknown: Word numbers nothing
            return p_pr
        call = _numbering_call(num.group(1), int(level.group(1)) if level else 0)
        return p_pr[: own.start()] + call + p_pr[own.end() :]
    end = 0
    for name in _BEFORE_NUM_PR:
        found = re.search(rf"<w:{name}\b[^>]*?/>|<w:{name}\b.*?</w:{name}>", p_pr, re.DOTALL)
        if found:
            end = max(end, found.end())
    return p_pr[:end] + _numbering_call(style.num_id, 0) + p_pr[end:]


def _numbering_call(num: str, level: int) -> str:
    return "{{ " + STATE + f'_numbering("{num}", {level})' + " }}"


# A row holding more than this (characters, plus a line for each paragraph) may run over a page:
# at the card's text widths a page holds about 2,400 characters of 10 pt Arial, so a row below
# it fits on a page with room to spare and is kept whole.
LONG_ROW = 1500
_LINE = 50  # a paragraph's space after and its last, part-filled line: about one line
_ROW = re.compile(r"<w:tr(?=[ >])|</w:tr>")
_TR_OPEN = re.compile(r"<w:tr\b[^>]*>")
_TBL_PR_EX = re.compile(r"<w:tblPrEx>.*?</w:tblPrEx>", re.DOTALL)
_CANT_SPLIT = re.compile(r"<w:cantSplit\b[^>]*/>")  # any value: the call decides instead
_PARSER = jinja2.Environment()  # parses row fragments only; nothing is run with it


def keep_rows(xml: str) -> str:
    """Let every row that prints values decide at render time whether it is kept on one page.

    Word does not split a w:cantSplit row even when it is taller than a page: it cuts off what
    does not fit. So a row with tags gets, in place of any fixed w:cantSplit, a call that writes
    w:cantSplit only when the values the row uses are short (row_size <= LONG_ROW). The values
    are read from the context before the row is written; the output is never measured.
    Rows without tags keep what the template says: their text cannot grow.
    """
    out: list[str] = []
    last = 0
    depth = 0
    start = 0
    for mark in _ROW.finditer(xml):
        if mark.group(0) != "</w:tr>":
            if depth == 0:
                start = mark.start()
            depth += 1
            continue
        depth -= 1
        if depth != 0:
            continue  # a row of a table nested in a cell: its outer row decides
        row = xml[start : mark.end()]
        if "{{" in row or "{%" in row:
            out.append(xml[last:start])
            out.append(_keep_row(row))
            last = mark.end()
    out.append(xml[last:])
    return "".join(out)


def _keep_row(row: str) -> str:
    values = _row_values(row)
    opening = _TR_OPEN.match(row)
    assert opening is not None
    head = opening.end()
    exception = _TBL_PR_EX.match(row, head)
    if exception is not None:
        head = exception.end()
    if row.startswith("<w:trPr/>", head):  # an empty trPr: as if there were none
        row = row[:head] + row[head + len("<w:trPr/>") :]
    if row.startswith("<w:trPr>", head):
        end = row.index("</w:trPr>", head)
        properties = _CANT_SPLIT.sub("", row[head + len("<w:trPr>") : end])
        call = "" if values is None else _keep_call("keep", values)
        if not properties and not call:
            return row[:head] + row[end + len("</w:trPr>") :]
        return row[:head] + "<w:trPr>" + call + properties + row[end:]
    call = "" if values is None else _keep_call("keep_pr", values)
    return row[:head] + call + row[head:]


def _keep_call(method: str, values: list[str]) -> str:
    return "{{ " + STATE + "_" + method + "(" + ", ".join(values) + ") }}"


def _row_values(row: str) -> list[str] | None:
    """Return the expressions of the values a row prints, or None if the row cannot be read.

    A loop variable of the row itself (`para` in `{% for para in card.agreement_text %}`) is
    not known before the row runs, so the list it loops over stands for it.
    """
    try:
        tree = _PARSER.parse(row)
    except jinja2.TemplateSyntaxError:  # a block spanning rows: let the row split, to be safe
        return None
    bound = {"loop", "range", "true", "false", "none", "True", "False", "None"}
    for node in tree.find_all((nodes.For, nodes.Assign, nodes.AssignBlock, nodes.Macro)):
        target = getattr(node, "target", None)
        if target is not None:
            bound.update(name.name for name in target.find_all(nodes.Name))
            if isinstance(target, nodes.Name):
                bound.add(target.name)
        if isinstance(node, nodes.Macro):
            bound.update(arg.name for arg in node.args)
    found: dict[str, None] = {}
    _collect(tree, bound, found)
    return list(found)


def _collect(node: nodes.Node, bound: set[str], found: dict[str, None]) -> None:
    chain = _chain(node)
    if chain is not None:
        root = re.match(r"\w+", chain)
        if root and root.group(0) not in bound and not chain.startswith("_"):
            found[chain] = None
        return
    for child in node.iter_child_nodes():
        _collect(child, bound, found)


def _chain(node: nodes.Node) -> str | None:
    """Return `a.b["c"]` for a plain name, attribute or constant-key chain, else None."""
    if isinstance(node, nodes.Name):
        return node.name
    if isinstance(node, nodes.Getattr):
        base = _chain(node.node)
        return None if base is None or node.attr.startswith("_") else f"{base}.{node.attr}"
    if isinstance(node, nodes.Getitem) and isinstance(node.arg, nodes.Const):
        key = node.arg.value
        base = _chain(node.node)
        if base is not None and isinstance(key, (str, int)) and not str(key).startswith("_"):
            return f"{base}[{key!r}]"
    return None


def row_size(*values: Any, limit: int | None = None) -> int:
    """Return a row's size: its texts' characters plus a line for each list item.

    Counting stops once past `limit`: a row is only ever asked whether it is short.
    """
    total = 0
    pending = list(values)
    while pending and (limit is None or total <= limit):
        value = pending.pop()
        if isinstance(value, str):
            total += len(value)
        elif isinstance(value, (list, tuple)):
            total += _LINE * len(value)
            pending.extend(value)
        elif isinstance(value, (dict, Mapping)):  # dict first: the fast, common case
            pending.extend(value.values())
    return total  # images, numbers and undefined values have no text


class RowKeeper:
    """The call a row makes to learn whether it is short enough to keep on one page."""

    def __init__(self, wrap: bool) -> None:
        self._keep = Markup("<w:trPr><w:cantSplit/></w:trPr>" if wrap else "<w:cantSplit/>")

    def __call__(self, *values: Any) -> Markup:
        return self._keep if row_size(*values, limit=LONG_ROW) <= LONG_ROW else _EMPTY


class Hook:
    """A function of the render's own state that the template calls; see environment()."""

    __slots__ = ("function",)

    def __init__(self, function: Any) -> None:
        self.function = function

    def __call__(self, *args: Any) -> Any:
        return self.function(*args)


class RenderState:
    """What one render has written so far: drawing ids, open cells, numbered lists."""

    def __init__(self, first_drawing: int, first_num: int) -> None:
        self._drawing = first_drawing - 1
        self._paragraph = 0
        self._cells: list[bool] = []  # per open cell: has it got a paragraph yet?
        self._last_numbered = -2
        self._last_source = ""
        self.nums: list[Restart] = []  # numbering instances to add, one per list
        self._next_num = first_num

    def hooks(self) -> dict[str, Hook | RowKeeper]:
        """Return the context entries the instrumented template calls."""
        hooks: dict[str, Hook | RowKeeper] = {
            f"{STATE}_{name}": Hook(getattr(self, name))
            for name in ("drawing", "paragraph", "cell_open", "cell_close", "numbering")
        }
        # Called with arguments, so through the sandbox's ordinary checks (Hook takes none).
        hooks[f"{STATE}_keep"] = _KEEP
        hooks[f"{STATE}_keep_pr"] = _KEEP_PR
        return hooks

    def drawing(self) -> int:
        self._drawing += 1
        return self._drawing

    def paragraph(self) -> Markup:
        self._paragraph += 1
        if self._cells:
            self._cells[-1] = True
        return _EMPTY

    def cell_open(self) -> Markup:
        self._cells.append(False)
        self._paragraph += 1  # a list never continues into another cell
        return _EMPTY

    def cell_close(self) -> Markup:
        had_paragraph = self._cells.pop() if self._cells else True
        self._paragraph += 1
        return _EMPTY if had_paragraph else _PARAGRAPH_XML

    def numbering(self, source: str, level: int) -> Markup:
        """Put a numbered paragraph in the current list, or a new one that counts from 1.

        `source` is the numbering the template gave the paragraph; a list goes on while its
        paragraphs follow each other (paragraph() already ran for this one) with one source.
        """
        if self._paragraph != self._last_numbered + 1 or source != self._last_source:
            self.nums.append(Restart(self._next_num, source))
            self._next_num += 1
        self._last_numbered = self._paragraph
        self._last_source = source
        self.nums[-1].levels.add(level)
        return Markup(num_pr(self.nums[-1].num_id, level=level))


_KEEP = RowKeeper(wrap=False)
_KEEP_PR = RowKeeper(wrap=True)
