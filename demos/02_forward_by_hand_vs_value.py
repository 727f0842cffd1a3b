"""The lesson's forward and backward pass twice: with plain floats by hand, and with Values.

    python demos/02_forward_by_hand_vs_value.py [OUT_DIR]

What to notice:
- the forward pass a = sigmoid(w1*x1 + w2*x2 + b) gives the same four outputs either way;
- the lesson's hand-written backward pass (dz = a - y, dw = X^T dz / m, db = mean(dz)) is
  exactly what backward() computes for the mean binary cross-entropy: the numbers agree to
  rounding, but the Value version never needed the formula dz = a - y;
- one update step (lr 0.1) then moves the weights identically.
OUT_DIR is accepted for symmetry with the other demos; nothing is written.
"""

from __future__ import annotations

import math
import random
import sys

import nn
from autograd import Value

X = [[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]]
Y = [0.0, 1.0, 1.0, 0.0]


def sigmoid(z: float) -> float:
    return 1 / (1 + math.exp(-z))


def by_hand(w: list[float], b: float) -> tuple[list[float], list[float], float]:
    """The lesson's forward() and backward() with floats: outputs a, then dw and db."""
    a = [sigmoid(w[0] * x[0] + w[1] * x[1] + b) for x in X]
    m = len(X)
    dz = [ai - yi for ai, yi in zip(a, Y)]
    dw = [sum(X[i][j] * dz[i] for i in range(m)) / m for j in range(2)]
    db = sum(dz) / m
    return a, dw, db


def with_values(w0: list[float], b0: float) -> tuple[list[float], list[float], float]:
    """The same with Values: build the loss, call backward(), read the grads."""
    w = [Value(w0[0], label="w1"), Value(w0[1], label="w2")]
    b = Value(b0, label="b")
    a = [(w[0] * x[0] + w[1] * x[1] + b).sigmoid() for x in X]
    loss = nn.binary_cross_entropy(a, Y)  # mean over the four samples
    loss.backward()
    return [ai.data for ai in a], [wi.grad for wi in w], b.grad


def main() -> None:
    rng = random.Random(1)  # the lesson seeds numpy with 1; we seed our own generator
    w = [rng.gauss(0.0, 1.0), rng.gauss(0.0, 1.0)]
    b = 0.0
    print(f"weights w1 = {w[0]:.4f}, w2 = {w[1]:.4f}, bias b = {b}")
    a_hand, dw_hand, db_hand = by_hand(w, b)
    a_val, dw_val, db_val = with_values(w, b)
    print("forward:   x        by hand   with Value")
    for x, ah, av in zip(X, a_hand, a_val):
        print(f"        ({x[0]:.0f}, {x[1]:.0f})     {ah:.6f}   {av:.6f}")
    print("backward:  lesson's formula    backward() on mean BCE")
    print(f"  dL/dw1   {dw_hand[0]: .6f}          {dw_val[0]: .6f}")
    print(f"  dL/dw2   {dw_hand[1]: .6f}          {dw_val[1]: .6f}")
    print(f"  dL/db    {db_hand: .6f}          {db_val: .6f}")
    worst = max(
        max(abs(p - q) for p, q in zip(a_hand, a_val)),
        max(abs(p - q) for p, q in zip(dw_hand, dw_val)),
        abs(db_hand - db_val),
    )
    print(f"largest difference: {worst:.1e} (rounding only)")
    if worst > 1e-12:
        raise SystemExit("the two computations disagree")
    lr = 0.1
    print(
        f"after one step with lr {lr}: w1 = {w[0] - lr * dw_val[0]:.6f}, "
        f"w2 = {w[1] - lr * dw_val[1]:.6f}, b = {b - lr * db_val:.6f}"
    )


if __name__ == "__main__":
    _ = sys.argv[1:]  # optional OUT_DIR, unused
    main()
