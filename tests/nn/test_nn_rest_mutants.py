"""Mutation-testing holes of ``nn/``'s health, record, perceptron, data, data_loader, module, init.

Each test pins what a learner is shown (the health table and its sentences, a recorder's frames,
a perceptron's epochs, the data sets, an error message) against numbers worked out by hand.
"""

from __future__ import annotations

import math
import random
import re
from collections.abc import Callable
from fractions import Fraction
from typing import Any

import pytest

import nn
from autograd import Value
from nn.health import health
from nn.init import initial_weights, uniform_bound
from nn.layers import MLP, Layer
from nn.module import Module
from nn.optim import SGD
from nn.perceptron import Perceptron
from nn.record import TrainingRecorder
from tests.nn.test_health import set_weights


def ANY(x: object) -> Any:
    """``x`` typed as Any: a wrong-typed argument on purpose."""
    return x


def relu_net() -> MLP:
    """Layer 0: relu(x - 5) (dead on x = +-1) and relu(x); layer 1: out = h0 + h1 (linear)."""
    model = MLP(1, [2, 1], activation="relu", seed=0)
    set_weights(model, [[([1.0], -5.0), ([1.0], 0.0)], [([1.0, 1.0], 0.0)]])
    return model


def backward_at(model: MLP, x: list[float]) -> None:
    model.zero_grad()
    out = model(x)
    assert isinstance(out, Value)
    out.backward()


# --- nn.health: the table and the diagnosis, word for word ------------------------------------


def test_health_table_text_by_hand() -> None:
    # at x = 1: h = (0, 1), out = 1. Grads: last layer (h0, h1, 1) = (0, 1, 1), norm sqrt 2;
    # unit 0 gets 0 (relu' = 0 at z = -4), unit 1 gets (x, 1) = (1, 1): norm sqrt 2.
    # ||w||: layer 0 sqrt(1 + 25 + 1 + 0) = sqrt 27, layer 1 sqrt 2. SGD(0.1) moves by 0.1 g.
    model = relu_net()
    backward_at(model, [1.0])
    before = model.state_dict()
    SGD(model.parameters(), lr=0.1).step()
    report = health(model, [[1.0], [-1.0]], before=before)
    assert report.layers[0].grad_data == pytest.approx(math.sqrt(2 / 27), rel=1e-12)
    assert report.layers[0].update_data == pytest.approx(0.1 * math.sqrt(2 / 27), rel=1e-9)
    assert report.table().splitlines() == [
        "layer      act      units saturated   dead     |grad|  grad:data update:data",
        "layers.0   relu         2         -    1/2   1.41e+00   2.72e-01    2.72e-02",
        "layers.1   linear       1         -      -   1.41e+00   1.00e+00    1.00e-01",
    ]
    # no ``before``: the update column is a dash, and grad:data is against the weights now,
    # (1, -5, 0.9, -0.1) after the step: sqrt 2 / sqrt 26.82 = 0.2731
    assert health(model, [[1.0]]).table().splitlines()[1].endswith("2.73e-01           -")


def test_health_table_shows_the_saturated_share_as_a_percentage() -> None:
    # tanh(3) = 0.995 is past 0.97 on both samples, tanh(0.5) = 0.46 is not: 2 of 4 = 50%
    model = MLP(1, [2, 1], activation="tanh", seed=0)
    set_weights(model, [[([3.0], 0.0), ([0.5], 0.0)], [([1.0, -2.0], 0.5)]])
    row = health(model, [[1.0], [-1.0]]).table().splitlines()[1]
    assert row.split()[:5] == ["layers.0", "tanh", "2", "50%", "-"]
    assert row[: 10 + 1 + 8 + 1 + 5 + 1 + 9] == "layers.0   tanh         2       50%"


def test_health_diagnosis_of_a_saturated_tanh_network_word_for_word() -> None:
    # layer 0: a = tanh(10 x); at x = 1, 1 - a^2 = sech^2(10); layer 1: out = a.
    # grads: last (a, 1), norm sqrt(a^2 + 1); first sech^2(10) (x, 1), norm sqrt 2 sech^2(10).
    model = MLP(1, [1, 1], activation="tanh", seed=0)
    set_weights(model, [[([10.0], 0.0)], [([1.0], 0.0)]])
    backward_at(model, [1.0])
    before = model.state_dict()
    SGD(model.parameters(), lr=1e-6).step()
    report = health(model, [[1.0]], before=before)
    a = math.tanh(10.0)
    sech2 = 4.0 / (math.exp(10.0) + math.exp(-10.0)) ** 2
    g_last, g_first = math.sqrt(a * a + 1), math.sqrt(2) * sech2
    assert report.layers[1].grad_norm == pytest.approx(g_last, rel=1e-12)
    assert report.layers[0].grad_norm == pytest.approx(g_first, rel=1e-6)
    up_first, up_last = 1e-6 * g_first / 10.0, 1e-6 * g_last / 1.0
    assert report.diagnosis() == [
        "layers.0 (tanh): 100% of its activations are saturated (past 0.97); there the local "
        "derivative 1 - a**2 < 0.06, so backward passes on almost nothing of the gradient",
        f"the gradient vanishes on the way back: ||grad|| is {g_last:.2e} at the last layer and "
        f"{g_first:.2e} at the first, each layer multiplying it by its small local derivatives",
        f"layers.0: the last step changed its weights by {up_first:.1e} of their size, "
        "far below the 1e-3 of a layer that learns: it has all but stopped",
        f"layers.1: the last step changed its weights by {up_last:.1e} of their size, "
        "far below the 1e-3 of a layer that learns: it has all but stopped",
    ]
    assert f"{g_first:.2e}" == "1.17e-08" and f"{up_last:.1e}" == "1.4e-06"


def test_health_diagnosis_of_sigmoid_and_dead_units_word_for_word() -> None:
    # sigmoid(10) = 0.99995 > 0.9 on its one sample; the other unit sigmoid(0) = 0.5 is not
    model = MLP(1, [2, 1], activation="sigmoid", seed=0)
    set_weights(model, [[([0.0], 10.0), ([0.0], 10.0)], [([1.0, 1.0], 0.0)]])
    said = health(model, [[1.0]], threshold=0.9).diagnosis()
    assert said[0] == (
        "layers.0 (sigmoid): 100% of its activations are saturated (past 0.9); there the local "
        "derivative a (1 - a) < 0.03, so backward passes on almost nothing of the gradient"
    )
    relu = relu_net()
    backward_at(relu, [1.0])
    assert relu_diagnosis(relu) == [
        "layers.0 (relu): 1 of 2 units are dead (0 on all 2 samples); their incoming weights and "
        "bias get no gradient from this batch and will not change"
    ]


def relu_diagnosis(model: MLP) -> list[str]:
    return health(model, [[1.0], [-1.0]], before=model.state_dict()).diagnosis()


def test_health_diagnosis_says_nothing_at_the_thresholds() -> None:
    # exactly half saturated (2 of 4) is not "more than half"; a step of 0 is not a stalled step;
    # a first-layer grad 1/100 of the last's is not vanishing (the line is 1e-3)
    model = MLP(1, [2, 1], activation="tanh", seed=0)
    set_weights(model, [[([3.0], 0.0), ([0.5], 0.0)], [([1.0, -2.0], 0.5)]])
    report = health(model, [[1.0], [-1.0]], before=model.state_dict())
    assert report.layers[0].saturated == 0.5
    assert [h.update_data for h in report.layers] == [0.0, 0.0]
    assert report.diagnosis() == []
    # linear h = x, out = 0.01 h: at x = 1 the grads are (h, 1) = (1, 1) last and 0.01 (x, 1) first
    linear = MLP(1, [1, 1], activation="linear", seed=0)
    set_weights(linear, [[([1.0], 0.0)], [([0.01], 0.0)]])
    backward_at(linear, [1.0])
    report = health(linear, [[1.0]])
    assert [h.grad_norm for h in report.layers] == pytest.approx([0.01 * math.sqrt(2), math.sqrt(2)])
    assert report.diagnosis() == []


def test_health_sees_every_layer_of_a_three_layer_network() -> None:
    # h0 = tanh(x) = 0.76 at x = 1 (not saturated); h1 = tanh(10 h0) = tanh(7.6) (saturated);
    # out = h1 (linear). Layer 1 is 100% saturated, layer 0 is 0%.
    model = MLP(1, [1, 1, 1], activation="tanh", seed=0)
    set_weights(model, [[([1.0], 0.0)], [([10.0], 0.0)], [([1.0], 0.0)]])
    report = health(model, [[1.0]])
    assert [h.saturated for h in report.layers] == [0.0, 1.0, None]


def test_health_saturation_is_strictly_past_the_threshold() -> None:
    # an activation equal to the threshold is not "past" it: |a| > t for tanh, a > t or a < 1 - t for sigmoid
    model = MLP(1, [1, 1], activation="tanh", seed=0)
    set_weights(model, [[([1.0], 0.0)], [([1.0], 0.0)]])
    a = model.layers[0].outputs([1.0])[0].data  # tanh(1) = 0.7616 as the engine computes it
    assert health(model, [[1.0]], threshold=a).layers[0].saturated == 0.0
    assert health(model, [[-1.0]], threshold=a).layers[0].saturated == 0.0
    sigmoid = MLP(1, [1, 1], activation="sigmoid", seed=0)
    set_weights(sigmoid, [[([0.0], 0.0)], [([1.0], 0.0)]])  # sigmoid(0) = 0.5 = t = 1 - t: neither tail
    assert health(sigmoid, [[1.0]], threshold=0.5).layers[0].saturated == 0.0


def test_health_grad_to_data_of_zero_weights_is_infinite() -> None:
    # the last layer's weights and bias are 0 while its grads (h, 1) are not: ||g|| / 0 = inf
    model = MLP(1, [1, 1], activation="tanh", seed=0)
    set_weights(model, [[([1.0], 0.0)], [([0.0], 0.0)]])
    backward_at(model, [1.0])
    last = health(model, [[1.0]]).layers[1]
    assert last.grad_norm == pytest.approx(math.sqrt(math.tanh(1.0) ** 2 + 1), rel=1e-12)
    assert last.grad_data == math.inf


# --- nn.record: health frames -------------------------------------------------------------------


def test_recorder_health_frames_and_the_update_of_the_step_taken() -> None:
    model = relu_net()
    recorder = TrainingRecorder(model, [[1.0], [-1.0]], [1, 0], health=True)
    optimizer = SGD(model.parameters(), lr=0.1)
    for _ in range(2):
        backward_at(model, [1.0])
        recorder.record(1.0)
        optimizer.step()
    first, second = (frame["health"] for frame in recorder.frames)
    assert [row["name"] for row in first] == ["layers.0", "layers.1"]
    assert [row["activation"] for row in first] == ["relu", "linear"]
    assert [(row["units"], row["dead"], row["saturated"]) for row in first] == [(2, 1, None), (1, None, None)]
    assert first[0]["grad_norm"] == pytest.approx(math.sqrt(2), rel=1e-12)
    assert first[0]["grad_data"] == pytest.approx(math.sqrt(2 / 27), rel=1e-12)
    assert first[1]["grad_data"] == pytest.approx(1.0, rel=1e-12)
    # the step from frame 0 moved each layer by 0.1 ||g|| against its weights then
    assert first[0]["update_data"] == pytest.approx(0.1 * math.sqrt(2 / 27), rel=1e-9)
    assert first[1]["update_data"] == pytest.approx(0.1, rel=1e-9)
    assert [row["update_data"] for row in second] == [None, None]  # the last step is not known yet
    # frame 1 is after one step: layer 0 (1, -5, 0.9, -0.1), layer 1 (1, 0.9, -0.1); at x = 1 unit 1
    # of layer 0 now gets 0.9 (x, 1): grad:data 0.9 sqrt 2 / sqrt 26.82
    assert second[0]["grad_data"] == pytest.approx(0.9 * math.sqrt(2 / 26.82), rel=1e-9)
    assert second[0]["dead"] == 1


class Scaled(Module):
    """A model whose first parameter is not a neuron's: ``scale``, then a Layer's neurons."""

    def __init__(self) -> None:
        self.scale = Value(2.0)
        self.inner = Layer(2, 2, activation="tanh", seed=0)

    def __call__(self, x: list[Value]) -> Value:
        out = self.inner(x)
        assert isinstance(out, list)
        return self.scale * out[0]


def test_recorder_layout_sorts_layers_and_neurons_by_number() -> None:
    # names layers.<i>.neurons.<j>.w.<k> / .b, in named_parameters order: neuron j of a layer with
    # nin inputs holds nin weights then its bias. layers.10 comes after layers.2, neurons.10 after neurons.2.
    deep = MLP(1, [1] * 11, seed=0)  # 11 layers of one neuron with one weight: w = 2i, b = 2i + 1
    assert TrainingRecorder(deep).layers() == [[{"w": [2 * i], "b": 2 * i + 1}] for i in range(11)]
    wide = MLP(2, [11, 1], seed=0)  # layer 0: neuron j has w = [3j, 3j + 1], b = 3j + 2; layer 1 from 33
    assert TrainingRecorder(wide).layers() == [
        [{"w": [3 * j, 3 * j + 1], "b": 3 * j + 2} for j in range(11)],
        [{"w": list(range(33, 44)), "b": 44}],
    ]
    # a parameter that is not a neuron's is skipped; a bare Layer's neurons (no prefix) are one layer
    assert TrainingRecorder(Scaled()).layers() == [[{"w": [1, 2], "b": 3}, {"w": [4, 5], "b": 6}]]


def test_recorder_as_dict_holds_the_run() -> None:
    model = MLP(2, [2, 1], seed=0)
    recorder = TrainingRecorder(model, [[0.0, 0.0], [1.0, 2.0]], [0, 1], grid=2, pad=0.5)
    recorder.record(0.25)
    run = recorder.as_dict()
    assert sorted(run) == ["data", "frames", "grid", "layers", "names"]
    assert run["names"][:3] == ["layers.0.neurons.0.w.0", "layers.0.neurons.0.w.1", "layers.0.neurons.0.b"]
    assert run["layers"] == [[{"w": [0, 1], "b": 2}, {"w": [3, 4], "b": 5}], [{"w": [6, 7], "b": 8}]]
    assert run["data"] == {"X": [[0.0, 0.0], [1.0, 2.0]], "y": [0, 1]}
    assert run["grid"] == {"x0": -0.5, "x1": 1.5, "y0": -0.5, "y1": 2.5, "n": 2, "classes": 2}
    assert run["frames"][0]["loss"] == 0.25 and len(run["frames"][0]["scores"]) == 4
    assert TrainingRecorder(model).as_dict()["data"] is None


# --- nn.module: the load_state_dict message -----------------------------------------------------


def test_load_state_dict_names_at_most_three_keys() -> None:
    model = MLP(1, [1, 1], seed=0)  # 4 parameters, in this order:
    names = [
        "layers.0.neurons.0.w.0",
        "layers.0.neurons.0.b",
        "layers.1.neurons.0.w.0",
        "layers.1.neurons.0.b",
    ]
    with pytest.raises(ValueError) as four:
        model.load_state_dict({})
    assert str(four.value) == (
        "MLP.load_state_dict: state does not match the model's 4 parameters; missing keys "
        f"['{names[0]}', '{names[1]}', '{names[2]}' and 1 more], unexpected keys []"
    )
    with pytest.raises(ValueError) as three:
        model.load_state_dict({names[0]: 1.0, "extra": 2.0})
    assert str(three.value).endswith(
        f"missing keys ['{names[1]}', '{names[2]}', '{names[3]}'], unexpected keys ['extra']"
    )


def test_a_long_bad_value_is_clipped_to_forty_characters() -> None:
    model = MLP(1, [1, 1], seed=0)
    state = model.state_dict()
    name = "layers.0.neurons.0.b"
    for text, shown in [
        ("x" * 38, "'" + "x" * 38 + "'"),  # repr of 40 characters: shown whole
        ("x" * 39, "'" + "x" * 36 + "..."),  # 41: the first 37, then ...
    ]:
        with pytest.raises(ValueError) as bad:
            model.load_state_dict({**state, name: text})
        assert str(bad.value) == f"MLP.load_state_dict: '{name}' must be a number, got str {shown}"


# --- nn.perceptron ------------------------------------------------------------------------------


def exact_epochs_to_converge(X: list[list[Fraction]], y: list[int], limit: int) -> int | None:
    """The perceptron rule (lr = 1, start at 0) in exact rationals: the first epoch without a mistake."""
    w, b = [Fraction(0)] * len(X[0]), Fraction(0)
    for epoch in range(1, limit + 1):
        mistakes = 0
        for x, t in zip(X, y):
            error = t - (1 if sum(wi * xi for wi, xi in zip(w, x)) + b > 0 else 0)
            if error:
                mistakes += 1
                w, b = [wi + error * xi for wi, xi in zip(w, x)], b + error
        if mistakes == 0:
            return epoch
    return None


def test_fit_runs_100_epochs_by_default_and_exactly_the_epochs_asked() -> None:
    # 1 (label 0) and 1 + 1/64 (label 1): separable, but by a margin so thin that the rule needs
    # more than 100 epochs (exact arithmetic; 1/64 keeps the float sums exact too)
    X, y = [[1.0], [1.0 + 1 / 64]], [0, 1]
    needed = exact_epochs_to_converge([[Fraction(1)], [Fraction(65, 64)]], y, 1000)
    assert needed is not None and needed > 101
    result = Perceptron(1).fit(X, y)
    assert len(result.epochs) == 101 and not result.converged and result.cycle is None
    short = Perceptron(1).fit(X, y, epochs=3)
    assert [e.epoch for e in short.epochs] == [0, 1, 2, 3]
    once = Perceptron(1).fit(X, y, epochs=1)  # epochs = 1 is allowed
    assert [e.epoch for e in once.epochs] == [0, 1]
    assert len(Perceptron(1).fit(X, y, epochs=needed).epochs) == needed + 1
    assert Perceptron(1).fit(X, y, epochs=needed).converged


def test_a_cycle_back_to_the_start_is_epoch_zero() -> None:
    # the same point labelled 1 then 0: from w = b = 0, the first sample is missed (w, b = 1, 1),
    # the second too (w, b = 0, 0): the end of epoch 1 is the start, so the cycle is (0, 1)
    result = Perceptron(1).fit([[1.0], [1.0]], [1, 0])
    assert result.cycle == (0, 1) and not result.converged
    assert [(e.w, e.b, e.mistakes) for e in result.epochs] == [([0.0], 0.0, 0), ([0.0], 0.0, 2)]


def test_perceptron_messages_name_the_argument() -> None:
    assert Perceptron(1, w=[1.0])([2.0]) == 1  # nin = 1 is a perceptron: step(1 * 2 + 0) = 1
    cases: list[tuple[Callable[[], object], str]] = [
        (lambda: Perceptron(0), "Perceptron: nin must be >= 1, got 0"),
        (lambda: Perceptron(2, w=[1.0, math.nan]), "Perceptron: w must be a finite number, got nan"),
        (lambda: Perceptron(2, b=math.inf), "Perceptron: b must be a finite number, got inf"),
        (lambda: Perceptron(2, lr="0.1"), "Perceptron: lr must be a finite number, got '0.1'"),  # type: ignore[arg-type]
        (lambda: Perceptron(2, lr=True), "Perceptron: lr must be a finite number, got True"),
        (lambda: Perceptron(2)("ab"), "Perceptron: x must be a sequence of nin = 2 numbers, got 'ab'"),  # type: ignore[arg-type]
        (lambda: Perceptron(2)(5), "Perceptron: x must be a sequence of nin = 2 numbers, got 5"),  # type: ignore[arg-type]
        (
            lambda: Perceptron(2).update([1.0], 1),
            "Perceptron: x must be a sequence of nin = 2 numbers, got [1.0]",
        ),
        (lambda: Perceptron(2).update([1.0, 1.0], 2), "Perceptron: labels in y must be 0 or 1, got 2"),
        (lambda: Perceptron(2).update([1.0, 1.0], True), "Perceptron: labels in y must be 0 or 1, got True"),
        (lambda: Perceptron(2).fit([], []), "Perceptron.fit: X is empty"),
        (
            lambda: Perceptron(2).fit([[1.0]], [1]),
            "Perceptron: X must be a sequence of nin = 2 numbers, got [1.0]",
        ),
        (
            lambda: Perceptron(2).fit([[1.0, 0.0]], [1]),
            "Perceptron.fit: y has only class 1; a perceptron separates two classes, so y needs both 0 and 1",
        ),
        (
            lambda: Perceptron(2).fit([[0.0, 0.0], [1.0, 1.0]], [0, 1], epochs=True),
            "epochs must be an int >= 1, got True",
        ),
    ]
    for call, message in cases:
        with pytest.raises(ValueError) as bad:
            call()
        assert str(bad.value).endswith(message), (str(bad.value), message)


# --- nn.data ------------------------------------------------------------------------------------


def test_make_circles_defaults_and_evenly_spaced_angles() -> None:
    X, y = nn.data.make_circles()  # 100 points, no noise, inner radius 0.8
    assert len(X) == 100 and y.count(0) == y.count(1) == 50
    assert all(math.isclose(math.hypot(*p), 1.0 if t == 0 else 0.8) for p, t in zip(X, y))
    # 8 points: 4 on each circle at angles 0, pi/2, pi, 3 pi/2 (2 pi is 0 again, so not included)
    X, y = nn.data.make_circles(8, factor=0.5, seed=0)
    outer = sorted((round(a, 12) + 0.0, round(b, 12) + 0.0) for (a, b), t in zip(X, y) if t == 0)
    inner = sorted((round(a, 12) + 0.0, round(b, 12) + 0.0) for (a, b), t in zip(X, y) if t == 1)
    assert outer == [(-1.0, 0.0), (0.0, -1.0), (0.0, 1.0), (1.0, 0.0)]
    assert inner == [(-0.5, 0.0), (0.0, -0.5), (0.0, 0.5), (0.5, 0.0)]
    assert nn.data.make_circles(8, noise=0.1, seed=4) == nn.data.make_circles(8, noise=0.1, seed=4)
    assert nn.data.make_circles(8, noise=0.1, seed=4) != nn.data.make_circles(8, noise=0.1, seed=5)


def test_make_circles_factor_is_in_zero_one() -> None:
    X, y = nn.data.make_circles(4, factor=0.0, seed=0)  # 0 is allowed: the inner "circle" is the origin
    assert sorted(map(tuple, (p for p, t in zip(X, y) if t == 1))) == [(0.0, 0.0), (0.0, 0.0)]
    for bad in (1.0, True, "0.5", -0.1):
        with pytest.raises(
            ValueError, match=re.escape(f"make_circles: factor must be in [0, 1), got {bad!r}")
        ):
            nn.data.make_circles(4, factor=bad)  # type: ignore[arg-type]
    assert len(nn.data.make_circles(2)[0]) == 2  # n = 2: one point a circle
    with pytest.raises(ValueError, match=re.escape("make_circles: n must be >= 2, got 1")):
        nn.data.make_circles(1)
    with pytest.raises(
        ValueError, match=re.escape("make_circles: noise must be a finite number >= 0, got -1")
    ):
        nn.data.make_circles(4, noise=-1)


# --- nn.record: the traced grid scores ----------------------------------------------------------


class Counting(Module):
    """Wraps a model and counts its forward passes."""

    def __init__(self, inner: MLP) -> None:
        self.inner = inner
        self.calls = 0

    def __call__(self, x: list[float | Value]) -> Value | list[Value]:
        self.calls += 1
        return self.inner(x)


def test_the_grid_is_traced_once_and_checked_at_three_points_a_frame() -> None:
    # the module docstring: the forward pass is traced once (one call of the model, on Values),
    # then every frame checks the trace against the model at three probe points: 1 + 3, then 3
    model = Counting(MLP(2, [3, 1], activation="tanh", seed=0))
    recorder = TrainingRecorder(model, [[0.0, 0.0], [1.0, 1.0]], [0, 1])
    recorder.record(0.0)
    assert model.calls == 1 + 3
    recorder.record(0.0)
    recorder.record(0.0)
    assert model.calls == 1 + 3 + 3 + 3
    # all outputs exactly 0 (zero weights) agree with the trace too
    zero = Counting(MLP(2, [2, 1], activation="tanh", seed=0))
    for p in zero.parameters():
        p.data = 0.0
    flat = TrainingRecorder(zero, [[0.0, 0.0], [1.0, 1.0]], [0, 1], grid=3)
    flat.record(0.0)
    flat.record(0.0)
    assert zero.calls == 1 + 3 + 3 and flat.frames[1]["scores"] == [0.0] * 9


class Kinked(Module):
    """s = 0.7 u + v; tanh(s) if s > 0 else s * s: traced at (0, 0), on the s * s side."""

    def __init__(self) -> None:
        self.w = Value(0.7)

    def __call__(self, x: list[float | Value]) -> Value:
        s = self.w * x[0] + x[1]
        return s.tanh() if s > 0.0 else s * s


def test_points_on_the_other_side_of_a_kink_are_scored_by_the_model() -> None:
    model = Kinked()
    recorder = TrainingRecorder(model, [[-1.0, -1.0], [1.0, 1.0]], [0, 1], grid=4, pad=0.5, digits=12)
    recorder.record(0.0)
    ticks = [-1.5, -0.5, 0.5, 1.5]  # the lattice from -1.5 to 1.5 in 3 steps, rows from the bottom
    by_hand = []
    for v in ticks:
        for u in ticks:
            s = 0.7 * u + v
            by_hand.append(round(math.tanh(s) if s > 0 else s * s, 12))
    assert recorder.frames[0]["scores"] == pytest.approx(by_hand, abs=1e-12)


class Shifted(Module):
    """w u + c: ``c`` a plain number the trace bakes in as a constant, changed between frames."""

    def __init__(self) -> None:
        self.w = Value(1e-7)
        self.c = [1e-7]
        self.copies = [1]

    def __call__(self, x: list[float | Value]) -> list[Value]:
        return [self.w * x[0] + 0.0 * x[1] + self.c[0]] * self.copies[0]


def test_a_baked_in_number_is_caught_however_small_the_outputs() -> None:
    # data from (0, 0) to (1, 1), pad 0.5, grid 3: u in {-0.5, 0.5, 1.5}. After c moves to 1.5e-7 the
    # trace is 0.5e-7 off everywhere, a third to a half of the output: caught, and scored by the model
    model = Shifted()
    recorder = TrainingRecorder(model, [[0.0, 0.0], [1.0, 1.0]], [0, 1], grid=3, digits=20)
    recorder.record(0.0)
    model.c[0] = 1.5e-7
    recorder.record(0.0)
    assert recorder.frames[1]["scores"] == pytest.approx([1e-7, 2e-7, 3e-7] * 3, rel=1e-9)
    assert recorder._untraceable  # from then on, point by point
    model.c[0] = 2e-7
    recorder.record(0.0)
    assert recorder.frames[2]["scores"] == pytest.approx([1.5e-7, 2.5e-7, 3.5e-7] * 3, rel=1e-9)


def test_a_baked_in_number_of_outputs_is_caught() -> None:
    # traced with one output; then the model gives two equal outputs, whose class (argmax) is 0
    model = Shifted()
    recorder = TrainingRecorder(model, [[0.0, 0.0], [1.0, 1.0]], [0, 1], grid=3, digits=20)
    recorder.record(0.0)
    model.copies[0] = 2
    recorder.record(0.0)
    assert recorder.frames[1]["scores"] == [0.0] * 9
    assert (recorder.lattice or {})["classes"] == 2


def test_two_outputs_score_the_class_picked() -> None:
    # out0 = u, out1 = v: the class is 1 where v > u, 0 elsewhere (ties go to class 0)
    model = MLP(2, [2], activation="linear", seed=0)
    set_weights(model, [[([1.0, 0.0], 0.0), ([0.0, 1.0], 0.0)]])
    recorder = TrainingRecorder(model, [[0.0, 0.0], [1.0, 1.0]], [0, 1], grid=3, pad=0.0)
    recorder.record(0.0)
    ticks = [0.0, 0.5, 1.0]
    assert recorder.frames[0]["scores"] == [1.0 if v > u else 0.0 for v in ticks for u in ticks]


# --- nn.data_loader and make_blobs: defaults and messages ---------------------------------------


def test_data_loader_defaults_and_messages() -> None:
    loader = nn.DataLoader([1, 2, 3])
    assert len(loader) == 3 and list(loader) == [[1], [2], [3]]  # batch_size 1, in order
    cases: list[tuple[Callable[[], object], type[Exception], str]] = [
        (
            lambda: nn.DataLoader({1, 2}),  # type: ignore[arg-type]
            TypeError,
            "DataLoader: dataset must be a sequence of samples such as list(zip(X, y)), got set",
        ),
        (
            lambda: nn.DataLoader([1], batch_size=ANY(2.0)),
            TypeError,
            "DataLoader: batch_size must be an int, got float 2.0",
        ),
        (
            lambda: nn.DataLoader([1], shuffle=ANY(1)),
            TypeError,
            "DataLoader: shuffle must be True or False, got 1",
        ),
        (
            lambda: nn.DataLoader([1], drop_last=ANY(0)),
            TypeError,
            "DataLoader: drop_last must be True or False, got 0",
        ),
    ]
    for call, error, message in cases:
        with pytest.raises(error) as bad:
            call()
        assert str(bad.value) == message


def test_make_blobs_defaults_counts_and_messages() -> None:
    X, y = nn.data.make_blobs(seed=0)  # 100 points, 3 clusters of 34, 33, 33, std 1
    assert len(X) == 100 and [y.count(k) for k in range(3)] == [34, 33, 33]
    X, y = nn.data.make_blobs(10, centers=4, cluster_std=0.0, seed=1)  # 10 = 3 + 3 + 2 + 2
    assert [y.count(k) for k in range(4)] == [3, 3, 2, 2]
    assert nn.data.make_blobs(1, centers=1, seed=0)[1] == [0]  # n = 1 is allowed
    big, _ = nn.data.make_blobs(3000, centers=1, center_box=(0.0, 1e-9), seed=3)  # default std 1
    std = math.sqrt(sum((p[0] - 5e-10) ** 2 for p in big) / len(big))
    assert std == pytest.approx(1.0, rel=0.1)
    for call, error, message in [
        (lambda: nn.data.make_blobs(0), ValueError, "make_blobs: n must be >= 1, got 0"),
        (
            lambda: nn.data.make_blobs(5, centers=ANY(1.0)),
            TypeError,
            "make_blobs: centers must be an int, got float 1.0",
        ),
        (
            lambda: nn.data.make_blobs(5, cluster_std=-1.0),
            ValueError,
            "make_blobs: cluster_std must be a finite number >= 0, got -1.0",
        ),
        (
            lambda: nn.data.make_blobs(5, center_box=(1.0, 1.0)),
            ValueError,
            "make_blobs: center_box must be (low, high) with low < high, got (1.0, 1.0)",
        ),
    ]:
        with pytest.raises(error) as bad:
            call()  # type: ignore[no-untyped-call]
        assert str(bad.value) == message


# --- more thresholds and messages ----------------------------------------------------------------


def set_grads(model: MLP, grads: list[float]) -> None:
    for p, g in zip(model.parameters(), grads):
        p.grad = g


def test_health_vanishing_and_stalled_lines_at_their_limits() -> None:
    # grads set by hand, weights all 1: ||g|| of layer 0 is 1.0 and of layer 1 1000.0. The first is
    # exactly 1e-3 of the last: not "less than" 1e-3, so nothing is said; at 0.005 of 10 it is.
    model = MLP(1, [1, 1], activation="linear", seed=0)
    set_weights(model, [[([1.0], 1.0)], [([1.0], 1.0)]])
    set_grads(model, [1.0, 0.0, 1000.0, 0.0])
    assert health(model, [[1.0]]).diagnosis() == []
    set_grads(model, [0.005, 0.0, 10.0, 0.0])
    assert health(model, [[1.0]]).diagnosis() == [
        "the gradient vanishes on the way back: ||grad|| is 1.00e+01 at the last layer and "
        "5.00e-03 at the first, each layer multiplying it by its small local derivatives"
    ]
    # a step of exactly 1e-4 of the weights (10000 -> 10001: 1 / 10000) is not below 1e-4; 0.5 is not either
    set_grads(model, [0.0] * 4)
    set_weights(model, [[([10001.0], 0.0)], [([1.5], 0.0)]])
    before = {"layers.0.neurons.0.w.0": 10000.0, "layers.0.neurons.0.b": 0.0}
    before |= {"layers.1.neurons.0.w.0": 1.0, "layers.1.neurons.0.b": 0.0}
    report = health(model, [[1.0]], before=before)
    assert [h.update_data for h in report.layers] == [1e-4, 0.5]
    assert report.diagnosis() == []


def test_health_vanishing_reads_the_last_layer_not_the_middle() -> None:
    # relu(x) -> relu(h - 5) (dead: 0 on x = 1) -> out = h2 + 0: the middle and first layers get no
    # gradient, the last gets (h2, 1) = (0, 1), norm 1
    model = MLP(1, [1, 1, 1], activation="relu", seed=0)
    set_weights(model, [[([1.0], 0.0)], [([1.0], -5.0)], [([1.0], 0.0)]])
    backward_at(model, [1.0])
    report = health(model, [[1.0]])
    assert [h.grad_norm for h in report.layers] == [0.0, 0.0, 1.0]
    assert report.diagnosis() == [
        "layers.1 (relu): 1 of 1 units are dead (0 on all 1 samples); their incoming weights and bias "
        "get no gradient from this batch and will not change",
        "the gradient vanishes on the way back: ||grad|| is 1.00e+00 at the last layer and 0.00e+00 "
        "at the first, each layer multiplying it by its small local derivatives",
    ]


class Layered:
    def __init__(self, layers: object) -> None:
        self.layers = layers


def test_health_refuses_what_is_not_an_mlp_and_a_threshold_outside_zero_one() -> None:
    mlp = MLP(1, [1, 1], seed=0)
    for model in (Layered([]), Layered(tuple(mlp.layers))):
        with pytest.raises(
            TypeError, match="health: model must be an MLP .a list of Layers in .layers., got Layered"
        ):
            health(ANY(model), [[1.0]])
    for bad in (0, 1, 1.0, True, "0.5"):
        with pytest.raises(
            ValueError, match=re.escape(f"health: threshold must be a number in (0, 1), got {bad!r}")
        ):
            health(mlp, [[1.0]], threshold=ANY(bad))
    with pytest.raises(ValueError) as empty:
        health(mlp, [])
    assert str(empty.value) == "health: X is empty; it needs a batch of samples to see the activations"


def test_module_call_and_recorder_defaults() -> None:
    with pytest.raises(NotImplementedError) as bare:
        Module()()
    assert str(bare.value) == "Module does not define __call__"
    with pytest.raises(TypeError) as no_params:
        TrainingRecorder(ANY(object()))
    assert str(no_params.value) == "TrainingRecorder: model must have named_parameters(), got object"
    model = MLP(2, [1], activation="linear", seed=0)
    set_weights(model, [[([1.0 / 3.0, 0.0], 0.0)]])  # score u / 3, rounded to 3 decimals by default
    recorder = TrainingRecorder(model, [[0.0, 0.0], [1.0, 1.0]], [0, 1])
    recorder.record(0.0, epoch=3)
    frame = recorder.frames[0]
    assert (recorder.lattice or {})["n"] == 30 and len(frame["scores"]) == 900  # 30 x 30 by default
    assert frame["scores"][0] == round(-0.5 / 3, 3) == -0.167 and frame["epoch"] == 3


class Untraceable(Module):
    """Cannot take Values as its input (``Value(Value)`` raises): always scored point by point."""

    def __init__(self) -> None:
        self.w = Value(0.5)
        self.calls = 0

    def __call__(self, x: list[float]) -> Value:
        self.calls += 1
        return self.w * Value(x[0]) + x[1]


def test_a_model_that_cannot_be_traced_is_tried_once() -> None:
    model = Untraceable()
    recorder = TrainingRecorder(model, [[0.0, 0.0], [1.0, 1.0]], [0, 1], grid=3, pad=0.0)
    recorder.record(0.0)
    assert model.calls == 1 + 9  # the failed trace, then the 9 points
    recorder.record(0.0)
    assert model.calls == 1 + 9 + 9
    ticks = [0.0, 0.5, 1.0]
    assert recorder.frames[1]["scores"] == [0.5 * u + v for v in ticks for u in ticks]


def test_a_model_with_two_outputs_is_traced_too() -> None:
    model = Counting(MLP(2, [3, 2], activation="tanh", seed=0))
    recorder = TrainingRecorder(model, [[0.0, 0.0], [1.0, 1.0]], [0, 1], grid=3)
    recorder.record(0.0)
    assert model.calls == 1 + 3


def test_load_state_dict_refuses_a_huge_int_and_a_nan_by_name() -> None:
    model = MLP(1, [1, 1], seed=0)
    name = "layers.0.neurons.0.b"
    with pytest.raises(ValueError) as huge:
        model.load_state_dict({**model.state_dict(), name: 10**400})  # 401 digits: the first 37, then ...
    assert (
        str(huge.value) == f"MLP.load_state_dict: '{name}' is too large for a float, got {'1' + '0' * 36}..."
    )
    with pytest.raises(ValueError) as nan:
        model.load_state_dict({**model.state_dict(), name: math.nan})
    assert str(nan.value) == f"MLP.load_state_dict: '{name}' must be finite, got nan"


def test_init_bounds_by_hand() -> None:
    assert uniform_bound("uniform", 3, 5) == 1.0
    assert uniform_bound("xavier", 3, 5) == pytest.approx(math.sqrt(6 / 8))  # sqrt(6 / (fan_in + fan_out))
    assert uniform_bound("he", 3, 5) == pytest.approx(math.sqrt(2))  # sqrt(6 / fan_in)
    w = initial_weights("he", 3, 5, random.Random(0))
    assert len(w) == 3 and all(abs(x) <= math.sqrt(2) for x in w)


def test_make_moons_defaults_ends_and_messages() -> None:
    X, y = nn.data.make_moons()  # 100 points on the moons, no noise
    assert len(X) == 100 and y.count(0) == y.count(1) == 50
    assert all(math.isclose(a * a + b * b, 1.0) for (a, b), t in zip(X, y) if t == 0)
    # 6 points: the upper moon at t = 0, pi/2, pi (both ends included)
    X, y = nn.data.make_moons(6, seed=0)
    upper = sorted((round(a, 12) + 0.0, round(b, 12) + 0.0) for (a, b), t in zip(X, y) if t == 0)
    assert upper == [(-1.0, 0.0), (0.0, 1.0), (1.0, 0.0)]
    # 3 points: one upper point, at t = 0: (1, 0); and one outer circle point, at angle 0: (1, 0)
    X, y = nn.data.make_moons(3, seed=0)
    assert [p for p, t in zip(X, y) if t == 0] == [[1.0, 0.0]]
    X, y = nn.data.make_circles(3, seed=0)
    assert [p for p, t in zip(X, y) if t == 0] == [[1.0, 0.0]]
    for bad, error, message in [
        (-1, ValueError, "make_moons: noise must be a finite number >= 0, got -1"),
        ("a", TypeError, "make_moons: noise must be a number, got str 'a'"),
        (True, TypeError, "make_moons: noise must be a number, got bool True"),
    ]:
        with pytest.raises(error) as caught:
            nn.data.make_moons(4, noise=ANY(bad))
        assert str(caught.value) == message


def test_recorder_grid_from_2_to_200_and_the_health_message() -> None:
    model = MLP(2, [1], seed=0)
    assert TrainingRecorder(model, [[0.0, 0.0], [1.0, 1.0]], grid=200).lattice == {
        "x0": -0.5,
        "x1": 1.5,
        "y0": -0.5,
        "y1": 1.5,
        "n": 200,
    }
    for bad in (1, 201, 2.0, "5", True):
        with pytest.raises(ValueError) as caught:
            TrainingRecorder(model, grid=ANY(bad))
        assert str(caught.value) == f"TrainingRecorder: grid must be an int from 2 to 200, got {bad!r}"
    with pytest.raises(ValueError) as not_mlp:
        TrainingRecorder(Scaled(), [[0.0, 0.0]], health=True)
    assert str(not_mlp.value) == "TrainingRecorder: health=True needs an MLP and its data X, got Scaled"
