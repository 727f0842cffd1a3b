"""The benchmark's lean baseline (bench/lean.py) and the workloads both engines run (bench/gpt.py).

The lean engine is checked against hand-derived derivatives and against chainrule on every
workload: the same losses and the same gradients. The tiny GPT's gradients are checked against
central finite differences. No timing here: speed is measured by ``python -m bench.vs_lean``.
"""

import math

import pytest

import nn
from autograd import Value
from bench import floor, gpt, vs_lean, workloads
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


# --- bench/vs_lean.py: the comparisons it makes before it times anything, and its accounting ----


def wrong_by(f, factor):
    """f, with its result (a number, or each number of a tuple) multiplied by factor."""

    def wrong(*args):
        out = f(*args)
        return tuple(v * factor for v in out) if isinstance(out, tuple) else out * factor

    return wrong


def test_vs_lean_agree_refuses_nan_and_names_the_number():
    vs_lean.agree("x", 1.0, 1.0 + 1e-13, 1e-12)  # within the tolerance: no error
    with pytest.raises(AssertionError, match="x: chainrule nan != floor nan"):
        vs_lean.agree("x", math.nan, math.nan, 1e-12, "floor")  # a NaN on both sides is no agreement
    with pytest.raises(AssertionError, match=r"x \(number 1 of 2\): chainrule 2.0 != lean 2.5"):
        vs_lean.agree("x", (1.0, 2.0), (1.0, 2.5), 1e-12)
    with pytest.raises(AssertionError, match="chainrule gave 2 numbers, floor 3"):
        vs_lean.agree("x", [1.0, 2.0], [1.0, 2.0, 3.0], 1e-12, "floor")


def test_vs_lean_refuses_a_floor_that_disagrees(monkeypatch):
    for name, f in [
        ("gpt_step", floor.gpt_step),
        ("deep_chain", floor.deep_chain),
        ("moons_step", floor.moons_step),
    ]:
        monkeypatch.setattr(floor, name, wrong_by(f, 1.0 + 1e-8))
    with pytest.raises(AssertionError, match=r"^tiny GPT step: chainrule \S+ != floor"):
        vs_lean.gpt_trio(2)
    with pytest.raises(AssertionError, match=r"^deep chain \(number 0 of 2\): chainrule \S+ != floor"):
        vs_lean.chain_trio(300)
    with pytest.raises(AssertionError, match=r"^moons step: chainrule \S+ != floor"):
        vs_lean.moons_trio(10)


def test_vs_lean_compares_every_weight_after_the_floors_gpt_step(monkeypatch):
    real = floor.gpt_step

    def one_weight_off(weights, seq, lr=0.01, n_head=4):
        loss = real(weights, seq, lr, n_head)
        weights["fc2"][3][5] += 1e-9  # the loss is right, one of the 4,192 updates is not
        return loss

    monkeypatch.setattr(floor, "gpt_step", one_weight_off)
    number = 27 * 16 + 16 * 16 + 4 * 16 * 16 + 64 * 16 + 3 * 64 + 5  # fc2[3][5]: after wte, wpe, q k v o, fc1
    with pytest.raises(AssertionError, match=rf"weights after it \(number {number} of 4192\)"):
        vs_lean.gpt_trio(2)


def test_vs_lean_trios_agree_and_the_floor_steps_in_place():
    ours, lean, floor_step = vs_lean.gpt_trio(2)  # checked once inside; the second step agrees too
    second = ours()
    assert lean() == pytest.approx(second, rel=1e-12) and floor_step() == pytest.approx(second, rel=1e-12)
    ours, lean, floor_step = vs_lean.chain_trio(300)
    assert ours() == lean() and floor_step() == pytest.approx(ours(), rel=1e-12)


def test_vs_lean_times_each_call_after_an_untimed_collection(monkeypatch):
    """A fake clock and collector: chainrule takes 10 ms, lean 20 ms and leaves garbage, the floor
    1 ms; a collection takes 2 ms, 7 ms with garbage. No call is timed with a collection in it, so
    no call pays for the garbage of the one before (the lean engine's is dropped, not moved)."""
    clock = [0.0]
    pending = [False]
    order = []

    def step(name, seconds, garbage=False):
        def run():
            order.append(name)
            clock[0] += seconds
            pending[0] = pending[0] or garbage

        return run

    def collect():
        order.append("collect")
        found = 100 if pending[0] else 0
        clock[0] += 0.002 + (0.005 if pending[0] else 0.0)
        pending[0] = False
        return found

    monkeypatch.setattr(vs_lean.time, "process_time", lambda: clock[0])
    monkeypatch.setattr(vs_lean.gc, "collect", collect)
    row = vs_lean.cpu_interleaved(step("ours", 0.010), step("lean", 0.020, True), step("floor", 0.001), 3)
    assert order == ["collect", "ours", "collect", "lean", "collect", "floor"] * 3
    assert row == pytest.approx({"engine_s": 0.010, "baseline_s": 0.020, "floor_s": 0.001, "ratio": 0.5,
                                 "floor_ratio": 10.0, "lean_floor_ratio": 20.0}, rel=1e-9)  # fmt: skip


def test_vs_lean_table_shows_the_floor():
    row = {"workload": "w", "engine_s": 0.01, "baseline_s": 0.025, "floor_s": 0.001, "ratio": 0.4,
           "floor_ratio": 10.0, "lean_floor_ratio": 25.0, "targets": "<= 1.0"}  # fmt: skip
    head, _, line = vs_lean.table([row]).splitlines()
    assert head.split()[-4:] == ["ch/lean", "ch/floor", "lean/floor", "target"]
    assert line.split() == [
        "w",
        "10.0",
        "ms",
        "25.0",
        "ms",
        "1.0",
        "ms",
        "0.40",
        "10.00",
        "25.00",
        "<=",
        "1.0",
    ]


@pytest.mark.slow
def test_vs_lean_alone_runs_each_engine_in_its_own_process():
    """--alone (a smoke run): three workloads, a pair of processes each, each printing CPU s per step."""
    text = vs_lean.alone(steps=1, pairs=1, chain_ops=2000)
    lines = text.splitlines()
    assert [line.split()[0] for line in lines[1:]] == ["moons", "chain", "gpt"]
    for line in lines[1:]:
        ours, lean, ratio = float(line.split()[1]), float(line.split()[3]), float(line.split()[5])
        assert ours > 0 and lean > 0 and ratio == pytest.approx(ours / lean, abs=0.1 / lean + 0.01)
