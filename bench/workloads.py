"""The benchmark workloads on chainrule (and on micrograd, when it is installed).

Each function does the same arithmetic as its twin in ``bench/floor.py``, so the two can be
timed side by side and checked against each other.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from typing import Any

import autograd
import nn
from autograd import Value
from bench.floor import Weights

ALPHA = 1e-4  # micrograd's demo: L2 weight


def moons_data(n: int = 100, seed: int = 0) -> tuple[list[list[float]], list[float]]:
    X, labels = nn.data.make_moons(n, noise=0.1, seed=seed)
    return X, [2.0 * label - 1.0 for label in labels]


def weights_of(model: nn.MLP) -> Weights:
    """The model's parameters as plain nested lists: layer -> neuron -> [w..., b]."""
    return [
        [[*(w.data for w in neuron.w), neuron.b.data] for neuron in layer.neurons] for layer in model.layers
    ]


def moons_step(model: nn.MLP, X: list[list[float]], y: list[float], lr: float) -> float:
    """micrograd's demo step on chainrule: hinge + L2, backward, SGD. Returns the loss."""
    params = model.parameters()
    loss = nn.hinge([model(x) for x in X], y) + ALPHA * autograd.sum([p * p for p in params])
    return sgd_step(loss, params, lr)


def paused_moons_step(model: nn.MLP, X: list[list[float]], y: list[float], lr: float) -> float:
    """The same step inside ``autograd.collector_paused()``: its graph is built and freed there."""
    with autograd.collector_paused():
        return moons_step(model, X, y, lr)


def sgd_step(loss: Value, params: list[Value], lr: float) -> float:
    """Zero the grads, backward, p -= lr * grad; returns the loss."""
    for p in params:
        p.grad = 0.0
    loss.backward()
    for p in params:
        p.data -= lr * p.grad
    return loss.data


# The same network written with the engine alone (Value and autograd.dot, no nn), from the same
# weights: the difference between this row and the nn row is what nn's layers add.
BareMLP = list[list[tuple[list[Value], Value]]]  # layer -> neuron -> (weights, bias)


def bare_mlp(weights: Weights) -> BareMLP:
    """Leaf Values for the given weights: layer -> neuron -> (w, b)."""
    return [[([Value(w) for w in neuron[:-1]], Value(neuron[-1])) for neuron in layer] for layer in weights]


def bare_parameters(model: BareMLP) -> list[Value]:
    return [p for layer in model for w, b in layer for p in (*w, b)]


def bare_moons_step(model: BareMLP, X: list[list[float]], y: list[float], lr: float) -> float:
    """The moons step with each neuron as ``relu(autograd.dot(w, x, b))`` (the last one linear)."""
    params = bare_parameters(model)
    last = len(model) - 1
    terms = []
    for xs, target in zip(X, y):
        a = [Value(v) for v in xs]
        for k, layer in enumerate(model):
            z = [autograd.dot(w, a, b) for w, b in layer]
            a = z if k == last else [v.relu() for v in z]
        terms.append((1.0 - target * a[0]).relu())
    loss = autograd.sum(terms) / len(terms) + ALPHA * autograd.sum([p * p for p in params])
    return sgd_step(loss, params, lr)


def micrograd_model(weights: Weights) -> Any:
    """micrograd 0.1.0's MLP with the given weights (its parameters come in the same order)."""
    from micrograd.nn import MLP  # type: ignore[import-untyped]

    sizes = [len(weights[0][0]) - 1] + [len(layer) for layer in weights]
    model = MLP(sizes[0], sizes[1:])
    flat = [p for layer in weights for neuron in layer for p in neuron]
    for p, value in zip(model.parameters(), flat, strict=True):
        p.data = value
    return model


def micrograd_moons_step(model: Any, X: list[list[float]], y: list[float], lr: float) -> float:
    """The same step written as micrograd's demo writes it."""
    from micrograd.engine import Value as MValue  # type: ignore[import-untyped]

    params = model.parameters()
    scores = [model([MValue(a), MValue(b)]) for a, b in X]
    losses = [(1 + -yi * si).relu() for yi, si in zip(y, scores)]
    data_loss = sum(losses) * (1.0 / len(losses))
    loss = data_loss + ALPHA * sum(p * p for p in params)
    model.zero_grad()
    loss.backward()
    for p in params:
        p.data -= lr * p.grad
    return float(loss.data)


def deep_chain_forward(x0: float, ops: int, scale: float, shift: float) -> tuple[Value, Value]:
    """The floor's chain on Values, forward only: returns (x, y)."""
    x = Value(x0)
    y = x
    for _ in range(ops // 3):
        y = (y.relu() * scale) + shift
    return x, y


def deep_chain(x0: float, ops: int, scale: float, shift: float) -> tuple[float, float]:
    """The floor's chain on Values: forward, backward; returns (y, dy/dx0)."""
    x, y = deep_chain_forward(x0, ops, scale, shift)
    y.backward()
    return y.data, x.grad


def paused_deep_chain(x0: float, ops: int, scale: float, shift: float) -> tuple[float, float]:
    """The same chain inside ``autograd.collector_paused()``: built, differentiated and freed there."""
    with autograd.collector_paused():
        return deep_chain(x0, ops, scale, shift)


# The wide workloads take their leaves ready-made (as a model's parameters and inputs would be)
# and time forward + backward. Leaves accumulate grads from call to call; the checks call
# them once on fresh leaves.


def wide_builtin_sum(w: list[Value], x: list[Value]) -> tuple[float, list[float]]:
    """sum(w * x) with Python's sum: 10,000 mul nodes and 10,000 add nodes."""
    s = sum(wi * xi for wi, xi in zip(w, x))
    assert isinstance(s, Value)
    s.backward()
    return s.data, [v.grad for v in w]


def wide_fused_sum(w: list[Value], x: list[Value]) -> tuple[float, list[float]]:
    """autograd.sum of the products: 10,000 mul nodes and one sum node."""
    s = autograd.sum([wi * xi for wi, xi in zip(w, x)])
    s.backward()
    return s.data, [v.grad for v in w]


def wide_dot(w: list[Value], x: list[Value]) -> tuple[float, list[float]]:
    """autograd.dot: one node."""
    s = autograd.dot(w, x)
    s.backward()
    return s.data, [v.grad for v in w]


def render_sample(model: nn.MLP, collapse: bool) -> int:
    """draw_dot + SVG of one sample through the model; returns the SVG's size in bytes."""
    out = model([0.5, -0.25])
    assert isinstance(out, Value)
    out.backward()
    graph = autograd.draw_dot(out, model=model, collapse=collapse, max_nodes=5000)
    return len(graph.pipe(format="svg"))


def random_vector(n: int, seed: int) -> list[float]:
    rng = random.Random(seed)
    return [rng.uniform(-1.0, 1.0) for _ in range(n)]


# The compiled rows: the same arithmetic traced once (autograd.trace) and run as generated float
# code. Tracing and compiling happen once, before timing, as in training; only the step is timed.


def compiled_moons(model: nn.MLP, X: list[list[float]], y: list[float]) -> nn.CompiledLoss:
    """The moons loss of ``moons_step`` (hinge + L2) traced over the model's parameters."""
    params = model.parameters()

    def loss() -> Value:
        return nn.hinge([model(x) for x in X], y) + ALPHA * autograd.sum([p * p for p in params])

    return nn.compile_loss(model.named_parameters(), loss)


def compiled_moons_step(compiled: nn.CompiledLoss, lr: float) -> float:
    """One SGD step on the compiled loss: zero the grads, loss and grads, p -= lr * grad."""
    params = compiled.parameters
    for p in params:
        p.grad = 0.0
    loss = compiled()
    for p in params:
        p.data -= lr * p.grad
    return loss


def compiled_deep_chain(ops: int, scale: float, shift: float) -> Callable[[float], tuple[float, float]]:
    """The deep chain traced at x0 = 0.5 and compiled: x0 -> (y, dy/dx0)."""

    def chain(x: Value) -> Value:
        for _ in range(ops // 3):
            x = (x.relu() * scale) + shift
        return x

    function = autograd.trace(chain, 0.5).compile().function

    def run(x0: float) -> tuple[float, float]:
        y, (dx,) = function(x0)
        return y, dx

    return run


def grid_scores_by_the_model(model: nn.MLP, points: list[tuple[float, float]]) -> list[float]:
    """Each point's score by calling the model under no_grad: how the recorder scored before tracing."""
    with autograd.no_grad():
        return [model(list(p)).data for p in points]  # type: ignore[union-attr]
