"""Build templates/opfoelgning.docx, the default docxtpl template, on python-docx's base.

Run `python tools/make_template.py` after changing this module and commit the .docx it writes;
a test checks that build() reproduces the committed file byte for byte.
Everything is styled through Word's built-in styles, so a template maintainer can restyle the
document in Word (Home > Styles) without touching code.
"""

from __future__ import annotations

import copy
import zipfile
from io import BytesIO

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Cm, Pt, RGBColor
from docx.table import _Cell

from .docprops import clean_package
from .tables import (
    TEMPLATE_CARD_CM,
    clear,
    fit_widths,
    merge,
    row_property,
    set_cell,
    shade,
    table,
)

FONT = "Arial"
OVERVIEW_CM = (1.7, 4.3, 3.6, 2.9, 2.1, 2.4)
COUNTS_CM = (4.4, 1.5, 1.5, 1.5, 2.0, 2.0, 2.0, 2.1)
LIGHT = "F2F2F2"

# The reading guide's fixed wording, from the seed document. The introduction is composed from
# the agreement by the renderer (rendering.reading_guide) so it can name the rounds.
MILESTONE_DEFINITIONS = (
    ("smileys.green", "Milepæl er opfyldt"),
    (
        "smileys.yellow",
        "Milepæl er ikke fuldt opfyldt, men det er fortsat realistisk, at det "
        "samlede mål for året opnås",
    ),
    (
        "smileys.red",
        "Milepæl er ikke opfyldt, og det er ikke realistisk at opfylde milepæl inden "
        "for perioden under givende forudsætninger.",
    ),
)
ECONOMY_TEXT = (
    "Der gives én samlet smiley-status på økonomi ved hver opfølgning. Hvis der er ændringer til "
    "økonomien i forhold til det vedtagne budget, skal det indgå i budgetopfølgningen, hvor der "
    "anvises en alternativ finansiering. Opfølgningen på økonomien vil herefter være i forhold "
    "til den eventuelle ændrede økonomi, som godkendt af Kommunalbestyrelsen."
)
ECONOMY_DEFINITIONS = (
    ("smileys.economy_green", "Budget er overholdt/Besparelse er opnået"),
    (
        "smileys.economy_red",
        "Budget ikke overholdt/Den forventede besparelse opnås ikke i indeværende periode.",
    ),
)


def build() -> bytes:
    """Return the template's bytes; the same bytes on every run."""
    doc = Document()
    _page_setup(doc)
    _styles(doc)
    body = doc.element.body
    for child in list(body):
        if child.tag != qn("w:sectPr"):
            body.remove(child)

    doc.add_paragraph("{{ title }}", style="Title")
    doc.add_paragraph("Læsevejledning", style="Heading 1")
    _text_block(doc, "reading_guide")
    doc.add_paragraph("Definition af smileys på indsats:")
    for image, text in MILESTONE_DEFINITIONS:
        doc.add_paragraph("{{ " + image + " }}: " + text)
    doc.add_paragraph(ECONOMY_TEXT)
    doc.add_paragraph("Definition af smileys på økonomi:")
    for image, text in ECONOMY_DEFINITIONS:
        doc.add_paragraph("{{ " + image + " }}: " + text)

    _overview(doc)

    doc.add_paragraph("{%p for theme in themes %}")
    doc.add_paragraph("{{ theme.number }}. {{ theme.title }}", style="Heading 1")
    doc.add_paragraph("{%p for card in theme.cards %}")
    _card(doc)
    doc.add_paragraph("")  # keeps consecutive cards apart: Word joins adjacent tables
    doc.add_paragraph("{%p endfor %}")
    doc.add_paragraph("{%p endfor %}")
    _footer(doc)
    _properties(doc)
    clean_package(doc)
    _drop_styles_with_effects(doc)
    _drop_unused_table_styles(doc)
    return _deterministic(doc)


def _drop_unused_table_styles(doc: DocxDocument) -> None:
    """Drop the table styles no table uses (98 of python-docx's 164 styles, 300 of 345 kB).

    Every render, form and reading parsed them and every document carried them; Word keeps
    its built-in table styles itself (the latent styles stay), so a maintainer who gives a
    table "Light Grid - Accent 1" in Word still gets it. The default and Table Grid stay.
    """
    element = doc.styles.element
    for style in element.findall(qn("w:style")):
        if style.get(qn("w:type")) != "table" or style.get(qn("w:default")) == "1":
            continue
        if style.get(qn("w:styleId")) != "TableGrid":
            element.remove(style)


def _drop_styles_with_effects(doc: DocxDocument) -> None:
    """Drop python-docx's stylesWithEffects.xml: a stale copy of the styles from before ours.

    Only Word 2010 wrote it; later Word neither writes nor needs it, and an old Word reading it
    would see the base document's fonts and languages instead of the template's.
    """
    rels = doc.part.rels
    for rid, rel in list(rels.items()):
        if rel.reltype.endswith("/stylesWithEffects"):
            del rels[rid]


def _page_setup(doc: DocxDocument) -> None:
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    for side in ("left_margin", "right_margin"):
        setattr(section, side, Cm(2))
    section.top_margin, section.bottom_margin = Cm(2), Cm(2)
    section.footer_distance = Cm(1)


def _styles(doc: DocxDocument) -> None:
    styles = doc.styles
    # One font family everywhere, Danish as the language of every style (accessibility: screen
    # readers and spell checking follow the style defaults, not only the core properties).
    rpr_default = (
        styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    )
    for old in rpr_default.findall(qn("w:rFonts")) + rpr_default.findall(qn("w:lang")):
        rpr_default.remove(old)
    rpr_default.insert(
        0,
        parse_xml(
            f'<w:rFonts {nsdecls("w")} w:ascii="{FONT}" w:hAnsi="{FONT}" w:eastAsia="{FONT}" '
            f'w:cs="{FONT}"/>'
        ),
    )
    rpr_default.append(
        parse_xml(f'<w:lang {nsdecls("w")} w:val="da-DK" w:eastAsia="da-DK" w:bidi="ar-SA"/>')
    )
    for style in styles:
        rpr = style.element.find(qn("w:rPr"))
        if rpr is not None:  # drop theme fonts so every style inherits the one family
            for fonts in rpr.findall(qn("w:rFonts")):
                rpr.remove(fonts)

    black = RGBColor(0, 0, 0)
    normal = styles["Normal"]
    normal.font.size = Pt(10)
    normal.paragraph_format.space_after = Pt(4)
    normal.paragraph_format.line_spacing = 1.1
    for name, size, before, after in (
        ("Title", 20, 0, 12),
        ("Heading 1", 14, 14, 6),
        ("Heading 2", 10.5, 0, 0),
    ):
        style = styles[name]
        style.font.size = Pt(size)
        style.font.bold = True
        style.font.color.rgb = black
        style.paragraph_format.space_before = Pt(before)
        style.paragraph_format.space_after = Pt(after)
        style.paragraph_format.keep_with_next = True
    title_ppr = styles["Title"].element.get_or_add_pPr()
    for border in title_ppr.findall(qn("w:pBdr")):  # python-docx's Title has a blue rule
        title_ppr.remove(border)
    for name in ("List Bullet", "List Number"):
        styles[name].paragraph_format.space_after = Pt(2)
    styles["Footer"].font.size = Pt(9)


def _text_block(container: DocxDocument | _Cell, items: str) -> None:
    """Add the paragraphs of a text: Normal, List Bullet or List Number by kind."""
    add = container.add_paragraph
    add("{%p for para in " + items + " %}")
    add('{%p if para.kind == "bullet" %}')
    add("{{ para.text }}", style="List Bullet")
    add('{%p elif para.kind == "number" %}')
    add("{{ para.text }}", style="List Number")
    add("{%p else %}")
    add("{{ para.text }}")
    add("{%p endif %}")
    add("{%p endfor %}")


def _card(doc: DocxDocument) -> None:
    grid = table(doc, 6, TEMPLATE_CARD_CM)
    header, agreement, loop_start, milestone, loop_end, economy = grid.rows

    # Header row: number and title | kind | Tid | Smiley. It repeats on every page.
    title = merge(header.cells[0], header.cells[1])
    set_cell(title, "{{ card.number }}. {{ card.title }}", style="Heading 2")
    set_cell(header.cells[2], "{{ card.kind }}", bold=True)
    set_cell(header.cells[3], "Tid", bold=True)
    set_cell(header.cells[4], "Smiley", bold=True, center=True)

    # Agreement text | responsibilities and how it is carried out.
    left = merge(agreement.cells[0], agreement.cells[1])
    right = merge(agreement.cells[2], agreement.cells[4])
    clear(left)
    _text_block(left, "card.agreement_text")
    clear(right)
    for label, value in (
        ("Ansvarligt center:", "card.responsible_centre"),
        ("Ansvarligt udvalg:", "card.responsible_committee"),
        ("Væsentlig bidragsyder:", "card.main_contributor"),
    ):
        paragraph = right.add_paragraph()
        paragraph.add_run(label).bold = True
        paragraph.add_run(" {{ " + value + " }}")
    _text_block(right, "card.implementation")

    # One row per follow-up round.
    set_cell(loop_start.cells[0], "{%tr for milestone in card.milestones %}")
    set_cell(loop_end.cells[0], "{%tr endfor %}")
    set_cell(milestone.cells[0], "Milepæl", bold=True)
    text = merge(milestone.cells[1], milestone.cells[2])
    clear(text)
    _text_block(text, "milestone.text")
    text.add_paragraph("{%p if milestone.status %}")
    text.add_paragraph().add_run("Status:").bold = True
    _text_block(text, "milestone.status")
    text.add_paragraph("{%p endif %}")
    set_cell(milestone.cells[3], "{{ milestone.label }}")
    set_cell(milestone.cells[4], "{{ milestone.smiley }}", center=True)

    set_cell(economy.cells[0], "Økonomi", bold=True)
    text = merge(economy.cells[1], economy.cells[2])
    clear(text)
    _text_block(text, "card.economy.text")
    set_cell(economy.cells[3], "")
    set_cell(economy.cells[4], "{{ card.economy.smiley }}", center=True)

    # No row is marked "don't split" here: every row prints agreement values, and the renderer
    # keeps such a row on one page only while its text is short (_docx.instrument.keep_rows).
    # The header row is kept with the next row, so a card's title never ends a page alone:
    # Word keeps a row with the next when its paragraphs are kept with the next; LibreOffice
    # never leaves a repeating header row alone at the foot of a page (seen in 7.4).
    for paragraph in header.cells[0].paragraphs + [c.paragraphs[0] for c in header.cells[2:]]:
        paragraph.paragraph_format.keep_with_next = True
    fit_widths(grid._tbl)


def _overview(doc: DocxDocument) -> None:
    """Add "Samlet status", the counts per round and the changes since the last round."""
    doc.add_paragraph("{%p if overview %}")
    doc.add_paragraph("Samlet status", style="Heading 1")
    doc.add_paragraph(
        "Tabellen viser milepælenes smiley ved hver opfølgning til og med {{ round_label }}, "
        "økonomiens smiley ved {{ round_label }} og udviklingen i milepælens smiley siden "
        "sidste opfølgning."
    )
    grid = table(doc, 7, OVERVIEW_CM)
    header, theme_start, theme, row_start, row, row_end, theme_end = grid.rows
    labels = ("Nr.", "Indsats", "Ansvarligt center", "Milepæl pr. opfølgning", "Økonomi",
              "Udvikling")  # fmt: skip
    for cell, label in zip(header.cells, labels, strict=True):
        set_cell(cell, label, bold=True)
    set_cell(theme_start.cells[0], "{%tr for theme in overview.themes %}")
    title = merge(theme.cells[0], theme.cells[-1])
    set_cell(title, "{{ theme.number }}. {{ theme.title }}", bold=True)
    shade(title, LIGHT)
    set_cell(row_start.cells[0], "{%tr for row in theme.rows %}")
    for cell, value in zip(row.cells, (
        "{{ row.number }}", "{{ row.short_title }}", "{{ row.responsible_centre }}",
        "{% for smiley in row.smileys %}{% if smiley %}{{ smiley }}{% else %}–{% endif %}"
        "{% if not loop.last %} {% endif %}{% endfor %}",
        "{% if row.economy %}{{ row.economy }}{% else %}–{% endif %}",
        "{{ row.trend }}",
    ), strict=True):  # fmt: skip
        set_cell(cell, value)
    set_cell(row_end.cells[0], "{%tr endfor %}")
    set_cell(theme_end.cells[0], "{%tr endfor %}")
    row_property(header, "w:cantSplit")  # fixed labels; the rows with values decide at render
    fit_widths(grid._tbl)
    doc.add_paragraph("")  # room between the table and the next heading
    _counts(doc)
    doc.add_paragraph("")
    _changes(doc)
    doc.add_paragraph("{%p endif %}")


def _counts(doc: DocxDocument) -> None:
    """Add the number of smileys of each kind at each round."""
    doc.add_paragraph("Antal smileys pr. opfølgning", style="Heading 2")
    grid = table(doc, 4, COUNTS_CM)
    header, start, row, end = grid.rows
    labels = ("Opfølgning", "Grøn", "Gul", "Rød", "Uden smiley", "Økonomi grøn", "Økonomi rød",
              "Økonomi uden")  # fmt: skip
    for cell, label in zip(header.cells, labels, strict=True):
        set_cell(cell, label, bold=True)
    set_cell(start.cells[0], "{%tr for count in counts %}")
    keys = ("label", "green", "yellow", "red", "without", "economy_green", "economy_red",
            "economy_without")  # fmt: skip
    for cell, key in zip(row.cells, keys, strict=True):
        set_cell(cell, "{{ count." + key + " }}")
    set_cell(end.cells[0], "{%tr endfor %}")
    row_property(header, "w:cantSplit")
    fit_widths(grid._tbl)


def _changes(doc: DocxDocument) -> None:
    """Add the initiatives whose smiley got worse since the last round."""
    doc.add_paragraph("{%p if changes is not none %}")
    doc.add_paragraph("Ændringer siden sidste opfølgning", style="Heading 2")
    doc.add_paragraph("{%p for change in changes %}")
    paragraph = doc.add_paragraph()
    paragraph.add_run("{{ change.number }}. {{ change.title }}").bold = True
    paragraph.add_run(" ({{ change.responsible_centre }}): {{ change.what }}")
    doc.add_paragraph("{%p for para in change.status %}")
    doc.add_paragraph("{{ para.text }}")
    doc.add_paragraph("{%p endfor %}")
    doc.add_paragraph("{%p else %}")
    doc.add_paragraph("Ingen indsatser har fået en dårligere smiley siden sidste opfølgning.")
    doc.add_paragraph("{%p endfor %}")
    doc.add_paragraph("{%p endif %}")


def _footer(doc: DocxDocument) -> None:
    footer = doc.sections[0].footer
    paragraph = footer.paragraphs[0]
    paragraph.style = doc.styles["Footer"]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    paragraph.add_run("Side ")
    paragraph._p.append(
        parse_xml(
            f'<w:fldSimple {nsdecls("w")} w:instr=" PAGE "><w:r><w:t>1</w:t></w:r></w:fldSimple>'
        )
    )


def _properties(doc: DocxDocument) -> None:
    props = doc.core_properties
    props.author = "followupdocs"
    props.title = "Opfølgning på budgetaftale"
    props.subject = ""
    props.keywords = ""
    props.comments = "Skabelon til followupdocs; se docs/templates.md."
    props.language = "da-DK"
    props.revision = 1
    from datetime import datetime, timezone

    fixed = datetime(2026, 1, 1, tzinfo=timezone.utc)
    props.created = props.modified = fixed
    props.last_modified_by = "followupdocs"


def _deterministic(doc: DocxDocument) -> bytes:
    """Save with fixed zip timestamps so the committed template only changes when it should."""
    raw = BytesIO()
    doc.save(raw)
    out = BytesIO()
    with zipfile.ZipFile(raw) as zin, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            info = copy.copy(item)
            info.date_time = (2026, 1, 1, 0, 0, 0)
            zout.writestr(info, zin.read(item.filename))
    return out.getvalue()
