"""Holes the mutation session found in autograd/ops.py (docs/testing.md, issue 23): each case is
derived by hand and fails on the surviving mutant named in its docstring."""

from __future__ import annotations

import math

import pytest

from autograd import Value, ops, trace


@pytest.mark.parametrize("x", [math.inf, -math.inf])
def test_tan_of_an_infinity_is_nan(x):
    """tan has no limit at +-inf: nan, as PyTorch gives (math.tan(inf) raises; the guard was untested)."""
    out = Value(x).tan()
    assert math.isnan(out.data) and math.isnan(out.local_grads[0])
    assert math.isnan(ops.float_tan(x))


@pytest.mark.parametrize("x", [0.5, 1.0, 1e-3])
def test_leaky_relus_slope_is_read_back_for_an_input_between_0_and_1(x):
    """leaky_relu_slope for a positive input comes from the table, not from the local derivative (1)."""
    node = ops.leaky_relu(Value(x), 0.2)
    assert ops.leaky_relu_slope(node) == 0.2
    value, (gradient,) = trace(lambda v: ops.leaky_relu(v, 0.2), x).compile()(-1.0)
    assert (value, gradient) == (-0.2, 0.2)  # by hand: 0.2 * -1 and slope 0.2 on the negative side


@pytest.mark.parametrize(
    ("x", "n", "value", "d_base"),
    [
        (0.1, -308.0, 1e308, -math.inf),
        (-0.1, -308.0, 1e308, math.inf),
        (-0.5, -1023.0, -(2.0**1023), -math.inf),
    ],
)
def test_an_overflowing_power_in_pows_derivative_keeps_its_sign(x, n, value, d_base):
    """d(a**n)/da = n a**(n-1), where a**n is a float and a**(n-1) is not.

    By hand: 0.1**-309 = +1e309, so -308 x (+1e309) -> -inf; (-0.1)**-309 = -1e309 (an odd
    power), so -308 x (-1e309) -> +inf; (-0.5)**-1024 = +2**1024 (an even power), so
    -1023 x (+2**1024) -> -inf.
    """
    a = Value(x)
    out = a**n
    out.backward()
    assert out.data == pytest.approx(value, rel=1e-12)
    assert a.grad == d_base
