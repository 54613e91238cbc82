"""The Word-like builder scatters tags as Word does; the default template survives it."""

from __future__ import annotations

import zipfile
from pathlib import Path

import followupdocs
from helpers import EXAMPLE, all_text
from wordlike import variant


def test_scattered_default_template_renders_the_same_text(tmp_path: Path) -> None:
    scattered = variant(tmp_path / "scattered.docx", {})
    body = zipfile.ZipFile(scattered).read("word/document.xml").decode()
    assert "<w:t>{{</w:t>" in body and 'w:type="spellStart"' in body and "w:rsidR=" in body
    assert followupdocs.check_template(scattered) == []
    agreement = followupdocs.load(EXAMPLE)
    plain = followupdocs.render(agreement, tmp_path / "plain.docx", round=1)
    word = followupdocs.render(agreement, tmp_path / "word.docx", round=1, template=scattered)
    assert all_text(word) == all_text(plain)
