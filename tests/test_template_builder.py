"""The committed default template is what the builder makes."""

from __future__ import annotations

from importlib import metadata
from pathlib import Path

import pytest

from followupdocs._docx.template_builder import build

COMMITTED = Path(__file__).resolve().parents[1] / "templates" / "opfoelgning.docx"


PINNED = "1.2.0"  # python-docx's version in pyproject.toml's dev extra


@pytest.mark.skipif(
    metadata.version("python-docx") != PINNED,
    reason=f"the template is built on python-docx {PINNED}'s base document",
)
def test_the_builder_reproduces_the_committed_template_byte_for_byte() -> None:
    assert build() == COMMITTED.read_bytes(), "run `python tools/make_template.py` and commit"
