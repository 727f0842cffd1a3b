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
import random
from collections.abc import Callable

Point = tuple[float, ...]
Domain = tuple[tuple[float, float], ...]
LARGE = (-1000.0, -100.0, 100.0, 1000.0)


def as_domain(domain: object, arity: int, where: str) -> Domain:
    """``(lo, hi)`` for every input, or one ``(lo, hi)`` per input; checked."""
    if (
        isinstance(domain, (tuple, list))
        and len(domain) == 2
        and all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in domain)
    ):
        ranges = [tuple(domain)] * arity
    elif isinstance(domain, (tuple, list)) and len(domain) == arity:
        ranges = [tuple(r) if isinstance(r, (tuple, list)) else ("?",) for r in domain]
    else:
        raise ValueError(f"{where}: domain must be (lo, hi) or one (lo, hi) per input, got {domain!r}")
    for r in ranges:
        if len(r) != 2 or not all(isinstance(v, (int, float)) for v in r) or not r[0] < r[1]:
            raise ValueError(f"{where}: each domain must be (lo, hi) with lo < hi, got {r!r}")
    return tuple((float(lo), float(hi)) for lo, hi in ranges)


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
