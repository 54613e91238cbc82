"""Word lays the tables out as designed, the package is honest and Danish, no text is cut off.

Issue 11 (cell widths against the grid, every part valid, no python-docx leftovers) and issue
15 (rows taller than a page). The custom templates here are made by editing the default
template's XML with lxml, not with the code that builds it, so the checks can disagree with it.
"""

from __future__ import annotations

import zipfile
from pathlib import Path
from typing import Any

import docx
import pytest
from lxml import etree

import followupdocs
import wordcheck
from followupdocs import Agreement
from followupdocs._docx.instrument import LONG_ROW, keep_rows, row_size
from followupdocs._forms import form_bytes
from followupdocs.cli import main

W = wordcheck.W
DEFAULT = Path(__file__).resolve().parent.parent / "templates" / "opfoelgning.docx"
CARD_GRID = [1134, 3685, 1814, 1984, 1020]  # 2.0, 6.5, 3.2, 3.5, 1.8 cm in twips
EP = "{http://schemas.openxmlformats.org/officeDocument/2006/extended-properties}"


def w(name: str) -> str:
    return f"{{{W}}}{name}"


def body(path: Path) -> etree._Element:
    with zipfile.ZipFile(path) as z:
        return etree.fromstring(z.read("word/document.xml"))


def cards(root: etree._Element) -> list[etree._Element]:
    """Return the card tables: those whose header row ends in Tid and Smiley."""
    found = []
    for table in root.iter(w("tbl")):
        header = [_row_text(c) for c in table.find(w("tr")).findall(w("tc"))]
        if header[-2:] == ["Tid", "Smiley"]:
            found.append(table)
    return found


def widths(row: etree._Element) -> list[int]:
    return [int(c.find(f"{w('tcPr')}/{w('tcW')}").get(w("w"))) for c in row.findall(w("tc"))]


def grid(table: etree._Element) -> list[int]:
    return [int(c.get(w("w"))) for c in table.findall(f"{w('tblGrid')}/{w('gridCol')}")]


# --- widths -----------------------------------------------------------------------------------


def test_card_cells_have_the_designed_widths(example_docs: dict[int, Path]) -> None:
    root = body(example_docs[1])
    found = cards(root)
    assert len(found) == 35
    for table in found:
        assert grid(table) == CARD_GRID
        rows = table.findall(w("tr"))
        # title (label + text columns) | kind | Tid | Smiley
        assert widths(rows[0]) == [1134 + 3685, 1814, 1984, 1020]
        assert widths(rows[1]) == [1134 + 3685, 1814 + 1984 + 1020]
        for milestone in rows[2:]:
            assert widths(milestone) == [1134, 3685 + 1814, 1984, 1020]
        layout = table.find(f"{w('tblPr')}/{w('tblLayout')}")
        assert layout is not None and layout.get(w("type")) == "fixed"
    overview = next(root.iter(w("tbl")))
    assert _row_text(overview.find(w("tr"))).startswith("Nr.")
    for row in overview.findall(w("tr")):
        spans = sum(
            int(s.get(w("val"))) if (s := c.find(f"{w('tcPr')}/{w('gridSpan')}")) is not None else 1
            for c in row.findall(w("tc"))
        )
        assert sum(widths(row)) == sum(grid(overview)[:spans])
    assert wordcheck.problems(example_docs[1]) == []


def test_form_cells_have_the_widths_of_their_columns(example: Agreement, tmp_path: Path) -> None:
    path = tmp_path / "form.docx"
    path.write_bytes(form_bytes(example, "Økonomi og Styring", round=2))
    root = body(path)
    tables = list(root.iter(w("tbl")))
    assert len(cards(root)) == 5
    for t, table in enumerate(tables):
        assert wordcheck.width_problems("form", t, table) == []
    first = cards(root)[0].findall(w("tr"))
    assert widths(first[0])[-1] == grid(cards(root)[0])[-1]  # the smiley column, as designed
    assert wordcheck.problems(path) == []
    document = docx.Document(str(path))
    assert document.tables[0].rows[0].cells[-1].text == "Smiley"


def _card_table(root: etree._Element) -> etree._Element:
    for table in root.iter(w("tbl")):
        if "Tid" in _row_text(table.find(w("tr"))):
            return table
    raise AssertionError("no card table in the template")


def _restyle_card(path: Path, new_grid: list[int], *, cells_too: bool) -> Path:
    """Copy the default template with the card's columns resized (and its cells, if asked)."""

    def change(root: etree._Element) -> None:
        table = _card_table(root)
        for column, width in zip(
            table.findall(f"{w('tblGrid')}/{w('gridCol')}"), new_grid, strict=True
        ):
            column.set(w("w"), str(width))
        if not cells_too:
            return
        for row in table.findall(w("tr")):
            start = 0
            for cell in row.findall(w("tc")):
                span = cell.find(f"{w('tcPr')}/{w('gridSpan')}")
                count = int(span.get(w("val"))) if span is not None else 1
                cell.find(f"{w('tcPr')}/{w('tcW')}").set(w("w"), str(sum(new_grid[start:][:count])))
                start += count
        # and a restyled header: pale yellow instead of grey
        for shading in table.find(w("tr")).iter(w("shd")):
            shading.set(w("fill"), "FFF2CC")

    return _rewrite(path, {"word/document.xml": change})


def _rewrite(path: Path, edits: dict[str, Any], extra: dict[str, bytes] | None = None) -> Path:
    with zipfile.ZipFile(DEFAULT) as original, zipfile.ZipFile(path, "w") as out:
        for item in original.infolist():
            data = original.read(item.filename)
            if item.filename in edits:
                edit = edits[item.filename]
                if callable(edit):
                    root = etree.fromstring(data)
                    edit(root)
                    data = etree.tostring(root, xml_declaration=True, encoding="UTF-8")
                else:
                    data = edit
            out.writestr(item, data)
        for name, data in (extra or {}).items():
            out.writestr(name, data)
    return path


RESIZED = [900, 4300, 1500, 1700, 1237]  # a wider text column and smiley column


def test_restyled_card_template_renders_with_matching_widths(
    example: Agreement, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    template = _restyle_card(tmp_path / "restyled.docx", RESIZED, cells_too=True)
    assert main(["check-template", str(template)]) == 0
    assert "the template is fine" in capsys.readouterr().out
    output = followupdocs.render(example, tmp_path / "out.docx", round=1, template=template)
    assert wordcheck.problems(output) == []
    found = cards(body(output))
    assert len(found) == 35
    for table in found:
        assert grid(table) == RESIZED
        assert widths(table.findall(w("tr"))[2]) == [900, 4300 + 1500, 1700, 1237]
    document = docx.Document(str(output))
    assert any(t.rows[0].cells[-1].text == "Smiley" for t in document.tables)


def test_check_template_warns_about_widths_that_disagree_with_the_grid(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    template = _restyle_card(tmp_path / "grid-only.docx", RESIZED, cells_too=False)
    assert main(["check-template", str(template)]) == 0  # a warning, not a failure
    captured = capsys.readouterr()
    assert "the template can be used, with 4 warnings" in captured.out
    lines = [line for line in captured.err.splitlines() if "widths differ" in line]
    # the card is table 3; its rows 1 to 6, less the loop rows 3 and 5 that hold one cell
    assert [line.split(": ")[2].split(":")[0] for line in lines] == [
        "table 3, row 1",
        "table 3, row 2",
        "table 3, row 4",
        "table 3, row 6",
    ]
    assert all(line.startswith(f"{template}: warning: ") for line in lines)


# --- every part valid, honest and Danish ----------------------------------------------------


def _assert_honest(path: Path) -> None:
    with zipfile.ZipFile(path) as z:
        names = z.namelist()
        app = etree.fromstring(z.read("docProps/app.xml"))
        settings = etree.fromstring(z.read("word/settings.xml"))
        rels = z.read("_rels/.rels").decode()
    assert app.findtext(f"{EP}Application") == "followupdocs"
    for count in ("Pages", "Words", "Characters", "Lines", "Paragraphs", "Template"):
        assert app.find(f"{EP}{count}") is None, count
    assert not [n for n in names if "thumbnail" in n]
    assert "thumbnail" not in rels
    assert settings.find(w("savePreviewPicture")) is None
    assert settings.find(w("decimalSymbol")).get(w("val")) == ","
    assert settings.find(w("listSeparator")).get(w("val")) == ";"
    assert settings.find(w("themeFontLang")).get(w("val")) == "da-DK"
    zoom = settings.find(w("zoom"))
    assert zoom is None or zoom.get(w("percent")) is not None
    assert "word/stylesWithEffects.xml" not in names
    folder = wordcheck.schema_dir()
    if folder is not None:
        found = wordcheck.wordprocessing_parts(path)
        assert {"word/settings.xml", "word/styles.xml", "word/numbering.xml"} <= set(found)
        for name, data in found.items():
            assert wordcheck.xsd_problems(data, folder, name) == [], name


def test_document_package_is_honest_and_danish(example_docs: dict[int, Path]) -> None:
    _assert_honest(example_docs[1])
    assert docx.Document(str(example_docs[1])).paragraphs[0].text.startswith("Første opfølgning")


def test_form_package_is_honest_and_danish(example: Agreement, tmp_path: Path) -> None:
    path = tmp_path / "form.docx"
    path.write_bytes(form_bytes(example, "Økonomi og Styring", round=1))
    _assert_honest(path)
    properties = docx.Document(str(path)).core_properties
    assert properties.title == "Status til 1. budgetopfølgning 2018: Økonomi og Styring"


WORD_APP = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Properties xmlns="'
    b'http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"><Template>'
    b"Normal.dotm</Template><Pages>7</Pages><Words>1234</Words><Application>Microsoft Office Word"
    b"</Application></Properties>"
)


def test_custom_template_leftovers_do_not_reach_the_document(
    example: Agreement, tmp_path: Path
) -> None:
    def english_settings(root: etree._Element) -> None:
        root.find(w("zoom")).attrib.pop(w("percent"), None)
        root.find(w("decimalSymbol")).set(w("val"), ".")
        root.find(w("listSeparator")).set(w("val"), ",")
        root.find(w("themeFontLang")).set(w("val"), "en-US")
        root.insert(1, etree.Element(w("savePreviewPicture")))

    def with_thumbnail(root: etree._Element) -> None:
        rel = etree.SubElement(
            root, "{http://schemas.openxmlformats.org/package/2006/relationships}Relationship"
        )
        rel.set("Id", "rId99")
        rel.set(
            "Type",
            "http://schemas.openxmlformats.org/package/2006/relationships/metadata/thumbnail",
        )
        rel.set("Target", "docProps/thumbnail.jpeg")

    def jpeg_type(root: etree._Element) -> None:
        ct = "{http://schemas.openxmlformats.org/package/2006/content-types}"
        default = etree.SubElement(root, f"{ct}Default")
        default.set("Extension", "jpeg")
        default.set("ContentType", "image/jpeg")

    template = _rewrite(
        tmp_path / "from-word.docx",
        {
            "docProps/app.xml": WORD_APP,
            "word/settings.xml": english_settings,
            "_rels/.rels": with_thumbnail,
            "[Content_Types].xml": jpeg_type,
        },
        {"docProps/thumbnail.jpeg": b"\xff\xd8\xff\xd9"},
    )
    with zipfile.ZipFile(template) as z:
        assert b"Microsoft Office Word" in z.read("docProps/app.xml")
        assert "docProps/thumbnail.jpeg" in z.namelist()
    output = followupdocs.render(example, tmp_path / "out.docx", round=1, template=template)
    _assert_honest(output)
    assert wordcheck.problems(output) == []
    assert len(cards(body(output))) == 35


# --- rows taller than a page (issue 15) -------------------------------------------------------


def _words(prefix: str, count: int) -> str:
    """Return `count` distinct words in paragraphs of 60, e.g. "aft0001 aft0002 ...."""
    words = [f"{prefix}{n:04d}" for n in range(1, count + 1)]
    return "\n\n".join(" ".join(words[i : i + 60]) + "." for i in range(0, count, 60))


def long_agreement() -> Agreement:
    """Return an agreement whose first card has a 3-page agreement text, a 2-page status and a
    long economy text; its other cards are short."""
    rounds = ["1. budgetopfølgning 2026", "2. budgetopfølgning 2026"]
    initiatives: list[dict[str, Any]] = [
        {
            "number": "1.01",
            "title": "En lang indsats",
            "kind": "Drift",
            "agreement_text": _words("aft", 950),  # ~7,600 characters: three pages
            "responsible_centre": "Økonomi og Styring",
            "responsible_committee": "Økonomiudvalget",
            "milestones": {
                1: {"text": "Milepælen.", "status": _words("sta", 640), "smiley": "grøn"},
                2: {"text": "Den næste milepæl."},
            },
            "economy": {"text": _words("oek", 260), "smileys": {1: "grøn"}},
        }
    ]
    for n in range(2, 5):
        initiatives.append(
            {
                "number": f"1.0{n}",
                "title": f"Kort indsats {n}",
                "kind": "Anlæg",
                "agreement_text": "Parterne er enige om en kort indsats.",
                "responsible_centre": "Ejendomme",
                "responsible_committee": "Økonomiudvalget",
                "milestones": {1: {"text": "Kort milepæl.", "status": "Kort status."}},
                "economy": {"text": "Kort økonomi.", "smileys": {1: "rød"}},
            }
        )
    return Agreement(
        municipality="Ballerup Kommune",
        name="Aftale om budget 2026",
        committee="Økonomiudvalget",
        rounds=rounds,
        themes=[{"number": "1", "title": "Lange tekster", "initiatives": initiatives}],
    )


def _row_text(row: etree._Element) -> str:
    return "".join(t.text or "" for t in row.iter(w("t")))


def _kept(row: etree._Element) -> bool:
    return row.find(f"{w('trPr')}/{w('cantSplit')}") is not None


@pytest.fixture(scope="module")
def long_doc(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("long")
    return followupdocs.render(long_agreement(), folder / "long.docx", round=1)


def test_long_rows_may_split_and_short_rows_are_kept(long_doc: Path) -> None:
    assert wordcheck.problems(long_doc) == []
    assert wordcheck.card_layout_problems(long_doc) == []
    found = cards(body(long_doc))
    assert len(found) == 4
    long_rows = [r for r in found[0].findall(w("tr")) if len(_row_text(r)) > LONG_ROW]
    assert len(long_rows) == 3  # agreement text, the milestone with its status, economy
    assert not any(_kept(r) for r in long_rows)
    assert "aft0950" in _row_text(long_rows[0])
    assert "sta0640" in _row_text(long_rows[1])
    assert "oek0260" in _row_text(long_rows[2])
    header = found[0].find(w("tr"))
    assert header.find(f"{w('trPr')}/{w('tblHeader')}") is not None
    assert _kept(header)
    for table in found[1:]:
        rows = table.findall(w("tr"))
        assert len(rows) == 5  # header, agreement, 2 milestones, economy
        assert all(_kept(r) for r in rows)
        assert rows[0].find(f"{w('trPr')}/{w('tblHeader')}") is not None


def test_card_header_row_is_kept_with_the_next_row(long_doc: Path) -> None:
    for table in cards(body(long_doc)):
        for paragraph in table.find(w("tr")).iter(w("p")):
            assert paragraph.find(f"{w('pPr')}/{w('keepNext')}") is not None


def test_check_template_warns_about_text_rows_that_cannot_split(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    def keep_agreement_row(root: etree._Element) -> None:
        row = _card_table(root).findall(w("tr"))[1]
        tr_pr = row.find(w("trPr"))
        if tr_pr is None:
            tr_pr = etree.Element(w("trPr"))
            row.insert(0, tr_pr)
        etree.SubElement(tr_pr, w("cantSplit"))

    template = _rewrite(tmp_path / "kept.docx", {"word/document.xml": keep_agreement_row})
    assert main(["check-template", str(template)]) == 0
    captured = capsys.readouterr()
    warnings = [line for line in captured.err.splitlines() if "break across pages" in line]
    assert len(warnings) == 1
    assert warnings[0].startswith(f"{template}: warning: table 3, row 2: ")
    # the render still lets the long row split
    output = followupdocs.render(
        long_agreement(), tmp_path / "out.docx", round=1, template=template
    )
    agreement_row = cards(body(output))[0].findall(w("tr"))[1]
    assert "aft0001" in _row_text(agreement_row)
    assert not _kept(agreement_row)


def test_example_and_default_template_have_no_row_warnings(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["check-template", str(DEFAULT)]) == 0
    assert "the template is fine" in capsys.readouterr().out


# --- the instrumentation itself ---------------------------------------------------------------


def test_keep_rows_asks_for_the_values_the_row_prints() -> None:
    row = (
        "<w:tbl><w:tr><w:trPr><w:cantSplit/><w:tblHeader/></w:trPr><w:tc><w:p>"
        "{% for para in card.agreement_text %}{{ para.text }}{% endfor %}{{ card.title|upper }}"
        "</w:p></w:tc></w:tr><w:tr><w:tc><w:p>Fast tekst</w:p></w:tc></w:tr>"
        "<w:tr><w:tc><w:p>{{ milestone.label }}</w:p></w:tc></w:tr>"
        "<w:tr><w:trPr><w:cantSplit/></w:trPr><w:tc><w:p>{% if x %}</w:p></w:tc></w:tr></w:tbl>"
    )
    out = keep_rows(row)
    assert "<w:trPr>{{ _fd_keep(card.agreement_text, card.title) }}<w:tblHeader/></w:trPr>" in out
    assert "<w:tr><w:tc><w:p>Fast tekst" in out  # no tags: left as the template has it
    assert "<w:tr>{{ _fd_keep_pr(milestone.label) }}<w:tc>" in out
    # a block the row cannot close: no cantSplit at all, to be safe
    assert out.endswith("<w:tr><w:tc><w:p>{% if x %}</w:p></w:tc></w:tr></w:tbl>")
    # whatever value the template gave, only the call decides
    off = '<w:tr><w:trPr><w:cantSplit w:val="0"/></w:trPr><w:tc><w:p>{{ a }}</w:p></w:tc></w:tr>'
    assert (
        keep_rows(off)
        == "<w:tr><w:trPr>{{ _fd_keep(a) }}</w:trPr><w:tc><w:p>{{ a }}</w:p></w:tc></w:tr>"
    )


def test_row_size_counts_characters_and_a_line_per_paragraph() -> None:
    paragraphs = [{"kind": "normal", "text": "x" * 100}, {"kind": "bullet", "text": "y" * 10}]
    assert row_size(paragraphs) == 100 + 10 + len("normal") + len("bullet") + 2 * 50
    assert row_size("abc", None, 3, ["de"]) == 3 + 2 + 50


def test_label_cells_are_plain_cells(example_docs: dict[int, Path]) -> None:
    """The labels "Milepæl" and "Økonomi" are plain cells in plain rows (docs/templates.md)."""
    table = cards(body(example_docs[1]))[0]
    labels = []
    for row in table.findall(w("tr"))[2:]:
        assert row.find(f"{w('trPr')}/{w('tblHeader')}") is None
        first = row.find(w("tc"))
        labels.append(_row_text(first))
        assert first.find(f".//{w('pStyle')}") is None  # Normal, not a heading
    assert labels == ["Milepæl"] * 4 + ["Økonomi"]


def test_generated_300_cards_with_long_texts(tmp_path: Path) -> None:
    from test_large import load_bench

    data = load_bench().synthetic(300).model_dump()
    lengthened = 0
    for theme in data["themes"]:
        for number, initiative in enumerate(theme["initiatives"]):
            if number == 0:  # one card in five: a long agreement text and status
                initiative["agreement_text"] = _words("aft", 400)
                initiative["milestones"][2]["status"] = _words("sta", 300)
                lengthened += 1
    agreement = Agreement.model_validate(data)
    path = followupdocs.render(agreement, tmp_path / "large.docx", round=4, overview=False)
    assert wordcheck.problems(path) == []
    assert wordcheck.card_layout_problems(path) == []
    found = cards(body(path))
    assert len(found) == 300
    long_rows = [r for t in found for r in t.findall(w("tr")) if len(_row_text(r)) > LONG_ROW]
    assert lengthened == 60
    assert len(long_rows) >= 2 * lengthened  # the generator's own texts add a few more
    assert sum("aft0400" in _row_text(r) for r in long_rows) == lengthened
    assert not any(_kept(r) for r in long_rows)
    assert sum(_kept(r) for t in found for r in t.findall(w("tr"))) > 300 * 5
