"""The commented starter file `followupdocs new` writes."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from ._models import Agreement

__all__ = ["STARTER", "sample_agreement"]

STARTER = """\
# Opfølgning på budgetaftale: udfyld filen og kør
#   followupdocs validate <denne fil>
#   followupdocs render <denne fil> --pdf
# Tekster er tekst: citationstegn er kun nødvendige når en tekst indeholder ": " eller " #".
# En tom linje i en tekst (efter |) starter et nyt afsnit; "• " starter et punkt.
kommune: Ballerup Kommune             # navnet på kommunen
aftale: Aftale om budget 2026         # aftalen, som den står i titlen
udvalg: Teknik- og Miljøudvalget       # udvalget, dokumentet er til
# titel: Første opfølgning på ...     # valgfri: erstatter den sammensatte titel
# læsevejledning: |                   # valgfri: erstatter læsevejledningens indledning
#   Egen tekst ...
opfølgninger:                         # runderne i rækkefølge; teksten står i kolonnen "Tid"
  - 1. budgetopfølgning 2026
  - 2. budgetopfølgning 2026
  - 3. budgetopfølgning 2026
  - 31.12.2026
temaer:                               # temaerne i rækkefølge (overskrift 1)
  - nummer: "1"                       # temaets nummer
    titel: Grøn omstilling            # temaets titel (overskrift 1)
    indsatser:                        # temaets indsatser: ét kort pr. indsats
      - nummer: "1.01"                # indsatsens nummer, unikt i hele aftalen
        titel: Flere ladestandere      # kortets titel
        type: Anlæg                   # Drift, Anlæg eller Anlæg og drift
        aftaletekst: |                # hvad der er aftalt (venstre kolonne)
          Parterne er enige om at etablere flere offentlige ladestandere.

          • 20 nye ladestandere i 2026
          • Placering aftales med grundejerne
        ansvarligt_center: By og Miljø      # centret, der svarer for indsatsen
        ansvarligt_udvalg: Teknik- og Miljøudvalget   # udvalget, indsatsen hører under
        væsentlig_bidragsyder: Ejendomme   # valgfri
        gennemførelse: |              # valgfri: hvordan indsatsen gennemføres
          Standerne udbydes i ét samlet udbud.
        milepæle:                     # nøgle = opfølgningens nummer (1 = første)
          1:
            tekst: Udbuddet er offentliggjort.   # milepælen: hvad der skal være nået
            status: Udbuddet blev offentliggjort i marts.   # skrives ved opfølgningen
            smiley: grøn              # grøn, gul eller rød
          2:
            tekst: Kontrakt er indgået.
          4:
            tekst: 20 ladestandere er i drift.
        økonomi:                      # indsatsens økonomi
          tekst: Der er afsat 2,0 mio. kr. i 2026.
          smiley:                     # én pr. opfølgning: grøn eller rød
            1: grøn
  - nummer: "2"
    titel: Borgerservice
    indsatser:
      - nummer: "2.01"
        titel: Digital selvbetjening
        type: Drift
        ansvarligt_center: Borgerservice
        ansvarligt_udvalg: Økonomiudvalget
        milepæle:
          1:
            tekst: Behovet er kortlagt.
"""


def _initiative(number: str, title: str, kind: str, centre: str, rounds: int) -> dict[str, Any]:
    colours = ("grøn", "rød")
    return {
        "number": number,
        "title": title,
        "kind": kind,
        "agreement_text": "Aftalt.\n\n• Et punkt\n1. Et nummer",
        "responsible_centre": centre,
        "responsible_committee": "Økonomiudvalget",
        "main_contributor": "Ejendomme",
        "implementation": "Sådan.",
        "milestones": {
            r: {"text": "Milepæl", "status": "Status", "smiley": colours[(r + 1) % 2]}
            for r in range(1, rounds + 1)
        },
        "economy": {
            "text": "Økonomi",
            "smileys": {r: colours[(r + 1) % 2] for r in range(1, rounds + 1)},
        },
    }


@lru_cache(maxsize=1)
def sample_agreement() -> Agreement:
    """Return an agreement that exercises every part of the context.

    Built from the models, not parsed: a smiley, a status and a change for the worse in every
    round, so every list in the context has elements whose shape the template check can see.
    """
    rounds = [f"{r}. budgetopfølgning 2026" for r in (1, 2, 3)] + ["31.12.2026"]
    themes = [
        {
            "number": "1",
            "title": "Grøn omstilling",
            "initiatives": [_initiative("1.01", "Ladestandere", "Anlæg", "By og Miljø", 4)],
        },
        {
            "number": "2",
            "title": "Borgerservice",
            "initiatives": [_initiative("2.01", "Selvbetjening", "Drift", "Borgerservice", 4)],
        },
    ]
    return Agreement.model_validate(
        {
            "municipality": "Ballerup Kommune",
            "name": "Aftale om budget 2026",
            "committee": "Økonomiudvalget",
            "rounds": rounds,
            "themes": themes,
        }
    )
