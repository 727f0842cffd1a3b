"""Gradients as functions: ``grad(f)`` and ``value_and_grad(f)``, which compose.

``grad(f)(x)`` is df/dx at x, as a number. ``grad(grad(f))(x)`` is the second derivative:
the inner ``grad`` sees a Value argument, so it keeps the graph of its result
(``backward(create_graph=True)``) for the outer one to differentiate.

Calling ``grad(f)`` leaves the ``.grad`` of Values that ``f`` closes over as it found them.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, Union

from autograd.backward import topological_order
from autograd.ops import identity
from autograd.value import Value, to_float

ArgNums = Union[int, Sequence[int]]


def value_and_grad(f: Callable[..., Any], argnums: ArgNums = 0) -> Callable[..., tuple[Any, Any]]:
    """Return a function computing ``(f(*args), df/d args[argnums])``.

    With an int ``argnums`` the gradient is one number; with a sequence, a tuple of them.
    Arguments may be numbers or Values; results are floats, or Values when any argument was
    a Value (so an outer ``grad`` can differentiate them again).
    """
    positions = (argnums,) if isinstance(argnums, int) else tuple(argnums)

    def value_and_grad_f(*args: Any) -> tuple[Any, Any]:
        if not args:  # grad(lambda: loss)(): what a learner tries with a model it closes over
            raise ValueError(
                "grad: called with no arguments, so nothing to differentiate with respect to; grad(f)(x) "
                "gives df/dx at x. For the gradient with respect to Values f closes over (a model's "
                "parameters), call f().backward() and read each p.grad, or use trace_values(f, model)"
            )
        for i in positions:
            if not -len(args) <= i < len(args):
                raise ValueError(f"grad: argnums {i} is out of range for {len(args)} arguments")
        keep_graph = any(isinstance(a, Value) for a in args)
        args_list = list(args)
        tracked = []
        for i in positions:
            # A fresh node per differentiated argument: its grad is exactly df/d(argument),
            # and it stays connected to the argument, so nesting differentiates through it.
            arg = args_list[i]
            node = identity(arg) if isinstance(arg, Value) else Value(to_float(arg, "grad"))
            args_list[i] = node
            tracked.append(node)
        out = f(*args_list)
        if not isinstance(out, Value):  # a constant: its derivative is 0
            constant = to_float(out, "grad: f's result")
            zeros = tuple(0.0 for _ in positions)
            return constant, zeros[0] if isinstance(argnums, int) else zeros
        leaves = [n for n in topological_order(out) if not n.inputs]
        saved = [leaf.grad for leaf in leaves]
        for node in tracked:
            node.grad = 0.0
        out.backward(create_graph=keep_graph)
        grads = [node.grad for node in tracked]
        for leaf, g in zip(leaves, saved):
            leaf.grad = g
        if not keep_graph:
            grads = [float(g) for g in grads]
        value: Any = out if keep_graph else out.data
        return value, grads[0] if isinstance(argnums, int) else tuple(grads)

    return value_and_grad_f


def grad(f: Callable[..., Any], argnums: ArgNums = 0) -> Callable[..., Any]:
    """Return a function computing df/d args[argnums] (see ``value_and_grad``)."""
    value_and_grad_f = value_and_grad(f, argnums)

    def grad_f(*args: Any) -> Any:
        return value_and_grad_f(*args)[1]

    return grad_f
