"""The sandbox every template runs in: no Python internals, no raw XML, no unbounded values.

Jinja's immutable sandbox already keeps a template from Python's internals and from changing
the context. On top of it:
- nothing a template writes becomes markup: |safe, {% autoescape false %}, |xmlattr and
  |urlize are refused, so every text is escaped and the part stays well-formed XML;
- no operation builds a value larger than MAX_SIZE characters or items: repetition, powers,
  "%" and str.format widths, |join, |center and the like are checked before they run, and
  concatenation after each step, so a value never exceeds a few times the limit;
- loops watch a deadline when one is set (check-template's trial run), so a template that
  loops without writing anything still ends.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

import jinja2
from jinja2 import nodes, pass_eval_context
from jinja2.compiler import CodeGenerator, Frame
from jinja2.exceptions import SecurityError
from jinja2.sandbox import ImmutableSandboxedEnvironment

from .instrument import Hook, RowKeeper

__all__ = ["MAX_SIZE", "TemplateTimeout", "deadline", "environment", "refused"]

MAX_SIZE = 100_000  # characters or items; Jinja's own limit on range() is the same
_REFUSED_FILTERS = {
    "safe": "it would write text as Word XML",
    "xmlattr": "it writes XML attributes",
    "urlize": "it writes HTML links, which Word cannot read",
}
# The str methods a template may call: none of them builds more than its inputs, or the
# call checks the size first (_check_str_call).
_STR_METHODS = frozenset(
    [
        "capitalize",
        "casefold",
        "center",
        "count",
        "endswith",
        "find",
        "format",
        "index",
        "isalnum",
        "isalpha",
        "isdecimal",
        "isdigit",
        "islower",
        "isnumeric",
        "isspace",
        "istitle",
        "isupper",
        "join",
        "ljust",
        "lower",
        "lstrip",
        "partition",
        "removeprefix",
        "removesuffix",
        "replace",
        "rfind",
        "rindex",
        "rjust",
        "rpartition",
        "rsplit",
        "rstrip",
        "split",
        "splitlines",
        "startswith",
        "strip",
        "swapcase",
        "title",
        "upper",
        "zfill",
    ]
)
_DEADLINE: ContextVar[float | None] = ContextVar("followupdocs_deadline", default=None)
_NUMBER = re.compile(r"\d+")


class TemplateTimeout(Exception):
    """The trial run went on longer than its time limit."""


def _too_large(what: str) -> SecurityError:
    return SecurityError(f"{what} would be larger than {MAX_SIZE} characters or items")


def _length(value: Any) -> int:
    return len(value) if isinstance(value, (str, list, tuple)) else 1


def _sized(value: Any) -> Any:
    """Return `value` if it is within MAX_SIZE."""
    if _length(value) > MAX_SIZE:
        raise _too_large("the text")
    return value


def _check_width(width: Any, what: str) -> None:
    if isinstance(width, int) and width > MAX_SIZE:
        raise _too_large(what)
    if isinstance(width, str) and len(width) > MAX_SIZE:
        raise _too_large(what)


def _check_format(spec: str, args: Iterable[Any]) -> None:
    """Refuse a "%" or str.format format whose widths, given or passed, exceed the limit."""
    if any(int(number) > MAX_SIZE for number in _NUMBER.findall(spec)):
        raise _too_large("the formatted text")
    if "*" in spec or re.search(r"\{[^{}]*\{", spec):
        for arg in args:
            _check_width(arg, "the formatted text")


def _check_join(items: Any, joiner: Any = "") -> None:
    """Refuse joining `items` (a list, tuple or str) with `joiner` beyond the limit."""
    if isinstance(items, (list, tuple)):
        total = sum(_length(item) for item in items) + len(items) * _length(joiner)
    else:
        total = len(items) * (1 + _length(joiner))
    if total > MAX_SIZE:
        raise _too_large("the joined text")


def _listed(items: Any) -> Any:
    """Return `items` as a list, so it can be measured and still be joined afterwards."""
    return items if isinstance(items, (str, list, tuple)) else list(items)


def _join(eval_ctx: Any, value: Any, d: str = "", attribute: Any = None) -> Any:
    items = _listed(value)
    _check_join(items if attribute is None else [""] * len(items), d)
    return _sized(jinja2.filters.FILTERS["join"](eval_ctx, items, d, attribute))


def _check_str_call(method: str, text: str, args: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
    values = [*args, *kwargs.values()]
    if method in ("center", "ljust", "rjust", "zfill"):
        for value in values:
            _check_width(value, "the padded text")
    elif method == "join" and values:
        _check_join(values[0], text)
    elif method == "replace" and len(values) >= 2:
        old, new = str(values[0]), str(values[1])
        if len(text) + text.count(old) * max(len(new) - len(old), 0) + len(new) > MAX_SIZE:
            raise _too_large("the replaced text")
    elif method == "format":
        _check_format(text, values)


def _bounded(iterable: Any) -> Any:
    """Return `iterable`, watched for the deadline if one is set."""
    limit = _DEADLINE.get()
    return iterable if limit is None else _watched(iterable, limit)


def _watched(iterable: Iterable[Any], limit: float) -> Iterator[Any]:
    for count, item in enumerate(iterable):
        if not count & 255 and time.monotonic() > limit:
            raise TemplateTimeout
        yield item


def check_deadline() -> None:
    """Raise TemplateTimeout if the deadline set by `deadline` has passed."""
    limit = _DEADLINE.get()
    if limit is not None and time.monotonic() > limit:
        raise TemplateTimeout


@contextmanager
def deadline(seconds: float) -> Iterator[None]:
    """Let loops and check_deadline stop a template that runs longer than `seconds`."""
    token = _DEADLINE.set(time.monotonic() + seconds)
    try:
        yield
    finally:
        _DEADLINE.reset(token)


class _Guard:
    """One of the sandbox's own functions, called from compiled templates without checks."""

    __slots__ = ("function",)

    def __init__(self, function: Any) -> None:
        self.function = function


class _CodeGenerator(CodeGenerator):
    """Compile concatenation (~) with a size check and every loop with the deadline watch."""

    def visit_Concat(self, node: nodes.Concat, frame: Frame) -> None:
        self.write("environment.sized.function(")
        super().visit_Concat(node, frame)
        self.write(")")

    def visit_For(self, node: nodes.For, frame: Frame) -> None:
        wrapped = nodes.EnvironmentAttribute("bounded", lineno=node.iter.lineno)
        node.iter = nodes.Call(wrapped, [node.iter], [], None, None, lineno=node.iter.lineno)
        super().visit_For(node, frame)


def _filter(name: str, check: Any) -> Any:
    original = jinja2.filters.FILTERS[name]

    def checked(*args: Any, **kwargs: Any) -> Any:
        check(*args, **kwargs)
        return original(*args, **kwargs)

    checked.jinja_pass_arg = getattr(original, "jinja_pass_arg", None)  # type: ignore[attr-defined]
    return checked


def _refused_filter(name: str) -> Any:
    def refuse(*args: Any, **kwargs: Any) -> Any:
        raise SecurityError(f"|{name} is not allowed in a template: {_REFUSED_FILTERS[name]}")

    return refuse


def _check_sum(items: Any, attribute: Any = None, start: Any = 0) -> None:
    if isinstance(items, (list, tuple)) and not isinstance(start, (int, float)):
        _check_join(items)


def _lipsum(n: int = 5, html: bool = False, min: int = 20, max: int = 100) -> Any:
    _check_width(n * max, "the placeholder text")
    return jinja2.utils.generate_lorem_ipsum(n, html, min, max)


_DICT_ATTRIBUTES = frozenset(dir(dict))


class _Environment(ImmutableSandboxedEnvironment):
    """The sandbox, with size checks and a fast path for the render's own hooks.

    A template cannot make a Hook or a _Guard; they are the render's own functions, called a
    hundred thousand times in a large document, where the sandbox's checks would cost most of
    the time.
    """

    intercepted_binops = frozenset({"*", "**", "%", "+"})
    code_generator_class = _CodeGenerator

    def __init__(self, **options: Any) -> None:
        super().__init__(**options)
        self.sized = _Guard(_sized)
        self.bounded = _Guard(_bounded)
        for name in _REFUSED_FILTERS:
            self.filters[name] = _refused_filter(name)
        widths = {
            "center": lambda value, width=80: _check_width(width, "the centred text"),
            "indent": lambda value, width=4, *a, **k: _check_width(width, "the indented text"),
            "format": lambda value, *args, **kwargs: _check_format(str(value), args),
            "replace": lambda ctx, s, old, new, count=None: _check_str_call(
                "replace", str(s), (old, new), {}
            ),
            "batch": lambda value, linecount, fill_with=None: _check_width(linecount, "the batch"),
            "slice": lambda ctx, value, slices, fill_with=None: _check_width(slices, "the slices"),
            "sum": lambda env, items, attribute=None, start=0: _check_sum(items, attribute, start),
            "tojson": lambda ctx, value, indent=None: _check_width(indent, "the indentation"),
            "wordwrap": lambda env, s, width=79, long=True, wrapstring=None, *a: _check_width(
                len(str(s)) * (1 + _length(wrapstring or "")) // max(int(width), 1),
                "the wrapped text",
            ),
        }
        for name, check in widths.items():
            self.filters[name] = _filter(name, check)
        self.filters["join"] = pass_eval_context(_join)
        self.globals["lipsum"] = _lipsum

    def getattr(self, obj: Any, attribute: str) -> Any:
        # The context is plain dicts, and card.number is looked up a hundred thousand times in
        # a large document. Jinja tries getattr(dict, "number") first, fails, then takes the
        # item: take the item at once, unless a dict attribute of that name would win.
        if type(obj) is dict and attribute not in _DICT_ATTRIBUTES:
            try:
                return obj[attribute]
            except KeyError:
                pass
        return super().getattr(obj, attribute)

    def is_safe_attribute(self, obj: Any, attr: str, value: Any) -> bool:
        if isinstance(obj, str) and callable(value) and attr not in _STR_METHODS:
            return False
        return super().is_safe_attribute(obj, attr, value)

    def call(__self, __context: Any, __obj: Any, *args: Any, **kwargs: Any) -> Any:
        kind = type(__obj)
        if kind is Hook:  # its arguments are constants that instrument() wrote
            return __obj.function(*args)
        if kind is RowKeeper:  # the render's own, called once a table row: no checks needed
            return __obj(*args)
        if kind is _Guard:
            return __obj.function(*args)
        bound = getattr(__obj, "__wrapped__", __obj)  # str.format comes wrapped by the sandbox
        owner = getattr(bound, "__self__", None)
        if isinstance(owner, str):
            method = getattr(bound, "__name__", "")
            if method == "join" and args:
                args = (_listed(args[0]), *args[1:])
            _check_str_call(method, owner, args, kwargs)
        return super().call(__context, __obj, *args, **kwargs)

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        if operator == "*":
            if isinstance(left, int) and isinstance(right, (str, list, tuple)):
                left, right = right, left
            repeated = isinstance(left, (str, list, tuple)) and isinstance(right, int)
            if repeated and len(left) * right > MAX_SIZE:
                raise _too_large("the repeated text")
        elif operator == "**":
            if (
                isinstance(left, int)
                and isinstance(right, int)
                and right * max(abs(left), 2).bit_length() > 4 * MAX_SIZE
            ):
                raise _too_large("the number")
        elif operator == "%" and isinstance(left, str):
            _check_format(left, right if isinstance(right, tuple) else (right,))
        result = super().call_binop(context, operator, left, right)
        return _sized(result) if operator == "+" else result


def environment() -> jinja2.Environment:
    """Return the Jinja environment every template runs in.

    Sandboxed: a template from elsewhere cannot reach Python internals. Autoescaped: text from
    the YAML is data and never becomes markup or template code.
    """
    return _Environment(autoescape=True, undefined=jinja2.StrictUndefined)


def refused(tree: nodes.Template) -> list[tuple[int, str]]:
    """Return the line and the reason of every tag that would let text become Word XML."""
    found = []
    for node in tree.find_all(nodes.Filter):
        if node.name in _REFUSED_FILTERS:
            reason = _REFUSED_FILTERS[node.name]
            found.append((node.lineno, f"|{node.name} is not allowed in a template: {reason}"))
    for scope in tree.find_all((nodes.EvalContextModifier, nodes.ScopedEvalContextModifier)):
        for keyword in scope.options:
            value = keyword.value
            if keyword.key == "autoescape" and not (
                isinstance(value, nodes.Const) and value.value is True
            ):
                found.append(
                    (
                        scope.lineno,
                        "{% autoescape false %} is not allowed in a template: it would write "
                        "text as Word XML",
                    )
                )
    return sorted(found)
