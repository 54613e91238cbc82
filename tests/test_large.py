"""A large synthetic agreement (the benchmark's generator) still renders to clean Word."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import docx

import followupdocs
import wordcheck

BENCH = Path(__file__).resolve().parent.parent / "benchmarks" / "bench_render.py"


def load_bench():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("bench_render", BENCH)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_300_cards_render_clean(tmp_path: Path) -> None:
    agreement = load_bench().synthetic(300)
    path = followupdocs.render(agreement, tmp_path / "large.docx", round=4)
    assert wordcheck.problems(path) == []
    assert wordcheck.card_layout_problems(path) == []
    document = docx.Document(str(path))
    cards = [t for t in document.tables if t.rows[0].cells[-1].text == "Smiley"]
    assert len(cards) == 300
    ids = [int(d.get("id")) for d in document.element.body.iter(f"{{{wordcheck.WP}}}docPr")]
    # reading guide 5; per card 4 milestone + 1 economy smileys, twice (card and overview)
    assert len(ids) == len(set(ids)) == 5 + 300 * 5 * 2
