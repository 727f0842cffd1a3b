"""grad / value_and_grad / gradcheck: results against hand formulas, and what they leave behind."""

import math

import pytest

from autograd import GradcheckError, Value, grad, gradcheck, value_and_grad


def test_value_and_grad_returns_both():
    value, g = value_and_grad(lambda x: x.sin() * x)(0.8)
    assert value == pytest.approx(math.sin(0.8) * 0.8)
    assert g == pytest.approx(math.cos(0.8) * 0.8 + math.sin(0.8))


def test_argnums_tuple():
    _, (ga, gb) = value_and_grad(lambda a, b: a * b.exp(), argnums=(0, 1))(2.0, 0.5)
    assert ga == pytest.approx(math.exp(0.5)) and gb == pytest.approx(2 * math.exp(0.5))


def test_argnums_out_of_range():
    with pytest.raises(ValueError, match="argnums 2"):
        grad(lambda a: a, argnums=2)(1.0)


def test_grad_of_constant_function_is_zero():
    assert grad(lambda x: 3.0)(1.0) == 0.0
    assert grad(grad(lambda x: x + 1))(1.0) == 0.0


def test_grad_leaves_closed_over_values_alone():
    w = Value(3.0)
    w.grad = 7.0
    assert grad(lambda x: w * x * x)(2.0) == pytest.approx(12.0)
    assert w.grad == 7.0


def test_grad_result_type():
    with pytest.raises(TypeError, match="grad: f's result.*str"):
        grad(lambda x: "no")(1.0)


def test_gradcheck_passes_and_reports():
    report = gradcheck(lambda x, y: (x * y).tanh() + y.log(), 0.3, 1.7)
    assert report and report.passed
    assert len(report.analytic) == 2 and report.abs_error < 1e-7


def test_gradcheck_catches_a_wrong_derivative():
    def bad_square(x):
        # the right value x*x, but only one factor is differentiated: d/dx reported as x, not 2x
        return x * x.detach()

    with pytest.raises(GradcheckError, match="worst input 0"):
        gradcheck(bad_square, 1.5)
    report = gradcheck(bad_square, 1.5, raise_exception=False)
    assert (
        not report and report.analytic[0] == pytest.approx(1.5) and report.numerical[0] == pytest.approx(3.0)
    )
