"""Render an agreement into the committee's Word document."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from ._context import ALT_TEXT, build_context, document_title, sample_contexts
from ._docx.fill import default_template, fill
from ._errors import FollowupError, Problem, TemplateProblemError, template_problems
from ._models import Agreement
from ._output import write_atomic
from ._templatecheck import inspect_template

__all__ = [
    "TemplateCheck",
    "check_template",
    "render",
    "render_bytes",
    "resolve_round",
    "template_check",
]


@dataclass(frozen=True)
class TemplateCheck:
    """What checking a template found: problems stop a render, warnings do not."""

    problems: tuple[Problem, ...]
    warnings: tuple[Problem, ...]


def template_check(path: str | os.PathLike[str]) -> TemplateCheck:
    """Return the problems and the warnings of the Word template at `path`, as Problems."""
    report = inspect_template(Path(path))
    source = os.fspath(path)
    return TemplateCheck(
        template_problems(source, report.problems),
        template_problems(source, report.warnings, severity="warning"),
    )


def check_template(path: str | os.PathLike[str]) -> list[Problem]:
    """Return every problem of the Word template at `path`, each located in the document.

    Each is a `Problem`: `source` is `path`, `path` the place in the document ("table 3,
    row 4, cell 4 (...)"; "" where the whole file is meant), `line` and `column` None.
    """
    return list(template_check(path).problems)


def resolve_round(agreement: Agreement, *, round: int | None = None) -> int:
    """Return the round `render` uses: `round` if given and valid, else the latest with a smiley.

    The latest round with any smiley (milestone or economy), or 1 when none has one yet.
    Raise RoundError for a round the agreement does not have, or one that is not a number.
    """
    if round is None:
        return agreement.latest_round() or 1
    return agreement.check_round(round=round)


def render_bytes(
    agreement: Agreement,
    *,
    round: int | None = None,
    template: str | os.PathLike[str] | None = None,
    overview: bool = True,
) -> bytes:
    """Return the .docx bytes of `agreement` at follow-up `round`."""
    number = resolve_round(agreement, round=round)
    template_path = Path(template) if template is not None else default_template()
    if not template_path.is_file():
        raise TemplateProblemError(str(template_path), ["the template file does not exist"])
    title = document_title(agreement, number)
    properties = {
        "title": title,
        "subject": f"{agreement.name}, {agreement.committee}",
        "author": agreement.municipality,
        "last_modified_by": agreement.municipality,
        "keywords": agreement.round_label(round=number),
        "language": "da-DK",
        "category": "Opfølgning på budgetaftale",
    }
    try:
        rendered = fill(
            template_path,
            lambda image: build_context(agreement, number, image, overview=overview),
            properties,
            alt_text={(field, str(smiley)): text for (field, smiley), text in ALT_TEXT.items()},
            samples=sample_contexts,
        )
    except FollowupError:
        raise
    except (ValueError, KeyError, OSError) as exc:  # a template python-docx cannot read
        raise TemplateProblemError(str(template_path), [f"cannot use the template: {exc}"]) from exc
    return rendered.to_bytes()


def render(
    agreement: Agreement,
    output: str | os.PathLike[str],
    *,
    round: int | None = None,
    template: str | os.PathLike[str] | None = None,
    overview: bool = True,
) -> Path:
    """Render `agreement` at follow-up `round` into `output` and return its path.

    `round` defaults to the latest round with any smiley; `overview=False` leaves out the
    overview ("Samlet status", counts, changes). The file is replaced atomically: on any
    failure an existing `output` is left as it was.
    """
    data = render_bytes(agreement, round=round, template=template, overview=overview)
    return write_atomic(Path(output), data)
