"""Shared fixtures: the example agreement, rendered documents, and the Word checks."""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from hypothesis import HealthCheck, settings

if TYPE_CHECKING:
    import followupdocs

# followupdocs and helpers are imported in the fixtures, not here: pytest-xdist's controller
# loads this file too, and starts the workers only after it, so every import here delays them.

# Generated documents take ~0.1 s each to render and check: a few seconds' worth locally, the
# long run in CI (.ci/run sets HYPOTHESIS_PROFILE=ci).
_SLOW = {"deadline": None, "suppress_health_check": [HealthCheck.too_slow]}
settings.register_profile("dev", max_examples=8, **_SLOW)
settings.register_profile("ci", max_examples=100, **_SLOW)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "dev"))


@pytest.fixture(scope="session")
def example() -> followupdocs.Agreement:
    import followupdocs
    from helpers import EXAMPLE

    return followupdocs.load(EXAMPLE)


@pytest.fixture(scope="session")
def example_docs(
    example: followupdocs.Agreement, tmp_path_factory: pytest.TempPathFactory
) -> dict[int, Path]:
    """The example rendered at rounds 1 to 4."""
    import followupdocs

    folder = tmp_path_factory.mktemp("example")
    return {
        n: followupdocs.render(example, folder / f"round{n}.docx", round=n)
        for n in range(1, len(example.rounds) + 1)
    }


@pytest.fixture
def yaml_copy(tmp_path: Path) -> Path:
    """A copy of the example to write into; the repository's example is never touched."""
    from helpers import EXAMPLE

    target = tmp_path / EXAMPLE.name
    shutil.copyfile(EXAMPLE, target)
    return target
