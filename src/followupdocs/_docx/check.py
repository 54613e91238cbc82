"""Check a docxtpl Word template, and compile it once per process when it has no problems.

Every problem is found at once and located by where it is in the document, not by a line of
XML: unbalanced tags, invalid expressions, unknown names (shape), blocks that cross paragraphs
or cells (structure), what the sandbox refuses, and what only a trial run on sample contexts
shows.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import jinja2
from docxtpl import DocxTemplate
from jinja2 import nodes
from jinja2.parser import Parser
from markupsafe import Markup

from .._errors import TemplateProblemError
from .compile import SAVE_AS, Compiled, as_document, first_ids, load, sources
from .hdrftr import stories
from .instrument import RenderState, instrument
from .lint import lint
from .numbering import list_numbering
from .pairs import pair_problems
from .places import Locator
from .revisions import revision_problems
from .sandbox import TemplateTimeout, deadline, environment, refused
from .scrub import fetching_fields
from .shape import Names, Samples, context_shape
from .stream import render_part
from .structure import crossing_blocks
from .wording import expression_problem, syntax_problem

__all__ = ["Checked", "TemplateReport", "compiled", "inspect"]

TRIAL_SECONDS = 10  # the sample renders in a tenth of a second; a template may take 100 times


@dataclass(frozen=True)
class Checked:
    """What checking a template gives: its problems, or the template compiled."""

    problems: list[str]
    compiled: Compiled | None
    # The template as python-docx read it, kept for the warnings (lint) so that the template
    # is not read a second time; lint only reads it, as the check does.
    document: Any = None


@dataclass(frozen=True)
class TemplateReport:
    """What the check found: problems stop a render, warnings do not."""

    problems: list[str]
    warnings: list[str]


def inspect(path: str | Path, samples: Samples) -> TemplateReport:
    """Return the problems and the warnings of the Word template at `path`, each located."""
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        return TemplateReport([f"cannot read the template ({exc.strerror or exc})"], [])
    report = _inspect(data, samples)
    return TemplateReport(list(report.problems), list(report.warnings))


def compiled(path: Path, samples: Samples) -> Compiled:
    """Return the compiled template at `path`; raise TemplateProblemError if it has problems."""
    checked = _checked(path.read_bytes(), samples)
    if checked.compiled is None:
        raise TemplateProblemError(str(path.resolve()), checked.problems)
    return checked.compiled


# A template is checked and compiled once per process and content: `render` checks it for its
# warnings and then fills it, and a program rendering many documents checks it once.
@lru_cache(maxsize=8)
def _inspect(data: bytes, samples: Samples) -> TemplateReport:
    checked = _checked(data, samples)
    if checked.compiled is None:
        return TemplateReport(checked.problems, [])
    result = checked.compiled
    return TemplateReport(checked.problems, result.warnings + lint(checked.document))


@lru_cache(maxsize=8)
def _checked(data: bytes, samples: Samples) -> Checked:
    return check(data, samples)


def check(data: bytes, samples: Samples) -> Checked:
    """Check the template `data` against the sample contexts; compile it if it has no problems."""
    usable, warnings = as_document(data)
    if isinstance(usable, list):
        return Checked(usable, None)
    try:
        tpl = load(usable)
        parts = sources(tpl)
    except Exception as exc:  # python-docx or docxtpl cannot read it after all
        return Checked([f"the file cannot be read as a Word document ({exc}); {SAVE_AS}"], None)
    problems = revision_problems(tpl.docx) + _unbalanced(tpl)
    if not problems:  # pairing needs every tag whole
        problems = pair_problems(tpl.docx)
    if problems:  # everything after a broken tag would be misread: report just these
        return Checked(problems, None)
    env = environment()
    shape = context_shape(samples)
    list_style, nums = list_numbering(tpl.docx)
    first_drawing, first_num = first_ids(tpl, parts)
    result = Compiled(usable, {}, first_drawing, first_num, warnings=warnings)
    result.locators = {name: where for name, (_, where) in parts.items()}
    for xml, where in parts.values():
        problems += _part_problems(env, xml, where, shape, after_problems=bool(problems))
    if not problems:  # compiling costs more than all the checks: only a template that passed
        for name, (xml, where) in parts.items():
            try:
                result.parts[name] = env.from_string(instrument(xml, list_style, nums))
            except jinja2.TemplateSyntaxError as exc:  # a block tag's unknown filter or test
                problems.append(f"{where(exc.lineno)}: {expression_problem(exc.message or '')}")
        if not problems:
            problems = _trial(result, samples)
    # A text box's text is in the part twice (Word's fallback copy): say each problem once.
    problems = list(dict.fromkeys(problems))
    if problems:
        return Checked(problems, None)
    return Checked(problems, result, tpl.docx)


def _part_problems(
    env: jinja2.Environment, xml: str, where: Locator, shape: dict[str, Any], after_problems: bool
) -> list[str]:
    """Return the problems of one part's Jinja source; a syntax error only if it is the first."""
    problems = _invalid_expressions(env, xml, where)
    try:
        tree = env.parse(xml)
    except jinja2.TemplateSyntaxError as exc:
        if after_problems or problems:  # an earlier problem may be what confuses the parser
            return problems
        return [_syntax_problem(env, xml, where, exc)]
    Names(shape, problems, where).visit_all(tree.body, dict(shape))
    problems += [f"{where(line)}: {reason}" for line, reason in refused(tree)]
    problems += crossing_blocks(env, xml, where)
    return problems


def _invalid_expressions(env: jinja2.Environment, xml: str, where: Locator) -> list[str]:
    problems = []
    for expression, line in _expressions(xml):
        message = _expression_error(env, expression)
        if message is not None:
            problems.append(
                f"{where(line)}: the tag {{{{ {expression} }}}} is not valid: "
                + expression_problem(message)
            )
    return problems


def _expression_error(env: jinja2.Environment, expression: str) -> str | None:
    """Return Jinja's message if `expression` cannot be compiled, or None if it can.

    Parsed as env.compile_expression parses it. Compiling as well costs ten times more and
    finds only one thing more in an expression: a filter or test the environment does not
    have. So only an expression that names one is compiled, for Jinja's own message.
    """
    try:
        parser = Parser(env, expression, state="variable")
        tree = parser.parse_expression()
        if not parser.stream.eos:
            return "chunk after expression"
    except jinja2.TemplateSyntaxError as exc:
        return exc.message or ""
    used = [tree, *tree.find_all((nodes.Filter, nodes.Test))]  # find_all leaves out the tree
    if all(_known(env, node) for node in used if isinstance(node, (nodes.Filter, nodes.Test))):
        return None
    try:
        env.compile_expression(expression)
    except jinja2.TemplateSyntaxError as exc:
        return exc.message or ""
    return None


def _known(env: jinja2.Environment, node: nodes.Filter | nodes.Test) -> bool:
    return node.name in (env.filters if isinstance(node, nodes.Filter) else env.tests)


def _syntax_problem(
    env: jinja2.Environment, xml: str, where: Locator, exc: jinja2.TemplateSyntaxError
) -> str:
    message = exc.message or ""
    line = exc.lineno
    if "Unexpected end of template" in message:
        line = _unclosed(env, xml) or line
    message = syntax_problem(message)
    return f"near {where(line)}: {message}"


def _trial(result: Compiled, samples: Samples) -> list[str]:
    """Run the template on the sample agreement, every round, to catch what only running finds.

    Division by zero, a filter that fails, or access the sandbox refuses at run time
    (|attr("__class__"), str.format) pass the static check; they fail here, located.
    """
    current = ""
    try:
        with deadline(TRIAL_SECONDS):
            for context in samples(lambda *key: Markup("")):
                for name, template in result.parts.items():
                    current = name
                    state = RenderState(result.first_drawing, result.first_num)
                    filled = render_part(template, {**context, **state.hooks()})
                    fetching = fetching_fields(result.name(name), filled)
                    if fetching:  # a field whose name a tag writes
                        return fetching
    except TemplateTimeout:
        return [
            f"{result.name(current)}: the trial run on the sample agreement takes longer than "
            f"{TRIAL_SECONDS} seconds; does a loop run without end?"
        ]
    except Exception as exc:
        return [result.failure(current, exc)]
    return []


def _unbalanced(tpl: DocxTemplate) -> list[str]:
    """Return the paragraphs whose tags do not open and close in the same paragraph.

    The body's and every header's and footer's: Enter pressed inside a tag is the same
    mistake wherever it is.
    """
    problems = []
    for label, root in stories(tpl.docx):
        prefix = f"{label}, " if label else ""
        for place, p in _paragraphs(root):
            text = "".join(t.text or "" for t in p.iter("{*}t"))
            for start, end in (("{{", "}}"), ("{%", "%}")):
                if text.count(start) != text.count(end):
                    shown = text if len(text) <= 60 else text[:57] + "..."
                    problems.append(
                        f'{prefix}{place} ("{shown}"): a tag is not closed in the same '
                        f"paragraph; every {start} needs its {end}"
                    )
                    break
    return problems


def _paragraphs(root: Any) -> list[tuple[str, Any]]:
    """Return the paragraphs of a body, header or footer, each with its place as Word shows it."""
    places: list[tuple[str, Any]] = []
    paragraph = table = 0
    for child in root.iterchildren():
        if child.tag.endswith("}p"):
            paragraph += 1
            places.append((f"paragraph {paragraph}", child))
        elif child.tag.endswith("}tbl"):
            table += 1
            for r, row in enumerate(child.iterchildren("{*}tr"), start=1):
                for c, cell in enumerate(row.iterchildren("{*}tc"), start=1):
                    for p in cell.iter("{*}p"):
                        places.append((f"table {table}, row {r}, cell {c}", p))
    return places


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
