"""The lesson's own numpy program, typed in as the lesson gives it, beside the same neuron in chainrule.

    python demos/lesson_numpy.py [OUT_DIR]      (needs numpy: pip install numpy)

The numpy half is the lesson's code, line for line: np.random.seed(1), a sigmoid neuron, the
hand-written backward pass dz = a - y, learning rate 0.1, 10,000 iterations on XOR. The
chainrule half starts from the very same weights (read from numpy's generator) and lets
backward() find the gradient of the mean binary cross-entropy, whose derivative in z is the
lesson's a - y. Both print their final outputs and weights, then the largest difference
between the two runs: rounding only (below 1e-12).

What to notice: backward() reproduces the lesson's hand-derived update exactly; and both
neurons end at 0.5 for every input, because one line cannot separate XOR.
"""

from __future__ import annotations

import sys

try:
    import numpy as np
except ImportError:
    raise SystemExit("this demo compares with numpy: pip install numpy") from None

import nn
from autograd import Value

# --- the lesson's program ------------------------------------------------------------------------


def sigmoid(x):
    return 1 / (1 + np.exp(-x))


def sigmoid_derivative(x):
    return sigmoid(x) * (1 - sigmoid(x))


def forward(X, weights, bias):
    z = np.dot(X, weights) + bias
    a = sigmoid(z)
    return a


def backward(X, y, a, weights, bias, learning_rate=0.1):
    # As printed, the lesson's backward() takes no `bias` and runs `bias -= ...` on the global,
    # which Python rejects (UnboundLocalError); so here `bias` is passed in and returned.
    m = X.shape[0]
    dz = a - y
    dw = np.dot(X.T, dz) / m
    db = np.sum(dz) / m
    weights -= learning_rate * dw
    bias -= learning_rate * db
    return weights, bias


def lesson_program(iterations: int = 10000):
    """The lesson's training loop; returns its last ``a``, the weights and the bias."""
    np.random.seed(1)
    weights = np.random.randn(2, 1)
    bias = np.zeros((1,))
    X = np.array([[0, 0], [0, 1], [1, 0], [1, 1]])
    y = np.array([[0], [1], [1], [0]])  # XOR (note: a single-layer network won't learn XOR perfectly)
    for _ in range(iterations):
        a = forward(X, weights, bias)
        weights, bias = backward(X, y, a, weights, bias)
    return a.ravel().tolist(), weights.ravel().tolist(), float(bias[0])


# --- the same neuron in chainrule ----------------------------------------------------------------


def chainrule_program(iterations: int = 10000):
    """The same neuron, same start, same update, with the gradient from backward()."""
    np.random.seed(1)
    start = np.random.randn(2, 1).ravel().tolist()
    w = [Value(start[0], label="w1"), Value(start[1], label="w2")]
    b = Value(0.0, label="b")
    X, y = nn.data.xor()
    optimizer = nn.SGD([*w, b], lr=0.1)
    for _ in range(iterations):
        a = [(w[0] * x[0] + w[1] * x[1] + b).sigmoid() for x in X]
        loss = nn.binary_cross_entropy(a, y)  # mean over the four samples: d/dz = (a - y) / 4
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    return [ai.data for ai in a], [wi.data for wi in w], b.data


def main() -> None:
    early = [abs(p - q) for p, q in zip(_flat(lesson_program(100)), _flat(chainrule_program(100)))]
    print(f"after 100 iterations (weights still far from 0), largest difference: {max(early):.1e}")
    a_np, w_np, b_np = lesson_program()
    a_cr, w_cr, b_cr = chainrule_program()
    print("the lesson's numpy program (np.random.seed(1), lr 0.1, 10000 iterations):")
    print("  final output:  " + "  ".join(f"{v:.6f}" for v in a_np))
    print(f"  weights: w1 = {w_np[0]:.3e}, w2 = {w_np[1]:.3e}, bias b = {b_np:.3e}")
    print("the same neuron in chainrule, same start, gradient from backward():")
    print("  final output:  " + "  ".join(f"{v:.6f}" for v in a_cr))
    print(f"  weights: w1 = {w_cr[0]:.3e}, w2 = {w_cr[1]:.3e}, bias b = {b_cr:.3e}")
    worst = max(abs(p - q) for p, q in zip([*a_np, *w_np, b_np], [*a_cr, *w_cr, b_cr]))
    worst = max(worst, *early)
    print(f"largest difference: {worst:.1e}")
    if worst >= 1e-12:
        raise SystemExit("the two programs disagree")
    print("Both sit at 0.5 for every input: one neuron draws one line, and no line separates XOR.")


def _flat(result) -> list[float]:
    a, w, b = result
    return [*a, *w, b]


if __name__ == "__main__":
    _ = sys.argv[1:]  # optional OUT_DIR, unused: this demo draws nothing
    main()
