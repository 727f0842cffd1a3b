"""Matrices of Values: the lesson's ``np.dot(X, w) + b`` written with ordinary nodes.

A matrix here is a list of rows, each a list of ``Value``s (``A[i][j]``). Every entry of a
result is an ordinary ``Value`` made by an ordinary op, so ``backward()``, the pictures,
``explain`` and the rule lab work on it unchanged:

    C = matmul(A, B)         C[i][j] = dot(A[i][:], B[:][j])      one ``dot`` node per entry
    transpose(A)             Aᵀ[j][i] = A[i][j]                    the same Values, no new node
    matrix_add(A, B)         A[i][j] + B[i][j], B broadcast as numpy does (a bias row (1, n) or (n,))
    matrix_sub, matrix_mul   the same with - and * (elementwise: the Hadamard product)
    matrix_map(f, A)         f(A[i][j]) for a one-argument op (autograd.sigmoid, Value.tanh, ...)
    matrix_sum(A, axis)      the sum over axis 0 (down each column), 1 (along each row) or all
    matrix_mean(A, axis)     that sum times 1/count

Inputs may be lists (or tuples) of rows holding Values or real numbers, numpy arrays
(numbers or ``dtype=object`` arrays of Values, read through their ``.tolist()``: the engine does
not import numpy), or a bare number where an elementwise op broadcasts one. Numbers become
constant leaf Values. Results are always lists of lists (``matrix_sum`` and ``matrix_mean`` over
an axis keep it, as numpy's ``keepdims=True``: axis 0 gives one row, axis 1 one column).

Ragged rows, an empty matrix, shapes that do not fit and entries that are not numbers are a
``ValueError`` or ``TypeError`` naming the op and the shapes, raised before any op node is built.
The derivatives are those of the entries' own ops: for ``Z = X·W``, dL/dX = dL/dZ·Wᵀ and
dL/dW = Xᵀ·dL/dZ are what ``backward()`` adds up edge by edge.
"""

from __future__ import annotations

import numbers
from collections.abc import Callable
from typing import Any

from autograd.ops import dot
from autograd.ops import sum as value_sum
from autograd.value import Value, clip, to_float

Matrix = list[list[Value]]
Shape = tuple[int, int]

__all__ = [
    "Matrix",
    "as_matrix",
    "matmul",
    "matrix_add",
    "matrix_data",
    "matrix_grad",
    "matrix_map",
    "matrix_mean",
    "matrix_mul",
    "matrix_sub",
    "matrix_sum",
    "shape_of",
    "transpose",
]


def _rows(a: Any, op: str, name: str, vector_ok: bool = False) -> list[list[Any]]:
    """``a`` as a list of rows (not yet Values), checked: 2-D, not ragged, not empty.

    ``vector_ok``: a flat list (numpy shape (n,)) is read as one row, as numpy broadcasts it.
    """
    given = a
    if hasattr(a, "tolist") and not isinstance(a, Value):  # a numpy array, without importing numpy
        a = a.tolist()
    if isinstance(a, Value) or not isinstance(a, (list, tuple)):
        got = f"{type(given).__name__} {clip(repr(given))}"
        raise TypeError(f"{op}: {name} must be a matrix (a list of rows), got {got}")
    if len(a) == 0:
        shape = tuple(getattr(given, "shape", (0,)))  # numpy's (0, n) is (0, n), a list's is (0,)
        raise ValueError(f"{op}: {name} is empty (shape {shape}); a matrix needs at least one row and column")
    a = [r.tolist() if hasattr(r, "tolist") and not isinstance(r, Value) else r for r in a]  # numpy rows
    if all(not isinstance(r, (list, tuple)) for r in a):
        if vector_ok:
            a = [list(a)]
        else:
            raise ValueError(
                f"{op}: {name} is a flat list (shape ({len(a)},)), not a matrix: write a row as [[...]]"
            )
    for i, r in enumerate(a):
        if not isinstance(r, (list, tuple)):
            got = f"{type(r).__name__} {clip(repr(r))}"
            raise ValueError(
                f"{op}: {name} mixes rows and single numbers: {name}[{i}] is {got}, not a row (a list)"
            )
    rows = [list(r) for r in a]
    lengths = [len(r) for r in rows]
    if len(set(lengths)) > 1:
        raise ValueError(f"{op}: {name} is ragged: its rows have lengths {lengths}")
    if lengths[0] == 0:
        raise ValueError(f"{op}: {name} is empty (shape ({len(rows)}, 0))")
    return rows


def _values(rows: list[list[Any]], op: str, name: str) -> Matrix:
    """Each entry as a Value: a Value as it is, a real number as a constant leaf, else TypeError."""
    out: Matrix = []
    for i, row in enumerate(rows):
        new = []
        for j, x in enumerate(row):
            if isinstance(x, Value):
                new.append(x)
            elif isinstance(x, (list, tuple)):
                raise ValueError(f"{op}: {name}[{i}][{j}] is a list: a matrix has two dimensions, not three")
            else:
                new.append(Value(to_float(x, f"{op}: {name}[{i}][{j}]")))
        out.append(new)
    return out


def _matrix(a: Any, op: str, name: str) -> Matrix:
    """``a`` checked as ``_rows`` checks it (a flat list refused), each entry as a Value."""
    return _values(_rows(a, op, name), op, name)


def shape_of(a: Any) -> Shape:
    """(rows, columns) of a matrix (a list of rows, or a numpy array); checked as the ops check it."""
    rows = _rows(a, "shape_of", "the matrix")
    return (len(rows), len(rows[0]))


def as_matrix(a: Any, label: str = "") -> Matrix:
    """A matrix of Values from numbers (or Values), each a new leaf labelled ``label[i][j]``.

    Values given are kept as they are (and relabelled only where they have no label).
    """
    m = _matrix(a, "as_matrix", label or "the matrix")
    if label:
        for i, row in enumerate(m):
            for j, v in enumerate(row):
                if not v.label:
                    v.label = f"{label}[{i}][{j}]"
    return m


def matrix_data(a: Any) -> list[list[float]]:
    """The numbers of a matrix of Values: ``[[A[i][j].data ...] ...]``."""
    return [[v.data for v in row] for row in _matrix(a, "matrix_data", "the matrix")]


def matrix_grad(a: Any) -> list[list[float]]:
    """The grads of a matrix of Values after ``backward()``: ``[[A[i][j].grad ...] ...]``."""
    # after backward(create_graph=True) a grad is a Value: float() of it is its number
    return [[float(v.grad) for v in row] for row in _matrix(a, "matrix_grad", "the matrix")]


def transpose(a: Any) -> Matrix:
    """Aᵀ: Aᵀ[j][i] = A[i][j]. The same Values rearranged (numbers become leaves): no node is added."""
    m = _matrix(a, "transpose", "A")
    return [list(col) for col in zip(*m)]


def matmul(a: Any, b: Any) -> Matrix:
    """C = A·B for A of shape (m, n) and B of shape (n, k): C[i][j] = Σₜ A[i][t]·B[t][j].

    Each entry is one ``dot`` node over row i of A and column j of B, so after ``backward()``
    A[i][t].grad = Σⱼ C[i][j].grad·B[t][j]  (dA = dC·Bᵀ)  and
    B[t][j].grad = Σᵢ A[i][t]·C[i][j].grad  (dB = Aᵀ·dC).
    """
    ra, rb = _rows(a, "matmul", "A"), _rows(b, "matmul", "B")
    sa, sb = (len(ra), len(ra[0])), (len(rb), len(rb[0]))
    if sa[1] != sb[0]:
        raise ValueError(
            f"matmul: shapes {sa} and {sb} do not fit: A's columns ({sa[1]}) must equal B's rows ({sb[0]})"
        )
    ma, mb = _values(ra, "matmul", "A"), _values(rb, "matmul", "B")
    columns = [list(col) for col in zip(*mb)]
    return [[dot(row, col) for col in columns] for row in ma]


def _broadcast(sa: Shape, sb: Shape, op: str) -> Shape:
    out = []
    for x, y in zip(sa, sb):
        if x != y and 1 not in (x, y):
            raise ValueError(
                f"{op}: shapes {sa} and {sb} do not broadcast: each dimension must be equal or 1"
            )
        out.append(max(x, y))
    return (out[0], out[1])


def _elementwise(a: Any, b: Any, op: str, f: Callable[[Value, Value], Value]) -> Matrix:
    """f(A[i][j], B[i][j]) with numpy's broadcasting: a dimension of size 1 (or a bare number,
    shape (1, 1); a flat list, one row) is stretched to the other's, the same Value reused."""
    ra = _rows(a, op, "A", vector_ok=True) if _is_matrix_like(a) else _one_number(a, op, "A")
    rb = _rows(b, op, "B", vector_ok=True) if _is_matrix_like(b) else _one_number(b, op, "B")
    sa, sb = (len(ra), len(ra[0])), (len(rb), len(rb[0]))
    m, n = _broadcast(sa, sb, op)
    ma, mb = _values(ra, op, "A"), _values(rb, op, "B")
    return [
        [f(ma[i if sa[0] > 1 else 0][j if sa[1] > 1 else 0], mb[i if sb[0] > 1 else 0][j if sb[1] > 1 else 0])
         for j in range(n)]
        for i in range(m)
    ]  # fmt: skip


def _one_number(x: Any, op: str, name: str) -> list[list[Any]]:
    """A bare number (or a Value) as a (1, 1) matrix; anything else a TypeError naming it.

    A numpy scalar or 0-d array (``ndim`` 0) is read through its ``.tolist()``, a Python number.
    """
    if not isinstance(x, Value):
        x = x.tolist() if hasattr(x, "tolist") else x
        try:
            to_float(x, f"{op}: {name}")  # an int beyond 1.8e308 is its OverflowError
        except TypeError:
            got = f"{type(x).__name__} {clip(repr(x))}"
            raise TypeError(
                f"{op}: {name} must be a matrix (a list of rows) or one number, got {got}"
            ) from None
    return [[x]]


def _is_matrix_like(x: Any) -> bool:
    if isinstance(x, Value):
        return False
    return isinstance(x, (list, tuple)) or (hasattr(x, "tolist") and getattr(x, "ndim", 1) > 0)


def matrix_add(a: Any, b: Any) -> Matrix:
    """A + B entry by entry, broadcast as numpy does: a bias row of shape (1, n) or (n,), a
    column (m, 1) or one number is added to every row / column. A broadcast entry is used by
    every row, so its grad is the sum of theirs (db = Σᵢ dZ[i])."""
    return _elementwise(a, b, "matrix_add", lambda x, y: x + y)


def matrix_sub(a: Any, b: Any) -> Matrix:
    """A - B entry by entry, broadcast as ``matrix_add``."""
    return _elementwise(a, b, "matrix_sub", lambda x, y: x - y)


def matrix_mul(a: Any, b: Any) -> Matrix:
    """A ⊙ B (the elementwise, Hadamard product), broadcast as ``matrix_add``: not ``matmul``."""
    return _elementwise(a, b, "matrix_mul", lambda x, y: x * y)


def matrix_map(f: Callable[[Value], Value], a: Any) -> Matrix:
    """f(A[i][j]) for every entry, ``f`` a one-argument op such as ``autograd.sigmoid``."""
    if not callable(f):
        got = f"{type(f).__name__} {clip(repr(f))}"
        raise TypeError(f"matrix_map: f must be a function of one Value, got {got}")
    m = _matrix(a, "matrix_map", "A")
    out: Matrix = []
    for i, row in enumerate(m):
        new = []
        for j, v in enumerate(row):
            r = f(v)
            if not isinstance(r, Value):
                got = f"{type(r).__name__} {clip(repr(r))}"
                raise TypeError(f"matrix_map: f must return a Value, got {got} from f(A[{i}][{j}])")
            new.append(r)
        out.append(new)
    return out


def _check_axis(axis: object, op: str) -> None:
    if axis is not None and (
        isinstance(axis, bool) or not isinstance(axis, numbers.Integral) or axis not in (0, 1)
    ):
        raise ValueError(f"{op}: axis must be 0 (down each column), 1 (along each row) or None, got {axis!r}")


def matrix_sum(a: Any, axis: int | None = None) -> Any:
    """Σ of the entries: axis 0 → one row (the sum of each column, shape (1, n)); axis 1 → one
    column (shape (m, 1)); None → one Value. Each sum is one ``autograd.sum`` node: d/dA[i][j] = 1."""
    _check_axis(axis, "matrix_sum")
    m = _matrix(a, "matrix_sum", "A")
    if axis is None:
        return value_sum([v for row in m for v in row])
    if axis == 0:
        return [[value_sum(col) for col in zip(*m)]]
    return [[value_sum(row)] for row in m]


def matrix_mean(a: Any, axis: int | None = None) -> Any:
    """The mean: ``matrix_sum`` then times 1/count (count = rows for axis 0, columns for axis 1,
    all entries for None), one ``mul`` node each: d/dA[i][j] = 1/count."""
    _check_axis(axis, "matrix_mean")
    m = _matrix(a, "matrix_mean", "A")  # its own name on a bad entry, not matrix_sum's
    count = {None: len(m) * len(m[0]), 0: len(m), 1: len(m[0])}[axis]
    s = matrix_sum(m, axis)
    if axis is None:
        return _scale(s, count)
    return [[_scale(v, count) for v in row] for row in s]


def _scale(v: Value, count: int) -> Value:
    """v · (1/count) as one ``mul`` node (its local grads: 1/count, and v for the constant)."""
    return v * (1.0 / count)
