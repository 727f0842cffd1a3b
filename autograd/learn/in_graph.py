"""The learner's op inside small graphs: upstream gradients other than 1, used twice, chained.

Each case is a graph built with the op (made by ``custom_op``) and the function it computes;
``backward`` through the graph must give, for every leaf, the central difference of that function.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from autograd.learn.diagnose import close, point_text
from autograd.learn.points import Point, central_difference, names_for
from autograd.learn.report import Check
from autograd.value import Value, fmt


def graph_checks(
    op: Any, forward: Callable[..., float], points: Sequence[Point], arity: int
) -> tuple[Check, ...]:
    """The op with upstream gradients 2.5 and -0.5, used twice in one graph, chained with itself."""

    def upstream(u: float) -> tuple[Callable[..., float], Callable[..., Value], float]:
        return (lambda *p: u * forward(*p)), (lambda *xs: op(*xs)), u

    def twice(*p: float) -> float:
        return forward(*p) + forward(*p)

    def chained(*p: float) -> float:
        return forward(forward(*p), *p[1:])

    cases = [
        ("with upstream gradient 2.5", *upstream(2.5)),
        ("with upstream gradient -0.5", *upstream(-0.5)),
        ("used twice in one graph, f(x) + f(x)", twice, lambda *xs: op(*xs) + op(*xs), 1.0),
        ("chained with itself, f(f(x))", chained, lambda *xs: op(op(*xs), *xs[1:]), 1.0),
    ]
    names = names_for(arity, forward)
    return tuple(_graph_check(title, f, build, u, points, names) for title, f, build, u in cases)


def _graph_check(
    title: str,
    f: Callable[..., float],
    build: Callable[..., Value],
    upstream: float,
    points: Sequence[Point],
    names: Sequence[str],
) -> Check:
    """Build the graph at each point, run backward(upstream), compare each leaf's grad with f'."""
    right = total = 0
    example = ""
    for point in points:
        truths = [central_difference(f, point, i) for i in range(len(point))]
        if any(t is None for t in truths):
            continue
        total += 1
        leaves = [Value(v, label=n) for v, n in zip(point, names)]
        try:
            build(*leaves).backward(upstream)
            grads = [leaf.grad for leaf in leaves]
        except Exception as err:  # the learner's derivative ran inside the graph
            grads, example = [], example or f"at {point_text(point, names)}: {type(err).__name__}: {err}"
        if grads and all(close(g, t[0], t[1]) for g, t in zip(grads, truths) if t is not None):
            right += 1
        elif grads and not example:
            got = ", ".join(fmt(g) for g in grads)
            want = ", ".join(fmt(t[0]) for t in truths if t is not None)
            example = f"at {point_text(point, names)}: grads {got}, true {want}"
    return Check(title, right, total, example)
