"""The exceptions followupdocs raises; every message is meant for the person who must act on it."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Literal


@dataclass(frozen=True)
class Problem:
    """One located problem in an agreement file or in agreement data.

    `path` is the field as a person reads it ("temaer[1].indsatser[0].type"); `location` is
    the same as a tuple of keys and indexes, spelled as the input spelled them (Danish YAML
    keys, or the English names when Python data used those). `severity` is "error" or
    "warning": a warning does not stop rendering.
    """

    source: str
    line: int | None
    column: int | None
    path: str
    message: str
    location: tuple[str | int, ...] = ()
    severity: Literal["error", "warning"] = "error"

    def __str__(self) -> str:
        where = self.source
        if self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        return f"{where}: {self.path}: {self.message}" if self.path else f"{where}: {self.message}"


class FollowupError(Exception):
    """Base class of every error followupdocs raises on purpose."""


class AgreementError(FollowupError, ValueError):
    """The agreement file is not valid; `problems` lists every problem found."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems = tuple(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


class AgreementWarning(UserWarning):
    """Deprecated: no longer issued; kept so code that filters it still imports.

    Warnings are data now: `load_report`, `loads_report` and `validate_report` return them as
    `Problem`s with severity "warning", which threads can read safely (warnings.warn and
    catch_warnings are process-wide).
    """


class TemplateProblemError(FollowupError):
    """The Word template cannot be used; `problems` says where in the document and why.

    Each problem is a `Problem` whose `source` is the template, `path` the place in the
    document ("table 3, row 4, cell 4 (...)", "" where the whole file is meant) and `line`
    and `column` None.
    """

    def __init__(self, template: str, problems: Sequence[str | Problem]) -> None:
        self.template = str(template)
        self.problems = template_problems(self.template, problems)
        super().__init__("\n".join(str(p) for p in self.problems))


# Where the Word layer says a template problem is: a paragraph or table cell (with the text it
# quotes), after "near" and a part's name; or a part alone, "the document's text (word/...)".
_PLACE = re.compile(
    r'((?:near )?(?:[^:"]*?, )?(?:paragraph|table) \d+(?:, row \d+)?(?:, cell \d+)?'
    r'(?: \(".*?"\))?|[^:"]*\([^():"]+\.(?:xml|rels)\)): (.*)',
    re.DOTALL,
)


def template_problems(
    template: str,
    problems: Sequence[str | Problem],
    severity: Literal["error", "warning"] = "error",
) -> tuple[Problem, ...]:
    """Return the Word layer's located texts as Problems of `template`, their place the path.

    `str()` of each gives "<template>: <text>", the line the command line has always printed.
    """
    found = []
    for problem in problems:
        if isinstance(problem, Problem):
            found.append(replace(problem, source=template))
            continue
        place = _PLACE.fullmatch(problem)
        path, message = (place.group(1), place.group(2)) if place else ("", problem)
        found.append(Problem(template, None, None, path, message, severity=severity))
    return tuple(found)


class DocumentError(FollowupError, ValueError):
    """A follow-up document cannot be read at all; `problems` says where and why.

    Raised when the file is no Word document or holds no card that could be read; problems
    with single cards are returned with the reading instead.
    """

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems = tuple(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


class FormError(FollowupError, ValueError):
    """A form cannot be written or read, or the YAML cannot be updated safely."""


class ReadOnlyError(FollowupError, AttributeError):
    """A model was changed in place; agreements are immutable, so build a new one."""


class RoundError(FollowupError, ValueError):
    """A follow-up round number outside the agreement's rounds."""


class OutputError(FollowupError, OSError):
    """The output file could not be written; the previous file, if any, is untouched."""


class PdfError(FollowupError):
    """LibreOffice is missing or failed to convert the document to PDF."""
