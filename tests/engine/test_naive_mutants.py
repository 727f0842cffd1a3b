"""``naive_backward`` (``autograd/naive.py``): what its mutants showed no test pinned down.

Its docstring's promises: computed nodes' grads are zeroed first and leaves keep what they held
(then ``root.grad += grad``, as ``backward()`` does), so a second run, or a run after
``backward()``, shows the same visits; bad arguments are refused naming ``naive_backward``; each
node is zeroed once, so a graph of many shared nodes is walked in a time linear in its size.
"""

from __future__ import annotations

import pytest

from autograd import Value, naive_backward


def smallest_counterexample(x0: float = 2.0) -> tuple[Value, Value, Value, Value]:
    """a = x*x, b = a*a, y = a + b: the naive pass gives dx = 2x, the chain rule 2x + 4x³."""
    x = Value(x0, label="x")
    a = x * x
    b = a * a
    y = a + b
    return x, a, b, y


def test_a_root_that_is_not_a_value_is_refused_by_name() -> None:
    with pytest.raises(TypeError) as caught:
        naive_backward(2.0)  # type: ignore[arg-type]
    assert str(caught.value) == "naive_backward: root must be a Value, got float"


def test_a_grad_that_is_not_a_number_is_refused_by_name() -> None:
    x, _a, _b, y = smallest_counterexample()
    with pytest.raises(TypeError) as caught:
        naive_backward(y, grad="abc")  # type: ignore[arg-type]
    assert str(caught.value) == "naive_backward: expected a real number, got str 'abc'"
    assert x.grad == 0.0  # refused before anything changed


def test_a_second_run_shows_the_same_visits_and_leaves_accumulate() -> None:
    # at x = 2: y visited with 1, a with 1 (b's share 2a = 8 still missing), x with 2x = 4, b with 1
    x, _a, _b, y = smallest_counterexample(2.0)
    assert [visit.grad for visit in naive_backward(y)] == [1.0, 1.0, 4.0, 1.0]
    # the computed nodes start again from 0; the leaf x keeps its 4 (as after two backward()
    # calls) and is visited holding 4 + 4
    assert [visit.grad for visit in naive_backward(y)] == [1.0, 1.0, 8.0, 1.0]
    assert x.grad == 8.0


def test_after_backward_the_computed_grads_are_zeroed_first() -> None:
    # backward() leaves a.grad = 1 + 2a = 9, b.grad = 1, y.grad = 1, x.grad = 2x + 4x³ = 36
    x, a, b, y = smallest_counterexample(2.0)
    y.backward()
    assert (x.grad, a.grad, b.grad) == (36.0, 9.0, 1.0)
    visits = naive_backward(y)
    assert [visit.grad for visit in visits] == [1.0, 1.0, 36.0 + 4.0, 1.0]  # the leaf keeps its 36
    assert x.grad == 36.0 + 4.0
    assert a.grad == 1.0 + 2 * 4.0 and b.grad == 1.0


def test_a_leaf_met_before_a_computed_node_does_not_stop_the_zeroing() -> None:
    # y = tanh(z) * x: the zeroing walk meets the leaf x before t = tanh(z); after y.backward()
    # t.grad = x = 3, and the naive pass must start t from 0, not 3: dz = x (1 - tanh² z)
    z, x = Value(0.5, label="z"), Value(3.0, label="x")
    t = z.tanh()
    y = t * x
    y.backward()
    z_grad = z.grad
    naive_backward(y)
    assert [visit.grad for visit in naive_backward(y)][:2] == [1.0, 3.0]  # y, then t with d(y)/dt = x
    assert z.grad == pytest.approx(3 * z_grad, rel=1e-15)  # three runs, each adding x (1 - tanh² z)


def test_a_leaf_root_adds_the_grad_as_backward_does() -> None:
    # a leaf is not zeroed: backward() on a leaf holding 3 leaves 3 + 1 = 4; naive_backward too
    x, w = Value(2.0), Value(2.0)
    x.grad = w.grad = 3.0
    w.backward()
    visits = naive_backward(x)
    assert x.grad == w.grad == 4.0
    assert len(visits) == 1 and visits[0].node is x and visits[0].grad == 4.0


def test_each_shared_node_is_zeroed_once() -> None:
    # a chain of 60 squarings: each node is both inputs of the next, so the graph has 2**60 paths
    # from the root to x; zeroing each node once is 61 steps, walking every path would never end
    x = Value(1.0)
    y = x
    for _ in range(60):
        y = y * y
    visits = naive_backward(y)
    assert len(visits) == 61
    # y = x**(2**60): dy/dx = 2**60 at x = 1; a chain is one path, so the naive pass is right here
    # (both shares of a square reach its input in the same visit)
    assert x.grad == 2.0**60
