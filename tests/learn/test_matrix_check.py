"""check_matrix_backward: the right formulas pass, and planted wrong ones are named with their kind."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest

from autograd.learn.matrix_check import MATRIX_MISTAKE_KINDS, MatrixMistake, check_matrix_backward

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "exercises"))
import check_matrices
import matrix_solutions as sol

sig = sol.sigmoid


def lin(dX, dW):  # type: ignore[no-untyped-def]
    def linear_backward(X, W, dZ):  # type: ignore[no-untyped-def]
        return dX(X, W, dZ), dW(X, W, dZ)

    return linear_backward


def bias(db):  # type: ignore[no-untyped-def]
    def linear_bias_backward(X, W, b, dZ):  # type: ignore[no-untyped-def]
        return dZ @ W.T, X.T @ dZ, db(dZ)

    return linear_bias_backward


def neu(dW, db):  # type: ignore[no-untyped-def]
    def neuron_backward(X, W, b, y):  # type: ignore[no-untyped-def]
        a = sig(X @ W + b)
        return dW(X, a, y, X.shape[0]), db(a, y, X.shape[0])

    return neuron_backward


RIGHT_DW = lambda X, a, y, m: X.T @ (a - y) / m
RIGHT_DB = lambda a, y, m: np.sum(a - y, axis=0) / m


def mlp(dW1=None, db1=None, dW2=None):  # type: ignore[no-untyped-def]
    def mlp_backward(X, W1, b1, W2, b2, dZ):  # type: ignore[no-untyped-def]
        H = np.tanh(X @ W1 + b1)
        dH = dZ @ W2.T
        dP = dH * (1 - H**2)
        g1 = dW1(X, H, dH, dP) if dW1 else X.T @ dP
        gb1 = db1(dP) if db1 else dP.sum(axis=0)
        g2 = dW2(H, dZ) if dW2 else H.T @ dZ
        return g1, gb1, g2, dZ.sum(axis=0)

    return mlp_backward


# (the learner's function, the gradient that is wrong, the kind it must be named with)
PLANTED = [
    (lin(lambda X, W, dZ: dZ @ W, lambda X, W, dZ: X.T @ dZ), "dX", "missing_transpose"),
    (lin(lambda X, W, dZ: dZ @ W.T, lambda X, W, dZ: X @ dZ), "dW", "missing_transpose"),
    (lin(lambda X, W, dZ: dZ @ W.T, lambda X, W, dZ: X.T @ dZ.T), "dW", "missing_transpose"),
    (lin(lambda X, W, dZ: W.T @ dZ, lambda X, W, dZ: X.T @ dZ), "dX", "factor_order"),
    (lin(lambda X, W, dZ: dZ @ W.T, lambda X, W, dZ: dZ @ X.T), "dW", "factor_order"),
    (lin(lambda X, W, dZ: dZ @ W.T, lambda X, W, dZ: dZ.T @ X), "dW", "transposed"),
    (lin(lambda X, W, dZ: W @ dZ.T, lambda X, W, dZ: X.T @ dZ), "dX", "transposed"),
    (lin(lambda X, W, dZ: dZ @ W.T, lambda X, W, dZ: X.T @ dZ / X.shape[0]), "dW", "extra_1_over_m"),
    (lin(lambda X, W, dZ: dZ @ W.T, lambda X, W, dZ: -(X.T @ dZ)), "dW", "sign"),
    (lin(lambda X, W, dZ: dZ @ W.T, lambda X, W, dZ: X[:1].T @ dZ[:1]), "dW", "batch_not_summed"),
    (
        lin(lambda X, W, dZ: dZ @ W.T, lambda X, W, dZ: np.einsum("mi,mk->mik", X, dZ)),
        "dW",
        "batch_not_summed",
    ),
    (lin(lambda X, W, dZ: dZ @ W.T, lambda X, W, dZ: (X.T @ dZ).ravel()), "dW", "shape"),
    (bias(lambda dZ: dZ), "db", "bias_not_summed"),
    (bias(lambda dZ: dZ[0]), "db", "bias_not_summed"),
    (bias(lambda dZ: dZ.mean(axis=0)), "db", "extra_1_over_m"),
    (bias(lambda dZ: dZ.sum(axis=1)), "db", "shape"),
    (bias(lambda dZ: dZ.sum(axis=0, keepdims=True)), "db", "shape"),
    (neu(lambda X, a, y, m: X.T @ (a - y), RIGHT_DB), "dW", "missing_1_over_m"),
    (neu(RIGHT_DW, lambda a, y, m: np.sum(a - y, axis=0)), "db", "missing_1_over_m"),
    (neu(lambda X, a, y, m: X @ (a - y) / m, RIGHT_DB), "dW", "missing_transpose"),
    (neu(lambda X, a, y, m: (a - y).T @ X / m, RIGHT_DB), "dW", "transposed"),
    (neu(lambda X, a, y, m: X.T @ (y - a) / m, RIGHT_DB), "dW", "sign"),
    (neu(lambda X, a, y, m: X * (a - y) / m, RIGHT_DB), "dW", "batch_not_summed"),
    (neu(RIGHT_DW, lambda a, y, m: (a - y) / m), "db", "bias_not_summed"),
    (mlp(dW2=lambda H, dZ: H @ dZ), "dW2", "missing_transpose"),
    (mlp(dW1=lambda X, H, dH, dP: X.T @ dH), "dW1", "wrong_factor"),
    (mlp(db1=lambda dP: dP), "db1", "bias_not_summed"),
]


@pytest.mark.parametrize(
    "function, grad, kind", PLANTED, ids=[f"{i}-{k}" for i, (_, _, k) in enumerate(PLANTED)]
)
def test_each_planted_mistake_is_named_with_its_kind(function, grad: str, kind: str) -> None:  # type: ignore[no-untyped-def]
    report = check_matrices.check(function)
    assert not report.ok
    assert report.kinds == (kind,), str(report)
    assert report.mistakes[0].partial == grad
    assert isinstance(report.mistakes[0], MatrixMistake) and kind in MATRIX_MISTAKE_KINDS
    check = next(c for c in report.checks if c.title.startswith(grad + " "))
    assert not check.ok


def test_at_least_twenty_planted_formulas() -> None:
    assert len(PLANTED) >= 20
    assert {k for _, _, k in PLANTED} >= {
        "missing_transpose", "factor_order", "batch_not_summed", "bias_not_summed",
        "missing_1_over_m", "extra_1_over_m", "shape",
    }  # fmt: skip


@pytest.mark.parametrize("seed", [0, 1, 2])
@pytest.mark.parametrize("name", list(check_matrices.EXERCISES))
def test_the_solutions_pass_at_every_seed(name: str, seed: int) -> None:
    report = check_matrices.check(getattr(sol, name), seed=seed)
    assert report.ok, str(report)


def test_lists_are_accepted_as_well_as_arrays() -> None:
    def linear_backward(X, W, dZ):  # type: ignore[no-untyped-def]
        return (np.asarray(dZ) @ np.asarray(W).T).tolist(), (np.asarray(X).T @ np.asarray(dZ)).tolist()

    assert check_matrices.check(linear_backward).ok


def test_the_shape_mistake_names_both_shapes() -> None:
    report = check_matrices.check(bias(lambda dZ: dZ.sum(axis=1)))
    text = str(report)
    assert "yours has shape (" in text and "the right one has shape (" in text


def test_missing_transpose_says_where_it_did_not_compute() -> None:
    report = check_matrices.check(PLANTED[1][0])
    text = report.mistakes[0].message
    assert "X·dZ" in text and "Xᵀ·dZ" in text and "raised" in text


def test_raised_count_and_not_a_matrix() -> None:
    def linear_backward(X, W, dZ):  # type: ignore[no-untyped-def]
        raise ZeroDivisionError("boom")

    assert check_matrices.check(linear_backward).kinds == ("raised",)

    def linear_backward(X, W, dZ):  # type: ignore[no-redef, no-untyped-def]
        return dZ @ W.T

    assert check_matrices.check(linear_backward).kinds == ("count",)

    def linear_backward(X, W, dZ):  # type: ignore[no-redef, no-untyped-def]
        return dZ @ W.T, "dW"

    assert check_matrices.check(linear_backward).kinds == ("not_a_matrix",)


def test_a_wrong_formula_in_no_pattern_is_unexplained() -> None:
    report = check_matrices.check(lin(lambda X, W, dZ: dZ @ W.T, lambda X, W, dZ: X.T @ dZ + 0.5))
    assert report.kinds == ("unexplained",)


def test_a_second_run_gives_the_same_report() -> None:
    f = PLANTED[0][0]
    assert str(check_matrices.check(f)) == str(check_matrices.check(f))


def test_bad_arguments() -> None:
    with pytest.raises(ValueError, match="wrt"):
        check_matrix_backward(
            check_matrices.linear, sol.linear_backward, {"X": "m n", "W": "n k"}, wrt=("V",)
        )
    with pytest.raises(ValueError, match="trials"):
        check_matrix_backward(check_matrices.linear, sol.linear_backward, {"X": "m n", "W": "n k"}, trials=1)
    with pytest.raises(ValueError, match="unknown kind"):
        MatrixMistake("nope", "x")


def test_unusual_answers_infinity_bool_float32() -> None:
    assert check_matrices.check(
        lin(lambda X, W, dZ: dZ @ W.T, lambda X, W, dZ: (X.T @ dZ) * np.inf)
    ).kinds == ("non_finite",)
    assert check_matrices.check(lin(lambda X, W, dZ: dZ @ W.T, lambda X, W, dZ: X.T @ dZ > 0)).kinds == (
        "not_a_matrix",
    )
    f32 = lin(lambda X, W, dZ: (dZ @ W.T).astype(np.float32), lambda X, W, dZ: X.T @ dZ)
    report = check_matrices.check(f32)
    assert report.kinds == ("imprecise",) and "float32" in str(report)
    exact = lin(
        lambda X, W, dZ: (dZ @ W.T).astype(np.int64).astype(float) * 0 + dZ @ W.T, lambda X, W, dZ: X.T @ dZ
    )
    assert check_matrices.check(exact).ok


def _dW_only(backward):  # type: ignore[no-untyped-def]
    return check_matrix_backward(check_matrices.linear, backward, {"X": "m n", "W": "n k"}, wrt=("W",))


def test_one_graded_gradient_as_a_tuple_of_rows_is_not_called_several_gradients_alone() -> None:
    # dW = X^T dZ, written as a tuple of row tuples: the learner returned ONE gradient; the
    # message must not say only "N gradients" (untrue in that reading), and must say how to return it
    rows = lambda X, W, dZ: tuple(tuple(float(v) for v in row) for row in X.T @ dZ)
    report = _dW_only(rows)
    assert report.kinds == ("count",)
    message = report.mistakes[0].message
    assert "a tuple is read as the gradients, one per entry" in message
    assert "return dW alone as a list or an array, or (dW,)" in message
    # and what it says to do works: the same rows as a list, as an array, or as (dW,)
    assert _dW_only(lambda X, W, dZ: [list(r) for r in rows(X, W, dZ)]).ok
    assert _dW_only(lambda X, W, dZ: X.T @ dZ).ok
    assert _dW_only(lambda X, W, dZ: (X.T @ dZ,)).ok
