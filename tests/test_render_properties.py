"""Long names render: document properties are shortened, the document itself keeps every word."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from docx import Document

from followupdocs import Agreement, loads, render_bytes
from followupdocs._docx.docprops import fit_property
from followupdocs.cli import main

MINIMAL = (Path(__file__).resolve().parent / "data" / "valid" / "minimal.yaml").read_text(
    encoding="utf-8"
)
LONG = "Udvalget for " + "Beskæftigelse, Integration og Erhverv " * 8  # 317 characters


def agreement_with(key: str, value: str) -> Agreement:
    """Return minimal.yaml with the document-level `key` set to `value`."""
    if key == "opfølgninger":
        return loads(MINIMAL.replace("  - 1. budgetopfølgning 2018", f"  - {value}"))
    text = MINIMAL.replace("temaer:", f"{key}: {value}\ntemaer:") if key == "titel" else MINIMAL
    old = {"kommune": "Ballerup Kommune", "aftale": "Aftale om budget 2018"}.get(key)
    if key == "udvalg":
        text = text.replace("udvalg: Økonomiudvalget", f"udvalg: {value}", 1)
    elif old:
        text = text.replace(f"{key}: {old}", f"{key}: {value}")
    return loads(text)


def test_fit_property_keeps_what_fits() -> None:
    assert fit_property("a" * 255) == "a" * 255


def test_fit_property_shortens_with_an_ellipsis() -> None:
    assert fit_property("a" * 256) == "a" * 254 + "…"
    assert fit_property("ab " * 100) == ("ab " * 85)[:254].rstrip() + "…"


def test_fit_property_counts_as_word_does() -> None:
    # Word counts UTF-16 units: a smiley outside the BMP takes two.
    shortened = fit_property("😀" * 200)
    assert shortened == "😀" * 127 + "…"
    assert len(shortened.encode("utf-16-le")) // 2 <= 255


@pytest.mark.parametrize("key", ["udvalg", "titel", "kommune", "aftale", "opfølgninger"])
def test_a_long_name_renders_with_short_properties(key: str) -> None:
    agreement = agreement_with(key, LONG)
    document = Document(io.BytesIO(render_bytes(agreement)))
    properties = document.core_properties
    values = [properties.title, properties.subject, properties.author, properties.keywords]
    assert all(len(value) <= 255 for value in values)
    assert any(value.endswith("…") for value in values)
    body = "\n".join(p.text for p in document.paragraphs)
    body += "\n".join(c.text for t in document.tables for r in t.rows for c in r.cells)
    if key != "kommune":  # the municipality shows only in the properties
        assert LONG.strip() in body  # the document itself is not shortened


def test_a_short_title_is_kept_whole() -> None:
    document = Document(io.BytesIO(render_bytes(loads(MINIMAL))))
    title = "Første opfølgning på Aftale om budget 2018 på Økonomiudvalgets område"
    assert document.core_properties.title == title


def test_render_command_with_a_long_committee(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "aftale.yaml"
    source.write_text(MINIMAL.replace("udvalg: Økonomiudvalget", f"udvalg: {LONG}", 1), "utf-8")
    output = tmp_path / "aftale.docx"
    assert main(["render", str(source), "-o", str(output)]) == 0
    _, err = capsys.readouterr()
    assert "template" not in err
    assert len(Document(str(output)).core_properties.title) == 255
