"""Read an agreement from YAML: strict parsing, and every problem located as file:line:column."""

from __future__ import annotations

import difflib
import os
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from ._errors import AgreementError, Problem
from ._models import DEFER_CONSISTENCY, Agreement, SimilarCentre, _dotted, round_number
from ._syntax import MAX_FILE_BYTES, compose, too_large

__all__ = ["LoadReport", "load", "load_report", "loads", "loads_report"]

Path_ = tuple[str | int, ...]
# Where each value (and each mapping key) starts: 1-based (line, column).
_Positions = dict[Path_, tuple[int, int]]


@dataclass(frozen=True)
class LoadReport:
    """A valid agreement and the warnings found while reading it.

    Each warning is a `Problem` with severity "warning", located like an error: a number that
    does not start with its theme's number, a responsible centre spelt two ways. Warnings do
    not stop rendering; they are data, so threads loading at once each get their own.
    """

    agreement: Agreement
    warnings: tuple[Problem, ...] = ()


def load(path: str | os.PathLike[str]) -> Agreement:
    """Read and validate the agreement in the YAML file at `path`.

    Warnings are not reported; `load_report` returns them.
    """
    return load_report(path).agreement


def loads(text: str, source: str = "<string>") -> Agreement:
    """Read and validate an agreement from YAML text; `source` names it in messages.

    Warnings are not reported; `loads_report` returns them.
    """
    return loads_report(text, source=source).agreement


def load_report(path: str | os.PathLike[str]) -> LoadReport:
    """Read and validate the agreement at `path`; return it with its warnings, located."""
    source = os.fspath(path)
    return loads_report(_read_text(Path(path)), source=source)


def _read_text(path: Path) -> str:
    """Return the text of the YAML file at `path`; raise AgreementError if it cannot be read."""
    source = str(path)
    try:
        with path.open("rb") as file:
            data = file.read(MAX_FILE_BYTES + 1)  # not the whole of a huge file or a device
    except OSError as exc:
        reason = exc.strerror or str(exc)
        message = f"cannot read the file: {reason}"
        raise AgreementError([Problem(source, None, None, "", message)]) from None
    if len(data) > MAX_FILE_BYTES:
        raise too_large(source)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        message = (
            "the file is not UTF-8 text; save it as UTF-8 (in Notepad: Save as, Encoding: UTF-8)"
        )
        raise AgreementError([Problem(source, line, None, "", message)]) from None


def loads_report(text: str, *, source: str = "<string>") -> LoadReport:
    """Read and validate an agreement from YAML text; return it with its warnings, located."""
    root = compose(text, source)
    reader = _Reader(source)
    data = reader.data(root)
    if reader.problems:
        raise AgreementError(sorted(reader.problems, key=_order))
    if not isinstance(data, dict):
        raise AgreementError([_not_a_mapping(data, root, source)])
    positions = reader.positions
    try:
        agreement = Agreement.model_validate(
            data, context={DEFER_CONSISTENCY: True}, by_alias=True, by_name=False
        )
    except ValidationError as exc:
        raise AgreementError(sorted(_problems(exc, positions, source), key=_order)) from None
    problems = [
        # A duplicate number points at the number; a round out of range at its key.
        _locate(source, positions, path, message, key=path[-1] != "nummer")
        for path, message in agreement.consistency_problems()
    ]
    if problems:
        raise AgreementError(problems)
    return LoadReport(agreement, tuple(_warnings(agreement, source, positions)))


def _not_a_mapping(data: Any, root: Node, source: str) -> Problem:
    what = "a list" if isinstance(data, list) else "a single value"
    return Problem(
        source,
        root.start_mark.line + 1,
        root.start_mark.column + 1,
        "",
        f"the file holds {what}; it must start with keys such as 'kommune:', "
        "'aftale:', 'udvalg:', 'opfølgninger:' and 'temaer:'",
    )


def _warnings(agreement: Agreement, source: str, positions: _Positions) -> list[Problem]:
    """Return what looks wrong but does not stop rendering: numbers first, then centres."""
    found = [(path, message, True) for path, message in agreement.number_warnings()]
    found += [
        (similar.path, _similar_centre(similar, positions), False)
        for similar in agreement.similar_centres()
    ]
    return [
        replace(
            _locate(source, positions, path, message, key=key), location=path, severity="warning"
        )
        for path, message, key in found
    ]


def _similar_centre(similar: SimilarCentre, positions: _Positions) -> str:
    """Return the warning for a centre spelt two ways, naming both spellings (and lines)."""
    line = positions.get(similar.first_path, (None, None))[0]
    where = f"initiative {similar.first_number}" + (f", line {line}" if line else "")
    return (
        f"the centre {similar.name!r} differs only in case or spacing from "
        f"{similar.first_name!r} ({where}), so it gets a form of its own; spell it the same "
        "way everywhere if it is one centre"
    )


def _order(problem: Problem) -> tuple[int, int]:
    return (problem.line or 0, problem.column or 0)


class _Reader:
    """Turn YAML nodes into plain data where every scalar stays text (or None when empty).

    Records where each value and key starts, and collects structural problems (duplicate keys,
    aliases that contain themselves) so all of them are reported at once.
    """

    def __init__(self, source: str) -> None:
        self.source = source
        self.positions: _Positions = {}
        self.problems: list[Problem] = []
        self._open: set[int] = set()  # nodes being converted: an alias back to one loops

    def data(self, node: Node, path: Path_ = ()) -> Any:
        self.positions[path] = (node.start_mark.line + 1, node.start_mark.column + 1)
        if isinstance(node, ScalarNode):
            # Only an empty plain value or ~/null is "nothing"; yes/no, dates, 12:30 stay text.
            if node.style is None and node.tag == "tag:yaml.org,2002:null":
                return None
            return node.value
        if id(node) in self._open:
            self._problem(node, path, "an alias (*name) refers to the block it is inside")
            return None
        self._open.add(id(node))
        try:
            if isinstance(node, SequenceNode):
                return [self.data(item, (*path, i)) for i, item in enumerate(node.value)]
            assert isinstance(node, MappingNode)
            return self._mapping(node, path)
        finally:
            self._open.discard(id(node))

    def _mapping(self, node: MappingNode, path: Path_) -> dict[str, Any]:
        result: dict[str, Any] = {}
        seen: dict[str, str] = {}  # canonical key -> key as written
        for key_node, value_node in node.value:
            if not isinstance(key_node, ScalarNode):
                self._problem(key_node, path, "a key must be a plain word")
                continue
            key = key_node.value
            if key == "<<":
                self._problem(key_node, path, "merge keys ('<<') are not supported")
                continue
            # Round keys 1 and 01 are the same round: compare numbers as numbers.
            number = round_number(key)
            canonical = key if number is None else str(number)
            if canonical in seen:
                self._problem(
                    key_node,
                    (*path, key),
                    f"the key {key!r} appears twice in the same place; keep one",
                )
                continue
            seen[canonical] = key
            key_path = (*path, key, "<key>")
            self.positions[key_path] = (
                key_node.start_mark.line + 1,
                key_node.start_mark.column + 1,
            )
            result[key] = self.data(value_node, (*path, key))
        return result

    def _problem(self, node: Node, path: Path_, message: str) -> None:
        self.problems.append(_problem_at(self.source, node, path, message))


def _problem_at(source: str, node: Node, path: Path_, message: str) -> Problem:
    return Problem(
        source, node.start_mark.line + 1, node.start_mark.column + 1, _dotted(path), message
    )


def _locate(
    source: str, positions: _Positions, path: Path_, message: str, *, key: bool = True
) -> Problem:
    """Return a problem at the closest known position of `path` (its key where asked)."""
    candidates = [(*path, "<key>"), path] if key else [path, (*path, "<key>")]
    trail = path
    while trail:
        trail = trail[:-1]
        candidates.append(trail)
    for candidate in candidates:
        if candidate in positions:
            line, column = positions[candidate]
            return Problem(source, line, column, _dotted(path), message)
    return Problem(source, None, None, _dotted(path), message)


def _problems(exc: ValidationError, positions: _Positions, source: str) -> list[Problem]:
    problems = []
    for error in exc.errors(include_url=False):
        loc: Path_ = tuple(error["loc"])
        kind = error["type"]
        if loc and loc[-1] == "[key]":
            # A mapping key that is not a number: point at the key itself.
            loc = (*loc[:-2], str(loc[-2]))
            problems.append(
                _locate(
                    source,
                    positions,
                    loc,
                    f"{loc[-1]!r} is not a follow-up number; use 1, 2, 3, ...",
                )
            )
            continue
        loc = tuple(
            str(p) if isinstance(p, int) and _is_key(loc, i) else p for i, p in enumerate(loc)
        )
        if kind == "missing":
            # Point at the start of the mapping the key is missing from.
            parent = _locate(source, positions, loc[:-1], "", key=False)
            problems.append(
                Problem(
                    source,
                    parent.line,
                    parent.column,
                    _dotted(loc),
                    f"the required key '{loc[-1]}' is missing",
                )
            )
        elif kind == "extra_forbidden":
            problems.append(_locate(source, positions, loc, _unknown_key(loc, positions)))
        else:
            problems.append(_locate(source, positions, loc, _message(error), key=False))
    return problems


def _is_key(loc: Path_, index: int) -> bool:
    """Tell whether loc[index] is a mapping key (milestone rounds) rather than a list index."""
    return index > 0 and loc[index - 1] in ("milepæle", "smiley")


def _unknown_key(loc: Path_, positions: _Positions) -> str:
    key = str(loc[-1])
    allowed = _allowed_keys(loc[:-1])
    hint = ""
    close = difflib.get_close_matches(key, allowed, n=1, cutoff=0.6)
    if close:
        hint = f"; did you mean '{close[0]}'?"
    elif allowed:
        hint = "; allowed here: " + ", ".join(allowed)
    return f"unknown key '{key}'{hint}"


def _allowed_keys(parent: Path_) -> list[str]:
    """Return the YAML keys allowed in the mapping at `parent`."""
    model = _model_at(parent)
    return [] if model is None else [f.alias or name for name, f in model.model_fields.items()]


def _model_at(location: Path_) -> type[BaseModel] | None:
    """Return the model of the mapping at `location`, its keys Danish or English."""
    model: type[BaseModel] | None = Agreement
    for part in location:
        if model is None:
            return None
        if isinstance(part, int) or round_number(part) is not None:
            continue
        field = next((f for name, f in model.model_fields.items() if part in (name, f.alias)), None)
        if field is None:
            return None
        model = _model_in(field.annotation)
    return model


def _model_in(annotation: Any) -> type[BaseModel] | None:
    """Return the model class inside an annotation such as list[Theme] or dict[int, Milestone]."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in getattr(annotation, "__args__", ()):
        found = _model_in(arg)
        if found is not None:
            return found
    return None


_PLAIN = {
    "string_type": "must be a text",
    "dict_type": "must be a group of keys (key: value lines indented below it)",
    "model_type": "must be a group of keys (key: value lines indented below it)",
    "list_type": "must be a list (lines starting with '- ')",
    "tuple_type": "must be a list (lines starting with '- ')",
    "too_short": "must list at least one item",
    "int_parsing": "must be a whole number",
}


def _message(error: Any) -> str:
    kind = error["type"]
    if kind in _PLAIN:
        return _PLAIN[kind]
    message = str(error["msg"])
    return message.removeprefix("Value error, ")
