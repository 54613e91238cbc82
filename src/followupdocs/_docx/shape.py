"""Infer the shape of the template context and check a template's names against it.

The check is static: it walks the Jinja syntax tree and compares every variable and attribute
the template uses with the shape of the sample contexts, so every problem is found at once.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterable
from functools import lru_cache
from typing import Any

from jinja2 import nodes

from .places import Locator

__all__ = ["Names", "Samples", "context_shape"]

# Given an image factory, return the context of a sample agreement for each of its rounds.
Samples = Callable[[Callable[..., Any]], Iterable[dict[str, Any]]]

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


class Names:
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


@lru_cache(maxsize=4)
def _sample_shape(samples: Samples) -> dict[str, Any]:
    merged: Any = {}
    for context in samples(lambda *key: "image"):
        merged = _merge(merged, _shape(context))
    return dict(merged)


def context_shape(samples: Samples) -> dict[str, Any]:
    """Return the shape of the template context: every key, nested, with list elements."""
    return dict(_sample_shape(samples))
