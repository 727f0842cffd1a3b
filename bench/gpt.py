"""The workloads that run on both engines: written once against the ``Value`` interface.

Each function takes the Value class it runs on (``autograd.Value`` or ``bench.lean.LeanValue``)
and uses only what both have: ``+ - * / **`` with Values and numbers, ``exp``, ``log``,
``relu``, ``.data``, ``.grad`` and ``backward()``. So the two engines run the same code, do the
same arithmetic in the same order, and ``bench/vs_lean.py`` can time one against the other.

The tiny GPT is the library's (``nn/gpt.py``, the model ``chainrule gpt`` and demo 18 train),
imported here under the names the benchmark has always used: one transformer block on
characters, embedding 16, context 16, vocabulary 27, 4,192 parameters. Its functions take the
Value class too (``gpt_parameters(LeanValue)``), so the lean engine runs the same model code.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from nn.gpt import (
    BLOCK,
    BOUNDARY,
    HEAD_DIM,
    N_EMBD,
    N_HEAD,
    NAMES,
    VOCAB,
    Matrix,
    block,
    flat,
    gpt_loss,
    gpt_loss_one_hot,
    gpt_parameters,
    gpt_step,
    linear,
    one_hot,
    rmsnorm,
    sequence,
    softmax,
    softmax_unshifted,
    tokens,
)

__all__ = [
    "BLOCK",
    "BOUNDARY",
    "HEAD_DIM",
    "NAMES",
    "N_EMBD",
    "N_HEAD",
    "VOCAB",
    "Matrix",
    "block",
    "chain",
    "flat",
    "gpt_loss",
    "gpt_loss_one_hot",
    "gpt_parameters",
    "gpt_step",
    "linear",
    "mlp_parameters",
    "moons_step",
    "one_hot",
    "rmsnorm",
    "sequence",
    "softmax",
    "softmax_unshifted",
    "tokens",
]

V = Any  # a Value of either engine: the code below is duck-typed on purpose


# --- micrograd's moons step, written once -------------------------------------------------------


def mlp_parameters(value: type, weights: list[list[list[float]]]) -> list[list[tuple[list[V], V]]]:
    """Leaf Values of class ``value`` for the weights: layer -> neuron -> (w, b)."""
    return [[([value(w) for w in neuron[:-1]], value(neuron[-1])) for neuron in layer] for layer in weights]


def moons_step(value: type, model: list[list[tuple[list[V], V]]], X: list[list[float]], y: list[float],
               lr: float, alpha: float) -> float:  # fmt: skip
    """micrograd's demo step: ReLU MLP, hinge loss + alpha * L2, backward, SGD. Returns the loss."""
    params = [p for layer in model for w, b in layer for p in (*w, b)]
    last = len(model) - 1
    terms = []
    for xs, target in zip(X, y):
        a = [value(v) for v in xs]
        for k, layer in enumerate(model):
            z = [sum((wi * ai for wi, ai in zip(w, a)), b) for w, b in layer]
            a = z if k == last else [v.relu() for v in z]
        terms.append((1.0 + -target * a[0]).relu())
    loss = sum(terms) * (1.0 / len(terms)) + alpha * sum(p * p for p in params)
    loss.backward()
    for p in params:
        p.data -= lr * p.grad
        p.grad = 0.0
    return float(loss.data)


# --- the deep chain -------------------------------------------------------------------------------


def chain(value: type, x0: float, ops: int, scale: float, shift: float,
          backward: Callable[[Any], None]) -> tuple[float, float]:  # fmt: skip
    """The floor's chain (relu, * scale, + shift) ``ops // 3`` times; returns (y, dy/dx0)."""
    x = value(x0)
    y = x
    for _ in range(ops // 3):
        y = (y.relu() * scale) + shift
    backward(y)
    return y.data, x.grad
