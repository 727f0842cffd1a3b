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


def small_product_view():  # type: ignore[no-untyped-def]
    X = as_matrix([[1.0, 2.0], [3.0, 4.0]], "X")
    W = as_matrix([[0.5], [-1.0]], "W")
    Z = matmul(X, W)
    loss = autograd.sum([Z[0][0] * 2.0, Z[1][0] * 3.0])
    loss.backward()
    return matrix_view(loss, {"X": X, "W": W})


def test_show_puts_the_lens_page_inline_and_says_when_graphviz_is_missing(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import html

    import autograd.see.matrix_page as matrix_page
    from autograd.see.draw import GraphvizMissing

    def no_dot(*args: object, **kwargs: object) -> str:
        raise GraphvizMissing("the Graphviz 'dot' program was not found")

    monkeypatch.setattr(matrix_page, "to_svg", no_dot)
    inline = autograd.show(small_product_view(), height=500)
    frame = inline._repr_html_()
    assert frame.startswith('<iframe srcdoc="') and 'sandbox="allow-scripts"' in frame
    page = html.unescape(frame.split('srcdoc="', 1)[1].split('" sandbox=', 1)[0])
    assert page == inline.html
    # dW = Xᵀ·dZ with dZ = [[2], [3]] by hand: dW = [[1·2 + 3·3], [2·2 + 4·3]] = [[11], [16]]
    assert '<td id="m1g-0-0" data-cells=' in page and ">+11.0000</td>" in page
    assert ">+16.0000</td>" in page and 'id="m1a-1-1"' in page and 'id="m1b-1-0"' in page
    assert "Graphviz is not available here" in page and "<svg" not in page
    assert 'data-edges="[]"' in page


def test_a_graph_too_big_to_read_is_not_drawn(monkeypatch: pytest.MonkeyPatch) -> None:
    import autograd.see.matrix_page as matrix_page

    def must_not_draw(*args: object, **kwargs: object) -> str:
        raise AssertionError("drew a graph too big to read")

    monkeypatch.setattr(matrix_page, "to_svg", must_not_draw)
    X = as_matrix([[float(i + j) for j in range(6)] for i in range(6)], "X")
    W = as_matrix([[float(i - j) for j in range(6)] for i in range(6)], "W")
    loss = autograd.sum([z for row in matmul(X, W) for z in row])
    loss.backward()
    page = matrix_page.matrix_view_html(matrix_view(loss, {"X": X, "W": W}))
    assert "72 entries: too many to draw here" in page and "focus=W[i][j]" in page
