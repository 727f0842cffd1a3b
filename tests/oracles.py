"""Independent answers for the tests: central finite differences and PyTorch in float64."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

from autograd import Value, no_grad


def central_difference(f: Callable[..., Value], xs: Sequence[float], i: int, eps: float = 1e-6) -> float:
    """(f(x + eps e_i) - f(x - eps e_i)) / (2 eps), evaluated with plain numbers (no graph)."""
    up, down = list(xs), list(xs)
    up[i] += eps
    down[i] -= eps
    with no_grad():
        return (f(*map(Value, up)).data - f(*map(Value, down)).data) / (2 * eps)


def close(a: float, b: float, rel: float = 1e-9, abs_: float = 1e-12, nan_equal: bool = False) -> bool:
    """|a - b| <= abs_ + rel * max(|a|, |b|): the one tolerance test of the suite.

    An infinity is close only to itself. NaN is close to nothing, unless ``nan_equal``: then
    two NaNs agree (an op's twin that gives NaN where the engine does).
    """
    if math.isnan(a) or math.isnan(b):
        return nan_equal and math.isnan(a) and math.isnan(b)
    if math.isinf(a) or math.isinf(b):  # else rel * inf would make inf close to every number
        return a == b
    return a == b or abs(a - b) <= abs_ + rel * max(abs(a), abs(b))
