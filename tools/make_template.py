"""Write templates/opfoelgning.docx, the default template, from followupdocs._docx.template_builder.

Run `python tools/make_template.py` after changing the builder and commit the .docx it writes.
"""

from __future__ import annotations

from pathlib import Path

from followupdocs._docx.template_builder import build

OUT = Path(__file__).resolve().parent.parent / "templates" / "opfoelgning.docx"


def main() -> None:
    """Write the template and print where."""
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_bytes(build())
    print(OUT)


if __name__ == "__main__":
    main()
