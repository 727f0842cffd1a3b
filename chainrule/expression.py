"""Build a graph from text such as ``"tanh(w1*x1 + w2*x2 + b)"``, safely.

The text is parsed with :mod:`ast` and checked against an allow-list before anything is built:
numbers, variable names, ``+ - * / **``, unary ``-``/``+``, and calls of the engine's one-input
functions (``tanh(x)``, ``exp(x)``, ...). Anything else (attributes, subscripts, lambdas,
comprehensions, keyword arguments, strings, unknown names) is refused with an
:class:`ExpressionError` that names the column. Nothing is ever evaluated by Python: the
allowed tree is walked, without recursion, and each node becomes one engine operation.
"""

from __future__ import annotations

import ast
import unicodedata
from collections.abc import Callable, Mapping

from autograd import ops
from autograd.value import Value

MAX_LENGTH = 10_000
MAX_DEPTH = 200  # nesting levels; Python's own parser gives up somewhere near here anyway

# the one-input functions an expression may call: the ops whose registry entry says so
FUNCTIONS: dict[str, Callable[[Value], Value]] = {o.name: o.guarded for o in ops.OPS.values() if o.expression}

BINARY: dict[type[ast.operator], Callable[[Value, Value], Value]] = {
    ast.Add: ops.add,
    ast.Sub: ops.sub,
    ast.Mult: ops.mul,
    ast.Div: ops.div,
    ast.Pow: ops.pow,
}


class ExpressionError(ValueError):
    """The text is not an expression chainrule will build; ``column`` is 1-based (0: no column)."""

    def __init__(self, message: str, column: int = 0) -> None:
        self.column = column
        super().__init__(f"column {column}: {message}" if column else message)


OPERATORS: dict[type[ast.AST], str] = {  # the symbols of the refused ones, for the error
    ast.BitXor: "^",
    ast.Mod: "%",
    ast.FloorDiv: "//",
    ast.MatMult: "@",
    ast.LShift: "<<",
    ast.RShift: ">>",
    ast.BitOr: "|",
    ast.BitAnd: "&",
    ast.Invert: "~",
    ast.Not: "not",
}


def build_expression(text: str, variables: Mapping[str, float]) -> tuple[Value, dict[str, Value]]:
    """Return ``(root, leaves)``: the graph of ``text`` and one labelled leaf per variable.

    Every variable used must be given and every variable given must be used. Names are
    compared as Python's parser reads them, after NFKC normalisation (fullwidth ``ｘ`` is ``x``).
    """
    variables = _normalised(variables)
    tree = _parse(text)
    _check(tree, variables, text)
    leaves = {name: Value(value, label=name) for name, value in variables.items()}
    return _build(tree.body, leaves, text), leaves


def _normalised(variables: Mapping[str, float]) -> dict[str, float]:
    """The variables keyed by their names as Python reads them; two spellings of one name: error."""
    result: dict[str, float] = {}
    for name, value in variables.items():
        key = unicodedata.normalize("NFKC", name)
        if key in result:
            raise ExpressionError(f"variable {key!r} is given twice (as {name!r} and another spelling)")
        result[key] = value
    return result


def _parse(text: str) -> ast.Expression:
    if not text.strip():
        raise ExpressionError("the expression is empty")
    if len(text) > MAX_LENGTH:
        raise ExpressionError(f"the expression is longer than {MAX_LENGTH} characters")
    try:
        tree = ast.parse(text, mode="eval")
    except SyntaxError as err:
        raise ExpressionError(f"not a valid expression ({err.msg})", err.offset or len(text) + 1) from None
    except (RecursionError, MemoryError):
        raise ExpressionError(f"the expression is nested more than {MAX_DEPTH} levels deep") from None
    if _depth(tree.body) > MAX_DEPTH:  # whether the parser coped depends on the recursion limit
        raise ExpressionError(f"the expression is nested more than {MAX_DEPTH} levels deep")
    return tree


def _depth(root: ast.expr) -> int:
    """How many levels of nesting the tree has (walked with an explicit stack)."""
    deepest = 0
    stack: list[tuple[ast.AST, int]] = [(root, 1)]
    while stack:
        node, depth = stack.pop()
        deepest = max(deepest, depth)
        stack.extend((child, depth + 1) for child in ast.iter_child_nodes(node))
    return deepest


def _check(tree: ast.Expression, variables: Mapping[str, float], text: str) -> None:
    """Refuse every node outside the allow-list; check the variables used against those given."""
    used: set[str] = set()
    for node in ast.walk(tree.body):
        column = _column(text, node)
        if isinstance(node, ast.Constant):
            if type(node.value) not in (int, float):
                raise ExpressionError(f"only numbers are allowed, not {node.value!r}", column)
        elif isinstance(node, ast.Name):
            if node.id in FUNCTIONS:
                continue  # checked as part of its call
            if node.id not in variables:
                hint = f"give it a value, e.g. {node.id}=1.0"
                raise ExpressionError(f"unknown name {node.id!r}: {hint}", column)
            used.add(node.id)
        elif isinstance(node, ast.BinOp):
            if type(node.op) not in BINARY:
                raise _refused_operator(node, text)
        elif isinstance(node, ast.UnaryOp):
            if not isinstance(node.op, (ast.USub, ast.UAdd)):
                raise _refused_operator(node, text)
        elif isinstance(node, ast.Call):
            if not isinstance(node.func, ast.Name) or node.func.id not in FUNCTIONS:
                name = f"{node.func.id!r}" if isinstance(node.func, ast.Name) else "this"
                known = ", ".join(sorted(FUNCTIONS))
                raise ExpressionError(f"cannot call {name}: the functions are {known}", column)
            if len(node.args) != 1 or node.keywords or isinstance(node.args[0], ast.Starred):
                raise ExpressionError(f"{node.func.id}() takes exactly one argument", column)
        elif not isinstance(node, (ast.operator, ast.unaryop, ast.Load)):
            raise ExpressionError(f"{type(node).__name__} is not allowed in an expression", column)
        if isinstance(node, ast.Name) and not isinstance(node.ctx, ast.Load):
            raise ExpressionError("assignment is not allowed", column)
    for node in ast.walk(tree.body):
        if isinstance(node, ast.Name) and node.id in FUNCTIONS and not _is_called(tree, node):
            raise ExpressionError(f"{node.id} is a function: call it, e.g. {node.id}(x)", _column(text, node))
    extra = sorted(set(variables) - used)
    if extra:
        raise ExpressionError(f"variable {extra[0]!r} is given but not used in the expression")


def _refused_operator(node: ast.BinOp | ast.UnaryOp, text: str) -> ExpressionError:
    """The error for an operator outside ``+ - * / **``, at the operator's column.

    ``x^2`` gets the hint to write ``x**2``: in Python ``^`` is bitwise xor, not a power. The
    hint is the whole expression with every ``^`` written ``**``, which reads as the math does
    (``a^b^c`` is a^(b^c), as ``a**b**c`` is).
    """
    symbol = OPERATORS.get(type(node.op), type(node.op).__name__)
    column = _column(text, node)
    if (
        isinstance(node, ast.BinOp)
        and node.lineno == node.end_lineno
        and node.left.end_col_offset is not None
    ):
        line = text.splitlines()[node.lineno - 1].encode()  # ast's columns count UTF-8 bytes
        between = line[node.left.end_col_offset : node.right.col_offset]
        column = _column(text, node, node.left.end_col_offset + max(between.find(symbol.encode()), 0))
    if isinstance(node.op, ast.BitXor):
        power = text.strip().replace("^", "**")
        example = power if len(power) <= 60 and "\n" not in power else "x**2 for x squared"
        return ExpressionError(f"^ is not a power in Python (it is bitwise xor): write {example}", column)
    return ExpressionError(
        f"operator {symbol} is not allowed: the operators are + - * / ** and unary -", column
    )


def _column(text: str, node: ast.AST, offset: int | None = None) -> int:
    """The 1-based column, in characters, of ``node`` (or of byte ``offset`` on its line); 0 if none.

    ``ast`` counts UTF-8 bytes: ``ｘ^2``'s ``^`` is at byte 3 but is the second character.
    """
    lineno = getattr(node, "lineno", None)
    if offset is None:
        offset = getattr(node, "col_offset", None)
    if lineno is None or offset is None:
        return 0
    lines = text.splitlines() or [""]
    line = lines[min(lineno, len(lines)) - 1].encode()
    return len(line[:offset].decode(errors="replace")) + 1


def _is_called(tree: ast.Expression, name: ast.Name) -> bool:
    return any(isinstance(n, ast.Call) and n.func is name for n in ast.walk(tree.body))


def _build(root: ast.expr, leaves: Mapping[str, Value], text: str) -> Value:
    """Turn the checked tree into Values, children before parents, with an explicit stack."""
    built: dict[int, Value] = {}
    stack: list[tuple[ast.expr, bool]] = [(root, False)]
    while stack:
        node, children_done = stack.pop()
        children = _children(node)
        if not children_done and children:
            stack.append((node, True))
            stack.extend((child, False) for child in children)
            continue
        built[id(node)] = _make(node, [built[id(c)] for c in children], leaves, text)
    return built[id(root)]


def _children(node: ast.expr) -> list[ast.expr]:
    if isinstance(node, ast.BinOp):
        return [node.left, node.right]
    if isinstance(node, ast.UnaryOp):
        return [node.operand]
    if isinstance(node, ast.Call):
        return [node.args[0]]
    return []


def _make(node: ast.expr, args: list[Value], leaves: Mapping[str, Value], text: str) -> Value:
    column = _column(text, node)
    try:
        if isinstance(node, ast.Constant):
            return Value(node.value)  # int or float, checked above
        if isinstance(node, ast.Name):
            return leaves[node.id]
        if isinstance(node, ast.BinOp):
            return BINARY[type(node.op)](args[0], args[1])
        if isinstance(node, ast.UnaryOp):
            return ops.neg(args[0]) if isinstance(node.op, ast.USub) else args[0]
        assert isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
        return FUNCTIONS[node.func.id](args[0])
    except (ArithmeticError, ValueError) as err:  # domain errors, overflow, huge literals
        raise ExpressionError(str(err), column) from None
