"""Parse YAML text into nodes within fixed limits, and say where and why the text is not YAML.

PyYAML's own parser, written in Python, is the authority: it decides what is YAML and words
every error. When PyYAML has libyaml, its C parser reads the texts where the two are known to
agree (see _UNUSUAL) ten times faster, into the same guarded composer; when it refuses a text,
the Python parser reads it again to find and word the error. tests/test_syntax_fast.py holds
the two to the same nodes on real files and on mutated ones.
"""

from __future__ import annotations

import re

import yaml
from yaml.composer import Composer
from yaml.error import Mark
from yaml.nodes import CollectionNode, MappingNode, Node, ScalarNode, SequenceNode
from yaml.resolver import Resolver

from ._errors import AgreementError, Problem

__all__ = ["MAX_ALIAS_NODES", "MAX_DEPTH", "MAX_FILE_BYTES", "compose", "too_large"]

# A real agreement is about 60 kB (35 cards); this allows thousands of cards and keeps a
# worst-case load to seconds and a few hundred MB (the README's reliability section).
MAX_FILE_BYTES = 10 * 1024 * 1024
# An agreement nests about 8 levels (temaer, indsatser, milepæle, ...); a deeper file is an
# accident or an attack, and Python's recursion limit must never be the one to stop it.
MAX_DEPTH = 100
# Aliases (*name) may repeat texts, but not multiply them into a billion values.
MAX_ALIAS_NODES = 100_000


class _Refused(Exception):
    """A limit was reached while composing; `mark` is where."""

    def __init__(self, mark: Mark, message: str) -> None:
        super().__init__(message)
        self.mark = mark
        self.message = message


class _Guard(Composer):
    """A composer that refuses deep nesting and large alias expansions while it composes.

    It measures every finished node (values under it, and its height), so an alias costs what
    it expands to and the check happens before anything is expanded. It also gives both
    parsers' nodes the same form: a plain scalar's style is None, a block collection's
    flow_style False (libyaml says '' and PyYAML None for an indentless list).
    """

    def _guard(self) -> None:
        self._depth = 0
        self._alias_nodes = 0
        self._sizes: dict[int, tuple[int, int]] = {}  # id(node) -> (values, height)

    def compose_node(self, parent: Node | None, index: int) -> Node | None:
        event = self.peek_event()  # type: ignore[attr-defined]  # the parser's, mixed in
        mark: Mark = event.start_mark
        if isinstance(event, yaml.AliasEvent):
            node = super().compose_node(parent, index)
            if node is not None:
                self._check_alias(mark, str(event.anchor), node)
            return node
        self._depth += 1
        if self._depth > MAX_DEPTH:
            raise _Refused(mark, _too_deep())
        try:
            node = super().compose_node(parent, index)
        finally:
            self._depth -= 1
        if node is not None:
            self._sizes[id(node)] = self._measure(node)
            if isinstance(node, ScalarNode) and node.style == "":
                node.style = None
            elif isinstance(node, CollectionNode) and node.flow_style is None:
                node.flow_style = False
        return node

    def _check_alias(self, mark: Mark, anchor: str, node: Node) -> None:
        # An alias to a node still being composed (one that contains itself) is 1 here; the
        # reader reports the loop.
        values, height = self._sizes.get(id(node), (1, 1))
        self._alias_nodes += values
        if self._alias_nodes > MAX_ALIAS_NODES:
            raise _Refused(
                mark,
                f"the alias *{anchor} brings the values repeated by aliases to more than "
                f"{MAX_ALIAS_NODES:,}; an agreement needs far fewer, so write the values out",
            )
        if self._depth + height > MAX_DEPTH:
            raise _Refused(mark, _too_deep())

    def _measure(self, node: Node) -> tuple[int, int]:
        if isinstance(node, SequenceNode):
            children: list[Node] = list(node.value)
        elif isinstance(node, MappingNode):
            children = [part for pair in node.value for part in pair]
        else:
            return (1, 1)
        sizes = [self._sizes.get(id(child), (1, 1)) for child in children]
        return (1 + sum(s[0] for s in sizes), 1 + max((s[1] for s in sizes), default=0))


class _GuardedLoader(_Guard, yaml.SafeLoader):
    """PyYAML's Python parser under the guard."""

    def __init__(self, stream: str) -> None:
        yaml.SafeLoader.__init__(self, stream)
        self._guard()


try:
    from yaml._yaml import CParser
except ImportError:  # PyYAML built without libyaml: the Python parser reads everything
    _FastLoader: type | None = None
else:

    class _FastLoader(_Guard, CParser, Resolver):  # type: ignore[no-redef]
        """libyaml's parser under the same guard (the composer is Python, the events are C)."""

        def __init__(self, stream: str) -> None:
            CParser.__init__(self, stream)
            Composer.__init__(self)
            Resolver.__init__(self)
            self._guard()

        get_single_node = Composer.get_single_node
        compose_document = Composer.compose_document


# Where libyaml and PyYAML read the same text differently (found by test_syntax_fast's
# mutations): tabs, tags (!), complex keys (?), directives (%), a block scalar's header with a
# comment glued to it, a byte order mark, the Unicode line breaks, and a last line without its
# line break (libyaml puts the empty value that ends such a file on the line after it). A text
# with any of them goes to PyYAML's parser only; a "!" or "?" inside a word ("det?") is harmless.
_UNUSUAL = re.compile(
    r"[\t\ufeff\x85\u2028\u2029]|(?:^|[\s\[\]{},])[!?]|^%|[|>][-+0-9]*#", re.MULTILINE
)


def _fast(text: str) -> tuple[bool, Node | None]:
    """Return whether libyaml read `text`, and the node tree it read.

    It does not read what _UNUSUAL finds, nor anything it refuses: PyYAML reads those itself.
    """
    if _FastLoader is None or not text.endswith(("\n", "\r")) or _UNUSUAL.search(text):
        return False, None
    try:
        loader = _FastLoader(text)  # a lone surrogate cannot be encoded for it
    except UnicodeEncodeError:
        return False, None
    try:
        return True, loader.get_single_node()
    except _Refused:
        raise
    except Exception:  # PyYAML reads it again, and words the error if there is one
        return False, None
    finally:
        loader.dispose()


def _too_deep() -> str:
    return (
        f"the lists and keys are nested more than {MAX_DEPTH} levels deep here; an agreement "
        "needs fewer than 10 (is a ']' or '}' missing?)"
    )


def too_large(source: str) -> AgreementError:
    """Return the error for a file over MAX_FILE_BYTES."""
    limit = MAX_FILE_BYTES // (1024 * 1024)
    message = (
        f"the file is larger than {limit} MB; an agreement file is far smaller (the 35 cards of "
        f"a real one take 60 kB), so followupdocs reads at most {limit} MB"
    )
    return AgreementError([Problem(source, None, None, "", message)])


def compose(text: str, source: str) -> Node:
    """Return the node tree of `text`; raise AgreementError, located, if it is not YAML."""
    if len(text) > MAX_FILE_BYTES:
        raise too_large(source)
    try:
        read, root = _fast(text)
        if not read:
            root = _python(text, source)
    except _Refused as exc:
        raise AgreementError([_at(source, exc.mark, exc.message)]) from None
    if root is None:
        raise AgreementError([Problem(source, None, None, "", "the file is empty")])
    return root


def _python(text: str, source: str) -> Node | None:
    """Return the node tree PyYAML's Python parser reads; raise AgreementError for an error."""
    try:
        loader = _GuardedLoader(text)  # checks every character first
    except yaml.reader.ReaderError as exc:
        line = text[: exc.position].count("\n") + 1
        column = exc.position - (text.rfind("\n", 0, exc.position) + 1) + 1
        message = (
            f"the file contains the invisible character U+{exc.character:04X}, which is not "
            "allowed in a text; delete it"
        )
        raise AgreementError([Problem(source, line, column, "", message)]) from None
    try:
        return loader.get_single_node()
    except yaml.MarkedYAMLError as exc:
        opened = _open_bracket(loader.marks, text)
        raise AgreementError([_yaml_problem(exc, text, source, opened)]) from None
    finally:
        loader.dispose()


def _open_bracket(marks: list[Mark], text: str) -> Mark | None:
    """Return where the innermost '[' or '{' still open when parsing stopped starts."""
    for mark in reversed(marks):  # the parser's stack of collections being parsed
        if text[mark.index : mark.index + 1] in ("[", "{"):
            return mark
    return None


def _at(source: str, mark: Mark, message: str) -> Problem:
    return Problem(source, mark.line + 1, mark.column + 1, "", message)


_UNCLOSED = {
    "[": "this '[' starts a list that is never closed; end it with ']'",
    "{": "this '{' starts a group that is never closed; end it with '}'",
}


def _yaml_problem(
    exc: yaml.MarkedYAMLError, text: str, source: str, opened: Mark | None
) -> Problem:
    """Return the problem for a syntax error; `opened` is the innermost '[' or '{' still open."""
    problem = exc.problem or "unreadable YAML"
    context = exc.context or ""
    # PyYAML says "end of stream" or "<stream end>" when something opened is never closed:
    # point where it opens, not at the end of the file.
    if "end of stream" in problem or "<stream end>" in problem:
        if context == "while scanning a quoted scalar" and exc.context_mark:
            message = "this quote starts a text that is never closed; end it with the same quote"
            return _at(source, exc.context_mark, message)
        if opened is not None:
            return _at(source, opened, _UNCLOSED[text[opened.index]])
        if exc.context_mark:
            return _at(source, exc.context_mark, f"not valid YAML: {context} {problem}")
    mark = exc.problem_mark or exc.context_mark
    if mark is None:
        return Problem(source, None, None, "", f"not valid YAML: {problem}")
    if "'\\t'" in problem or "\t" in problem:
        return _at(source, mark, _tab_message(text, mark.index))
    if "mapping values are not allowed" in problem:
        message = (
            "unexpected ':'; a text containing ': ' must be put in quotes, or a key is "
            "indented wrongly"
        )
        return _at(source, mark, message)
    return _at(source, mark, f"not valid YAML: {context} {problem}".replace("  ", " "))


def _tab_message(text: str, index: int) -> str:
    """Say what the tab at `index` does wrong: PyYAML refuses tabs outside quotes."""
    start = text.rfind("\n", 0, index) + 1
    end = index
    while end < len(text) and text[end] in " \t":
        end += 1
    after = text[end : end + 1]
    if after == "#":
        return "a tab stands before a comment; put spaces before '#' instead"
    if after in ("", "\n", "\r"):
        return "the line ends with a tab; delete it"
    if not text[start:index].strip(" \t"):
        return "a tab is used for indentation; indent with spaces only"
    return "a tab separates the values here; use spaces, or put a text with a tab in quotes"
