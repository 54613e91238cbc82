"""Write docs/api.md, the reference of followupdocs' public API, from its docstrings.

Run `python tools/make_api_docs.py` after changing the public API and commit what it writes;
a test fails while docs/api.md and the code disagree. Everything in `followupdocs.__all__` is
documented: functions with their signatures, models with their fields (English name, Danish
YAML key, type), exceptions with their attributes, and every public method and property.
"""

from __future__ import annotations

import dataclasses
import enum
import inspect
import re
import sys
import types
import typing
from pathlib import Path
from typing import Any

import followupdocs

OUT = Path(__file__).resolve().parent.parent / "docs" / "api.md"
_MODULE_PREFIX = re.compile(
    r"\b(?:followupdocs\.(?:\w+\.)*|pathlib\.|os\.|typing\.|collections\.abc\.)"
)

INTRO = """\
# API reference

Generated from the docstrings by `python tools/make_api_docs.py`; do not edit by hand.
Everything here is importable from `followupdocs`; every other module is private and may
change without notice. Every error followupdocs raises on purpose is a `FollowupError`.
"""


def main() -> int:
    """Write docs/api.md and print where."""
    OUT.write_text(build(), encoding="utf-8", newline="\n")
    print(OUT)
    return 0


def build() -> str:
    """Return the reference as Markdown."""
    sections: dict[str, list[str]] = {
        "Functions": [],
        "Models": [],
        "Types": [],
        "Results": [],
        "Exceptions": [],
        "Other": [],
    }
    for name in sorted(followupdocs.__all__, key=str.casefold):
        if name.startswith("__"):
            continue
        obj = getattr(followupdocs, name)
        sections[_section(obj)].append(_document(name, obj))
    out = [INTRO]
    for title, entries in sections.items():
        if entries:
            out.append(f"\n## {title}\n")
            out.extend(entries)
    return "\n".join(out).rstrip() + "\n"


def _section(obj: Any) -> str:
    if inspect.isfunction(obj):
        return "Functions"
    if inspect.isclass(obj) and issubclass(obj, BaseException):
        return "Exceptions"
    if inspect.isclass(obj) and (hasattr(obj, "model_fields") or issubclass(obj, enum.Enum)):
        return "Models"
    if inspect.isclass(obj):
        return "Results"
    if typing.get_origin(obj) is not None:
        return "Types"
    return "Other"


def _document(name: str, obj: Any) -> str:
    if inspect.isfunction(obj):
        return f"### `{name}{_signature(obj)}`\n\n{_doc(obj)}\n"
    if inspect.isclass(obj):
        return _class(name, obj)
    if typing.get_origin(obj) is not None:
        return f"### `{name}` = `{obj!r}`\n\n{_doc(obj)}\n".replace("typing.", "")
    return f"### `{name}`\n\n`{obj!r}`\n"


def _class(name: str, cls: type) -> str:
    lines = [f"### class `{name}`\n", _doc(cls), ""]
    if issubclass(cls, enum.Enum):
        lines += [f"- `{name}.{member.name}` = `{member.value!r}`" for member in cls]
        lines.append("")
    if dataclasses.is_dataclass(cls):
        # Public classes say they live in followupdocs (not their private module), so their
        # string annotations are resolved among the public names and typing's.
        hints = typing.get_type_hints(cls, globalns={**vars(typing), **vars(followupdocs)})
        lines += ["| attribute | type |", "| --- | --- |"]
        lines += [f"| `{f.name}` | `{_type(hints[f.name])}` |" for f in dataclasses.fields(cls)]
        lines.append("")
    fields = getattr(cls, "model_fields", None)
    if fields:
        lines += ["| attribute | YAML key | type |", "| --- | --- | --- |"]
        for field_name, info in fields.items():
            alias = info.alias or field_name
            lines.append(f"| `{field_name}` | `{alias}` | `{_type(info.annotation)}` |")
        lines.append("")
    for member_name, member in _members(cls):
        if isinstance(member, property):
            lines.append(f"- property `{member_name}`: {_first_line(member)}")
        else:
            lines.append(f"- `{member_name}{_signature(member)}`: {_first_line(member)}")
    return "\n".join(lines).rstrip() + "\n"


def _members(cls: type) -> list[tuple[str, Any]]:
    """Return the public methods and properties `cls` itself documents (not pydantic's)."""
    found = []
    for klass in reversed(cls.__mro__):
        if klass.__module__.split(".")[0] != "followupdocs":
            continue
        for member_name, member in vars(klass).items():
            if member_name.startswith("_") or not (
                isinstance(member, property) or inspect.isfunction(member)
            ):
                continue
            if member.__doc__ and member_name not in dict(found):
                found.append((member_name, member))
    return sorted(found)


def _signature(function: Any) -> str:
    try:
        text = str(inspect.signature(function, eval_str=True))
    except (TypeError, ValueError, NameError):
        return "(...)"
    return _MODULE_PREFIX.sub("", text)


def _type(annotation: Any) -> str:
    """Return a type as a reader writes it: no validators, no module paths."""
    origin, args = typing.get_origin(annotation), typing.get_args(annotation)
    for name in followupdocs.__all__:  # a public type alias goes by its name
        if origin is not None and getattr(followupdocs, name) is annotation:
            return name
    if origin is typing.Annotated:
        return _type(args[0])
    if origin in (typing.Union, types.UnionType):
        return " | ".join(_type(arg) for arg in args)
    if origin is typing.Literal:
        return "Literal[" + ", ".join(repr(arg) for arg in args) + "]"
    if origin is not None:
        inner = ", ".join("..." if arg is Ellipsis else _type(arg) for arg in args)
        return f"{getattr(origin, '__name__', str(origin))}[{inner}]"
    if annotation is type(None):
        return "None"
    if isinstance(annotation, type):
        return annotation.__name__
    return _MODULE_PREFIX.sub("", str(annotation).replace("typing.", ""))


def _doc(obj: Any) -> str:
    return inspect.cleandoc(obj.__doc__ or "").strip()


def _first_line(obj: Any) -> str:
    return _doc(obj).split("\n\n")[0].replace("\n", " ")


if __name__ == "__main__":
    sys.exit(main())
