"""check_matrix_backward, the holes mutation testing found (issue 23): the exact text a learner is told.

Most tests here use shapes written with numbers (``{"X": "4 2", "W": "2 3"}``): every run then has
the same shapes, m is the rows of the first input, and each message can be written out by hand.
The right gradients they are compared with are the lesson's formulas in numpy (dX = dZ·Wᵀ,
dW = Xᵀ·dZ, db = Σᵢ dZᵢ), computed here on the numbers the learner's function is given.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from autograd import matmul, matrix_add, matrix_map, matrix_mul
from autograd.learn.matrix_check import MatrixMistake, check_matrix_backward
from autograd.learn.report import Report
from autograd.ops import sum as value_sum
from autograd.value import Value

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "exercises"))
import check_matrices

SHAPES = {"X": "4 2", "W": "2 3"}  # m = 4 examples, 2 features, 3 outputs: every matrix non-square
AT = "X (4, 2), W (2, 3), dZ (4, 3)"  # how the learner is told the shapes of a run
BIAS = {"X": "4 2", "W": "2 3", "b": "3"}
AT_BIAS = "X (4, 2), W (2, 3), b (3,), dZ (4, 3)"


def linear(X: Any, W: Any) -> Any:
    return matmul(X, W)


def linear_bias(X: Any, W: Any, b: Any) -> Any:
    return matrix_add(matmul(X, W), b)


def grade(backward: Any, shapes: dict[str, str] = SHAPES, forward: Any = linear, **kw: Any) -> Report:
    kw.setdefault("trials", 2)
    return check_matrix_backward(forward, backward, shapes, **kw)


def dW_as(f: Any) -> Any:
    """A linear layer's backward with the right dX and ``f(X, W, dZ)`` as dW."""

    def linear_backward(X: Any, W: Any, dZ: Any) -> Any:
        return dZ @ W.T, f(X, W, dZ)

    return linear_backward


def only_mistake(report: Report) -> tuple[str, str]:
    """The kind and message of the one mistake found; a mistake about one gradient says which."""
    assert len(report.mistakes) == 1, str(report)
    mistake = report.mistakes[0]
    if mistake.message.startswith("d"):
        assert mistake.partial == mistake.message.split(" ")[0].rstrip(":"), mistake
    return mistake.kind, mistake.message


# --- the message of each kind, in full ----------------------------------------------------------------


@pytest.mark.parametrize(
    "factor, kind, what",
    [(4.0, "missing_1_over_m", "m ×"), (0.25, "extra_1_over_m", "1/m ×"), (-1.0, "sign", "-1 ×")],
)
def test_a_scaled_gradient_is_named_with_m(factor: float, kind: str, what: str) -> None:
    report = grade(dW_as(lambda X, W, dZ: factor * (X.T @ dZ)))
    assert only_mistake(report) == (kind, f"dW: yours is {what} the right gradient (m = 4 examples, at {AT})")
    assert report.mistakes[0].partial == "dW"
    assert [str(c).split(" (first")[0] for c in report.checks] == [
        "  ok   dX at 2 shapes: 2/2 right",
        "  FAIL dW at 2 shapes: 0/2 right",
    ]


def test_a_batch_of_two_is_a_batch() -> None:
    # m = 2: the smallest batch still has a 1/m to miss, and a first example that is not the batch
    shapes, at = {"X": "2 3", "W": "3 4"}, "X (2, 3), W (3, 4), dZ (2, 4)"
    report = grade(dW_as(lambda X, W, dZ: 2 * (X.T @ dZ)), shapes)
    assert only_mistake(report) == (
        "missing_1_over_m", f"dW: yours is m × the right gradient (m = 2 examples, at {at})"
    )  # fmt: skip
    report = grade(dW_as(lambda X, W, dZ: X[:1].T @ dZ[:1]), shapes)
    assert only_mistake(report) == (
        "batch_not_summed",
        f"dW: yours is the first example's gradient only; each of the 2 examples adds its own (at {at})",
    )
    report = grade(dW_as(lambda X, W, dZ: np.einsum("mi,mk->mik", X, dZ)), shapes)
    assert only_mistake(report) == (
        "batch_not_summed",
        "dW: yours has shape (2, 3, 4), one gradient per example; summed over the batch it is the right one (3, 4)",
    )


def test_the_sign_with_one_example() -> None:
    # m = 1: no 1/m to miss (m × and 1/m × the gradient are the gradient), but a sign to flip
    report = grade(dW_as(lambda X, W, dZ: -(X.T @ dZ)), {"X": "1 3", "W": "3 2"})
    assert only_mistake(report) == (
        "sign", "dW: yours is -1 × the right gradient (m = 1 example, at X (1, 3), W (3, 2), dZ (1, 2))"
    )  # fmt: skip


def test_the_sign_of_a_large_gradient() -> None:
    # the tolerance of -1 × the right gradient is 1e-9·(1 + |scale|), not 1e-9·(1 - scale)
    def big(X: Any, W: Any) -> Any:
        return matrix_map(lambda v: v * 1000.0, matmul(X, W))

    def linear_backward(X: Any, W: Any, dZ: Any) -> Any:
        return 1000.0 * (dZ @ W.T), -1000.0 * (X.T @ dZ)

    report = grade(linear_backward, forward=big)
    assert only_mistake(report) == ("sign", f"dW: yours is -1 × the right gradient (m = 4 examples, at {AT})")


def test_the_first_examples_gradient_only() -> None:
    report = grade(dW_as(lambda X, W, dZ: X[:1].T @ dZ[:1]))
    assert only_mistake(report) == (
        "batch_not_summed",
        f"dW: yours is the first example's gradient only; each of the 4 examples adds its own (at {AT})",
    )

    def linear_bias_backward(X: Any, W: Any, b: Any, dZ: Any) -> Any:
        return dZ @ W.T, X.T @ dZ, dZ[0]

    assert only_mistake(grade(linear_bias_backward, BIAS, linear_bias)) == (
        "bias_not_summed",
        f"db: yours is the first example's gradient only; each of the 4 examples adds its own (at {AT_BIAS})",
    )


def test_the_first_examples_gradient_in_a_program_with_named_matrices() -> None:
    # mlp's forward returns (Z, {"P": P, "H": H}): its second run (dZ's first row only) reads Z from it
    report = check_matrices.check(check_matrices_mlp(db1=lambda dP: dP[0]))
    kind, message = only_mistake(report)
    assert kind == "bias_not_summed" and message.startswith(
        "db1: yours is the first example's gradient only; each of the "
    ), message


def check_matrices_mlp(db1: Any) -> Any:
    def mlp_backward(X: Any, W1: Any, b1: Any, W2: Any, b2: Any, dZ: Any) -> Any:
        H = np.tanh(X @ W1 + b1)
        dP = (dZ @ W2.T) * (1 - H**2)
        return X.T @ dP, db1(dP), H.T @ dZ, dZ.sum(axis=0)

    return mlp_backward


def test_per_example_gradients_summed_or_averaged() -> None:
    report = grade(dW_as(lambda X, W, dZ: np.einsum("mi,mk->mik", X, dZ)))
    assert only_mistake(report) == (
        "batch_not_summed",
        "dW: yours has shape (4, 2, 3), one gradient per example; summed over the batch it is the right one (2, 3)",
    )
    report = grade(dW_as(lambda X, W, dZ: 4 * np.einsum("mi,mk->mik", X, dZ)))
    assert only_mistake(report) == (
        "batch_not_summed",
        "dW: yours has shape (4, 2, 3), one gradient per example; averaged over the batch it is the right one (2, 3)",
    )


NEURON = {"X": "4 2", "W": "2 1", "b": "1", "y": "4 1"}


def neuron_backward_with(db: Any) -> Any:
    def neuron_backward(X: Any, W: Any, b: Any, y: Any) -> Any:
        a = 1 / (1 + np.exp(-(X @ W + b)))
        return X.T @ (a - y) / 4, db(a - y)

    return neuron_backward


def grade_neuron(db: Any) -> Report:
    return grade(neuron_backward_with(db), NEURON, check_matrices.neuron, labels=("y",), wrt=("W", "b"))


@pytest.mark.parametrize("db, how", [(lambda d: d / 4, "summed"), (lambda d: d, "averaged")])
def test_a_bias_per_example(db: Any, how: str) -> None:
    # the mean cross-entropy's right db is Σᵢ (aᵢ - yᵢ) / m, of shape (1,): a column (4, 1) of
    # (aᵢ - yᵢ)/m sums to it, a column of (aᵢ - yᵢ) averages to it
    assert only_mistake(grade_neuron(db)) == (
        "bias_not_summed",
        f"db: yours has shape (4, 1), one row per example; {how} over the rows it is the right one: "
        "a bias added to every row collects the gradient of every row",
    )


def test_a_bias_per_example_as_a_flat_list() -> None:
    assert only_mistake(grade_neuron(lambda d: d.ravel() / 4)) == (
        "bias_not_summed",
        "db: yours has shape (4,), one row per example; summed over the rows it is the right one: "
        "a bias added to every row collects the gradient of every row",
    )


def test_a_number_for_a_gradient_of_one_entry() -> None:
    # db of a bias of shape (1,) returned as one number (np.sum without axis): right, as numpy broadcasts it
    assert grade_neuron(lambda d: float(np.sum(d) / 4)).ok
    assert grade_neuron(lambda d: np.sum(d) / 4).ok
    assert grade_neuron(lambda d: np.sum(d, axis=0) / 4).ok

    # a wrong number is explained as a wrong gradient is (not as the wrong shape: () passes as (1,))
    assert only_mistake(grade_neuron(lambda d: float(np.sum(d)))) == (
        "missing_1_over_m",
        "db: yours is m × the right gradient (m = 4 examples, at X (4, 2), W (2, 1), b (1,), y (4, 1))",
    )
    assert grade_neuron(lambda d: float(np.sum(d)) / 4 + 1e-3).kinds == ("unexplained",)

    # a matrix (1, 1) for a gradient (1,) is no number: its shape is said as it is
    assert only_mistake(grade_neuron(lambda d: np.sum(d, axis=0, keepdims=True) / 4)) == (
        "shape",
        "db: yours has shape (1, 1), the right one has shape (1,), the shape of b "
        "(at X (4, 2), W (2, 1), b (1,), y (4, 1))",
    )

    # but one number for a bias of three entries is the wrong shape
    def linear_bias_backward(X: Any, W: Any, b: Any, dZ: Any) -> Any:
        return dZ @ W.T, X.T @ dZ, float(dZ.sum())

    assert only_mistake(grade(linear_bias_backward, BIAS, linear_bias)) == (
        "shape", f"db: yours has shape (), the right one has shape (3,), the shape of b (at {AT_BIAS})"
    )  # fmt: skip


def test_a_bias_row_of_shape_1_by_k() -> None:
    shapes = {"X": "4 2", "W": "2 3", "b": "1 3"}

    def linear_bias_backward(X: Any, W: Any, b: Any, dZ: Any) -> Any:
        return dZ @ W.T, X.T @ dZ, dZ

    kind, message = only_mistake(grade(linear_bias_backward, shapes, linear_bias))
    assert kind == "bias_not_summed" and message.startswith("db: yours has shape (4, 3), one row per example")


def test_a_weight_of_one_entry_is_not_a_bias() -> None:
    # W of shape (1, 1): dW = Σᵢ Xᵢ·dZᵢ; per-example products as a flat list are the wrong shape,
    # and W is no bias added to every row
    report = grade(dW_as(lambda X, W, dZ: (X * dZ).ravel()), {"X": "4 1", "W": "1 1"})
    kind, message = only_mistake(report)
    assert kind != "bias_not_summed" and "bias" not in message, message


def test_transposed_with_and_without_a_formula() -> None:
    report = grade(dW_as(lambda X, W, dZ: dZ.T @ X))
    assert only_mistake(report) == (
        "transposed",
        "dW: yours is the transpose of the right gradient (yours has shape (3, 2), dW has shape (2, 3)): "
        "the right one is Xᵀ·dZ",
    )

    def linear_backward(X: Any, W: Any, dZ: Any) -> Any:
        return (dZ @ W.T).T, X.T @ dZ

    assert only_mistake(grade(linear_backward)) == (
        "transposed",
        "dX: yours is the transpose of the right gradient (yours has shape (2, 4), dX has shape (4, 2)): "
        "the right one is dZ·Wᵀ",
    )

    def linear_tanh(X: Any, W: Any) -> Any:  # dW = Xᵀ·(dZ ⊙ (1 - H²)): no product of X, W, dZ
        return matrix_map(lambda v: v.tanh(), matmul(X, W))

    def linear_tanh_backward(X: Any, W: Any, dZ: Any) -> Any:
        H = np.tanh(X @ W)
        dP = dZ * (1 - H**2)
        return dP @ W.T, (X.T @ dP).T

    assert only_mistake(grade(linear_tanh_backward, forward=linear_tanh)) == (
        "transposed",
        "dW: yours is the transpose of the right gradient (yours has shape (3, 2), dW has shape (2, 3))",
    )


SQUARE = {"X": "3 3", "W": "3 3"}
AT_SQUARE = "X (3, 3), W (3, 3), dZ (3, 3)"


def test_products_named_in_full() -> None:
    report = grade(dW_as(lambda X, W, dZ: X @ dZ), SQUARE)
    assert only_mistake(report) == (
        "missing_transpose", f"dW: yours is X·dZ, the right one is Xᵀ·dZ (at {AT_SQUARE})"
    )  # fmt: skip

    def linear_backward(X: Any, W: Any, dZ: Any) -> Any:
        return W.T @ dZ, X.T @ dZ

    assert only_mistake(grade(linear_backward, SQUARE)) == (
        "factor_order",
        f"dX: yours is Wᵀ·dZ, the right one is dZ·Wᵀ: the same factors in the other order (at {AT_SQUARE})",
    )
    shapes = {"X": "4 2", "W1": "2 3", "b1": "3", "W2": "3 5", "b2": "5"}
    report = check_matrix_backward(
        check_matrices.mlp,
        check_matrices_mlp_dW1(lambda X, dH, dP: X.T @ dH),
        shapes,
        wrt=("W1", "b1", "W2", "b2"),
        trials=2,
    )
    assert only_mistake(report) == (
        "wrong_factor",
        "dW1: yours is Xᵀ·dH, the right one is Xᵀ·dP "
        "(at X (4, 2), W1 (2, 3), b1 (3,), W2 (3, 5), b2 (5,), dZ (4, 5))",
    )


def check_matrices_mlp_dW1(dW1: Any) -> Any:
    def mlp_backward(X: Any, W1: Any, b1: Any, W2: Any, b2: Any, dZ: Any) -> Any:
        H = np.tanh(X @ W1 + b1)
        dH = dZ @ W2.T
        dP = dH * (1 - H**2)
        return dW1(X, dH, dP), dP.sum(axis=0), H.T @ dZ, dZ.sum(axis=0)

    return mlp_backward


@pytest.mark.parametrize("scale, text", [(1 / 3, " / m"), (3.0, " · m")])
def test_a_formula_with_m_in_it(scale: float, text: str) -> None:
    # L = c · Σᵢⱼ (X·W)ᵢⱼ Yᵢⱼ with c = 1/m or m: dW = Xᵀ·Y · c, which is written with m
    def loss(X: Any, W: Any, Y: Any) -> Value:
        return value_sum([v for row in matrix_mul(matmul(X, W), Y) for v in row]) * scale

    def loss_backward(X: Any, W: Any, Y: Any) -> Any:
        return X @ Y * scale

    report = check_matrix_backward(
        loss, loss_backward, {"X": "3 3", "W": "3 3", "Y": "3 3"}, wrt=("W",), trials=2
    )
    assert only_mistake(report) == (
        "missing_transpose",
        f"dW: yours is X·Y{text}, the right one is Xᵀ·Y{text} (at X (3, 3), W (3, 3), Y (3, 3))",
    )


def test_the_wrong_shape_and_no_pattern() -> None:
    def linear_bias_backward(X: Any, W: Any, b: Any, dZ: Any) -> Any:
        return dZ @ W.T, X.T @ dZ, dZ.sum(axis=1)

    assert only_mistake(grade(linear_bias_backward, BIAS, linear_bias)) == (
        "shape", f"db: yours has shape (4,), the right one has shape (3,), the shape of b (at {AT_BIAS})"
    )  # fmt: skip

    def linear_bias_backward_2(X: Any, W: Any, b: Any, dZ: Any) -> Any:  # a 1-D gradient in no pattern
        return dZ @ W.T, X.T @ dZ, dZ.sum(axis=0) + 0.5

    kind, message = only_mistake(grade(linear_bias_backward_2, BIAS, linear_bias))
    assert kind == "unexplained" and message.startswith("db: wrong in no pattern known; entry 0: yours ")


def test_unexplained_names_the_entry_that_is_wrong() -> None:
    """The example is the first entry off by more than the tolerance: an entry summed in another
    order than the engine's (equal to 12 digits, not to the last bit) is right, not the example."""
    seen: dict[str, Any] = {}

    def linear_backward(X: Any, W: Any, dZ: Any) -> Any:
        dW = X.T @ dZ
        seen.setdefault("right", dW.copy())  # the first run: both are at the same shapes
        dW[1, 1] += 0.5
        return dZ @ W.T, dW

    for seed in range(4):
        seen.clear()
        report = grade(linear_backward, {"X": "6 5", "W": "5 4"}, seed=seed)
        right = seen["right"][1, 1]
        diff = f" entry 5: yours {right + 0.5:.12g}, the engine's {right:.12g}"
        at = "X (6, 5), W (5, 4), dZ (6, 4)"
        assert only_mistake(report) == ("unexplained", f"dW: wrong in no pattern known;{diff} (at {at})")
        assert report.checks[1].example == f"dW{diff} at {at}"


def test_non_finite_entries() -> None:
    for bad, text in ((np.inf, "inf"), (-np.inf, "-inf"), (np.nan, "nan")):

        def f(X: Any, W: Any, dZ: Any, bad: float = bad) -> Any:
            dW = X.T @ dZ
            dW[0, 1] = bad
            return dW

        message = f"dW holds {text} where the right gradient is a finite number (at {AT})"
        report = grade(dW_as(f))
        assert only_mistake(report) == ("non_finite", message)
        assert report.checks[1].example == message


# --- the tolerance ------------------------------------------------------------------------------------


@pytest.mark.parametrize("size", [1e-3, 1e3])
def test_the_tolerance_is_1e_9_of_the_gradients_size(size: float) -> None:
    """Right within 1e-9·(1 + the largest |entry|) of the right gradient; imprecise past it, up to
    1e-5·(1 + ...); past that wrong in no pattern."""

    def scaled(X: Any, W: Any) -> Any:
        return matrix_map(lambda v: v * size, matmul(X, W))

    def off_by(delta: float, sign: float = 1.0) -> Any:
        def linear_backward(X: Any, W: Any, dZ: Any) -> Any:
            dW = sign * size * (X.T @ dZ)
            dW[1, 2] += delta * (1 + np.abs(dW).max())
            return size * (dZ @ W.T), dW

        return linear_backward

    assert grade(off_by(0.7e-9), forward=scaled).ok
    # -1 × the right gradient, within the same tolerance: the sign; past it, no pattern
    for delta, kind in ((0.7e-9, "sign"), (-0.7e-9, "sign"), (1.4e-9, "unexplained")):
        report = grade(off_by(delta, -1.0), forward=scaled)
        assert report.kinds == (kind,), (delta, str(report))
    assert grade(off_by(-0.7e-9), forward=scaled).ok
    for delta, kind in (
        (1.4e-9, "imprecise"),
        (-1.4e-9, "imprecise"),
        (0.7e-5, "imprecise"),
        (1.4e-5, "unexplained"),
    ):
        report = grade(off_by(delta), forward=scaled)
        assert report.kinds == (kind,), (delta, str(report))


def test_within_the_tolerance_exactly() -> None:
    # a gradient of 0 everywhere (W does not reach the loss) and an answer of 1e-9: |1e-9 - 0| <= 1e-9
    def loss(X: Any, W: Any) -> Value:
        return value_sum([v for row in X for v in row]) + value_sum([v * 0.0 for row in W for v in row])

    def loss_backward(X: Any, W: Any) -> Any:
        return np.ones_like(X), np.full_like(W, 1e-9)

    assert grade(loss_backward, forward=loss).ok
    assert not grade(lambda X, W: (np.ones_like(X), np.full_like(W, 2e-9)), forward=loss).ok

    def loss_backward_2(X: Any, W: Any) -> Any:  # right within 1e-9 at entry 0, wrong at entry 4
        dW = np.zeros_like(W)
        dW[0, 0], dW[1, 1] = 1e-9, 0.5
        return np.ones_like(X), dW

    assert only_mistake(grade(loss_backward_2, forward=loss)) == (
        "unexplained", "dW: wrong in no pattern known; entry 4: yours 0.5, the engine's 0 (at X (4, 2), W (2, 3))"
    )  # fmt: skip
    # and 1e-5 off is still close (imprecise), a little more is wrong in no pattern
    assert grade(lambda X, W: (np.ones_like(X), np.full_like(W, 1e-5)), forward=loss).kinds == ("imprecise",)
    assert grade(lambda X, W: (np.ones_like(X), np.full_like(W, 2e-5)), forward=loss).kinds == (
        "unexplained",
    )


def test_imprecise_says_how_close() -> None:
    def f(X: Any, W: Any, dZ: Any) -> Any:
        dW = X.T @ dZ
        dW[0, 0] += 1e-7
        return dW

    assert only_mistake(grade(dW_as(f))) == (
        "imprecise",
        f"dW: close, off by up to 1.0e-07 where rounding in float64 gives about 1e-16 (at {AT}): "
        "float32, or an approximation?",
    )


# --- what the learner returns -------------------------------------------------------------------------


def test_the_wrong_number_of_gradients() -> None:
    cases = [
        (lambda X, W, dZ: dZ @ W.T, "1 gradient, 2 needed"),
        (lambda X, W, dZ: (dZ @ W.T,), "1 gradient, 2 needed"),
        (lambda X, W, dZ: (dZ @ W.T, X.T @ dZ, X), "3 gradients, 2 needed"),
        (lambda X, W, dZ: None, "None, 2 gradients needed"),
    ]
    for backward, count in cases:
        report = grade(backward)
        assert only_mistake(report) == ("count", f"your backward returned {count} (at {AT})")
        assert [c.example for c in report.checks] == [count, count]


@pytest.mark.parametrize(
    "dW, why",
    [
        ("dW", "dW holds str 'dW', not a number"),
        ("a" * 40, f"dW holds str {'a' * 30!r}, not a number"),
        ([[1.0, 2.0, 3.0], [4.0]], "dW is a ragged list"),
        ([[True, False, True], [False, True, True]], "dW holds bool 'True', not a number"),
        ([[1.0, None, 3.0], [4.0, 5.0, 6.0]], "dW holds NoneType 'None', not a number"),
    ],
)
def test_not_a_matrix_says_what_it_holds(dW: Any, why: str) -> None:
    report = grade(dW_as(lambda X, W, dZ: dW))
    assert only_mistake(report) == ("not_a_matrix", f"dW: {why}")
    assert report.checks[1].example == why


def test_numbers_of_any_kind_and_nesting() -> None:
    # dL/dW of L = Σ W ⊙ Y is Y itself, a matrix of 0s and 1s: ints, numpy ints and tuples are numbers
    def loss(W: Any, Y: Any) -> Value:
        return value_sum([v for row in matrix_mul(W, Y) for v in row])

    shapes = {"W": "m n", "Y": "m n"}
    for answer in (
        lambda W, Y: Y,
        lambda W, Y: Y.astype(int).tolist(),
        lambda W, Y: Y.astype(np.int64),
        lambda W, Y: [tuple(r) for r in Y.tolist()],
        lambda W, Y: [[np.float64(v) for v in r] for r in Y],
    ):
        assert check_matrix_backward(loss, answer, shapes, labels=("Y",)).ok
    report = check_matrix_backward(loss, lambda W, Y: Y.astype(bool), shapes, labels=("Y",))
    assert report.kinds == ("not_a_matrix",)


# --- raised -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "error, text",
    [
        (RuntimeError("first line\nsecond line"), "RuntimeError: first line"),
        (RuntimeError(), "RuntimeError: "),
        (ValueError("x" * 90), "ValueError: " + "x" * 90),
        (ValueError("y" * 91), "ValueError: " + "y" * 87 + "..."),
    ],
)
def test_raised_says_what_and_where(error: Exception, text: str) -> None:
    def linear_backward(X: Any, W: Any, dZ: Any) -> Any:
        raise error

    report = grade(linear_backward)
    assert only_mistake(report) == ("raised", f"your backward raised {text} at {AT}")
    assert report.mistakes[0].partial == "dX"  # found first, for the first gradient asked for
    assert [c.example for c in report.checks] == [f"raised at {AT}"] * 2


def test_a_mistake_says_where_the_backward_raised() -> None:
    shapes_seen: list[str] = []

    def linear_backward(X: Any, W: Any, dZ: Any) -> Any:
        if X.shape[0] == X.shape[1]:
            raise RuntimeError("square")
        shapes_seen.append(f"X {X.shape}, W {W.shape}, dZ {dZ.shape}")
        return dZ @ W.T, -(X.T @ dZ)

    report = grade(linear_backward, {"X": "m n", "W": "n k"})
    m = shapes_seen[0].split("(")[1].split(",")[0]
    assert only_mistake(report) == (
        "sign",
        f"dW: yours is -1 × the right gradient (m = {m} examples, at {shapes_seen[0]})"
        " (and at X (3, 3), W (3, 3), dZ (3, 3) your backward raised RuntimeError: square)",
    )
    assert [str(c) for c in report.checks] == [
        "  FAIL dX at 2 shapes: 1/2 right (first wrong: raised at X (3, 3), W (3, 3), dZ (3, 3))",
        "  FAIL dW at 2 shapes: 0/2 right (first wrong: raised at X (3, 3), W (3, 3), dZ (3, 3))",
    ]


def test_the_non_square_shapes_name_the_mistake() -> None:
    """A formula explained one way at square shapes and another at non-square ones is named as the
    non-square shapes say (there a missing transpose cannot pass for a right product); W (n, 1)
    and dZ (m, 1) are still square runs: no size above 1 but one."""

    def linear_backward(X: Any, W: Any, dZ: Any) -> Any:
        m = X.shape[0]
        return dZ @ W.T, (-1 if m == X.shape[1] else m) * (X.T @ dZ)

    report = grade(linear_backward, {"X": "m n", "W": "n 1"}, trials=4)
    assert report.kinds == ("missing_1_over_m",), str(report)
    assert report.checks[1].right == 0 and report.checks[1].total == 4


# --- the runs: shapes, values, names ------------------------------------------------------------------


def shapes_given(shapes: dict[str, str], trials: int = 6, seed: int = 0, **kw: Any) -> list[dict[str, Any]]:
    calls: list[dict[str, Any]] = []

    def chain(*xs: Any) -> Any:
        out = xs[0]
        for x in xs[1:]:
            out = matmul(out, x)
        return out

    def backward(*xs: Any) -> Any:
        calls.append(dict(zip([*shapes, "dZ"], xs)))
        raise RuntimeError("only the shapes are looked at")  # (quicker than a wrong answer explained)

    check_matrix_backward(chain, backward, shapes, trials=trials, seed=seed, **kw)
    return calls


def test_square_runs_and_runs_where_each_letter_has_its_own_size() -> None:
    five = {"A": "a b", "B": "b c", "C": "c d", "D": "d e"}
    for seed in range(3):
        calls = shapes_given(five, seed=seed)
        assert len(calls) == 6
        for k, call in enumerate(calls):
            sizes = [call["A"].shape[0], *(call[n].shape[1] for n in "ABCD")]
            if k % 2 == 0:
                assert sizes == [3] * 5
            else:  # five letters, five sizes from 2 to 6: each its own
                assert sorted(sizes) == [2, 3, 4, 5, 6], sizes
    six = {"A": "a b", "B": "b c", "C": "c d", "D": "d e", "E": "e f"}
    drawn = set()
    for call in shapes_given(six)[1::2]:
        drawn |= {call["A"].shape[0], *(call[n].shape[1] for n in "ABCDE")}
    assert drawn == {2, 3, 4, 5, 6}  # 18 sizes drawn from 2 to 6, each its own draw


def test_the_sizes_do_not_depend_on_the_letters_names() -> None:
    """Sizes go to the letters in alphabetical order, so a run is the same in every process
    (a set of letters is iterated in an order that changes with Python's hash seed)."""

    def sizes(a: str, b: str, c: str) -> list[tuple[int, ...]]:
        return [
            (x["X"].shape, x["W"].shape) for x in shapes_given({"X": f"{a} {b}", "W": f"{b} {c}"}, trials=4)
        ]

    first = sizes("a", "b", "c")
    for names in ("bcd", "klm", "mnp", "pqr", "uvw", "xyz", "ejq"):
        assert sizes(*names) == first, names


def test_labels_are_0_or_1_and_values_are_within_1() -> None:
    def loss(X: Any, y: Any) -> Value:
        return value_sum([v * w for rx, ry in zip(X, y) for v, w in zip(rx, ry)])

    seen: list[tuple[Any, Any]] = []

    def loss_backward(X: Any, y: Any) -> Any:
        seen.append((X, y))
        return y

    assert check_matrix_backward(loss, loss_backward, {"X": "m n", "y": "m n"}, labels=("y",)).ok
    xs = np.concatenate([x.ravel() for x, _ in seen])
    ys = np.concatenate([y.ravel() for _, y in seen])
    assert set(ys.tolist()) == {0.0, 1.0}
    assert np.all(np.abs(xs) <= 1) and xs.min() < -0.5 and xs.max() > 0.5
    assert all(x.dtype == np.float64 and y.dtype == np.float64 for x, y in seen)


def test_m_without_a_batch_letter() -> None:
    """Without a letter m, m is the number of rows of the first input."""
    seen: list[int] = []

    def linear_backward(X: Any, W: Any, dZ: Any) -> Any:
        seen.append(X.shape[0])
        return dZ @ W.T, X.shape[0] * (X.T @ dZ)

    report = grade(linear_backward, {"X": "p q", "W": "q r"})
    kind, message = only_mistake(report)
    assert kind == "missing_1_over_m" and f"(m = {seen[1]} examples, at X ({seen[1]}, " in message


def test_the_names_of_a_report() -> None:
    right = dW_as(lambda X, W, dZ: X.T @ dZ)
    assert str(grade(right)).startswith("linear_backward: all checks pass")
    assert str(grade(right, name="layer 1")).startswith("layer 1: all checks pass")
    # the defaults: 6 runs, seed 0
    wrong = dW_as(lambda X, W, dZ: X.T @ dZ + 0.5)
    default = check_matrix_backward(linear, wrong, {"X": "m n", "W": "n k"})
    assert [c.title for c in default.checks] == ["dX at 6 shapes", "dW at 6 shapes"]
    assert default == check_matrix_backward(linear, wrong, {"X": "m n", "W": "n k"}, trials=6, seed=0)
    assert default != check_matrix_backward(linear, wrong, {"X": "m n", "W": "n k"}, trials=6, seed=1)

    class Backward:
        def __call__(self, X: Any, W: Any, dZ: Any) -> Any:
            return right(X, W, dZ)

    assert str(grade(Backward())).startswith("backward: all checks pass")


def test_bad_arguments_are_named() -> None:
    shapes = {"X": "m n", "W": "n k"}
    right = dW_as(lambda X, W, dZ: X.T @ dZ)
    prefix = "check_matrix_backward: labels and wrt must name inputs of shapes (X, W), got "
    for kw, got in (
        ({"wrt": ("V",)}, "['V']"),
        ({"labels": ("y",)}, "['y']"),
        ({"wrt": ()}, "none to grade"),
    ):
        with pytest.raises(ValueError) as info:
            check_matrix_backward(linear, right, shapes, **kw)
        assert str(info.value) == prefix + got
    with pytest.raises(ValueError) as info:
        check_matrix_backward(linear, right, shapes, trials=1)
    assert str(info.value) == (
        "check_matrix_backward: trials must be at least 2 (square and non-square shapes), got 1"
    )
    assert check_matrix_backward(linear, right, shapes, trials=2).ok

    # labels are not graded unless wrt says so
    def neuron_backward(X: Any, W: Any, b: Any, y: Any) -> Any:
        a = 1 / (1 + np.exp(-(X @ W + b)))
        return X.T @ (a - y) / X.shape[0], np.sum(a - y, axis=0) / X.shape[0]

    report = check_matrix_backward(
        check_matrices.neuron, neuron_backward, {"X": "m n", "W": "n 1", "b": "1", "y": "m 1"}, labels=("y",)
    )
    assert report.kinds == ("count",)  # X, W and b graded: 3 gradients needed
    assert report.mistakes[0].message.startswith("your backward returned 2 gradients, 3 needed")


def test_without_numpy_the_learner_gets_lists(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "numpy", None)  # import numpy raises ImportError
    seen: list[Any] = []

    def linear_backward(X: Any, W: Any, dZ: Any) -> Any:
        seen.append(X)
        dX = [[sum(d * w for d, w in zip(dr, wr)) for wr in W] for dr in dZ]
        dW = [
            [sum(X[i][a] * dZ[i][b] for i in range(len(X))) for b in range(len(dZ[0]))] for a in range(len(W))
        ]
        return dX, dW

    assert grade(linear_backward).ok
    assert seen and all(type(x) is list and type(x[0][0]) is float for x in seen)


def test_m_is_the_letter_m_wherever_it_stands() -> None:
    seen: list[str] = []

    def forward(W: Any, X: Any) -> Any:
        return matmul(X, W)

    def backward(W: Any, X: Any, dZ: Any) -> Any:
        seen.append(f"(m = {X.shape[0]} examples, at W {W.shape}, X {X.shape}, dZ {dZ.shape})")
        return X.shape[0] * (X.T @ dZ), dZ @ W.T

    report = grade(backward, {"W": "n k", "X": "m n"}, forward)
    assert only_mistake(report) == ("missing_1_over_m", f"dW: yours is m × the right gradient {seen[1]}")


def test_no_batch_no_1_over_m() -> None:
    """A first input that is a number or a vector has no rows: m = 1, and a gradient 2 or 3 times
    the right one is not "a 1/m missing"."""

    def scale(c: Any, X: Any) -> Any:
        return matrix_map(lambda v: v * c, X)

    def scale_backward(c: Any, X: Any, dZ: Any) -> Any:
        return 2 * np.sum(X * dZ), c * dZ

    assert grade(scale_backward, {"c": "", "X": "4 2"}, scale).kinds == ("unexplained",)

    def row(x: Any, W: Any) -> Any:
        return matmul([x], W)

    def row_backward(x: Any, W: Any, dZ: Any) -> Any:
        return (dZ @ W.T)[0], 3 * np.outer(x, dZ[0])

    assert grade(row_backward, {"x": "3", "W": "3 4"}, row).kinds == ("unexplained",)

    def row_backward_2(x: Any, W: Any, dZ: Any) -> Any:  # a vector is a row: the factor xᵀ is a column
        return (dZ @ W.T)[0], np.outer(dZ[0], x)

    assert only_mistake(grade(row_backward_2, {"x": "3", "W": "3 4"}, row)) == (
        "transposed",
        "dW: yours is the transpose of the right gradient (yours has shape (4, 3), dW has shape (3, 4)): "
        "the right one is xᵀ·dZ",
    )


def test_a_named_mistake_is_preferred_to_one_in_no_pattern() -> None:
    """Square runs come second, but a mistake named there comes before "unexplained", "raised"
    and "count" found at the non-square ones."""
    square_shapes: list[str] = []

    def backward_with(non_square: Any) -> Any:
        def linear_backward(X: Any, W: Any, dZ: Any) -> Any:
            if X.shape[0] == X.shape[1]:
                square_shapes.append(f"X {X.shape}, W {W.shape}, dZ {dZ.shape}")
                return dZ @ W.T, -(X.T @ dZ)
            return non_square(X, W, dZ)

        return linear_backward

    sign = "dW: yours is -1 × the right gradient (m = 3 examples, at X (3, 3), W (3, 3), dZ (3, 3))"
    report = grade(backward_with(lambda X, W, dZ: (dZ @ W.T, X.T @ dZ + 0.5)), {"X": "m n", "W": "n k"})
    assert only_mistake(report) == ("sign", sign)
    non_square: list[str] = []

    def raises(X: Any, W: Any, dZ: Any) -> Any:
        non_square.append(f"X {X.shape}, W {W.shape}, dZ {dZ.shape}")
        raise RuntimeError("not square")

    report = grade(backward_with(raises), {"X": "m n", "W": "n k"})
    assert only_mistake(report) == (
        "sign", f"{sign} (and at {non_square[0]} your backward raised RuntimeError: not square)"
    )  # fmt: skip
    report = grade(backward_with(lambda X, W, dZ: dZ @ W.T), {"X": "m n", "W": "n k"})
    assert report.kinds == ("count", "sign"), str(report)
    assert report.mistakes[1].message == sign


def test_the_shape_of_nothing() -> None:
    def linear_bias_backward(X: Any, W: Any, b: Any, dZ: Any) -> Any:
        return dZ @ W.T, X.T @ dZ, []

    report = grade(linear_bias_backward, BIAS, linear_bias)
    assert only_mistake(report) == (
        "shape", f"db: yours has shape (0,), the right one has shape (3,), the shape of b (at {AT_BIAS})"
    )  # fmt: skip
    assert report.checks[2].example == f"db at {AT_BIAS}: yours has shape (0,)"


def test_an_unknown_kind_is_refused_with_the_kinds() -> None:
    with pytest.raises(ValueError) as info:
        MatrixMistake("transpose", "x")
    assert str(info.value) == (
        "MatrixMistake: unknown kind 'transpose'; the kinds are missing_transpose, factor_order, transposed, "
        "wrong_factor, batch_not_summed, bias_not_summed, missing_1_over_m, extra_1_over_m, sign, shape, "
        "unexplained, imprecise, non_finite, not_a_matrix, count, raised"
    )
    assert MatrixMistake("transposed", "x", "dW").partial == "dW"


def test_the_upstream_gradient_is_no_label() -> None:
    seen: list[Any] = []

    def linear_backward(X: Any, W: Any, dZ: Any) -> Any:
        seen.append(dZ)
        return dZ @ W.T, X.T @ dZ

    assert grade(linear_backward, trials=4).ok
    values = np.concatenate([d.ravel() for d in seen])
    assert np.all(np.abs(values) <= 1) and len(set(values.tolist())) == len(values)


def test_one_example_is_no_batch_to_sum() -> None:
    # m = 1: db kept 2-D (1, 3) is the wrong shape, not "one row per example" left to sum
    shapes, at = {"X": "1 2", "W": "2 3", "b": "3"}, "X (1, 2), W (2, 3), b (3,), dZ (1, 3)"

    def linear_bias_backward(X: Any, W: Any, b: Any, dZ: Any) -> Any:
        return dZ @ W.T, X.T @ dZ, dZ.sum(axis=0, keepdims=True)

    assert only_mistake(grade(linear_bias_backward, shapes, linear_bias)) == (
        "shape", f"db: yours has shape (1, 3), the right one has shape (3,), the shape of b (at {at})"
    )  # fmt: skip


def test_two_slips_in_one_product_are_not_named_as_one() -> None:
    """X·dHᵀ for Xᵀ·dP (a factor and both transposes wrong) and Hᵀ·dH (both factors wrong) are
    neither "the same factors in the other order" nor "another matrix where a factor belongs"."""
    square = {"X": "3 3", "W1": "3 3", "b1": "3", "W2": "3 3", "b2": "3"}
    for dW1 in (lambda X, H, dH: X @ dH.T, lambda X, H, dH: H.T @ dH):

        def mlp_backward(X: Any, W1: Any, b1: Any, W2: Any, b2: Any, dZ: Any, dW1: Any = dW1) -> Any:
            H = np.tanh(X @ W1 + b1)
            dH = dZ @ W2.T
            dP = dH * (1 - H**2)
            return dW1(X, H, dH), dP.sum(axis=0), H.T @ dZ, dZ.sum(axis=0)

        report = check_matrix_backward(
            check_matrices.mlp, mlp_backward, square, wrt=("W1", "b1", "W2", "b2"), trials=2
        )
        assert report.kinds == ("unexplained",), str(report)


def test_both_factors_transposed() -> None:
    assert only_mistake(grade(dW_as(lambda X, W, dZ: X.T @ dZ.T), SQUARE)) == (
        "missing_transpose", f"dW: yours is Xᵀ·dZᵀ, the right one is Xᵀ·dZ (at {AT_SQUARE})"
    )  # fmt: skip


def test_an_empty_row() -> None:
    assert only_mistake(grade(dW_as(lambda X, W, dZ: [[]]))) == (
        "shape", f"dW: yours has shape (1, 0), the right one has shape (2, 3), the shape of W (at {AT})"
    )  # fmt: skip
