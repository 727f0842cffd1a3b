"""``gradcheck``: compare backward's gradients with central finite differences.

For each input x_i the numerical derivative is

    (f(..., x_i + eps, ...) - f(..., x_i - eps, ...)) / (2 eps)

whose error shrinks like eps**2. A gradient passes when
|analytic - numerical| <= atol + rtol * |numerical|.

Finite differences need a finite point and finite values of f at x_i +- eps: an infinite or
NaN input, or an f that gives inf or NaN there, is refused with a ``ValueError`` rather than
reported as a wrong derivative (inf - inf is NaN, which no tolerance accepts).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

from autograd.functional import value_and_grad
from autograd.grad_mode import no_grad
from autograd.value import Value, to_float


class GradcheckError(RuntimeError):
    """Raised by ``gradcheck`` when an analytic gradient disagrees with finite differences."""


@dataclass(frozen=True)
class GradcheckReport:
    """What ``gradcheck`` found: both gradients and the input where they differ most."""

    passed: bool
    analytic: tuple[float, ...]
    numerical: tuple[float, ...]
    worst_input: int
    abs_error: float

    def __bool__(self) -> bool:
        return self.passed

    def __str__(self) -> str:
        i = self.worst_input
        verdict = "passed" if self.passed else "FAILED"
        return (
            f"gradcheck {verdict}: worst input {i}: analytic {self.analytic[i]!r}, "
            f"numerical {self.numerical[i]!r}, |error| {self.abs_error:.3g}"
        )


def gradcheck(
    f: Callable[..., Value],
    *inputs: float,
    eps: float = 1e-6,
    atol: float = 1e-5,
    rtol: float = 1e-3,
    raise_exception: bool = True,
) -> GradcheckReport:
    """Check df/dx_i from ``backward()`` against central differences for every input.

    ``f`` takes Values and returns a Value. Returns a report (truthy when it passed); with
    ``raise_exception`` (the default, as in ``torch.autograd.gradcheck``) a failure raises
    ``GradcheckError`` carrying the same text.
    """
    if not inputs:
        raise ValueError("gradcheck: give at least one input")
    eps = _setting(eps, "eps", "a finite number > 0", lambda v: v > 0)
    atol = _setting(atol, "atol", "a finite number >= 0", lambda v: v >= 0)
    rtol = _setting(rtol, "rtol", "a finite number >= 0", lambda v: v >= 0)
    point = [to_float(x.data if isinstance(x, Value) else x, "gradcheck") for x in inputs]
    for i, x in enumerate(point):
        if not math.isfinite(x):
            raise ValueError(f"gradcheck: input {i} is {x!r}; finite differences need a finite point")
    _, analytic = value_and_grad(f, argnums=range(len(point)))(*point)

    def f_at(values: list[float], i: int, sign: str) -> float:
        where = f"at input {i} = {point[i]!r} {sign} eps (eps={eps!r})"
        try:
            with no_grad():
                result = float(f(*[Value(v) for v in values]))
        except (ValueError, ArithmeticError) as err:  # e.g. log of x - eps <= 0
            raise ValueError(
                f"gradcheck: f failed {where}, which left the domain of an op: {err}. "
                "Move the point away from the edge or pass a smaller eps="
            ) from err
        if not math.isfinite(result):
            raise ValueError(
                f"gradcheck: f is {result!r} {where}; finite differences need finite values. "
                "Move the point or pass a smaller eps="
            )
        return result

    numerical = []
    for i in range(len(point)):
        up, down = list(point), list(point)
        up[i] += eps
        down[i] -= eps
        numerical.append((f_at(up, i, "+") - f_at(down, i, "-")) / (2.0 * eps))

    errors = [abs(a - n) for a, n in zip(analytic, numerical)]
    # the worst input is the one furthest past its tolerance; a NaN error (a NaN gradient) is past any
    worst = max(range(len(errors)), key=lambda i: _excess(errors[i], atol + rtol * abs(numerical[i])))
    passed = all(e <= atol + rtol * abs(n) for e, n in zip(errors, numerical))
    report = GradcheckReport(passed, tuple(analytic), tuple(numerical), worst, errors[worst])
    if raise_exception and not passed:
        raise GradcheckError(str(report))
    return report


def _excess(error: float, tolerance: float) -> float:
    """How far ``error`` is past ``tolerance`` (negative inside it); a NaN error is infinitely far."""
    return math.inf if math.isnan(error) else error - tolerance


def _setting(x: object, name: str, wanted: str, ok: Callable[[float], bool]) -> float:
    """``eps``, ``atol`` or ``rtol`` as a float, or a clear error naming it and the value."""
    if isinstance(x, bool):
        raise TypeError(f"gradcheck: {name} must be a number, got {x!r}")
    value = to_float(x, f"gradcheck: {name}")
    if not (math.isfinite(value) and ok(value)):
        raise ValueError(f"gradcheck: {name} must be {wanted}, got {value!r}")
    return value
