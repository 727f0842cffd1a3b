"""Every op's value and local derivatives against the hand-derived formulas (first oracle).

The ops and their formulas come from the shared table in op_cases.py."""

import math

import pytest

import autograd
from autograd import Value
from autograd import dot as fused_dot
from autograd import sum as fused_sum
from tests.engine.op_cases import CASES, sample_points


def grads_of(f, *xs):
    vs = [Value(x) for x in xs]
    out = f(*vs)
    out.backward()
    return out.data, [v.grad for v in vs]


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_value_and_partials_match_the_hand_formulas(case):
    for point in sample_points(case, 5, seed=1):
        out, grads = grads_of(case.apply, *point)
        assert out == pytest.approx(case.value(*point), rel=1e-13, abs=1e-15), point
        assert grads == pytest.approx(list(case.grads(*point)), rel=1e-12, abs=1e-15), point


def test_every_recorded_op_has_a_case():
    """The table covers the engine: each op that ops.py records appears in some case's graph."""
    import re
    from pathlib import Path

    source = (Path(__file__).resolve().parents[2] / "autograd" / "ops.py").read_text()
    recorded = set(re.findall(r'record\([^"]*"(\w+)"', source)) - {"identity"}  # identity: tested via grad()
    seen = set()
    for case in CASES:
        out = case.apply(*(Value(x) for x in sample_points(case, 1, seed=0)[0]))
        seen |= {node.op for node in autograd.topological_order(out) if node.op}
    assert recorded <= seen, recorded - seen


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
