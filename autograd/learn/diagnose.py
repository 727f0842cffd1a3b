"""Naming the mistake in a learner's derivative, from where it is right and where it is wrong.

The checker (``check.py``) gives, for one input of the op, a list of ``Sample``: a point, the
true derivative there (a central difference of the forward rule), and the learner's number.
``diagnose`` looks for the patterns learners produce most often, in this order:

    blank          the derivative returned None, or raised at every point
    sign           yours = -1 × true at every point               (x - y: d/dy is -1, not 1)
    factor         yours = c × true at every point, c constant     (d(x*x)/dx is 2x, not x)
    swap           yours(x, out) = true when x and out are exchanged
                   (tanh' = 1 - out**2, not 1 - x**2;  sin' = cos(x), not cos(out))
    some points    right at some points only: say where it is wrong

and returns one sentence per mistake found, or an empty tuple when every sample agrees.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from autograd.value import fmt

BLANK = "your derivative returned None: nothing to check (is it still blank, or missing a return?)."


@dataclass(frozen=True)
class Sample:
    """The learner's local derivative at one point, next to the true one.

    ``got`` is None when the learner's code returned nothing there; ``error`` holds the text of
    an exception it raised. ``swapped`` is the learner's number with x and out exchanged (one
    input only, else None). ``tolerance`` covers the central difference's own error.
    """

    point: tuple[float, ...]
    out: float
    expected: float
    got: float | None
    tolerance: float
    large: bool = False  # one of the points at large |x|, outside the usual domain
    error: str = ""
    swapped: float | None = None

    @property
    def right(self) -> bool:
        return self.got is not None and close(self.got, self.expected, self.tolerance)


@dataclass(frozen=True)
class Uses:
    """Whether the learner's derivative reads its input x, its output out, or both."""

    x: bool = True
    out: bool = True


def close(a: float, b: float, tolerance: float) -> bool:
    """``a`` and ``b`` agree within ``tolerance`` plus a relative 1e-4 (NaN never agrees)."""
    return abs(a - b) <= tolerance + 1e-4 * max(abs(a), abs(b))


def point_text(point: Sequence[float], names: Sequence[str]) -> str:
    """``x=1.5`` or ``a=1.5, b=-2.0``."""
    return ", ".join(f"{n}={fmt(float(v))}" for n, v in zip(names, point))


def sample_text(sample: Sample, names: Sequence[str]) -> str:
    """One point written out: where, the learner's number and the true one."""
    yours = sample.error or ("None" if sample.got is None else fmt(sample.got))
    return f"at {point_text(sample.point, names)}: yours {yours}, true {fmt(sample.expected)}"


def diagnose(
    samples: Sequence[Sample], names: Sequence[str], which: str = "", uses: Uses = Uses()
) -> tuple[str, ...]:
    """The mistakes recognised in ``samples`` (one input's), each as a sentence; () if all right.

    ``names`` are the inputs' names (``x`` or ``a, b``); ``which`` says which derivative these
    samples are of, for ops with several inputs (``"d/db: "``); ``uses`` says whether the
    learner's derivative reads x and out, to name which one a swap put in the other's place.
    """
    wrong = [s for s in samples if not s.right]
    if not wrong:
        return ()
    if all(s.got is None for s in samples):
        if any(s.error for s in samples):
            return (f"{which}your derivative raised at every point ({samples[0].error}).",)
        return (which + BLANK,)
    # A pattern that holds at every point of the domain, right ones too (a wrong formula may
    # also overflow at large |x|: those points do not count against it).
    whole = _whole_domain_pattern([s for s in samples if not s.large] or samples, names, uses)
    if whole:
        return (which + whole,)
    return (which + _where_wrong(samples, wrong, names, uses),)


def _whole_domain_pattern(samples: Sequence[Sample], names: Sequence[str], uses: Uses = Uses()) -> str:
    """A mistake that holds at every point (sign, factor, swap), or ''."""
    answered = [s for s in samples if s.got is not None]
    if len(answered) < len(samples):
        return ""
    if all(close(-s.expected, s.got, s.tolerance) for s in answered if s.got is not None):
        return "the sign is flipped: yours is -1 × the true derivative at every point."
    factor = _constant_factor(answered)
    if factor is not None:
        return (
            f"off by a constant factor of {_number(factor)}: yours is {_number(factor)} × the true "
            f"derivative at every point (the true one is yours × {_number(1 / factor)})."
        )
    if samples[0].swapped is not None and all(
        s.swapped is not None and close(s.swapped, s.expected, s.tolerance) for s in samples
    ):
        return _swap_text(names[0], uses)
    return ""


def _constant_factor(samples: Sequence[Sample]) -> float | None:
    """c when got = c × expected at every sample (c not 0, 1 or -1), else None."""
    ratios = [s.got / s.expected for s in samples if s.got is not None and abs(s.expected) > 1e-3]
    if not ratios:
        return None
    c = sorted(ratios)[len(ratios) // 2]
    if not math.isfinite(c) or abs(c) < 1e-9 or abs(c - 1.0) < 1e-6 or abs(c + 1.0) < 1e-6:
        return None
    if all(s.got is not None and close(s.got, c * s.expected, s.tolerance * abs(c)) for s in samples):
        return c
    return None


def _number(c: float) -> str:
    """A factor as a person writes it: 2, 0.5, 1/3, -2."""
    for d in range(1, 13):
        if abs(c * d - round(c * d)) < 1e-6 * max(1.0, abs(c * d)):
            n = round(c * d)
            return str(n) if d == 1 else f"{n}/{d}"
    return fmt(c)


def _swap_text(name: str, uses: Uses) -> str:
    """The swap diagnosis, naming which of the two was used for the other."""
    if uses.x and not uses.out:
        return (
            f"the input {name} is used where the output out is needed: with out in place of {name} "
            f"yours is right (as in 1 - {name}**2 for tanh' instead of 1 - out**2)."
        )
    if uses.out and not uses.x:
        return (
            f"the output out is used where the input {name} is needed: with {name} in place of out "
            f"yours is right (as in cos(out) for sin' instead of cos({name}), or exp(out) for exp')."
        )
    return (
        f"{name} and out are swapped: yours gives the true derivative when it is handed out where "
        f"{name} should be and {name} where out should be."
    )


def _where_wrong(samples: Sequence[Sample], wrong: Sequence[Sample], names: Sequence[str], uses: Uses) -> str:
    """'right only at some points': where it is wrong, with one example."""
    regular = [s for s in samples if not s.large]
    wrong_regular = [s for s in wrong if not s.large]
    example = sample_text(wrong_regular[0] if wrong_regular else wrong[0], names)
    if not wrong_regular:
        return f"right on the domain but wrong at large |{names[0]}|: {example}."
    where = _intervals(regular, names[0]) if len(names) == 1 else f"{len(wrong_regular)} points"
    text = f"right at {len(regular) - len(wrong_regular)} of {len(regular)} points only; wrong for {where}"
    pattern = (
        _whole_domain_pattern(wrong_regular, names, Uses(True, False)) if len(wrong_regular) >= 2 else ""
    )
    if pattern:
        text += f" (there {pattern.rstrip('.')})"
    if any(s.large for s in wrong):
        text += f", and at large |{names[0]}|"
    return f"{text}; e.g. {example}."


def _intervals(samples: Sequence[Sample], name: str) -> str:
    """The wrong points as runs along the axis: '-3.0 <= x <= -0.125' or 'x = 0.5'."""
    ordered = sorted(samples, key=lambda s: s.point[0])
    runs: list[tuple[float, float]] = []
    in_run = False
    for s in ordered:
        if not s.right:
            if in_run:
                runs[-1] = (runs[-1][0], s.point[0])
            else:
                runs.append((s.point[0], s.point[0]))
            in_run = True
        else:
            in_run = False
    parts = [
        f"{name} = {fmt(lo)}" if lo == hi else f"{fmt(lo)} <= {name} <= {fmt(hi)}" for lo, hi in runs[:4]
    ]
    if len(runs) > 4:
        parts.append(f"{len(runs) - 4} more stretches")
    return ", ".join(parts)
