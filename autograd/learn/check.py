"""``check_op`` and ``check_backward``: grade a learner's derivative, and name the mistake.

``check_op(forward, derivative, domain=(lo, hi))`` tries the derivative at many points of the
domain and at large |x| against central differences of ``forward``, then uses it as an op
(``custom_op``) in small graphs: with upstream gradients other than 1, used twice in one
graph, and chained with itself. ``check_backward`` does the same for a micrograd-style backward
function, one that adds into its inputs' grads. Both return a ``Report``: ``.ok``, the checks
with how many points passed, and the mistakes recognised (see ``diagnose.py``); ``str()`` of
it is the text a learner reads.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from autograd import ops
from autograd.custom_op import BUILT_IN_NAMES, arity_of, custom_op
from autograd.learn.diagnose import BLANK
from autograd.learn.grade import as_numbers, grade
from autograd.learn.in_graph import graph_checks
from autograd.learn.micrograd_style import BackwardRunner
from autograd.learn.points import Point, as_domain
from autograd.learn.report import Check, Report

__all__ = ["Check", "Report", "check_backward", "check_op"]


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
    ``domain`` is ``(lo, hi)`` for all inputs or one ``(lo, hi)`` per input; ``points`` points
    are tried there (seeded by ``seed``), and more at |x| = 100 and 1000 where forward is finite.
    """
    _check_arguments("check_op", forward, derivative, points, seed)
    arity = arity_of(forward, "check_op")
    name = name or str(getattr(forward, "__name__", "op"))
    op = custom_op(forward, derivative, name=_safe_name(name))

    def local(point: Point, out: float) -> tuple[float | None, ...]:
        return as_numbers(derivative(*point, out), arity)

    report = grade(f"check_op({name})", forward, local, as_domain(domain, arity, "check_op"), points, seed)
    mistakes = report.mistakes
    if mistakes == (BLANK,):  # nothing to build graphs with
        return Report(report.name, report.checks, mistakes)
    in_graphs = graph_checks(op, forward, report.sample_points, arity)
    if not mistakes and not all(c.ok for c in in_graphs):
        mistakes = ("right point by point, but wrong inside a graph (does it return a number?).",)
    return Report(report.name, report.checks + in_graphs, mistakes)


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
    derivative itself (as in ``check_op``) this recognises "forgot to multiply by the upstream
    gradient" and "``=`` instead of ``+=``".
    """
    _check_arguments("check_backward", forward, backward, points, seed)
    arity = arity_of(forward, "check_backward")
    name = name or getattr(backward, "__name__", "backward")
    runner = BackwardRunner(backward, arity)
    report = grade(
        f"check_backward({name})",
        forward,
        runner.local,
        as_domain(domain, arity, "check_backward"),
        points,
        seed,
    )
    extra_checks, extra_mistakes = runner.usage_checks(forward, report.sample_points)
    mistakes = extra_mistakes + report.mistakes
    if runner.returned_a_number:
        mistakes = (
            "your backward returns the derivative instead of adding it into the inputs' grads "
            "(write x.grad += local_derivative * out.grad; a micrograd backward returns nothing).",
        )
    elif not runner.changed_a_grad:
        mistakes = ("your backward leaves every grad at 0: nothing to check (is it still blank?).",)
    return Report(report.name, report.checks + extra_checks, mistakes)


def _check_arguments(where: str, forward: object, rule: object, points: object, seed: object) -> None:
    """TypeError / ValueError naming the function for arguments it cannot work with."""
    if not callable(forward) or not callable(rule):
        raise TypeError(f"{where}: the forward rule and the derivative must be functions")
    if isinstance(points, bool) or not isinstance(points, int) or points < 4:
        raise ValueError(f"{where}: points must be an int >= 4, got {points!r}")
    if isinstance(seed, bool) or not isinstance(seed, int):
        raise TypeError(f"{where}: seed must be an int, got {type(seed).__name__}")


def _safe_name(name: str) -> str:
    """A name custom_op accepts: an identifier that no built-in op has (``my_tanh`` for ``tanh``)."""
    cleaned = "".join(c if c.isalnum() or c == "_" else "_" for c in name) or "op"
    taken = cleaned in ops.LOCAL_GRAD_RULES or cleaned in BUILT_IN_NAMES
    return f"my_{cleaned}" if taken or not cleaned.isidentifier() else cleaned
