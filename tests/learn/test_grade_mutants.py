"""What ``grade`` tells a learner, in the exact words and counts (mutation holes of grade.py, issue 23).

Every expected sentence is written out by hand from what the learner's rule does; every count
is the number of points where it does it, taken from the points the rule lab tries
(``sample_points``: for (-3, 3) and 32 points a grid -2.875, -2.625, ..., 2.875 and 8 seeded
random points; at large |x| each input at -1000, -100, 100, 1000, the others at the middle).
The true derivatives are the calculus-book ones (sin' = cos, asin' = 1/sqrt(1 - x**2),
d(a*b)/da = b, logaddexp's partials are sigmoid(a - b) and sigmoid(b - a)).
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np
import pytest

from autograd.learn.check import check_backward, check_op
from autograd.learn.points import sample_points

DOMAIN_POINTS = [p[0] for p in sample_points(((-3.0, 3.0),), 32, 0)]
FINITE = "where the op's value is finite"
STABLE = "a stable form never overflows: write it with out where the calculus allows"


def below(limit: float) -> int:
    """How many of the 32 points of (-3, 3) lie below ``limit``."""
    return sum(x < limit for x in DOMAIN_POINTS)


def logaddexp(a: float, b: float) -> float:
    """log(e**a + e**b), written so that it never overflows."""
    return max(a, b) + math.log1p(math.exp(-abs(a - b)))


def sigmoid(x: float) -> float:
    """1 / (1 + e**-x), written so that it never overflows."""
    return 1 / (1 + math.exp(-x)) if x >= 0 else math.exp(x) / (1 + math.exp(x))


def asin_product(a: float, b: float) -> float:
    """asin(a) * asin(b): not finite at any large |x| point (asin needs |x| <= 1)."""
    return math.asin(a) * math.asin(b)


NO_LARGE = (-0.9, 0.9)


def d_asin(v: float) -> float:
    return 1 / math.sqrt(1 - v * v)


# --- the rule as a whole: raised, count ------------------------------------------------------


def test_a_backward_that_raises_everywhere_is_called_your_backward() -> None:
    def boom(x: object, out: object) -> None:
        raise RuntimeError("no")

    report = check_backward(math.sin, boom)
    assert report.kinds == ("raised",)
    assert report.mistakes[0].message == "your backward raised at every point (RuntimeError: no)."
    derivative = check_op(math.sin, lambda x, out: 1 / 0)
    assert (
        derivative.mistakes[0].message
        == "your derivative raised at every point (ZeroDivisionError: division by zero)."
    )


def test_raised_everywhere_quotes_the_error_at_the_first_point() -> None:
    def lookup(x: float, out: float) -> float:
        return {0.0: 1.0}[x]  # KeyError: x at every point

    report = check_op(math.sin, lookup)
    first = min(DOMAIN_POINTS)
    assert first == -2.875
    assert report.mistakes[0].message == "your derivative raised at every point (KeyError: -2.875)."


def test_a_rule_that_raises_on_the_whole_domain_but_not_far_out_is_only_raised() -> None:
    # log(x**2 - 9) has no value for |x| < 3 but one at |x| = 100: the rule is graded as raised,
    # not diagnosed from the four points far out.
    report = check_op(lambda x: math.log(x * x + 1), lambda x, out: math.log(x * x - 9))
    assert report.kinds == ("raised",)
    assert (
        report.mistakes[0].message == "your derivative raised at every point (ValueError: math domain error)."
    )
    assert [(c.right, c.total) for c in report.checks] == [(0, 32)]


def test_raised_at_some_points_names_the_first_and_counts_them() -> None:
    def cos_but_left(x: float, out: float) -> float:
        if x < -2:
            raise KeyError(x)
        return math.cos(x)

    report = check_op(math.sin, cos_but_left)
    n = below(-2)
    assert n == 4  # -2.875, -2.625, -2.375, -2.125
    assert report.kinds == ("raised",)  # once, though it raises at -1000 and -100 too
    assert report.mistakes[0].message == (
        f"your derivative raised KeyError: -2.875 at x = -2.875 ({n} of 32 points), and gave a result elsewhere."
    )
    domain, large = report.checks[:2]
    assert (domain.right, domain.total) == (32 - n, 32)
    assert domain.example == "at x=-2.875: yours raised KeyError: -2.875"
    assert (large.right, large.total) == (2, 4)  # -1000 and -100 raised, 100 and 1000 right
    assert large.example == "at x=-1000.0: yours raised KeyError: -1000.0"


def test_two_values_at_some_points_and_a_sign_elsewhere() -> None:
    def half_tuples(x: float, out: float) -> object:
        return (math.cos(x), 1.0) if x < 0 else -math.cos(x)

    report = check_op(math.sin, half_tuples)
    n = below(0)
    assert report.kinds == ("count", "sign")
    assert report.mistakes[0].message == (
        f"your derivative returns 2 values for an op of 1 input (x), at {n} of 32 points "
        "(e.g. at x = -2.875): return one number, d(out)/dx."
    )
    assert (report.checks[0].right, report.checks[0].total) == (0, 32)


def test_two_values_at_some_points_right_elsewhere() -> None:
    def half_tuples(x: float, out: float) -> object:
        return (math.cos(x), 1.0) if x < 0 else math.cos(x)

    report = check_op(math.sin, half_tuples)
    n = below(0)
    assert report.kinds == ("count",)
    domain, large = report.checks[:2]
    assert (domain.right, domain.total) == (32 - n, 32)
    assert domain.example == "at x=-2.875: yours 2 values for an op of 1 input (x)"
    assert (large.right, large.total) == (2, 4)


def test_two_values_everywhere_stops_there() -> None:
    report = check_op(math.sin, lambda x, out: (math.cos(x), 1.0))
    assert report.kinds == ("count",)
    assert report.mistakes[0].message == (
        "your derivative returns 2 values for an op of 1 input (x), at every point "
        "(e.g. at x = -2.875): return one number, d(out)/dx."
    )


def test_two_values_on_the_whole_domain_are_graded_on_the_count_alone() -> None:
    # The four far-out points, where it gives one number (with the sign flipped), are no ground
    # for "the sign is flipped at every point".
    def tuples_near(x: float, out: float) -> object:
        return (math.cos(x), 1.0) if abs(x) < 50 else -math.cos(x)

    report = check_op(math.sin, tuples_near)
    assert report.kinds == ("count",)
    assert report.mistakes[0].message.startswith(
        "your derivative returns 2 values for an op of 1 input (x), at every point"
    )


# --- far out: an overflow is a note, any other error a mistake -------------------------------


def test_a_math_domain_error_far_out_is_a_note() -> None:
    # sigmoid' = exp(log(out) + log(1 - out)): out is 0.0 at x = -1000 (e**-1000 underflows) and
    # 1.0 at x = 100, so log raises "math domain error" there; right everywhere it is finite.
    report = check_op(sigmoid, lambda x, out: math.exp(math.log(out) + math.log(1 - out)))
    assert report.ok
    assert report.notes[0].startswith(
        f"your derivative raises ValueError (math domain error) at x = -1000.0, {FINITE}: a math function "
        f"gets a number outside its domain there only (a log or sqrt of 0 or less?); {STABLE}"
    )


def test_a_division_by_zero_far_out_is_an_underflow_not_an_overflow() -> None:
    # sigmoid' = out**2 * (1/out - 1): out underflows to 0.0 at x = -1000, and 1/out divides by
    # zero; no number overflows. Right everywhere else (at x = 100, out = 1.0 and it gives 0.0,
    # within the tolerance of the true e**-100).
    report = check_op(sigmoid, lambda x, out: out**2 * (1 / out - 1))
    assert report.ok
    assert report.notes == (
        f"your derivative raises ZeroDivisionError (float division by zero) at x = -1000.0, {FINITE}: it "
        f"divides by zero there only (a number that underflowed to 0?); {STABLE} (sigmoid' = out * (1 - out), "
        "tanh' = 1 - out**2), or so that exp never sees a large positive number (exp(x) / (1 + exp(x)) for x < 0).",
    )


def test_a_square_root_of_a_negative_far_out_is_not_called_an_overflow() -> None:
    # (x**3)' = 3x**2, written 3 * sqrt(x)**4: right on (0.5, 3); at x = -100 and -1000 sqrt has
    # no value. Nothing overflows there, and the note must not say so.
    report = check_op(lambda x: x**3, lambda x, out: 3 * math.sqrt(x) ** 4, domain=(0.5, 3.0))
    assert report.ok
    assert len(report.notes) == 1
    assert "overflows there" not in report.notes[0]
    assert report.notes[0].startswith(
        f"your derivative raises ValueError (math domain error) at x = -1000.0, {FINITE}: a math function "
        "gets a number outside its domain there only (a log or sqrt of 0 or less?); "
    )


def numpy_naive_sigmoid(x: float, out: float) -> float:
    """sigmoid' = e**-x / (1 + e**-x)**2 with numpy told to raise: e**1000 overflows at x = -1000."""
    with np.errstate(over="raise"):
        e = np.exp(-np.float64(x))
        return float(e / (1 + e) ** 2)


def numpy_out_sigmoid(x: float, out: float) -> float:
    """sigmoid' = out**2 * (1/out - 1) with numpy told to raise: out is 0.0 at x = -1000."""
    with np.errstate(divide="raise"):
        return float(np.float64(out) ** 2 * (1 / np.float64(out) - 1))


def numpy_root_cube(x: float, out: float) -> float:
    """(x**3)' = 3 * sqrt(x)**4 with numpy told to raise: sqrt(-100) is invalid."""
    with np.errstate(invalid="raise"):
        return float(3 * np.sqrt(np.float64(x)) ** 4)


@pytest.mark.parametrize(
    "forward, rule, domain, error, what",
    [
        (sigmoid, numpy_naive_sigmoid, (-3.0, 3.0), "overflow", "it overflows there only"),
        (
            sigmoid,
            numpy_out_sigmoid,
            (-3.0, 3.0),
            "divide by zero",
            "it divides by zero there only (a number that underflowed to 0?)",
        ),
        (
            lambda x: x**3,
            numpy_root_cube,
            (0.5, 3.0),
            "invalid value",
            "it fails there only",
        ),
    ],
)
def test_a_numpy_floating_point_error_far_out_is_named_by_its_message(
    forward: Callable[[float], float],
    rule: Callable[[float, float], float],
    domain: tuple[float, float],
    error: str,
    what: str,
) -> None:
    report = check_op(forward, rule, domain=domain)
    assert report.ok
    note = report.notes[0]
    # numpy's own words vary a little by version ("in divide", "in scalar divide")
    assert note.startswith(f"your derivative raises FloatingPointError ({error} encountered in ")
    assert f") at x = -1000.0, {FINITE}: {what}; {STABLE}" in note


def test_an_overflow_far_out_is_called_an_overflow() -> None:
    report = check_op(math.tanh, lambda x, out: 4 / (math.exp(x) + math.exp(-x)) ** 2)
    assert report.notes == (
        f"your derivative raises OverflowError (math range error) at x = -1000.0, {FINITE}: it overflows there "
        f"only; {STABLE} (sigmoid' = out * (1 - out), tanh' = 1 - out**2), or so that exp never sees a large "
        "positive number (exp(x) / (1 + exp(x)) for x < 0).",
    )


def test_a_value_error_far_out_that_is_not_math_is_a_mistake() -> None:
    def near_only(x: float, out: float) -> float:
        if abs(x) > 50:
            raise ValueError("too far out")
        return math.cos(x)

    report = check_op(math.sin, near_only)
    assert report.notes == ()
    assert report.kinds == ("raised",)
    assert report.mistakes[0].message == "your derivative raised ValueError: too far out at x = -1000.0."
    large = report.checks[1]
    assert (large.right, large.total) == (0, 4)


def test_an_overflow_on_the_domain_counts_as_wrong() -> None:
    def overflows_left(x: float, out: float) -> float:
        if x < -2:
            raise OverflowError("math range error")
        return math.cos(x)

    report = check_op(math.sin, overflows_left)
    n = below(-2)
    domain = report.checks[0]
    assert (domain.right, domain.total) == (32 - n, 32)
    assert not report.ok


def test_an_infinity_on_the_domain_counts_as_wrong() -> None:
    report = check_op(math.sin, lambda x, out: math.inf if x < -2 else math.cos(x))
    n = below(-2)
    domain = report.checks[0]
    assert (domain.right, domain.total) == (32 - n, 32)
    assert report.kinds == ("non_finite",)


def test_an_overflow_note_only_for_a_rule_that_is_right() -> None:
    # tanh' = 4 / (e**x + e**-x)**2 overflows at |x| = 1000; with the sign flipped it is wrong
    # everywhere, and the overflow is not worth a note.
    right = check_op(math.tanh, lambda x, out: 4 / (math.exp(x) + math.exp(-x)) ** 2)
    assert right.ok and len(right.notes) == 1
    wrong = check_op(math.tanh, lambda x, out: -4 / (math.exp(x) + math.exp(-x)) ** 2)
    assert wrong.kinds == ("sign",)
    assert wrong.notes == ()


def softmax_pair(a: float, b: float) -> tuple[float, float]:
    """(e**a, e**b) / (e**a + e**b): overflows at a = 1000 and at b = 1000."""
    total = math.exp(a) + math.exp(b)
    return math.exp(a) / total, math.exp(b) / total


def test_overflow_notes_across_partials() -> None:
    exchanged = check_op(logaddexp, lambda a, b, out: softmax_pair(a, b)[::-1])
    assert exchanged.kinds == ("swapped_partials",)
    assert (
        exchanged.mistakes[0].message
        == "the two partial derivatives are exchanged: yours d/da is the true d/db."
    )
    assert exchanged.notes == ()
    both_signs = check_op(logaddexp, lambda a, b, out: tuple(-v for v in softmax_pair(a, b)))
    assert both_signs.kinds == ("sign", "sign")
    assert both_signs.notes == ()
    one_sign = check_op(logaddexp, lambda a, b, out: (softmax_pair(a, b)[0], -softmax_pair(a, b)[1]))
    assert one_sign.kinds == ("sign",)
    assert [m.partial for m in one_sign.mistakes] == ["b"]
    assert len(one_sign.notes) == 1
    assert (
        f"OverflowError (math range error) at a = 1000.0, b = 0.0, {FINITE}: it overflows"
        in one_sign.notes[0]
    )


# --- the checks' titles and counts -------------------------------------------------------------


def test_check_titles_name_the_partials_per_point() -> None:
    one = check_op(math.sin, lambda x, out: math.cos(x))
    assert one.checks[0].title == "derivative at 32 points of the domain"
    assert all(c.example == "" for c in one.checks)
    two = check_op(lambda a, b: a * b, lambda a, b, out: (b, a))
    assert two.checks[0].title == "derivative at 32 points of the domain (2 partial derivatives at each)"
    assert (two.checks[0].right, two.checks[0].total) == (64, 64)
    three = check_op(lambda a, b, c: a * b * c, lambda a, b, c, out: (b * c, a * c, a * b), points=4)
    assert three.checks[0].title == "derivative at 4 points of the domain (3 partial derivatives at each)"
    assert (three.checks[0].right, three.checks[0].total) == (12, 12)


def test_a_kink_far_out_in_one_input_keeps_the_other() -> None:
    # |a - 1000| + b: d/da has no value at a = 1000 (a kink), d/db = 1 there still.
    # 8 far-out points, 2 partials each, less d/da at the kink: 15.
    report = check_op(lambda a, b: abs(a - 1000) + b, lambda a, b, out: (1.0 if a > 1000 else -1.0, 1.0))
    assert report.ok
    large = report.checks[1]
    assert (large.right, large.total) == (15, 15)


def test_an_inner_function_with_a_kink_at_a_point() -> None:
    # abs(x)**3 at x = 0 (a grid point of (-0.5, 2.5) with 4 points: 0, 1, 2): smooth there,
    # though its inner function abs(x) has a kink.
    report = check_op(lambda x: abs(x) ** 3, lambda x, out: 3 * x * abs(x), domain=(-0.5, 2.5), points=4)
    assert report.ok


def test_the_swapped_call_may_raise_or_miscount() -> None:
    # asin' read with x and out exchanged: 1/sqrt(1 - asin(x)**2) has no value where
    # asin(x) > 1 (x > 0.8415); the rule itself is right.
    assert check_op(math.asin, lambda x, out: d_asin(x), domain=NO_LARGE).ok

    def tuple_when_swapped(x: float, out: float) -> object:
        return math.cos(x) if abs(out) <= 1 else (1.0, 2.0)  # out = sin(x); swapped, |x| > 1

    assert check_op(math.sin, tuple_when_swapped).ok


def test_a_rule_of_several_inputs_is_called_with_them_all() -> None:
    calls: set[int] = set()

    def product_rule(*args: float) -> tuple[float, float]:
        calls.add(len(args))
        return args[1], args[0]

    assert check_op(lambda a, b: a * b, product_rule).ok
    assert calls == {3}  # a, b, out: never (out, a) as for the x/out swap of one input


# --- x and out: which the rule reads ----------------------------------------------------------


X_FOR_OUT = "the input x is used where the output out is needed"
OUT_FOR_X = "the output out is used where the input x is needed"


def test_x_for_out_when_x_minus_a_step_has_no_value() -> None:
    # (x**2)' = 2x = 2 sqrt(out) for x > 0; 2 sqrt(x) reads x where out belongs. On (0.05, 0.3)
    # x - 0.37 would be negative: the rule is read at x + 0.37.
    report = check_op(lambda x: x**2, lambda x, out: 2 * math.sqrt(x), domain=(0.05, 0.3))
    assert report.kinds == ("x_for_out",)
    assert report.mistakes[0].message.startswith(X_FOR_OUT)


def test_x_for_out_when_x_plus_more_than_a_step_has_no_value() -> None:
    # sin' = cos(x) = sqrt(1 - out**2) on (-pi/2, pi/2); sqrt(1 - x**2) has no value past x = 1.
    report = check_op(math.sin, lambda x, out: math.sqrt(1 - x**2), domain=(-0.3, 0.3))
    assert report.kinds == ("x_for_out",)
    assert report.mistakes[0].message.startswith(X_FOR_OUT)


def test_out_for_x_when_out_past_one_has_no_value() -> None:
    # asin' = 1 / sqrt(1 - x**2); 1 / sqrt(1 - out**2) reads out where x belongs, and has no value
    # for out > 1.
    report = check_op(math.asin, lambda x, out: 1 / math.sqrt(1 - out**2), domain=(-0.5, 0.5))
    assert report.kinds == ("out_for_x",)
    assert report.mistakes[0].message.startswith(OUT_FOR_X)


# --- across the partials ----------------------------------------------------------------------


def test_a_sum_treatment_of_an_op_that_is_not_a_product() -> None:
    report = check_op(asin_product, lambda a, b, out: (1.0, 1.0), domain=NO_LARGE)
    assert report.kinds == ("mul_like_add",)
    assert report.mistakes[0].message == (
        "treated like a sum: yours are 1 for every input, the derivatives of a + b "
        "(the derivatives of a sum are 1; this op's are not)."
    )
    product = check_op(lambda a, b: a * b, lambda a, b, out: (1.0, 1.0))
    assert product.mistakes[0].message == (
        "treated like a sum: yours are 1 for every input, the derivatives of a + b "
        "(for a * b the derivative with respect to each input is the product of the others)."
    )


def test_both_signs_flipped_with_no_point_far_out_is_not_a_sum() -> None:
    def flipped(a: float, b: float, out: float) -> tuple[float, float]:
        return -math.asin(b) * d_asin(a), -math.asin(a) * d_asin(b)

    report = check_op(asin_product, flipped, domain=NO_LARGE)
    assert report.kinds == ("sign", "sign")
    assert [m.partial for m in report.mistakes] == ["a", "b"]


def test_one_and_one_and_a_half_is_not_a_sum() -> None:
    report = check_op(lambda a, b: a * b, lambda a, b, out: (1.0, 1.5))
    assert "mul_like_add" not in report.kinds
    assert [m.partial for m in report.mistakes] == ["a", "b"]


def test_ones_on_the_domain_only_are_a_sum() -> None:
    def ones_near(a: float, b: float, out: float) -> tuple[float, float]:
        return (1.0, 1.0) if abs(a) < 50 and abs(b) < 50 else (b, a)

    assert check_op(lambda a, b: a * b, ones_near).kinds == ("mul_like_add",)


def test_a_wrong_partial_with_no_point_far_out_is_not_called_swapped() -> None:
    def da_is_a(a: float, b: float, out: float) -> tuple[float, float]:
        return a, math.asin(a) * d_asin(b)

    report = check_op(asin_product, da_is_a, domain=NO_LARGE)
    assert report.kinds == ("unexplained",)
    assert report.mistakes[0].message.startswith("d/da: wrong at 32 of 32 points; first at ")


def test_partials_exchanged_that_are_right_on_part_of_the_domain() -> None:
    # relu(a) * b: d/da = b where a > 0 (else 0), d/db = relu(a). Exchanged, each is right where
    # a < 0 (both 0 there): part of the domain, but the exchange is what to name.
    def exchanged(a: float, b: float, out: float) -> tuple[float, float]:
        return max(a, 0.0), (b if a > 0 else 0.0)

    report = check_op(lambda a, b: max(a, 0.0) * b, exchanged)
    assert report.kinds == ("swapped_partials",)
    assert (
        report.mistakes[0].message
        == "the two partial derivatives are exchanged: yours d/da is the true d/db."
    )


def test_one_partial_given_for_the_other() -> None:
    # d(a*b)/da = b is right; d/db should be a, and b (the true d/da) is given.
    report = check_op(lambda a, b: a * b, lambda a, b, out: (b, b))
    assert report.kinds == ("swapped_partials",)
    mistake = report.mistakes[0]
    assert mistake.partial == "b"
    assert (
        mistake.message == "d/db: yours is the true d/da: the derivative with respect to a was given for b."
    )
