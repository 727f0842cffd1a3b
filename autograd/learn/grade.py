"""Grading a learner's local derivatives point by point, against central differences.

``grade`` asks the learner's rule for its numbers at points of the domain and at large |x|,
compares each with the central difference of the forward rule (``points.py``), and hands the
samples of each input to ``diagnose`` (``diagnose.py``) to name the mistakes. With several
inputs it also recognises a partial derivative given for the wrong input.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from autograd.learn.diagnose import BLANK, Sample, Uses, close, diagnose, sample_text
from autograd.learn.points import (
    Domain,
    Point,
    central_difference,
    evaluate,
    large_points,
    names_for,
    sample_points,
)
from autograd.learn.report import Check
from autograd.value import Value

# A learner's rule, asked for the local derivatives at a point (given the output there).
LocalRule = Callable[[Point, float], tuple[float | None, ...]]


@dataclass(frozen=True)
class Graded:
    name: str
    checks: tuple[Check, ...]
    mistakes: tuple[str, ...]
    sample_points: tuple[Point, ...]  # the regular points where a true derivative exists


def grade(
    title: str, forward: Callable[..., float], local: LocalRule, domain: Domain, count: int, seed: int
) -> Graded:
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
    return Graded(title, tuple(c for c in checks if c.total), tuple(mistakes), covered)


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


def as_numbers(result: object, arity: int) -> tuple[float | None, ...]:
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
