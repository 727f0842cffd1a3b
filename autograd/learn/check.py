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

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from autograd.custom_op import arity_of, custom_op
from autograd.learn.diagnose import BLANK, Sample, Uses, close, diagnose, point_text, sample_text
from autograd.learn.points import (
    Domain,
    Point,
    as_domain,
    central_difference,
    evaluate,
    large_points,
    names_for,
    sample_points,
)
from autograd.value import Value, fmt

# A learner's rule, asked for the local derivatives at a point (given the output there).
LocalRule = Callable[[Point, float], tuple[float | None, ...]]


@dataclass(frozen=True)
class Check:
    """One way of trying the derivative: how many of its cases came out right, and a wrong one."""

    title: str
    right: int
    total: int
    example: str = ""

    @property
    def ok(self) -> bool:
        return self.right == self.total

    def __str__(self) -> str:
        mark = "ok  " if self.ok else "FAIL"
        text = f"  {mark} {self.title}: {self.right}/{self.total} right"
        return text + (f" (first wrong: {self.example})" if self.example else "")


@dataclass(frozen=True)
class Report:
    """What ``check_op`` / ``check_backward`` found: ``ok``, each check, and the mistakes named."""

    name: str
    checks: tuple[Check, ...]
    mistakes: tuple[str, ...]

    @property
    def ok(self) -> bool:
        return not self.mistakes and all(c.ok for c in self.checks)

    def __bool__(self) -> bool:
        return self.ok

    def __str__(self) -> str:
        head = f"{self.name}: " + ("all checks pass" if self.ok else "wrong")
        lines = [head, *(str(c) for c in self.checks)]
        lines += [f"  mistake: {m}" for m in self.mistakes]
        return "\n".join(lines)


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
        return _as_numbers(derivative(*point, out), arity)

    report = _grade(f"check_op({name})", forward, local, as_domain(domain, arity, "check_op"), points, seed)
    mistakes = report.mistakes
    if mistakes == (BLANK,):  # nothing to build graphs with
        return Report(report.name, report.checks, mistakes)
    graph_checks = _graph_checks(op, forward, report.sample_points, arity)
    if not mistakes and not all(c.ok for c in graph_checks):
        mistakes = ("right point by point, but wrong inside a graph (does it return a number?).",)
    return Report(report.name, report.checks + graph_checks, mistakes)


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
    runner = _BackwardRunner(backward, arity)
    report = _grade(
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


@dataclass(frozen=True)
class _Graded:
    name: str
    checks: tuple[Check, ...]
    mistakes: tuple[str, ...]
    sample_points: tuple[Point, ...]  # the regular points where a true derivative exists


def _grade(
    title: str, forward: Callable[..., float], local: LocalRule, domain: Domain, count: int, seed: int
) -> _Graded:
    """Compare ``local`` with central differences on the domain and at large |x|; diagnose."""
    arity = len(domain)
    names = names_for(arity, forward)
    regular = [p for p in sample_points(domain, count, seed) if evaluate(forward, p) is not None]
    if not regular:
        where = title.split("(")[0]
        raise ValueError(f"{where}: the forward rule gives no finite number anywhere in the domain {domain}")
    large = [p for p in large_points(domain) if evaluate(forward, p) is not None]
    per_input: list[list[Sample]] = [[] for _ in range(arity)]
    for point in regular + large:
        for i, sample in enumerate(_samples_at(forward, local, point, point in large)):
            if sample is not None:
                per_input[i].append(sample)
    uses = _uses(local, regular, arity)
    mistakes = _mistakes(per_input, names, uses)
    each = f" ({arity} partial derivatives at each)" if arity > 1 else ""
    checks = (
        _count(f"derivative at {len(regular)} points of the domain{each}", per_input, names, large=False),
        _count("derivative at large |x| (100, 1000)", per_input, names, large=True),
    )
    covered = tuple(p for p in regular if all(any(s.point == p for s in col) for col in per_input))
    return _Graded(title, tuple(c for c in checks if c.total), tuple(mistakes), covered)


def _samples_at(
    forward: Callable[..., float], local: LocalRule, point: Point, large: bool
) -> list[Sample | None]:
    """One Sample per input at ``point`` (None for an input with no true derivative there)."""
    out = evaluate(forward, point)
    assert out is not None
    got, error = _call(local, point, out)
    swapped: tuple[float | None, ...] = ()
    if len(point) == 1 and not error:
        swapped, _ = _call(local, (out,), point[0])
    samples: list[Sample | None] = []
    for i in range(len(point)):
        truth = central_difference(forward, point, i)
        if truth is None:
            samples.append(None)
            continue
        value = got[i] if i < len(got) else None
        swap = swapped[0] if swapped else None
        samples.append(Sample(point, out, truth[0], value, truth[1], large, error, swap))
    return samples


def _call(local: LocalRule, point: Point, out: float) -> tuple[tuple[float | None, ...], str]:
    """The learner's numbers, or () and the error's text when the learner's code raises."""
    try:
        return local(point, out), ""
    except Exception as err:  # the learner's code: any error is part of the grade
        return (), f"{type(err).__name__}: {err}"


def _as_numbers(result: object, arity: int) -> tuple[float | None, ...]:
    """The derivative's result as ``arity`` floats (None for something that is not a number)."""
    items = result if isinstance(result, (tuple, list)) else (result,)
    if len(items) != arity:
        if result is None:
            return (None,) * arity
        raise TypeError(f"expected {arity} local derivative(s), got {result!r}")
    return tuple(_number_or_none(v) for v in items)


def _number_or_none(v: object) -> float | None:
    if isinstance(v, Value):
        return v.data
    if isinstance(v, (int, float)) and not isinstance(v, bool):
        return float(v)
    return None


def _uses(local: LocalRule, points: Sequence[Point], arity: int) -> Uses:
    """Whether the learner's rule changes when x moves with out fixed, or out with x fixed."""
    if arity != 1 or not points:
        return Uses()
    reads_x = reads_out = False
    for (x,) in points[:: max(1, len(points) // 5)]:
        base, e1 = _call(local, (x,), 0.3)
        moved_x, e2 = _call(local, (x + 0.37,), 0.3)
        moved_out, e3 = _call(local, (x,), 0.67)
        if e1 or e2 or e3:
            continue
        reads_x = reads_x or base != moved_x
        reads_out = reads_out or base != moved_out
    return Uses(reads_x, reads_out)


def _mistakes(per_input: list[list[Sample]], names: Sequence[str], uses: Uses) -> list[str]:
    """Each input's diagnosis; for several inputs, also a partial given for the wrong input."""
    arity = len(per_input)
    found = [
        diagnose(samples, names, f"d/d{names[i]}: " if arity > 1 else "", uses)
        for i, samples in enumerate(per_input)
    ]
    if arity > 1 and all(f and f[0].endswith(BLANK) for f in found):  # one sentence, not one per input
        return [BLANK]
    # Only where no simpler pattern (sign, factor) was found: d/db = 1 for a - b is also "the true d/da".
    unexplained = [i for i, f in enumerate(found) if f and arity > 1 and "right at " in f[0]]
    given_for = {i: _matching_partial(per_input, i) for i in unexplained}
    if arity == 2 and given_for.get(0) == 1 and given_for.get(1) == 0:
        return [f"the two partial derivatives are exchanged: yours d/d{names[0]} is the true d/d{names[1]}."]
    mistakes: list[str] = []
    for i, f in enumerate(found):
        j = given_for.get(i)
        if j is not None:
            mistakes.append(
                f"d/d{names[i]}: yours is the true d/d{names[j]}: the derivative with respect to "
                f"{names[j]} was given for {names[i]}."
            )
        else:
            mistakes += f
    return mistakes


def _matching_partial(per_input: list[list[Sample]], i: int) -> int | None:
    """The other input j whose true derivative your d/d(input i) equals at every point, if any."""
    truth = {(j, s.point): s.expected for j, col in enumerate(per_input) for s in col}
    for j in range(len(per_input)):
        if (
            j != i
            and per_input[i]
            and all(
                s.got is not None and (j, s.point) in truth and close(s.got, truth[j, s.point], s.tolerance)
                for s in per_input[i]
            )
        ):
            return j
    return None


def _count(title: str, per_input: list[list[Sample]], names: Sequence[str], large: bool) -> Check:
    samples = [s for col in per_input for s in col if s.large == large]
    wrong = [s for s in samples if not s.right]
    example = sample_text(wrong[0], names) if wrong else ""
    return Check(title, len(samples) - len(wrong), len(samples), example)


def _safe_name(name: str) -> str:
    """A name custom_op accepts: an identifier that no built-in op has."""
    cleaned = "".join(c if c.isalnum() or c == "_" else "_" for c in name) or "op"
    return cleaned if cleaned.isidentifier() and cleaned not in _BUILT_IN else f"my_{cleaned}".strip("_")


_BUILT_IN = {"add", "sub", "neg", "mul", "div", "pow", "relu", "leaky_relu", "abs", "identity", "sum", "dot"}
_BUILT_IN |= {"exp", "log", "sqrt", "tanh", "sigmoid", "softplus", "sin", "cos"}


# --- the op inside small graphs ----------------------------------------------------------------


def _graph_checks(
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


# --- micrograd-style backward functions ----------------------------------------------------------


class _BackwardRunner:
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
