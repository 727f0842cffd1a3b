"""Every op's backward against central finite differences, on hypothesis-drawn inputs in its domain."""

import math

from hypothesis import given, settings
from hypothesis import strategies as st

from autograd import Value, dot, sum
from tests.oracles import central_difference


def floats(lo: float, hi: float) -> st.SearchStrategy[float]:
    return st.floats(lo, hi, allow_nan=False, allow_infinity=False)


def away_from_zero(lo: float, hi: float) -> st.SearchStrategy[float]:
    """Values in [lo, hi] at least 1e-3 from 0, for ops with a kink at 0."""
    return floats(lo, hi).filter(lambda x: abs(x) > 1e-3)


def check(f, *xs, rel=1e-5, abs_=1e-6):
    vs = [Value(x) for x in xs]
    f(*vs).backward()
    for i, v in enumerate(vs):
        numeric = central_difference(f, xs, i)
        assert math.isclose(v.grad, numeric, rel_tol=rel, abs_tol=abs_), (i, v.grad, numeric)


UNARY = {
    "neg": (lambda a: -a, floats(-5, 5)),
    "exp": (lambda a: a.exp(), floats(-5, 5)),
    "log": (lambda a: a.log(), floats(0.05, 50)),
    "sqrt": (lambda a: a.sqrt(), floats(0.05, 50)),
    "tanh": (lambda a: a.tanh(), floats(-4, 4)),
    "sigmoid": (lambda a: a.sigmoid(), floats(-10, 10)),
    "softplus": (lambda a: a.softplus(), floats(-10, 10)),
    "relu": (lambda a: a.relu(), away_from_zero(-5, 5)),
    "leaky_relu": (lambda a: a.leaky_relu(0.2), away_from_zero(-5, 5)),
    "abs": (lambda a: abs(a), away_from_zero(-5, 5)),
    "sin": (lambda a: a.sin(), floats(-6, 6)),
    "cos": (lambda a: a.cos(), floats(-6, 6)),
    "square": (lambda a: a**2, floats(-5, 5)),
    "cube": (lambda a: a**3, floats(-3, 3)),
    "pow_frac": (lambda a: a**1.7, floats(0.1, 5)),
    "rpow": (lambda a: 1.5**a, floats(-3, 3)),
}


@settings(max_examples=25, deadline=None)
@given(data=st.data())
def test_unary_ops_match_finite_differences(data):
    for f, domain in UNARY.values():
        check(f, data.draw(domain))


@settings(max_examples=40, deadline=None)
@given(a=floats(-5, 5), b=floats(-5, 5))
def test_binary_arithmetic(a, b):
    check(lambda x, y: x + y, a, b)
    check(lambda x, y: x - y, a, b)
    check(lambda x, y: x * y, a, b)
    if abs(b) > 0.1:
        check(lambda x, y: x / y, a, b)


@settings(max_examples=40, deadline=None)
@given(x=floats(0.1, 4), n=floats(-2, 3))
def test_pow_with_value_exponent(x, n):
    check(lambda a, b: a**b, x, n)


@settings(max_examples=25, deadline=None)
@given(xs=st.lists(floats(-3, 3), min_size=2, max_size=8))
def test_fused_sum_and_dot(xs):
    half = len(xs) // 2
    check(lambda *vs: sum(vs), *xs)
    check(lambda *vs: dot(vs[:half], vs[half : 2 * half]).tanh(), *xs)
