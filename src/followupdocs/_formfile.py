"""Open a filled form: its followupdocs controls, or why it has none, in plain words."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

from docx.oxml import parse_xml

from ._docx.package import NotAPackageError, PackageError, read_package
from ._docx.readback import Control, controls, unnamed_controls, unnamed_fields
from ._errors import FormError

__all__ = ["controls_in", "unreadable"]

_NOT_A_FORM = "not a Word document (.docx); save the form as a Word document"


def controls_in(name: str) -> tuple[list[Control], int]:
    """Return the followupdocs controls of a form, and how many other controls it has.

    The other controls count only if one of them could be a form's field: a committee
    document's table of contents, or a rich-text control around a paragraph, is no form.
    """
    try:
        xml = read_package(Path(name), only="word/document.xml")["word/document.xml"]
    except NotAPackageError:
        raise FormError(_NOT_A_FORM) from None
    except PackageError as exc:  # a bomb, an encrypted or damaged part: refuse, naming it
        raise FormError(str(exc)) from None
    except FileNotFoundError:
        raise FormError("the file does not exist") from None
    except (zipfile.BadZipFile, KeyError):
        raise FormError(_NOT_A_FORM) from None
    except OSError as exc:
        raise FormError(f"cannot read the file ({exc.strerror or exc})") from None
    try:
        root = parse_xml(xml)
    except Exception as exc:  # lxml's XMLSyntaxError: a damaged document
        raise FormError(f"the document is damaged ({_xml_error(exc)})") from None
    if root.getroottree().docinfo.doctype:
        # Word never writes a DTD; its entities would be read as empty text, without a word.
        raise FormError(
            "word/document.xml holds a document type declaration (<!DOCTYPE>, entities), which "
            "Word never writes; open the form in Word and save it again"
        )
    found = controls(root)
    return found, unnamed_controls(root) if unnamed_fields(root) else 0


def _xml_error(exc: Exception) -> str:
    """Return lxml's complaint as one line with its place (its message may span lines)."""
    position = getattr(exc, "position", None)
    reason = re.sub(r"\s*, line \d+, column \d+$", "", str(getattr(exc, "msg", exc)))
    reason = " ".join(reason.split())
    if not position:
        return reason
    return f"word/document.xml, line {position[0]}, column {position[1]}: {reason}"


def unreadable(name: str, unnamed: int) -> str:
    """Say why a file with no field to read is not a form, naming the program that saved it."""
    if not unnamed:
        return "not a followupdocs form (it has no fields to read)"
    return (
        f"the form's {unnamed} fields have lost the names that tell which initiative they "
        f"answer ({_saved_by(name)} removed them); write the form again with followupdocs "
        "forms, which names its fields so they survive LibreOffice too, and copy the answers "
        "into it"
    )


def _saved_by(name: str) -> str:
    """Return the program that last saved a .docx, as its docProps/app.xml says."""
    try:  # within the same limits as the form's text: app.xml could be a bomb too
        root = parse_xml(read_package(Path(name), only="docProps/app.xml")["docProps/app.xml"])
    except Exception:  # no such part, or an unreadable one: say so rather than guess
        return "the program that last saved it"
    found = {child.tag.rpartition("}")[2]: (child.text or "").strip() for child in root}
    application = found.get("Application", "")
    if not application:
        return "the program that last saved it"
    # LibreOffice writes "LibreOffice/7.4.7.2$Linux_X86_64 LibreOffice_project/...".
    program = application.split("$")[0].replace("/", " ")
    if application.startswith("LibreOffice") or not found.get("AppVersion"):
        return program
    return f"{program} {found['AppVersion']}"
