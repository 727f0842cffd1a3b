"""nn.ShapeCachedLoss: one compiled trace per shape of the data, the node engine's numbers to 1e-12,
at most ``max_shapes`` traces kept (least recently used evicted, traced again when met again)."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import pytest

import nn
from autograd import Value
from autograd.trace import NumberRead


def recurrent_params() -> list[Value]:
    return [Value(0.7, label="w"), Value(-0.4, label="u"), Value(0.1, label="b")]


def recurrent_loss(params: Sequence[Value], xs: Sequence[Any]) -> Any:
    """h_t = tanh(w h_{t-1} + u x_t + b), loss = mean of h_t²: one block per element of xs."""
    w, u, b = params
    h: Any = 0.0
    total: Any = 0.0
    for x in xs:
        h = (w * h + u * x + b).tanh()
        total = total + h * h
    return total / len(xs)


def node_loss_and_grads(params: list[Value], xs: list[float]) -> tuple[float, list[float]]:
    """The node engine on the same loss: the independent answer."""
    for p in params:
        p.grad = 0.0
    out = recurrent_loss(params, xs)
    out.backward()
    grads = [p.grad for p in params]
    for p in params:
        p.grad = 0.0
    return out.data, grads


SEQUENCES = [
    [0.5, -1.0, 2.0],
    [1.0, 0.25, -0.5, 0.75, -2.0],
    [0.1 * k - 0.3 for k in range(8)],
    [2.0, 1.0, -1.0],
]


def test_each_shape_gives_the_node_engines_loss_and_gradient() -> None:
    params = recurrent_params()
    compiled = nn.ShapeCachedLoss(lambda xs: recurrent_loss(params, xs), params)
    for xs in SEQUENCES * 2:
        want_loss, want_grads = node_loss_and_grads(params, xs)
        got = compiled(xs)
        assert got == pytest.approx(want_loss, rel=1e-12, abs=1e-15)
        assert [p.grad for p in params] == pytest.approx(want_grads, rel=1e-12, abs=1e-15)
        for p in params:
            p.grad = 0.0
    # lengths 3, 5, 8: the fourth sequence (length 3, other numbers) reuses the first trace
    assert compiled.traces == 3 and compiled.retraces == 0
    assert len(compiled.cache) == 3


def test_a_hand_derived_gradient_for_one_step() -> None:
    """Length 1: loss = tanh(u x + b)², d/du = 2 h (1 - h²) x, d/db = 2 h (1 - h²), d/dw = 0 (h0 = 0)."""
    params = recurrent_params()
    compiled = nn.ShapeCachedLoss(lambda xs: recurrent_loss(params, xs), params)
    x = 1.5
    h = math.tanh(-0.4 * x + 0.1)
    assert compiled([x]) == pytest.approx(h * h, rel=1e-14)
    assert [p.grad for p in params] == pytest.approx(
        [0.0, 2 * h * (1 - h * h) * x, 2 * h * (1 - h * h)], rel=1e-12
    )


def test_training_matches_the_node_engine_over_changing_shapes() -> None:
    def run(compiled: bool) -> tuple[list[float], list[float]]:
        params = recurrent_params()
        optimizer = nn.SGD(params, lr=0.3, momentum=0.9)
        step = nn.ShapeCachedLoss(lambda xs: recurrent_loss(params, xs), params, max_shapes=2)
        losses = []
        for i in range(24):
            xs = SEQUENCES[i % len(SEQUENCES)]
            optimizer.zero_grad()
            if compiled:
                losses.append(step(xs))
            else:
                out = recurrent_loss(params, xs)
                out.backward()
                losses.append(out.data)
            optimizer.step()
        return losses, [p.data for p in params]

    node_losses, node_params = run(False)
    fast_losses, fast_params = run(True)
    assert fast_losses == pytest.approx(node_losses, rel=1e-12, abs=1e-15)
    assert fast_params == pytest.approx(node_params, rel=1e-12, abs=1e-15)
    assert sum(node_losses[-4:]) < sum(node_losses[:4])  # it did train


def test_the_cache_keeps_at_most_max_shapes_and_evicts_the_least_recently_used() -> None:
    params = recurrent_params()
    compiled = nn.ShapeCachedLoss(lambda xs: recurrent_loss(params, xs), params, key=len, max_shapes=2)
    for length in (3, 5, 3, 8):  # 3 was used after 5: meeting 8 evicts 5, not 3
        compiled([0.5] * length)
    assert list(compiled.cache) == [3, 8] and compiled.traces == 3
    compiled([0.5] * 5)  # met again: traced again, evicting 3
    assert list(compiled.cache) == [8, 5] and compiled.traces == 4
    for p in params:
        p.grad = 0.0
    xs = [0.3, -0.2, 0.9]  # and 3, evicted, is traced again and still right
    want_loss, want_grads = node_loss_and_grads(params, xs)
    assert compiled(xs) == pytest.approx(want_loss, rel=1e-12)
    assert [p.grad for p in params] == pytest.approx(want_grads, rel=1e-12)
    assert list(compiled.cache) == [5, 3] and compiled.traces == 5 and len(compiled.cache) <= 2


def test_the_default_bound_is_32() -> None:
    params = recurrent_params()
    compiled = nn.ShapeCachedLoss(lambda xs: recurrent_loss(params, xs), params)
    assert compiled.max_shapes == 32
    for length in range(1, 36):
        compiled([0.5] * length)
    assert len(compiled.cache) == 32 and compiled.traces == 35
    assert next(iter(compiled.cache)) == ((4, ((),) * 4),)  # the oldest kept: 1, 2, 3 evicted


def test_a_flipped_comparison_retraces_that_shape() -> None:
    """relu-like branch on a Value: the trace guards it; flipping it retraces, numbers stay right."""
    w = Value(1.0, label="w")

    def loss(xs: Sequence[Any]) -> Any:
        total: Any = 0.0
        for x in xs:
            z = w * x
            total = total + (z * 2.0 if z > 0 else z * 3.0)
        return total

    compiled = nn.ShapeCachedLoss(loss, [w])
    assert compiled([1.0, 2.0]) == pytest.approx(6.0) and w.grad == pytest.approx(6.0)
    w.grad = 0.0
    assert compiled([-1.0, 2.0]) == pytest.approx(-3.0 + 4.0) and w.grad == pytest.approx(-3.0 + 4.0)
    assert compiled.retraces == 1 and compiled.traces == 2


def test_reading_a_number_out_of_the_data_is_refused() -> None:
    w = Value(1.0, label="w")
    compiled = nn.ShapeCachedLoss(lambda xs: sum(w * x for x in xs if x.data > 0), [w])
    with pytest.raises(NumberRead):
        compiled([1.0, -2.0])


def test_a_key_that_mixes_shapes_is_a_clear_error() -> None:
    w = Value(1.0, label="w")
    compiled = nn.ShapeCachedLoss(lambda xs: sum(w * x for x in xs), [w], key=lambda xs: "one")
    compiled([1.0, 2.0])
    with pytest.raises(ValueError, match="key 'one' was traced with 2 data numbers, this call has 3"):
        compiled([1.0, 2.0, 3.0])


@pytest.mark.parametrize("bad", [0, -1, 2.0, True])
def test_max_shapes_must_be_a_positive_int(bad: object) -> None:
    with pytest.raises(ValueError, match="max_shapes must be a positive int"):
        nn.ShapeCachedLoss(lambda: Value(0.0), [], max_shapes=bad)  # type: ignore[arg-type]


@pytest.mark.parametrize("bad", ["abc", [1.0, "x"], [Value(1.0)], [None]])
def test_data_must_be_numbers(bad: object) -> None:
    w = Value(1.0, label="w")
    compiled = nn.ShapeCachedLoss(lambda xs: w * 2.0, [w])
    with pytest.raises(TypeError, match=r"ShapeCachedLoss: data\[0\]"):
        compiled(bad)


@pytest.mark.slow  # three GPT traces, each compiled
def test_the_tiny_gpt_over_sequences_of_3_5_and_8_tokens_matches_the_node_engine() -> None:
    from bench import gpt

    def run(compiled: bool) -> tuple[list[float], list[float]]:
        params = gpt.gpt_parameters(Value, seed=1)
        flat = gpt.flat(params)
        step = nn.ShapeCachedLoss(lambda xs, ys: gpt.gpt_loss_one_hot(params, xs, ys), flat)
        optimizer = nn.SGD(flat, lr=0.5)
        losses = []
        for length in (3, 5, 8, 3, 5):
            xs, ys = gpt.one_hot(gpt.sequence(length))
            optimizer.zero_grad()
            if compiled:
                losses.append(step(xs, ys))
            else:
                out = gpt.gpt_loss_one_hot(params, xs, ys)
                out.backward()
                losses.append(out.data)
            optimizer.step()
        if compiled:
            assert step.traces == 3
        return losses, [p.data for p in flat]

    node_losses, node_params = run(False)
    fast_losses, fast_params = run(True)
    assert fast_losses == pytest.approx(node_losses, rel=1e-12)
    assert fast_params == pytest.approx(node_params, rel=1e-12, abs=1e-14)
    # and the one-hot model is the indexed one: the same loss as bench.gpt.gpt_loss at the start
    params = gpt.gpt_parameters(Value, seed=1)
    seq = gpt.sequence(5)
    shifted = gpt.gpt_loss(params, seq).data
    assert gpt.gpt_loss_one_hot(params, *gpt.one_hot(seq)).data == pytest.approx(shifted, rel=1e-12)
