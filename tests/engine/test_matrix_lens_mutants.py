"""The matrix lens (autograd.matrix_view) as a learner reads it, line by line: the holes that
mutation testing found in tests/engine/test_matrix_lens.py.

Every number below is derived by hand from the graph's definition (dW = Xᵀ·dZ, dX = dZ·Wᵀ,
db = Σᵢ dZ[i]), and every text from the layout ``MatrixView.__str__`` documents."""

from __future__ import annotations

import math

import numpy as np
import pytest

import autograd
from autograd import Value, as_matrix, matmul, matrix_add, matrix_view
from autograd.matrix_lens import NamedMatrix, Term


def product_loss():  # type: ignore[no-untyped-def]
    """X (2×2) · W (2×1), loss = 2·Z[0][0] + 3·Z[1][0], so dZ = [[2], [3]]."""
    X = as_matrix([[1.0, 2.0], [3.0, 4.0]], "X")
    W = as_matrix([[0.5], [-1.0]], "W")
    Z = matmul(X, W)
    loss = autograd.sum([Z[0][0] * 2.0, Z[1][0] * 3.0])
    loss.backward()
    return loss, X, W, Z


def bias_loss():  # type: ignore[no-untyped-def]
    """Z = X·W + b (X 2×1, W 1×2, b 1×2), loss = Σ c[i][j]·Z[i][j] with c = [[1, 2], [3, 4]]: dZ = c."""
    X = as_matrix([[1.0], [2.0]], "X")
    W = as_matrix([[3.0, -1.0]], "W")
    b = as_matrix([[0.5, 0.25]], "b")
    Z = matrix_add(matmul(X, W), b[0])
    c = [[1.0, 2.0], [3.0, 4.0]]
    loss = autograd.sum([Z[i][j] * c[i][j] for i in range(2) for j in range(2)])
    loss.backward()
    return loss, X, W, b


# by hand, for product_loss: dX = dZ·Wᵀ = [[2·0.5, 2·-1], [3·0.5, 3·-1]], dW = Xᵀ·dZ = [[1·2 + 3·3], [2·2 + 4·3]]
PRODUCT_TEXT = """\
X (2×2): dX =
  [ +1.000000  -2.000000 ]
  [ +1.500000  -3.000000 ]
each entry, from the graph's edges (local derivative · the grad of the node it leads to):
  dX[0][0] = W[0][0]·d(X·W)[0][0]
           = 0.5·2.0 = 1.0
  dX[0][1] = W[1][0]·d(X·W)[0][0]
           = -1.0·2.0 = -2.0
  dX[1][0] = W[0][0]·d(X·W)[1][0]
           = 0.5·3.0 = 1.5
  dX[1][1] = W[1][0]·d(X·W)[1][0]
           = -1.0·3.0 = -3.0
regrouped: dX = d(X·W) · Wᵀ   shapes (2×1)·(1×2) = (2×2): equal to the grads, entry by entry

W (2×1): dW =
  [ +11.000000 ]
  [ +16.000000 ]
each entry, from the graph's edges (local derivative · the grad of the node it leads to):
  dW[0][0] = X[0][0]·d(X·W)[0][0] + X[1][0]·d(X·W)[1][0]
           = 1.0·2.0 + 3.0·3.0 = 11.0
  dW[1][0] = X[0][1]·d(X·W)[0][0] + X[1][1]·d(X·W)[1][0]
           = 2.0·2.0 + 4.0·3.0 = 16.0
regrouped: dW = Xᵀ · d(X·W)   shapes (2×2)·(2×1) = (2×1): equal to the grads, entry by entry
"""


def test_the_whole_text_of_a_product() -> None:
    loss, X, W, _ = product_loss()
    assert str(matrix_view(loss, {"X": X, "W": W})) == PRODUCT_TEXT


# by hand, for bias_loss: dZ = c; dX = dZ·Wᵀ = [[1·3 + 2·-1], [3·3 + 4·-1]] = [[1], [5]];
# dW = Xᵀ·dZ = [[1·1 + 2·3, 1·2 + 2·4]] = [[7, 10]]; db = column sums of dZ = [[4, 6]]
BIAS_TEXT = """\
X (2×1): dX =
  [ +1.000000 ]
  [ +5.000000 ]
each entry, from the graph's edges (local derivative · the grad of the node it leads to):
  dX[0][0] = W[0][0]·d(X·W)[0][0] + W[0][1]·d(X·W)[0][1]
           = 3.0·1.0 + -1.0·2.0 = 1.0
  dX[1][0] = W[0][0]·d(X·W)[1][0] + W[0][1]·d(X·W)[1][1]
           = 3.0·3.0 + -1.0·4.0 = 5.0
regrouped: dX = d(X·W) · Wᵀ   shapes (2×2)·(2×1) = (2×1): equal to the grads, entry by entry

W (1×2): dW =
  [ +7.000000  +10.000000 ]
each entry, from the graph's edges (local derivative · the grad of the node it leads to):
  dW[0][0] = X[0][0]·d(X·W)[0][0] + X[1][0]·d(X·W)[1][0]
           = 1.0·1.0 + 2.0·3.0 = 7.0
  dW[0][1] = X[0][0]·d(X·W)[0][1] + X[1][0]·d(X·W)[1][1]
           = 1.0·2.0 + 2.0·4.0 = 10.0
regrouped: dW = Xᵀ · d(X·W)   shapes (1×2)·(2×2) = (1×2): equal to the grads, entry by entry

b (1×2): db =
  [ +4.000000  +6.000000 ]
each entry, from the graph's edges (local derivative · the grad of the node it leads to):
  db[0][0] = 1·d(X·W + b)[0][0] + 1·d(X·W + b)[1][0]
           = 1.0·1.0 + 1.0·3.0 = 4.0
  db[0][1] = 1·d(X·W + b)[0][1] + 1·d(X·W + b)[1][1]
           = 1.0·2.0 + 1.0·4.0 = 6.0
regrouped: db = Σ over the 2 rows it is added to of their grads   shapes 2 rows of (1×2) summed: equal to the grads, entry by entry
"""


def test_the_whole_text_of_a_layer_with_a_bias() -> None:
    loss, X, W, b = bias_loss()
    view = matrix_view(loss, {"X": X, "W": W, "b": b})
    assert str(view) == BIAS_TEXT
    x, w, bias = view.matrices
    # the factors the page shows beside each gradient: entry (r, c) = row r of the first · column c of the second
    assert x.factors == [("d(X·W)", [[1.0, 2.0], [3.0, 4.0]]), ("Wᵀ", [[3.0], [-1.0]])]
    assert w.factors == [("Xᵀ", [[1.0, 2.0]]), ("d(X·W)", [[1.0, 2.0], [3.0, 4.0]])]
    # the bias: entry c is the sum of column c of the grads it was added into
    assert bias.factors == [("d(X·W + b)", [[1.0, 2.0], [3.0, 4.0]])]
    assert x.product_values == [[1.0], [5.0]] and w.product_values == [[7.0, 10.0]]
    assert bias.product_values == [[4.0, 6.0]]
    assert x.shape == (2, 1) and w.shape == (1, 2) and bias.shape == (1, 2)


def test_a_second_backward_is_named_on_each_entry() -> None:
    """loss = X·W (1×2 · 2×1) twice backward: the leaves' grads are twice the edge sums
    (dX = 2·Wᵀ, dW = 2·Xᵀ), the computed nodes' grads are recomputed (dZ = 1)."""
    X = as_matrix([[1.0, 2.0]], "X")
    W = as_matrix([[0.5], [-1.0]], "W")
    loss = matmul(X, W)[0][0]
    loss.backward()
    loss.backward()
    text = str(matrix_view(loss, {"X": X, "W": W}))
    assert text.splitlines()[3:7] == [
        "  dX[0][0] = W[0][0]·d(X·W)[0][0]",
        "           = 0.5·1.0 = 0.5",
        "             but X[0][0].grad holds 1.0: backward() ran more than once, or the grads were not reset",
        "  dX[0][1] = W[1][0]·d(X·W)[0][0]",
    ]
    assert (
        "regrouped: dX = d(X·W) · Wᵀ   shapes (1×1)·(1×2) = (1×2): NOT equal to the grads: X[0][0].grad is not "
        "the sum of its own edges: backward() ran more than once, or the grads were not reset\n"
    ) in text
    assert "  [ +2.000000 ]\n  [ +4.000000 ]\n" in text
    assert "but W[1][0].grad holds 4.0:" in text and text.count("but ") == 4


def test_an_entry_no_edge_reaches() -> None:
    """loss = 2·Z[0][0]: X[1][*] feed only Z[1][0], which the loss never reads."""
    X = as_matrix([[1.0, 2.0], [3.0, 4.0]], "X")
    W = as_matrix([[0.5], [-1.0]], "W")
    Z = matmul(X, W)
    loss = Z[0][0] * 2.0
    loss.backward()
    view = matrix_view(loss, {"X": X, "W": W})
    text = str(view)
    assert "  dX[1][0] = 0 (no edge out of X[1][0] reaches the result)\n" in text
    assert "  dX[1][1] = 0 (no edge out of X[1][1] reaches the result)\n" in text
    assert "but" not in text  # their grads are 0, as the text says
    # only half of the product X·W reaches the loss: no regrouping is claimed
    assert "regrouped" not in text and all(nm.product == "" for nm in view.matrices)
    assert view.matrices[1].grads == [[2.0], [4.0]]  # dW = X[0]ᵀ·2


def test_an_entry_no_edge_reaches_but_whose_grad_is_stale() -> None:
    """A grad left from another backward() is said, not hidden behind "= 0"."""
    X = as_matrix([[1.0, 2.0], [3.0, 4.0]], "X")
    W = as_matrix([[0.5], [-1.0]], "W")
    Z = matmul(X, W)
    (Z[1][0] * 1.0).backward()  # dX[1] = Wᵀ = [0.5, -1]
    loss = Z[0][0] * 2.0
    loss.backward()
    text = str(matrix_view(loss, {"X": X, "W": W}))
    assert (
        "  dX[1][0] = 0 (no edge out of X[1][0] reaches the result)\n"
        "             but X[1][0].grad holds 0.5: backward() ran more than once, or the grads were not reset\n"
    ) in text


def test_rounding_is_not_called_a_second_backward() -> None:
    """dW = Σ X[i][0] with X's column -8602.89, -8185.74, 16789.13: the terms cancel to 0.5, and
    backward()'s one-by-one sum rounds differently from math.fsum, by about 2⁻⁵³·|terms|."""
    col = [-8602.89, -8185.74, 16789.13]
    X = as_matrix([[v] for v in col], "X")
    W = as_matrix([[1.0]], "W")
    Z = matmul(X, W)
    loss = autograd.sum([z for (z,) in Z])
    loss.backward()
    grad, exact = W[0][0].grad, math.fsum(col)
    assert grad != exact and abs(grad - exact) < 4 * 2**-53 * sum(abs(v) for v in col)  # the case exists
    view = matrix_view(loss, {"X": X, "W": W})
    text = str(view)
    assert "ran more than once" not in text
    assert (
        "regrouped: dW = Xᵀ · d(X·W)   shapes (1×3)·(3×1) = (1×1): equal to the grads, entry by entry" in text
    )
    assert view.matrices[1].product_matches
    # the terms are written with enough digits to add up on paper (at 4 digits they read
    # -8603.0 + -8186.0 + 1.679e+04 = 0.5); each printed term is parsed back and summed by hand
    line = next(x for x in text.splitlines() if x.strip().startswith("= ") and x.endswith("= 0.5"))
    terms = line.split("=")[1].split(" + ")
    on_paper = math.fsum(float(a) * float(b.strip("()")) for a, b in (t.strip().split("·") for t in terms))
    assert math.isclose(on_paper, 0.5, rel_tol=1e-3), line
    assert "8602.89" in line and "-8185.74" in line and "16789.13" in line


def test_terms_stay_at_four_digits_when_they_add_up_at_four() -> None:
    """dW = Xᵀ·dZ with X = [[1/3], [2/3]], dZ = [[3], [3]]: 0.3333·3.0 + 0.6667·3.0 = 3.0 on paper."""
    X = as_matrix([[1 / 3], [2 / 3]], "X")
    W = as_matrix([[1.0]], "W")
    Z = matmul(X, W)
    loss = Z[0][0] * 3.0 + Z[1][0] * 3.0
    loss.backward()
    assert "           = 0.3333·3.0 + 0.6667·3.0 = 3.0\n" in str(matrix_view(loss, {"X": X, "W": W}))


def test_infinite_grads_agree_with_their_sums() -> None:
    """X·W with entries near the largest float: Z overflows to inf, dW[0][0] = 1e308 + 1e308 = inf."""
    X = as_matrix([[1e308], [1e308]], "X")
    W = as_matrix([[1.0]], "W")
    Z = matmul(X, W)
    loss = Z[0][0] + Z[1][0]
    loss.backward()
    assert W[0][0].grad == math.inf
    text = str(matrix_view(loss, {"X": X, "W": W}))
    assert "  dW[0][0] = X[0][0]·(X·W)[0][0] + X[1][0]·(X·W)[1][0]" not in text  # names say d(X·W)
    assert "= 1e+308·1.0 + 1e+308·1.0 = inf\n" in text and "ran more than once" not in text
    assert "[ +inf ]" in text and "NOT equal" not in text


def test_negative_and_zero_grads_in_a_sum() -> None:
    """loss = -2·Z[0][0] + 0·Z[1][0] + 0.5·Z[2][0], Z = X·W, X = [[1], [2], [3]], W = [[4]]:
    dW = 1·(-2) + 2·0 + 3·0.5 = -0.5; a negative upstream grad is bracketed, 0 and 0.5 are not."""
    X = as_matrix([[1.0], [2.0], [3.0]], "X")
    W = as_matrix([[4.0]], "W")
    Z = matmul(X, W)
    loss = autograd.sum([Z[0][0] * -2.0, Z[1][0] * 0.0, Z[2][0] * 0.5])
    loss.backward()
    text = str(matrix_view(loss, {"W": W}))
    assert (
        "  dW[0][0] = 1.0·d[dot node] + 2.0·d[dot node] + 3.0·d[dot node]\n"
        "           = 1.0·(-2.0) + 2.0·0.0 + 3.0·0.5 = -0.5\n"
    ) in text
    # X is not named: its entries are the dots' other factors, written as numbers


def test_naming_the_product_too() -> None:
    """named Z = X·W as well: Z's entries feed Z + 1 (an add whose other input has no name)."""
    X = as_matrix([[1.0, 2.0]], "X")
    W = as_matrix([[0.5], [-1.0]], "W")
    Z = matmul(X, W)
    shifted = Z[0][0] + 1.0
    loss = shifted * 3.0
    loss.backward()
    text = str(matrix_view(loss, {"X": X, "W": W, "Z": Z}))
    # dZ = d(Z + 1)·1 = 3: the add node is named by its op, not as "(X·W + ...)"
    assert "  dZ[0][0] = 1·d[add node]\n           = 1.0·3.0 = 3.0\n" in text
    shifted.label = "s"
    assert "  dZ[0][0] = 1·d(s)\n" in str(matrix_view(loss, {"X": X, "W": W, "Z": Z}))


def test_factors_of_other_ops_are_their_local_derivatives() -> None:
    """W[0][0] feeds 3·W (local 3), W + 1 (local 1) and tanh (local 1 - tanh² = 1 - tanh(0)² = 1 at 0)."""
    W = as_matrix([[0.0, 2.0]], "W")
    loss = W[0][0] * 3.0 + (W[0][0] + 1.0) + autograd.tanh(W[0][0]) + W[0][1] * W[0][1]
    loss.backward()
    text = str(matrix_view(loss, {"W": W}))
    # dW[0][0] = 3 + 1 + 1 = 5; dW[0][1] = 2·W[0][1] = 4, one edge per use of W[0][1] in the product
    assert "           = 3.0·1.0 + 1.0·1.0 + 1.0·1.0 = 5.0\n" in text
    assert "  dW[0][0] = 3.0·d[mul node] + 1·d[add node] + 1·d[tanh node]\n" in text
    assert "  dW[0][1] = 2.0·d[mul node] + 2.0·d[mul node]\n           = 2.0·1.0 + 2.0·1.0 = 4.0\n" in text


def test_a_dots_named_factors_and_its_bias() -> None:
    """z = dot(w, x, bias=c) with w, c named and x not: dw[0][t] = x[t]·dz, dc = 1·dz, dz = 5."""
    w = as_matrix([[0.5, -1.0]], "w")
    c = as_matrix([[2.0]], "c")
    z = autograd.dot(w[0], [3.0, 4.0], c[0][0])
    loss = z * 5.0
    loss.backward()
    text = str(matrix_view(loss, {"w": w, "c": c}))
    assert "  dw[0][0] = 3.0·d[dot node]\n           = 3.0·5.0 = 15.0\n" in text
    assert "  dw[0][1] = 4.0·d[dot node]\n           = 4.0·5.0 = 20.0\n" in text
    assert "  dc[0][0] = 1·d[dot node]\n           = 1.0·5.0 = 5.0\n" in text
    # x named too: w's factors are x's entries by name, and x's are w's
    x = as_matrix([[3.0, 4.0]], "x")
    z = autograd.dot(w[0], x[0], c[0][0])
    (z * 5.0).backward()
    text = str(matrix_view(z * 5.0, {"w": w, "x": x}))
    assert "  dw[0][1] = x[0][1]·d[dot node]\n" in text and "  dx[0][0] = w[0][0]·d[dot node]\n" in text


def test_a_matrix_times_itself_says_both_sides() -> None:
    """Z = X·X: dX = dZ·Xᵀ + Xᵀ·dZ, so either product alone is not dX, and the lens says so."""
    X = as_matrix([[1.0, 2.0], [3.0, 4.0]], "X")
    Z = matmul(X, X)
    loss = autograd.sum([z for row in Z for z in row])
    loss.backward()
    view = matrix_view(loss, {"X": X})
    (x,) = view.matrices
    # dZ = ones: (dZ·Xᵀ)[i][j] = Σₜ X[j][t] (row sums 3, 7), (Xᵀ·dZ)[i][j] = Σₜ X[t][i] (column sums 4, 6)
    assert x.grads == [[3.0 + 4.0, 7.0 + 4.0], [3.0 + 6.0, 7.0 + 6.0]]
    assert x.product_values == [[4.0, 4.0], [6.0, 6.0]]  # Xᵀ·dZ alone
    assert x.product == "dX = Xᵀ · d(X·X) (and the other factor's term: the matrix is used on both sides)"
    assert not x.product_matches
    assert (
        "regrouped: dX = Xᵀ · d(X·X) (and the other factor's term: the matrix is used on both sides)   shapes (2×2)·(2×2) = (2×2): NOT equal to the grads"
        in str(view)
    )


def test_what_a_matrix_may_be() -> None:
    """A list of rows, a tuple of tuples, a numpy array of Values, a flat list (one row), one Value."""
    loss, X, W, b = bias_loss()
    ref = matrix_view(loss, {"X": X, "W": W, "b": b})
    as_numpy = matrix_view(loss, {"X": np.array(X, dtype=object), "W": tuple(map(tuple, W)), "b": b[0]})
    assert str(as_numpy) == str(ref) == BIAS_TEXT
    one = matrix_view(loss, {"w": W[0][1]})
    assert one.matrices[0].shape == (1, 1) and one.matrices[0].grads == [[10.0]]
    assert str(one).startswith("w (1×1): dw =\n  [ +10.000000 ]\n")


A, C = Value(1.0), Value(2.0)


@pytest.mark.parametrize(
    "bad, error, message",
    [
        (3.0, TypeError, "matrix_view: X must be a matrix of Values (a list of rows), got float"),
        ([], TypeError, "matrix_view: X must be a matrix of Values (a list of rows), got list"),
        ("ab", TypeError, "matrix_view: X must be a matrix of Values (a list of rows), got str"),
        ([[]], ValueError, "matrix_view: X is ragged or empty: row lengths [0]"),
        ([[A, C], [A]], ValueError, "matrix_view: X is ragged or empty: row lengths [2, 1]"),
        ([[A, C], A], ValueError, "matrix_view: X is ragged or empty: row lengths [2, 1]"),
        ([[A, 1.0]], TypeError, "matrix_view: X holds float, not Values"),
        ([[A], [np.float64(1.0)]], TypeError, "matrix_view: X holds float64, not Values"),
    ],
)
def test_what_a_matrix_may_not_be(bad: object, error: type[Exception], message: str) -> None:
    with pytest.raises(error) as info:
        matrix_view(A * C, {"X": bad})
    assert str(info.value) == message


def test_what_the_result_may_not_be() -> None:
    with pytest.raises(TypeError) as info:
        matrix_view([[Value(1.0)]], {"X": [[Value(1.0)]]})  # type: ignore[arg-type]
    assert str(info.value) == "matrix_view: result must be a Value (the root backward() ran from), got list"
    with pytest.raises(ValueError) as err:
        matrix_view(Value(1.0), {})
    assert str(err.value) == "matrix_view: name at least one matrix: named={'W': W}"


def test_a_bias_is_a_matrix_added_into_several_nodes() -> None:
    """B (2×2) added to P and to Q: dB[i][j] = dP'[i][j] + dQ'[i][j], each entry two edges of
    local derivative 1; a matrix whose entries are added once, or times 2, is no such sum."""
    B = as_matrix([[1.0, 2.0], [3.0, 4.0]], "B")
    P = [[B[i][j] + 1.0 for j in range(2)] for i in range(2)]
    Q = [[B[i][j] + 2.0 for j in range(2)] for i in range(2)]
    loss = autograd.sum([P[i][j] * float(i + 1) + Q[i][j] * float(j + 3) for i in range(2) for j in range(2)])
    loss.backward()
    (b,) = matrix_view(loss, {"B": B}).matrices
    # by hand: dB[i][j] = (i + 1) + (j + 3)
    assert b.grads == [[4.0, 5.0], [5.0, 6.0]] and b.product_values == b.grads and b.product_matches
    assert b.product == "dB = Σ over the 2 rows it is added to of their grads"
    assert b.product_shapes == "2 rows of (2×2) summed"
    assert b.factors == []  # only a one-row bias is drawn as a sum of rows
    # added once each: no sum claimed
    W = as_matrix([[1.0, 2.0]], "W")
    loss = (W[0][0] + 1.0) * 2.0 + (W[0][1] + 1.0) * 3.0
    loss.backward()
    (w,) = matrix_view(loss, {"W": W}).matrices
    assert w.product == "" and w.product_values == [] and w.factors == []
    # used twice each, but times 2: local derivative 2, no bias
    V = as_matrix([[1.0, 2.0]], "V")
    loss = autograd.sum([V[0][0] * 2.0, V[0][0] * 2.0, V[0][1] * 2.0, V[0][1] * 2.0])
    loss.backward()
    (v,) = matrix_view(loss, {"V": V}).matrices
    assert v.product == "" and v.grads == [[4.0, 4.0]]


def test_grads_that_are_values_after_create_graph() -> None:
    """backward(create_graph=True) leaves Values in .grad: the lens reads their numbers."""
    X = as_matrix([[1.0, 2.0]], "X")
    W = as_matrix([[0.5], [-1.0]], "W")
    z = matmul(X, W)[0][0]
    loss = z * z  # dz = 2z = 2·(0.5 - 2) = -3
    loss.backward(create_graph=True)
    assert isinstance(W[0][0].grad, Value)
    (w,) = matrix_view(loss, {"W": W}).matrices
    assert w.grads == [[-3.0], [-6.0]]  # dW = Xᵀ·dz
    assert w.entry_text(1, 0) == "dW[1][0] = 2.0·d[dot node]\n         = 2.0·(-3.0) = -6.0"


def test_a_layer_of_dots_with_their_bias_inside() -> None:
    """Z[i][j] = dot(X[i], column j of W, bias=b[0][j]) (X 2×1, W 1×2): each dot's inputs are the
    row, the column, then the bias, so the product is still X·W and db sums the dots' grads.
    With loss = Σ c[i][j]·Z[i][j], c = [[1, 2], [3, 4]], the numbers are bias_loss's."""
    X = as_matrix([[1.0], [2.0]], "X")
    W = as_matrix([[3.0, -1.0]], "W")
    b = as_matrix([[0.5, 0.25]], "b")
    Z = [[autograd.dot(X[i], [W[0][j]], b[0][j]) for j in range(2)] for i in range(2)]
    c = [[1.0, 2.0], [3.0, 4.0]]
    loss = autograd.sum([Z[i][j] * c[i][j] for i in range(2) for j in range(2)])
    loss.backward()
    x, w, bias = matrix_view(loss, {"X": X, "W": W, "b": b}).matrices
    assert w.product == "dW = Xᵀ · d(X·W)" and w.product_matches and w.product_values == [[7.0, 10.0]]
    assert x.product == "dX = d(X·W) · Wᵀ" and x.product_values == [[1.0], [5.0]]
    assert bias.entry_text(0, 1) == (
        "db[0][1] = 1·d(X·W)[0][1] + 1·d(X·W)[1][1]\n         = 1.0·2.0 + 1.0·4.0 = 6.0"
    )
    assert bias.product == "db = Σ over the 2 rows it is added to of their grads" and bias.product_matches


@pytest.mark.parametrize("first", ["X·W", "V·U"])
def test_two_products_in_one_loss(first: str) -> None:
    """loss = Σ(X·W) + Σ(V·U), in either order: each factor is regrouped with its own product.
    dZ = ones, so dW = Xᵀ·1 (X's column sums), dX = 1·Wᵀ (each row W's column), and so on."""
    X = as_matrix([[1.0, 2.0], [3.0, 4.0]], "X")
    W = as_matrix([[0.5], [-1.0]], "W")
    V = as_matrix([[2.0, -3.0]], "V")
    U = as_matrix([[1.0, 0.0], [5.0, 1.0]], "U")
    zs = [[z for row in matmul(X, W) for z in row], [z for row in matmul(V, U) for z in row]]
    loss = autograd.sum(zs[0] + zs[1] if first == "X·W" else zs[1] + zs[0])
    loss.backward()
    x, w, v, u = matrix_view(loss, {"X": X, "W": W, "V": V, "U": U}).matrices
    assert (x.product, w.product) == ("dX = d(X·W) · Wᵀ", "dW = Xᵀ · d(X·W)")
    assert (v.product, u.product) == ("dV = d(V·U) · Uᵀ", "dU = Vᵀ · d(V·U)")
    assert w.product_values == [[4.0], [6.0]] and x.product_values == [[0.5, -1.0], [0.5, -1.0]]
    assert v.product_values == [[1.0, 6.0]] and u.product_values == [[2.0, 2.0], [-3.0, -3.0]]
    assert all(nm.product_matches for nm in (x, w, v, u))


@pytest.mark.parametrize("first", ["part", "whole"])
def test_a_product_read_in_part_does_not_hide_a_whole_one(first: str) -> None:
    """W is in X·W (every entry read) and in V·W (only (V·W)[0][0] read): its product is X·W's, and
    since W's grads also hold V's edges, that product alone is not equal to them."""
    X = as_matrix([[1.0, 2.0], [3.0, 4.0]], "X")
    W = as_matrix([[0.5], [-1.0]], "W")
    V = as_matrix([[2.0, -3.0], [1.0, 1.0]], "V")
    whole = [z for row in matmul(X, W) for z in row]
    part = [matmul(V, W)[0][0]]
    loss = autograd.sum(part + whole if first == "part" else whole + part)
    loss.backward()
    x, w, v = matrix_view(loss, {"X": X, "W": W, "V": V}).matrices
    assert w.product == "dW = Xᵀ · d(X·W)" and w.product_values == [[4.0], [6.0]]
    assert x.product == "dX = d(X·W) · Wᵀ" and x.product_matches  # X is only in X·W
    assert w.grads == [[4.0 + 2.0], [6.0 - 3.0]] and not w.product_matches  # + V[0]ᵀ·1
    assert v.product == ""


def test_the_result_itself_named() -> None:
    """d(result)/d(result) = 1, or whatever grad backward() was started with: not "0, no edge"."""
    X = as_matrix([[1.0, 2.0]], "X")
    W = as_matrix([[0.5], [-1.0]], "W")
    Z = matmul(X, W)
    Z[0][0].backward()
    text = str(matrix_view(Z[0][0], {"Z": Z, "W": W}))
    assert "  dZ[0][0] = 1.0 (Z[0][0] is the result: backward() starts here with this grad)\n" in text
    Z[0][0].backward(2.5)  # the seed, recomputed: W's grads accumulate, the result's is 2.5
    text = str(matrix_view(Z[0][0], {"Z": Z, "W": W}))
    assert "  dZ[0][0] = 2.5 (Z[0][0] is the result: backward() starts here with this grad)\n" in text
    assert "but W[0][0].grad holds 3.5:" in text  # 1·1 + 1·2.5, the terms say 1·2.5
    assert "but Z[0][0]" not in text


def test_the_tolerance_is_measured_against_the_terms() -> None:
    """An entry's grad agrees with its edge sum within 1e-12·(1 + Σ|local·upstream|), NaN only with
    NaN (read from NamedMatrix directly: no graph gives these grads, a stale one could)."""
    nan = float("nan")

    def said(grad: float, terms: list[Term]) -> str:
        return NamedMatrix("W", (1, 1), [[grad]], [[terms]]).entry_text(0, 0)

    t = [Term("X[0][0]", 2.0, "dZ[0][0]", 3.0)]  # 2·3 = 6, Σ|term| = 6
    assert said(6.0 + 6e-12, t) == "dW[0][0] = X[0][0]·dZ[0][0]\n         = 2.0·3.0 = 6.0"
    assert said(6.0 + 7.5e-12, t).endswith(
        "but W[0][0].grad holds 6.0: backward() ran more than once, or the grads were not reset"
    )
    # no edge: the bound is 1e-12·(1 + 0)
    assert "but" not in said(0.9e-12, []) and said(1.5e-12, []).endswith(
        "but W[0][0].grad holds 1.5e-12: backward() ran more than once, or the grads were not reset"
    )
    assert said(nan, t).endswith(
        "but W[0][0].grad holds nan: backward() ran more than once, or the grads were not reset"
    )
    nan_term = [Term("X[0][0]", nan, "dZ[0][0]", 3.0)]
    assert said(nan, nan_term) == "dW[0][0] = X[0][0]·dZ[0][0]\n         = nan·3.0 = nan"
    assert said(1.0, nan_term).endswith(
        "but W[0][0].grad holds 1.0: backward() ran more than once, or the grads were not reset"
    )


def test_a_bias_added_into_two_sums_is_not_drawn_as_one() -> None:
    """b (1×2) added into X·W + b (2 rows) and into b + 1 (one more): db is still the sum of the
    3 grads each entry is added into, but they are not the rows of one matrix d(X·W + b)."""
    X = as_matrix([[1.0], [2.0]], "X")
    W = as_matrix([[3.0, -1.0]], "W")
    b = as_matrix([[0.5, 0.25]], "b")
    Z = matrix_add(matmul(X, W), b[0])
    loss = autograd.sum(
        [Z[i][j] * float(i + 1) for i in range(2) for j in range(2)]
        + [(b[0][j] + 1.0) * 5.0 for j in range(2)]
    )
    loss.backward()
    bias = matrix_view(loss, {"X": X, "W": W, "b": b}).matrices[2]
    # by hand: db[0][j] = 1 + 2 + 5 = 8
    assert bias.product == "db = Σ over the 3 rows it is added to of their grads" and bias.product_values == [
        [8.0, 8.0]
    ]
    assert bias.product_matches and bias.factors == []


def test_not_equal_says_why_when_the_matrix_is_used_outside_its_product() -> None:
    """loss = 2·Z[0][0] + 3·Z[1][0] + W[0][0]², Z = X·W: dW[0][0] = Xᵀ·dZ + 2·W[0][0]
    = (1·2 + 3·3) + 2·0.5 = 12, not the product's 11."""
    X = as_matrix([[1.0, 2.0], [3.0, 4.0]], "X")
    W = as_matrix([[0.5], [-1.0]], "W")
    Z = matmul(X, W)
    loss = Z[0][0] * 2.0 + Z[1][0] * 3.0 + W[0][0] * W[0][0]
    loss.backward()
    view = matrix_view(loss, {"X": X, "W": W})
    assert W[0][0].grad == 12.0 and view.matrices[1].product_values == [[11.0], [16.0]]
    said = "NOT equal to the grads: W is also used outside X·W (by [mul node]), and its grads add those terms"
    assert f"regrouped: dW = Xᵀ · d(X·W)   shapes (2×2)·(2×1) = (2×1): {said}\n" in str(view)
    assert view.matrices[0].verdict == "equal to the grads, entry by entry"  # X is used in X·W only


def test_not_equal_says_why_when_a_grad_is_not_the_sum_of_its_edges() -> None:
    X = as_matrix([[1.0, 2.0], [3.0, 4.0]], "X")
    W = as_matrix([[0.5], [-1.0]], "W")
    Z = matmul(X, W)
    loss = Z[0][0] * 2.0 + Z[1][0] * 3.0
    loss.backward()
    W[1][0].grad += 1.0  # a grad left over, as from an earlier backward()
    assert matrix_view(loss, {"X": X, "W": W}).matrices[1].verdict == (
        "NOT equal to the grads: W[1][0].grad is not the sum of its own edges: backward() ran more than "
        "once, or the grads were not reset"
    )


def test_a_bias_whose_grad_is_not_its_rows_sum_says_why() -> None:
    """b added to both rows of X·W: db = dZ[0] + dZ[1]; a grad left over breaks that, and is named."""
    X = as_matrix([[1.0], [2.0]], "X")
    W = as_matrix([[3.0]], "W")
    b = as_matrix([[0.5]], "b")
    Z = matrix_add(matmul(X, W), b)
    loss = Z[0][0] * 2.0 + Z[1][0] * 5.0
    loss.backward()
    assert b[0][0].grad == 7.0
    view = matrix_view(loss, {"X": X, "W": W, "b": b})
    assert view.matrices[2].verdict == "equal to the grads, entry by entry"
    b[0][0].grad = 8.0
    assert matrix_view(loss, {"X": X, "W": W, "b": b}).matrices[2].verdict == (
        "NOT equal to the grads: b[0][0].grad is not the sum of its own edges: backward() ran more than "
        "once, or the grads were not reset"
    )


def test_cancelling_upstream_grads_are_written_to_six_digits_and_add_up() -> None:
    """loss = Σ c_i·Z[i][0], Z = X·W, X = [[1], [1], [1]]: dW = 1·c_0 + 1·c_1 + 1·c_2 with
    c = -8602.89, -8185.74, 16789.13, which cancel to 0.5. At 5 digits they read -8602.9 - 8185.7
    + 16789 = 0.4; at 6 they are exact, so 6 is the fewest that add up."""
    X = as_matrix([[1.0], [1.0], [1.0]], "X")
    W = as_matrix([[1.0]], "W")
    Z = matmul(X, W)
    loss = autograd.sum([Z[0][0] * -8602.89, Z[1][0] * -8185.74, Z[2][0] * 16789.13])
    loss.backward()
    text = str(matrix_view(loss, {"X": X, "W": W}))
    assert "           = 1.0·(-8602.89) + 1.0·(-8185.74) + 1.0·16789.13 = 0.5\n" in text


def test_four_digits_that_add_up_within_a_thousandth_are_kept() -> None:
    """dW = 0.5·2.0 + -1.25·(1/3): at 4 digits 1.0 - 1.25·0.3333 = 0.583375, within 0.1% of
    0.58333..., so 4 digits are kept although they are not exact."""
    X = as_matrix([[0.5], [-1.25]], "X")
    W = as_matrix([[1.0]], "W")
    Z = matmul(X, W)
    loss = Z[0][0] * 2.0 + Z[1][0] * (1 / 3)
    loss.backward()
    assert "           = 0.5·2.0 + -1.25·0.3333 = 0.5833\n" in str(matrix_view(loss, {"X": X, "W": W}))


@pytest.mark.parametrize("first, shown, total", [(1e308, "1e+308", "inf"), (math.nan, "nan", "nan")])
def test_a_total_that_is_not_finite_keeps_four_digits(first: float, shown: str, total: str) -> None:
    """dW = 1e308·2 + (1/3)·1 overflows to inf, and nan·2 + 1/3 is nan: no number of digits adds
    up to either, so the terms keep 4 (0.3333, not 0.33333 or 0.33333333333333331)."""
    X = as_matrix([[first], [1 / 3]], "X")
    W = as_matrix([[1.0]], "W")
    Z = matmul(X, W)
    loss = Z[0][0] * 2.0 + Z[1][0] * 1.0
    loss.backward()
    assert f"           = {shown}·2.0 + 0.3333·1.0 = {total}\n" in str(matrix_view(loss, {"X": X, "W": W}))


@pytest.mark.parametrize("extra, named", [
    (3, "[mul node], [pow node], [tanh node]"),
    (4, "[exp node], [mul node], [pow node] and 1 more"),
])  # fmt: skip
def test_the_nodes_outside_the_product_are_named_three_at_most(extra: int, named: str) -> None:
    X = as_matrix([[1.0, 2.0]], "X")
    W = as_matrix([[0.5], [-1.0]], "W")
    w = W[0][0]
    outside = [w * 3.0, w**2, w.tanh(), w.exp()][:extra]
    loss = matmul(X, W)[0][0] + autograd.sum(outside)
    loss.backward()
    assert matrix_view(loss, {"X": X, "W": W}).matrices[1].verdict == (
        f"NOT equal to the grads: W is also used outside X·W (by {named}), and its grads add those terms"
    )
