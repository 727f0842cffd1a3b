"""Holes a mutation run left in nn/losses.py (issue 23): the exact error a learner sees, naming the
loss they called and the value they gave, and the clamp of ``binary_cross_entropy`` at its edges."""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import pytest

import nn
from autograd import Value

loose: Any = nn  # bad arguments on purpose, past the type checker
LOSSES: list[tuple[str, Callable[..., Value], tuple[Any, Any]]] = [
    ("mse", nn.mse, (0.5, 1.0)),
    ("binary_cross_entropy", nn.binary_cross_entropy, (0.5, 1.0)),
    ("binary_cross_entropy_with_logits", nn.binary_cross_entropy_with_logits, (0.5, 1.0)),
    ("hinge", nn.hinge, (0.5, 1.0)),
    ("cross_entropy", nn.cross_entropy, ([0.5, 1.0], 0)),
]


def message(error: type[Exception], call: Callable[[], object]) -> str:
    """The text of the ``error`` that ``call`` raises (it must raise exactly that type)."""
    with pytest.raises(error) as info:
        call()
    assert type(info.value) is error
    return str(info.value)


@pytest.mark.parametrize(("name", "loss", "args"), LOSSES, ids=[n for n, _, _ in LOSSES])
def test_a_bad_reduction_names_the_loss_and_the_choices(name: str, loss: Any, args: Any) -> None:
    text = message(ValueError, lambda: loss(*args, reduction="avg"))
    assert text == f"{name}: reduction must be one of ('mean', 'sum'), got 'avg'"


@pytest.mark.parametrize(
    ("name", "loss"),
    [
        ("binary_cross_entropy", nn.binary_cross_entropy),
        ("binary_cross_entropy_with_logits", nn.binary_cross_entropy_with_logits),
    ],
)
def test_a_target_outside_0_1_and_lists_of_two_lengths_name_the_loss(name: str, loss: Any) -> None:
    assert message(ValueError, lambda: loss(0.5, 1.5)) == f"{name}: targets must be in [0, 1], got 1.5"
    assert message(ValueError, lambda: loss([0.5], [0.5, 0.5])) == f"{name}: got 1 predictions but 2 targets"
    # rows are for mse only: a list of rows is refused, not flattened
    text = message(ValueError, lambda: loss([[0.5]], [[1.0]]))
    assert text == f"{name}: predictions and targets must be flat lists of numbers"


@pytest.mark.parametrize(
    ("predictions", "targets"),
    [("a", 1.0), (1.0, "a"), (["a"], [1.0]), ([1.0], ["a"]), ([["a"]], [[1.0]]), ([[1.0]], [["a"]])],
)
def test_a_string_anywhere_in_mse_is_named_with_the_loss(predictions: Any, targets: Any) -> None:
    text = message(TypeError, lambda: loose.mse(predictions, targets))
    assert text == "mse: expected a real number, got str 'a'"


@pytest.mark.parametrize(("predictions", "targets"), [([[1.0, 2.0]], [1.0]), ([1.0], [[1.0]])])
def test_a_row_against_a_number_in_mse_is_a_shape_error(predictions: Any, targets: Any) -> None:
    text = message(ValueError, lambda: loose.mse(predictions, targets))
    assert text == "mse: predictions and targets must be flat lists of numbers"


def test_cross_entropy_bad_rows_and_targets_say_what_was_given() -> None:
    text = message(ValueError, lambda: loose.cross_entropy([[]], [0]))
    assert text == "cross_entropy: each row of logits must be a non-empty list, got []"
    text = message(ValueError, lambda: loose.cross_entropy([3.0], [0]))
    assert text == "cross_entropy: each row of logits must be a non-empty list, got 3.0"
    text = message(TypeError, lambda: loose.cross_entropy([["a", 1.0]], [0]))
    assert text == "cross_entropy: expected a real number, got str 'a'"
    text = message(TypeError, lambda: loose.cross_entropy([[1.0, 2.0]], 1.5))
    assert text == "cross_entropy: targets must be an int class or a list of them, got 1.5"
    assert message(ValueError, lambda: loose.cross_entropy([], [])) == "cross_entropy: got no rows of logits"


def test_bce_at_the_clamp_edges_still_passes_the_gradient() -> None:
    """p = 1 - eps and p = eps lie inside [eps, 1 - eps]: not clamped, so d/dp of -log(1 - p)
    (y = 0) is 1 / (1 - p) and d/dp of -log p (y = 1) is -1 / p, both huge and not 0."""
    eps = 1e-12
    p = Value(1.0 - eps)
    nn.binary_cross_entropy(p, 0.0, eps=eps).backward()
    assert p.grad == pytest.approx(1.0 / (1.0 - (1.0 - eps)), rel=1e-9)
    q = Value(eps)
    nn.binary_cross_entropy(q, 1.0, eps=eps).backward()
    assert q.grad == pytest.approx(-1.0 / eps, rel=1e-9)


# A defect found beside the mutants: a numpy integer class (what ``list(labels_array)`` gives) was
# refused with "must be an int class", which it is.
def test_a_numpy_integer_class_is_an_int_class() -> None:
    np = pytest.importorskip("numpy")
    z = [1.0, 2.0, 0.5]
    expected = math.log(math.exp(1.0) + math.exp(2.0) + math.exp(0.5)) - 2.0  # log sum e**z - z[t], t = 1
    assert nn.cross_entropy(z, np.int64(1)).data == pytest.approx(expected, rel=1e-12)
    assert nn.cross_entropy([z, z], [np.int64(1), np.uint8(1)]).data == pytest.approx(expected, rel=1e-12)
    text = message(ValueError, lambda: nn.cross_entropy(z, np.int64(3)))
    assert text == "cross_entropy: target 3 is out of range for 3 classes"
    # bools stay refused, Python's and numpy's
    text = message(TypeError, lambda: loose.cross_entropy([z], [np.True_]))
    assert text == "cross_entropy: each target must be an int class, got np.True_"
    text = message(TypeError, lambda: loose.cross_entropy(z, True))
    assert text == "cross_entropy: targets must be an int class or a list of them, got True"
