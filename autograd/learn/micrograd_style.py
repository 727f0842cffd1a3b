"""Running a learner's micrograd-style ``backward(*inputs, out)``, one that adds into the inputs' grads.

``BackwardRunner.local`` reads the learner's local derivatives (upstream 1, grads starting at 0)
for the point-by-point grading; ``usage_checks`` then tries upstream 2.5 and grads that already
hold 1.0, and recognises "forgot to multiply by the upstream gradient" and "``=`` instead of
``+=``".
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from autograd.learn.diagnose import close
from autograd.learn.points import Point, evaluate
from autograd.learn.report import Check
from autograd.value import Value


class BackwardRunner:
    """Runs a learner's ``backward(*inputs, out)`` on fresh Values, to read what it added."""

    def __init__(self, backward: Callable[..., Any], arity: int) -> None:
        self.backward = backward
        self.arity = arity
        self.changed_a_grad = False  # set once any call adds something nonzero
        self.returned_a_number = False  # set when a call returns a number and adds nothing

    def run(self, point: Point, out: float, upstream: float, start: float) -> tuple[float, ...]:
        """Each input's grad after one call, the inputs holding ``start`` and out.grad = upstream."""
        inputs = [Value(v) for v in point]
        for v in inputs:
            v.grad = start
        node = Value(out)
        node.grad = upstream
        self.backward(*inputs, node)
        return tuple(v.grad for v in inputs)

    def local(self, point: Point, out: float) -> tuple[float | None, ...]:
        """What the learner adds at upstream 1 onto a zero grad: their local derivatives."""
        inputs = [Value(v) for v in point]
        node = Value(out)
        node.grad = 1.0
        result = self.backward(*inputs, node)
        if all(v.grad == 0.0 for v in inputs) and isinstance(result, (int, float, tuple, list)):
            self.returned_a_number = True
            raise TypeError("it returned a number and left the grads unchanged")
        self.changed_a_grad = self.changed_a_grad or any(v.grad != 0.0 for v in inputs)
        return tuple(v.grad for v in inputs)

    def usage_checks(
        self, forward: Callable[..., float], points: Sequence[Point]
    ) -> tuple[tuple[Check, ...], tuple[str, ...]]:
        """Upstream 2.5, and a node used twice (grads that already hold something)."""
        scaled = accumulated = total = 0
        forgot = assigned = 0
        for point in points:
            out = evaluate(forward, point)
            if out is None:
                continue
            try:
                at_one = self.run(point, out, 1.0, 0.0)
                at_u = self.run(point, out, 2.5, 0.0)
                on_top = self.run(point, out, 2.5, 1.0)
            except Exception:  # reported by the derivative checks already
                continue
            if all(a == 0.0 for a in at_one):  # adds nothing here: nothing to learn from it
                continue
            total += 1
            scaled += all(close(b, 2.5 * a, 1e-9) for a, b in zip(at_one, at_u))
            accumulated += all(close(c, 1.0 + b, 1e-9) for b, c in zip(at_u, on_top))
            if any(abs(a) > 1e-6 for a in at_one) and all(close(a, b, 1e-9) for a, b in zip(at_one, at_u)):
                forgot += 1
            if all(close(b, c, 1e-9) for b, c in zip(at_u, on_top)):
                assigned += 1
        checks: tuple[Check, ...] = (
            Check("multiplies by the upstream gradient out.grad = 2.5", scaled, total),
            Check("adds to a grad that already holds 1.0 (a node used twice)", accumulated, total),
        )
        checks = checks if total else ()
        mistakes = []
        if forgot and forgot >= total // 2:
            mistakes.append(
                "forgot to multiply by the upstream gradient: with out.grad = 2.5 yours adds the same "
                "as with out.grad = 1 (write x.grad += local_derivative * out.grad)."
            )
        if assigned and assigned == total:
            mistakes.append(
                "`=` where `+=` is needed: the 1.0 that x.grad already held is lost, so a node used "
                "twice (x * x, or x feeding two nodes) keeps only the last share."
            )
        return checks, tuple(mistakes)
