"""micrograd's moons demo, written with ``nn``: a 2-16-16-1 ReLU MLP learns two half moons.

    python demos/04_moons_classifier.py [OUT_DIR] [STEPS]

As in micrograd's demo notebook: 100 points from make_moons with noise 0.1, labels -1/+1,
the hinge (max-margin) loss plus an L2 penalty 1e-4 * sum(p**2), full-batch SGD whose
learning rate falls linearly from 1.0 (lr = 1 - 0.9 k / 100). The data come from
``nn.data.make_moons``, not scikit-learn, so the exact points (and numbers) differ.
What to notice: the loss falls and the accuracy climbs to 100% within the 100 steps, and the
decision boundary (OUT_DIR/moons-boundary.png) bends around both moons.
"""

from __future__ import annotations

import sys
from pathlib import Path

from _common import can_plot, output_dir

import autograd
import nn
from autograd import Value

ALPHA = 1e-4


def main() -> None:
    out = output_dir()
    steps = int(sys.argv[2]) if len(sys.argv) > 2 else 100
    X, labels = nn.data.make_moons(100, noise=0.1, seed=1)
    y = [2.0 * label - 1.0 for label in labels]  # -1 or +1, for the hinge loss
    model = nn.MLP(2, [16, 16, 1], seed=1337)  # ReLU hidden layers, linear output
    print(f"{model.num_parameters()} parameters")
    optimizer = nn.SGD(model.parameters(), lr=1.0)
    schedule = nn.LambdaLR(optimizer, lambda k: 1.0 - 0.9 * k / 100)

    def loss_and_accuracy() -> tuple[Value, float]:
        scores = [model(x) for x in X]
        data_loss = nn.hinge(scores, y)
        reg_loss = ALPHA * autograd.sum(p * p for p in model.parameters())
        correct = sum((yi > 0) == (s.data > 0) for yi, s in zip(y, scores))
        return data_loss + reg_loss, correct / len(y)

    for k in range(steps):
        loss, accuracy = loss_and_accuracy()
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        if k % 10 == 0 or k == steps - 1:
            print(f"step {k:3d} loss {loss.data:.4f}, accuracy {accuracy:.0%}, lr {optimizer.lr:.3f}")
        schedule.step()
    loss, accuracy = loss_and_accuracy()
    print(f"after {steps} steps: loss {loss.data:.4f}, accuracy {accuracy:.0%}")
    if can_plot("decision-boundary plot (moons-boundary.png)"):
        print(f"wrote {plot(model, X, labels, out / 'moons-boundary.png')}")


def plot(model: nn.MLP, X: list[list[float]], labels: list[int], path: Path) -> Path:
    """The decision regions and the data, in the class colours ``chainrule train`` uses."""
    from chainrule import plots

    plt = plots.pyplot()
    fig, ax = plt.subplots(figsize=(6, 4))
    with autograd.no_grad():  # no graph is needed to colour the background
        plots.decision_regions(ax, lambda u, v: int(model([u, v]).data > 0), plots.bounds_of(X), 2, steps=50)
    plots.scatter_classes(ax, X, labels)
    ax.legend(loc="upper right")
    ax.set_title("decision boundary: MLP(2, [16, 16, 1]) on make_moons")
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)
    return path


if __name__ == "__main__":
    main()
