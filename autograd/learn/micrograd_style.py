"""Running a learner's micrograd-style ``backward(*inputs, out)``, one that adds into the inputs' grads.

``BackwardRunner.local`` reads the learner's local derivatives (upstream 1, grads starting at 0)
for the point-by-point grading; it also notes what else a call changed (``out.grad``, an input's
``.data``) and whether it returned something. ``usage`` then tries upstream 2.5, and grads that
already hold 1.0 and 2.0, one input at a time, and recognises:

    forgot_upstream   the same added at out.grad = 2.5 as at out.grad = 1
    assigned          ``=`` for ``+=``: what the grad held is lost (for every input, or named)
    multiplied_grad   ``*=`` for ``+=``: the grad is scaled, so from 0 it stays 0 (or what is
                      added depends on what the grad held)
    grad_for_data     one input's rule reads another's .grad (``b.grad`` for ``b.data``)
    wrote_out_grad    out.grad changed;   changed_data: an input's .data changed

``idle_reason`` names why a backward that adds nothing anywhere does so (only "blank" when it
changes nothing at all and returns nothing).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from autograd.learn.answers import Answer, read_number
from autograd.learn.diagnose import close
from autograd.learn.points import Point, evaluate
from autograd.learn.report import Check, Mistake
from autograd.value import Value

UPSTREAM = 2.5


@dataclass(frozen=True)
class Run:
    """One call of the learner's backward: each input's grad after it (the runner notes what else changed)."""

    grads: tuple[float | None, ...]  # None where a grad is not a number
    problems: tuple[str, ...]  # what each grad is instead of a number, or ""


class BackwardRunner:
    """Runs a learner's ``backward(*inputs, out)`` on fresh Values, to read what it added."""

    def __init__(self, backward: Callable[..., Any], arity: int, names: Sequence[str]) -> None:
        self.backward = backward
        self.arity = arity
        self.names = tuple(names)
        self.added = False  # set once any call changes an input's grad
        self.wrote_out = False
        self.changed_data = False
        self.returned: object = None  # the first thing a call returned, if anything

    def run(self, point: Point, out: float, upstream: float, start: Sequence[float]) -> Run:
        """One call, the inputs' grads holding ``start`` and out.grad = upstream."""
        inputs = [Value(v) for v in point]
        for v, g in zip(inputs, start):
            v.grad = g
        node = Value(out)
        node.grad = upstream
        returned = self.backward(*inputs, node)
        read = [read_number(v.grad) for v in inputs]
        wrote_out = not (isinstance(node.grad, float) and node.grad == upstream)
        changed_data = any(not (isinstance(v.data, float) and v.data == p) for v, p in zip(inputs, point))
        self.wrote_out = self.wrote_out or wrote_out
        self.changed_data = self.changed_data or changed_data
        if returned is not None and self.returned is None:
            self.returned = returned
        problems = tuple(f"{p} (in {n}.grad)" if p else "" for n, (_, p) in zip(self.names, read))
        return Run(tuple(v for v, _ in read), problems)

    def local(self, point: Point, out: float) -> Answer:
        """What the learner adds at upstream 1 onto a zero grad: their local derivatives."""
        run = self.run(point, out, 1.0, [0.0] * self.arity)
        if any(g is None or g != 0.0 for g in run.grads):
            self.added = True
        return Answer(run.grads, run.problems)

    def idle_reason(self, forward: Callable[..., float], points: Sequence[Point]) -> Mistake:
        """Why a backward that added nothing onto zero grads did so, as one mistake."""
        reads = self._reads_grads(forward, points)
        if self.wrote_out:
            return Mistake(
                "wrote_out_grad",
                "your backward writes into out.grad and adds nothing to the inputs' grads: out.grad is "
                "what arrives from above; write x.grad += local_derivative * out.grad.",
            )
        if self.changed_data:
            return Mistake(
                "changed_data",
                "your backward changes an input's .data (its value) and adds nothing to its .grad: "
                "write x.grad += local_derivative * out.grad, and leave x.data alone.",
            )
        if reads:
            return Mistake(*reads)
        if self.returned is not None:
            return Mistake(
                "returned_not_added",
                "your backward returns the derivative instead of adding it into the inputs' grads "
                "(write x.grad += local_derivative * out.grad; a micrograd backward returns nothing).",
            )
        return Mistake(
            "blank",
            "your backward changes nothing and returns nothing: nothing to check (is it still blank?).",
        )

    def _reads_grads(self, forward: Callable[..., float], points: Sequence[Point]) -> tuple[str, str] | None:
        """(kind, sentence) when what is added depends on the grads held before (from 1.0 and 2.0).

        Every point is tried until one shows it: a rule may read a grad on one side only (relu's
        ``x.grad *= (out.data > 0) * out.grad``), or in a narrow part of the domain.
        """
        for point in points:
            out = evaluate(forward, point)
            if out is None:
                continue
            try:
                zero = self.run(point, out, UPSTREAM, [0.0] * self.arity)
                for j in range(self.arity):
                    one = self.run(point, out, UPSTREAM, _only(j, 1.0, self.arity))
                    two = self.run(point, out, UPSTREAM, _only(j, 2.0, self.arity))
                    found = self._reading(j, zero, one, two)
                    if found:
                        return found
            except Exception:
                continue
        return None

    def _reading(self, j: int, zero: Run, one: Run, two: Run) -> tuple[str, str] | None:
        """What grads holding 1.0 and 2.0 at input j show: ``*=``, or another input reading j.grad."""
        if any(g is None for g in zero.grads + one.grads + two.grads):
            return None
        z, a, b = (_grads_or_zero(r) for r in (zero, one, two))
        others = [i for i in range(self.arity) if i != j and not close(a[i], z[i], 1e-9)]
        n, m = self.names[others[0]] if others else self.names[j], self.names[j]
        if others:
            return "grad_for_data", (
                f"the rule for {n}.grad reads {m}.grad where a value is needed ({m}.grad for {m}.data?): "
                f"what it adds to {n}.grad changes with what {m}.grad held before."
            )
        if close(a[j] - 1.0, z[j], 1e-9) or close(a[j], z[j], 1e-9):
            return None  # += (adds the same), or = (a separate mistake: the start is lost)
        if close(z[j], 0.0, 1e-12) and close(b[j], 2.0 * a[j], 1e-9):
            return "multiplied_grad", (
                f"`*=` where `+=` is needed: {m}.grad starts at 0, and 0 × anything stays 0 "
                f"(write {m}.grad += local_derivative * out.grad)."
            )
        return "multiplied_grad", (
            f"what your backward leaves in {m}.grad depends on what {m}.grad held, other than by adding "
            f"to it (a `*=` after the `+=`, or {m}.grad inside the formula?): write "
            f"{m}.grad += local_derivative * out.grad."
        )

    def usage(
        self, forward: Callable[..., float], points: Sequence[Point]
    ) -> tuple[tuple[Check, ...], tuple[Mistake, ...]]:
        """Upstream 2.5, and grads that already hold something (a node used twice)."""
        scaled = accumulated = total = forgot = 0
        lost = [0] * self.arity  # points where input i's grad lost what it held (= for +=)
        reading: tuple[str, str] | None = None
        for point in points:
            out = evaluate(forward, point)
            if out is None:
                continue
            try:
                at_one = self.run(point, out, 1.0, [0.0] * self.arity)
                at_u = self.run(point, out, UPSTREAM, [0.0] * self.arity)
                on_top = self.run(point, out, UPSTREAM, [1.0] * self.arity)
            except Exception:
                continue
            if any(g is None for g in at_one.grads + at_u.grads + on_top.grads):
                continue
            a, u, t = _grads_or_zero(at_one), _grads_or_zero(at_u), _grads_or_zero(on_top)
            if all(g == 0.0 for g in a):  # adds nothing here: nothing to learn from it
                continue
            if not all(math.isfinite(g) for g in a + u + t):  # inf + 1.0 = inf: = and += look alike
                continue
            total += 1
            scaled += all(close(y, UPSTREAM * x, 1e-9) for x, y in zip(a, u))
            accumulated += all(close(z, 1.0 + y, 1e-9) for y, z in zip(u, t))
            if any(abs(x) > 1e-6 for x in a) and all(close(x, y, 1e-9) for x, y in zip(a, u)):
                forgot += 1
            for i, (y, z) in enumerate(zip(u, t)):
                lost[i] += close(y, z, 1e-9)
            unexplained = [
                i
                for i, (y, z) in enumerate(zip(u, t))
                if not close(z, 1.0 + y, 1e-9) and not close(y, z, 1e-9)
            ]
            if unexplained and reading is None:
                reading = self._reads_grads(forward, [point])
        checks: tuple[Check, ...] = (
            Check(f"multiplies by the upstream gradient out.grad = {UPSTREAM}", scaled, total),
            Check("adds to a grad that already holds 1.0 (a node used twice)", accumulated, total),
        )
        mistakes = []
        if reading:
            mistakes.append(Mistake(*reading))
        if forgot and forgot >= total // 2:
            mistakes.append(
                Mistake(
                    "forgot_upstream",
                    "forgot to multiply by the upstream gradient: with out.grad = 2.5 yours adds the same "
                    "as with out.grad = 1 (write x.grad += local_derivative * out.grad).",
                )
            )
        assigned = [self.names[i] for i in range(self.arity) if total and lost[i] == total]
        if assigned and len(assigned) == self.arity:
            mistakes.append(
                Mistake(
                    "assigned",
                    "`=` where `+=` is needed: the 1.0 that x.grad already held is lost, so a node used "
                    "twice (x * x, or x feeding two nodes) keeps only the last share.",
                )
            )
        elif assigned:
            grads = " and ".join(f"{n}.grad" for n in assigned)
            mistakes.append(
                Mistake(
                    "assigned",
                    f"`=` where `+=` is needed for {grads}: the 1.0 {'each' if len(assigned) > 1 else 'it'} "
                    "already held is lost, so an input used twice keeps only the last share.",
                )
            )
        if self.wrote_out:
            mistakes.append(
                Mistake(
                    "wrote_out_grad",
                    "your backward changes out.grad: leave it as it is (it is the upstream gradient).",
                )
            )
        if self.changed_data:
            mistakes.append(
                Mistake(
                    "changed_data", "your backward changes an input's .data: a backward only adds into .grad."
                )
            )
        return (checks if total else ()), tuple(mistakes)


def _only(j: int, value: float, arity: int) -> list[float]:
    return [value if i == j else 0.0 for i in range(arity)]


def _grads_or_zero(run: Run) -> tuple[float, ...]:
    return tuple(g if g is not None else 0.0 for g in run.grads)
