"""The lesson's perceptron: a weighted sum of the inputs, then an activation function.

    python demos/01_perceptron_and_activations.py [OUT_DIR]

What to notice:
- a perceptron is z = w1*x1 + w2*x2 + b followed by sigmoid, ReLU or tanh;
- each activation's derivative, computed by backward(), equals the textbook formula:
  sigmoid' = s(1 - s), relu' = 1 if z > 0 else 0, tanh' = 1 - tanh**2;
- sigmoid' is at most 0.25 (at z = 0) and tanh' at most 1: both fade for large |z|.
OUT_DIR is accepted for symmetry with the other demos; nothing is written.
"""

from __future__ import annotations

import math
import sys

from autograd import Value


def sigmoid(z: float) -> float:
    return 1 / (1 + math.exp(-z))


def sigmoid_derivative(z: float) -> float:
    """The lesson's formula: sigmoid(z) * (1 - sigmoid(z))."""
    return sigmoid(z) * (1 - sigmoid(z))


def relu_derivative(z: float) -> float:
    return 1.0 if z > 0 else 0.0


def tanh_derivative(z: float) -> float:
    return 1 - math.tanh(z) ** 2


FORMULAS = {"sigmoid": sigmoid_derivative, "relu": relu_derivative, "tanh": tanh_derivative}


def activation_table() -> None:
    print("activation values and derivatives (backward() vs the formula):")
    print(f"{'z':>6} | {'name':>7} | {'value':>8} | {'backward':>9} | {'formula':>9}")
    for z0 in (-2.0, -0.5, 0.0, 0.5, 2.0):
        for name, formula in FORMULAS.items():
            z = Value(z0, label="z")
            out = getattr(z, name)()
            out.backward()
            expected = formula(z0)
            if abs(z.grad - expected) > 1e-12:
                raise SystemExit(f"{name}'({z0}): backward gave {z.grad}, the formula {expected}")
            print(f"{z0:6.2f} | {name:>7} | {out.data:8.4f} | {z.grad:9.4f} | {expected:9.4f}")
    print("every derivative matches its formula to 1e-12")


def perceptron() -> None:
    x1, x2 = Value(1.0, label="x1"), Value(0.5, label="x2")
    w1, w2, b = Value(0.8, label="w1"), Value(-0.4, label="w2"), Value(0.1, label="b")
    z = w1 * x1 + w2 * x2 + b  # 0.8 - 0.2 + 0.1 = 0.7
    a = z.sigmoid()
    a.backward()
    s = sigmoid(0.7)
    print()
    print("a perceptron: z = w1*x1 + w2*x2 + b = 0.8*1.0 + (-0.4)*0.5 + 0.1")
    print(f"  z = {z.data:.4f}, a = sigmoid(z) = {a.data:.4f} (by hand: {s:.4f})")
    print(f"  da/dz = a(1 - a) = {s * (1 - s):.4f}")
    print(f"  da/dw1 = da/dz * x1 = {w1.grad:.4f}   da/dw2 = da/dz * x2 = {w2.grad:.4f}")
    print(f"  da/db = da/dz = {b.grad:.4f}")
    print(f"  da/dx1 = da/dz * w1 = {x1.grad:.4f}   da/dx2 = da/dz * w2 = {x2.grad:.4f}")


if __name__ == "__main__":
    _ = sys.argv[1:]  # optional OUT_DIR, unused
    activation_table()
    perceptron()
