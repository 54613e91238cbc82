"""What a follow-up document shows of an agreement: what reading it back can give.

Shared by the round-trip tests and by comparisons of a committee document with its YAML.
"""

from __future__ import annotations

from ._context import paragraphs
from ._docx.cardreader import yaml_text
from ._docx.wordread import Para
from ._models import Agreement, Economy, FrozenMap, Milestone

__all__ = ["shown", "shown_text"]


def shown(agreement: Agreement, round: int) -> Agreement:
    """Return `agreement` as a document for `round` shows it: what reading it back can give.

    Statuses and smileys after `round` are not shown, nor economy smileys of other rounds;
    texts compare as the document shows their paragraphs.
    """
    themes = []
    for theme in agreement.themes:
        initiatives = []
        for initiative in theme.initiatives:
            milestones = {}
            for number, milestone in initiative.milestones.items():
                kept = Milestone(
                    text=shown_text(milestone.text),
                    status=shown_text(milestone.status) if number <= round else "",
                    smiley=milestone.smiley if number <= round else None,
                )
                if kept != Milestone():
                    milestones[number] = kept
            economy = initiative.economy_smiley_at(round=round)
            initiatives.append(
                initiative.model_copy(
                    update={
                        "agreement_text": shown_text(initiative.agreement_text),
                        "implementation": shown_text(initiative.implementation),
                        "milestones": FrozenMap(milestones),
                        "economy": Economy(
                            text=shown_text(initiative.economy.text),
                            smileys={round: economy} if economy else {},
                        ),
                    }
                )
            )
        themes.append(theme.model_copy(update={"initiatives": tuple(initiatives)}))
    return agreement.model_copy(update={"themes": tuple(themes)})


def shown_text(text: str) -> str:
    """Return a text the way reading its rendered paragraphs back writes it."""
    return yaml_text(
        [Para(p["text"], p["kind"] if p["kind"] != "normal" else "", "", None)
         for p in paragraphs(text)]
    )  # fmt: skip
