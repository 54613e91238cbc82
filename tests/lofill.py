"""Fill a form in LibreOffice through UNO, as a person would, and save it as .docx.

Run with a Python that has LibreOffice's `uno` module (Debian: /usr/bin/python3 with
python3-uno): lofill.py PROFILE_DIR IN.docx OUT.docx EDITS_JSON. EDITS_JSON is a list of
{"find": text, "nth": n, "text": new} (replace the n-th occurrence of a text, a newline in
`new` typed as Enter) and {"dropdown": n, "text": shown} (choose in the n-th drop-down).
"""

import contextlib
import json
import os
import subprocess
import sys
import time

import uno
from com.sun.star.beans import PropertyValue
from com.sun.star.text.ControlCharacter import LINE_BREAK, PARAGRAPH_BREAK


def prop(name, value):
    p = PropertyValue()
    p.Name = name
    p.Value = value
    return p


def connect(profile):
    pipe = f"lofill{os.getpid()}"
    proc = subprocess.Popen(
        [
            "soffice",
            "--headless",
            "--invisible",
            "--norestore",
            "--nologo",
            "-env:UserInstallation=" + uno.systemPathToFileUrl(os.path.abspath(profile)),
            f"--accept=pipe,name={pipe};urp;",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext(
        "com.sun.star.bridge.UnoUrlResolver", local
    )
    for _ in range(600):
        try:
            ctx = resolver.resolve(f"uno:pipe,name={pipe};urp;StarOffice.ComponentContext")
            return proc, ctx
        except Exception:
            if proc.poll() is not None:
                raise SystemExit("LibreOffice stopped before it accepted a connection") from None
            time.sleep(0.1)
    proc.kill()
    raise SystemExit("LibreOffice did not accept a connection")


def dropdowns(text):
    """Yield the drop-down content controls of `text`, tables included, in document order."""
    paragraphs = text.createEnumeration()
    while paragraphs.hasMoreElements():
        paragraph = paragraphs.nextElement()
        if paragraph.supportsService("com.sun.star.text.TextTable"):
            for name in sorted_cells(paragraph):
                yield from dropdowns(paragraph.getCellByName(name))
            continue
        portions = paragraph.createEnumeration()
        while portions.hasMoreElements():
            portion = portions.nextElement()
            if portion.TextPortionType == "ContentControl" and len(
                portion.ContentControl.ListItems
            ):
                yield portion.ContentControl


def sorted_cells(table):
    return list(table.getCellNames())


def type_text(text, cursor, value, shift):
    for index, line in enumerate(value.split("\n")):
        if index:
            text.insertControlCharacter(cursor, LINE_BREAK if shift else PARAGRAPH_BREAK, False)
        text.insertString(cursor, line, False)


def main(profile, source, target, edits):
    proc, ctx = connect(profile)
    try:
        desktop = ctx.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", ctx)
        doc = desktop.loadComponentFromURL(
            uno.systemPathToFileUrl(os.path.abspath(source)), "_blank", 0, (prop("Hidden", True),)
        )
        controls = list(dropdowns(doc.Text))
        for edit in edits:
            search = doc.createSearchDescriptor()
            search.SearchString = edit["find"]
            found = doc.findAll(search).getByIndex(edit["nth"])
            found.setString("")
            cursor = found.getText().createTextCursorByRange(found)
            type_text(found.getText(), cursor, edit["text"], edit.get("shift", False))
            if "dropdown" in edit:
                controls[edit["dropdown"]].ShowingPlaceHolder = False
        doc.storeToURL(
            uno.systemPathToFileUrl(os.path.abspath(target)),
            (prop("FilterName", "MS Word 2007 XML"),),
        )
        doc.close(True)
    finally:
        with contextlib.suppress(Exception):  # LibreOffice may already be gone
            desktop.terminate()
        try:
            proc.wait(timeout=60)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], sys.argv[3], json.loads(sys.argv[4]))
