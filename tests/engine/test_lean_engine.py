"""The benchmark's lean baseline (bench/lean.py) and the workloads both engines run (bench/gpt.py).

The lean engine is checked against hand-derived derivatives and against chainrule on every
workload: the same losses and the same gradients. The tiny GPT's gradients are checked against
central finite differences. No timing here: speed is measured by ``python -m bench.vs_lean``.
"""

import math

import pytest

import nn
from autograd import Value
from bench import floor, gpt, workloads
from bench.lean import LeanValue


def test_lean_ops_and_their_derivatives_by_hand():
    a, b = LeanValue(2.0), LeanValue(-3.0)
    out = a * b + a**3.0 + b.relu() + a.relu() + a.log() + b.exp()
    out.backward()
    assert out.data == pytest.approx(-6.0 + 8.0 + 0.0 + 2.0 + math.log(2.0) + math.exp(-3.0), rel=1e-15)
    # d/da = b + 3a² + 1 (relu at a > 0) + 1/a;  d/db = a + 0 (relu at b < 0) + e**b
    assert a.grad == pytest.approx(-3.0 + 12.0 + 1.0 + 0.5, rel=1e-15)
    assert b.grad == pytest.approx(2.0 + math.exp(-3.0), rel=1e-15)


def test_lean_derived_ops_by_hand():
    a, b = LeanValue(2.0), LeanValue(4.0)
    out = (1.0 - a) / b + 3.0 / a - (-b) + 2 * a + (1 + a)
    out.backward()
    assert out.data == pytest.approx(-0.25 + 1.5 + 4.0 + 4.0 + 3.0, rel=1e-15)
    # d/da = -1/b - 3/a² + 2 + 1;  d/db = -(1 - a)/b² + 1
    assert a.grad == pytest.approx(-0.25 - 0.75 + 3.0, rel=1e-15)
    assert b.grad == pytest.approx(1.0 / 16.0 + 1.0, rel=1e-15)


def test_lean_iterative_sort_equals_the_recursive_one():
    x = LeanValue(0.3)
    y = (x * x).exp() + x.log() * x
    y.backward()
    recursive = x.grad
    x.grad = 0.0
    y = (x * x).exp() + x.log() * x
    y.backward_iterative()
    # d/dx = 2x e**(x²) + log x + 1
    assert x.grad == recursive == pytest.approx(0.6 * math.exp(0.09) + math.log(0.3) + 1.0, rel=1e-14)


def test_deep_chain_on_both_engines_and_the_floor():
    x0, scale, shift = 0.5, 1.0001, 1e-4
    ours = gpt.chain(Value, x0, 3000, scale, shift, Value.backward)
    lean = gpt.chain(LeanValue, x0, 3000, scale, shift, LeanValue.backward_iterative)
    assert ours == lean
    assert ours == pytest.approx(floor.deep_chain(x0, 3000, scale, shift), rel=1e-12)


def test_moons_step_on_both_engines_and_the_floor():
    X, y = workloads.moons_data(n=12, seed=3)
    weights = workloads.weights_of(nn.MLP(2, [4, 4, 1], seed=5))
    ours = gpt.mlp_parameters(Value, weights)
    lean = gpt.mlp_parameters(LeanValue, weights)
    floor_weights = [[list(n) for n in layer] for layer in weights]
    for _ in range(2):  # the second step starts from the first's update: the gradients agreed
        loss = gpt.moons_step(Value, ours, X, y, 0.1, workloads.ALPHA)
        assert loss == pytest.approx(gpt.moons_step(LeanValue, lean, X, y, 0.1, workloads.ALPHA), rel=1e-12)
        assert loss == pytest.approx(floor.moons_step(floor_weights, X, y, 0.1, workloads.ALPHA), rel=1e-12)
    after = [p.data for layer in ours for w, b in layer for p in (*w, b)]
    assert after == pytest.approx([p.data for layer in lean for w, b in layer for p in (*w, b)], rel=1e-12)
    assert after == pytest.approx([p for layer in floor_weights for n in layer for p in n], rel=1e-12)


def test_tiny_gpt_has_the_stated_size():
    params = gpt.gpt_parameters(LeanValue)
    # wte and lm_head 27x16, wpe 16x16, q k v o 16x16, fc1 64x16, fc2 16x64
    assert len(gpt.flat(params)) == 2 * 27 * 16 + 16 * 16 + 4 * 16 * 16 + 2 * 64 * 16 == 4192
    assert gpt.sequence()[:6] == [26, 4, 12, 12, 0, 26]  # ' emma ' : boundary, e, m, m, a, boundary


def test_tiny_gpt_loss_and_grads_on_both_engines():
    seq = gpt.sequence(2)
    ours, lean = gpt.gpt_parameters(Value, seed=1), gpt.gpt_parameters(LeanValue, seed=1)
    ours_loss, lean_loss = gpt.gpt_loss(ours, seq), gpt.gpt_loss(lean, seq)
    ours_loss.backward()
    lean_loss.backward()
    assert ours_loss.data == pytest.approx(lean_loss.data, rel=1e-12)
    # near log(27): small random weights predict nearly uniformly
    assert abs(ours_loss.data - math.log(27)) < 0.3
    ours_grads, lean_grads = [p.grad for p in gpt.flat(ours)], [p.grad for p in gpt.flat(lean)]
    assert ours_grads == pytest.approx(lean_grads, rel=1e-12, abs=1e-15)
    assert sum(g != 0.0 for g in ours_grads) > 500  # most parameters get a gradient


@pytest.mark.slow  # 4,192 grads by central differences: about a second
def test_tiny_gpt_grads_against_central_differences():
    """dloss/dp for a parameter of each kind against (loss(p + h) - loss(p - h)) / 2h."""
    seq = gpt.sequence(2)  # two positions: the second attends to the first, so keys get a gradient
    params = gpt.gpt_parameters(LeanValue, seed=2)
    gpt.gpt_loss(params, seq).backward()
    h = 1e-5
    for name, row, col in [("wte", 4, 3), ("wk", 7, 1), ("fc1", 10, 12), ("lm_head", 12, 0)]:
        p = params[name][row][col]
        p.data += h
        up = gpt.gpt_loss(params, seq).data
        p.data -= 2 * h
        down = gpt.gpt_loss(params, seq).data
        p.data += h
        assert p.grad != 0.0
        assert p.grad == pytest.approx((up - down) / (2 * h), rel=1e-5, abs=1e-10), name
