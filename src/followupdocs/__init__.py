"""followupdocs: turn a budget agreement's follow-up into the committee's Word document.

Everything public is importable from here; the reference is docs/api.md in the source
(generated from these docstrings), and the README shows the common uses:

    agreement = followupdocs.load("aftale.yaml")
    followupdocs.render(agreement, "opfoelgning.docx", round=1)
"""

import importlib.metadata as _metadata

from ._data import validate
from ._templatecheck import check_template
from .collecting import Change, Collection, collect, update_yaml
from .errors import (
    AgreementError,
    AgreementWarning,
    FollowupError,
    OutputError,
    PdfError,
    Problem,
    ReadOnlyError,
    RoundError,
    TemplateProblemError,
)
from .forms import FormError, form_bytes, write_forms
from .loading import load, loads
from .models import (
    Agreement,
    Economy,
    FrozenMap,
    Initiative,
    Kind,
    Milestone,
    MissingSmiley,
    SimilarCentre,
    Smiley,
    Theme,
)
from .output import to_pdf
from .rendering import render, render_bytes, resolve_round

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
    "Economy",
    "FollowupError",
    "FormError",
    "FrozenMap",
    "Initiative",
    "Kind",
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
    "loads",
    "render",
    "render_bytes",
    "resolve_round",
    "to_pdf",
    "update_yaml",
    "validate",
    "write_forms",
]
