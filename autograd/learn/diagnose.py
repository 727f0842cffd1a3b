"""Naming the mistake in one partial derivative, from where it is right and where it is wrong.

The checker (``grade.py``) gives, for one input of the op, a list of ``Sample``: a point, the
true derivative there (a central difference of the forward rule) and the learner's number.
``diagnose`` returns the mistakes (``Mistake`` values, kinds from ``MISTAKE_KINDS``) and notes:

    not_a_number    something else than a number at some point (named with its type)
    non_finite      inf or NaN at an ordinary point, where the true derivative is finite
    (notes)         right at every ordinary point, inf/NaN only at |x| = 100 or 1000: it passes
    chain_rule      yours × d(inner)/dx = true at every point, for an inner function of forward
    value_not_derivative   yours = out at every point
    sign            yours = -1 × true at every point
    factor          yours = c × true at every point, c constant
    x_for_out, out_for_x, x_out_swapped
                    yours(x, out) = true when x and out are exchanged
    zero            0 at every point (a partial left out)
    imprecise       within 1% of the true derivative where it is wrong, but not within 1e-4
    part_of_domain  right on a part of the domain (at least a quarter of the points), wrong elsewhere
    unexplained     wrong, in none of these patterns: how often, and the first point

A pattern must hold at every ordinary point (the large ones, |x| = 100 and 1000, may overflow
in a formula that is otherwise right or wrong, and do not count against a pattern). Where no
ordinary point has a true derivative, the large points are the domain.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from autograd.learn.report import Mistake
from autograd.value import fmt

STABLE_FORM = (
    "a stable form never overflows: write it with out where the calculus allows "
    "(sigmoid' = out * (1 - out), tanh' = 1 - out**2), or so that exp never sees a large positive "
    "number (exp(x) / (1 + exp(x)) for x < 0)"
)


@dataclass(frozen=True)
class Sample:
    """The learner's local derivative at one point, next to the true one.

    ``got`` is None where the learner's result was not a number (``problem`` says what it was).
    ``swapped`` is the learner's number with x and out exchanged (one input only, else None).
    ``slopes`` holds, for each inner function of the forward rule, its derivative with respect
    to this input here (None where it has none). ``tolerance`` covers the central difference's
    own error.
    """

    point: tuple[float, ...]
    out: float
    expected: float
    got: float | None
    tolerance: float
    large: bool = False  # one of the points at large |x|, outside the usual domain
    problem: str = ""
    swapped: float | None = None
    slopes: tuple[float | None, ...] = ()

    @property
    def right(self) -> bool:
        return self.got is not None and close(self.got, self.expected, self.tolerance)

    @property
    def finite(self) -> bool:
        return self.got is not None and math.isfinite(self.got)


@dataclass(frozen=True)
class Uses:
    """Whether the learner's derivative reads its input x, its output out, or both."""

    x: bool = True
    out: bool = True


def close(a: float, b: float, tolerance: float) -> bool:
    """``a`` and ``b`` agree within ``tolerance`` plus a relative 1e-4.

    NaN never agrees; an infinity agrees only with the same infinity (never with a finite number,
    however large: ``inf - 1e300`` is within any relative tolerance of inf).
    """
    if not (math.isfinite(a) and math.isfinite(b)):
        return a == b
    return abs(a - b) <= tolerance + 1e-4 * max(abs(a), abs(b))


def point_text(point: Sequence[float], names: Sequence[str], spaced: bool = False) -> str:
    """``x=1.5`` or ``a=1.5, b=-2.0`` (``x = 1.5`` with ``spaced``)."""
    equals = " = " if spaced else "="
    return ", ".join(f"{n}{equals}{fmt(float(v))}" for n, v in zip(names, point))


def yours_text(sample: Sample) -> str:
    """The learner's number, with as many digits as it takes to differ from the true one."""
    return sample.problem if sample.got is None else _digits(sample.got, sample.expected)[0]


def true_text(sample: Sample) -> str:
    return fmt(sample.expected) if sample.got is None else _digits(sample.got, sample.expected)[1]


def _digits(a: float, b: float) -> tuple[str, str]:
    """``a`` and ``b`` in 4 significant digits, more when those would print them the same."""
    for digits in (4, 8, 12, 17):
        x, y = fmt(a, digits), fmt(b, digits)
        if x != y:
            return x, y
    return fmt(a), fmt(b)


def sample_text(sample: Sample, names: Sequence[str]) -> str:
    """One point written out: where, the learner's number and the true one."""
    return f"at {point_text(sample.point, names)}: yours {yours_text(sample)}, true {true_text(sample)}"


@dataclass(frozen=True)
class Diagnosis:
    """The mistakes found in one partial derivative, and notes about it."""

    mistakes: tuple[Mistake, ...] = ()
    notes: tuple[str, ...] = ()


def diagnose(
    samples: Sequence[Sample],
    names: Sequence[str],
    which: str = "",
    uses: Uses = Uses(),
    inners: Sequence[str] = (),
) -> Diagnosis:
    """The mistakes recognised in ``samples`` (one input's), and notes; empty if all is right.

    ``names`` are the inputs' names (``x`` or ``a, b``); ``which`` is the input these samples are
    about, for ops with several (``"b"``; ``""`` for one input); ``uses`` says whether the
    learner's derivative reads x and out; ``inners`` are the texts of the forward rule's inner
    functions, in the order of ``Sample.slopes``.
    """
    prefix = f"d/d{which}: " if which else ""

    def mistake(kind: str, text: str) -> Diagnosis:
        return Diagnosis((Mistake(kind, prefix + text, which),))

    regular = [s for s in samples if not s.large]
    large = [s for s in samples if s.large]
    if not regular:  # no ordinary point has a true derivative: the large ones are the domain
        regular, large = large, []
    not_numbers = [s for s in regular + large if s.got is None]
    if not_numbers:
        return mistake("not_a_number", _not_a_number_text(not_numbers, len(regular + large), names))
    not_finite = [s for s in regular if not s.finite]
    if not_finite:
        first = not_finite[0]
        return mistake(
            "non_finite",
            f"yours is {fmt(first.got)} at {point_text(first.point, names, True)}, where the true "
            f"derivative is {fmt(first.expected)} (not finite at {len(not_finite)} of {len(regular)} "
            "points: a division by zero or an overflow?).",
        )
    wrong = [s for s in regular if not s.right]
    if not wrong:
        return _large_points(large, names, prefix, which)
    pattern = _whole_domain_pattern(regular, names, uses, inners, which or names[0])
    if pattern:
        return mistake(*pattern)
    if all(s.got == 0.0 for s in regular):
        name = which or names[0]
        return mistake(
            "zero",
            f"yours is 0 at every point, where the true derivative is not (left out? in a micrograd "
            f"backward: nothing added into {name}.grad).",
        )
    if all(
        s.got is not None and close(s.got, s.expected, s.tolerance + 1e-2 * abs(s.expected)) for s in wrong
    ):
        first = wrong[0]
        return mistake(
            "imprecise",
            f"close, but not within the tolerance (relative 1e-4) at {len(wrong)} of {len(regular)} points; "
            f"e.g. at {point_text(first.point, names, True)}: yours {yours_text(first)}, right "
            f"{true_text(first)} (a float16 or float32 rounding, or an approximation such as a finite "
            "difference?).",
        )
    right = len(regular) - len(wrong)
    if right >= max(2, len(regular) // 4):
        return mistake("part_of_domain", _where_wrong(regular, wrong, names, large))
    first = wrong[0]
    return mistake(
        "unexplained",
        f"wrong at {len(wrong)} of {len(regular)} points; first at {point_text(first.point, names, True)}: "
        f"yours {yours_text(first)}, right {true_text(first)}.",
    )


def _not_a_number_text(samples: Sequence[Sample], total: int, names: Sequence[str]) -> str:
    first = samples[0]
    where = point_text(first.point, names, True)
    if len(samples) == total:
        return f"yours is {first.problem} (at every point; e.g. at {where})."
    also = f" and at {len(samples) - 1} more of {total} points" if len(samples) > 1 else ""
    hint = " (a branch without a return?)" if first.problem == "None" else ""
    return f"yours is {first.problem} at {where}{also}{hint}; a number elsewhere."


def _large_points(large: Sequence[Sample], names: Sequence[str], prefix: str, which: str) -> Diagnosis:
    """Right on the domain: an overflow at large |x| is a note, a wrong finite number a mistake."""
    wrong = [s for s in large if not s.right]
    if not wrong:
        return Diagnosis()
    finite_wrong = [s for s in wrong if s.finite]
    if finite_wrong:
        example = sample_text(finite_wrong[0], names)
        return Diagnosis(
            (
                Mistake(
                    "part_of_domain",
                    f"{prefix}right on the domain but wrong at large {_large_inputs(finite_wrong, names)}: "
                    f"{example}.",
                    which,
                ),
            )
        )
    first = wrong[0]
    note = (
        f"{prefix}yours is {fmt(first.got)} at {point_text(first.point, names, True)} (the true derivative "
        f"is {fmt(first.expected)}): it overflows there, and is right at every point where it is finite; "
        f"{STABLE_FORM}."
    )
    return Diagnosis(notes=(note,))


def _whole_domain_pattern(
    samples: Sequence[Sample],
    names: Sequence[str],
    uses: Uses,
    inners: Sequence[str] = (),
    variable: str = "x",
) -> tuple[str, str] | None:
    """(kind, sentence) for a mistake that holds at every point, or None."""
    for k, text in enumerate(inners):
        slopes = [s.slopes[k] if k < len(s.slopes) else None for s in samples]
        if all(d is not None and close(d, 1.0, 1e-6) for d in slopes):
            continue  # this inner function's derivative is 1: leaving it out changes nothing
        if all(
            d is not None
            and s.got is not None
            and close(s.got * d, s.expected, s.tolerance * max(1.0, abs(d)))
            for s, d in zip(samples, slopes)
        ):
            return "chain_rule", (
                f"forgot the chain rule: yours is the outer function's derivative at {text}, without "
                f"the inner derivative d({text})/d{variable} "
                f"(yours × that derivative is right at every point)."
            )
    if all(s.got is not None and close(s.got, s.out, s.tolerance) for s in samples):
        return "value_not_derivative", (
            "yours is the op's value out at every point, not its derivative (returned out, or the "
            "forward formula again?)."
        )
    if all(s.got is not None and close(-s.expected, s.got, s.tolerance) for s in samples):
        return "sign", "the sign is flipped: yours is -1 × the true derivative at every point."
    factor = _constant_factor(samples)
    if factor is not None:
        return "factor", (
            f"off by a constant factor of {_factor_text(factor)}: yours is {_factor_text(factor)} × the true "
            f"derivative at every point (the true one is yours × {_factor_text(1 / factor)})."
        )
    if samples[0].swapped is not None and all(
        s.swapped is not None and close(s.swapped, s.expected, s.tolerance) for s in samples
    ):
        return _swap(names[0], uses)
    return None


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


def _factor_text(c: float) -> str:
    """A factor as a person writes it: 2, 1/2, 1/3, -2, or 3.142 when no n/d with d <= 12 is it.

    A decimal gets as many digits as it takes not to read as the nearest such fraction: a factor
    of 1.0003 is written 1.0003, not 1.0 (a factor of 1 is no mistake at all), and one of 1.5e-07
    is not 0.
    """
    for d in range(1, 13):
        n = round(c * d)
        if n != 0 and abs(c * d - n) < 1e-6 * max(1.0, abs(c * d)):
            return str(n) if d == 1 else f"{n}/{d}"
    nearest = min((round(c * d) / d for d in range(1, 13)), key=lambda f: abs(f - c))
    return _digits(c, nearest)[0]


def _swap(name: str, uses: Uses) -> tuple[str, str]:
    """The swap diagnosis, naming which of the two was used for the other."""
    if uses.x and not uses.out:
        return "x_for_out", (
            f"the input {name} is used where the output out is needed: with out in place of {name} "
            f"yours is right (as in 1 - {name}**2 for tanh' instead of 1 - out**2)."
        )
    if uses.out and not uses.x:
        return "out_for_x", (
            f"the output out is used where the input {name} is needed: with {name} in place of out "
            f"yours is right (as in cos(out) for sin' instead of cos({name}), or exp(out) for exp')."
        )
    return "x_out_swapped", (
        f"{name} and out are swapped: yours gives the true derivative when it is handed out where "
        f"{name} should be and {name} where out should be."
    )


def _where_wrong(
    regular: Sequence[Sample], wrong: Sequence[Sample], names: Sequence[str], large: Sequence[Sample]
) -> str:
    """'right only at some points': where it is wrong, with one example."""
    example = sample_text(wrong[0], names)
    where = _intervals(regular, names[0]) if len(names) == 1 else f"{len(wrong)} points"
    text = f"right at {len(regular) - len(wrong)} of {len(regular)} points only; wrong for {where}"
    pattern = _whole_domain_pattern(wrong, names, Uses(True, False)) if len(wrong) >= 2 else None
    if pattern and pattern[0] in ("sign", "factor"):
        text += f" (there {pattern[1].rstrip('.')})"
    large_wrong = [s for s in large if s.finite and not s.right]
    if large_wrong:
        text += f", and at large {_large_inputs(large_wrong, names)}"
    return f"{text}; e.g. {example}."


def _large_inputs(samples: Sequence[Sample], names: Sequence[str]) -> str:
    """``|x|``, or of several inputs those at a large value (|v| >= 100) in ``samples``: ``|b|``.

    A large point puts one input at -1000, -100, 100 or 1000 and the others at the middle of their
    range, so ``wrong at large |b|`` names the input that is large where the derivative is wrong.
    """
    big = [n for i, n in enumerate(names) if any(abs(s.point[i]) >= 100 for s in samples)]
    return " and ".join(f"|{n}|" for n in big or names)


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
