"""The checklist the secretariat sends out before a follow-up: missing smileys by centre."""

from __future__ import annotations

from ._models import Agreement, MissingSmiley

__all__ = ["checklist", "plural"]


def plural(count: int, word: str, many: str | None = None) -> str:
    """Return "1 theme" or "3 themes"."""
    return f"{count} {word if count == 1 else (many or word + 's')}"


def checklist(agreement: Agreement, round: int) -> str:
    """Return what is missing at `round`, grouped by responsible centre, as plain text."""
    label = agreement.round_label(round=round)
    missing = agreement.missing(round=round)
    if not missing:
        return f"Nothing is missing at round {round} ({label}).\n"
    by_centre: dict[str, list[MissingSmiley]] = {}
    for item in missing:
        by_centre.setdefault(item.initiative.responsible_centre, []).append(item)
    lines = [
        f"Missing at round {round} ({label}): {plural(len(missing), 'smiley')} "
        f"from {plural(len(by_centre), 'responsible centre')}",
    ]
    for centre in sorted(by_centre, key=str.casefold):
        items = by_centre[centre]
        lines += ["", f"{centre} ({len(items)})"]
        for item in items:
            what = "milestone smiley" if item.field == "milestone" else "economy smiley"
            lines.append(f"  {item.initiative.number} {item.initiative.title}: {what}")
    return "\n".join(lines) + "\n"
