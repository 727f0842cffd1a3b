"""Why backward() walks the graph in topological order: the smallest graph where the naive pass fails.

    python demos/why_topological_order.py

The naive pass (``autograd.naive_backward``) walks depth first from the root and lets each node
pass its gradient on the moment it is visited. What to notice:
- on y = a + b with a = x*x and b = a*a, at x = 2, the naive pass visits a before b, while
  a.grad still lacks b's share, and ends with dy/dx = 4 instead of 2x + 4x**3 = 36;
- backward() visits b before a (b consumes a), so a's gradient is complete when passed on;
- no graph of one or two ops goes wrong: every one of them is checked below;
- a recursive walk, the way micrograd writes its topological sort, dies on a 10,000-op chain
  with RecursionError; backward() and naive_backward use an explicit stack and do not care.
docs/exercises.md explains why three ops is the least.
"""

from __future__ import annotations

import itertools
import sys

from autograd import Value, backward_order, naive_backward, topological_order


def smallest_counterexample(x0: float) -> tuple[Value, Value]:
    """x, and y = a + b with a = x*x, b = a*a: three ops, a used by both b and y."""
    x = Value(x0, label="x")
    a = x * x
    a.label = "a"
    b = a * a
    b.label = "b"
    y = a + b
    y.label = "y"
    return x, y


def side_by_side() -> None:
    x, y = smallest_counterexample(2.0)
    naive = naive_backward(y)
    naive_grad = x.grad
    x, y = smallest_counterexample(2.0)
    y.backward()
    print("y = a + b,  a = x*x,  b = a*a,  at x = 2:   dy/dx = 2x + 4x**3 = 36")
    print()
    print(f"{'naive pass (depth first, pass on at once)':<46}backward() (topological order)")
    passing = [visit for visit in naive if visit.node.inputs]  # leaves pass nothing on
    right = backward_order(y)
    for k, (visit, node) in enumerate(zip(passing, right), 1):
        left = f"{k}. {visit.node.label} passes on grad {visit.grad:g}"
        left += " (b's 8 still missing)" if visit.node.label == "a" else ""
        print(f"{left:<46}{k}. {node.label} passes on grad {node.grad:g}")
    naive_order = "visit order: " + ", ".join(v.node.label for v in naive)
    print(f"{naive_order:<46}order: {', '.join(n.label for n in topological_order(y))}")
    print()
    print(f"naive pass:  dy/dx = {naive_grad:g}   (wrong: a passed on 1 before b added 2a = 8)")
    print(f"backward():  dy/dx = {x.grad:g}  (right)")


def two_op_graphs_are_safe() -> int:
    """Build every graph of two ops over leaves x, z and compare the naive pass with backward()."""
    unary = [Value.tanh, Value.exp]
    binary = [Value.__mul__, Value.__add__, Value.__sub__]
    first_ops = [(f, (0,)) for f in unary] + [
        (f, p) for f in binary for p in itertools.product((0, 1), repeat=2)
    ]
    second_ops = [(f, (k,)) for f in unary for k in (0, 1, 2)]
    second_ops += [(f, p) for f in binary for p in itertools.product((0, 1, 2), repeat=2)]
    checked = 0
    for first, second in itertools.product(first_ops, second_ops):
        grads = []
        for run in (naive_backward, Value.backward):
            nodes = [Value(0.3), Value(-0.7)]
            for f, ins in (first, second):
                nodes.append(f(*[nodes[k] for k in ins]))
            run(nodes[-1])
            grads.append((nodes[0].grad, nodes[1].grad))
        if grads[0] != grads[1]:
            raise AssertionError(f"a two-op graph where the naive pass is wrong: {first}, {second}")
        checked += 1
    return checked


def recursive_topological_sort(root: Value) -> list[Value]:
    """micrograd's way, recursion and all: shown here as the thing NOT to do."""
    order: list[Value] = []
    seen: set[Value] = set()

    def visit(node: Value) -> None:
        if node not in seen:
            seen.add(node)
            for child in node.inputs:
                visit(child)
            order.append(node)

    visit(root)
    return order


def long_chain() -> None:
    x = Value(0.5, label="x")
    y = x
    for _ in range(10_000):
        y = y * 1.0001
    try:
        recursive_topological_sort(y)
        print("recursive topological sort: finished (the recursion limit must be raised here)")
    except RecursionError:
        limit = sys.getrecursionlimit()
        print(f"recursive topological sort of a 10,000-op chain: RecursionError (limit {limit} frames)")
    y.backward()
    print(f"backward() on the same chain: dy/dx = 1.0001**10000 = {x.grad:.6g}")
    x.grad = 0.0  # leaves accumulate: start the naive pass from zero
    naive_backward(y)
    print(f"naive_backward on it: {x.grad:.6g} (a chain has no node used twice, so order cannot matter)")


def main() -> None:
    side_by_side()
    print()
    print(f"every graph of two ops ({two_op_graphs_are_safe()} of them): the naive pass is right on all")
    print()
    long_chain()


if __name__ == "__main__":
    main()
