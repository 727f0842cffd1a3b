"""The inner functions of a forward rule written as outer(inner(x)), to name "forgot the chain rule".

d/dx sin(2x) = cos(2x) · 2: a learner who writes cos(2x) has forgotten the inner derivative 2,
and the numbers alone would say "off by a factor 1/2" (or, for exp(-x), "the sign is flipped").
To tell them apart the checker reads the forward rule's source: when its body is one
``return EXPR`` (or a lambda; names assigned before the return are replaced by what they hold),
it walks down from the top of EXPR through one-argument calls (``sin(...)``), powers with a
constant exponent (``(...)**3``) and negation, and each argument met on the way that is not a
bare input or constant is an inner function. A learner's derivative
that is right once multiplied by an inner function's derivative forgot the chain rule there.

The source is trusted only when the expression, evaluated with the forward rule's own names,
gives the forward rule's numbers; otherwise (a builtin such as ``math.sin``, source that cannot
be read) there are no inner functions and the numbers alone are diagnosed.
"""

from __future__ import annotations

import ast
import builtins
import inspect
import math
import textwrap
import tokenize
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from autograd.learn.points import Point


@dataclass(frozen=True)
class Inner:
    """An inner function of the forward rule: its text (``2 * x``) and the function itself."""

    text: str
    function: Callable[..., float]


def inner_functions(forward: Callable[..., float], points: Sequence[Point]) -> tuple[Inner, ...]:
    """The inner functions of ``forward``, outermost first; () when its source cannot be trusted."""
    found = _return_expression(forward)
    if found is None:
        return ()
    expression, parameters = found
    namespace = _names_of(forward)
    whole = _compile(expression, parameters, namespace)
    if whole is None or not _agrees(whole, forward, points):
        return ()
    inners = []
    for node in _chain(expression):
        function = _compile(node, parameters, namespace)
        if function is not None:
            inners.append(Inner(ast.unparse(node), function))
    return tuple(inners)


def _return_expression(forward: Callable[..., float]) -> tuple[ast.expr, list[str]] | None:
    """The expression ``forward`` returns and its parameters' names, or None."""
    code = getattr(forward, "__code__", None)
    if code is None:
        return None
    parameters = list(code.co_varnames[: code.co_argcount])
    try:
        source = textwrap.dedent(inspect.getsource(forward))
    except (OSError, TypeError, SyntaxError, tokenize.TokenError):
        # no source, or lines that are not this function's (code compiled under another file's
        # name, as a doc's example is); 3.12's tokenizer raises TokenError where 3.11's went on
        return None
    tree = _parse(source)
    if tree is None:
        return None
    name = getattr(forward, "__name__", "")
    for node in ast.walk(tree):
        arguments = getattr(node, "args", None)
        if not isinstance(arguments, ast.arguments) or [a.arg for a in arguments.args] != parameters:
            continue
        if isinstance(node, ast.Lambda) and name == "<lambda>":
            return node.body, parameters
        if isinstance(node, ast.FunctionDef) and node.name == name:
            found = _inlined([s for s in node.body if not _is_docstring(s)])
            return (found, parameters) if found is not None else None
    return None


def _inlined(body: list[ast.stmt]) -> ast.expr | None:
    """The returned expression, with the names assigned before it replaced by their expressions.

    ``n = w * x + b`` then ``return math.tanh(n)`` gives ``math.tanh(w * x + b)``. Only a body of
    plain assignments to one name each, then one ``return``, is read; anything else gives None.
    """
    known: dict[str, ast.expr] = {}

    class Inline(ast.NodeTransformer):
        def visit_Name(self, node: ast.Name) -> ast.expr:
            return known.get(node.id, node) if isinstance(node.ctx, ast.Load) else node

    for statement in body:
        if isinstance(statement, ast.Assign) and len(statement.targets) == 1:
            target = statement.targets[0]
            if not isinstance(target, ast.Name):
                return None
            known[target.id] = Inline().visit(statement.value)
        elif isinstance(statement, ast.Return) and statement.value is not None and statement is body[-1]:
            expression: ast.expr = Inline().visit(statement.value)
            return expression
        else:
            return None
    return None


def _parse(source: str) -> ast.Module | None:
    """The source parsed; a lambda's line may hold more than the lambda: trim it until it parses.

    A lambda on a line of a call or a list ends with the brackets that close it
    (``lambda x: math.sin(2 * x))``): they are cut one at a time until the text parses.
    """
    lines = source.splitlines()
    for end in range(len(lines), 0, -1):
        candidate = "\n".join(lines[:end])
        while True:
            try:
                return ast.parse(candidate)
            except SyntaxError:
                pass
            trimmed = candidate.rstrip()
            if not trimmed.endswith((",", ")", "]", "}")):
                break
            candidate = trimmed[:-1]
    return None


def _is_docstring(statement: ast.stmt) -> bool:
    return isinstance(statement, ast.Expr) and isinstance(statement.value, ast.Constant)


def _names_of(forward: Callable[..., float]) -> dict[str, Any]:
    """The names ``forward``'s body sees: its globals, its closure, the builtins."""
    namespace: dict[str, Any] = dict(vars(builtins))
    namespace.update(getattr(forward, "__globals__", {}))
    code = getattr(forward, "__code__", None)
    closure = getattr(forward, "__closure__", None) or ()
    if code is not None:
        for free, cell in zip(code.co_freevars, closure):
            try:
                namespace[free] = cell.cell_contents
            except ValueError:  # an empty cell
                continue
    return namespace


def _compile(node: ast.expr, parameters: list[str], namespace: dict[str, Any]) -> Callable[..., float] | None:
    """``node`` as a function of the parameters, or None."""
    lambda_node = ast.Expression(
        ast.Lambda(
            ast.arguments(
                posonlyargs=[],
                args=[ast.arg(p) for p in parameters],
                kwonlyargs=[],
                kw_defaults=[],
                defaults=[],
            ),
            node,
        )
    )
    try:
        code = compile(ast.fix_missing_locations(lambda_node), "<inner function>", "eval")
        function: Callable[..., float] = eval(code, namespace)  # the forward rule's own text
    except Exception:
        return None
    return function


def _agrees(whole: Callable[..., float], forward: Callable[..., float], points: Sequence[Point]) -> bool:
    """Whether the expression read from the source gives forward's numbers at a few points."""
    tried = 0
    for point in points[:: max(1, len(points) // 4)]:
        try:
            a, b = float(whole(*point)), float(forward(*point))
        except Exception:
            return False
        if not (math.isfinite(a) and math.isfinite(b)) or abs(a - b) > 1e-9 * max(1.0, abs(b)):
            return False
        tried += 1
    return tried > 0


def _chain(expression: ast.expr) -> list[ast.expr]:
    """The inner expressions met walking down from the top: arguments of calls and powers' bases."""
    inners: list[ast.expr] = []
    node: ast.expr | None = expression
    while node is not None:
        inner: ast.expr | None = None
        if isinstance(node, ast.Call) and len(node.args) == 1 and not node.keywords:
            inner = node.args[0]
        elif (
            isinstance(node, ast.BinOp)
            and isinstance(node.op, ast.Pow)
            and isinstance(node.right, ast.Constant)
        ):
            inner = node.left
        elif isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
            node = node.operand
            continue
        if inner is not None and not isinstance(inner, (ast.Name, ast.Constant)):
            inners.append(inner)
        node = inner
    return inners
