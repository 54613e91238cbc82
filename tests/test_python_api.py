"""Developers build agreements in Python: typed, validated, immutable, thread-safe."""

from __future__ import annotations

import ast
import inspect
import os
import subprocess
import sys
import threading
import typing
from pathlib import Path
from typing import Any

import docx
import pytest

import followupdocs
from followupdocs import (
    Agreement,
    AgreementError,
    Economy,
    FollowupError,
    Initiative,
    Kind,
    Milestone,
    ReadOnlyError,
    RoundError,
    Smiley,
    Theme,
)
from helpers import EXAMPLE, FAKE_SOFFICE, ROOT, program

MODELS = (Milestone, Economy, Initiative, Theme, Agreement)
PROGRAM = ROOT / "examples" / "build_from_rows.py"


def _initiative(number: str = "1.01", **changes: Any) -> Initiative:
    fields: dict[str, Any] = {
        "number": number,
        "title": "Indsats",
        "kind": Kind.OPERATIONS,
        "responsible_centre": "Borgerservice",
        "responsible_committee": "Økonomiudvalget",
    }
    return Initiative(**{**fields, **changes})


def _agreement(*initiatives: Initiative) -> Agreement:
    return Agreement(
        municipality="Ballerup Kommune",
        name="Aftale om budget 2026",
        committee="Økonomiudvalget",
        rounds=("1. budgetopfølgning", "31.12.2026"),
        themes=[Theme(number="1", title="Tema", initiatives=initiatives or (_initiative(),))],
    )


# -- typed construction --------------------------------------------------------------------

SNIPPET = """\
from followupdocs import Initiative, Kind, Milestone
good = Initiative(number="1", title="t", kind=Kind.OPERATIONS, responsible_centre="c",
                  responsible_committee="u")
words = Initiative(number="1", title="t", kind="Drift", responsible_centre="c",
                   responsible_committee="u", milestones={1: Milestone(text="m", smiley="grøn")})
wrong_type = Initiative(number=1, title="t", kind=Kind.OPERATIONS, responsible_centre="c",
                        responsible_committee="u")
missing = Initiative(number="1", kind=Kind.OPERATIONS, responsible_centre="c",
                     responsible_committee="u")
typo = Initiative(numbr="1", title="t", kind=Kind.OPERATIONS, responsible_centre="c",
                  responsible_committee="u")
colour = Milestone(smiley="blue")
"""


@pytest.mark.parametrize("plugin", [True, False], ids=["pydantic-plugin", "no-plugin"])
def test_construction_by_english_names_type_checks_precisely(tmp_path: Path, plugin: bool) -> None:
    """Without the plugin, the same run checks the typed example program strictly (one mypy)."""
    snippet = tmp_path / "snippet.py"
    snippet.write_text(SNIPPET, encoding="utf-8")
    config = tmp_path / "mypy.ini"
    config.write_text(
        "[mypy]\nstrict = True\n" + ("plugins = pydantic.mypy\n" if plugin else ""),
        encoding="utf-8",
    )
    files = [str(snippet)] + ([] if plugin else [str(PROGRAM)])
    # In a process of its own: mypy leaves half a million objects behind, which every later
    # garbage collection of this pytest worker would walk again (seconds in all).
    done = subprocess.run(
        [sys.executable, "-m", "mypy", "--config-file", str(config), "--no-incremental", *files],
        capture_output=True,
        text=True,
        check=False,
    )
    out, status = done.stdout, done.returncode
    errors = {
        (Path(line.split(":")[0]).name, int(line.split(":")[1]))
        for line in out.splitlines()
        if ": error:" in line
    }
    # Lines 6, 8, 10 and 12 are wrong (type, missing title, typo, colour); the rest are right,
    # and the typed example program has no error at all.
    assert errors == {("snippet.py", n) for n in (6, 8, 10, 12)}, out
    assert status == 1


def test_every_typed_init_matches_the_model_fields() -> None:
    """The TYPE_CHECKING signatures in _models.py list each field once, optional iff defaulted."""
    source = (ROOT / "src" / "followupdocs" / "_models.py").read_text(encoding="utf-8")
    inits: dict[str, ast.arguments] = {}
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.ClassDef):
            for item in ast.walk(node):
                if isinstance(item, ast.FunctionDef) and item.name == "__init__":
                    inits[node.name] = item.args
    for model in MODELS:
        args = inits[model.__name__]
        declared = {
            a.arg: d is not None for a, d in zip(args.kwonlyargs, args.kw_defaults, strict=True)
        }
        fields = {name: not f.is_required() for name, f in model.model_fields.items()}
        assert declared == fields, model.__name__


def test_the_typed_example_program_runs(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, str(PROGRAM), str(tmp_path)], capture_output=True, text=True, check=True
    )
    assert "wrote" in done.stdout
    document = docx.Document(str(tmp_path / "aftale.docx"))
    text = "\n".join(c.text for t in document.tables for r in t.rows for c in r.cells)
    assert "Arbejdet med Vision 2029" in text and "Modellen for inddragelse" in text


# -- validating Python data ----------------------------------------------------------------


def test_validate_accepts_english_danish_and_mixed_keys() -> None:
    agreement = followupdocs.load(EXAMPLE)
    assert followupdocs.validate(agreement.model_dump()) == agreement
    assert followupdocs.validate(agreement.model_dump(by_alias=True)) == agreement
    mixed = agreement.model_dump(by_alias=True)
    mixed["municipality"] = mixed.pop("kommune")
    assert followupdocs.validate(mixed) == agreement


def test_validate_reports_every_problem_located_as_the_caller_spelled_it() -> None:
    data = _agreement().model_dump()
    data["themes"][0]["initiatives"][0]["kind"] = "Driftt"
    data["themes"][0]["initiatives"][0]["titel"] = data["themes"][0]["initiatives"][0].pop("title")
    data["themes"][0]["initiatives"][0]["milestones"] = {"x": {}, 1: {"smiley": "blå"}}
    data["comittee"] = data.pop("committee")
    with pytest.raises(AgreementError) as caught:
        followupdocs.validate(data, source="regneark.xlsx")
    found = {p.location: p.message for p in caught.value.problems}
    assert found == {
        ("committee",): "the required key 'committee' is missing",
        ("comittee",): "unknown key 'comittee'; did you mean 'committee'?",
        ("themes", 0, "initiatives", 0, "kind"): (
            "'Driftt' is not a kind; use Drift, Anlæg or Anlæg og drift"
        ),
        ("themes", 0, "initiatives", 0, "milestones", "x"): (
            "'x' is not a follow-up number; use 1, 2, 3"
        ),
        ("themes", 0, "initiatives", 0, "milestones", 1, "smiley"): (
            "'blå' is not a smiley; use grøn, gul or rød"
        ),
    }
    assert all(str(p).startswith("regneark.xlsx: ") for p in caught.value.problems)
    assert isinstance(caught.value, FollowupError)


def test_validate_reports_duplicate_numbers_without_pydantic_words() -> None:
    data = _agreement().model_dump(by_alias=True)
    twin = {**data["temaer"][0]["indsatser"][0], "milepæle": {5: {"tekst": "m"}}}
    data["temaer"][0]["indsatser"] = [data["temaer"][0]["indsatser"][0], twin]
    with pytest.raises(AgreementError) as caught:
        followupdocs.validate(data)
    messages = {p.location: p.message for p in caught.value.problems}
    assert messages[("temaer", 0, "indsatser", 1, "nummer")].startswith("the number '1.01'")
    assert messages[("temaer", 0, "indsatser", 1, "milepæle", "5")].startswith("there is no")
    with pytest.raises(Exception) as direct:
        Agreement.model_validate(data)
    assert "Value error" not in str(direct.value)


def test_validate_refuses_what_is_not_a_mapping() -> None:
    with pytest.raises(AgreementError, match="must be a mapping of keys, not list"):
        followupdocs.validate([])  # type: ignore[arg-type]


# -- immutable means immutable -------------------------------------------------------------


def test_a_loaded_agreement_cannot_change() -> None:
    agreement = followupdocs.load(EXAMPLE)
    with pytest.raises(AttributeError):
        agreement.rounds.append("5.")  # type: ignore[attr-defined]
    with pytest.raises(ReadOnlyError, match="read-only"):
        agreement.themes[0].initiatives[0].milestones[9] = Milestone()  # type: ignore[index]
    with pytest.raises(ReadOnlyError):
        agreement.themes[0].initiatives[0].economy.smileys.clear()  # type: ignore[attr-defined]
    with pytest.raises(ReadOnlyError):
        agreement.committee = "Andet"  # type: ignore[misc]
    with pytest.raises(FollowupError):
        del agreement.themes[0].title  # type: ignore[misc]
    assert isinstance(agreement.initiatives, tuple) and len(agreement.initiatives) == 35


def test_models_are_hashable_and_equal_by_value() -> None:
    one, two = followupdocs.load(EXAMPLE), followupdocs.load(EXAMPLE)
    assert one == two and hash(one) == hash(two)
    assert {one: "cached"}[two] == "cached"
    assert hash(one.initiatives[0]) != hash(one.initiatives[1])


# -- consistent types and meanings ---------------------------------------------------------


@pytest.mark.parametrize("bad", ["2", True, 1.0, None, 0, 5])
def test_a_round_that_is_not_a_round_is_a_round_error(bad: Any) -> None:
    agreement = _agreement()
    if bad is None:  # None means the default round, not an error
        assert followupdocs.resolve_round(agreement) == 1
        return
    with pytest.raises(RoundError):
        followupdocs.render_bytes(agreement, round=bad)


def test_resolve_round_is_the_latest_round_with_a_smiley() -> None:
    with_text_only = _initiative(milestones={2: Milestone(text="Planlagt")})
    agreement = _agreement(
        with_text_only, _initiative("1.02", milestones={1: Milestone(smiley="gul")})
    )
    assert agreement.latest_round() == 1  # a milestone text alone is not a smiley
    assert followupdocs.resolve_round(agreement) == 1
    assert followupdocs.resolve_round(agreement, round=2) == 2


def test_smiley_words() -> None:
    assert str(Smiley.GREEN) == "grøn" and f"{Smiley.RED}" == "rød"
    assert Smiley("green") is Smiley.GREEN and Smiley(" Yellow") is Smiley.YELLOW
    assert Smiley("rød") is Smiley.RED
    assert str(Kind.BOTH) == "Anlæg og drift"
    with pytest.raises(ValueError):
        Smiley("blue")


def test_missing_grouped_by_initiative() -> None:
    agreement = followupdocs.load(EXAMPLE)
    grouped = agreement.missing_by_initiative(round=2)
    assert [item for items in grouped.values() for item in items] == agreement.missing(round=2)
    assert list(grouped) == [
        i
        for i in agreement.initiatives
        if any(m.initiative == i for m in agreement.missing(round=2))
    ]


# -- thread safety -------------------------------------------------------------------------


def test_concurrent_renders_give_identical_bytes(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")
    agreement = followupdocs.load(EXAMPLE)
    expected = followupdocs.render_bytes(agreement, round=2)
    results: list[bytes] = []
    errors: list[BaseException] = []

    def work() -> None:
        try:
            for round in (2, 1, 2):
                data = followupdocs.render_bytes(agreement, round=round)
                if round == 2:
                    results.append(data)
        except BaseException as exc:  # reported below; a thread cannot fail the test itself
            errors.append(exc)

    threads = [threading.Thread(target=work) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert len(results) == 8 and all(data == expected for data in results)
    assert os.environ["SOURCE_DATE_EPOCH"] == "1767225600"


class _Place:
    """A path-like object that is not a pathlib.Path, as other libraries hand them over."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def __fspath__(self) -> str:
        return str(self.path)


def test_to_pdf_takes_any_path_like(tmp_path: Path) -> None:
    converter = _Place(program(tmp_path / "bin" / "soffice", FAKE_SOFFICE))  # test_pdf: the real
    docx = followupdocs.render(_agreement(), _Place(tmp_path / "a.docx"), round=1)
    pdf = followupdocs.to_pdf(_Place(docx), _Place(tmp_path / "b.pdf"), soffice=converter)
    assert pdf == tmp_path / "b.pdf" and pdf.read_bytes().startswith(b"%PDF-")


def _named_by_path_like(call: Any) -> str:
    """Return what `call` says of a missing file: its exception, or its problems' text."""
    try:
        result = call()
    except followupdocs.FollowupError as exc:
        return str(exc)
    if isinstance(result, followupdocs.Collection):
        return "\n".join(result.conflicts)
    return "\n".join(str(problem) for problem in result)


def test_every_path_like_is_named_by_its_path(tmp_path: Path) -> None:
    """A path-like that is not a Path is named by its path, never by its repr."""
    missing = tmp_path / "nowhere" / "missing.docx"
    broken = tmp_path / "broken.yaml"
    broken.write_text("kommune: [\n", encoding="utf-8")
    agreement = _agreement()
    calls: dict[str, tuple[Path, Any]] = {
        "check_template": (missing, lambda p: followupdocs.check_template(p)),
        "collect": (missing, lambda p: followupdocs.collect(agreement, [p], round=1)),
        "load": (broken, lambda p: followupdocs.load(p)),
        "load_report": (broken, lambda p: followupdocs.load_report(p)),
        "read_document": (missing, lambda p: followupdocs.read_document(p)),
        "render": (missing, lambda p: followupdocs.render(agreement, p, round=1)),
        "render_bytes": (missing, lambda p: followupdocs.render_bytes(agreement, template=p)),
        "to_pdf": (missing, lambda p: followupdocs.to_pdf(p, soffice=p.path.parent)),
        "update_yaml": (missing.with_suffix(".yaml"), lambda p: followupdocs.update_yaml(p, [])),
        "write_forms": (missing, lambda p: followupdocs.write_forms(agreement, p, round=1)),
    }
    takes_paths = {
        name
        for name, function in _public_callables()
        if "PathLike" in str(inspect.signature(function))
    }
    assert set(calls) == takes_paths
    for name, (path, call) in calls.items():
        said = _named_by_path_like(lambda: call(_Place(path)))  # noqa: B023 (called at once)
        assert str(path) in said and "object at" not in said, (name, said)


def _public_callables() -> list[tuple[str, Any]]:
    """Return every public function, and every public method of the public classes."""
    found = []
    for name in followupdocs.__all__:
        obj = getattr(followupdocs, name)
        if callable(obj) and not isinstance(obj, type):
            found.append((name, obj))
        elif isinstance(obj, type):
            for klass in obj.__mro__:
                if not klass.__module__.startswith("followupdocs"):
                    continue
                for member, value in vars(klass).items():
                    if not member.startswith("_") and callable(value):
                        found.append((f"{name}.{member}", value))
    return found


def test_round_is_keyword_only_everywhere() -> None:
    taking_round = []
    for name, function in _public_callables():
        parameters = inspect.signature(function).parameters
        if "round" in parameters:
            taking_round.append(name)
            assert parameters["round"].kind is inspect.Parameter.KEYWORD_ONLY, name
    assert {
        "render",
        "render_bytes",
        "form_bytes",
        "write_forms",
        "collect",
        "Agreement.round_label",
        "Agreement.check_round",
        "Agreement.missing",
        "Agreement.missing_by_initiative",
        "Initiative.milestone",
        "Initiative.smiley_at",
        "Initiative.status_at",
        "Initiative.economy_smiley_at",
    } <= set(taking_round)


def test_a_positional_round_is_refused(example: Agreement) -> None:
    with pytest.raises(TypeError):
        example.round_label(1)  # type: ignore[misc]
    with pytest.raises(TypeError):
        followupdocs.form_bytes(example, 2, "Økonomi og Styring")  # type: ignore[misc,arg-type]


def test_one_field_vocabulary_for_changes_and_missing_smileys(example: Agreement) -> None:
    # The follow-up's three come first; the others are what an edited document can change.
    assert typing.get_args(followupdocs.Field) == (
        "status",
        "milestone",
        "economy",
        "title",
        "kind",
        "agreement_text",
        "responsible_centre",
        "responsible_committee",
        "main_contributor",
        "implementation",
        "milestone_text",
        "economy_text",
    )
    hints = {
        cls: typing.get_type_hints(cls, globalns={**vars(typing), **vars(followupdocs)})
        for cls in (followupdocs.Change, followupdocs.MissingSmiley)
    }
    assert all(hint["field"] == followupdocs.Field for hint in hints.values())
    missing = example.missing(round=4)
    assert {item.field for item in missing} == {"milestone", "economy"}
    assert str(missing[0]).endswith("smiley at round 4")


def test_a_source_date_epoch_that_is_not_a_number_is_ignored(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "i går")
    assert followupdocs.render_bytes(_agreement(), round=1).startswith(b"PK")
