"""Hand-written pages in ``docs/``: their Jinja runs in a sandbox that can call the macros.

A docs page may call the review's macros (those ``define_env`` in ``macros/__init__.py``
registers: ``cite``) and print its own front matter's values and ``page.title``, ``page.url``,
``page.meta``. Nothing else: no loops, assignments, arithmetic, includes, imports, template
inheritance, method calls, attributes starting with ``_`` or filters outside a short list of
pure ones. Each page is checked before it runs (every refusal names the page's line), then
rendered by an ``ImmutableSandboxedEnvironment`` without Jinja's default globals
(``range``, ``cycler``, ``lipsum``...), without a loader and with undefined names as errors.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterator, Mapping
from types import TracebackType
from typing import Any

import jinja2
from jinja2 import nodes
from jinja2.sandbox import ImmutableSandboxedEnvironment

HINT = 'a docs page can call cite("key", locator="...") and print its front matter, nothing else'
UNDEFINED_HINT = 'fix the macro\'s name; pages can call cite("key", locator="...")'
SYNTAX_HINT = "check the {{ ... }} and {% ... %} on this page"
_TEMPLATE_FILE = "<template>"  # what Jinja names the code of a template made from a string

# What a page's template may be made of; anything else is refused before it runs.
_ALLOWED: tuple[type[nodes.Node], ...] = (
    nodes.Template,
    nodes.Output,
    nodes.TemplateData,
    nodes.Const,
    nodes.Name,
    nodes.Call,
    nodes.Keyword,
    nodes.Getattr,
    nodes.Getitem,
    nodes.Filter,
    nodes.Test,
    nodes.If,
    nodes.CondExpr,
    nodes.Compare,
    nodes.Operand,
    nodes.And,
    nodes.Or,
    nodes.Not,
    nodes.Neg,
    nodes.Pos,
    nodes.Concat,
    nodes.List,
    nodes.Tuple,
    nodes.Dict,
    nodes.Pair,
)
# Filters whose output grows at most with their input: no widths, counts or repetitions.
SAFE_FILTERS = frozenset(
    {
        "abs",
        "capitalize",
        "d",
        "default",
        "e",
        "escape",
        "first",
        "int",
        "last",
        "length",
        "lower",
        "round",
        "string",
        "striptags",
        "title",
        "trim",
        "upper",
        "urlencode",
    }
)
_STATEMENTS = {
    "Include": "{% include %}",
    "Import": "{% import %}",
    "FromImport": "{% from ... import %}",
    "Extends": "{% extends %}",
    "Block": "{% block %}",
    "For": "{% for %}",
    "Macro": "{% macro %}",
    "CallBlock": "{% call %}",
    "FilterBlock": "{% filter %}",
    "With": "{% with %}",
    "Assign": "{% set %}",
    "AssignBlock": "{% set %}",
    "Scope": "{% with %}",
    "ScopedEvalContextModifier": "{% autoescape %}",
    "EvalContextModifier": "{% autoescape %}",
    "ExprStmt": "{% do %}",
    "Break": "{% break %}",
    "Continue": "{% continue %}",
}
_PLAIN = (str, int, float, bool, type(None), datetime.date)


class DocsTemplateError(Exception):
    """A page's template was refused or failed: the line (in the page) and what to do."""

    def __init__(self, line: int, message: str, hint: str = HINT) -> None:
        self.line = line
        self.message = message.rstrip(".")
        self.hint = hint
        super().__init__(f"{self.line}: {self.message}. Hint: {self.hint}.")


class MacroRegistry:
    """What ``define_env`` is given: collects the macros; ``page`` and ``markdown`` are those
    of the page being rendered, ``conf`` the MkDocs configuration (never seen by a page)."""

    def __init__(self, conf: Any) -> None:
        self.conf = conf
        self.macros: dict[str, Callable[..., str]] = {}
        self.page: Any = None
        self.markdown = ""

    def macro(self, function: Callable[..., str]) -> Callable[..., str]:
        self.macros[function.__name__] = function
        return function


class _Sandbox(ImmutableSandboxedEnvironment):
    def __init__(self, macros: Mapping[str, Callable[..., str]]) -> None:
        super().__init__(undefined=jinja2.StrictUndefined, autoescape=False)
        self.globals.clear()  # no range, dict, lipsum, cycler, joiner, namespace
        self.globals.update(macros)
        self.filters = {name: f for name, f in self.filters.items() if name in SAFE_FILTERS}

        self.macros = tuple(macros.values())

    def is_safe_callable(self, obj: Any) -> bool:
        # An undefined name fails here, as undefined (StrictUndefined refuses the look-up).
        return super().is_safe_callable(obj) and any(obj is m for m in self.macros)


def render_page(
    source: str, macros: Mapping[str, Callable[..., str]], variables: Mapping[str, Any]
) -> str:
    """The page's Markdown with its ``{{ ... }}`` evaluated; ``DocsTemplateError`` if refused.

    ``variables`` must be plain data (see ``plain``). Errors a macro raises itself pass through.
    """
    sandbox = _Sandbox(macros)
    try:
        tree = sandbox.parse(source)
    except jinja2.TemplateSyntaxError as exc:
        raise DocsTemplateError(exc.lineno, exc.message or "syntax error", SYNTAX_HINT) from None
    except RecursionError:
        raise DocsTemplateError(1, "the page's {{ ... }} are nested too deeply") from None
    refused = next(_refusals(tree, set(macros)), None)
    if refused is not None:
        raise refused
    try:
        return sandbox.from_string(tree).render(**variables)
    except jinja2.UndefinedError as exc:
        line = _template_line(exc.__traceback__)
        raise DocsTemplateError(line, str(exc), UNDEFINED_HINT) from None
    except (jinja2.TemplateError, ArithmeticError, LookupError, TypeError, ValueError) as exc:
        raise DocsTemplateError(_template_line(exc.__traceback__), str(exc)) from None


def plain(value: Any) -> Any:
    """Front-matter values as plain data a page may print (anything else as its text)."""
    if isinstance(value, _PLAIN):
        return value
    if isinstance(value, Mapping):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    return str(value)


def _template_line(tb: TracebackType | None) -> int:
    line = 1
    while tb is not None:
        if tb.tb_frame.f_code.co_filename == _TEMPLATE_FILE:
            line = tb.tb_lineno
        tb = tb.tb_next
    return line


def _refusals(tree: nodes.Node, macros: set[str]) -> Iterator[DocsTemplateError]:
    """Every construct a docs page may not use: a statement first, an expression innermost
    first (``cycler.__init__.__globals__`` is refused for ``__init__``)."""
    what = _refused(tree, macros)
    line = getattr(tree, "lineno", 1) or 1
    statement = isinstance(tree, nodes.Stmt)
    if what is not None and statement:  # a statement before what it holds
        yield DocsTemplateError(line, f"{what} is not allowed in a docs page")
    for child in tree.iter_child_nodes():
        yield from _refusals(child, macros)
    if what is not None and not statement:  # an expression after what it holds
        yield DocsTemplateError(line, f"{what} is not allowed in a docs page")


def _refused(node: nodes.Node, macros: set[str]) -> str | None:  # noqa: PLR0911 - one per kind
    kind = type(node).__name__
    if not isinstance(node, _ALLOWED):
        if kind in _STATEMENTS:
            return _STATEMENTS[kind]
        if isinstance(node, nodes.BinExpr):
            return f"the operator '{node.operator}'"
        return f"'{kind}'"
    if isinstance(node, nodes.Name) and node.name == "self":
        return f"the name '{node.name}'"
    if isinstance(node, nodes.Getattr) and node.attr.startswith("_"):
        return f"the attribute '{node.attr}'"
    if (
        isinstance(node, nodes.Getitem)
        and isinstance(node.arg, nodes.Const)
        and str(node.arg.value).startswith("_")
    ):
        return f"the item '{node.arg.value}'"
    if isinstance(node, nodes.Call) and not (isinstance(node.node, nodes.Name)):
        names = ", ".join(f"{m}()" for m in sorted(macros)) or "none"
        return f"calling anything but the page's macros ({names})"
    if isinstance(node, nodes.Filter) and node.name not in SAFE_FILTERS:
        return f"the filter '{node.name}'"
    return None
