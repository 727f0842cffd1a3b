"""Where a learner's derivative is tried, and the true derivative there (central differences).

``sample_points`` spreads points over the domain (an even grid plus a few seeded random ones);
``large_points`` adds |x| = 100 and 1000 where the forward rule is finite. ``central_difference``
is the oracle:

    f'(x) ≈ (f(x + h) - f(x - h)) / 2h,   h = 1e-5 · max(1, |x|)

with an error of about h²·f'''/6 plus rounding of about 2⁻⁵²·|f|/h, which the returned
tolerance covers. Where the one-sided differences (f(x+h) - f(x))/h and (f(x) - f(x-h))/h
disagree, x is at or next to a kink (relu at 0, abs at 0) and has no derivative to compare
with: the point is dropped.
"""

from __future__ import annotations

import math
import numbers
import random
from collections.abc import Callable

Point = tuple[float, ...]
Domain = tuple[tuple[float, float], ...]
LARGE = (-1000.0, -100.0, 100.0, 1000.0)


def as_domain(domain: object, arity: int, where: str) -> Domain:
    """``(lo, hi)`` for every input, or one ``(lo, hi)`` per input; checked.

    lo and hi are real numbers (not bools) with lo < hi, both finite and hi - lo finite too
    (the points are spread over hi - lo): ValueError naming the range otherwise.
    """
    if isinstance(domain, (tuple, list)) and len(domain) == 2 and all(_bound(v) is not None for v in domain):
        ranges: list[object] = [tuple(domain)] * arity
    elif isinstance(domain, (tuple, list)) and len(domain) == arity:
        ranges = list(domain)
    else:
        raise ValueError(f"{where}: domain must be (lo, hi) or one (lo, hi) per input, got {domain!r}")
    checked = []
    for r in ranges:
        pair = tuple(r) if isinstance(r, (tuple, list)) and len(r) == 2 else (None, None)
        lo, hi = _bound(pair[0]), _bound(pair[1])
        if lo is None or hi is None or not lo < hi:
            raise ValueError(f"{where}: each domain must be (lo, hi) with lo < hi, got {r!r}")
        if not math.isfinite(hi - lo):
            raise ValueError(f"{where}: each domain must be finite, with a finite width hi - lo, got {r!r}")
        checked.append((lo, hi))
    return tuple(checked)


def _bound(v: object) -> float | None:
    """An end of a domain as a float (inf beyond the float range), or None if not a real number."""
    if isinstance(v, bool) or not isinstance(v, numbers.Real):
        return None
    try:
        return float(v)
    except OverflowError:  # an int beyond the float range: infinitely far, for a domain
        return -math.inf if v < 0 else math.inf


def sample_points(domain: Domain, count: int, seed: int) -> list[Point]:
    """``count`` points in the domain: an even grid (one input) or random points (several).

    The grid avoids the endpoints and the midpoint, where kinks (0 for relu) like to sit.
    """
    rng = random.Random(seed)
    if len(domain) == 1:
        lo, hi = domain[0]
        grid = count - count // 4
        points = [(lo + (k + 0.5) * (hi - lo) / grid,) for k in range(grid)]
        points += [(rng.uniform(lo, hi),) for _ in range(count - grid)]
        return sorted(points)
    return [tuple(rng.uniform(lo, hi) for lo, hi in domain) for _ in range(count)]


def large_points(domain: Domain) -> list[Point]:
    """Each input in turn at -1000, -100, 100 and 1000, the others at the middle of their range."""
    middle = [(lo + hi) / 2 for lo, hi in domain]
    points = []
    for i in range(len(domain)):
        for big in LARGE:
            point = list(middle)
            point[i] = big
            points.append(tuple(point))
    return points


def evaluate(forward: Callable[..., float], point: Point) -> float | None:
    """``forward(*point)`` as a float, or None where it raises or is not finite."""
    try:
        value = float(forward(*point))
    except (ArithmeticError, ValueError, TypeError):
        return None
    return value if math.isfinite(value) else None


def central_difference(forward: Callable[..., float], point: Point, i: int) -> tuple[float, float] | None:
    """d forward / d input i at ``point``, and its tolerance; None at a kink or where not finite."""
    h = 1e-5 * max(1.0, abs(point[i]))
    f0 = evaluate(forward, point)
    fp = evaluate(forward, _moved(point, i, h))
    fm = evaluate(forward, _moved(point, i, -h))
    if f0 is None or fp is None or fm is None:
        return None
    central = (fp - fm) / (2 * h)
    one_sided_gap = abs((fp - f0) / h - (f0 - fm) / h)
    if one_sided_gap > 1e-2 * max(1.0, abs(central)):  # a kink: no derivative here
        return None
    rounding = 1e-15 * max(abs(fp), abs(fm), abs(f0)) / h
    return central, 1e-6 + rounding + 1e-4 * one_sided_gap


def _moved(point: Point, i: int, step: float) -> Point:
    return tuple(v + step if k == i else v for k, v in enumerate(point))


def names_for(arity: int, forward: Callable[..., float]) -> tuple[str, ...]:
    """The inputs' names from ``forward``'s parameters when it has them (``x``, or ``a, b``)."""
    code = getattr(forward, "__code__", None)
    if code is not None and code.co_argcount >= arity:
        names = tuple(code.co_varnames[:arity])
        if all(n.isidentifier() and n != "out" for n in names):
            return names
    return ("x",) if arity == 1 else tuple(f"x{k + 1}" for k in range(arity))
