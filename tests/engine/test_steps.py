"""backward_steps against backward() and hand-derived numbers; explain's path sums against grads."""

from __future__ import annotations

import math
import random

import pytest

import autograd
from autograd import Value, backward_steps, explain


def random_graph(seed: int) -> tuple[Value, list[Value]]:
    """A random graph with fan-out: each new node picks its inputs among all earlier nodes."""
    rng = random.Random(seed)
    leaves = [Value(rng.uniform(-1.5, 1.5), label=f"x{i}") for i in range(rng.randint(1, 4))]
    nodes = list(leaves)
    for _ in range(rng.randint(1, 25)):
        a, b = rng.choice(nodes), rng.choice(nodes)
        kind = rng.choice(["add", "mul", "sub", "tanh", "sigmoid", "sum", "const"])
        if kind == "add":
            nodes.append(a + b)
        elif kind == "mul":
            nodes.append(a * b)
        elif kind == "sub":
            nodes.append(a - b)
        elif kind == "tanh":
            nodes.append(a.tanh())
        elif kind == "sigmoid":
            nodes.append(a.sigmoid())
        elif kind == "sum":
            nodes.append(autograd.sum([a, b, a]))
        else:
            nodes.append(a * rng.uniform(-2.0, 2.0))
    root = nodes[-1] * nodes[rng.randrange(len(nodes))] + nodes[-1]  # the root reuses nodes too
    return root, nodes


@pytest.mark.parametrize("seed", range(60))
def test_steps_leave_exactly_the_grads_backward_leaves(seed):
    root_a, nodes_a = random_graph(seed)
    root_b, nodes_b = random_graph(seed)  # the same graph, built again
    for _ in range(2):  # twice: leaves accumulate, interior grads are recomputed, in both
        root_a.backward()
        steps = list(backward_steps(root_b))
        assert [a.grad for a in nodes_a] == [b.grad for b in nodes_b]
        assert root_a.grad == root_b.grad
    assert all(len(s.terms) == len(s.node.inputs) for s in steps)


def test_steps_come_after_every_consumer():
    root, _ = random_graph(7)
    seen = [step.node for step in backward_steps(root)]
    position = {id(n): k for k, n in enumerate(seen)}
    for node in seen:
        for child in node.inputs:
            if child.inputs:
                assert position[id(child)] > position[id(node)]


def test_hand_derived_steps_of_a_times_b_plus_a():
    # c = a*b ; d = c + a.  dd/dc = 1, dd/da (direct) = 1; dc/da = b = -3, dc/db = a = 2.
    a, b = Value(2.0, label="a"), Value(-3.0, label="b")
    c = a * b
    c.label = "c"
    d = c + a
    d.label = "d"
    first, second = backward_steps(d)
    assert first.node is d and first.upstream == 1.0
    assert [(t.input, t.local_grad, t.contribution, t.grad_before, t.grad_after) for t in first.terms] == [
        (c, 1.0, 1.0, 0.0, 1.0),
        (a, 1.0, 1.0, 0.0, 1.0),
    ]
    assert second.node is c and second.upstream == 1.0
    assert [(t.input, t.local_grad, t.contribution, t.grad_before, t.grad_after) for t in second.terms] == [
        (a, -3.0, -3.0, 1.0, -2.0),
        (b, 2.0, 2.0, 0.0, 2.0),
    ]
    text = str(second)
    assert "step 1: c = mul(a, b)" in text
    assert "a.grad += -3.0 × 1.0 = -3.0    (1.0 -> -2.0)" in text
    assert "b.grad += 2.0 × 1.0 = 2.0    (0.0 -> 2.0)" in text


def test_a_times_a_has_two_terms_and_both_count():
    a = Value(3.0, label="a")
    (step,) = Value.backward_steps(a * a)
    assert [t.input for t in step.terms] == [a, a]
    assert [(t.grad_before, t.grad_after) for t in step.terms] == [(0.0, 3.0), (3.0, 6.0)]
    assert a.grad == 6.0  # d(a^2)/da = 2a


def test_steps_are_lazy_and_a_leaf_root_only_gets_the_seed():
    a = Value(1.0)
    gen = backward_steps(a * 2.0)
    assert a.grad == 0.0  # nothing ran yet
    next(gen)
    assert a.grad == 2.0
    leaf = Value(4.0)
    assert list(backward_steps(leaf, 0.5)) == []
    assert leaf.grad == 0.5


def test_bad_input():
    with pytest.raises(TypeError, match="backward_steps: root must be a Value, got float"):
        backward_steps(1.0)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="backward_steps"):
        backward_steps(Value(1.0), "x")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="explain: x and root must be Values"):
        explain(1.0, Value(1.0))  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="explain: max_paths must be an int >= 0, got -1"):
        explain(Value(1.0), Value(1.0), max_paths=-1)


# --- explain -------------------------------------------------------------------------------------


def test_explain_diamond_by_hand():
    # y = (2x) * (x^2) = 2x^3: two paths, dy/du du/dx = x^2 * 2 and dy/dv dv/dx = 2x * 2x; sum 6x^2.
    x = Value(1.5, label="x")
    u = x * 2.0
    u.label = "u"
    v = x**2
    v.label = "v"
    y = u * v
    y.label = "y"
    y.backward()
    e = x.explain(y)
    assert e.path_count == 2
    assert sorted(p.product for p in e.paths) == pytest.approx(sorted([1.5**2 * 2.0, 3.0 * 3.0]))
    assert e.total == pytest.approx(6 * 1.5**2) and e.matches_grad
    text = str(e)
    assert "dy/dx = sum over 2 path(s)" in text
    assert "dy/du · du/dx = 2.25 × 2.0 = 4.5" in text
    assert "dy/dv · dv/dx = 3.0 × 3.0 = 9.0" in text
    assert "total = 4.5 + 9.0 = 13.5" in text and "x.grad = 13.5: matches" in text


@pytest.mark.parametrize("seed", range(30))
def test_explain_total_equals_grad_on_random_graphs(seed):
    root, nodes = random_graph(seed)
    root.backward()
    for x in nodes:
        e = explain(x, root, max_paths=5)
        assert math.isclose(e.total, x.grad, rel_tol=1e-9, abs_tol=1e-12)
        if e.path_count <= 5:
            assert math.isclose(e.listed_sum, e.total, rel_tol=1e-9, abs_tol=1e-12)
        assert len(e.paths) == min(5, e.path_count)


def test_explain_truncates_exponentially_many_paths():
    # y_{k+1} = y_k * x + y_k: paths P_{k+1} = 2 P_k + 1 (y_k is used twice, x once), P_0 = 1.
    x = Value(1.0, label="x")
    y = x
    for _ in range(30):
        y = y * x + y
    y.backward()
    e = explain(x, y, max_paths=3)
    assert e.path_count == 2**31 - 1
    assert len(e.paths) == 3
    # y_n = x (x + 1)^n, so dy/dx = (x + 1)^n + n x (x + 1)^(n - 1) = 2^30 + 30 * 2^29 = 2^34 at x = 1
    assert e.total == 2.0**34
    assert "more path(s) not listed" in str(e) and e.matches_grad


def test_explain_when_x_is_not_under_root_and_when_grad_is_stale():
    x, z = Value(1.0, label="x"), Value(2.0, label="z")
    y = z * 3.0
    e = explain(x, y)
    assert e.path_count == 0 and e.total == 0.0
    y2 = x * 4.0
    e2 = explain(x, y2)  # no backward yet: x.grad is 0, not 4
    assert e2.total == 4.0 and not e2.matches_grad and "does NOT match" in str(e2)


@pytest.mark.slow  # a 50,000-node chain explained: about a second
def test_explain_a_long_chain_is_linear_time():
    x = Value(1.0, label="x")
    y = x
    for _ in range(50_000):
        y = y + 0.0
    e = explain(x, y)
    assert e.path_count == 1 and e.total == 1.0
    assert "more factors" in str(e)
