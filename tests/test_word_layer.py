"""The Word layer (followupdocs._docx) knows OOXML and nothing of agreements."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

WORD_LAYER = Path(__file__).resolve().parents[1] / "src" / "followupdocs" / "_docx"
# The exception hierarchy is the one module below the Word layer it may use.
ALLOWED = {"_errors"}


def _followupdocs_imports(path: Path) -> list[str]:
    """Return the followupdocs modules outside _docx/ that the module at `path` imports."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [a.name for a in node.names if a.name.startswith("followupdocs")]
        elif isinstance(node, ast.ImportFrom):
            if node.level == 0 and (node.module or "").startswith("followupdocs"):
                found.append(node.module or "")
            elif node.level >= 2:  # from .. or from ..x: above the Word layer
                names = [node.module] if node.module else [a.name for a in node.names]
                found += [f"followupdocs.{name}" for name in names]
    return [
        name
        for name in found
        if not name.startswith("followupdocs._docx")
        and name.removeprefix("followupdocs.") not in ALLOWED
    ]


@pytest.mark.parametrize("path", sorted(WORD_LAYER.glob("*.py")), ids=lambda p: p.name)
def test_the_word_layer_imports_no_domain_module(path: Path) -> None:
    assert _followupdocs_imports(path) == []


def test_the_rule_sees_an_import_from_above(tmp_path: Path) -> None:
    module = tmp_path / "m.py"
    module.write_text(
        "from .._models import Smiley\nfrom .. import _context\nimport followupdocs._forms\n"
    )
    assert _followupdocs_imports(module) == [
        "followupdocs._models",
        "followupdocs._context",
        "followupdocs._forms",
    ]
