"""Tracked changes and comments in a template are reported, never filled into every card."""

from __future__ import annotations

import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

import followupdocs
from followupdocs import TemplateProblemError
from helpers import EXAMPLE, ROOT, run_cli

DEFAULT = ROOT / "templates" / "opfoelgning.docx"
DATE = 'w:author="Redaktør" w:date="2026-11-02T10:00:00Z"'
KIND = "<w:r><w:rPr><w:b/></w:rPr><w:t>{{ card.kind }}</w:t></w:r>"


def variant(path: Path, part: str, edit: Callable[[str], str]) -> Path:
    """Copy the default template with `part` edited the way Word stores the change."""
    with zipfile.ZipFile(DEFAULT) as original, zipfile.ZipFile(path, "w") as out:
        for item in original.infolist():
            data = original.read(item.filename)
            if item.filename == part:
                text = data.decode("utf-8")
                edited = edit(text)
                assert edited != text
                data = edited.encode("utf-8")
            out.writestr(item, data)
    return path


def replaced_tag(text: str) -> str:
    """Replace {{ card.kind }} by {{ card.title }} with Track Changes on, as Word writes it."""
    return text.replace(
        KIND,
        f'<w:del w:id="901" {DATE}><w:r><w:rPr><w:b/></w:rPr>'
        "<w:delText>{{ card.kind }}</w:delText></w:r></w:del>"
        f'<w:ins w:id="902" {DATE}><w:r><w:rPr><w:b/></w:rPr>'
        "<w:t>{{ card.title }}</w:t></w:r></w:ins>",
        1,
    )


def commented(text: str) -> str:
    """Anchor a comment on {{ card.kind }}, as Word does (the comments part is not needed)."""
    return text.replace(
        KIND,
        f'<w:commentRangeStart w:id="7"/>{KIND}<w:commentRangeEnd w:id="7"/>'
        '<w:r><w:commentReference w:id="7"/></w:r>',
        1,
    )


def footer_change(text: str) -> str:
    """Insert a word after "Side " in the footer with Track Changes on."""
    return text.replace(
        '<w:t xml:space="preserve">Side </w:t></w:r>',
        f'<w:t xml:space="preserve">Side </w:t></w:r><w:ins w:id="903" {DATE}>'
        "<w:r><w:t>nr.</w:t></w:r></w:ins>",
        1,
    )


@pytest.mark.parametrize(
    ("part", "edit", "expected"),
    [
        (
            "word/document.xml",
            replaced_tag,
            "table 3, row 1, cell 2: the template holds 2 tracked changes (the first here); "
            "accept or reject all changes first",
        ),
        (
            "word/document.xml",
            commented,
            "table 3, row 1, cell 2: the template holds 1 comment (the first here); delete "
            "them first",
        ),
        (
            "word/footer1.xml",
            footer_change,
            "the footer: the template holds 1 tracked change (the first here); accept or reject",
        ),
    ],
    ids=["replaced-tag", "comment", "footer"],
)
def test_revisions_are_reported_and_nothing_is_rendered(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    part: str,
    edit: Callable[[str], str],
    expected: str,
) -> None:
    template = variant(tmp_path / "skabelon.docx", part, edit)
    code, out, err = run_cli(capsys, "check-template", template)
    assert code == 1 and out == ""
    [line] = err.splitlines()
    assert line.startswith(f"{template}: {expected}")
    with pytest.raises(TemplateProblemError):
        followupdocs.render(followupdocs.load(EXAMPLE), tmp_path / "ud.docx", round=1,
                            template=template)  # fmt: skip
    assert not (tmp_path / "ud.docx").exists()


def test_the_default_template_has_no_revisions(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run_cli(capsys, "check-template", DEFAULT)
    assert code == 0 and out.endswith("the template is fine\n")


def test_template_writes_a_copy_to_restyle_and_never_overwrites(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    copy = tmp_path / "min-skabelon.docx"
    code, out, _ = run_cli(capsys, "template", copy)
    assert code == 0 and out.startswith(f"wrote {copy}; restyle it in Word")
    assert copy.read_bytes() == DEFAULT.read_bytes()
    assert run_cli(capsys, "check-template", copy)[0] == 0

    copy.write_bytes(b"my restyled template")
    code, _, err = run_cli(capsys, "template", copy)
    assert code == 1 and "already exists" in err
    assert copy.read_bytes() == b"my restyled template"

    code, _, err = run_cli(capsys, "template", tmp_path / "skabelon.odt")
    assert code == 2 and "name the copy with .docx" in err
    assert not (tmp_path / "skabelon.odt").exists()
