"""``Value``: one float, and the node of the computation graph that produced it.

A node holds four things about where it came from:

    op           the operation's name, '' for a leaf (an input or a parameter)
    inputs       the Values it was computed from, in order (a tuple; ``a + a`` lists ``a`` twice)
    local_grads  for each input, the local derivative d(this)/d(input), as a number
    label        a name for pictures and reprs, chosen by the user

and one thing the backward pass fills in: ``grad``, d(root)/d(this).

Nothing on a node refers back to the node itself, so a graph is freed by reference
counting the moment the last name for its root goes away. The one exception is
``backward(create_graph=True)``: then each leaf's ``grad`` is a Value whose graph usually
contains the leaf itself (d(x*x)/dx = 2x refers to x), a reference cycle. It is freed as
soon as the grads are reset (``zero_grad()``, or ``x.grad = 0.0``), else by Python's cycle
collector.

The arithmetic methods are the ops of ``autograd/ops.py`` (attached from its registry,
``ops.OPS``), where each operation's forward rule and its local derivatives live side by side.
The backward pass is in ``autograd/backward.py``.
"""

from __future__ import annotations

import numbers
from collections.abc import Iterator
from typing import TYPE_CHECKING, Union

if TYPE_CHECKING:
    from autograd.steps import BackwardStep, Explanation

Number = Union[int, float]
Operand = Union["Value", int, float]


def to_float(x: object, where: str) -> float:
    """Return ``x`` as a float, or raise ``TypeError`` naming ``where`` and the type of ``x``.

    Accepted: float, int, bool and every ``numbers.Real`` (Fraction, numpy scalars), and
    numpy's bool (not registered as a number, but a bool like Python's). An int too large for
    a float (beyond about 1.8e308) is an ``OverflowError`` naming ``where``.
    """
    if type(x) is float:
        return x
    if isinstance(x, numbers.Real) or _is_numpy_bool(x):
        try:
            return float(x)  # type: ignore[arg-type]
        except OverflowError:
            too_large = f"{type(x).__name__} too large for a float (beyond 1.8e308)"
            raise OverflowError(f"{where}: {too_large}") from None
    if isinstance(x, Value):
        raise TypeError(f"{where}: expected a real number, got a Value (use its .data, or .detach())")
    raise TypeError(f"{where}: expected a real number, got {type(x).__name__} {clip(repr(x))}")


def _is_numpy_bool(x: object) -> bool:
    kind = type(x)
    return kind.__module__ == "numpy" and kind.__name__ in ("bool", "bool_")


def clip(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[: limit - 3] + "..."


def fmt(x: object, digits: int = 4) -> str:
    """A number for a person to read, in ``digits`` significant digits, that still reads as a
    float: 2.0, 0.7311, 1e-08 (``fmt(1/3, 8)`` is 0.33333333).

    The one formatter of numbers in prose: the repr, every printed trace and step, the quiz and
    the rule lab's messages. (A picture's boxes use ``see.dot_text.box_number``, fixed decimals
    in a fixed width; the live pages send numbers as JSON with ``see.page.json_number``.)
    """
    if not isinstance(x, float):
        return repr(x)
    text = f"{x:.{digits}g}"
    return text if any(c in text for c in ".eni") else text + ".0"


class Value:
    """A scalar that remembers how it was computed, so gradients can flow back through it.

    >>> a = Value(2.0, label='a'); b = Value(-3.0, label='b')
    >>> c = a * b + a            # c = ab + a
    >>> c.backward()             # dc/da = b + 1 = -2, dc/db = a = 2
    >>> a.grad, b.grad
    (-2.0, 2.0)
    """

    __slots__ = ("data", "grad", "label", "op", "inputs", "local_grads", "__weakref__")

    data: float
    grad: float
    label: str
    op: str
    inputs: tuple[Value, ...]
    local_grads: tuple[float, ...]

    def __init__(
        self,
        data: object,
        label: str = "",
        op: str = "",
        inputs: tuple[Value, ...] = (),
        local_grads: tuple[float, ...] = (),
    ) -> None:
        # Users pass data and label; the ops in ops.py pass the rest (positionally: that is
        # twice as fast as keywords here, and every op builds a node).
        self.data = data if type(data) is float else to_float(data, "Value")
        if type(label) is not str:  # e.g. micrograd's Value(data, _children, _op) signature
            raise TypeError(
                f"Value: label must be a str, got {type(label).__name__}; the signature here is "
                "Value(data, label=''), and ops build their nodes themselves"
            )
        self.grad = 0.0
        self.label = label
        self.op = op
        self.inputs = inputs
        self.local_grads = local_grads

    # -- reading a node ------------------------------------------------------------------

    def __repr__(self) -> str:
        text = f"Value(data={fmt(self.data)}, grad={fmt(self.grad)}"
        if self.op:
            text += f", op={self.op!r}"
        if self.label:
            text += f", label={self.label!r}"
        return text + ")"

    def __float__(self) -> float:
        return self.data

    def item(self) -> float:
        """The number held, as in ``torch.Tensor.item()``."""
        return self.data

    @property
    def is_leaf(self) -> bool:
        """True for inputs and parameters: nodes not computed from other Values."""
        return not self.inputs

    @property
    def _prev(self) -> tuple[Value, ...]:
        """micrograd's name for ``inputs`` (read-only), so lecture drawing code keeps working."""
        return self.inputs

    @property
    def _op(self) -> str:
        """micrograd's name for ``op`` (read-only)."""
        return self.op

    # -- arithmetic and functions: the ops of ops.py, attached from its registry at the end ------

    if TYPE_CHECKING:  # what they are, for type checkers and readers: a * b is ops.mul(a, b)

        def __add__(self, other: Operand) -> Value: ...
        def __radd__(self, other: Operand) -> Value: ...
        def __sub__(self, other: Operand) -> Value: ...
        def __rsub__(self, other: Operand) -> Value: ...
        def __mul__(self, other: Operand) -> Value: ...
        def __rmul__(self, other: Operand) -> Value: ...
        def __truediv__(self, other: Operand) -> Value: ...
        def __rtruediv__(self, other: Operand) -> Value: ...
        def __pow__(self, other: Operand) -> Value: ...
        def __rpow__(self, other: Operand) -> Value: ...
        def __neg__(self) -> Value: ...
        def __abs__(self) -> Value: ...
        def abs(self) -> Value: ...
        def exp(self) -> Value: ...
        def log(self) -> Value: ...
        def sqrt(self) -> Value: ...
        def tanh(self) -> Value: ...
        def sigmoid(self) -> Value: ...
        def softplus(self) -> Value: ...
        def gelu(self) -> Value: ...
        def silu(self) -> Value: ...
        def relu(self) -> Value: ...
        def leaky_relu(self, negative_slope: float = 0.01) -> Value: ...
        def sin(self) -> Value: ...
        def cos(self) -> Value: ...
        def tan(self) -> Value: ...
        def atan(self) -> Value: ...

    def __pos__(self) -> Value:
        return self

    # -- comparisons look at data and return bool; == stays identity, so Values hash ---------

    def __lt__(self, other: Operand) -> bool:
        return _compared(self, "<", other, self.data < _operand_number(other, "<"))

    def __le__(self, other: Operand) -> bool:
        return _compared(self, "<=", other, self.data <= _operand_number(other, "<="))

    def __gt__(self, other: Operand) -> bool:
        return _compared(self, ">", other, self.data > _operand_number(other, ">"))

    def __ge__(self, other: Operand) -> bool:
        return _compared(self, ">=", other, self.data >= _operand_number(other, ">="))

    __hash__ = object.__hash__

    def detach(self) -> Value:
        """A new leaf with the same number and no history: gradients stop here."""
        return Value(self.data, self.label)

    # -- the backward pass ---------------------------------------------------------------------

    def backward(self, grad: float = 1.0, create_graph: bool = False) -> None:
        """Fill in ``.grad`` = d(self)/d(node) on every node this Value was computed from.

        Semantics are PyTorch's: interior nodes' grads are recomputed by each call, while
        leaves (inputs and parameters) *accumulate*, so calling ``backward()`` twice doubles
        every leaf's grad. Call ``zero_grad()`` on a model (or set ``p.grad = 0.0``) between
        steps.

        ``grad`` is d(something)/d(self), 1.0 when self is the loss: a number, or with
        ``create_graph=True`` also a Value. With ``create_graph=True`` the grads are
        themselves Values with a graph of their own, so they can be differentiated again
        (second derivatives). Those graphs hold the leaves, a reference cycle until the grads
        are reset (see the module docstring), and they were built from the numbers ``.data``
        held at this call: changing a leaf's ``.data`` afterwards does not update them (there
        is no version counter as in PyTorch), so run forward and backward again instead.

        If the pass is interrupted (Ctrl-C), the leaves keep the part of this pass's gradients
        added so far; the exception carries a note saying so. Call ``zero_grad()`` before the
        next ``backward()``.
        """
        backward_pass.backward(self, grad, create_graph)

    def _backward(self) -> None:
        """One chain-rule step at this node: each input's grad += local derivative * self.grad.

        This is micrograd's per-node ``_backward()``, for calling by hand as the lecture does
        (``o.grad = 1.0; o._backward(); n._backward()``). On a leaf it does nothing.
        """
        backward_pass.chain_rule_step(self)

    def backward_steps(self, grad: float = 1.0) -> Iterator[BackwardStep]:
        """``backward()`` one node at a time: yields each chain-rule step (see autograd/steps.py)."""
        from autograd.steps import backward_steps

        return backward_steps(self, grad)

    def explain(self, root: Value, max_paths: int = 20) -> Explanation:
        """d(root)/d(self) as a sum over paths of products of local derivatives (autograd/steps.py)."""
        from autograd.steps import explain

        return explain(self, root, max_paths)


def _compared(value: Value, op: str, other: object, result: bool) -> bool:
    """``result``; under ``autograd.trace`` also noted, as a branch the traced path took."""
    noted = traced_comparisons.get()
    if noted is not None:
        noted.append((value, op, other, result))
    return result


def _operand_number(other: object, op: str) -> float:
    """The number a comparison compares ``other`` as: its ``.data``, or ``other`` as a float."""
    if isinstance(other, Value):
        return other.data
    return to_float(other, op)


# Imported last: ops and backward_pass build and walk Values, so Value must exist first.
from autograd import backward as backward_pass  # noqa: E402
from autograd import ops  # noqa: E402, F401  (ops.py, at its end, attaches Value's arithmetic)
from autograd.grad_mode import traced_comparisons  # noqa: E402
