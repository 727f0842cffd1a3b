"""``custom_op``: a new operation from two plain Python functions, its forward rule and its derivative.

A learner writes an op the way ``ops.py`` writes the built-in ones, as two functions:

    def cube(x):              # the forward rule, on floats
        return x ** 3

    def cube_derivative(x, out):   # d(out)/dx, given the input and the output
        return 3 * x ** 2

    cube_op = custom_op(cube, cube_derivative, name="cube")
    y = cube_op(Value(2.0))   # a node like any other: y.op == 'cube'

For an op of n inputs the forward takes n floats, and the derivative takes the n inputs and
then ``out`` and returns a tuple of n local derivatives (d(out)/d(input_i), in order).

Its nodes are ordinary Values: ``backward``, ``backward_steps``, ``explain`` and the pictures
read their ``op`` and ``local_grads`` like those of a built-in op. For
``backward(create_graph=True)`` the same derivative is called again with the node's input
Values and the node itself, so second derivatives are right when the derivative is written
with operations that work on floats and on Values alike (``+ - * / **``). The first call
gives it floats, which ``autograd.exp`` and the other op functions do not take: choose by
type (``exp(x) if isinstance(x, Value) else math.exp(x)``), or write the derivative with
``out`` (``out * (1 - out)`` for a sigmoid). Functions of ``math`` turn a Value into a plain
float, and a float is a constant to the second pass.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from typing import Any

from autograd import ops
from autograd.op_registry import refuse_bad_data
from autograd.value import Value, to_float

Forward = Callable[..., float]
Derivative = Callable[..., Any]


class CustomOp:
    """An operation made by ``custom_op``; calling it on Values or numbers records one node."""

    def __init__(self, forward: Forward, derivative: Derivative, name: str, arity: int) -> None:
        self.forward = forward
        self.derivative = derivative
        self.name = name
        self.arity = arity

    def __repr__(self) -> str:
        return f"CustomOp(name={self.name!r}, inputs={self.arity})"

    def __call__(self, *args: Any) -> Value:
        if len(args) != self.arity:
            raise TypeError(f"{self.name}: takes {self.arity} input(s), got {len(args)}")
        inputs = tuple(ops.as_value(a, self.name) for a in args)
        refuse_bad_data(self.name, inputs)  # before the learner's forward sees the numbers
        xs = [v.data for v in inputs]
        out = to_float(self.forward(*xs), f"{self.name}: the forward rule's result")
        local_grads = tuple(to_float(g, f"{self.name}: the derivative's result") for g in self.grads(out, xs))
        node = ops.record(out, self.name, inputs, local_grads)
        if node.inputs:  # a real node (not a leaf made under no_grad): remember its rule
            ops.CUSTOM_RULES[node] = self.grads
        return node

    def grads(self, out: Any, inputs: Any) -> tuple[Any, ...]:
        """The local derivatives, one per input, in the ``ops.py`` rule form ``rule(out, inputs)``."""
        result = self.derivative(*inputs, out)
        if self.arity == 1 and not isinstance(result, (tuple, list)):
            result = (result,)
        if not isinstance(result, (tuple, list)) or len(result) != self.arity:
            raise TypeError(
                f"{self.name}: the derivative must return {self.arity} local derivative(s) "
                f"(a tuple for several inputs), got {result!r}"
            )
        return tuple(result)


def custom_op(forward: Forward, derivative: Derivative, name: str | None = None) -> CustomOp:
    """Make an operation on Values from its forward rule and its local derivative(s).

    ``forward(x1, ..., xn)`` takes n floats and returns the output, a float.
    ``derivative(x1, ..., xn, out)`` takes the same inputs and then the output, and returns
    d(out)/d(x1) (a number) for one input, or the tuple (d(out)/d(x1), ..., d(out)/d(xn)) for
    several. The number of inputs is read from ``forward``'s signature.

    ``name`` is the op's name on its nodes and in pictures (default: ``forward.__name__``; a
    lambda's is ``'<lambda>'``, not an identifier, so a lambda needs ``name=``).
    It must not be a built-in op's name: the create_graph pass would take the built-in rule.
    """
    if not callable(forward) or not callable(derivative):
        raise TypeError("custom_op: forward and derivative must be functions")
    given = name is not None
    name = name if given else getattr(forward, "__name__", "custom")
    whence = "" if given else " (the forward rule's __name__: pass name='...')"
    if not isinstance(name, str) or not name.isidentifier():
        raise ValueError(f"custom_op: name must be an identifier such as 'cube', got {name!r}{whence}")
    if name in ops.LOCAL_GRAD_RULES or name in BUILT_IN_NAMES:
        raise ValueError(f"custom_op: {name!r} is the name of a built-in op; choose another{whence}")
    return CustomOp(forward, derivative, name, arity_of(forward, "custom_op"))


BUILT_IN_NAMES = frozenset(ops.OPS)  # every op of ops.py, with a derivative rule or not


def arity_of(forward: Callable[..., Any], where: str) -> int:
    """How many inputs ``forward`` takes: its positional parameters without defaults (at least 1)."""
    try:
        parameters = inspect.signature(forward).parameters.values()
    except (TypeError, ValueError):  # some builtins have no signature: take them as one input
        return 1
    kinds = (inspect.Parameter.POSITIONAL_ONLY, inspect.Parameter.POSITIONAL_OR_KEYWORD)
    count = sum(1 for p in parameters if p.kind in kinds and p.default is inspect.Parameter.empty)
    if count < 1:
        raise ValueError(f"{where}: the forward rule must take at least one input")
    return count
