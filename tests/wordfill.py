"""Fill a followupdocs form the way Word stores a filled content control.

Word removes w:showingPlcHdr from a control once something is typed or chosen, puts the text
in the content's runs (Enter in a multi-line plain-text control is a w:br), and for a
drop-down also records the chosen item's value in w:dropDownList/@w:lastValue.
"""

from __future__ import annotations

import shutil
import zipfile
from collections.abc import Callable, Mapping
from pathlib import Path

from lxml import etree

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = {"w": W}


def _w(name: str) -> str:
    return f"{{{W}}}{name}"


def edit_document(path: Path, change: Callable[[etree._Element], None]) -> Path:
    """Rewrite word/document.xml of the .docx at `path` with `change`, in place."""
    tmp = path.with_name(path.name + ".tmp")
    with zipfile.ZipFile(path) as zin, zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename == "word/document.xml":
                root = etree.fromstring(data)
                change(root)
                data = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
            zout.writestr(item, data)
    shutil.move(tmp, path)
    return path


def controls(root: etree._Element) -> dict[str, list[etree._Element]]:
    """Return the w:sdt elements by tag."""
    found: dict[str, list[etree._Element]] = {}
    for sdt in root.iter(_w("sdt")):
        tag = sdt.find("w:sdtPr/w:tag", NS)
        if tag is not None:
            found.setdefault(tag.get(_w("val")), []).append(sdt)
    return found


def tags(path: Path) -> list[str]:
    """Return the tags of every control in the form, in document order."""
    with zipfile.ZipFile(path) as z:
        root = etree.fromstring(z.read("word/document.xml"))
    return [t.get(_w("val")) for t in root.iter(_w("tag"))]


def _content(sdt: etree._Element, text: str) -> None:
    content = sdt.find("w:sdtContent", NS)
    for child in list(content):
        content.remove(child)
    run = etree.SubElement(content, _w("r"))
    for index, line in enumerate(text.split("\n")):
        if index:
            etree.SubElement(run, _w("br"))
        t = etree.SubElement(run, _w("t"))
        t.text = line
        t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")


def type_text(sdt: etree._Element, text: str) -> None:
    """Type `text` into a plain-text control, as Word stores it."""
    properties = sdt.find("w:sdtPr", NS)
    for flag in properties.findall("w:showingPlcHdr", NS):
        properties.remove(flag)
    _content(sdt, text)


def choose(sdt: etree._Element, display: str) -> None:
    """Choose the list item shown as `display` in a drop-down, as Word stores it."""
    properties = sdt.find("w:sdtPr", NS)
    for flag in properties.findall("w:showingPlcHdr", NS):
        properties.remove(flag)
    listing = properties.find("w:dropDownList", NS)
    item = next(i for i in listing.findall("w:listItem", NS) if i.get(_w("displayText")) == display)
    listing.set(_w("lastValue"), item.get(_w("value")))
    _content(sdt, display)


def show(sdt: etree._Element, text: str) -> None:
    """Make a control show `text` without Word's bookkeeping (another editor, or a hand edit)."""
    properties = sdt.find("w:sdtPr", NS)
    for flag in properties.findall("w:showingPlcHdr", NS):
        properties.remove(flag)
    _content(sdt, text)


def fill(path: Path, answers: Mapping[str, str]) -> Path:
    """Fill the controls tagged in `answers`: drop-downs by display text, texts as typed."""

    def change(root: etree._Element) -> None:
        found = controls(root)
        for tag, value in answers.items():
            for sdt in found[tag]:
                if sdt.find("w:sdtPr/w:dropDownList", NS) is not None:
                    choose(sdt, value)
                else:
                    type_text(sdt, value)

    return edit_document(path, change)
