"""``free_graph(root)``: take a graph apart without recursion, so that any graph can be freed.

When the last name for a root goes away, reference counting frees the root, which drops its
``inputs`` tuple, which frees the inputs, which drop theirs: CPython frees a linked chain of
Values one level inside the other, on the C stack. Natively its "trashcan" defers the deep
levels and a chain of any length is freed. In WebAssembly (Pyodide in a browser) the
browser's stack runs out first: ``del`` of a chain of about 2,000-3,000 ops ends Python with
"Maximum call stack size exceeded".

``free_graph`` walks the graph with a list for a stack and empties each computed node's
``inputs`` (and ``local_grads``, ``op``) while a reference to each input is still held on that list.
A node that is freed afterwards has nothing left to free but itself, so nothing cascades.
Each node is emptied once (a node reached a second time has no inputs left to push); no set
of seen nodes is needed.
"""

from __future__ import annotations

from autograd.value import Value


def free_graph(root: Value) -> None:
    """Take the graph under ``root`` apart so that it is freed without recursion.

    Every computed node under ``root`` (``root`` included) becomes a leaf: ``inputs = ()``,
    ``local_grads = ()``, ``op = ''``; its ``data``, ``grad`` and ``label`` stay. Leaves (inputs,
    parameters) are not touched. Each node left without a name is freed during the walk, and
    ``del root`` then frees the root alone, however deep the graph was. Call it when a graph is
    done with, e.g. after ``loss.backward()`` and ``optimizer.step()``; another graph that shares
    nodes with this one loses those nodes' inputs too. Needed where the C stack is small (Pyodide
    in a browser); natively a million-op chain built, differentiated and taken apart took 1.03x
    the time of the same chain simply dropped (bench/run.py, docs/performance.md).

    >>> from autograd import Value, free_graph
    >>> x = Value(3.0); y = x * x + 1.0
    >>> y.backward(); free_graph(y)
    >>> y.data, y.grad, y.inputs, x.grad
    (10.0, 1.0, (), 6.0)
    """
    if not isinstance(root, Value):
        raise TypeError(f"free_graph: root must be a Value, got {type(root).__name__}")
    stack = [root]
    pop, push = stack.pop, stack.append
    while stack:
        node = pop()
        inputs = node.inputs
        if inputs:
            node.inputs = ()  # the node's own hold on its inputs goes; the stack's stays
            node.local_grads = ()
            node.op = ""
            for child in inputs:
                if child.inputs:  # leaves have nothing to take apart
                    push(child)
