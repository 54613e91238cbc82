"""Warnings about a template that renders, but not the way its maintainer will expect.

A warning never stops a render: the document is valid, only its layout or its behaviour in
Word differs from what the template seems to promise. Each check takes the template as
python-docx reads it and returns plain-language warnings, located as Word shows the place
("table 3, row 4").
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

__all__ = ["CHECKS", "lint"]

# Each check: the template's docx.Document -> warnings. Add new checks to this tuple.
CHECKS: tuple[Callable[[Any], list[str]], ...] = ()


def lint(document: Any) -> list[str]:
    """Return every warning of every check, in the order of CHECKS."""
    return [warning for check in CHECKS for warning in check(document)]
