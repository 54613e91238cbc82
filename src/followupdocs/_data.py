"""Validate an agreement given as Python data, with the same errors as the YAML loader gives."""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from pydantic import BaseModel, ValidationError

from ._errors import AgreementError, Problem
from ._loading import LoadReport, _message, _model_at, _model_in, _similar_centre
from ._models import DEFER_CONSISTENCY, Agreement, _dotted

__all__ = ["validate", "validate_report"]

Location = tuple[str | int, ...]


def validate(data: Mapping[str, Any], *, source: str = "<data>") -> Agreement:
    """Return the agreement `data` describes; raise AgreementError listing every problem.

    Keys may be the Danish YAML keys or the English attribute names, mixed as you like; each
    problem's `location` spells the keys the way `data` does. `source` names the data in
    messages (a spreadsheet's file name, say). `validate_report` also returns the warnings.
    """
    return validate_report(data, source=source).agreement


def validate_report(data: Mapping[str, Any], *, source: str = "<data>") -> LoadReport:
    """Return the agreement `data` describes and its warnings, as `validate` reads it.

    Each warning is a `Problem` with severity "warning" and its `location` spelt as `data`
    spells its keys (no line: Python data has none).
    """
    if not isinstance(data, Mapping):
        message = f"the agreement must be a mapping of keys, not {type(data).__name__}"
        raise AgreementError([Problem(source, None, None, "", message)])
    try:
        agreement = Agreement.model_validate(data, context={DEFER_CONSISTENCY: True})
    except ValidationError as exc:
        raise AgreementError([_problem(error, data, source) for error in exc.errors()]) from None
    problems = [
        _at(source, _as_given(location, data), message)
        for location, message in agreement.consistency_problems()
    ]
    if problems:
        raise AgreementError(problems)
    return LoadReport(agreement, tuple(_warnings(agreement, data, source)))


def _warnings(agreement: Agreement, data: Mapping[str, Any], source: str) -> list[Problem]:
    found = list(agreement.number_warnings())
    found += [(s.path, _similar_centre(s, {})) for s in agreement.similar_centres()]
    return [
        replace(_at(source, _as_given(location, data), message), severity="warning")
        for location, message in found
    ]


def _problem(error: Any, data: Mapping[str, Any], source: str) -> Problem:
    location: Location = tuple(error["loc"])
    if location and location[-1] == "[key]":
        location = location[:-1]
        return _at(source, location, f"{location[-1]!r} is not a follow-up number; use 1, 2, 3")
    if error["type"] == "missing":  # pydantic names it by its alias; spell it as the siblings
        location = _as_siblings(location, data)
        return _at(source, location, f"the required key '{location[-1]}' is missing")
    if error["type"] == "extra_forbidden":
        return _at(source, location, _unknown(location))
    return _at(source, location, _message(error))


def _at(source: str, location: Location, message: str) -> Problem:
    return Problem(source, None, None, _dotted(location), message, location)


def _unknown(location: Location) -> str:
    """Say which key is unknown, and the closest known one, Danish or English."""
    model = _model_at(location[:-1])
    key = str(location[-1])
    known = [] if model is None else _keys(model)
    close = difflib.get_close_matches(key, known, n=1, cutoff=0.6)
    return f"unknown key '{key}'" + (f"; did you mean '{close[0]}'?" if close else "")


def _keys(model: type[BaseModel]) -> list[str]:
    return [key for name, field in model.model_fields.items() for key in (name, field.alias) if key]


def _as_given(location: Location, data: Any) -> Location:
    """Spell a location in YAML keys the way `data` spells its keys (English or Danish)."""
    out: list[str | int] = []
    model: type[BaseModel] | None = Agreement
    for part in location:
        if isinstance(part, str) and model is not None and isinstance(data, Mapping):
            name, field = next(
                ((n, f) for n, f in model.model_fields.items() if part in (n, f.alias)),
                (None, None),
            )
            if name is not None and field is not None:
                spelled = name if name in data and part not in data else part
                out.append(spelled)
                data = data.get(spelled)
                model = _model_in(field.annotation)
                continue
        out.append(part)
        data = _step(data, part)
    return tuple(out)


def _step(data: Any, part: str | int) -> Any:
    if isinstance(data, Mapping):
        return data.get(part, data.get(str(part)))
    if isinstance(data, (list, tuple)) and isinstance(part, int) and 0 <= part < len(data):
        return data[part]
    return None


def _as_siblings(location: Location, data: Any) -> Location:
    """Name a missing key in English when its mapping spells its other keys in English."""
    model = _model_at(location[:-1])
    for part in location[:-1]:
        data = _step(data, part)
    if model is None or not isinstance(data, Mapping):
        return location
    english = {name for name, field in model.model_fields.items() if field.alias != name}
    if not english & set(data):
        return location
    name = next((n for n, f in model.model_fields.items() if f.alias == location[-1]), None)
    return location if name is None else (*location[:-1], name)
