"""The public API is what `__init__` exports, and docs/api.md documents all of it."""

from __future__ import annotations

import copy
import importlib.util
import inspect
import pickle
import types
from pathlib import Path

import pytest

import followupdocs
from helpers import ROOT


def _make_api_docs() -> types.ModuleType:
    """Import tools/make_api_docs.py as a module."""
    spec = importlib.util.spec_from_file_location("make_api_docs", ROOT / "tools/make_api_docs.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_reference_is_current() -> None:
    committed = (ROOT / "docs" / "api.md").read_text(encoding="utf-8")
    assert committed == _make_api_docs().build(), "run: python tools/make_api_docs.py"


def test_every_public_name_is_documented() -> None:
    reference = (ROOT / "docs" / "api.md").read_text(encoding="utf-8")
    for name in followupdocs.__all__:
        if name.startswith("__"):
            continue
        assert inspect.getdoc(getattr(followupdocs, name)), name
        assert f"`{name}" in reference, name


def test_the_top_level_holds_only_the_api() -> None:
    public = {
        name
        for name, value in vars(followupdocs).items()
        if not name.startswith("_") and not isinstance(value, types.ModuleType)
    }
    assert public == {name for name in followupdocs.__all__ if not name.startswith("__")}
    assert not {"write_atomic", "version", "PackageNotFoundError"} & set(dir(followupdocs))


def test_every_module_but_the_command_line_is_private() -> None:
    import followupdocs.cli

    package = Path(followupdocs.__file__).parent
    public_files = {  # a module inside a private package (_docx/) is private too
        path.stem
        for path in package.rglob("*.py")
        if not any(part.startswith("_") for part in path.relative_to(package).parts)
    }
    assert public_files == {"cli"}
    modules = {
        name for name, value in vars(followupdocs).items() if isinstance(value, types.ModuleType)
    }
    assert {name for name in modules if not name.startswith("_")} == {"cli"}
    assert followupdocs.cli.__all__ == ["main"]


def test_public_names_say_they_live_in_followupdocs() -> None:
    for name in followupdocs.__all__:
        if not name.startswith("__"):
            assert getattr(followupdocs, name).__module__ == "followupdocs", name
    assert repr(followupdocs.Agreement) == "<class 'followupdocs.Agreement'>"


def test_an_agreement_survives_pickling_and_copying() -> None:
    agreement = followupdocs.load(ROOT / "examples" / "oekonomiudvalget-2018.yaml")
    again = pickle.loads(pickle.dumps(agreement))
    assert again == agreement
    assert hash(again) == hash(agreement)
    assert copy.deepcopy(agreement) == agreement
    assert isinstance(again.themes[0].initiatives[0].milestones, followupdocs.FrozenMap)
    with pytest.raises(followupdocs.ReadOnlyError):
        again.themes[0].initiatives[0].milestones[9] = followupdocs.Milestone()  # type: ignore[index]
