"""Read, check and compile a docxtpl Word template once per process.

The check is static: it walks the Jinja syntax tree and compares every variable and attribute
the template uses with the shape of the context build_context returns, so every problem is
found at once and located by where it is in the document, not by a line of XML.
"""

from __future__ import annotations

import difflib
import io
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import jinja2
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import parse_xml
from docx.oxml.ns import qn
from docxtpl import DocxTemplate
from jinja2 import nodes
from markupsafe import Markup

from ..errors import TemplateProblemError
from .instrument import RenderState, instrument, list_numbering
from .lint import lint
from .package import NotAPackageError, PackageError, describe, pack, read_package
from .places import Locator, mark, unmark
from .sandbox import TemplateTimeout, deadline, environment, refused
from .scrub import scrub
from .stream import PartError, render_part
from .structure import crossing_blocks

__all__ = ["Compiled", "TemplateReport", "check_template", "compiled", "inspect_template"]

HEADER_FOOTER = (RT.HEADER, RT.FOOTER)
TRIAL_SECONDS = 10  # the sample renders in a tenth of a second; a template may take 100 times
_LEAF = "leaf"  # a text, number or image in the context: no attributes
_ANY = "any"  # unknown: a loop variable over something unknown, or {% set %}
_JINJA_NAMES = {
    "loop",
    "range",
    "dict",
    "lipsum",
    "cycler",
    "joiner",
    "namespace",
    "true",
    "false",
    "none",
    "True",
    "False",
    "None",
}


@dataclass
class Compiled:
    """A template read and compiled once: its bytes and a Jinja template per filled part.

    `first_drawing` and `first_num` are the first drawing id and numbering id not used by any
    part the render leaves as it is; `list_abstract` is the List Number style's numbering.
    """

    data: bytes
    parts: dict[str, jinja2.Template] = field(default_factory=dict)
    first_drawing: int = 1
    first_num: int = 1
    list_abstract: str | None = None
    locators: dict[str, Locator] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)  # found while unpacking; do not stop

    def failure(self, part: str, exc: BaseException) -> str:
        """Describe an error raised while `part` rendered, located in the document."""
        line = None
        tb = exc.__traceback__
        while tb is not None:  # Jinja rewrites its frames to carry the template's line
            if tb.tb_frame.f_code.co_filename == "<template>":
                line = tb.tb_lineno
            tb = tb.tb_next
        if isinstance(exc, PartError):
            return f"{describe(part)}: {exc}"
        if isinstance(exc, TemplateTimeout):
            return (
                f"{describe(part)}: the trial run on the sample agreement takes longer than "
                f"{TRIAL_SECONDS} seconds; does a loop run without end?"
            )
        where = self.locators[part](line) if part in self.locators else part
        if isinstance(exc, jinja2.exceptions.SecurityError):
            return f"{where}: uses something not allowed in a template ({exc})"
        if isinstance(exc, jinja2.UndefinedError):
            return f"{where}: uses something the context does not have ({exc.message})"
        return f"{where}: fails when it runs ({type(exc).__name__}: {exc})"


def _load(data: bytes) -> DocxTemplate:
    tpl = DocxTemplate(io.BytesIO(data))
    tpl.init_docx()
    return tpl


def _sources(tpl: DocxTemplate) -> dict[str, tuple[str, Locator]]:
    """Return each part to fill as a Jinja source, one element a line, and its locator."""
    # The whole document part, not only its body: parsing the result once is far cheaper than
    # moving a large rendered body into the template's tree.
    xml = {"word/document.xml": tpl.xml_to_string(tpl.docx.element)}
    for rel in tpl.docx.part.rels.values():
        if rel.reltype in HEADER_FOOTER and not rel.is_external:
            blob = rel.target_part.blob.decode("utf-8")
            if "{{" in blob or "{%" in blob:
                name = str(rel.target_part.partname).lstrip("/")
                xml[name] = tpl.xml_to_string(parse_xml(rel.target_part.blob))
    sources = {}
    for name, original in xml.items():
        marked, places = mark(original)
        # docxtpl's cleaning joins tags Word split across runs and turns {%p %} and {%tr %}
        # into plain tags in place of their paragraph or row.
        source, origins = unmark(tpl.patch_xml(marked))
        sources[name] = (source, Locator(name, places, origins))
    return sources


def compiled(path: Path) -> Compiled:
    """Return the compiled template at `path`; raise TemplateProblemError if it has problems."""
    stat = path.stat()
    return _compile(str(path.resolve()), stat.st_mtime_ns, stat.st_size)


@lru_cache(maxsize=8)
def _compile(path: str, mtime_ns: int, size: int) -> Compiled:
    data = Path(path).read_bytes()
    problems, result = _check(data)
    if problems:
        raise TemplateProblemError(path, problems)
    assert result is not None
    return result


@dataclass(frozen=True)
class TemplateReport:
    """What the check found: problems stop a render, warnings do not."""

    problems: list[str]
    warnings: list[str]


def inspect_template(path: str | Path) -> TemplateReport:
    """Return the problems and the warnings of the Word template at `path`, each located."""
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        return TemplateReport([f"cannot read the template ({exc.strerror or exc})"], [])
    problems, result = _check(data)
    if result is None:
        return TemplateReport(problems, [])
    return TemplateReport(problems, result.warnings + lint(_load(result.data).docx))


def check_template(path: str | Path) -> list[str]:
    """Return every problem of the Word template at `path`, each located in the document."""
    return inspect_template(path).problems


_SAVE_AS = "open it in Word and save it as Word Document (.docx)"
_DOCUMENT_TYPE = b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
_TEMPLATE_TYPE = b"application/vnd.openxmlformats-officedocument.wordprocessingml.template.main+xml"


def _as_document(data: bytes) -> tuple[bytes | list[str], list[str]]:
    """Return the bytes of a safe .docx (a .dotx becomes one) and warnings, or the problems.

    The package is unpacked within limits, and remote parts and code are taken out or
    refused (scrub), so nothing of that kind reaches a document rendered from it.
    """
    try:
        parts = read_package(data)
    except NotAPackageError as exc:
        return [f"{exc}; {_SAVE_AS}"], []
    except PackageError as exc:
        return [str(exc)], []
    types = parts.get("[Content_Types].xml")
    if types is None:
        return [f"the file is a zip archive but not a Word document; {_SAVE_AS}"], []
    if b"macroEnabled" in types:
        return [f"the file holds macros (.docm or .dotm), which templates must not; {_SAVE_AS}"], []
    problems, warnings = scrub(parts)
    if problems:
        return problems, []
    # A Word Template (.dotx) differs from a document only in its main part's content type.
    parts["[Content_Types].xml"] = types.replace(_TEMPLATE_TYPE, _DOCUMENT_TYPE)
    return pack(parts), warnings


def _check(data: bytes) -> tuple[list[str], Compiled | None]:
    usable, warnings = _as_document(data)
    if isinstance(usable, list):
        return usable, None
    data = usable
    try:
        tpl = _load(data)
        sources = _sources(tpl)
    except Exception as exc:  # python-docx or docxtpl cannot read it after all
        return [f"the file cannot be read as a Word document ({exc}); {_SAVE_AS}"], None
    problems = _unbalanced(tpl)
    if problems:  # everything after a broken tag would be misread: report just these
        return problems, None
    env = environment()
    shape = context_shape()
    list_style, list_abstract = list_numbering(tpl.docx)
    first_drawing, first_num = _first_ids(tpl, sources)
    result = Compiled(data, {}, first_drawing, first_num, list_abstract, warnings=warnings)
    result.locators = {name: where for name, (_, where) in sources.items()}
    for name, (xml, where) in sources.items():
        for expression, line in _expressions(xml):
            try:
                env.compile_expression(expression)
            except jinja2.TemplateSyntaxError as exc:
                problems.append(
                    f"{where(line)}: the tag {{{{ {expression} }}}} is not valid ({exc.message})"
                )
        try:
            tree = env.parse(xml)
        except jinja2.TemplateSyntaxError as exc:
            if not problems:
                message = exc.message or ""
                line = exc.lineno
                if "Unexpected end of template" in message:
                    line = _unclosed(env, xml) or line
                    message = "this block is never closed: " + message.split(".", 1)[-1].strip()
                else:
                    message = f"the tags do not fit together: {message}"
                problems.append(f"near {where(line)}: {message}")
            continue
        _Names(shape, problems, where).visit_all(tree.body, dict(shape))
        problems += [f"{where(line)}: {reason}" for line, reason in refused(tree)]
        problems += crossing_blocks(env, xml, where)
        if not problems:
            result.parts[name] = env.from_string(instrument(xml, list_style))
    if not problems:
        problems = _trial(result)
    return problems, (None if problems else result)


def _trial(result: Compiled) -> list[str]:
    """Run the template on the sample agreement, every round, to catch what only running finds.

    Division by zero, a filter that fails, or access the sandbox refuses at run time
    (|attr("__class__"), str.format) pass the static check; they fail here, located.
    """
    from .._context import build_context
    from .._starter import sample_agreement

    agreement = sample_agreement()
    with deadline(TRIAL_SECONDS):
        for round in range(1, len(agreement.rounds) + 1):
            context = build_context(agreement, round, lambda *key: Markup(""))
            for name, template in result.parts.items():
                state = RenderState(result.first_drawing, result.first_num)
                try:
                    render_part(template, {**context, **state.hooks()})
                except Exception as exc:
                    return [result.failure(name, exc)]
    return []


def _first_ids(tpl: DocxTemplate, rendered: dict[str, Any]) -> tuple[int, int]:
    """Return the first drawing and numbering ids that parts left as they are do not use."""
    drawing = 0
    for rel in tpl.docx.part.rels.values():
        name = (
            str(getattr(rel.target_part, "partname", "")).lstrip("/") if not rel.is_external else ""
        )
        if rel.reltype in HEADER_FOOTER and name not in rendered:
            ids = re.findall(rb'<wp:docPr\b[^>]*?\bid="(\d+)"', rel.target_part.blob)
            drawing = max([drawing, *map(int, ids)])
    try:
        numbering = tpl.docx.part.numbering_part.element
        nums = [int(n.get(qn("w:numId"))) for n in numbering.iter(qn("w:num"))]
    except NotImplementedError:
        nums = []
    return drawing + 1, max(nums, default=0) + 1


def _unbalanced(tpl: DocxTemplate) -> list[str]:
    """Return the paragraphs whose tags do not open and close in the same paragraph."""
    document = tpl.docx
    problems = []
    places: list[tuple[str, Any]] = []
    body = document.element.body
    paragraph = table = 0
    for child in body.iterchildren():
        if child.tag.endswith("}p"):
            paragraph += 1
            places.append((f"paragraph {paragraph}", child))
        elif child.tag.endswith("}tbl"):
            table += 1
            for r, row in enumerate(child.iterchildren("{*}tr"), start=1):
                for c, cell in enumerate(row.iterchildren("{*}tc"), start=1):
                    for p in cell.iter("{*}p"):
                        places.append((f"table {table}, row {r}, cell {c}", p))
    for place, p in places:
        text = "".join(t.text or "" for t in p.iter("{*}t"))
        for start, end in (("{{", "}}"), ("{%", "%}")):
            if text.count(start) != text.count(end):
                shown = text if len(text) <= 60 else text[:57] + "..."
                problems.append(
                    f'{place} ("{shown}"): a tag is not closed in the same paragraph; '
                    f"every {start} needs its {end}"
                )
                break
    return problems


def _expressions(xml: str) -> list[tuple[str, int]]:
    found = []
    for match in re.finditer(r"\{\{(.*?)\}\}", xml, flags=re.DOTALL):
        line = xml.count("\n", 0, match.start()) + 1
        found.append((re.sub(r"<[^>]+>", "", match.group(1)).strip(), line))
    return found


def _unclosed(env: jinja2.Environment, xml: str) -> int | None:
    """Return the line of the innermost block tag that is opened but never closed."""
    openers = {"for", "if", "macro", "call", "filter", "with", "block", "raw", "autoescape"}
    stack: list[tuple[str, int]] = []
    expect_name = False
    try:
        for line, kind, value in env.lex(xml):
            if kind == "whitespace":
                continue
            if kind == "block_begin":
                expect_name = True
            elif expect_name and kind == "name":
                expect_name = False
                if value in openers:
                    stack.append((value, line))
                elif value.startswith("end") and stack and stack[-1][0] == value[3:]:
                    stack.pop()
            else:
                expect_name = False
    except jinja2.TemplateSyntaxError:
        pass
    return stack[-1][1] if stack else None


class _Names:
    """Check every variable and attribute a template uses against the context's shape."""

    def __init__(self, shape: dict[str, Any], problems: list[str], where: Locator) -> None:
        self.shape = shape
        self.problems = problems
        self.where = where

    def visit_all(self, body: list[nodes.Node], scope: dict[str, Any]) -> None:
        for node in body:
            self.visit(node, scope)

    def visit(self, node: nodes.Node, scope: dict[str, Any]) -> None:
        if isinstance(node, nodes.For):
            items = self.resolve(node.iter, scope)
            inner = dict(scope)
            if isinstance(node.target, nodes.Name):
                inner[node.target.name] = items[1] if isinstance(items, tuple) else _ANY
            else:  # unpacking: {% for a, b in ... %}
                for target in node.target.find_all(nodes.Name):
                    inner[target.name] = _ANY
            if node.test is not None:
                self.resolve(node.test, inner)
            self.visit_all(node.body, inner)
            self.visit_all(node.else_, scope)
        elif isinstance(node, (nodes.Assign, nodes.AssignBlock)):
            if isinstance(node, nodes.Assign):
                self.resolve(node.node, scope)
            for target in node.target.find_all(nodes.Name):
                scope[target.name] = _ANY
            if isinstance(node.target, nodes.Name):
                scope[node.target.name] = _ANY
        elif isinstance(node, (nodes.Macro, nodes.CallBlock)):
            return  # macros take their own arguments: not checked
        elif isinstance(node, nodes.Expr):
            self.resolve(node, scope)
        else:
            for child in node.iter_child_nodes():
                if isinstance(child, nodes.Expr):
                    self.resolve(child, scope)
                else:
                    self.visit(child, scope)

    def resolve(self, node: nodes.Node, scope: dict[str, Any]) -> Any:
        """Return the shape of an expression, reporting unknown names on the way."""
        if isinstance(node, nodes.Name):
            if node.ctx != "load" or node.name in scope or node.name in _JINJA_NAMES:
                return scope.get(node.name, _ANY)
            self.report(node, f"unknown variable '{node.name}'", node.name, scope)
            return _ANY
        if isinstance(node, (nodes.Getattr, nodes.Getitem)):
            base = self.resolve(node.node, scope)
            if isinstance(node, nodes.Getattr):
                attr = node.attr
            elif isinstance(node.arg, nodes.Const) and isinstance(node.arg.value, str):
                attr = node.arg.value
            else:
                self.resolve(node.arg, scope)
                return base[1] if isinstance(base, tuple) else _ANY
            if attr.startswith("_"):
                self.report(node, f"'{attr}' is not allowed in a template", None, {})
                return _ANY
            if isinstance(base, dict):
                if attr in base:
                    return base[attr]
                self.report(node, f"'{attr}' does not exist here", attr, base)
            return _ANY
        for child in node.iter_child_nodes():
            self.resolve(child, scope) if isinstance(child, nodes.Expr) else self.visit(
                child, scope
            )
        return _ANY

    def report(
        self, node: nodes.Node, message: str, name: str | None, known: dict[str, Any]
    ) -> None:
        hint = ""
        if name is not None and known:
            close = difflib.get_close_matches(
                name, [k for k in known if k not in _JINJA_NAMES], n=1, cutoff=0.6
            )
            hint = (
                f"; did you mean '{close[0]}'?"
                if close
                else (
                    "; available: " + ", ".join(sorted(k for k in known if not k.startswith("_")))
                )
            )
        self.problems.append(f"{self.where(node.lineno)}: {message}{hint}")


def _shape(value: Any) -> Any:
    if isinstance(value, dict):
        return {key: _shape(item) for key, item in value.items()}
    if isinstance(value, list):
        element: Any = _ANY
        for item in value:
            element = _merge(element, _shape(item))
        return ("list", element)
    return _LEAF


def _merge(a: Any, b: Any) -> Any:
    if a in (_ANY, _LEAF) and isinstance(b, (dict, tuple)):
        return b  # None in one round, a list or mapping in another: keep the richer shape
    if a == _ANY:
        return b
    if isinstance(a, dict) and isinstance(b, dict):
        merged = dict(a)
        for key, value in b.items():
            merged[key] = _merge(merged[key], value) if key in merged else value
        return merged
    if isinstance(a, tuple) and isinstance(b, tuple):
        return ("list", _merge(a[1], b[1]))
    return a


@lru_cache(maxsize=1)
def _sample_shape() -> dict[str, Any]:
    from .._context import build_context
    from .._starter import sample_agreement

    agreement = sample_agreement()
    merged: Any = {}
    for round in range(1, len(agreement.rounds) + 1):
        context = build_context(agreement, round, lambda *key: "image")
        merged = _merge(merged, _shape(context))
    return dict(merged)


def context_shape() -> dict[str, Any]:
    """Return the shape of the template context: every key, nested, with list elements."""
    return dict(_sample_shape())
