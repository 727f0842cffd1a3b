"""``nn.health``: every number against a tiny network worked out by hand."""

from __future__ import annotations

import math

import pytest

from autograd import Value
from nn.health import health
from nn.layers import MLP
from nn.optim import SGD


def set_weights(model: MLP, layers: list[list[tuple[list[float], float]]]) -> None:
    for layer, neurons in zip(model.layers, layers):
        for neuron, (w, b) in zip(layer.neurons, neurons):
            for wi, value in zip(neuron.w, w):
                wi.data = value
            neuron.b.data = b


def test_tanh_network_by_hand() -> None:
    # layer 0: two tanh units, z0 = 3x, z1 = 0.5x; layer 1: out = h0 - 2 h1 + 0.5 (linear)
    model = MLP(1, [2, 1], activation="tanh", seed=0)
    set_weights(model, [[([3.0], 0.0), ([0.5], 0.0)], [([1.0, -2.0], 0.5)]])
    X = [[1.0], [-1.0]]
    loss = model(X[0])  # L = out at x = 1
    assert isinstance(loss, Value)
    loss.backward()
    before = model.state_dict()
    SGD(model.parameters(), lr=0.1).step()
    report = health(model, X, before=before)

    h0, h1 = math.tanh(3.0), math.tanh(0.5)
    # dL/d(w, b) of the output unit: (h0, h1, 1); of unit 0: w_out0 (1 - h0^2) (x, 1); unit 1: -2 (1 - h1^2) (x, 1)
    g_out = math.sqrt(h0**2 + h1**2 + 1)
    g_hidden = math.sqrt(2 * (1 - h0**2) ** 2 + 2 * (2 * (1 - h1**2)) ** 2)
    w_hidden, w_out = math.sqrt(9 + 0.25), math.sqrt(1 + 4 + 0.25)
    first, last = report.layers
    assert (first.name, first.activation, first.units, last.units) == ("layers.0", "tanh", 2, 1)
    assert first.grad_norm == pytest.approx(g_hidden, rel=1e-12)
    assert last.grad_norm == pytest.approx(g_out, rel=1e-12)
    assert first.grad_data == pytest.approx(g_hidden / w_hidden, rel=1e-12)
    assert last.grad_data == pytest.approx(g_out / w_out, rel=1e-12)
    # SGD moved each weight by -0.1 g: the update is 0.1 ||g|| against the weights before it
    assert first.update_data == pytest.approx(0.1 * g_hidden / w_hidden, rel=1e-9)
    assert last.update_data == pytest.approx(0.1 * g_out / w_out, rel=1e-9)
    # activations after the step: unit 0 at z = +-(3 - 0.1 (1 - h0^2)) is still past 0.97, unit 1 is not
    assert abs(math.tanh(3.0 - 0.1 * (1 - h0**2))) > 0.97
    assert first.saturated == pytest.approx(2 / 4)  # unit 0 on both samples, of 2 units x 2 samples
    assert last.saturated is None and first.dead is None and last.dead is None
    assert health(model, X, threshold=0.999).layers[0].saturated == 0.0  # tanh(2.99) = 0.9949
    assert health(model, X).layers[0].update_data is None  # no before, no update ratio


def test_dead_relu_is_zero_on_every_sample() -> None:
    # unit 0: relu(x - 5) is 0 for x = 1 and x = -1 (dead); unit 1: relu(x) is 1, then 0 (alive)
    model = MLP(1, [2, 1], activation="relu", seed=0)
    set_weights(model, [[([1.0], -5.0), ([1.0], 0.0)], [([1.0, 1.0], 0.0)]])
    report = health(model, [[1.0], [-1.0]])
    assert report.layers[0].dead == 1 and report.layers[0].saturated is None
    assert health(model, [[1.0], [6.0]]).layers[0].dead == 0  # x = 6 wakes unit 0 up
    assert any("1 of 2 units are dead (0 on all 2 samples)" in line for line in report.diagnosis())


def test_sigmoid_saturates_at_both_ends() -> None:
    # sigmoid(5) = 0.9933 > 0.97 and sigmoid(-5) = 0.0067 < 0.03 are both saturated; sigmoid(0.5) is not
    model = MLP(1, [3, 1], activation="sigmoid", seed=0)
    set_weights(model, [[([0.0], 5.0), ([0.0], -5.0), ([0.0], 0.5)], [([1.0, 1.0, 1.0], 0.0)]])
    report = health(model, [[1.0], [2.0]])
    assert report.layers[0].saturated == pytest.approx(4 / 6)


def test_zero_grads_and_zero_weights() -> None:
    model = MLP(1, [1, 1], activation="tanh", seed=0)
    set_weights(model, [[([0.0], 0.0)], [([0.0], 0.0)]])
    layer = health(model, [[1.0]], before=model.state_dict()).layers[0]
    assert (layer.grad_norm, layer.grad_data, layer.update_data) == (0.0, 0.0, 0.0)


def test_the_table_has_a_row_per_layer() -> None:
    model = MLP(2, [3, 3, 1], activation="tanh", seed=1)
    lines = health(model, [[0.5, -0.5]]).table().splitlines()
    assert len(lines) == 4 and lines[1].startswith("layers.0") and lines[3].startswith("layers.2")


def test_bad_input_is_named() -> None:
    model = MLP(1, [1, 1], seed=0)
    with pytest.raises(TypeError, match="model must be an MLP.*got Value"):
        health(Value(1.0), [[1.0]])  # type: ignore[arg-type]
    with pytest.raises(ValueError, match=r"threshold must be a number in \(0, 1\), got 1.5"):
        health(model, [[1.0]], threshold=1.5)
    with pytest.raises(ValueError, match="X is empty"):
        health(model, [])
    with pytest.raises(ValueError, match="before has no parameter 'layers.0.neurons.0.w.0'"):
        health(model, [[1.0]], before={})


def test_a_recorder_with_health_needs_the_data() -> None:
    from nn.record import TrainingRecorder

    with pytest.raises(ValueError, match="health=True needs an MLP and its data X, got MLP without X"):
        TrainingRecorder(MLP(2, [2, 1], seed=0), health=True)
