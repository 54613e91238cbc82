"""Say what Jinja and Python report about a template in words a template maintainer acts on.

Jinja speaks of "chunks", "unknown tags" and "nesting mistakes", and a failing run of a
template ends in a Python exception's name. These functions turn each into a plain sentence
about the tag; what they do not recognise is passed on as it is.
"""

from __future__ import annotations

import difflib
import re

__all__ = ["expression_problem", "run_problem", "syntax_problem"]

_KEYWORDS = ("for", "endfor", "if", "elif", "else", "endif")
_OPENS = {"endfor": "for", "endif": "if", "else": "if' or 'for", "elif": "if"}


def expression_problem(message: str) -> str:
    """Return what is wrong with a {{ }} tag's expression, from Jinja's `message`."""
    if message == "chunk after expression":
        return "more follows the value than a tag can hold; put each value in a tag of its own"
    found = re.fullmatch(r"unexpected char '(.)' at \d+", message)
    if found and found.group(1) in "\"'":
        return f"a quote ({found.group(1)}) is not closed"
    if found:
        return f"the character {found.group(1)} cannot be used in a tag"
    found = re.fullmatch(r"unexpected end of template, expected '(.+)'\.", message)
    if found and found.group(1) == "name":
        return "a name is missing at the end, after the last | or ."
    if found:
        return f"the tag ends too early: '{found.group(1)}' is missing at the end"
    if message == "unexpected 'end of template'":
        return "the tag ends too early: something is missing at its end"
    if message == "expected name or number":
        return "a name is missing after a '.'"
    found = re.fullmatch(r"unexpected '(.+)'", message)
    if found:
        return f"'{found.group(1)}' cannot stand where it is (a bracket or an operator too many?)"
    found = re.fullmatch(r"No (filter|test) named '(.+)'\.", message)
    if found:
        kind, name = found.groups()
        after = "a |" if kind == "filter" else "'is'"
        return f"there is no {kind} '{name}' (the word after {after}); is it misspelt?"
    return message


def syntax_problem(message: str) -> str:
    """Return what is wrong with a template's block tags, from Jinja's syntax error."""
    innermost = re.search(r"The innermost block that needs to be closed is '(\w+)'", message)
    open_block = innermost.group(1) if innermost else None
    if message.startswith("Unexpected end of template"):
        end = f" (it needs its 'end{open_block}')" if open_block else ""
        return f"this block is never closed{end}"
    found = re.match(r"Encountered unknown tag '(\w+)'", message)
    if not found:
        return f"the tags do not fit together: {_plain(message)}"
    return f"the tags do not fit together: {_unknown(found.group(1), open_block, message)}"


def _unknown(tag: str, open_block: str | None, message: str) -> str:
    if tag not in _KEYWORDS:
        guess = difflib.get_close_matches(tag, _KEYWORDS, n=1, cutoff=0.6)
        said = f"'{tag}' is not a tag" + (f"; did you mean '{guess[0]}'?" if guess else "")
        if guess and open_block and guess[0] == f"end{open_block}":
            said += f" It should close the '{open_block}' open here"
        return said
    if "nesting mistake" in message and open_block:
        return (
            f"'{tag}' comes before the end of the '{open_block}' open here: close that block "
            f"first with 'end{open_block}', or its closing tag is missing; the inner block "
            "closes before the outer one"
        )
    opening = _OPENS.get(tag, tag)
    return f"'{tag}' has nothing to close: the block's opening tag ('{opening}') is missing"


def _plain(message: str) -> str:
    if message.startswith("Expected an expression, got"):
        return "a tag has no condition or value after its keyword"
    found = re.fullmatch(r"expected token '(.+)', got '(.+)'", message)
    if found:
        return f"'{found.group(1)}' was expected where the tag says '{found.group(2)}'"
    return message


def run_problem(name: str, detail: str) -> str:
    """Return why a template failed on the sample agreement, from an exception's name and text."""
    if name == "ZeroDivisionError":
        return "fails on the sample agreement: it divides by zero"
    if name in ("KeyError", "IndexError"):
        return f"fails on the sample agreement: it asks for an item that is not there ({detail})"
    if name in ("TypeError", "ValueError"):
        return f"fails on the sample agreement: a value cannot be used this way ({detail})"
    return f"fails on the sample agreement ({detail or name})"
