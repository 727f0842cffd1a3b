"""``naive_backward``: the backward pass beginners write first, kept here to show why it is wrong.

The naive pass walks the graph depth first from the root, and each node passes its gradient on
to its inputs *as soon as it is visited*:

    visit(root):  for each input x:  x.grad += d(node)/dx * node.grad;  then visit x

(each node visited once). The chain rule needs ``node.grad`` = d(root)/d(node) to be complete
before it is passed on, that is, every consumer of the node must have added its share first.
Depth first visits a node on the first path that reaches it; when another consumer of the
node is reached later, its share arrives after the node has already passed its gradient on,
and that share never reaches the inputs.

The smallest graph where that happens has three ops (docs/exercises.md shows why no graph
with fewer does):

    a = x * x;  b = a * a;  y = a + b        dy/dx = 2x + 4x**3

The naive pass visits y, then a (a.grad is 1 from y, but b's share 2a is still missing), so
x receives 2x instead of 2x + 4x**3. ``backward()`` instead visits in topological order (see
``backward_order``): b before a, because b consumes a.

This walk uses an explicit stack, like everything in the engine; the recursive version a
beginner writes also stops at Python's recursion limit, near a thousand ops deep.
"""

from __future__ import annotations

from typing import NamedTuple

from autograd.value import Value, to_float


class Visit(NamedTuple):
    """One node's turn in the naive pass: the grad it held, and so passed on, at that moment."""

    node: Value
    grad: float


def naive_backward(root: Value, grad: float = 1.0) -> list[Visit]:
    """Run the naive (wrong) backward pass on ``root``; return each visit, in order.

    Computed nodes' grads are zeroed first, then ``root.grad += grad``, as in ``backward()``.
    Each computed node, the first time the depth-first walk reaches it (inputs in order),
    does ``input.grad += local_grad * node.grad`` for each input, with whatever ``node.grad``
    holds at that moment. Leaves end up right only if no computed node was visited early.
    """
    if not isinstance(root, Value):
        raise TypeError(f"naive_backward: root must be a Value, got {type(root).__name__}")
    grad = to_float(grad, "naive_backward")
    _zero_computed(root)
    root.grad += grad
    visited: list[Visit] = []
    seen: set[Value] = set()
    stack = [root]
    while stack:
        node = stack.pop()
        if node in seen:
            continue
        seen.add(node)
        visited.append(Visit(node, node.grad))
        for child, local_grad in zip(node.inputs, node.local_grads):
            child.grad += local_grad * node.grad  # passed on now, complete or not
        stack.extend(reversed(node.inputs))  # reversed: the first input is visited first
    return visited


def _zero_computed(root: Value) -> None:
    seen: set[Value] = set()
    stack = [root]
    while stack:
        node = stack.pop()
        if node in seen or not node.inputs:
            continue
        seen.add(node)
        node.grad = 0.0
        stack.extend(node.inputs)
