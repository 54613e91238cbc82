"""The template ships on every OS: no symlinks, a wheel that renders, an sdist that tests."""

from __future__ import annotations

import os
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path

import pytest

from helpers import EXAMPLE, ROOT

TEMPLATE = "followupdocs/templates/opfoelgning.docx"


def _build(target: str, out: Path) -> Path:
    """Build the wheel or the sdist from the source tree with hatchling, offline."""
    subprocess.run(
        [sys.executable, "-m", "hatchling", "build", "-t", target, "-d", str(out)],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    [built] = out.glob("*.whl" if target == "wheel" else "*.tar.gz")
    return built


def _python(code: str, path: Path, cwd: Path) -> str:
    """Run `code` with `path` first on sys.path, as if the package were installed from there."""
    env = {**os.environ, "PYTHONPATH": str(path), "PYTHONSAFEPATH": "1"}
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=cwd, env=env, capture_output=True, text=True, check=True
    )
    return done.stdout


def test_the_repository_holds_no_symlinks() -> None:
    """A clone without symlinks (Windows' default) must lose nothing."""
    if not (ROOT / ".git").exists():
        pytest.skip("not a git checkout (an sdist): the wheel test below covers it")
    listed = subprocess.run(
        ["git", "ls-files", "-s"], cwd=ROOT, check=True, capture_output=True, text=True
    ).stdout
    assert [line for line in listed.splitlines() if line.startswith("120000")] == []


def test_the_wheel_has_the_template_and_renders(tmp_path: Path) -> None:
    wheel = _build("wheel", tmp_path / "dist")
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        assert archive.read(TEMPLATE) == (ROOT / "templates" / "opfoelgning.docx").read_bytes()
        archive.extractall(tmp_path / "site")
    assert {"followupdocs/py.typed", "followupdocs/assets/smiley-groen.png"} <= names
    out = tmp_path / "out.docx"
    printed = _python(
        "import followupdocs, followupdocs._docx.fill as w\n"
        "print(followupdocs.__file__)\n"
        "print(w.default_template())\n"
        f"followupdocs.render(followupdocs.load({str(EXAMPLE)!r}), {str(out)!r}, round=1)\n",
        tmp_path / "site",
        tmp_path,
    )
    package, template = printed.splitlines()
    site = str(tmp_path / "site")
    assert package.startswith(site)
    assert template == str(tmp_path / "site" / TEMPLATE)
    with zipfile.ZipFile(out) as document:
        assert "Arbejdet med Vision 2029" in document.read("word/document.xml").decode()


def test_the_sdist_holds_what_its_tests_need(tmp_path: Path) -> None:
    sdist = _build("sdist", tmp_path / "dist")
    with tarfile.open(sdist) as archive:
        archive.extractall(tmp_path / "src", filter="data")
    [tree] = (tmp_path / "src").iterdir()
    for needed in (
        "templates/opfoelgning.docx",
        "examples/oekonomiudvalget-2018.yaml",
        "tests/conftest.py",
        "tests/wordcheck.py",
        "tests/helpers.py",
        "tests/data/valid/full.yaml",
        "tools/make_template.py",
        "src/followupdocs/assets/smiley-gul.png",
        "LICENSE",
    ):
        assert (tree / needed).is_file(), needed
    # A slice of the sdist's own suite, run from the sdist: loading, rendering and the template
    # (LibreOffice's PDF tests run in the main suite). Nothing of this pytest run (pytest-xdist's
    # worker variables) reaches the inner one.
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST_")}
    env |= {"PYTHONPATH": str(tree / "src"), "PYTHONSAFEPATH": "1"}
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-x", "-p", "no:cacheprovider", "-n", "0",
         "-m", "not soffice", "tests/test_loading.py", "tests/test_render.py",
         "tests/test_template_builder.py"],
        cwd=tree, env=env, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout[-2000:]
    assert " passed" in done.stdout.splitlines()[-1]
