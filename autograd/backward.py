"""The backward pass: reverse-mode autodiff over a topological order of the graph.

Two pieces:

``topological_order(root)`` lists every node that ``root`` was computed from, root first,
with this invariant: **a node comes after every node that consumes it**. It counts each
node's consumers, then releases a node once all of its consumers have been listed (Kahn's
algorithm, as in HIPS autograd). Plain loops and an explicit stack: no recursion, so a
chain of a million ops is fine.

``backward(root)`` walks that order applying the chain rule at each node. Because of the
invariant, by the time a node is reached every consumer has already added its share into
``node.grad``, so the grad is complete and can be passed on to the node's inputs.
"""

from __future__ import annotations

from autograd.ops import GRAPH_RULES, Derivative
from autograd.value import Value


def topological_order(root: Value) -> list[Value]:
    """Every node reachable from ``root``, root first, each after all nodes that consume it."""
    consumers: dict[Value, int] = {root: 0}  # node -> how many edges lead out of it
    stack = [root]
    while stack:
        node = stack.pop()
        for child in node.inputs:
            if child in consumers:
                consumers[child] += 1
            else:
                consumers[child] = 1
                stack.append(child)

    order = []
    ready = [root]  # nodes whose consumers are all in `order` already
    while ready:
        node = ready.pop()
        order.append(node)
        for child in node.inputs:
            consumers[child] -= 1
            if consumers[child] == 0:
                ready.append(child)
    return order


def backward(root: Value, grad: float = 1.0, create_graph: bool = False) -> None:
    """Set ``node.grad`` = d(root)/d(node) for every node under ``root`` (see Value.backward)."""
    order = topological_order(root)
    for node in order:
        if node.inputs:
            node.grad = 0.0  # interior nodes: recomputed by this call; leaves accumulate
    root.grad += grad
    if create_graph:
        _backward_with_graph(order)
        return
    for node in order:
        node_grad = node.grad
        for child, local_grad in zip(node.inputs, node.local_grads):
            child.grad += local_grad * node_grad  # the chain rule; += sums over all paths


def chain_rule_step(node: Value) -> None:
    """Pass ``node.grad`` on to its inputs once: the body of the loop above, for one node."""
    for child, local_grad in zip(node.inputs, node.local_grads):
        child.grad += local_grad * node.grad


def _backward_with_graph(order: list[Value]) -> None:
    """The same loop with Values for numbers, so the grads get a graph of their own."""
    for node in order:
        rule = GRAPH_RULES.get(node.op)
        local_grads: tuple[Derivative, ...] = rule(node) if rule else node.local_grads
        for child, local_grad in zip(node.inputs, local_grads):
            child.grad = child.grad + local_grad * node.grad  # type: ignore[assignment]
