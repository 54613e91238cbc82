"""Set values in an agreement's YAML text in place, leaving every other character as it was.

PyYAML's nodes know where each key and value starts and ends. An edit either replaces the span
of an existing value, or inserts new key lines with the indentation of their neighbours where
a key (or the mapping above it) does not exist yet. Nothing is re-serialised, so comments, key
order, quoting and line endings outside the edited spans stay byte for byte.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from ._models import Initiative, Milestone
from ._syntax import compose

__all__ = ["EditError", "Setting", "edit", "yaml_value"]

Key = str | int
# The order keys are written in: an inserted key goes after those that come before it here.
_ORDER = [
    *(f.alias or name for name, f in Initiative.model_fields.items()),
    *(f.alias or name for name, f in Milestone.model_fields.items()),
]
_WIDE = 2**31  # no line folding: a new value is one line, or a literal block


class EditError(ValueError):
    """The YAML is laid out in a way this editor does not change safely (line given)."""

    def __init__(self, line: int | None, message: str) -> None:
        self.line = line
        super().__init__(f"line {line}: {message}" if line else message)


@dataclass(frozen=True)
class Setting:
    """A value to set: the initiative's number, the keys below it, and the new text."""

    number: str
    path: tuple[Key, ...]  # e.g. ("milepæle", 2, "status") or ("økonomi", "smiley", 2)
    value: str


@dataclass(frozen=True)
class _Edit:
    start: int
    end: int
    text: str


def edit(text: str, settings: Sequence[Setting]) -> str:
    """Return `text` with every setting applied and nothing else changed.

    Edits whose spans do not touch are applied together; one that touches another waits for
    the next pass, which plans it on the text as it then is (so a key inserted for a status is
    there for the smiley that goes beside it).
    """
    pending = list(settings)
    while pending:
        root = compose(text, "the edited text")  # an AgreementError if an edit broke it
        if not isinstance(root, MappingNode):
            raise EditError(None, "the file does not hold an agreement")
        step = _step(root)
        planned = sorted(
            ((_plan(text, root, setting, step), index) for index, setting in enumerate(pending)),
            key=lambda item: (item[0].start, item[0].end, item[1]),
        )
        chosen: list[_Edit] = []
        later: list[Setting] = []
        reach = -1
        for planned_edit, index in planned:
            if planned_edit.start > reach:
                chosen.append(planned_edit)
                reach = planned_edit.end
            else:
                later.append(pending[index])
        for chosen_edit in reversed(chosen):
            text = text[: chosen_edit.start] + chosen_edit.text + text[chosen_edit.end :]
        pending = later
    return text


def _plan(text: str, root: MappingNode, setting: Setting, step: int) -> _Edit:
    node = _initiative(root, setting.number)
    path = setting.path
    for depth, key in enumerate(path):
        found = _entry(node, key)
        if found is None:
            return _insert(text, node, path[depth:], setting.value, step)
        key_node, value_node = found
        if depth == len(path) - 1:
            return _replace(text, key_node, value_node, setting.value, step)
        if isinstance(value_node, MappingNode) and value_node.value and not value_node.flow_style:
            node = value_node
        elif _is_empty(value_node):
            return _fill(text, key_node, value_node, path[depth + 1 :], setting.value, step)
        else:
            raise EditError(_line(key_node), f"'{key_node.value}' does not hold indented keys")
    raise AssertionError("a setting always has a path")  # pragma: no cover


def _initiative(root: MappingNode, number: str) -> MappingNode:
    themes = _entry(root, "temaer")
    for theme in themes[1].value if themes and isinstance(themes[1], SequenceNode) else []:
        initiatives = _entry(theme, "indsatser") if isinstance(theme, MappingNode) else None
        if initiatives is None or not isinstance(initiatives[1], SequenceNode):
            continue
        for initiative in initiatives[1].value:
            if not isinstance(initiative, MappingNode):
                continue
            found = _entry(initiative, "nummer")
            if found and isinstance(found[1], ScalarNode) and found[1].value.strip() == number:
                if initiative.flow_style:
                    raise EditError(_line(initiative), f"initiative {number} is written in {{ }}")
                return initiative
    raise EditError(None, f"initiative {number} is not in the file")


def _entry(mapping: MappingNode, key: Key) -> tuple[ScalarNode, Node] | None:
    for key_node, value_node in mapping.value:
        if isinstance(key_node, ScalarNode) and _same(key_node.value, key):
            return key_node, value_node
    return None


def _same(written: str, key: Key) -> bool:
    if isinstance(key, int):
        return written.strip().isdigit() and int(written) == key
    return written == key


def _rank(key: Key | str) -> tuple[int, int]:
    if isinstance(key, int) or key.strip().isdigit():
        return (0, int(key))
    return (1, _ORDER.index(key) if key in _ORDER else len(_ORDER))


def _is_empty(node: Node) -> bool:
    return (
        isinstance(node, ScalarNode)
        and node.tag == "tag:yaml.org,2002:null"
        and node.style is None
        and node.value in ("", "~", "null", "Null", "NULL")
    )


def _insert(text: str, mapping: MappingNode, rest: tuple[Key, ...], value: str, step: int) -> _Edit:
    """Insert `rest` as new key lines into a block mapping, in the place its key belongs."""
    first_key = mapping.value[0][0]
    indent = first_key.start_mark.column
    earlier = [(k, v) for k, v in mapping.value if _rank(k.value) < _rank(rest[0])]
    if earlier:
        key_node, value_node = max(earlier, key=lambda kv: kv[0].start_mark.index)
        position = _line_end(text, _entry_end(text, key_node, value_node))
        eol = _eol(text, position)
        return _Edit(position, position, eol + eol.join(_lines(rest, value, indent, step)))
    following = min(mapping.value, key=lambda kv: kv[0].start_mark.index)[0]
    start = _line_start(text, following.start_mark.index)
    if text[start : following.start_mark.index].strip():
        raise EditError(_line(following), f"cannot insert '{rest[0]}' before '{following.value}'")
    eol = _eol(text, _line_end(text, start))
    return _Edit(start, start, eol.join(_lines(rest, value, indent, step)) + eol)


def _fill(
    text: str, key_node: ScalarNode, value_node: Node, rest: tuple[Key, ...], value: str, step: int
) -> _Edit:
    """Give an empty key (`økonomi:` or `økonomi: ~`) indented keys below it."""
    colon = _after_colon(text, key_node)
    written_end = value_node.end_mark.index if value_node.start_mark.index >= colon else colon
    end = _line_end(text, colon)
    if written_end > end:
        raise EditError(_line(key_node), f"unexpected layout after '{key_node.value}:'")
    eol = _eol(text, end)
    lines = _lines(rest, value, key_node.start_mark.column + step, step)
    return _Edit(colon, end, text[written_end:end] + eol + eol.join(lines))


def _replace(text: str, key_node: ScalarNode, value_node: Node, value: str, step: int) -> _Edit:
    """Replace an existing value, keeping a comment after it on the same line."""
    if not isinstance(value_node, ScalarNode):
        raise EditError(_line(key_node), f"'{key_node.value}' holds keys, not a value")
    colon = _after_colon(text, key_node)
    start = value_node.start_mark.index
    if start < colon:  # an alias (*name): the node's marks are those of its anchor
        raise EditError(_line(key_node), f"'{key_node.value}' refers to a value elsewhere (*)")
    end = _scalar_end(text, value_node) or colon
    header_comment = ""
    if value_node.style in ("|", ">"):
        header = text[start : _line_end(text, start)]
        if "#" in header:
            before = header[: header.index("#")]
            header_comment = header[len(before.rstrip()) :]
    inline, block = yaml_value(value, key_node.start_mark.column + step)
    if block is None:
        return _Edit(colon, end, f" {inline}{header_comment}")
    line_end = _line_end(text, end)
    eol = _eol(text, line_end)
    tail = text[end:line_end]
    return _Edit(colon, line_end, f" {inline}{header_comment}{tail}{eol}{eol.join(block)}")


def _lines(path: tuple[Key, ...], value: str, indent: int, step: int) -> list[str]:
    """Return the key lines that set `path` to `value`, each level `step` further in."""
    lines = [f"{' ' * (indent + depth * step)}{key}:" for depth, key in enumerate(path[:-1])]
    last = indent + (len(path) - 1) * step
    inline, block = yaml_value(value, last + step)
    lines.append(f"{' ' * last}{path[-1]}: {inline}")
    return lines + (block or [])


class _LiteralDumper(yaml.SafeDumper):
    """Write texts with line breaks as literal blocks, the way the example writes them."""


def _literal(dumper: yaml.SafeDumper, data: str) -> Any:
    style = "|" if "\n" in data else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", data, style=style)


_LiteralDumper.add_representer(str, _literal)


def yaml_value(value: str, indent: int) -> tuple[str, list[str] | None]:
    """Return a value as YAML: (text after "key: ", block lines indented by `indent` or None)."""
    # YAML reads these as line breaks (U+0085 even as a plain newline): only quotes keep them.
    if not any(mark in value for mark in "\r\x85\u2028\u2029"):
        dumped = yaml.dump(
            {"k": value}, Dumper=_LiteralDumper, allow_unicode=True, width=_WIDE, sort_keys=False
        )
        first, *rest = dumped[len("k: ") :].rstrip("\n").split("\n")
        if first in ("|", "|-") and all(not line or line.startswith("  ") for line in rest):
            return first, [" " * indent + line[2:] if line else "" for line in rest]
        if not rest:
            return first, None
    quoted = yaml.safe_dump(value, default_style='"', allow_unicode=True, width=_WIDE)
    return quoted.rstrip("\n"), None


def _scalar_end(text: str, node: ScalarNode) -> int | None:
    """Return where a value's own characters end; None for an empty value (`key:`)."""
    start, end = node.start_mark.index, node.end_mark.index
    if start == end:
        return None
    if node.style in ("|", ">"):  # a block's span runs on over the blank lines after it
        while end > start and text[end - 1] in " \t\r\n":
            end -= 1
    return end


def _entry_end(text: str, key_node: Node, value_node: Node) -> int:
    """Return where a key's entry ends: the end of the last characters of its value."""
    end = _node_end(text, value_node)
    return _after_colon(text, key_node) if end is None else end


def _node_end(text: str, node: Node) -> int | None:
    if isinstance(node, ScalarNode):
        return _scalar_end(text, node)
    assert isinstance(node, (MappingNode, SequenceNode))
    if node.flow_style or not node.value:
        return int(node.end_mark.index)
    if isinstance(node, MappingNode):
        last_key, last_value = max(node.value, key=lambda kv: kv[0].start_mark.index)
        return _entry_end(text, last_key, last_value)
    return _node_end(text, node.value[-1])


def _after_colon(text: str, key_node: Node) -> int:
    index = key_node.end_mark.index
    while index < len(text) and text[index] in " \t":
        index += 1
    if index >= len(text) or text[index] != ":":
        raise EditError(_line(key_node), "a key written in a way this editor does not change")
    return index + 1


def _line_start(text: str, index: int) -> int:
    return text.rfind("\n", 0, index) + 1


def _line_end(text: str, index: int) -> int:
    """Return the index of the line break ending the line at `index` (before a \\r\\n)."""
    end = text.find("\n", index)
    if end < 0:
        return len(text)
    return end - 1 if end > index and text[end - 1] == "\r" else end


def _eol(text: str, line_end: int) -> str:
    """Return the line ending used where new lines go: that line's own, else the file's."""
    if text.startswith("\r\n", line_end):
        return "\r\n"
    if text.startswith("\n", line_end):
        return "\n"
    return "\r\n" if "\r\n" in text else "\n"


def _line(node: Node) -> int:
    return int(node.start_mark.line) + 1


def _step(root: MappingNode) -> int:
    """Return how far the file indents a mapping below its key (2 unless it shows otherwise)."""
    queue: list[Node] = [root]
    while queue:
        node = queue.pop(0)
        if isinstance(node, MappingNode):
            for key_node, value_node in node.value:
                block = isinstance(value_node, MappingNode) and not value_node.flow_style
                if block and value_node.value:
                    inner = value_node.value[0][0].start_mark.column
                    if inner > key_node.start_mark.column:
                        return int(inner - key_node.start_mark.column)
                queue.append(value_node)
        elif isinstance(node, SequenceNode):
            queue.extend(node.value)
    return 2
