"""The floor: each workload written by hand with plain Python floats and no graph.

Forward pass, hand-derived backward pass and (for training) the update, with nothing
recorded: the fastest pure Python can do the same arithmetic. The engine's speed is quoted
as a ratio to these.
"""

from __future__ import annotations

Weights = list[list[list[float]]]  # layer -> neuron -> [w0, ..., w(n-1), b]


def moons_step(weights: Weights, X: list[list[float]], y: list[float], lr: float, alpha: float) -> float:
    """One step of micrograd's moons demo on an MLP with ReLU hidden layers and a linear output.

    loss = mean_i relu(1 - y_i s_i) + alpha * sum p^2; backward by hand; SGD: p -= lr * dloss/dp.
    Updates ``weights`` in place and returns the loss before the update.
    """
    grads = [[[0.0] * len(neuron) for neuron in layer] for layer in weights]
    last = len(weights) - 1
    n = len(X)
    data_loss = 0.0
    for xs, target in zip(X, y):
        activations = [xs]  # the input of each layer
        pre = []  # each layer's weighted sums
        a = xs
        for k, layer in enumerate(weights):
            z = [sum([w * x for w, x in zip(neuron, a)]) + neuron[-1] for neuron in layer]
            pre.append(z)
            a = z if k == last else [v if v > 0.0 else 0.0 for v in z]
            activations.append(a)
        margin = 1.0 - target * a[0]
        if margin <= 0.0:
            continue  # relu'(margin) = 0: this sample adds nothing to the gradient
        data_loss += margin
        upstream = [-target / n]  # d loss / d score
        for k in range(last, -1, -1):
            if k != last:
                upstream = [g if z > 0.0 else 0.0 for g, z in zip(upstream, pre[k])]
            inputs = activations[k]
            down = [0.0] * len(inputs)
            for neuron, neuron_grads, g in zip(weights[k], grads[k], upstream):
                for i, x in enumerate(inputs):
                    neuron_grads[i] += g * x
                    down[i] += g * neuron[i]
                neuron_grads[-1] += g
            upstream = down
    reg = 0.0
    for layer, layer_grads in zip(weights, grads):
        for neuron, neuron_grads in zip(layer, layer_grads):
            for i, p in enumerate(neuron):
                reg += p * p
                neuron[i] = p - lr * (neuron_grads[i] + 2.0 * alpha * p)
    return data_loss / n + alpha * reg


def deep_chain(x0: float, ops: int, scale: float, shift: float) -> tuple[float, float]:
    """y = ((relu(x) * scale) + shift) repeated ops/3 times; returns (y, dy/dx0)."""
    x = x0
    alive = []  # relu'(x) at each step, all the backward pass needs
    for _ in range(ops // 3):
        alive.append(x > 0.0)
        x = (x if x > 0.0 else 0.0) * scale + shift
    grad = 1.0
    for was_positive in reversed(alive):
        grad = grad * scale if was_positive else 0.0
    return x, grad


def wide(ws: list[float], xs: list[float]) -> tuple[float, list[float], list[float]]:
    """s = sum_i w_i x_i; returns (s, ds/dw = x, ds/dx = w)."""
    s = sum([w * x for w, x in zip(ws, xs)])
    return s, list(xs), list(ws)
