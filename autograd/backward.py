"""The backward pass: reverse-mode autodiff over a topological order of the graph.

Two pieces:

``backward_order(root)`` lists the computed nodes that ``root`` depends on, root first,
with this invariant: **a node comes after every node that consumes it**. It is a
depth-first walk (post-order, reversed) with an explicit stack instead of recursion, so a
chain of a million ops is fine. ``topological_order(root)`` is the same list with the
leaves appended, for tools that want every node.

``backward(root)`` walks that order applying the chain rule at each node. Because of the
invariant, by the time a node is reached every consumer has already added its share into
``node.grad``, so the grad is complete and can be passed on to the node's inputs.
"""

from __future__ import annotations

from typing import Any

from autograd.grad_mode import anomaly_mode
from autograd.ops import local_grads_as_values
from autograd.value import Value, to_float


def backward_order(root: Value) -> list[Value]:
    """The computed nodes under ``root`` (not the leaves), root first, each after all its consumers.

    A depth-first walk with an explicit stack lists a node once all of its inputs are listed
    (post-order); reversed, that list has every node after everything that consumes it.
    Why a node's inputs are all listed before it: each unseen input is pushed above the node
    and so finishes first; an input seen earlier is already finished, because in a graph
    without cycles the only seen-but-unfinished nodes are those on the current path, and an
    input of a node cannot be one of the nodes that lead to it.

    Leaves are left out: they have no inputs to pass a gradient on to, and on a neural
    network most edges end at a parameter or an input. For a leaf ``root`` the list is empty.
    """
    if not root.inputs:
        return []
    finished: list[Value] = []  # post-order: every node after all of its inputs
    seen: set[Value] = set()
    stack: list[Any] = [root]  # Values to visit, and None markers
    while stack:
        node = stack.pop()
        if node is None:  # all the inputs pushed above this marker are finished,
            finished.append(stack.pop())  # so the node below it is finished too
        elif node not in seen:
            seen.add(node)
            stack += (node, None)
            for child in node.inputs:
                if child.inputs and child not in seen:
                    stack.append(child)
    finished.reverse()
    return finished


def topological_order(root: Value) -> list[Value]:
    """Every node under ``root``, root first, each after all nodes that consume it.

    The backward order followed by the leaves (each once): a leaf consumes nothing, so
    putting all of them last keeps the invariant.
    """
    order = backward_order(root) or [root]
    seen: set[Value] = set()
    leaves = []
    for node in order:
        for child in node.inputs:
            if not child.inputs and child not in seen:
                seen.add(child)
                leaves.append(child)
    return order + leaves


def backward(root: Value, grad: float = 1.0, create_graph: bool = False) -> None:
    """Set ``node.grad`` = d(root)/d(node) for every node under ``root`` (see Value.backward)."""
    if type(grad) is not float and not (create_graph and isinstance(grad, Value)):
        grad = to_float(grad, "backward: grad")  # a Value only with create_graph=True
    checks = anomaly_mode.get()
    if checks is not None and not create_graph:  # under detect_anomaly(): a checked pass
        checks.checked_backward(root, grad)
        return
    order = backward_order(root)
    for node in order:
        node.grad = 0.0  # computed nodes: recomputed by this call; leaves accumulate
    root.grad += grad
    if create_graph:
        _backward_with_graph(order)
        return
    try:
        for node in order:
            node_grad = node.grad
            for child, local_grad in zip(node.inputs, node.local_grads):
                child.grad += local_grad * node_grad  # the chain rule; += sums over all paths
    except BaseException as err:  # Ctrl-C, MemoryError: costs nothing on the normal path
        add_note = getattr(err, "add_note", None)  # Python >= 3.11
        if add_note is not None:
            add_note(INTERRUPTED)
        raise


INTERRUPTED = (
    "backward() was interrupted: the leaves (inputs and parameters) hold part of this pass's "
    "gradients on top of what they held before. Call zero_grad() (or set each leaf's grad to 0.0) "
    "and run backward() again."
)


def chain_rule_step(node: Value) -> None:
    """Pass ``node.grad`` on to its inputs once: the body of the loop above, for one node."""
    for child, local_grad in zip(node.inputs, node.local_grads):
        child.grad += local_grad * node.grad


def _backward_with_graph(order: list[Value]) -> None:
    """The same loop with Values for numbers, so the grads get a graph of their own."""
    for node in order:
        for child, local_grad in zip(node.inputs, local_grads_as_values(node)):
            child.grad = child.grad + local_grad * node.grad
