"""Write an agreement as a YAML file laid out the way `followupdocs new` writes one.

The same header, the same key order and the starter's comments on the first theme, initiative
and milestone; numbers in double quotes, texts plain where YAML keeps them as they are, quoted
where it would not, and texts with several lines as literal blocks. A value the document did not
give (the municipality, usually) is left empty with a note, so `validate` points at it.
"""

from __future__ import annotations

import yaml

from ._errors import FollowupError
from ._loading import loads
from ._models import Agreement, Initiative, Milestone
from ._yamledit import yaml_value

__all__ = ["agreement_yaml"]

_COLUMN = 38  # where the starter's comments start
_HEADER = """\
# Opfølgning på budgetaftale, indlæst fra {source} med followupdocs import.
# Ret filen til og kør
#   followupdocs validate <denne fil>
#   followupdocs render <denne fil> --pdf
# Tekster er tekst: citationstegn er kun nødvendige når en tekst indeholder ": " eller " #".
# En tom linje i en tekst (efter |) starter et nyt afsnit; "• " starter et punkt.
"""
_TOP = {
    "kommune": "navnet på kommunen",
    "aftale": "aftalen, som den står i titlen",
    "udvalg": "udvalget, dokumentet er til",
    "titel": "valgfri: erstatter den sammensatte titel",
    "opfølgninger": 'runderne i rækkefølge; teksten står i kolonnen "Tid"',
    "temaer": "temaerne i rækkefølge (overskrift 1)",
}
_THEME = {
    "nummer": "temaets nummer",
    "titel": "temaets titel (overskrift 1)",
    "indsatser": "temaets indsatser: ét kort pr. indsats",
}
_INITIATIVE = {
    "nummer": "indsatsens nummer, unikt i hele aftalen",
    "titel": "kortets titel",
    "type": "Drift, Anlæg eller Anlæg og drift",
    "aftaletekst": "hvad der er aftalt (venstre kolonne)",
    "ansvarligt_center": "centret, der svarer for indsatsen",
    "ansvarligt_udvalg": "udvalget, indsatsen hører under",
    "væsentlig_bidragsyder": "valgfri",
    "gennemførelse": "valgfri: hvordan indsatsen gennemføres",
    "milepæle": "nøgle = opfølgningens nummer (1 = første)",
    "økonomi": "indsatsens økonomi",
}
_MILESTONE = {
    "tekst": "milepælen: hvad der skal være nået",
    "status": "skrives ved opfølgningen",
    "smiley": "grøn, gul eller rød",
}
_BLOCKS = frozenset({"aftaletekst", "gennemførelse"})
_MISSING = "UDFYLD: stod ikke i dokumentet"


class _Lines:
    def __init__(self, comments: bool = True) -> None:
        self.lines: list[str] = []
        self.comments = comments

    def key(self, indent: int, key: str, value: str | None, note: str = "") -> None:
        """Add `key: value` (a block for texts with line breaks), with `note` as its comment."""
        pad = " " * indent
        if value is not None and key in _BLOCKS:
            value += "\n"  # a literal block, as the starter writes these; the loader strips it
        inline, block = ("", None) if value is None else yaml_value(value, indent + 2)
        if inline == "|-":  # the starter writes "|"; the loader strips the text either way
            inline = "|"
        line = f"{pad}{key}: {inline}".rstrip()
        self.lines.append(_commented(line, note if self.comments else ""))
        self.lines += block or []


def _commented(line: str, note: str) -> str:
    if not note:
        return line
    return (
        f"{line.ljust(_COLUMN - 1)} # {note}" if len(line) < _COLUMN - 1 else f"{line}   # {note}"
    )


def agreement_yaml(agreement: Agreement, source: str, missing: frozenset[str] = frozenset()) -> str:
    """Return `agreement` as YAML text; the top-level keys in `missing` are left empty, noted.

    The text is read back and must give `agreement` again, so a quoting slip is caught here
    and not by the secretariat.
    """
    text = _text(agreement, source, frozenset())
    if loads(text) != agreement:  # pragma: no cover - a defect in this module
        raise FollowupError("the YAML written for the document does not read back the same")
    return _text(agreement, source, missing) if missing else text


def _text(agreement: Agreement, source: str, missing: frozenset[str]) -> str:
    out = _Lines()
    out.lines += _HEADER.format(source=source.replace("\n", " ")).splitlines()
    for key, value in (
        ("kommune", agreement.municipality),
        ("aftale", agreement.name),
        ("udvalg", agreement.committee),
    ):
        if key in missing:
            out.key(0, key, None, f"{_MISSING}; {_TOP[key]}")
        else:
            out.key(0, key, value, _TOP[key])
    if agreement.title:
        out.key(0, "titel", agreement.title, _TOP["titel"])
    if agreement.reading_guide:
        out.key(0, "læsevejledning", agreement.reading_guide)
    out.key(0, "opfølgninger", None, _TOP["opfølgninger"])
    for label in agreement.rounds:
        inline, _ = yaml_value(label, 4)
        out.lines.append(f"  - {inline}")
    out.key(0, "temaer", None, _TOP["temaer"])
    for t, theme in enumerate(agreement.themes):
        out.comments = t == 0
        out.lines.append(
            _commented(f"  - nummer: {_quoted(theme.number)}", _THEME["nummer"] if t == 0 else "")
        )
        out.key(4, "titel", theme.title, _THEME["titel"])
        out.key(4, "indsatser", None, _THEME["indsatser"])
        for i, initiative in enumerate(theme.initiatives):
            out.comments = t == 0 and i == 0
            _initiative(out, initiative)
    return "\n".join(out.lines) + "\n"


def _quoted(number: str) -> str:
    return yaml.safe_dump(number, default_style='"', allow_unicode=True, width=2**31).strip()


def _initiative(out: _Lines, initiative: Initiative) -> None:
    first = out.comments
    out.lines.append(
        _commented(
            f"      - nummer: {_quoted(initiative.number)}", _INITIATIVE["nummer"] if first else ""
        )
    )
    for key, value in (
        ("titel", initiative.title),
        ("type", initiative.kind.value),
        ("aftaletekst", initiative.agreement_text),
        ("ansvarligt_center", initiative.responsible_centre),
        ("ansvarligt_udvalg", initiative.responsible_committee),
        ("væsentlig_bidragsyder", initiative.main_contributor),
        ("gennemførelse", initiative.implementation),
    ):
        if value or key in ("titel", "type", "ansvarligt_center", "ansvarligt_udvalg"):
            out.key(8, key, value, _INITIATIVE[key])
    if initiative.milestones:
        out.key(8, "milepæle", None, _INITIATIVE["milepæle"])
        for number, milestone in sorted(initiative.milestones.items()):
            out.key(10, str(number), None)
            _milestone(out, milestone)
            out.comments = False  # the starter notes the first milestone only
    out.comments = first
    economy = initiative.economy
    if economy.text or economy.smileys:
        out.key(8, "økonomi", None, _INITIATIVE["økonomi"])
        if economy.text:
            out.key(10, "tekst", economy.text)
        if economy.smileys:
            out.key(10, "smiley", None, "én pr. opfølgning: grøn eller rød")
            for number, smiley in sorted(economy.smileys.items()):
                out.key(12, str(number), str(smiley))


def _milestone(out: _Lines, milestone: Milestone) -> None:
    if milestone.text:
        out.key(12, "tekst", milestone.text, _MILESTONE["tekst"])
    if milestone.status:
        out.key(12, "status", milestone.status, _MILESTONE["status"])
    if milestone.smiley is not None:
        out.key(12, "smiley", str(milestone.smiley), _MILESTONE["smiley"])
