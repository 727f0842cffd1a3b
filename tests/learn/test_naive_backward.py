"""naive_backward: the depth-first pass without a topological order, and where it goes wrong."""

import itertools

from autograd import Value, backward_order, naive_backward


def smallest_counterexample(x0: float = 2.0):
    x = Value(x0, label="x")
    a = x * x
    a.label = "a"
    b = a * a
    b.label = "b"
    y = a + b
    y.label = "y"
    return x, a, b, y


def test_the_smallest_counterexample_gets_the_wrong_gradient():
    x, a, _b, y = smallest_counterexample(2.0)
    visited = naive_backward(y)
    assert [v.node.label for v in visited] == ["y", "a", "x", "b"]  # a before b, which consumes it
    assert [v.grad for v in visited] == [1.0, 1.0, 4.0, 1.0]  # a passed on 1.0: b's share was missing
    assert x.grad == 4.0  # 2x: only the path through a alone
    assert a.grad == 1.0 + 2 * 4.0  # b's share (2a) arrived after a had passed its grad on
    x, _a, _b, y = smallest_counterexample(2.0)
    y.backward()
    assert x.grad == 2 * 2.0 + 4 * 2.0**3 == 36.0  # dy/dx = 2x + 4x³
    assert [v.label for v in backward_order(y)] == ["y", "b", "a"]


def test_with_the_inputs_the_other_way_round_the_naive_pass_happens_to_be_right():
    x = Value(2.0)
    a = x * x
    y = a * a + a  # y's inputs: (b, a): b is visited first, so a is complete when reached
    naive_backward(y)
    assert x.grad == 36.0


def _graphs_with_two_ops():
    """Every graph of two ops over leaves x, z: unary/binary first op, second op on any earlier nodes."""
    unary = [lambda v: v.tanh(), lambda v: v.exp()]
    binary = [lambda p, q: p * q, lambda p, q: p + q, lambda p, q: p - q]
    for first in [("u", f, (0,)) for f in unary] + [
        ("b", f, ins) for f in binary for ins in itertools.product((0, 1), repeat=2)
    ]:
        for second in [("u", f, (k,)) for f in unary for k in (0, 1, 2)] + [
            ("b", f, ins) for f in binary for ins in itertools.product((0, 1, 2), repeat=2)
        ]:
            yield first, second


def _build(first, second):
    x, z = Value(0.3), Value(-0.7)
    nodes = [x, z]
    for _, f, ins in (first, second):
        nodes.append(f(*[nodes[k] for k in ins]))
    return x, z, nodes[-1]


def test_no_graph_of_fewer_than_three_ops_goes_wrong():
    count = 0
    for first, second in _graphs_with_two_ops():
        x, z, root = _build(first, second)
        root.backward()
        right = (x.grad, z.grad)
        x, z, root = _build(first, second)
        naive_backward(root)
        assert (x.grad, z.grad) == right
        count += 1
    assert count == 14 * 33  # first op: 2 unary + 3 binary x 4 input pairs; second: 2 x 3 + 3 x 9


def test_a_ten_thousand_op_chain_needs_no_recursion():
    x = Value(0.5)
    y = x
    for _ in range(10_000):
        y = y * 1.0001
    visited = naive_backward(y)
    assert len(visited) == 2 * 10_000 + 1  # each op and its constant, then x
    assert abs(x.grad - 1.0001**10_000) < 1e-9 * 1.0001**10_000  # a chain has no fan-out: right
