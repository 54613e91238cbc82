"""Check a Word template against the context followupdocs gives it (a sample agreement)."""

from __future__ import annotations

from pathlib import Path

from ._context import sample_contexts
from ._docx.check import TemplateReport, inspect

__all__ = ["TemplateReport", "inspect_template"]


def inspect_template(path: str | Path) -> TemplateReport:
    """Return the problems and the warnings of the Word template at `path`, each located."""
    return inspect(path, sample_contexts)
