"""libyaml reads only what PyYAML's Python parser reads the same way, node for node.

followupdocs parses with libyaml's C parser when PyYAML has it (ten times faster) and with
PyYAML's Python parser otherwise, or when the text has something the two read differently
(`_syntax._UNUSUAL`). These tests hold the two to the same nodes, on every YAML file of the
project, on texts PyYAML writes from generated data, and on real files with YAML's own
characters scattered into them (how the differences in `_UNUSUAL` were found).
"""

from __future__ import annotations

import contextlib
import random
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st
from yaml.nodes import Node, ScalarNode

from followupdocs import _syntax
from helpers import EXAMPLE, ROOT

FILES = sorted([*ROOT.glob("examples/*.yaml"), *ROOT.glob("tests/data/**/*.yaml")])
# YAML's indicators, the characters _UNUSUAL knows, line breaks, and a few letters.
ALPHABET = " \t\n\r:-#'\"[]{},&*!|>?%@`\\\x85\u2028\ufeffæøå0a.~=<"


def _texts() -> list[str]:
    texts = []
    for path in FILES:
        try:
            texts.append(path.read_text(encoding="utf-8"))
        except UnicodeDecodeError:  # the hostile files that are not UTF-8
            continue
    return texts


TEXTS = _texts()


def _shape(node: Node | None, out: list[Any]) -> list[Any]:
    """Return everything the loaders read from a node tree, in order.

    A node's end is compared by its index only: at the end of a file the two parsers count
    lines differently, and followupdocs uses only where an end is, never its line.
    """
    if node is None:
        return out
    if len(out) > 100_000:  # an alias bomb: the guard's own tests cover those
        raise OverflowError
    start = node.start_mark
    out.append((type(node).__name__, node.tag, start.index, start.line, start.column))
    out.append((node.end_mark.index, getattr(node, "style", None), getattr(node, "flow_style", 0)))
    if isinstance(node, ScalarNode):
        out.append(node.value)
        return out
    for child in node.value:
        for part in child if isinstance(child, tuple) else (child,):
            _shape(part, out)
    return out


def _same_when_fast(text: str) -> bool:
    """Assert libyaml's nodes are PyYAML's wherever libyaml reads; return whether it read."""
    try:
        read, fast = _syntax._fast(text)
    except _syntax._Refused:
        return True  # the guard stops both alike (test_loading_hostile)
    if not read:
        return False
    loader = _syntax._GuardedLoader(text)
    try:
        slow = loader.get_single_node()
    except yaml.YAMLError as exc:
        pytest.fail(f"libyaml read a text PyYAML refuses ({exc}): {text!r}")
    finally:
        loader.dispose()
    with contextlib.suppress(OverflowError):
        assert _shape(fast, []) == _shape(slow, []), repr(text)
    return True


def test_libyaml_reads_the_example_when_pyyaml_has_it() -> None:
    """The fast parser is really used: without it a render waits for the Python parser."""
    read, _ = _syntax._fast(EXAMPLE.read_text(encoding="utf-8"))
    assert read == bool(yaml.__with_libyaml__)


# Texts the two parsers read differently, each one found by the mutations: libyaml takes a tab
# or a glued comment PyYAML refuses, reads a lone "!" as a text, not as nothing, skips a byte
# order mark in its positions, and puts an empty value at the very end on the next line.
DIFFERENT = ["a: b\t# c\n", "a: |#\n b\n", "a: >-#\n  b\n", "- !\n", "\ufeffa: b\n", "# c\n---"]


@pytest.mark.parametrize("text", DIFFERENT)
def test_what_libyaml_reads_differently_goes_to_pyyaml(text: str) -> None:
    assert _syntax._fast(text) == (False, None)
    if _syntax._FastLoader is None:  # PyYAML without libyaml: nothing to compare with
        return
    loader = _syntax._FastLoader(text)
    try:
        unscreened = _shape(loader.get_single_node(), [])
    finally:
        loader.dispose()
    loader = _syntax._GuardedLoader(text)
    try:
        assert _shape(loader.get_single_node(), []) != unscreened
    except yaml.YAMLError:
        pass  # PyYAML refuses what libyaml reads
    finally:
        loader.dispose()


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_every_project_file_reads_the_same(path: Path) -> None:
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        return
    _same_when_fast(text)


def test_scattered_indicators_read_the_same() -> None:
    """Real files with 1 to 8 characters inserted, deleted or repeated, 600 of them."""
    rng = random.Random(2018)
    small = [text for text in TEXTS if len(text) < 3000]
    read = 0
    for _ in range(600):
        chars = list(rng.choice(small))
        for _ in range(rng.randint(1, 8)):
            at = rng.randrange(len(chars) + 1)
            roll = rng.random()
            if roll < 0.5:
                chars.insert(at, rng.choice(ALPHABET))
            elif roll < 0.8 and at < len(chars):
                del chars[at]
            else:
                chars.insert(at, rng.choice(ALPHABET) * rng.randint(2, 5))
        read += _same_when_fast("".join(chars))
    assert read > 100  # most mutations are still read by libyaml: the test compares something


_values = st.recursive(
    st.text() | st.integers() | st.booleans() | st.none(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=12,
)


@given(
    _values,
    st.sampled_from([None, '"', "'", "|", ">"]),
    st.booleans(),
    st.booleans(),
    st.integers(2, 8),
)
def test_what_pyyaml_writes_reads_the_same(
    value: Any, style: str | None, flow: bool, unicode: bool, indent: int
) -> None:
    text = yaml.safe_dump(
        {"temaer": value},
        default_style=style,
        default_flow_style=flow,
        allow_unicode=unicode,
        indent=indent,
    )
    _same_when_fast(text)
