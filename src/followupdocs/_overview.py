"""The overview after the reading guide: status per initiative, counts, and what got worse.

Everything here is derived from the same models as the cards, so the two always agree.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ._models import Agreement, Initiative, Smiley

__all__ = ["TREND_WORDS", "changes", "counts", "overview", "trend"]

ImageFactory = Callable[[str, Smiley, str], Any]

_RANK = {Smiley.RED: 1, Smiley.YELLOW: 2, Smiley.GREEN: 3}
# Words and arrows, so the trend reads without colour.
TREND_WORDS = {
    "better": "↑ Bedre",
    "same": "→ Uændret",
    "worse": "↓ Dårligere",
    "not_given": "Ikke givet",
    "first": "Første opfølgning",
}
SHORT_TITLE = 60


def trend(before: Smiley | None, now: Smiley | None) -> str:
    """Return better, same, worse or not_given; a missing smiley is never read as a colour."""
    if before is None or now is None:
        return "not_given"
    if _RANK[now] > _RANK[before]:
        return "better"
    return "same" if now is before else "worse"


def _short(title: str) -> str:
    if len(title) <= SHORT_TITLE:
        return title
    cut = title[: SHORT_TITLE - 1].rsplit(" ", 1)[0].rstrip(" -–,")
    return cut + "…"


def overview(agreement: Agreement, round: int, image: ImageFactory) -> dict[str, Any]:
    """Return the "Samlet status" table: rows grouped by theme, one smiley per round."""
    labels = list(agreement.rounds[:round])
    themes = []
    for theme in agreement.themes:
        rows = []
        for initiative in theme.initiatives:
            milestone_smileys = []
            for number, label in enumerate(labels, start=1):
                smiley = initiative.smiley_at(round=number)
                milestone_smileys.append(
                    "" if smiley is None else image("milestone", smiley, label)
                )
            economy = initiative.economy_smiley_at(round=round)
            key = trend(initiative.smiley_at(round=round - 1), initiative.smiley_at(round=round))
            rows.append({
                "number": initiative.number,
                "short_title": _short(initiative.title),
                "responsible_centre": initiative.responsible_centre,
                "smileys": milestone_smileys,
                "economy": "" if economy is None else image("economy", economy, labels[-1]),
                "trend": TREND_WORDS["first"] if round == 1 else TREND_WORDS[key],
                "trend_key": "first" if round == 1 else key,
            })  # fmt: skip
        themes.append({"number": theme.number, "title": theme.title, "rows": rows})
    return {"round_labels": labels, "themes": themes}


def counts(agreement: Agreement, round: int) -> list[dict[str, Any]]:
    """Return, for rounds 1..round, how many smileys of each colour the cards show."""
    result = []
    for number, label in enumerate(agreement.rounds[:round], start=1):
        tally = dict.fromkeys(
            ("green", "yellow", "red", "without", "economy_green", "economy_red",
             "economy_without"), 0,
        )  # fmt: skip
        for initiative in agreement.initiatives:
            milestone = initiative.milestone(round=number)
            if milestone.smiley is not None:
                tally[_COLOUR[milestone.smiley]] += 1
            elif milestone.text:
                tally["without"] += 1
            economy = initiative.economy_smiley_at(round=number)
            tally["economy_without" if economy is None else f"economy_{_COLOUR[economy]}"] += 1
        result.append({"round": number, "label": label, **tally})
    return result


_COLOUR = {Smiley.GREEN: "green", Smiley.YELLOW: "yellow", Smiley.RED: "red"}


def changes(agreement: Agreement, round: int) -> list[dict[str, Any]]:
    """Return the initiatives whose milestone or economy smiley got worse since round - 1."""
    if round < 2:
        return []
    result = []
    for initiative in agreement.initiatives:
        worse = _worse(initiative, round)
        if worse:
            result.append({
                "number": initiative.number,
                "title": initiative.title,
                "responsible_centre": initiative.responsible_centre,
                "what": worse,
                "status": initiative.status_at(round=round),
            })  # fmt: skip
    return result


def _worse(initiative: Initiative, round: int) -> str:
    parts = []
    before, now = initiative.smiley_at(round=round - 1), initiative.smiley_at(round=round)
    if trend(before, now) == "worse":
        assert before is not None and now is not None
        parts.append(f"Milepæl: {before.value} → {now.value}")
    before, now = (
        initiative.economy_smiley_at(round=round - 1),
        initiative.economy_smiley_at(round=round),
    )
    if trend(before, now) == "worse":
        assert before is not None and now is not None
        parts.append(f"Økonomi: {before.value} → {now.value}")
    return "; ".join(parts)
