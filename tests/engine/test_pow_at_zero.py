"""pow at a base of 0 (issue 23's test holes): the engine, its higher-order rule and the trace
agree with derivatives taken by hand.

d(a**n)/da = n a**(n-1): at a = 0 that is 0 for n > 1, 1 for n = 1, +inf for 0 < n < 1 (the
one-sided limit, as PyTorch gives), and 0 for n = 0 (a**0 = 1 everywhere). d(a**n)/dn =
a**n log a is taken as 0 where a <= 0.
"""

from __future__ import annotations

import math

import pytest

import autograd
from autograd import Value, trace

# (n, a**n at a = 0, d/da at 0)
AT_ZERO = [
    (2.0, 0.0, 0.0),
    (3.0, 0.0, 0.0),
    (1.5, 0.0, 0.0),  # 1.5 * 0**0.5
    (1.0, 0.0, 1.0),
    (0.5, 0.0, math.inf),
    (0.25, 0.0, math.inf),
    (0.0, 1.0, 0.0),
]


@pytest.mark.parametrize(("n", "value", "d_base"), AT_ZERO)
@pytest.mark.parametrize("zero", [0.0, -0.0])
def test_pow_at_a_base_of_zero(n, value, d_base, zero):
    a, b = Value(zero), Value(n)
    out = a**b
    out.backward()
    assert out.data == value
    assert a.grad == d_base
    assert b.grad == 0.0  # a**n log a has no value at a = 0: taken as 0


@pytest.mark.parametrize(("n", "value", "d_base"), AT_ZERO)
def test_pow_at_zero_with_a_constant_exponent_and_in_the_trace(n, value, d_base):
    x = Value(0.0)
    out = x**n
    out.backward()
    assert (out.data, x.grad) == (value, d_base)
    traced_value, (traced_grad,) = trace(lambda v: v**n, 0.0).compile()(0.0)
    assert (traced_value, traced_grad) == (value, d_base)


@pytest.mark.parametrize(("n", "d_base", "second"), [(2.0, 0.0, 2.0), (1.0, 1.0, 0.0), (3.0, 0.0, 0.0)])
def test_pow_at_zero_in_the_higher_order_rule(n, d_base, second):
    """By hand: d2(a**n)/da2 = n (n-1) a**(n-2): 2 for n = 2, 0 for n = 1 and n = 3 at a = 0."""
    first = autograd.grad(lambda v: v**n)
    assert float(first(0.0)) == d_base
    assert float(autograd.grad(first)(0.0)) == second
