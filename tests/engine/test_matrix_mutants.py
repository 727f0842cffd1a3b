"""Holes the mutation session found in autograd/matrix.py (docs/testing.md, issue 23).

Each case states a fact known without the engine: an error's exact text, read off the module's
spec (the op, the argument, the shape or the entry, and the value), numpy's own answer in
float64 (broadcast shapes, sums, means), or a derivative by hand (d mean / d A[i][j] = 1/count).
"""

from __future__ import annotations

import array
import itertools
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest

import autograd
from autograd import (
    Value,
    as_matrix,
    matmul,
    matrix_add,
    matrix_data,
    matrix_grad,
    matrix_map,
    matrix_mean,
    matrix_mul,
    matrix_sub,
    matrix_sum,
    transpose,
)
from autograd.matrix import shape_of


def error_of(kind: type[Exception], call: Callable[[], object]) -> str:
    with pytest.raises(kind) as info:
        call()
    return str(info.value)


# --- every op names itself, the argument and the bad part --------------------------------------

# (what is wrong, the bad matrix, the error's class, its text after "op: ", {n} for the argument)
BAD = [
    ("entry", [[1.0, "x"]], TypeError, "{n}[0][1]: expected a real number, got str 'x'"),
    ("3-D", [[1.0, [2.0]]], ValueError, "{n}[0][1] is a list: a matrix has two dimensions, not three"),
    ("ragged", [[1.0, 2.0], [3.0]], ValueError, "{n} is ragged: its rows have lengths [2, 1]"),
    ("empty", [], ValueError, "{n} is empty (shape (0,)); a matrix needs at least one row and column"),
    ("empty row", [[]], ValueError, "{n} is empty (shape (1, 0))"),
    (
        "mixed",
        [[1.0, 2.0], 3.5],
        ValueError,
        "{n} mixes rows and single numbers: {n}[1] is float 3.5, not a row (a list)",
    ),
]
FLAT = (
    "flat",
    [1.0, 2.0],
    ValueError,
    "{n} is a flat list (shape (2,)), not a matrix: write a row as [[...]]",
)
NOT_A_MATRIX = ("int", 5, TypeError, "{n} must be a matrix (a list of rows), got int 5")

# (op, argument name in its errors, call with the bad matrix in that argument's place)
ONE_ARGUMENT: list[tuple[str, str, Callable[[Any], object]]] = [
    ("transpose", "A", transpose),
    ("matrix_map", "A", lambda m: matrix_map(autograd.tanh, m)),
    ("matrix_sum", "A", matrix_sum),
    ("matrix_sum", "A", lambda m: matrix_sum(m, axis=0)),
    ("matrix_mean", "A", matrix_mean),
    ("matrix_mean", "A", lambda m: matrix_mean(m, axis=1)),
    ("matrix_data", "the matrix", matrix_data),
    ("matrix_grad", "the matrix", matrix_grad),
    ("as_matrix", "the matrix", as_matrix),
    ("as_matrix", "W", lambda m: as_matrix(m, "W")),
    # matmul's partner fits every bad matrix above (one row of two, or one column)
    ("matmul", "A", lambda m: matmul(m, [[1.0], [1.0]])),
    ("matmul", "B", lambda m: matmul([[1.0]], m)),
]


@pytest.mark.parametrize(("op", "name", "call"), ONE_ARGUMENT, ids=[f"{o}({n})" for o, n, _ in ONE_ARGUMENT])
@pytest.mark.parametrize(
    ("what", "bad", "kind", "text"),
    [*BAD, FLAT, NOT_A_MATRIX],
    ids=[b[0] for b in [*BAD, FLAT, NOT_A_MATRIX]],
)
def test_a_bad_matrix_is_named_by_op_argument_and_part(
    op: str, name: str, call: Callable[[Any], object], what: str, bad: Any, kind: type[Exception], text: str
) -> None:
    """The text the learner reads names the op they called (matrix_mean, not the matrix_sum it
    uses), the argument, the entry or row, and the value found there."""
    assert error_of(kind, lambda: call(bad)) == f"{op}: " + text.format(n=name)


ELEMENTWISE = [("matrix_add", matrix_add), ("matrix_sub", matrix_sub), ("matrix_mul", matrix_mul)]


@pytest.mark.parametrize(("op", "f"), ELEMENTWISE, ids=[op for op, _ in ELEMENTWISE])
@pytest.mark.parametrize(("what", "bad", "kind", "text"), BAD, ids=[b[0] for b in BAD])
def test_elementwise_ops_name_the_bad_argument(
    op: str, f: Callable[[Any, Any], object], what: str, bad: Any, kind: type[Exception], text: str
) -> None:
    assert error_of(kind, lambda: f(bad, [[1.0, 1.0]])) == f"{op}: " + text.format(n="A")
    assert error_of(kind, lambda: f([[1.0, 1.0]], bad)) == f"{op}: " + text.format(n="B")


@pytest.mark.parametrize(("op", "f"), ELEMENTWISE, ids=[op for op, _ in ELEMENTWISE])
def test_elementwise_ops_refuse_what_is_neither_a_matrix_nor_a_number(
    op: str, f: Callable[[Any, Any], object]
) -> None:
    """A string is not one number to broadcast: it is named as the argument, not as an entry
    [0][0] of a matrix the learner never wrote."""
    expected = "{op}: {n} must be a matrix (a list of rows) or one number, got str 'ab'"
    assert error_of(TypeError, lambda: f("ab", [[1.0]])) == expected.format(op=op, n="A")
    assert error_of(TypeError, lambda: f([[1.0]], {1, 2})) == (
        f"{op}: B must be a matrix (a list of rows) or one number, got set {{1, 2}}"
    )
    assert error_of(OverflowError, lambda: f([[1.0]], 10**400)) == (
        f"{op}: B: int too large for a float (beyond 1.8e308)"
    )


def test_numpy_inputs_that_are_no_matrix_are_named_as_numpy_gave_them() -> None:
    assert error_of(ValueError, lambda: matmul(np.zeros((0, 3)), [[1.0]])) == (
        "matmul: A is empty (shape (0, 3)); a matrix needs at least one row and column"
    )
    assert error_of(TypeError, lambda: transpose(np.array(2.0))) == (
        "transpose: A must be a matrix (a list of rows), got ndarray array(2.)"
    )
    assert error_of(ValueError, lambda: transpose(np.array([1.0, 2.0]))) == FLAT[3].format(n="transpose: A")
    assert error_of(TypeError, lambda: transpose(Value(2.0))) == (
        "transpose: A must be a matrix (a list of rows), got Value Value(data=2.0, grad=0.0)"
    )


def test_shape_of_checks_as_the_ops_do() -> None:
    assert shape_of([[1, 2, 3], [4, 5, 6]]) == (2, 3)
    assert shape_of(np.zeros((4, 1))) == (4, 1)
    assert shape_of(((1,),)) == (1, 1)
    assert error_of(ValueError, lambda: shape_of([1, 2])) == FLAT[3].format(n="shape_of: the matrix")
    assert error_of(ValueError, lambda: shape_of([[1], [2, 3]])) == (
        "shape_of: the matrix is ragged: its rows have lengths [1, 2]"
    )
    assert error_of(TypeError, lambda: shape_of("ab")) == (
        "shape_of: the matrix must be a matrix (a list of rows), got str 'ab'"
    )


# --- matmul's shapes -------------------------------------------------------------------------


@pytest.mark.parametrize(("sa", "sb"), [((2, 3), (2, 2)), ((1, 2), (3, 4)), ((3, 1), (2, 1))])
def test_matmul_names_both_shapes_and_the_two_sizes_that_differ(
    sa: tuple[int, int], sb: tuple[int, int]
) -> None:
    a, b = np.ones(sa).tolist(), np.ones(sb).tolist()
    assert error_of(ValueError, lambda: matmul(a, b)) == (
        f"matmul: shapes {sa} and {sb} do not fit: A's columns ({sa[1]}) must equal B's rows ({sb[0]})"
    )


def test_matmul_reads_each_dot_as_row_then_column() -> None:
    """C[i][j] = dot(A[i][:], B[:][j]): its inputs are row i of A, then column j of B."""
    a, b = as_matrix([[1, 2], [3, 4], [5, 6]], "A"), as_matrix([[7, 8, 9, 10], [11, 12, 13, 14]], "B")
    c = matmul(a, b)
    assert matrix_data(c) == (np.array(matrix_data(a)) @ np.array(matrix_data(b))).tolist()
    assert c[2][3].inputs == (a[2][0], a[2][1], b[0][3], b[1][3])


# --- broadcasting, against numpy ---------------------------------------------------------------

SHAPES = [(m, n) for m in (1, 2, 3) for n in (1, 2, 3)]


def unbroadcast(g: np.ndarray, shape: tuple[int, int]) -> np.ndarray:
    """The grad of an operand of ``shape`` broadcast to g's shape: g summed over the stretched axes."""
    for axis in (0, 1):
        if shape[axis] == 1 and g.shape[axis] > 1:
            g = g.sum(axis=axis, keepdims=True)
    return g


def test_every_pair_of_small_shapes_broadcasts_as_numpy_does() -> None:
    """Values for +, - and ⊙ and both grads of L = Σ G⊙C, for every pair of shapes up to 3×3;
    pairs numpy refuses are refused with both shapes named."""
    rng = np.random.default_rng(23)
    ops = [("matrix_add", matrix_add, np.add), ("matrix_sub", matrix_sub, np.subtract)]
    ops.append(("matrix_mul", matrix_mul, np.multiply))
    for (sa, sb), (op, f, npf) in itertools.product(itertools.product(SHAPES, SHAPES), ops):
        a_np, b_np = rng.uniform(-2, 2, sa), rng.uniform(-2, 2, sb)
        try:
            shape = np.broadcast_shapes(sa, sb)
        except ValueError:
            assert error_of(ValueError, lambda: f(a_np.tolist(), b_np.tolist())) == (
                f"{op}: shapes {sa} and {sb} do not broadcast: each dimension must be equal or 1"
            )
            continue
        a, b = as_matrix(a_np.tolist()), as_matrix(b_np.tolist())
        c = f(a, b)
        assert np.array(matrix_data(c)).shape == shape, (op, sa, sb)
        assert np.array_equal(matrix_data(c), npf(a_np, b_np)), (op, sa, sb)
        g = rng.uniform(-2, 2, shape)
        autograd.sum([v * float(g[i, j]) for i, row in enumerate(c) for j, v in enumerate(row)]).backward()
        da = {"matrix_add": g, "matrix_sub": g, "matrix_mul": g * b_np}[op]
        db = {"matrix_add": g, "matrix_sub": -g, "matrix_mul": g * a_np}[op]
        assert np.allclose(matrix_grad(a), unbroadcast(da, sa), rtol=1e-13, atol=1e-13), (op, sa, sb)
        assert np.allclose(matrix_grad(b), unbroadcast(db, sb), rtol=1e-13, atol=1e-13), (op, sa, sb)


def test_a_flat_list_is_one_row_and_its_shape_is_named_as_one() -> None:
    assert matrix_data(matrix_add([[1.0, 2.0], [3.0, 4.0]], [10.0, 20.0])) == [[11.0, 22.0], [13.0, 24.0]]
    assert matrix_data(matrix_sub([10.0, 20.0], [[1.0, 2.0], [3.0, 4.0]])) == [[9.0, 18.0], [7.0, 16.0]]
    assert error_of(ValueError, lambda: matrix_add([[1.0, 2.0]], [1.0, 2.0, 3.0])) == (
        "matrix_add: shapes (1, 2) and (1, 3) do not broadcast: each dimension must be equal or 1"
    )


@pytest.mark.parametrize(
    "number",
    [0.5, 1, np.float64(0.5), np.array(0.5), np.bool_(True), Value(0.5)],
    ids=["float", "int", "np.float64", "0-d array", "np.bool_", "Value"],
)
def test_one_number_is_broadcast_to_every_entry_on_either_side(number: Any) -> None:
    x = float(number)
    assert matrix_data(matrix_sub([[1.0, 2.0], [3.0, 4.0]], number)) == [[1 - x, 2 - x], [3 - x, 4 - x]]
    assert matrix_data(matrix_sub(number, [[1.0, 2.0, 3.0]])) == [[x - 1, x - 2, x - 3]]


def test_a_value_broadcast_is_the_same_node_and_gathers_every_grad() -> None:
    """d/db Σᵢⱼ (A[i][j]·b) = Σᵢⱼ A[i][j] = 10 for A = [[1, 2], [3, 4]]."""
    b = Value(0.5)
    c = matrix_mul([[1.0, 2.0], [3.0, 4.0]], b)
    assert all(v.inputs[1] is b for row in c for v in row)
    matrix_sum(c).backward()
    assert b.grad == 10.0


def test_a_sequence_with_tolist_and_no_ndim_is_a_row() -> None:
    """``array.array`` has ``tolist`` but no ``ndim``: a flat list, one row (as numpy reads it)."""
    row = array.array("d", [10.0, 20.0])
    assert matrix_data(matrix_add([[1.0, 2.0]], row)) == [[11.0, 22.0]]
    assert matrix_data(matrix_add(np.array([[1.0], [2.0]]), np.array([10.0, 20.0]))) == [
        [11.0, 21.0],
        [12.0, 22.0],
    ]


def test_a_list_of_numpy_rows_is_a_matrix() -> None:
    """Each row read through its ``.tolist()``: [[1, 2]]·[[1], [10]] = [[21]]; two such rows are
    (2, 2), a flat list of numpy numbers is one row where a row may stand, refused elsewhere."""
    rows = [np.array([1.0, 2.0]), np.array([3.0, 4.0])]
    assert matrix_data(matmul(rows[:1], [[1.0], [10.0]])) == [[21.0]]
    assert matrix_data(transpose(rows)) == [[1.0, 3.0], [2.0, 4.0]]
    flat = [np.float64(1.0), np.float64(2.0)]
    assert matrix_data(matrix_add([[0.5, 0.5]], flat)) == [[1.5, 2.5]]
    assert error_of(ValueError, lambda: transpose(flat)) == FLAT[3].format(n="transpose: A")


# --- as_matrix, transpose, matrix_data, matrix_grad, matrix_map --------------------------------


def test_as_matrix_labels_new_leaves_and_keeps_given_labels() -> None:
    kept, bare = Value(1.0, label="kept"), Value(2.0)
    m = as_matrix([[kept, bare], [3, 4.5]], "W")
    assert [[v.label for v in row] for row in m] == [["kept", "W[0][1]"], ["W[1][0]", "W[1][1]"]]
    assert m[0][0] is kept and m[0][1] is bare
    assert [[v.data for v in row] for row in m] == [[1.0, 2.0], [3.0, 4.5]]
    assert all(v.is_leaf for row in m for v in row)
    assert [v.label for v in as_matrix([[Value(1.0), 2]])[0]] == ["", ""]


def test_transpose_of_numbers_and_of_a_column() -> None:
    t = transpose([[1, 2, 3]])
    assert [[v.data for v in row] for row in t] == [[1.0], [2.0], [3.0]]
    assert all(v.is_leaf for row in t for v in row)
    assert matrix_data(transpose(((1.0,), (2.0,)))) == [[1.0, 2.0]]


def test_matrix_data_and_grad_are_plain_floats_after_a_second_order_backward() -> None:
    """y = x³ at x = 2: dy/dx = 3x² = 12, and with create_graph=True the grad is a Value."""
    (x,) = as_matrix([[2.0]], "x")[0]
    (x * x * x).backward(create_graph=True)
    assert isinstance(x.grad, Value)
    assert matrix_grad([[x]]) == [[12.0]] and type(matrix_grad([[x]])[0][0]) is float
    assert matrix_data([[x, 3]]) == [[2.0, 3.0]]
    assert matrix_grad([[1.5]]) == [[0.0]]  # a number is a new leaf: nothing flowed into it


def test_matrix_map_applies_f_entry_by_entry_and_names_a_bad_f() -> None:
    m = as_matrix([[0.0, 1.0], [-2.0, 0.5]])
    out = matrix_map(autograd.tanh, m)
    assert matrix_data(out) == np.tanh(np.array(matrix_data(m))).tolist()
    assert [[v.inputs[0] for v in row] for row in out] == m
    assert error_of(TypeError, lambda: matrix_map(3, m)) == (  # type: ignore[arg-type]
        "matrix_map: f must be a function of one Value, got int 3"
    )
    assert error_of(TypeError, lambda: matrix_map(lambda v: v if v.data != -2.0 else 0.25, m)) == (
        "matrix_map: f must return a Value, got float 0.25 from f(A[1][0])"
    )


# --- sums and means over an axis ---------------------------------------------------------------

A32 = [[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]]  # 3 rows, 2 columns: every count differs


def test_sums_over_each_axis_keep_two_dimensions() -> None:
    assert matrix_sum(A32).data == 21.0
    assert matrix_data(matrix_sum(A32, axis=0)) == [[9.0, 12.0]]
    assert matrix_data(matrix_sum(A32, axis=1)) == [[3.0], [7.0], [11.0]]
    assert matrix_data(matrix_sum(A32, axis=np.int64(1))) == [[3.0], [7.0], [11.0]]


@pytest.mark.parametrize(
    ("axis", "means", "grad"),
    [(None, 3.5, 1 / 6), (0, [[3.0, 4.0]], 1 / 3), (1, [[1.5], [3.5], [5.5]], 1 / 2)],
)
def test_means_and_their_grads_one_over_the_count(axis: int | None, means: Any, grad: float) -> None:
    """d mean / d A[i][j] = 1/count, the count of entries each mean adds (6, 3 rows, 2 columns)."""
    a = as_matrix(A32, "A")
    out = matrix_mean(a, axis=axis)
    if axis is None:
        assert out.data == means and out.op == "mul"
        out.backward()
    else:
        assert matrix_data(out) == means and all(v.op == "mul" for row in out for v in row)
        autograd.sum([v for row in out for v in row]).backward()
    assert matrix_grad(a) == [[grad] * 2] * 3


@pytest.mark.parametrize("axis", [2, -1, True, False, 0.0, 1.0, "0", None])
@pytest.mark.parametrize("f", [matrix_sum, matrix_mean])
def test_an_axis_is_0_1_or_none_and_nothing_else(f: Callable[..., Any], axis: object) -> None:
    """numpy refuses a float axis too (np.sum(a, axis=0.0) is a TypeError)."""
    if axis is None:
        assert f([[2.0, 4.0]], axis=axis).data == {"matrix_sum": 6.0, "matrix_mean": 3.0}[f.__name__]
        return
    assert error_of(ValueError, lambda: f([[2.0, 4.0]], axis=axis)) == (
        f"{f.__name__}: axis must be 0 (down each column), 1 (along each row) or None, got {axis!r}"
    )
