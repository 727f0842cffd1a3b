"""Matrices of Values (autograd/matrix.py) against numpy in float64: forward values, and the grads
backward() adds up edge by edge against the matrix formulas dA = dC·Bᵀ, dB = Aᵀ·dC."""

from __future__ import annotations

import random

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


def rand(rng: random.Random, m: int, n: int) -> list[list[float]]:
    return [[rng.uniform(-2, 2) for _ in range(n)] for _ in range(m)]


def weighted_loss(c: list[list[Value]], g: np.ndarray) -> Value:
    """L = Σ C[i][j]·G[i][j]: dL/dC = G, the upstream gradient."""
    return autograd.sum([v * float(g[i, j]) for i, row in enumerate(c) for j, v in enumerate(row)])


@pytest.mark.parametrize("seed", range(12))
def test_matmul_and_its_grads_match_numpy_at_random_shapes(seed: int) -> None:
    rng = random.Random(seed)
    m, n, k = rng.randint(1, 6), rng.randint(1, 7), rng.randint(1, 7)
    a_np, b_np = np.array(rand(rng, m, n)), np.array(rand(rng, n, k))
    g = np.array(rand(rng, m, k))
    a, b = as_matrix(a_np.tolist(), "A"), as_matrix(b_np.tolist(), "B")
    c = matmul(a, b)
    assert np.allclose(matrix_data(c), a_np @ b_np, rtol=1e-13, atol=1e-13)
    assert all(v.op == "dot" for row in c for v in row)
    weighted_loss(c, g).backward()
    assert np.allclose(matrix_grad(a), g @ b_np.T, rtol=1e-13, atol=1e-13)
    assert np.allclose(matrix_grad(b), a_np.T @ g, rtol=1e-13, atol=1e-13)


def test_numpy_object_arrays_of_values_are_read_through_tolist() -> None:
    rng = random.Random(3)
    x = np.array(as_matrix(rand(rng, 3, 2), "X"), dtype=object)
    w = np.array(rand(rng, 2, 4))  # plain float64: constants
    z = matmul(x, w)
    assert np.allclose(matrix_data(z), np.array(matrix_data(x.tolist())) @ w)
    assert z[0][0].inputs[0] is x[0, 0]  # dot's inputs: row 0 of X (the ws), then column 0 of W


def test_transpose_adds_no_node() -> None:
    a = as_matrix([[1, 2, 3], [4, 5, 6]], "A")
    t = transpose(a)
    assert [[v.data for v in r] for r in t] == [[1, 4], [2, 5], [3, 6]]
    assert t[2][1] is a[1][2]


def test_bias_row_broadcast_and_its_grad_is_the_column_sum() -> None:
    rng = random.Random(5)
    z_np, b_np, g = np.array(rand(rng, 4, 3)), np.array(rand(rng, 1, 3))[0], np.array(rand(rng, 4, 3))
    z, b = as_matrix(z_np.tolist(), "Z"), as_matrix([b_np.tolist()], "b")
    out = matrix_add(z, b[0])  # a flat row (shape (3,)) broadcast as numpy does
    assert np.allclose(matrix_data(out), z_np + b_np)
    weighted_loss(out, g).backward()
    assert np.allclose(matrix_grad(b), g.sum(axis=0, keepdims=True))
    assert np.allclose(matrix_grad(z), g)


def test_elementwise_ops_and_map_match_numpy() -> None:
    rng = random.Random(8)
    a_np, b_np = np.array(rand(rng, 3, 4)), np.array(rand(rng, 3, 1))
    a, b = as_matrix(a_np.tolist()), as_matrix(b_np.tolist())
    assert np.allclose(matrix_data(matrix_sub(a, b)), a_np - b_np)
    assert np.allclose(matrix_data(matrix_mul(a, b)), a_np * b_np)
    assert np.allclose(matrix_data(matrix_add(a, 2.5)), a_np + 2.5)
    assert np.allclose(matrix_data(matrix_map(autograd.sigmoid, a)), 1 / (1 + np.exp(-a_np)))
    prod = matrix_mul(a, a)
    autograd.sum([v for row in prod for v in row]).backward()
    assert np.allclose(matrix_grad(a), 2 * a_np)


@pytest.mark.parametrize("axis", [None, 0, 1])
def test_sum_and_mean_over_an_axis(axis: int | None) -> None:
    rng = random.Random(11)
    a_np = np.array(rand(rng, 4, 3))
    a = as_matrix(a_np.tolist())
    s, mean = matrix_sum(a, axis=axis), matrix_mean(a, axis=axis)
    if axis is None:
        assert s.data == pytest.approx(a_np.sum()) and mean.data == pytest.approx(a_np.mean())
        mean.backward()
        assert np.allclose(matrix_grad(a), np.full((4, 3), 1 / 12))
    else:
        assert np.allclose(matrix_data(s), a_np.sum(axis=axis, keepdims=True))
        assert np.allclose(matrix_data(mean), a_np.mean(axis=axis, keepdims=True))
    assert autograd.sum([Value(1.0), Value(2.0)]).data == 3.0  # autograd.sum untouched


class NodeCounter:
    """A recording mode (``grad_mode.recording``) that counts the op nodes made: ``record()``
    hands every new node to ``check_node``, as it does for ``detect_anomaly``."""

    def __init__(self) -> None:
        self.nodes = 0

    def check_node(self, node: Value) -> None:
        self.nodes += 1


def no_new_nodes(call) -> None:  # type: ignore[no-untyped-def]
    """``call`` raises before any op node exists: the bad input is named where it enters."""
    from autograd.grad_mode import recording

    counter = NodeCounter()
    token = recording.set(counter)  # type: ignore[arg-type]
    try:
        assert (Value(1.0) * 2.0).op == "mul" and counter.nodes == 1  # the counter counts
        counter.nodes = 0
        with pytest.raises((ValueError, TypeError)) as info:
            call()
    finally:
        recording.reset(token)
    assert counter.nodes == 0
    return info.value  # type: ignore[return-value]


def test_mismatched_shapes_name_the_op_and_both_shapes() -> None:
    err = no_new_nodes(lambda: matmul([[1, 2, 3], [4, 5, 6]], [[1, 2], [3, 4]]))
    assert "matmul" in str(err) and "(2, 3)" in str(err) and "(2, 2)" in str(err)
    err = no_new_nodes(lambda: matrix_add([[1, 2, 3]] * 4, [[1, 2]]))
    assert "matrix_add" in str(err) and "(4, 3)" in str(err) and "(1, 2)" in str(err)


@pytest.mark.parametrize(
    "bad, words",
    [
        ([[1, 2], [3]], ["ragged", "[2, 1]"]),
        ([], ["empty"]),
        ([[]], ["empty", "(1, 0)"]),
        ([1, 2, 3], ["flat", "(3,)"]),
        ([[1, [2]]], ["two dimensions"]),
        ([[1, "2"]], ["A[0][1]", "str"]),
        ([[1, None]], ["A[0][1]", "NoneType"]),
        ("AB", ["list of rows"]),
    ],
)
def test_bad_matrices_are_named_before_any_node(bad: object, words: list[str]) -> None:
    err = no_new_nodes(lambda: matmul(bad, [[1.0], [1.0]]))
    assert "matmul" in str(err)
    for w in words:
        assert w in str(err)


def test_bad_axis_and_bool_axis() -> None:
    with pytest.raises(ValueError, match="matrix_sum: axis"):
        matrix_sum([[1.0]], axis=2)
    with pytest.raises(ValueError, match="matrix_mean: axis"):
        matrix_mean([[1.0]], axis=True)  # type: ignore[arg-type]


def test_entries_are_ordinary_values_every_tool_works_on() -> None:
    x = as_matrix([[1.0, 2.0]], "X")
    w = as_matrix([[0.5], [-1.0]], "W")
    z = matmul(x, w)[0][0]
    assert next(s.node.op for s in autograd.backward_steps(z)) == "dot"  # runs the pass once
    assert (x[0][0].grad, x[0][1].grad, w[0][0].grad, w[1][0].grad) == (0.5, -1.0, 1.0, 2.0)
    assert autograd.gradcheck(lambda a, b, c, d: matmul([[a, b]], [[c], [d]])[0][0], 1.0, 2.0, 0.5, -1.0)


def test_the_lessons_three_lines_match_the_engine_to_1e_15() -> None:
    """The lesson's neuron on XOR with matrices of Values; its backward in numpy float64 (the
    lesson's own lines, with np.random.seed(1)'s weights) equals the engine's grads to 1e-15."""
    np.random.seed(1)
    weights = np.random.randn(2, 1)
    X_np = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=float)
    y_np = np.array([[0], [1], [1], [0]], dtype=float)
    m = X_np.shape[0]
    a_np = 1 / (1 + np.exp(-(np.dot(X_np, weights) + 0.0)))
    dz = a_np - y_np
    dw = np.dot(X_np.T, dz) / m
    db = np.sum(dz) / m
    X, W, b = as_matrix(X_np), as_matrix(weights), as_matrix([[0.0]])
    Z = matrix_add(matmul(X, W), b)
    A = matrix_map(autograd.sigmoid, Z)
    rows = [[t * autograd.log(a) + (1 - t) * autograd.log(1 - a)] for (t,), (a,) in zip(y_np.tolist(), A)]
    (-matrix_mean(rows)).backward()
    assert np.max(np.abs(np.array(matrix_grad(Z)) * m - dz)) <= 1e-15  # dz = a - y: m·dL/dz (BCE)
    assert np.max(np.abs(np.array(matrix_grad(W)) - dw)) <= 1e-15  # dw = Xᵀ·dz / m
    assert abs(matrix_grad(b)[0][0] - db) <= 1e-15  # db = Σ dz / m
    mse_dz = 2 * (a_np - y_np) * a_np * (1 - a_np)  # what the squared error would give instead
    assert np.max(np.abs(mse_dz - dz)) > 0.1
