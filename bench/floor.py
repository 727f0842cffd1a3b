"""The floor: each workload written by hand with plain Python floats and no graph.

Forward pass, hand-derived backward pass and (for training) the update, with nothing
recorded: the fastest pure Python can do the same arithmetic. The engine's speed is quoted
as a ratio to these.
"""

from __future__ import annotations

from collections.abc import Sequence
from operator import mul

Weights = list[list[list[float]]]  # layer -> neuron -> [w0, ..., w(n-1), b]


def moons_step(weights: Weights, X: list[list[float]], y: list[float], lr: float, alpha: float) -> float:
    """One step of micrograd's moons demo on an MLP with ReLU hidden layers and a linear output.

    loss = mean_i relu(1 - y_i s_i) + alpha * sum p^2; backward by hand; SGD: p -= lr * dloss/dp.
    Updates ``weights`` in place and returns the loss before the update.

    Written for speed: every weighted sum is ``sum(map(mul, w, a), b)`` (the loop runs in C, and
    it adds in the engine's order, bias first); a sample whose margin is <= 0 adds nothing to the
    gradient and is skipped; a layer's weight gradients are summed over the samples at the end,
    one C-level dot product per weight (column of upstream gradients . column of inputs).
    """
    last = len(weights) - 1
    n = len(X)
    columns = [[list(col) for col in zip(*layer)] for layer in weights]  # W transposed, for dL/da
    upstreams: list[list[list[float]]] = [[] for _ in weights]  # per layer: each live sample's dL/dz
    inputs: list[list[list[float]]] = [[] for _ in weights]  # per layer: each live sample's input
    data_loss = 0.0
    for xs, target in zip(X, y):
        activations = [xs]
        a = xs
        for k, layer in enumerate(weights):
            z = [sum(map(mul, neuron, a), neuron[-1]) for neuron in layer]  # zip stops before b
            a = z if k == last else [v if v > 0.0 else 0.0 for v in z]
            activations.append(a)
        margin = 1.0 - target * a[0]
        if margin <= 0.0:
            continue  # relu'(margin) = 0: this sample adds nothing to the gradient
        data_loss += margin
        g = [-target / n]  # d loss / d score
        for k in range(last, -1, -1):
            upstreams[k].append(g)
            inputs[k].append(activations[k])
            if k:
                down = [sum(map(mul, g, col)) for col in columns[k]]  # dL/da of the layer below
                g = [d if z > 0.0 else 0.0 for d, z in zip(down, activations[k])]  # relu'
    reg = 0.0
    for k, layer in enumerate(weights):
        g_cols = list(zip(*upstreams[k])) or [() for _ in layer]
        a_cols = list(zip(*inputs[k])) or [() for _ in columns[k]]
        for neuron, g_col in zip(layer, g_cols):
            grads = [sum(map(mul, g_col, a_col)) for a_col in a_cols]  # dL/dw_j, summed over samples
            grads.append(sum(g_col))  # dL/db
            reg += sum(map(mul, neuron, neuron))
            neuron[:] = [p - lr * (d + 2.0 * alpha * p) for p, d in zip(neuron, grads)]
    return data_loss / n + alpha * reg


def mlp_outputs(weights: Weights, points: Sequence[Sequence[float]]) -> list[float]:
    """The output of an MLP with ReLU hidden layers and a linear output at each point (one output)."""
    last = len(weights) - 1
    outputs = []
    for point in points:
        a: Sequence[float] = point
        for k, layer in enumerate(weights):
            z = [sum(map(mul, neuron, a), neuron[-1]) for neuron in layer]
            a = z if k == last else [v if v > 0.0 else 0.0 for v in z]
        outputs.append(a[0])
    return outputs


def deep_chain(x0: float, ops: int, scale: float, shift: float) -> tuple[float, float]:
    """y = ((relu(x) * scale) + shift) repeated ops/3 times; returns (y, dy/dx0).

    The forward pass keeps each step's local derivative relu'(x) * scale (scale or 0.0); the
    backward pass multiplies them in reverse. (0.7x the time of keeping relu's masks as bools
    and choosing in the backward loop, measured interleaved on 300,000 ops.)
    """
    x = x0
    factors: list[float] = []
    keep = factors.append
    for _ in range(ops // 3):
        if x > 0.0:
            keep(scale)
            x = x * scale + shift
        else:
            keep(0.0)
            x = 0.0 * scale + shift
    grad = 1.0
    for factor in reversed(factors):
        grad = grad * factor
    return x, grad


def wide(ws: list[float], xs: list[float]) -> tuple[float, list[float], list[float]]:
    """s = sum_i w_i x_i; returns (s, ds/dw = x, ds/dx = w)."""
    s = sum([w * x for w, x in zip(ws, xs)])
    return s, list(xs), list(ws)
