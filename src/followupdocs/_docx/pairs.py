"""Pair a template's block tags the way Jinja will, and say in plain words what does not fit.

Jinja reads the template after docxtpl has turned every {%p %} paragraph and {%tr %} row into
a plain tag, so its errors name a line of XML and speak of "unknown tags" and "nesting
mistakes". Here the tags are paired in the document itself, where each end belongs: a block
opened by a {%p %} tag closes in the same cell (or in the body, outside tables), one opened by
a {%tr %} tag closes in a later row of the same table, a plain {% %} block in its paragraph.
The first thing that does not fit is reported, with the place of the opening tag and where
the closing one was expected; everything after it would be misread.
"""

from __future__ import annotations

import difflib
from typing import Any

from .tags import Tag, body_tags

__all__ = ["pair_problems"]

_ENDS = {
    name: f"end{name}"
    for name in ("for", "if", "macro", "call", "filter", "with", "block", "autoescape", "raw")
}
_MIDDLES = {"else": ("for", "if"), "elif": ("if",)}
_SIMPLE = frozenset(("set", "include", "import", "from", "extends", "do", "break", "continue"))
_KNOWN = frozenset(_ENDS) | frozenset(_ENDS.values()) | frozenset(_MIDDLES) | _SIMPLE
_SUGGEST = ("for", "endfor", "if", "elif", "else", "endif")


def pair_problems(document: Any) -> list[str]:
    """Return the first misfit among the body's block tags, located; [] if they all pair."""
    tags, _, lost = body_tags(document)
    if lost:
        return [_lost(lost[0])]
    stack: list[Tag] = []
    for index, tag in enumerate(tags):
        if stack and not _inside(tag, stack[-1].scope):
            end = _matching_end(stack[-1], tags[index:])
            if end is None:
                return [_unclosed(stack[-1])]
            misplaced = _misplaced_end(stack[-1], end)
            return [misplaced] if misplaced else []  # crossing_blocks names both ends
        if tag.kind in ("tr", "tc") and tag.row is None:
            return [f"{tag.place}: {_tag(tag)} is not in a table row; {_ROW_RULE}"]
        problem = _fit(tag, stack)
        if problem:
            return [problem]
    return [_unclosed(stack[-1])] if stack else []


_ROW_RULE = (
    "a {%tr %} tag must stand alone in a row of the table whose rows it repeats, and its "
    "{%tr for %} and {%tr endfor %} rows must be in the same table"
)


def _fit(tag: Tag, stack: list[Tag]) -> str:
    """Push, check or pop `tag` on the stack of open blocks; return a problem, or ""."""
    keyword = tag.keyword
    if keyword == "set" and "=" in tag.text:
        return ""
    if keyword in _ENDS or keyword == "set":
        stack.append(tag)
        return ""
    if keyword in _MIDDLES:
        return _middle(tag, stack)
    if keyword.startswith("end") and keyword in _KNOWN | {"endset"}:
        return _end(tag, stack)
    if keyword not in _KNOWN:
        return _typo(tag, stack)
    return ""


def _middle(tag: Tag, stack: list[Tag]) -> str:
    owners = _MIDDLES[tag.keyword]
    top = stack[-1] if stack else None
    if top is not None and top.keyword in owners and _same_kind(top, tag):
        return ""
    opening = _like(tag, owners[-1])
    if top is not None and top.keyword in owners:
        return _wrong_kind(top, tag)
    open_here = f"; the block open here is {_opened(top)}" if top is not None else ""
    return (
        f"{tag.place}: {_tag(tag)} has no '{owners[-1]}' to belong to: the block's opening "
        f"tag ({opening}) is missing{open_here}"
    )


def _end(tag: Tag, stack: list[Tag]) -> str:
    opener = tag.keyword[3:]
    top = stack[-1] if stack else None
    if top is not None and top.keyword == opener and _same_kind(top, tag):
        stack.pop()
        return ""
    if tag.kind == "tr" and not any(t.kind == "tr" and t.scope is tag.scope for t in stack):
        table = tag.where.split(", row")[0]
        return (
            f"{tag.place}: {_tag(tag)} has no {{%tr {opener} ... %}} row before it in {table}: "
            f"the block's opening tag is missing (was its row deleted?); {_ROW_RULE}"
        )
    if top is not None and top.keyword == opener:
        return _wrong_kind(top, tag)
    if top is not None and any(t.keyword == opener for t in stack):
        return (
            f"{tag.place}: {_tag(tag)} comes before the end of {_opened(top)}: close that "
            f"block first with {_like(top, _ENDS.get(top.keyword, 'end'))}, or its closing "
            "tag is missing; the inner block closes before the outer one"
        )
    open_here = f"; the block open here is {_opened(top)}" if top is not None else ""
    return (
        f"{tag.place}: {_tag(tag)} has nothing to close: the block's opening tag "
        f"({_like(tag, opener)}) is missing{open_here}"
    )


def _typo(tag: Tag, stack: list[Tag]) -> str:
    guess = difflib.get_close_matches(tag.keyword, _SUGGEST, n=1, cutoff=0.6)
    if not guess:
        return ""  # Jinja knows more tags than these; let it judge
    message = f"{tag.place}: '{tag.keyword}' is not a tag; did you mean '{guess[0]}'?"
    top = stack[-1] if stack else None
    if top is not None and guess[0] == _ENDS.get(top.keyword):
        message += f" It should close the '{top.keyword}' opened at {top.place}"
    return message


def _wrong_kind(opened: Tag, tag: Tag) -> str:
    return (
        f"{tag.place}: {_tag(tag)} is of another kind than {_opened(opened)}: both ends of a "
        f"block are of the same kind, so use {_like(opened, tag.keyword)} here, or "
        f"{_like(tag, opened.keyword)} there"
    )


def _matching_end(opened: Tag, following: list[Tag]) -> Tag | None:
    """Return the tag among `following` that would close `opened`, counting nested blocks."""
    depth = 0
    for tag in following:
        if tag.keyword == opened.keyword:
            depth += 1
        elif tag.keyword == _ENDS.get(opened.keyword):
            if depth == 0:
                return tag
            depth -= 1
    return None


def _misplaced_end(opened: Tag, tag: Tag) -> str:
    """Describe the closing tag `tag` found outside the scope of `opened`, or "" for
    structure.py's messages (a plain {% %} tag at either end: a forgotten p)."""
    if "" in (opened.kind, tag.kind) and {opened.kind, tag.kind} <= {"", "p"}:
        return ""
    if opened.kind == tag.kind == "p" and _other_row(opened.row, tag.row):
        return (
            f"{opened.place}: this {_tag(opened)} is closed in another row, at "
            f"{tag.place}: a {{%p %}} pair repeats or leaves out paragraphs within one "
            f"cell; to repeat table rows use {{%tr {opened.keyword} ... %}} and "
            f"{{%tr {tag.keyword} %}} instead, each alone in its row"
        )
    if opened.kind == "tr" and tag.kind == "tr":
        where = opened.where.split(", row")[0]
        return (
            f"{opened.place}: its {_tag(tag)} is at {tag.place}, not in a row of {where}; "
            f"{_ROW_RULE}"
        )
    return _unclosed(opened)


def _other_row(row: Any, other: Any) -> bool:
    """Tell whether two rows are different rows of one table."""
    return (
        row is not None
        and other is not None
        and row is not other
        and (row.getparent() is other.getparent())
    )


def _same_kind(one: Tag, other: Tag) -> bool:
    """Tell whether two tags may be ends of one block; {%p %} with {% %} is structure.py's."""
    return one.kind == other.kind or {one.kind, other.kind} <= {"", "p"}


def _unclosed(tag: Tag) -> str:
    end = _like(tag, _ENDS.get(tag.keyword, "end" + tag.keyword))
    if tag.kind == "tr":
        table = tag.where.split(", row")[0]
        expected = f"in a later row of {table}, alone in its row"
    elif tag.kind == "p" and tag.row is not None:
        expected = f"in the same cell ({tag.where}), in a paragraph of its own"
    elif tag.kind == "p":
        expected = "in a paragraph of its own before the end of the document"
    else:
        expected = "in the same paragraph"
    return f"{tag.place}: this block is never closed: its {end} was expected {expected}"


def _lost(tag: Tag) -> str:
    holder = tag.lost_in
    return (
        f"{tag.place}: {_tag(tag)} shares its {holder} with another {{%p %}} or {{%tr %}} tag, "
        f"and docxtpl removes the whole {holder} for the first one, so this one is lost; "
        f"give each such tag a {holder} of its own"
    )


def _inside(tag: Tag, scope: Any) -> bool:
    element = tag.row if tag.kind in ("tr", "tc") and tag.row is not None else tag.paragraph
    return element is scope or any(a is scope for a in element.iterancestors())


def _tag(tag: Tag) -> str:
    return " ".join(tag.text.split())


def _opened(tag: Tag) -> str:
    return f"the '{tag.keyword}' opened at {tag.place}"


def _like(tag: Tag, keyword: str) -> str:
    """Spell a tag of `keyword` of the same kind as `tag`: {%p endfor %}, {%tr if ... %}."""
    prefix = f"{{%{tag.kind} " if tag.kind else "{% "
    if keyword in _ENDS or keyword == "elif":
        return f"{prefix}{keyword} ... %}}"
    return f"{prefix}{keyword} %}}"
