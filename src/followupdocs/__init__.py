"""followupdocs: turn a budget agreement's follow-up into the committee's Word document.

Everything public is importable from here; the reference is docs/api.md in the source
(generated from these docstrings), and the README shows the common uses:

    agreement = followupdocs.load("aftale.yaml")
    followupdocs.render(agreement, "opfoelgning.docx", round=1)
"""

import importlib.metadata as _metadata

from ._collecting import Change, Collection, collect, update_yaml
from ._data import validate, validate_report
from ._errors import (
    AgreementError,
    AgreementWarning,
    DocumentError,
    FollowupError,
    OutputError,
    PdfError,
    Problem,
    ReadOnlyError,
    RoundError,
    TemplateProblemError,
)
from ._forms import FormError, form_bytes, write_forms
from ._importing import DocumentReading, read_document
from ._loading import LoadReport, load, load_report, loads, loads_report
from ._models import (
    Agreement,
    Economy,
    Field,
    FrozenMap,
    Initiative,
    Kind,
    Milestone,
    MissingSmiley,
    SimilarCentre,
    Smiley,
    Theme,
)
from ._output import to_pdf
from ._rendering import check_template, render, render_bytes, resolve_round

try:
    __version__ = _metadata.version("followupdocs")
except _metadata.PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0+unknown"

__all__ = [
    "Agreement",
    "AgreementError",
    "AgreementWarning",
    "Change",
    "Collection",
    "DocumentError",
    "DocumentReading",
    "Economy",
    "Field",
    "FollowupError",
    "FormError",
    "FrozenMap",
    "Initiative",
    "Kind",
    "LoadReport",
    "Milestone",
    "MissingSmiley",
    "OutputError",
    "PdfError",
    "Problem",
    "ReadOnlyError",
    "RoundError",
    "SimilarCentre",
    "Smiley",
    "TemplateProblemError",
    "Theme",
    "__version__",
    "check_template",
    "collect",
    "form_bytes",
    "load",
    "load_report",
    "loads",
    "loads_report",
    "read_document",
    "render",
    "render_bytes",
    "resolve_round",
    "to_pdf",
    "update_yaml",
    "validate",
    "validate_report",
    "write_forms",
]

# Public names say where to import them from: followupdocs.Agreement in reprs, tracebacks and
# the reference, not the private module that defines them (httpx does the same).
for _name in __all__:
    if not _name.startswith("__"):
        globals()[_name].__module__ = __name__
del _name
