"""Where the rule lab tries a derivative, and its oracle: the holes mutation testing found in points.py.

Each test asserts what is known without the code: a domain the learner wrote named back as they
wrote it, the middle of a range, that a function is not finite, the slopes on both sides of a
kink, the exact truncation error h²·f'''/6 of a central difference on a cubic, and the inputs'
names a report uses.
"""

from __future__ import annotations

import math
from fractions import Fraction

import numpy as np
import pytest

from autograd.learn.check import check_backward, check_op
from autograd.learn.points import as_domain, central_difference, evaluate, large_points, names_for


def _square(x: float) -> float:
    return x * x


def _twice(x: float, out: float) -> float:
    return 2 * x


# --- as_domain: every bad domain named as the learner wrote it ---------------------------------


@pytest.mark.parametrize("domain, shown", [(5, "5"), ((0, 1, 2), "(0, 1, 2)"), ("ab", "'ab'")])
def test_a_domain_neither_a_pair_nor_one_pair_per_input_is_named(domain: object, shown: str) -> None:
    with pytest.raises(ValueError) as err:
        check_op(_square, _twice, domain=domain)
    assert str(err.value) == f"check_op: domain must be (lo, hi) or one (lo, hi) per input, got {shown}"


@pytest.mark.parametrize(
    "second, shown",
    [
        (5, "5"),  # not a pair at all: named as 5, not as a placeholder
        ((1, 2, 3), "(1, 2, 3)"),
        (("a", "b"), "('a', 'b')"),
        ((True, 2), "(True, 2)"),  # a bool is no end of a range (as in the one-pair form)
        ((2, 1), "(2, 1)"),
        ((math.nan, 1), "(nan, 1)"),
    ],
)
def test_a_bad_range_of_one_input_is_named_as_written(second: object, shown: str) -> None:
    with pytest.raises(ValueError) as err:
        check_backward(lambda a, b: a * b, lambda a, b, out: None, domain=((0, 1), second))
    assert str(err.value) == f"check_backward: each domain must be (lo, hi) with lo < hi, got {shown}"


@pytest.mark.parametrize(
    "domain",
    [(-math.inf, math.inf), (0, math.inf), (-1e308, 1e308), (-(10**400), 0), (0, 10**400)],
)
def test_an_infinite_domain_is_refused_not_called_a_forward_with_no_finite_number(domain: object) -> None:
    # x * x is finite everywhere: the trouble is the range, whose points (spread over hi - lo) are
    # not finite; the old code said "the forward rule gives no finite number anywhere" or raised
    # a raw OverflowError for an int beyond the float range.
    with pytest.raises(ValueError) as err:
        check_op(_square, _twice, domain=domain)
    assert str(err.value) == (
        f"check_op: each domain must be finite, with a finite width hi - lo, got {domain!r}"
    )


def test_numbers_of_any_real_kind_make_a_domain() -> None:
    assert as_domain((np.int64(-2), np.float32(2.5)), 2, "check_op") == ((-2.0, 2.5), (-2.0, 2.5))
    assert as_domain([Fraction(1, 2), 3], 1, "check_op") == ((0.5, 3.0),)
    assert as_domain([[0, 1], (np.int32(2), 3.5)], 2, "check_op") == ((0.0, 1.0), (2.0, 3.5))
    report = check_op(_square, _twice, domain=(np.int64(-2), np.int64(2)))
    assert report.ok
    assert "derivative at 32 points of the domain: 32/32 right" in str(report)


# --- large_points: the other inputs sit at the middle of their ranges ---------------------------


def test_large_points_put_the_other_inputs_at_the_middle() -> None:
    assert large_points(((0.0, 4.0), (10.0, 20.0))) == [
        (-1000.0, 15.0),
        (-100.0, 15.0),
        (100.0, 15.0),
        (1000.0, 15.0),
        (2.0, -1000.0),
        (2.0, -100.0),
        (2.0, 100.0),
        (2.0, 1000.0),
    ]


def test_the_large_points_a_report_counts() -> None:
    # a * log(b) on a in (-3, 3), b in (1, 3): a at ±100 and ±1000 with b = 2 (4 points), b at
    # 100 and 1000 with a = 0 (log of -100 and -1000 has no value): 6 points, 2 partials each.
    report = check_op(
        lambda a, b: a * math.log(b), lambda a, b, out: (math.log(b), a / b), domain=((-3, 3), (1, 3))
    )
    assert report.ok
    assert "derivative at large |a| or |b| (100, 1000): 12/12 right" in str(report)


# --- evaluate: a forward that is not finite there gives no point --------------------------------


@pytest.mark.parametrize("value", [math.inf, -math.inf, math.nan])
def test_evaluate_gives_none_where_forward_is_not_finite(value: float) -> None:
    assert evaluate(lambda x: value, (1.0,)) is None
    assert evaluate(lambda x: x, (2.5,)) == 2.5


def test_points_where_forward_overflows_are_left_out() -> None:
    # x * 1e306 is 1e308 at |x| = 100 and overflows to inf at |x| = 1000: 2 large points remain.
    report = check_op(lambda x: x * 1e306, lambda x, out: 1e306)
    assert report.ok
    assert "derivative at large |x| (100, 1000): 2/2 right" in str(report)


# --- central_difference: the oracle -----------------------------------------------------------


@pytest.mark.parametrize(
    "forward, x",
    [
        (math.sqrt, 1e-6),  # x - h < 0: only f(x - h) has no value
        (lambda x: math.sqrt(-x), -1e-6),  # only f(x + h) has no value
        (lambda x: math.sin(x) / x, 0.0),  # only f(x) has no value
    ],
)
def test_no_derivative_where_one_of_the_three_values_is_missing(forward: object, x: float) -> None:
    assert central_difference(forward, (x,), 0) is None  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "forward",
    [
        lambda x: max(x, 0.0),  # relu: slopes 0 and 1
        abs,  # slopes -1 and 1
        lambda x: 0.015 * max(x, 0.0),  # slopes 0 and 0.015: a small kink is a kink too
    ],
)
def test_no_derivative_at_a_kink(forward: object) -> None:
    assert central_difference(forward, (0.0,), 0) is None  # type: ignore[arg-type]
    assert central_difference(forward, (1.0,), 0) is not None  # type: ignore[arg-type]


def test_the_step_grows_with_x_so_large_points_stay_exact() -> None:
    # x² at 1000: a central difference is exact on a quadratic, so only rounding is left; with
    # h = 1e-5 * 1000 = 0.01 that is far below 1e-6 (a step of 1e-8 would leave about 1e-2).
    found = central_difference(_square, (1000.0,), 0)
    assert found is not None
    assert abs(found[0] - 2000.0) <= 1e-6
    assert found[1] <= 1e-4  # the tolerance stays tight too


def test_the_tolerance_covers_rounding_of_a_large_output() -> None:
    # 1e8 + 0.001 x: f' = 0.001, but f(x ± h) are rounded to about 1.5e-8, so the central
    # difference is off by up to about 7.5e-4; the tolerance (2^-52-ish · |f| / h) must cover it.
    found = central_difference(lambda x: 1e8 + 1e-3 * x, (0.5,), 0)
    assert found is not None
    central, tolerance = found
    assert abs(central - 1e-3) <= tolerance
    assert tolerance <= 0.02
    report = check_op(lambda x: 1e8 + 1e-3 * x, lambda x, out: 1e-3)  # a right derivative
    assert report.ok


def test_the_tolerance_covers_the_truncation_error_on_a_cubic() -> None:
    # f = (x-1000)²/4 + 0.01 (x-1000)³ at x = 1000: f' = 0, and a central difference of a cubic
    # is off by exactly h²·f'''/6 = 0.01² · 0.06 / 6 = 1e-6 (h = 0.01 at |x| = 1000).
    found = central_difference(lambda x: 0.25 * (x - 1000) ** 2 + 0.01 * (x - 1000) ** 3, (1000.0,), 0)
    assert found is not None
    central, tolerance = found
    assert central == pytest.approx(1e-6, rel=1e-6)
    assert abs(central - 0.0) <= tolerance


def test_the_tolerance_is_tight_where_the_curve_bends() -> None:
    # exp((x - 1000)/2) at 1000: f' = 0.5, truncation h²·f'''/6 = 1e-4 · 0.125 / 6 ≈ 2e-6, so a
    # tolerance of 1e-4 is already generous: a derivative off by 0.1% must still be caught.
    found = central_difference(lambda x: math.exp((x - 1000) / 2), (1000.0,), 0)
    assert found is not None
    central, tolerance = found
    assert abs(central - 0.5) <= 1e-5
    assert tolerance <= 1e-4


# --- names_for: the inputs' names in a report -------------------------------------------------


def test_a_parameter_named_out_is_not_used_as_a_name() -> None:
    # out is the derivative's last argument: an input called out would read "out=1.5" for x.
    assert names_for(1, lambda out: out) == ("x",)
    assert names_for(2, lambda a, out: a) == ("x1", "x2")
    assert names_for(2, lambda a, b: a) == ("a", "b")
    report = check_op(lambda out: out * out, lambda out, o: 3.0)
    assert "first wrong: at x=-2.875: yours 3.0, true -5.75" in str(report)


def test_names_without_a_code_object_are_x_or_x1_x2() -> None:
    class Product:
        def __call__(self, a: float, b: float) -> float:
            return a * b

    assert names_for(1, Product()) == ("x",)
    assert names_for(2, Product()) == ("x1", "x2")
    assert names_for(3, Product()) == ("x1", "x2", "x3")
    report = check_op(Product(), lambda a, b, out: (b, b))  # d/db is a, not b
    assert "mistake: d/dx2: yours is the true d/dx1" in str(report)
