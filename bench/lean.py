"""The lean baseline: a four-slot scalar engine, written for the benchmark and nothing else.

This is the design of the smallest scalar engines in circulation (micrograd's successors that
train a GPT on scalars): a node is four slots, its number, its grad, the nodes it was made
from and the local derivative with respect to each, and nothing more: no label, no op name,
no checks on its input, no grad modes, no errors that name anything. chainrule's ``Value``
does the same arithmetic with all of those; ``bench/vs_lean.py`` times the two on the same
code (``bench/gpt.py``) in the same process.

It is not part of chainrule and nothing imports it but the benchmark and its tests.
"""

from __future__ import annotations

import math
from typing import Union

Operand = Union["LeanValue", float, int]


class LeanValue:
    """One float and how it was made: data, grad, children, and d(self)/d(child) for each."""

    __slots__ = ("data", "grad", "_children", "_local_grads")

    def __init__(self, data: float, children: tuple[LeanValue, ...] = (),
                 local_grads: tuple[float, ...] = ()) -> None:  # fmt: skip
        self.data = data
        self.grad = 0.0
        self._children = children
        self._local_grads = local_grads

    def __add__(self, other: Operand) -> LeanValue:
        other = other if isinstance(other, LeanValue) else LeanValue(other)
        return LeanValue(self.data + other.data, (self, other), (1.0, 1.0))  # d/da = 1, d/db = 1

    def __mul__(self, other: Operand) -> LeanValue:
        other = other if isinstance(other, LeanValue) else LeanValue(other)
        return LeanValue(self.data * other.data, (self, other), (other.data, self.data))  # b, a

    def __pow__(self, n: float) -> LeanValue:
        """self ** n for a number n: d/dself = n * self**(n-1)."""
        return LeanValue(self.data**n, (self,), (n * self.data ** (n - 1),))

    def log(self) -> LeanValue:
        return LeanValue(math.log(self.data), (self,), (1.0 / self.data,))  # d/da = 1/a

    def exp(self) -> LeanValue:
        out = math.exp(self.data)
        return LeanValue(out, (self,), (out,))  # d/da = e**a

    def relu(self) -> LeanValue:
        return LeanValue(max(0.0, self.data), (self,), (float(self.data > 0),))  # 1 where a > 0

    # the rest are written with the six above, as such engines write them
    def __neg__(self) -> LeanValue:
        return self * -1.0

    def __radd__(self, other: Operand) -> LeanValue:
        return self + other

    def __sub__(self, other: Operand) -> LeanValue:
        return self + (-other)

    def __rsub__(self, other: Operand) -> LeanValue:
        return other + (-self)

    def __rmul__(self, other: Operand) -> LeanValue:
        return self * other

    def __truediv__(self, other: Operand) -> LeanValue:
        return self * other**-1.0

    def __rtruediv__(self, other: Operand) -> LeanValue:
        return other * self**-1.0

    def backward(self) -> None:
        """Fill in every node's grad, with the recursive topological sort such engines use."""
        order: list[LeanValue] = []
        visited: set[LeanValue] = set()

        def build(v: LeanValue) -> None:
            if v not in visited:
                visited.add(v)
                for child in v._children:
                    build(child)
                order.append(v)

        build(self)
        self.grad = 1.0
        for v in reversed(order):
            for child, local_grad in zip(v._children, v._local_grads):
                child.grad += local_grad * v.grad

    def backward_iterative(self) -> None:
        """The same pass with the sort done on an explicit stack, for graphs deeper than the
        recursion limit (the million-op chain)."""
        order: list[LeanValue] = []
        visited: set[LeanValue] = set()
        stack: list[tuple[LeanValue, bool]] = [(self, False)]
        while stack:
            v, expanded = stack.pop()
            if expanded:
                order.append(v)
            elif v not in visited:
                visited.add(v)
                stack.append((v, True))
                for child in v._children:
                    if child not in visited:
                        stack.append((child, False))
        self.grad = 1.0
        for v in reversed(order):
            for child, local_grad in zip(v._children, v._local_grads):
                child.grad += local_grad * v.grad
