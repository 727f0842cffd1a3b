"""``check_op`` and ``check_backward``: grade a learner's derivative, and name the mistake.

``check_op(forward, derivative, domain=(lo, hi))`` tries the derivative at many points of the
domain and at large |x| against central differences of ``forward``, then uses it as an op
(``custom_op``) in small graphs: with upstream gradients other than 1, used twice in one
graph, and chained with itself. ``check_backward`` does the same for a micrograd-style backward
function, one that adds into its inputs' grads. Both return a ``Report``: ``.ok``, the checks
with how many points passed, the mistakes recognised (``Mistake`` values, each with a ``kind``
from ``MISTAKE_KINDS`` and a ``message``) and notes (an overflow at large |x| only, which does
not fail); ``str()`` of it is the text a learner reads.

Where each part lives: ``answers.py`` reads a result (a number in any form, or what it is
instead), ``grade.py`` compares with central differences (``points.py``) and names the mistakes
of the whole rule and across partials, ``diagnose.py`` those of one partial, ``inner.py`` finds
the inner functions of the forward rule (for "forgot the chain rule"), ``micrograd_style.py``
runs a micrograd backward, ``in_graph.py`` uses the op in graphs, ``report.py`` holds the values.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from typing import Any

from autograd import ops
from autograd.custom_op import BUILT_IN_NAMES, arity_of, custom_op
from autograd.learn.answers import read_answer
from autograd.learn.grade import Graded, grade
from autograd.learn.in_graph import graph_checks
from autograd.learn.micrograd_style import UPSTREAM, BackwardRunner
from autograd.learn.points import Point, as_domain, evaluate, names_for
from autograd.learn.report import MISTAKE_KINDS, Check, Mistake, Report

__all__ = ["MAX_POINTS", "MISTAKE_KINDS", "Check", "Mistake", "Report", "check_backward", "check_op"]

# At most this many points of the domain: each costs a few dozen calls of the learner's code.
MAX_POINTS = 10_000

# Mistakes after which there is no derivative to build graphs with.
_NOTHING_TO_USE = frozenset({"blank", "raised", "count", "not_a_number"})

# The note for a backward that adds nothing to an op whose derivative is 0 wherever it was tried.
_ADDS_NOTHING = (
    "your backward adds nothing to the inputs' grads: right here, since the derivative is 0 at "
    "every point tried."
)


def check_op(
    forward: Callable[..., float],
    derivative: Callable[..., Any],
    domain: object = (-3.0, 3.0),
    name: str | None = None,
    points: int = 32,
    seed: int = 0,
) -> Report:
    """Grade ``derivative`` as the local derivative of ``forward``; return a ``Report``.

    ``forward(x1, ..., xn)`` takes n floats; ``derivative(x1, ..., xn, out)`` is called with
    the same inputs and then the output ``out = forward(x1, ..., xn)``, and returns d(out)/dx1
    for one input or the tuple (d(out)/dx1, ..., d(out)/dxn) for several (as in custom_op).
    A number in any form is read as that number (bool, int, Fraction, Decimal, numpy scalars
    and 0-d arrays). ``domain`` is ``(lo, hi)`` for all inputs or one ``(lo, hi)`` per input;
    ``points`` points (4 to ``MAX_POINTS``) are tried there (seeded by ``seed``), and more at
    |x| = 100 and 1000 where forward is finite.
    """
    _check_arguments("check_op", forward, derivative, points, seed)
    arity = arity_of(forward, "check_op")
    names = names_for(arity, forward)
    name = name or str(getattr(forward, "__name__", "op"))

    def local(point: Point, out: float) -> Any:
        return read_answer(derivative(*point, out), arity, names)

    def as_floats(*args: Any) -> Any:  # the derivative for custom_op: its numbers as floats
        answer = read_answer(derivative(*args), arity, names)
        if answer.count or any(v is None for v in answer.values):
            raise TypeError(f"{name}: the derivative gave {answer.count or answer.problems}")
        return answer.values if arity > 1 else answer.values[0]

    with _quiet():
        graded = grade(
            f"check_op({name})", forward, local, as_domain(domain, arity, "check_op"), points, seed
        )
        mistakes = graded.mistakes
        if mistakes and {m.kind for m in mistakes} <= _NOTHING_TO_USE:
            return Report(graded.name, graded.checks, mistakes, graded.notes)
        op = custom_op(forward, as_floats, name=_safe_name(name))
        in_graphs = graph_checks(op, forward, graded.sample_points, arity)
    if not mistakes and not all(c.ok for c in in_graphs):
        mistakes = (
            Mistake(
                "in_graph",
                "right point by point, but wrong inside a graph (does it depend on something besides "
                "its inputs and out?).",
            ),
        )
    return _named(Report(graded.name, graded.checks + in_graphs, mistakes, graded.notes))


def check_backward(
    forward: Callable[..., float],
    backward: Callable[..., Any],
    domain: object = (-3.0, 3.0),
    name: str | None = None,
    points: int = 32,
    seed: int = 0,
) -> Report:
    """Grade a micrograd-style ``backward``: one that adds into its inputs' grads.

    ``backward(x1, ..., xn, out)`` is called with Values: the inputs (``.data``, ``.grad``)
    and the output ``out`` (``.data`` = forward of the inputs, ``.grad`` = the upstream
    gradient). It must do ``xi.grad += d(out)/dxi * out.grad`` for each input. Besides the
    derivative itself (as in ``check_op``) this recognises the mistakes only this style can
    make: the upstream gradient forgotten, ``=`` or ``*=`` for ``+=``, ``b.grad`` for
    ``b.data``, writing into ``out.grad`` or an input's ``.data``, returning the derivative.
    """
    _check_arguments("check_backward", forward, backward, points, seed)
    arity = arity_of(forward, "check_backward")
    name = name or getattr(backward, "__name__", "backward")
    runner = BackwardRunner(backward, arity, names_for(arity, forward))
    with _quiet():
        graded = grade(
            f"check_backward({name})",
            forward,
            runner.local,
            as_domain(domain, arity, "check_backward"),
            points,
            seed,
        )
        if {m.kind for m in graded.mistakes} == {"raised"} and "every point" in graded.mistakes[0].message:
            return Report(graded.name, graded.checks, graded.mistakes, graded.notes)
        if not runner.added:
            idle = runner.idle_reason(forward, graded.sample_points)
            if idle.kind == "blank" and _right_by_adding_nothing(runner, forward, graded):
                # adding nothing is right where the derivative is 0 (a constant op): not "blank"
                return Report(graded.name, graded.checks, (), (*graded.notes, _ADDS_NOTHING))
            if idle.kind == "blank" and {m.kind for m in graded.mistakes} == {"raised"}:
                # right (0) wherever it ran: what is wrong is that it raised somewhere
                return Report(graded.name, graded.checks, graded.mistakes, graded.notes)
            return Report(graded.name, graded.checks, (idle,), graded.notes)
        extra_checks, extra_mistakes = runner.usage(forward, graded.sample_points)
    mistakes = graded.mistakes
    if any(m.kind == "grad_for_data" for m in extra_mistakes):  # its numbers are not derivatives
        mistakes = tuple(m for m in mistakes if m.kind in _NOTHING_TO_USE)
    return _named(Report(graded.name, graded.checks + extra_checks, extra_mistakes + mistakes, graded.notes))


def _right_by_adding_nothing(runner: BackwardRunner, forward: Callable[..., float], graded: Graded) -> bool:
    """Whether a backward that added nothing onto zero grads is right: the derivative is 0.

    That is so when grading found no mistake (the true d(out)/dx_i is 0 at every point; grade
    names a mistake for every check that fails) and grads that already hold 1.0 keep it
    (1.0 + 0 * out.grad; an ``=`` would lose it).
    """
    if graded.mistakes:
        return False
    for point in graded.sample_points[:8]:
        out = evaluate(forward, point)
        if out is None:
            continue
        try:
            run = runner.run(point, out, UPSTREAM, [1.0] * runner.arity)
        except Exception:  # the learner's code
            return False
        if any(g != 1.0 for g in run.grads):
            return False
    return True


def _named(report: Report) -> Report:
    """A report that fails names a mistake: a failed check that no pattern explains, plainly."""
    failed = [c for c in report.checks if not c.ok]
    if report.mistakes or not failed:
        return report
    check = failed[0]
    example = f"; first wrong {check.example}" if check.example else ""
    text = f"wrong in the check '{check.title}': {check.right} of {check.total} right{example}."
    return replace(report, mistakes=(Mistake("unexplained", text),))


@contextmanager
def _quiet() -> Iterator[None]:
    """The learner's numpy overflow warnings silenced: an overflow is graded (or noted), not printed."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        yield


def _check_arguments(where: str, forward: object, rule: object, points: object, seed: object) -> None:
    """TypeError / ValueError naming the function for arguments it cannot work with."""
    if not callable(forward) or not callable(rule):
        raise TypeError(f"{where}: the forward rule and the derivative must be functions")
    if isinstance(points, bool) or not isinstance(points, int) or points < 4:
        raise ValueError(f"{where}: points must be an int >= 4, got {points!r}")
    if points > MAX_POINTS:
        raise ValueError(f"{where}: points must be at most {MAX_POINTS:,}, got {points:,}")
    if isinstance(seed, bool) or not isinstance(seed, int):
        raise TypeError(f"{where}: seed must be an int, got {type(seed).__name__}")


def _safe_name(name: str) -> str:
    """A name custom_op accepts: an identifier that no built-in op has (``my_tanh`` for ``tanh``)."""
    cleaned = "".join(c if c.isalnum() or c == "_" else "_" for c in name) or "op"
    taken = cleaned in ops.LOCAL_GRAD_RULES or cleaned in BUILT_IN_NAMES
    return f"my_{cleaned}" if taken or not cleaned.isidentifier() else cleaned
