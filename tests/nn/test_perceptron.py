"""``nn.Perceptron``: the rule by hand on AND, OR learned, XOR cycling, bad input named."""

from __future__ import annotations

import itertools

import pytest

from nn.data import logic_gate
from nn.perceptron import Perceptron


def test_and_epoch_by_epoch_by_hand() -> None:
    # From w = (0, 0), b = 0, lr = 1, samples in order (0,0)->0, (0,1)->0, (1,0)->0, (1,1)->1;
    # y_hat = 1 if w.x + b > 0. Written out by hand, sample by sample:
    # epoch 1: z = 0,0,0 right; (1,1): z = 0 -> 0, error +1: w = (1,1), b = 1.          1 mistake
    # epoch 2: (0,0): z = 1 -> err -1: b = 0; (0,1): z = 1 -> err -1: w = (1,0), b = -1;
    #          (1,0): z = 0 right; (1,1): z = 0 -> err +1: w = (2,1), b = 0.            3 mistakes
    # epoch 3: (0,0): z = 0 right; (0,1): z = 1 -> err -1: w = (2,0), b = -1;
    #          (1,0): z = 1 -> err -1: w = (1,0), b = -2; (1,1): z = -1 -> err +1: w = (2,1), b = -1.   3
    # epoch 4: (0,0): -1 right; (0,1): z = 0 right; (1,0): z = 1 -> err -1: w = (1,1), b = -2;
    #          (1,1): z = 0 -> err +1: w = (2,2), b = -1.                                 2 mistakes
    # epoch 5: (0,0) right; (0,1): z = 1 -> err -1: w = (2,1), b = -2; (1,0): z = 0 right;
    #          (1,1): z = 1 right.                                                        1 mistake
    # epoch 6: z = -2, -1, 0, 1: all right.                                               0 mistakes
    expected = [
        ([0.0, 0.0], 0.0, 0),
        ([1.0, 1.0], 1.0, 1),
        ([2.0, 1.0], 0.0, 3),
        ([2.0, 1.0], -1.0, 3),
        ([2.0, 2.0], -1.0, 2),
        ([2.0, 1.0], -2.0, 1),
        ([2.0, 1.0], -2.0, 0),
    ]
    X, y = logic_gate("and")
    assert y == [0, 0, 0, 1]
    p = Perceptron(2)
    result = p.fit(X, y)
    assert [(e.w, e.b, e.mistakes) for e in result.epochs] == expected
    assert [e.epoch for e in result.epochs] == list(range(7))
    assert result.converged and result.cycle is None
    assert [p(x) for x in X] == y
    # the path inside epoch 2, sample by sample
    assert result.epochs[2].path == [
        ([1.0, 1.0], 0.0),
        ([1.0, 0.0], -1.0),
        ([1.0, 0.0], -1.0),
        ([2.0, 1.0], 0.0),
    ]


def test_update_returns_the_error_and_moves_by_lr() -> None:
    p = Perceptron(2, lr=0.5, w=[1.0, -1.0], b=0.25)
    assert p.update([2.0, 1.0], 0) == -1  # z = 2 - 1 + 0.25 > 0, so y_hat = 1
    assert p.w == [0.0, -1.5] and p.b == -0.25
    assert p.update([2.0, 1.0], 0) == 0  # z = -1.75: right, nothing moves
    assert p.w == [0.0, -1.5] and p.b == -0.25


@pytest.mark.parametrize("gate", ["or", "nand", "nor"])
def test_separable_gates_are_learned_in_a_few_epochs(gate: str) -> None:
    X, y = logic_gate(gate)
    p = Perceptron(2)
    result = p.fit(X, y, epochs=20)
    assert result.converged and len(result.epochs) - 1 <= 10
    assert [p(x) for x in X] == y
    assert result.epochs[-1].mistakes == 0 and all(e.mistakes > 0 for e in result.epochs[1:-1])


@pytest.mark.parametrize("lr", [1.0, 0.1, 0.3])
def test_xor_never_converges_and_the_cycle_is_reported(lr: float) -> None:
    X, y = logic_gate("xor")
    assert y == [0, 1, 1, 0]
    result = Perceptron(2, lr=lr).fit(X, y, epochs=200)
    assert not result.converged
    assert result.cycle is not None
    j, k = result.cycle
    assert 0 <= j < k
    assert result.epochs[j].w == pytest.approx(result.epochs[k].w, abs=1e-9)
    assert result.epochs[j].b == pytest.approx(result.epochs[k].b, abs=1e-9)
    # Replaying the rule from epoch k for another (k - j) epochs comes back to the same state again.
    p = Perceptron(2, lr=lr, w=result.epochs[k].w, b=result.epochs[k].b)
    for _ in range(k - j):
        mistakes = sum(p.update(x, t) != 0 for x, t in zip(X, y))
        assert mistakes > 0
    assert p.w == pytest.approx(result.epochs[k].w, abs=1e-9) and p.b == pytest.approx(
        result.epochs[k].b, abs=1e-9
    )


def test_no_line_separates_xor() -> None:
    # The independent fact behind the cycle: no (w, b) on a fine grid gets all four right.
    X, y = logic_gate("xor")
    grid = [k / 4 for k in range(-12, 13)]
    for w0, w1, b in itertools.product(grid, grid, grid):
        assert [int(w0 * a + w1 * c + b > 0) for a, c in X] != y


@pytest.mark.parametrize(
    "X,y,message",
    [
        ([[0, 0], [1, 1]], [1, 1], "y has only class 1"),
        ([[0, 0], [1, 1]], [0, 0], "y has only class 0"),
        ([[0, 0], [1, 1]], [0, 2], "labels in y must be 0 or 1, got 2"),
        ([[0, 0], [1, 1]], [-1, 1], "labels in y must be 0 or 1, got -1"),
        ([[0, 0], [1, 1]], [0, "1"], "labels in y must be 0 or 1, got '1'"),
        ([[0, 0], [1, 1]], [0, 1, 1], "X and y must have the same length, got 2 and 3"),
        ([[0, 0], [1]], [0, 1], r"X must be a sequence of nin = 2 numbers, got \[1\]"),
        ([[0, 0], [1, float("nan")]], [0, 1], "X must be a finite number, got nan"),
        ([], [], "X is empty"),
    ],
)
def test_bad_data_is_named(X: list, y: list, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        Perceptron(2).fit(X, y)


def test_bad_settings_are_named() -> None:
    with pytest.raises(ValueError, match="lr must be > 0, got 0"):
        Perceptron(2, lr=0)
    with pytest.raises(ValueError, match="epochs must be an int >= 1, got 0"):
        Perceptron(2).fit(*logic_gate("and"), epochs=0)
    with pytest.raises(ValueError, match="w must have nin = 2 weights, got 3"):
        Perceptron(2, w=[1, 2, 3])
    with pytest.raises(TypeError, match="nin must be an int, got float 2.0"):
        Perceptron(2.0)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="name must be one of and, or, nand, nor, xor, got 'xnor'"):
        logic_gate("xnor")


def test_numpy_labels_and_points_are_read() -> None:
    np = pytest.importorskip("numpy")
    X, y = logic_gate("or")
    result = Perceptron(2).fit(np.array(X), np.array(y))  # rows are arrays, labels np.int64
    assert result.converged
