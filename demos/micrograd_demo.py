"""micrograd's demo notebook, replayed on chainrule: two moons, an MLP, a max-margin loss, SGD.

The steps of micrograd's ``demo.ipynb``, one for one, with ``autograd.Value`` and ``nn.MLP``
in place of micrograd's classes:

    data     100 points of two interleaving half moons, noise 0.1, labels -1 / +1
    model    MLP(2, [16, 16, 1]): two ReLU layers of 16, one linear output (337 parameters)
    loss     mean of relu(1 - y * score) (the SVM "max-margin" loss) + 1e-4 * sum of p**2
    step     p.data -= lr * p.grad, with lr falling from 1.0 to 0.1 over the 100 steps

The loss is written out with Values as the notebook writes it; with chainrule's library the
same thing is ``nn.hinge``, ``nn.SGD`` and ``nn.LambdaLR`` (see tests/nn/test_training.py).
scikit-learn's ``make_moons`` is replaced by ``nn.data.make_moons``, and matplotlib's picture
of the decision boundary by a character map.

    python demos/micrograd_demo.py
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import nn
from autograd import Value

Points = list[list[float]]


def make_data(seed: int) -> tuple[Points, list[int]]:
    """The demo's data: 100 moon points with noise 0.1, and labels turned from 0/1 into -1/+1."""
    X, labels = nn.data.make_moons(100, noise=0.1, seed=seed)
    return X, [2 * label - 1 for label in labels]


def loss_and_accuracy(model: nn.MLP, X: Points, y: Sequence[int], alpha: float = 1e-4) -> tuple[Value, float]:
    """The notebook's ``loss()``: max-margin data loss + L2 penalty, and the fraction classified right."""
    inputs = [[Value(v) for v in row] for row in X]
    scores = [model(x) for x in inputs]
    margins = [(1 + -yi * score).relu() for yi, score in zip(y, scores)]
    data_loss = sum(margins) * (1.0 / len(margins))
    reg_loss = alpha * sum(p * p for p in model.parameters())
    correct = [(yi > 0) == (score.data > 0) for yi, score in zip(y, scores)]
    return data_loss + reg_loss, sum(correct) / len(correct)


def train(
    steps: int = 100,
    data_seed: int = 1337,
    model_seed: int = 1337,
    log: Callable[[str], None] | None = print,
) -> tuple[nn.MLP, Points, list[int], list[tuple[float, float]]]:
    """Run the notebook's optimization loop; return the model, the data and (loss, accuracy) per step."""
    X, y = make_data(data_seed)
    model = nn.MLP(2, [16, 16, 1], seed=model_seed)
    if log:
        log(f"{model.num_parameters()} parameters")
    history = []
    for k in range(steps):
        total_loss, accuracy = loss_and_accuracy(model, X, y)

        model.zero_grad()
        total_loss.backward()

        learning_rate = 1.0 - 0.9 * k / steps
        for p in model.parameters():
            p.data -= learning_rate * p.grad

        history.append((total_loss.data, accuracy))
        if log and (k % 10 == 0 or k == steps - 1):
            log(f"step {k} loss {total_loss.data:.6f}, accuracy {accuracy * 100:.0f}%")
    return model, X, y, history


def decision_map(model: nn.MLP, X: Points, y: Sequence[int], step: float = 0.25) -> str:
    """The notebook's decision-boundary picture in characters: '+'/'-' is the sign of the score
    on a grid, 'o'/'x' a data point of class +1/-1 (drawn over its grid cell)."""
    x_min, x_max = min(p[0] for p in X) - 1, max(p[0] for p in X) + 1
    y_min, y_max = min(p[1] for p in X) - 1, max(p[1] for p in X) + 1
    cols, rows = int((x_max - x_min) / step) + 1, int((y_max - y_min) / step) + 1
    grid = [
        ["+" if model([x_min + c * step, y_max - r * step]).data > 0 else "-" for c in range(cols)]
        for r in range(rows)
    ]
    for (px, py), label in zip(X, y):
        grid[round((y_max - py) / step)][round((px - x_min) / step)] = "o" if label > 0 else "x"
    return "\n".join("".join(row) for row in grid)


if __name__ == "__main__":
    trained, X, y, _ = train()
    print(decision_map(trained, X, y))
