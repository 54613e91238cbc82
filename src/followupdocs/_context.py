"""Build the plain context the Word template receives: dicts, lists, text and smiley images.

All model logic lives here, so the template only lays out what it is given.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from . import _overview
from ._models import Agreement, Initiative, Smiley
from ._overview import ImageFactory
from ._starter import sample_agreement

__all__ = [
    "ALT_TEXT",
    "build_context",
    "document_title",
    "paragraphs",
    "reading_guide",
    "sample_contexts",
]

# Alt text of every smiley image, in the reading guide's own words (kept short for screen readers).
ALT_TEXT: Mapping[tuple[str, Smiley], str] = {
    ("milestone", Smiley.GREEN): "Grøn smiley: milepælen er opfyldt",
    ("milestone", Smiley.YELLOW): "Gul smiley: milepælen er ikke fuldt opfyldt, men målet for "
    "året er fortsat realistisk",
    ("milestone", Smiley.RED): "Rød smiley: milepælen er ikke opfyldt, og målet er ikke "
    "realistisk inden for perioden",
    ("economy", Smiley.GREEN): "Grøn smiley: budgettet er overholdt",
    ("economy", Smiley.RED): "Rød smiley: budgettet er ikke overholdt",
}

_ORDINALS = (
    "Første",
    "Anden",
    "Tredje",
    "Fjerde",
    "Femte",
    "Sjette",
    "Syvende",
    "Ottende",
    "Niende",
    "Tiende",
)
_COUNTS = ("én", "to", "tre", "fire", "fem", "seks", "syv", "otte", "ni", "ti")
_MONTHS = (
    "januar",
    "februar",
    "marts",
    "april",
    "maj",
    "juni",
    "juli",
    "august",
    "september",
    "oktober",
    "november",
    "december",
)
_BULLET = re.compile(r"^[•●▪◦·]\s*")
_NUMBER = re.compile(r"^(\d{1,3})[.)]\s+")


def build_context(
    agreement: Agreement, round: int, image: ImageFactory, *, overview: bool = True
) -> dict[str, Any]:
    """Return the template context for `agreement` as it stood at follow-up `round`.

    `image` makes the object the template inserts as a smiley image; rounds after `round` show
    their planned milestone text and no smiley or status. With `overview` false the overview
    parts are None and the template leaves them out.
    """
    agreement.check_round(round=round)
    smileys = {key: image(*key, "") for key in ALT_TEXT}
    return {
        "title": document_title(agreement, round),
        "municipality": agreement.municipality,
        "agreement": agreement.name,
        "committee": agreement.committee,
        "round": round,
        "round_label": agreement.round_label(round=round),
        "rounds": list(agreement.rounds),
        "reading_guide": reading_guide(agreement),
        "smileys": {
            "green": smileys[("milestone", Smiley.GREEN)],
            "yellow": smileys[("milestone", Smiley.YELLOW)],
            "red": smileys[("milestone", Smiley.RED)],
            "economy_green": smileys[("economy", Smiley.GREEN)],
            "economy_red": smileys[("economy", Smiley.RED)],
        },
        "themes": [
            {
                "number": theme.number,
                "title": theme.title,
                "cards": [
                    _card(agreement, initiative, round, smileys) for initiative in theme.initiatives
                ],
            }
            for theme in agreement.themes
        ],
        "overview": _overview.overview(agreement, round, image) if overview else None,
        "counts": _overview.counts(agreement, round) if overview else None,
        "changes": (
            [
                {**change, "status": paragraphs(change["status"])}
                for change in _overview.changes(agreement, round)
            ]
            if overview and round > 1
            else None
        ),
    }


def _card(
    agreement: Agreement,
    initiative: Initiative,
    round: int,
    smileys: Mapping[tuple[str, Smiley], Any],
) -> dict[str, Any]:
    milestones = []
    for number, label in enumerate(agreement.rounds, start=1):
        milestone = initiative.milestone(round=number)
        shown = number <= round  # a later round's status and smiley do not exist yet
        milestones.append(
            {
                "round": number,
                "label": label,
                "text": paragraphs(milestone.text),
                "status": paragraphs(milestone.status) if shown and milestone.status else [],
                "smiley": _image(smileys, "milestone", milestone.smiley if shown else None),
            }
        )
    economy = initiative.economy_smiley_at(round=round)
    return {
        "number": initiative.number,
        "title": initiative.title,
        "kind": initiative.kind.value,
        "agreement_text": paragraphs(initiative.agreement_text),
        "responsible_centre": initiative.responsible_centre,
        "responsible_committee": initiative.responsible_committee,
        "main_contributor": initiative.main_contributor,
        "implementation": paragraphs(initiative.implementation),
        "milestones": milestones,
        "economy": {
            "text": paragraphs(initiative.economy.text),
            "smiley": _image(smileys, "economy", economy),
        },
    }


def _image(smileys: Mapping[tuple[str, Smiley], Any], field: str, smiley: Smiley | None) -> Any:
    return "" if smiley is None else smileys[(field, smiley)]


def paragraphs(text: str) -> list[dict[str, str]]:
    """Split a text into paragraphs: a blank line starts a new one, "• " a bullet.

    A block of points numbered 1., 2., 3., ... becomes a numbered list; points numbered any
    other way keep their numbers as text, so nothing the author wrote is renumbered. Lines
    within a paragraph are joined with a space. An empty text gives one empty paragraph,
    because a table cell must hold at least one.
    """
    result: list[dict[str, str]] = []
    fresh = True  # at the start of the text or after a blank line
    for line in text.split("\n"):
        line = line.strip()
        if not line:
            fresh = True
            continue
        bullet = _BULLET.match(line)
        number = _NUMBER.match(line) if fresh or _continues_list(result) else None
        if bullet and len(line) > bullet.end():
            result.append({"kind": "bullet", "text": line[bullet.end() :]})
        elif number:
            result.append({"kind": "number", "text": line, "start": number.group(1)})
        elif fresh or not result:
            result.append({"kind": "normal", "text": line})
        else:
            result[-1]["text"] += " " + line
        fresh = False
    _settle_numbers(result)
    return result or [{"kind": "normal", "text": ""}]


def _continues_list(result: list[dict[str, str]]) -> bool:
    return bool(result) and result[-1]["kind"] == "number"


def _settle_numbers(result: list[dict[str, str]]) -> None:
    """Make runs numbered 1..n real lists (number dropped from the text); others plain text."""
    i = 0
    while i < len(result):
        if result[i]["kind"] != "number":
            i += 1
            continue
        j = i
        while j < len(result) and result[j]["kind"] == "number":
            j += 1
        run = result[i:j]
        counted = all(p["start"] == str(n) for n, p in enumerate(run, start=1))
        for para in run:
            del para["start"]
            if counted:
                para["text"] = _NUMBER.sub("", para["text"], count=1)
            else:
                para["kind"] = "normal"
        i = j


def document_title(agreement: Agreement, round: int) -> str:
    """Return the title for `round`: "Første opfølgning på Aftale om budget 2018 på ..."."""
    if agreement.title:
        return agreement.title
    last = len(agreement.rounds)
    if round == last and last > 1:
        ordinal = "Endelig"
    elif round <= len(_ORDINALS):
        ordinal = _ORDINALS[round - 1]
    else:
        ordinal = f"{round}."
    return f"{ordinal} opfølgning på {agreement.name} på {_genitive(agreement.committee)} område"


def _genitive(name: str) -> str:
    return name + ("'" if name[-1:].lower() in "sxz" else "s")


def reading_guide(agreement: Agreement) -> list[dict[str, str]]:
    """Return the reading guide's introduction as paragraphs, like any other text."""
    if agreement.reading_guide:
        return paragraphs(agreement.reading_guide)
    count = len(agreement.rounds)
    times = _COUNTS[count - 1] if count <= len(_COUNTS) else str(count)
    default = [
        f"Opfølgningen på {agreement.name} sker ved, at der gives smileys, på henholdsvis indsats "
        f"og økonomi. Der følges op på aftalen {times} gang{'e' if count > 1 else ''} årligt. "
        f"Dette sker i forbindelse med {_occasions(agreement.rounds)}. Denne læsevejledning "
        "skal skabe klarhed over, hvordan de indsatte smileys skal forstås.",
        "Status på indsats gives ved at følge op på de opsatte milepæle ved "
        "budgetopfølgningerne. Milepæle er de nødvendige skridt, der skal tages for at nå frem "
        "til det endelige mål, som vil være det pågældende delelement i budgetaftalen.",
        "Er milepælen fx at der skal være udarbejdet en analyse, følges der op på, om analysen "
        "er udarbejdet og er den udarbejdet gives en glad smiley. Dertil vil analysen blive "
        "behandlet på pågældende fagudvalg.",
    ]
    return [{"kind": "normal", "text": text} for text in default]


def _occasions(labels: Sequence[str]) -> str:
    """Describe the rounds as the seed does: "de tre budgetopfølgninger samt en endelig ..."."""
    *follow_ups, last = labels
    date = re.fullmatch(r"(\d{1,2})\.(\d{1,2})\.(\d{4})", last.strip())
    if date and follow_ups and all("budgetopfølgning" in label for label in follow_ups):
        day, month, year = (int(part) for part in date.groups())
        if 1 <= month <= 12:
            n = len(follow_ups)
            many = (
                f"de {_COUNTS[n - 1]} budgetopfølgninger"
                if 1 < n <= 10
                else ("budgetopfølgningen" if n == 1 else f"de {n} budgetopfølgninger")
            )
            return f"{many} samt en endelig opfølgning pr. {day}. {_MONTHS[month - 1]} {year}"
    if len(labels) == 1:
        return labels[0]
    return ", ".join(labels[:-1]) + " og " + labels[-1]


def sample_contexts(image: Callable[..., Any]) -> list[dict[str, Any]]:
    """Return the context of the sample agreement at every round: what a template is checked on."""
    agreement = sample_agreement()
    return [build_context(agreement, r, image) for r in range(1, len(agreement.rounds) + 1)]
