"""Stable forms: exact and finite at |x| = 1000, accurate near 0, NaN passes through."""

import math

import pytest

from autograd import Value


@pytest.mark.parametrize(
    ("method", "x", "value", "derivative"),
    [
        ("sigmoid", 1000.0, 1.0, 0.0),
        ("sigmoid", -1000.0, 0.0, 0.0),
        ("softplus", 1000.0, 1000.0, 1.0),
        ("softplus", -1000.0, 0.0, 0.0),
        ("tanh", 1000.0, 1.0, 0.0),
        ("tanh", -1000.0, -1.0, 0.0),
    ],
)
def test_saturating_ops_at_1000(method, x, value, derivative):
    v = Value(x)
    out = getattr(v, method)()
    out.backward()
    assert out.data == value and v.grad == derivative


def test_accurate_near_zero():
    assert Value(1e-8).tanh().data == 1e-8
    assert Value(1e-300).tanh().data == 1e-300
    # softplus(x) = log 2 + x/2 + x^2/8 + ... ; sigmoid(x) = 1/2 + x/4 - ...
    assert Value(1e-10).softplus().data == pytest.approx(math.log(2) + 5e-11, rel=1e-15)
    assert Value(-30.0).softplus().data == pytest.approx(math.exp(-30.0), rel=1e-14)
    assert Value(-30.0).sigmoid().data == pytest.approx(1 / (1 + math.exp(30.0)), rel=1e-14)


@pytest.mark.parametrize(
    "method", ["exp", "log", "sqrt", "tanh", "sigmoid", "softplus", "relu", "leaky_relu", "abs", "sin", "cos"]
)
def test_nan_propagates_without_raising(method):
    out = getattr(Value(math.nan), method)()
    assert math.isnan(out.data)


def test_nan_through_arithmetic():
    n = Value(math.nan)
    for out in (n + 1, n * 2, n / 3, 1 / n, n**2, n - n):
        assert math.isnan(out.data)
