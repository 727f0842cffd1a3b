"""Second derivatives: differentiate the derivative, ``grad(grad(f))``, and compare with calculus.

    python demos/07_second_derivatives.py [OUT_DIR]

``grad(f)(x)`` is df/dx. When its argument is a Value, the inner ``grad`` keeps the graph of the
derivative (``backward(create_graph=True)``), so the outer ``grad`` can differentiate it again.
What to notice:
- every second derivative matches the hand formula (x**3 -> 6x, tanh -> -2 tanh (1 - tanh**2),
  sigmoid -> s(1 - s)(1 - 2s), sin -> -sin, log -> -1/x**2) to rounding;
- tanh'' and sigmoid'' are 0 at x = 0, where the curves turn from convex to concave;
- a mixed partial of f(x, y) = x**2 * y: d/dy (df/dx) = 2x, from backward(create_graph=True).
OUT_DIR is accepted for symmetry with the other demos; nothing is written.
"""

from __future__ import annotations

import math
import sys
from collections.abc import Callable

from autograd import Value, grad


def cube(x: Value) -> Value:
    return x**3


def tanh(x: Value) -> Value:
    return x.tanh()


def sigmoid(x: Value) -> Value:
    return x.sigmoid()


def sin(x: Value) -> Value:
    return x.sin()


def log(x: Value) -> Value:
    return x.log()


def sigmoid_second(x: float) -> float:
    s = 1 / (1 + math.exp(-x))
    return s * (1 - s) * (1 - 2 * s)


def tanh_second(x: float) -> float:
    t = math.tanh(x)
    return -2 * t * (1 - t * t)


CASES: list[tuple[str, Callable[[Value], Value], str, Callable[[float], float]]] = [
    ("x**3", cube, "6x", lambda x: 6 * x),
    ("tanh(x)", tanh, "-2 tanh (1 - tanh**2)", tanh_second),
    ("sigmoid(x)", sigmoid, "s (1 - s)(1 - 2s)", sigmoid_second),
    ("sin(x)", sin, "-sin x", lambda x: -math.sin(x)),
    ("log(x)", log, "-1/x**2", lambda x: -1 / x**2),
]


def main() -> None:
    worst = 0.0
    for name, f, formula, second in CASES:
        f2 = grad(grad(f))
        print(f"f = {name}: f'' = {formula}")
        for x0 in (0.0, 0.5, 2.0) if name != "log(x)" else (0.5, 1.0, 2.0):
            got = float(f2(Value(x0)))
            expected = second(x0)
            worst = max(worst, abs(got - expected))
            print(f"  x = {x0:3.1f}: grad(grad(f)) = {got:+.6f}   formula = {expected:+.6f}")
    print(f"largest difference from the formulas: {worst:.1e}")
    if worst > 1e-12:
        raise SystemExit("a second derivative disagrees with its formula")

    x, y = Value(3.0, label="x"), Value(5.0, label="y")
    f = x**2 * y
    f.backward(create_graph=True)  # x.grad is now a Value: df/dx = 2xy, with a graph
    dfdx = x.grad
    print()
    print(f"f = x**2 * y at x = 3, y = 5: df/dx = 2xy = {float(dfdx)}")
    x.grad, y.grad = 0.0, 0.0
    dfdx.backward()
    print(f"d/dx (df/dx) = 2y = {float(x.grad)},  d/dy (df/dx) = 2x = {float(y.grad)}")


if __name__ == "__main__":
    _ = sys.argv[1:]  # optional OUT_DIR, unused
    main()
