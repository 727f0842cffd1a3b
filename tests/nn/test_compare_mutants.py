"""Mutation-testing holes of ``nn/compare.py`` (issue 23): what a surviving mutant changed unnoticed.

Answers are derived by hand (a piecewise loss trained by SGD, an Adam step), by numpy (SVD, eigh, and
an independent numpy run of the subspace iteration ``top_singular_vectors`` documents: start, stop
rule, cap), or read from the docstrings (unit axes for a vanishing vector, a share of 1 when the
paths did not move).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import pytest

import nn
from autograd import Value
from nn.compare import top_singular_vectors


class Params(nn.Module):
    """A module whose parameters are the given Values (named p0, p1, ...)."""

    def __init__(self, values: list[Value]) -> None:
        for i, v in enumerate(values):
            setattr(self, f"p{i}", v)


# --- a path that flips mid-run and on the grid: the Values take over ------------------------------


def _piecewise() -> tuple[nn.Module, Callable[[], Value], list[Value]]:
    """L(w, b) = k (w - 3)² + b², k = 1 for w < 1 and 2 from there: the comparison is a guard."""
    w, b = Value(0.0), Value(0.0)

    def loss() -> Value:
        k = 1.0 if w < 1.0 else 2.0
        return k * (w - 3.0) ** 2 + b * b

    return Params([w, b]), loss, [w, b]


def test_a_path_that_flips_is_followed_with_the_values_in_the_run_and_on_the_grid() -> None:
    model, loss, (w, b) = _piecewise()
    result = nn.compare_optimizers(model, loss, {"sgd": {"lr": 0.25}}, steps=3, grid=3)
    run = result["runs"][0]
    # by hand: w 0 -> 0 - 0.25·2(0 - 3) = 1.5 (k = 1), then 1.5 - 0.25·4(1.5 - 3) = 3 (k = 2), then 3
    assert run["loss"] == [9.0, 4.5, 0.0, 0.0]
    assert run["params"] == [[0.0, 0.0], [1.5, 0.0], [3.0, 0.0], [3.0, 0.0]]
    assert run["grads"] == [[-6.0, 0.0], [-6.0, 0.0], [0.0, 0.0]]
    assert run["steps_taken"] == 3
    surface = result["surface"]
    # w from 0 to 3 padded by max(0.15·3, 0.25); b stays 0, padded by 0.25
    assert surface["axes"][0] == pytest.approx([-0.45, 1.5, 3.45], abs=1e-12)
    assert surface["axes"][1] == pytest.approx([-0.25, 0.0, 0.25], abs=1e-12)
    for j, bb in enumerate(surface["axes"][1]):
        for i, ww in enumerate(surface["axes"][0]):
            k = 1.0 if ww < 1.0 else 2.0  # w = 1.5 and 3.45 are past the traced path's guard
            assert surface["values"][j][i] == pytest.approx(k * (ww - 3.0) ** 2 + bb * bb, rel=1e-12)
    # left at the start, with gradients 0: a backward now gives the gradient at the start alone
    assert (w.data, b.data, w.grad, b.grad) == (0.0, 0.0, 0.0, 0.0)
    loss().backward()
    assert (w.grad, b.grad) == (-6.0, 0.0)


def test_a_non_finite_start_is_refused_by_name() -> None:
    for bad in (math.nan, math.inf):
        a, c = Value(0.5), Value(bad)
        with pytest.raises(ValueError) as info:
            nn.compare_optimizers(Params([a, c, Value(1.0)]), lambda: a * c, ["sgd"], steps=2, grid=2)
        assert str(info.value) == (
            f"compare_optimizers: parameter 'p1' is {bad!r}; every parameter must be a finite number "
            "to start from"
        )


def test_a_loss_not_defined_along_the_run_or_on_the_grid_is_nan_not_a_crash() -> None:
    w, b = Value(0.5), Value(1.0)

    def loss() -> Value:
        return -w.log() + 3.0 * w + b * b

    result = nn.compare_optimizers(Params([w, b]), loss, {"sgd": {"lr": 1.0}}, steps=3, grid=0)
    run = result["runs"][0]
    # by hand: dL/dw = -1/w + 3 = 1, dL/db = 2b = 2: one step to (-0.5, -1), where log is not defined
    assert run["loss"][0] == pytest.approx(math.log(2.0) + 2.5, rel=1e-15)
    assert math.isnan(run["loss"][1]) and len(run["loss"]) == 2
    assert run["params"] == [[0.5, 1.0], [-0.5, -1.0]] and run["steps_taken"] == 1
    assert (w.data, b.data) == (0.5, 1.0)

    def loss_2() -> Value:
        return (w * w - 0.3).log() + b * b  # defined for |w| > sqrt(0.3) only

    w.data = 0.7
    result = nn.compare_optimizers(Params([w, b]), loss_2, {"sgd": {"lr": 0.01}}, steps=5, grid=5)
    surface = result["surface"]
    seen_nan = 0
    for j, bb in enumerate(surface["axes"][1]):
        for i, ww in enumerate(surface["axes"][0]):
            if ww * ww - 0.3 <= 0.0:
                assert math.isnan(surface["values"][j][i])
                seen_nan += 1
            else:
                assert surface["values"][j][i] == pytest.approx(math.log(ww * ww - 0.3) + bb * bb, rel=1e-12)
    assert 0 < seen_nan < 25  # the grid reaches out of the domain, and not only


def test_one_parameter_with_adam_records_its_state() -> None:
    w = Value(0.0)
    result = nn.compare_optimizers(Params([w]), lambda: (w - 1.0) ** 2, {"adam": {"lr": 0.1}}, steps=1)
    (state,) = result["runs"][0]["state"]
    # g = 2(0 - 1) = -2: m = 0.1·g, v = 0.001·g², step 1; w = 0 - 0.1·(m/0.1)/(sqrt(v/0.001) + 1e-8)
    assert state["step"] == [1.0]
    assert state["exp_avg"] == [pytest.approx(-0.2, rel=1e-12)]
    assert state["exp_avg_sq"] == [pytest.approx(0.004, rel=1e-12)]
    assert result["runs"][0]["params"][1] == [pytest.approx(0.1 * 2.0 / (2.0 + 1e-8), rel=1e-12)]
    assert result["surface"] is None  # one parameter: no plane


# --- the PCA plane when the paths do not span one ---------------------------------------------------


def _three(loss_of: Callable[[list[Value]], Value]) -> tuple[nn.Module, Callable[[], Value]]:
    ps = [Value(0.0), Value(0.5), Value(-1.0)]
    return Params(ps), lambda: loss_of(ps)


def test_paths_that_do_not_move_give_the_unit_axes_a_share_of_1_and_a_small_grid() -> None:
    model, loss = _three(lambda ps: sum((p * p for p in ps), Value(0.0)))
    result = nn.compare_optimizers(model, loss, {"sgd": {"lr": 0.0}}, steps=2, grid=2)
    surface = result["surface"]
    assert surface["kind"] == "pca"
    # every row θ - θ_0 is 0: each Mᵀ M v vanishes and is replaced by the unit axis of its place
    assert surface["directions"] == [[1.0, 0.0, 0.0], [0.0, 1.0, 0.0]]
    assert surface["explained"] == 1.0  # nothing moved, nothing is unseen
    assert surface["paths"] == [[[0.0, 0.0]] * 3]
    # both ranges are [0, 0], padded by 0.05·max(|0|, |0|, 1e-3)
    assert surface["axes"] == [[-5e-5, 5e-5], [-5e-5, 5e-5]]
    # values[j][i]: θ_0 + a e_0 + b e_1 with a = axes[0][i], b = axes[1][j]
    for j, bb in enumerate(surface["axes"][1]):
        for i, aa in enumerate(surface["axes"][0]):
            assert surface["values"][j][i] == pytest.approx(aa**2 + (0.5 + bb) ** 2 + 1.0, rel=1e-12)


def test_a_path_that_leaves_the_floats_at_once_gets_a_second_direction_orthogonal_to_the_first() -> None:
    # sgd with lr 1e300 on gradients 1e10 sends every parameter to -inf in one step
    model, loss = _three(lambda ps: sum((p * 1e10 for p in ps), Value(0.0)))
    result = nn.compare_optimizers(model, loss, {"sgd": {"lr": 1e300}}, steps=3, grid=2)
    run = result["runs"][0]
    assert run["steps_taken"] == 1 and run["params"][1] == [-math.inf] * 3
    surface = result["surface"]
    # one finite row (the start's, 0): d_1 = e_0 (the vanishing vector's axis); d_2 = (1, 1, 1)
    # made orthogonal to d_1 and normalised
    d1, d2 = surface["directions"]
    assert d1 == [1.0, 0.0, 0.0]
    assert d2 == pytest.approx([0.0, math.sqrt(0.5), math.sqrt(0.5)], abs=1e-15)
    assert surface["explained"] == 1.0
    assert surface["axes"] == [[-5e-5, 5e-5], [-5e-5, 5e-5]]
    assert surface["paths"][0][0] == [0.0, 0.0]


def test_a_share_below_1_is_given_when_the_paths_move_less_than_1() -> None:
    np = pytest.importorskip("numpy")
    model, loss = _three(lambda ps: (ps[0] - 1.0) ** 2 + (ps[1] + ps[2]) ** 2 + ps[2] ** 4)
    result = nn.compare_optimizers(model, loss, {"sgd": {"lr": 0.01}, "adam": {"lr": 0.01}}, steps=6, grid=2)
    rows = np.array([t for run in result["runs"] for t in run["params"]]) - np.array(result["start"])
    sigma = np.linalg.svd(rows, compute_uv=False)
    total = float((sigma**2).sum())
    assert 0.0 < total < 1.0  # the case this test is for
    share = (sigma[0] ** 2 + sigma[1] ** 2) / total
    assert share < 1.0 - 1e-9
    assert result["surface"]["explained"] == pytest.approx(share, rel=1e-9)


# --- top_singular_vectors: edge shapes, small σ, and the documented iteration ----------------------


def test_edge_shapes_and_small_singular_values() -> None:
    assert top_singular_vectors([]) == ([], [])
    # one row: σ = its norm, v = the row over it (k is cut to the one row)
    sigmas, vectors = top_singular_vectors([[3.0, -4.0, 0.0]])
    assert sigmas == pytest.approx([5.0], rel=1e-15)
    assert vectors == [pytest.approx([-0.6, 0.8, 0.0], abs=1e-15)]  # its largest entry positive
    # one column: σ = the column's norm, v = (1)
    sigmas, vectors = top_singular_vectors([[1.0], [-2.0], [2.0]])
    assert sigmas == pytest.approx([3.0], rel=1e-15) and vectors == [[pytest.approx(1.0, rel=1e-15)]]
    # k = 1 of a 2 x 2 diagonal matrix
    sigmas, vectors = top_singular_vectors([[0.0, 0.5], [0.25, 0.0]], 1)
    assert sigmas == pytest.approx([0.5], rel=1e-14)
    assert vectors == [pytest.approx([0.0, 1.0], abs=1e-6)]  # the stop rule: 1 - cos < 1e-13
    # the default k is 2; singular values below 1 are kept as they are
    sigmas, vectors = top_singular_vectors([[0.3, 0.0, 0.0], [0.0, -0.2, 0.0], [0.0, 0.0, 0.1]])
    assert sigmas == pytest.approx([0.3, 0.2], rel=1e-14)
    assert vectors == [pytest.approx([1.0, 0.0, 0.0], abs=1e-6), pytest.approx([0.0, 1.0, 0.0], abs=1e-6)]
    # an all-zero matrix: σ = 0 and the unit axes
    assert top_singular_vectors([[0.0] * 3] * 4) == ([0.0, 0.0], [[1.0, 0.0, 0.0], [0.0, 1.0, 0.0]])


def test_three_singular_values_match_numpy() -> None:
    np = pytest.importorskip("numpy")
    rng = np.random.default_rng(7)
    for shape in [(9, 5), (6, 3), (12, 7)]:
        m = rng.normal(size=shape) * np.array([4.0, 2.5, 1.5, 0.4, 0.3, 0.2, 0.1])[: shape[1]]
        sigmas, vectors = top_singular_vectors(m.tolist(), 3)
        _, s, vt = np.linalg.svd(m, full_matrices=False)
        assert sigmas == pytest.approx(s[:3].tolist(), rel=1e-10)
        for v, w in zip(vectors, vt[:3]):
            assert abs(abs(float(np.dot(v, w))) - 1.0) < 1e-10


def test_all_singular_vectors_of_three_columns_match_numpy_to_rounding() -> None:
    # k = the number of columns: the span is exact at once, so the vectors are the Jacobi rotation's
    np = pytest.importorskip("numpy")
    for seed in (14, 48, 57):
        rng = np.random.default_rng(seed)
        m = rng.normal(size=(5, 3)) * np.exp(rng.normal(size=3) * 2)
        sigmas, vectors = top_singular_vectors(m.tolist(), 3)
        _, s, vt = np.linalg.svd(m)
        assert sigmas == pytest.approx(s.tolist(), rel=1e-13)
        for v, w in zip(vectors, vt):
            w = -w if w[np.argmax(np.abs(w))] < 0 else w
            assert v == pytest.approx(w.tolist(), abs=1e-13)


def _orthonormal_rows(np: Any, a: Any) -> Any:
    """Gram-Schmidt on the rows of a, in order (numpy, one pass: to rounding, what the docstring says)."""
    out: list[Any] = []
    for row in a:
        for u in out:
            row = row - (row @ u) * u
        out.append(row / np.linalg.norm(row))
    return np.array(out)


def _numpy_iteration(rows: list[list[float]], k: int, tol: float, max_iter: int) -> list[Any]:
    """The subspace iteration ``top_singular_vectors`` documents, in numpy: the start V_0 and each V_i
    after it, up to the first that turns less than tol or max_iter of them."""
    import numpy as np

    m = np.array(rows, dtype=float)
    n = m.shape[1]
    k = min(k, *m.shape)
    order = sorted(range(len(m)), key=lambda i: -float(m[i] @ m[i]))
    j = np.arange(n)
    v = _orthonormal_rows(np, [m[i] + 1e-3 * np.sin(1.0 + j * (c + 1)) for c, i in enumerate(order[:k])])
    history = [v]
    for _ in range(max_iter):
        new = _orthonormal_rows(np, (m.T @ (m @ v.T)).T)
        projected = new @ v.T @ v
        projected /= np.linalg.norm(projected, axis=1, keepdims=True)
        turned = float(np.max(1.0 - np.abs(np.sum(new * projected, axis=1))))
        v = new
        history.append(v)
        if turned < tol:
            break
    return history


def _ritz(rows: list[list[float]], v: Any) -> tuple[Any, Any]:
    """Rayleigh-Ritz on span(V) (numpy's eigh): σ by size, vectors with their largest entry positive."""
    import numpy as np

    mv = np.array(rows, dtype=float) @ v.T
    values, rotation = np.linalg.eigh(mv.T @ mv)
    vectors = []
    for i in np.argsort(-values):
        u = rotation[:, i] @ v
        vectors.append(-u if u[np.argmax(np.abs(u))] < 0 else u)
    return np.sqrt(np.maximum(np.sort(values)[::-1], 0.0)), np.array(vectors)


def _assert_same(ours: tuple[list[float], list[list[float]]], theirs: tuple[Any, Any], tol: float) -> None:
    assert ours[0] == pytest.approx(theirs[0].tolist(), rel=tol, abs=tol)
    assert len(ours[1]) == len(theirs[1])
    for v, w in zip(ours[1], theirs[1]):
        assert v == pytest.approx(w.tolist(), abs=tol)


def _rows(np: Any, sigmas: list[float], n_rows: int, seed: int) -> list[list[float]]:
    """Rows of U diag(σ) Vᵀ for random orthonormal U, V, listed by increasing norm."""
    rng = np.random.default_rng(seed)
    u = np.linalg.qr(rng.normal(size=(n_rows, len(sigmas))))[0]
    w = np.linalg.qr(rng.normal(size=(len(sigmas), len(sigmas))))[0]
    m = u @ np.diag(sigmas) @ w.T
    return sorted(m.tolist(), key=lambda r: sum(x * x for x in r))


def test_the_documented_start_stop_rule_and_cap() -> None:
    np = pytest.importorskip("numpy")
    rows = _rows(np, [3.0, 2.0, 1.8, 0.5], 6, seed=11)
    # max_iter 0: the Rayleigh-Ritz values of the start itself (the largest rows plus the spread)
    start = _ritz(rows, _numpy_iteration(rows, 2, 1e-13, 0)[0])
    _assert_same(top_singular_vectors(rows, 2, max_iter=0), start, 1e-12)
    assert abs(start[0][1] - 2.0) > 1e-3  # far from converged: the start shows
    # a loose tol: it stops at the first iteration that turns less than tol, part way
    history = _numpy_iteration(rows, 2, 1e-6, 2000)
    assert 5 < len(history) - 1 < 100
    _assert_same(top_singular_vectors(rows, 2, tol=1e-6), _ritz(rows, history[-1]), 1e-11)
    one_more = _numpy_iteration(rows, 2, 0.0, len(history))[-1]
    assert np.max(np.abs(_ritz(rows, one_more)[1] - _ritz(rows, history[-1])[1])) > 1e-6  # it would show
    # a plane already exact (two columns, k = 2): one iteration turns nothing, and it stops there
    flat = [[1.0, 2.0], [3.0, -1.0], [0.5, 0.5]]
    history = _numpy_iteration(flat, 2, 1e-13, 2000)
    assert len(history) == 2
    _assert_same(top_singular_vectors(flat), _ritz(flat, history[-1]), 1e-13)


def test_the_default_cap_is_2000_iterations() -> None:
    np = pytest.importorskip("numpy")
    # σ_2/σ_1 = 0.999: the power iteration (k = 1) turns by more than 1e-13 for thousands of steps
    rows = _rows(np, [1.0, 0.999], 2, seed=3)
    history = _numpy_iteration(rows, 1, 1e-13, 2001)
    assert len(history) == 2002  # not stopped by the turn
    at_cap = _ritz(rows, history[2000])
    assert np.max(np.abs(_ritz(rows, history[2001])[1] - at_cap[1])) > 1e-9  # the 2001st would show
    _assert_same(top_singular_vectors(rows, 1), at_cap, 1e-11)
