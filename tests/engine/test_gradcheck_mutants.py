"""gradcheck: its verdict, its text and its errors, pinned where mutation testing found them loose.

The numbers here are exact by construction: a step eps = 0.25 and points of a few binary digits
make every finite difference of a polynomial of low degree exact in floating point, so the
report's text can be written out by hand. ``x - x.detach()`` is 0 in value with derivative 1:
``c * (x - x.detach())`` adds c to the analytic derivative and nothing to f, a wrong derivative
of a known size.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np
import pytest

from autograd import GradcheckError, Value, custom_op, gradcheck
from autograd.gradcheck import GradcheckReport


def off_by(c: float) -> Callable[[Value], Value]:
    """A Value that is 0 with derivative c (the backward pass is told a slope f does not have)."""
    return lambda x: c * (x - x.detach())


def test_a_passing_report_says_passed_with_its_numbers() -> None:
    # f = 3x at 0.5, eps 0.25: (2.25 - 0.75) / 0.5 = 3.0 exactly; backward gives 3.0
    report = gradcheck(lambda x: x * 3, 0.5, eps=0.25)
    assert report.passed and bool(report)
    assert report == GradcheckReport(True, (3.0,), (3.0,), 0, 0.0)
    assert str(report) == "gradcheck passed: worst input 0: analytic 3.0, numerical 3.0, |error| 0"


def test_a_failing_report_says_failed_with_its_numbers() -> None:
    # x * x.detach(): value x², analytic derivative x (one factor) = 1.5;
    # numerical (1.75² - 1.25²) / 0.5 = (3.0625 - 1.5625) / 0.5 = 3.0 exactly
    text = "gradcheck FAILED: worst input 0: analytic 1.5, numerical 3.0, |error| 1.5"
    report = gradcheck(lambda x: x * x.detach(), 1.5, eps=0.25, raise_exception=False)
    assert not report and str(report) == text
    with pytest.raises(GradcheckError) as caught:
        gradcheck(lambda x: x * x.detach(), 1.5, eps=0.25)
    assert str(caught.value) == text


def test_the_worst_input_is_the_one_past_its_tolerance_not_the_last_or_the_largest_error() -> None:
    # input 0: analytic 0.5, numerical 0 -> error 0.5 > atol 1e-5: fails.
    # input 1: 1000 b plus a slip of 0.6 -> error 0.6 <= 1e-5 + 1e-3 * 1000: passes.
    # The larger error (0.6) and the last input are input 1; the failing one is input 0.
    def f(a: Value, b: Value) -> Value:
        return off_by(0.5)(a) + 1000 * b + off_by(0.6)(b)

    report = gradcheck(f, 1.0, 0.5, eps=0.25, raise_exception=False)
    assert not report.passed and report.numerical == (0.0, 1000.0)
    assert report.worst_input == 0 and report.abs_error == 0.5
    assert str(report).startswith("gradcheck FAILED: worst input 0: analytic 0.5, numerical 0.0, |error| 0.5")


def test_a_nan_gradient_is_named_as_the_worst_input() -> None:
    # a learner's op whose derivative is NaN, on input 1; input 0 (2a) is right
    broken = custom_op(lambda x: x * x, lambda x, out: float("nan"), name="broken_square")
    report = gradcheck(lambda a, b: a * 2 + broken(b), 1.0, 2.0, eps=0.25, raise_exception=False)
    assert not report.passed and report.worst_input == 1
    assert math.isnan(report.analytic[1]) and report.numerical[1] == 4.0  # (2.25² - 1.75²) / 0.5
    assert str(report).startswith("gradcheck FAILED: worst input 1: analytic nan")


def test_the_default_tolerances_are_atol_1e_5_and_rtol_1e_3() -> None:
    # numerical 0 exactly (f is 0): only atol counts; 2e-5 is past 1e-5, 5e-6 inside it
    assert not gradcheck(off_by(2e-5), 1.0, eps=0.25, raise_exception=False)
    assert gradcheck(off_by(5e-6), 1.0, eps=0.25)
    # numerical 100 exactly: tolerance 1e-5 + 0.1; 0.09 passes, 0.11 fails
    assert gradcheck(lambda x: 100 * x + off_by(0.09)(x), 1.0, eps=0.25)
    assert not gradcheck(lambda x: 100 * x + off_by(0.11)(x), 1.0, eps=0.25, raise_exception=False)


def test_an_error_equal_to_the_tolerance_passes() -> None:
    # |analytic - numerical| <= atol + rtol |numerical|: at equality it passes
    assert gradcheck(lambda x: x * 3, 0.5, eps=0.25, atol=0.0, rtol=0.0)  # exact: 0 <= 0
    assert gradcheck(off_by(0.5), 1.0, eps=0.25, atol=0.5)  # 0.5 <= 0.5
    assert not gradcheck(off_by(0.5), 1.0, eps=0.25, atol=0.25, raise_exception=False)


def test_inputs_may_be_values_bools_or_numpy_numbers() -> None:
    # d(x³)/dx = 3x²: at 2 it is 12 (a Value's .data is the point, not the Value)
    assert gradcheck(lambda x: x**3, Value(2.0)).analytic == (12.0,)
    assert gradcheck(lambda x: x**3, True).analytic == (3.0,)
    assert gradcheck(lambda x: x**3, np.float32(2.0)).analytic == (12.0,)


def test_bad_input_is_refused_with_a_message_naming_it() -> None:
    with pytest.raises(ValueError, match=r"^gradcheck: give at least one input$"):
        gradcheck(lambda x: x)
    with pytest.raises(TypeError, match=r"^gradcheck: expected a real number, got str '2'$"):
        gradcheck(lambda x: x, "2")


@pytest.mark.parametrize(
    ("settings", "error", "message"),
    [
        ({"eps": 0.0}, ValueError, "gradcheck: eps must be a finite number > 0, got 0.0"),
        ({"eps": -1e-6}, ValueError, "gradcheck: eps must be a finite number > 0, got -1e-06"),
        ({"eps": math.inf}, ValueError, "gradcheck: eps must be a finite number > 0, got inf"),
        ({"eps": True}, TypeError, "gradcheck: eps must be a number, got True"),
        ({"eps": "1e-6"}, TypeError, "gradcheck: eps: expected a real number, got str '1e-6'"),
        ({"atol": -1.0}, ValueError, "gradcheck: atol must be a finite number >= 0, got -1.0"),
        ({"atol": math.nan}, ValueError, "gradcheck: atol must be a finite number >= 0, got nan"),
        ({"rtol": -0.5}, ValueError, "gradcheck: rtol must be a finite number >= 0, got -0.5"),
        ({"rtol": None}, TypeError, "gradcheck: rtol: expected a real number, got NoneType None"),
    ],
)
def test_bad_settings_are_refused_before_f_runs(
    settings: dict[str, object], error: type, message: str
) -> None:
    calls: list[object] = []

    def f(x: Value) -> Value:
        calls.append(x)
        return x * 3

    with pytest.raises(error) as caught:
        gradcheck(f, 0.5, **settings)  # type: ignore[arg-type]
    assert str(caught.value) == message and calls == []


def test_zero_tolerances_and_a_numpy_eps_are_accepted() -> None:
    report = gradcheck(lambda x: x * 3, 0.5, eps=np.float64(0.25), atol=0, rtol=0)
    assert report.numerical == (3.0,) and isinstance(report.numerical[0], float)


@pytest.mark.parametrize("bad", [math.inf, -math.inf, math.nan])
def test_a_point_at_infinity_or_nan_is_refused_not_called_a_wrong_derivative(bad: float) -> None:
    # f = 3x has derivative 3 everywhere; inf + eps - (inf - eps) is nan, which is no verdict
    with pytest.raises(ValueError) as caught:
        gradcheck(lambda a, x: a + x * 3, 1.0, bad)
    assert str(caught.value) == f"gradcheck: input 1 is {bad!r}; finite differences need a finite point"


def test_f_infinite_at_a_step_is_refused_not_called_a_wrong_derivative() -> None:
    # x² at 1.3e154 is 1.69e308, a float; at 1.4e154 (= x + eps) it is past 1.8e308: the
    # product overflows to inf (no error), and the right derivative 2x cannot be checked there
    with pytest.raises(ValueError) as caught:
        gradcheck(lambda x: x * x, 1.3e154, eps=1e153)
    assert str(caught.value) == (
        "gradcheck: f is inf at input 0 = 1.3e+154 + eps (eps=1e+153); finite differences need "
        "finite values. Move the point or pass a smaller eps="
    )


def test_leaving_the_domain_names_the_input_the_side_and_eps() -> None:
    # log(-x) at -5e-7: the point is inside (-x = 5e-7 > 0), x + eps = 5e-7 is outside
    with pytest.raises(ValueError) as caught:
        gradcheck(lambda a, x: a * (-x).log(), 2.0, -5e-7)
    assert str(caught.value).startswith(
        "gradcheck: f failed at input 1 = -5e-07 + eps (eps=1e-06), which left the domain of an op: log: "
    )
    assert str(caught.value).endswith("Move the point away from the edge or pass a smaller eps=")
    # log(x) at 5e-7: x - eps is outside
    with pytest.raises(
        ValueError, match=r"^gradcheck: f failed at input 0 = 5e-07 - eps \(eps=1e-06\), which"
    ):
        gradcheck(lambda x: x.log(), 5e-7)
