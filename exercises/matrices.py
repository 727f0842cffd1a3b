"""Exercises: the backward pass of four matrix programs, written with numpy as the lesson does.

Each ``*_backward`` gets the forward's inputs as numpy arrays (and ``dZ = dL/dZ``, the gradient
flowing into the output Z, where the output is a matrix) and returns the gradients asked for,
each with the shape of its matrix. Grade them with

    python exercises/check_matrices.py

which runs each at random square and non-square shapes against the engine's gradients (the same
program written with ``autograd.matmul``) and names the mistake: a missing transpose, factors in
the wrong order, a batch or a bias not summed, a 1/m missing or extra, a wrong shape.
The answers are in matrix_solutions.py: try first.
"""

from __future__ import annotations

from typing import Any

import numpy as np

Array = Any


def sigmoid(z: Array) -> Array:
    return 1 / (1 + np.exp(-z))


def linear_backward(X: Array, W: Array, dZ: Array) -> tuple[Array, Array]:
    """Z = X·W, X of shape (m, n), W of shape (n, k). Return (dX, dW)."""
    raise NotImplementedError


def linear_bias_backward(X: Array, W: Array, b: Array, dZ: Array) -> tuple[Array, Array, Array]:
    """Z = X·W + b, b of shape (k,) added to every row. Return (dX, dW, db)."""
    raise NotImplementedError


def neuron_backward(X: Array, W: Array, b: Array, y: Array) -> tuple[Array, Array]:
    """The lesson's neuron: a = sigmoid(X·W + b), W of shape (n, 1), b of shape (1,), y of shape
    (m, 1) holding 0s and 1s, and the loss L = the mean over the m rows of the binary cross-entropy
    -(y·log(a) + (1 - y)·log(1 - a)). Return (dW, db)."""
    raise NotImplementedError


def mlp_backward(
    X: Array, W1: Array, b1: Array, W2: Array, b2: Array, dZ: Array
) -> tuple[Array, Array, Array, Array]:
    """Two layers: P = X·W1 + b1, H = tanh(P), Z = H·W2 + b2. Return (dW1, db1, dW2, db2)."""
    raise NotImplementedError
