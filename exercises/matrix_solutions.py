"""Solutions of exercises/matrices.py: the backward passes of four matrix programs, in numpy.

Each ``*_backward`` gets the forward's inputs as numpy arrays (and ``dZ = dL/dZ``, the gradient
flowing into the output Z, where the output is a matrix) and returns the gradients of the
inputs graded, in order. ``python exercises/check_matrices.py --solutions`` grades this file.
"""

from __future__ import annotations

from typing import Any

import numpy as np

Array = Any


def sigmoid(z: Array) -> Array:
    return 1 / (1 + np.exp(-z))


def linear_backward(X: Array, W: Array, dZ: Array) -> tuple[Array, Array]:
    """Z = X·W.  Z[i][j] = Σₜ X[i][t]·W[t][j], so dX[i][t] = Σⱼ dZ[i][j]·W[t][j] and
    dW[t][j] = Σᵢ X[i][t]·dZ[i][j]."""
    return dZ @ W.T, X.T @ dZ


def linear_bias_backward(X: Array, W: Array, b: Array, dZ: Array) -> tuple[Array, Array, Array]:
    """Z = X·W + b, b added to every row: its gradient collects every row's."""
    return dZ @ W.T, X.T @ dZ, dZ.sum(axis=0)


def neuron_backward(X: Array, W: Array, b: Array, y: Array) -> tuple[Array, Array]:
    """L = mean over the m rows of BCE(sigmoid(X·W + b), y): the lesson's neuron.
    dL/dZ = (a - y) / m (σ'(z) = a(1 - a) cancels BCE's 1/(a(1 - a)))."""
    m = X.shape[0]
    a = sigmoid(X @ W + b)
    dz = a - y
    return X.T @ dz / m, np.sum(dz, axis=0) / m


def mlp_backward(
    X: Array, W1: Array, b1: Array, W2: Array, b2: Array, dZ: Array
) -> tuple[Array, Array, Array, Array]:
    """P = X·W1 + b1, H = tanh(P), Z = H·W2 + b2."""
    H = np.tanh(X @ W1 + b1)
    dH = dZ @ W2.T
    dP = dH * (1 - H**2)
    return X.T @ dP, dP.sum(axis=0), H.T @ dZ, dZ.sum(axis=0)
