"""nn.TrainingRecorder's grid of scores: the model's output at every lattice point.

Oracle: the model itself, called on each point through the node engine. The recorder scores
with a traced forward pass, which must give the very same numbers, and must fall back to the
model where the model would take another path.
"""

from __future__ import annotations

import math

import pytest

import nn
from autograd import Value, no_grad
from nn.record import TrainingRecorder


def expected_scores(model: nn.Module, recorder: TrainingRecorder) -> list[float]:
    """Each lattice point, bottom row first, scored by calling the model (the page's layout)."""
    g = recorder.lattice or {}
    n, scores = g["n"], []
    for j in range(n):
        for i in range(n):
            u = g["x0"] + (g["x1"] - g["x0"]) * i / (n - 1)
            v = g["y0"] + (g["y1"] - g["y0"]) * j / (n - 1)
            with no_grad():
                out = model([u, v])  # type: ignore[operator]
            if isinstance(out, list):
                scores.append(float(max(range(len(out)), key=lambda k: out[k].data)))
            else:
                scores.append(round(out.data, 3))
    return scores


@pytest.mark.parametrize("activation, outputs", [("relu", 1), ("tanh", 3), ("sigmoid", 1)])
def test_grid_scores_are_the_models_outputs(activation: str, outputs: int) -> None:
    X, y = nn.data.make_moons(20, noise=0.1, seed=1)
    model = nn.MLP(2, [6, 5, outputs], activation=activation, seed=2)
    recorder = TrainingRecorder(model, X, y, grid=9)
    optimizer = nn.SGD(model.parameters(), lr=0.5)
    signs = [2.0 * t - 1.0 for t in y]
    for _ in range(3):  # the scores follow the weights from step to step
        outs = [model(x) for x in X]
        loss = nn.cross_entropy(outs, y) if outputs > 1 else nn.hinge(outs, signs)  # type: ignore[arg-type]
        optimizer.zero_grad()
        loss.backward()
        recorder.record(loss)
        assert recorder.frames[-1]["scores"] == expected_scores(model, recorder)
        optimizer.step()
    assert recorder.frames[0]["scores"] != recorder.frames[-1]["scores"]
    assert (recorder.lattice or {})["classes"] == max(outputs, 2)


class Branchy(nn.Module):
    """A model with a Python ``if`` on a Value: the traced path holds on one half-plane only."""

    def __init__(self) -> None:
        self.w = Value(0.7, label="w")

    def __call__(self, x: list[float | Value]) -> Value:
        u = self.w * x[0]  # x[0]: a number, or a Value while the recorder traces
        return u.tanh() if u > 0.0 else u * u  # the branch is taken on the data

    def named_parameters(self, prefix: str = "") -> list[tuple[str, Value]]:
        return [(prefix + "w", self.w)]


def test_points_on_another_path_are_scored_by_the_model() -> None:
    model = Branchy()
    recorder = TrainingRecorder(model, [[-1.0, -1.0], [1.0, 1.0]], [0, 1], grid=6)
    recorder.record(0.0)
    scores = recorder.frames[0]["scores"]
    assert scores == expected_scores(model, recorder)
    by_hand = []  # the bottom row: u from -1.5 to 1.5, traced at u = 0 on the u * u side
    for i in range(6):
        t = 0.7 * (-1.5 + 3.0 * i / 5)
        by_hand.append(round(math.tanh(t) if t > 0.0 else t * t, 3))
    assert scores[:6] == by_hand


class ReadsNumbers(nn.Module):
    """A model that reads numbers out of Values: the trace would bake them in as constants."""

    def __init__(self, read_input: bool) -> None:
        self.w = Value(0.5, label="w")
        self.read_input = read_input

    def __call__(self, x: list[float | Value]) -> Value:
        if self.read_input:
            return self.w * float(x[0])  # while tracing: the point the trace was made at, as a constant
        return self.w * 0.0 + self.w.data * x[0]  # w.data: the weight at tracing time, as a constant

    def named_parameters(self, prefix: str = "") -> list[tuple[str, Value]]:
        return [(prefix + "w", self.w)]


class FloatsOnly(ReadsNumbers):
    def __call__(self, x: list[float | Value]) -> Value:
        return self.w * Value(x[0])  # Value(a Value) raises: this model cannot be traced


@pytest.mark.parametrize("model", [ReadsNumbers(read_input=True), FloatsOnly(read_input=False)])
def test_a_model_the_trace_cannot_follow_is_scored_by_itself(model: nn.Module) -> None:
    recorder = TrainingRecorder(model, [[-1.0, 0.0], [2.0, 1.0]], [0, 1], grid=5)
    recorder.record(0.0)
    assert recorder.frames[0]["scores"] == expected_scores(model, recorder)
    assert len(set(recorder.frames[0]["scores"])) == 5  # it varies along u: nothing was baked in


def test_a_weight_read_as_a_number_is_caught_when_the_weights_move() -> None:
    model = ReadsNumbers(read_input=False)  # w.data is baked in; right until w changes
    recorder = TrainingRecorder(model, [[-1.0, 0.0], [2.0, 1.0]], [0, 1], grid=5)
    recorder.record(0.0)
    model.w.data = -2.0
    recorder.record(0.0)
    assert recorder.frames[1]["scores"] == expected_scores(model, recorder)
    assert recorder.frames[1]["scores"] != recorder.frames[0]["scores"]
