"""Every op's value and local derivative against the hand-derived formula (first oracle)."""

import math

import pytest

from autograd import Value
from autograd import dot as fused_dot
from autograd import sum as fused_sum


def grads_of(f, *xs):
    vs = [Value(x) for x in xs]
    out = f(*vs)
    out.backward()
    return out.data, [v.grad for v in vs]


@pytest.mark.parametrize(
    ("name", "f", "x", "value", "derivative"),
    [
        ("neg", lambda a: -a, 1.5, -1.5, -1.0),
        ("exp", lambda a: a.exp(), 0.7, math.exp(0.7), math.exp(0.7)),
        ("log", lambda a: a.log(), 2.5, math.log(2.5), 1 / 2.5),
        ("sqrt", lambda a: a.sqrt(), 9.0, 3.0, 1 / 6),
        ("tanh", lambda a: a.tanh(), 0.3, math.tanh(0.3), 1 / math.cosh(0.3) ** 2),
        (
            "sigmoid",
            lambda a: a.sigmoid(),
            0.4,
            1 / (1 + math.exp(-0.4)),
            math.exp(-0.4) / (1 + math.exp(-0.4)) ** 2,
        ),
        ("softplus", lambda a: a.softplus(), 0.4, math.log(1 + math.exp(0.4)), 1 / (1 + math.exp(-0.4))),
        ("relu+", lambda a: a.relu(), 2.0, 2.0, 1.0),
        ("relu-", lambda a: a.relu(), -2.0, 0.0, 0.0),
        ("relu0", lambda a: a.relu(), 0.0, 0.0, 0.0),
        ("leaky+", lambda a: a.leaky_relu(0.1), 2.0, 2.0, 1.0),
        ("leaky-", lambda a: a.leaky_relu(0.1), -2.0, -0.2, 0.1),
        ("abs+", lambda a: abs(a), 2.0, 2.0, 1.0),
        ("abs-", lambda a: a.abs(), -2.0, 2.0, -1.0),
        ("abs0", lambda a: abs(a), 0.0, 0.0, 0.0),
        ("sin", lambda a: a.sin(), 0.9, math.sin(0.9), math.cos(0.9)),
        ("cos", lambda a: a.cos(), 0.9, math.cos(0.9), -math.sin(0.9)),
        ("square", lambda a: a**2, -3.0, 9.0, -6.0),
        ("cube", lambda a: a**3, -2.0, -8.0, 12.0),
        ("inverse", lambda a: a**-1, 4.0, 0.25, -1 / 16),
        ("root", lambda a: a**0.5, 4.0, 2.0, 0.25),
        ("const**x", lambda a: 2**a, 3.0, 8.0, 8 * math.log(2)),
        ("r-sub", lambda a: 5 - a, 2.0, 3.0, -1.0),
        ("r-div", lambda a: 6 / a, 2.0, 3.0, -6 / 4),
        ("r-mul", lambda a: 3 * a, 2.0, 6.0, 3.0),
        ("r-add", lambda a: 3 + a, 2.0, 5.0, 1.0),
    ],
)
def test_unary_value_and_derivative(name, f, x, value, derivative):
    out, (g,) = grads_of(f, x)
    assert out == pytest.approx(value, rel=1e-14, abs=1e-15)
    assert g == pytest.approx(derivative, rel=1e-12, abs=1e-15)


def test_binary_ops_partials():
    a, b = 1.5, -2.5
    assert grads_of(lambda x, y: x + y, a, b)[1] == [1.0, 1.0]
    assert grads_of(lambda x, y: x - y, a, b)[1] == [1.0, -1.0]
    assert grads_of(lambda x, y: x * y, a, b)[1] == [b, a]
    _, (ga, gb) = grads_of(lambda x, y: x / y, a, b)
    assert ga == pytest.approx(1 / b) and gb == pytest.approx(-a / b**2)
    _, (gx, gn) = grads_of(lambda x, y: x**y, 2.0, 3.0)
    assert gx == pytest.approx(3 * 2.0**2) and gn == pytest.approx(8 * math.log(2))


def test_fused_sum_and_dot():
    _, g = grads_of(lambda a, b, c: fused_sum([a, b, c]), 1.0, 2.0, 3.0)
    assert g == [1.0, 1.0, 1.0]
    ws, xs = [0.5, -1.0, 2.0], [3.0, 4.0, -5.0]
    vals = [Value(v) for v in ws + xs]
    out = fused_dot(vals[:3], vals[3:])
    out.backward()
    assert out.data == pytest.approx(sum(w * x for w, x in zip(ws, xs)))
    assert [v.grad for v in vals] == pytest.approx(xs + ws)
    assert out.op == "dot" and len(out.inputs) == 6


def test_fused_sum_is_one_node_and_start():
    vs = [Value(float(i)) for i in range(5)]
    s = fused_sum(vs, start=10)
    assert s.data == 20.0 and s.op == "sum" and len(s.inputs) == 6
    assert fused_sum([]).data == 0.0


def test_pow_derivative_at_zero_base():
    # d/dx x**2 at 0 is 0; d/dx x**0.5 at 0 is +inf (PyTorch agrees); x**0 has derivative 0.
    assert grads_of(lambda a: a**2, 0.0)[1] == [0.0]
    assert grads_of(lambda a: a**0.5, 0.0)[1] == [math.inf]
    assert grads_of(lambda a: a**0, 0.0)[1] == [0.0]


def test_negative_base_integer_power_is_allowed():
    out, (g,) = grads_of(lambda a: a**3, -2.0)
    assert out == -8.0 and g == 12.0


def test_comparisons_use_data_and_return_bool():
    a, b = Value(1.0), Value(2.0)
    assert (a < b) is True and (a <= 1) is True and (b > a) is True and (b >= 3) is False
    assert 0.5 < a  # reflected comparison
    assert a != Value(1.0)  # equality stays identity: Values hash
    assert len({a, b, a}) == 2
