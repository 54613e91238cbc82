"""Edit the default template the way Word stores a maintainer's edits.

Word does not keep a tag typed in one go in one run: every editing session gets a revision id
(rsid) on the runs it touched, the spelling checker wraps unknown words such as "endfor" in
proofing marks, and a run breaks wherever the formatting or the session changed. A template
check that only sees tidy one-run tags passes tests and fails maintainers, so the tests of
the check build their templates through `variant`, which applies an edit to a part's XML and
then scatters every tag over runs as Word does (`wordlike`).

Nothing here uses followupdocs' own code: the XML is rewritten with lxml directly.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Callable
from pathlib import Path

from lxml import etree

ROOT = Path(__file__).resolve().parent.parent
DEFAULT = ROOT / "templates" / "opfoelgning.docx"
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_RSIDS = ("00B31F2A", "004E7C19", "00D96A02", "0061C4B7")
# Where Word tends to break a typed tag: after the brace pairs and around words it flags.
_PIECES = re.compile(r"\{%-?|\{\{|-?%\}|\}\}|[A-Za-zæøåÆØÅ_]+|\s+|.", re.S)
_FLAGGED = re.compile(r"^(?:endfor|endif|tr|p|elif|endfr|[a-z]+_[a-z_]+)$")


def _w(name: str) -> str:
    return f"{{{W}}}{name}"


def _run(rpr: etree._Element | None, text: str, rsid: str) -> etree._Element:
    run = etree.Element(_w("r"))
    run.set(_w("rsidR"), rsid)
    if rpr is not None:
        run.append(etree.fromstring(etree.tostring(rpr)))
    t = etree.SubElement(run, _w("t"))
    t.text = text
    if text != text.strip():
        t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    return run


def _proof(kind: str) -> etree._Element:
    mark = etree.Element(_w("proofErr"))
    mark.set(_w("type"), kind)
    return mark


def _scatter(run: etree._Element, counter: list[int]) -> None:
    """Replace a run holding a tag by the runs, rsids and proofing marks Word would write."""
    texts = run.findall(_w("t"))
    if len(texts) != 1 or len(run) > 2 or not texts[0].text:
        return
    text = texts[0].text
    if "{" not in text and "}" not in text:
        return
    rpr = run.find(_w("rPr"))
    made: list[etree._Element] = []
    for piece in _PIECES.findall(text):
        counter[0] += 1
        rsid = _RSIDS[counter[0] % len(_RSIDS)]
        flagged = bool(_FLAGGED.match(piece))
        if flagged:
            made.append(_proof("spellStart"))
        made.append(_run(rpr, piece, rsid))
        if flagged:
            made.append(_proof("spellEnd"))
    parent = run.getparent()
    assert parent is not None
    at = parent.index(run)
    parent.remove(run)
    for offset, element in enumerate(made):
        parent.insert(at + offset, element)


def wordlike(xml: bytes) -> bytes:
    """Return a part's XML with every tag split over runs as Word stores it."""
    root = etree.fromstring(xml)
    counter = [0]
    for paragraph in root.iter(_w("p")):
        paragraph.set(_w("rsidR"), _RSIDS[len(paragraph) % len(_RSIDS)])
        paragraph.set(_w("rsidRDefault"), _RSIDS[0])
    for run in list(root.iter(_w("r"))):
        _scatter(run, counter)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


Edit = Callable[[str], str]


def variant(path: Path, edits: dict[str, Edit], source: Path = DEFAULT) -> Path:
    """Copy `source` to `path`, apply `edits` (part name -> text edit) and scatter every tag.

    Each edit must change its part, so a test cannot pass because its edit missed.
    Every word/*.xml part that holds a tag is scattered, edited or not.
    """
    with zipfile.ZipFile(source) as original, zipfile.ZipFile(path, "w") as out:
        for item in original.infolist():
            data = original.read(item.filename)
            edit = edits.get(item.filename)
            if edit is not None:
                text = data.decode("utf-8")
                edited = edit(text)
                assert edited != text, f"the edit of {item.filename} changed nothing"
                data = edited.encode("utf-8")
            name = item.filename
            if name.startswith("word/") and name.endswith(".xml") and b"{" in data:
                data = wordlike(data)
            out.writestr(item, data)
    missing = set(edits) - set(zipfile.ZipFile(source).namelist())
    assert not missing, f"no such part: {sorted(missing)}"
    return path


def replace(old: str, new: str, count: int = 1) -> Edit:
    """An edit replacing `old` (which must be there) by `new`, `count` times."""

    def edit(text: str) -> str:
        assert old in text, f"{old!r} is not in the part"
        return text.replace(old, new, count)

    return edit


if __name__ == "__main__":  # write the default template scattered, for a look in Word
    import sys

    print(variant(Path(sys.argv[1]), {}))
