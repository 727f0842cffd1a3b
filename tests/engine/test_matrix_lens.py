"""The matrix lens (autograd.matrix_view): each entry's edge sum and the regrouped products
dW = Xᵀ·dZ, dX = dZ·Wᵀ, db = Σᵢ dZ[i], checked against numpy float64 at random shapes."""

from __future__ import annotations

import random

import numpy as np
import pytest

import autograd
from autograd import as_matrix, matmul, matrix_add, matrix_grad, matrix_map, matrix_view


def network(seed: int):  # type: ignore[no-untyped-def]
    rng = random.Random(seed)
    m, n, k = rng.randint(2, 6), rng.randint(1, 7), rng.randint(1, 7)
    X_np = np.array([[rng.uniform(-1, 1) for _ in range(n)] for _ in range(m)])
    W_np = np.array([[rng.uniform(-1, 1) for _ in range(k)] for _ in range(n)])
    b_np = np.array([rng.uniform(-1, 1) for _ in range(k)])
    X, W, b = as_matrix(X_np, "X"), as_matrix(W_np, "W"), as_matrix([b_np], "b")
    Z = matrix_add(matmul(X, W), b[0])
    A = matrix_map(autograd.tanh, Z)
    loss = autograd.sum([v * v for row in A for v in row])
    loss.backward()
    # numpy float64, by hand: dL/dA = 2A, dL/dZ = 2A(1 - A²)
    A_np = np.tanh(X_np @ W_np + b_np)
    dZ = 2 * A_np * (1 - A_np**2)
    return loss, X, W, b, dZ, X_np, W_np


@pytest.mark.parametrize("seed", range(6))
def test_the_regrouped_products_equal_the_grads_and_numpy(seed: int) -> None:
    loss, X, W, b, dZ, X_np, W_np = network(seed)
    view = matrix_view(loss, named={"X": X, "W": W, "b": b})
    x, w, bias = view.matrices
    assert w.product == "dW = Xᵀ · d(X·W)" and w.product_matches
    assert x.product == "dX = d(X·W) · Wᵀ" and x.product_matches
    assert bias.product.startswith("db = Σ") and bias.product_matches
    assert np.allclose(w.product_values, X_np.T @ dZ, rtol=1e-12, atol=1e-12)
    assert np.allclose(x.product_values, dZ @ W_np.T, rtol=1e-12, atol=1e-12)
    assert np.allclose(bias.product_values, dZ.sum(axis=0, keepdims=True), rtol=1e-12, atol=1e-12)
    assert np.allclose(matrix_grad(W), X_np.T @ dZ, rtol=1e-12, atol=1e-12)
    m = X_np.shape[0]
    for t in range(W_np.shape[0]):
        for j in range(W_np.shape[1]):
            terms = w.terms[t][j]
            assert [term.factor for term in terms] == [f"X[{i}][{t}]" for i in range(m)]
            assert [term.upstream_name for term in terms] == [f"d(X·W)[{i}][{j}]" for i in range(m)]
            assert np.allclose([term.upstream for term in terms], dZ[:, j], rtol=1e-12, atol=1e-12)


def test_the_text_writes_each_entry_as_its_edges() -> None:
    X = as_matrix([[1.0, 2.0], [3.0, 4.0]], "X")
    W = as_matrix([[0.5], [-1.0]], "W")
    Z = matmul(X, W)
    loss = autograd.sum([Z[0][0] * 2.0, Z[1][0] * 3.0])  # dZ = [[2], [3]]
    loss.backward()
    text = str(matrix_view(loss, {"X": X, "W": W}))
    # by hand: dW[1][0] = X[0][1]·2 + X[1][1]·3 = 4 + 12 = 16; dW[0][0] = 1·2 + 3·3 = 11
    assert "dW[1][0] = X[0][1]·d(X·W)[0][0] + X[1][1]·d(X·W)[1][0]" in text
    assert "= 2.0·2.0 + 4.0·3.0 = 16.0" in text
    assert "[ +11.000000 ]" in text and "[ +16.000000 ]" in text
    assert "regrouped: dW = Xᵀ · d(X·W)   shapes (2×2)·(2×1) = (2×1): equal to the grads" in text


def test_a_second_backward_is_said_not_hidden() -> None:
    X = as_matrix([[1.0, 2.0]], "X")
    W = as_matrix([[0.5], [-1.0]], "W")
    loss = matmul(X, W)[0][0]
    loss.backward()
    loss.backward()  # grads accumulate: 2x what the edges give
    view = matrix_view(loss, {"X": X, "W": W})
    text = str(view)
    assert "backward() ran more than once" in text and "NOT equal to the grads" in text


def test_bad_input() -> None:
    with pytest.raises(TypeError, match="matrix_view: result"):
        matrix_view([[1.0]], {"X": [[autograd.Value(1.0)]]})  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="matrix_view: name at least one"):
        matrix_view(autograd.Value(1.0), {})
    with pytest.raises(TypeError, match="matrix_view: X holds float"):
        matrix_view(autograd.Value(1.0), {"X": [[1.0]]})
    with pytest.raises(ValueError, match="matrix_view: X is ragged"):
        matrix_view(autograd.Value(1.0), {"X": [[autograd.Value(1.0)], []]})


def test_the_page_holds_each_entrys_sum_and_its_cells() -> None:
    from autograd.see.matrix_page import matrix_view_html

    X = as_matrix([[1.0, 2.0], [3.0, 4.0]], "X")
    W = as_matrix([[0.5], [-1.0]], "W")
    Z = matmul(X, W)
    loss = autograd.sum([Z[0][0] * 2.0, Z[1][0] * 3.0])
    loss.backward()
    page = matrix_view_html(matrix_view(loss, {"X": X, "W": W}))
    assert "dW[1][0] = X[0][1]·d(X·W)[0][0] + X[1][1]·d(X·W)[1][0]" in page
    assert (
        'id="m1g-1-0" data-cells="[&quot;m1a-1-0&quot;, &quot;m1a-1-1&quot;, &quot;m1b-0-0&quot;, &quot;m1b-1-0&quot;]"'
        in page
    )
    with pytest.raises(TypeError, match="matrix_view_html"):
        matrix_view_html("not a view")  # type: ignore[arg-type]
