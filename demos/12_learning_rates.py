"""Three learning rates side by side on the same problem: too small, about right, too large.

    python demos/12_learning_rates.py [OUT_DIR]

A line y = w*x + b is fitted to five points of y = 2x + 1 (x = -1, -0.5, 0, 0.5, 1) by MSE and
plain gradient descent from w = b = 0. Here the loss is a bowl whose curvatures are 1 (along w)
and 2 (along b): each step multiplies b's error by (1 - 2 lr) and w's by (1 - lr). So
- lr 0.05 creeps (errors shrink by 0.9 and 0.95 a step);
- lr 0.5 is quick (b is exact after one step);
- lr 1.2 overshoots: b's error flips sign and grows by 1.4 a step, and the loss explodes.
Writes OUT_DIR/learning-rates.png (default: chainrule-demos/, see demos/_common.py).
"""

from __future__ import annotations

from _common import can_plot, output_dir

import nn
from autograd import Value

X = [-1.0, -0.5, 0.0, 0.5, 1.0]
Y = [2 * x + 1 for x in X]
RATES = (0.05, 0.5, 1.2)
STEPS = 30


def fit(lr: float) -> list[float]:
    """The MSE loss before each step, and after the last."""
    w, b = Value(0.0, label="w"), Value(0.0, label="b")
    optimizer = nn.SGD([w, b], lr=lr)
    losses = []
    for _ in range(STEPS):
        loss = nn.mse([w * x + b for x in X], Y)
        losses.append(loss.data)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    losses.append(nn.mse([w * x + b for x in X], Y).data)
    return losses


def main() -> None:
    out = output_dir()
    runs = {lr: fit(lr) for lr in RATES}
    for lr, losses in runs.items():
        verdict = "diverges" if losses[-1] > losses[0] else "converges"
        print(f"lr {lr:<5} loss {losses[0]:.4f} -> {losses[-1]:.4g} after {STEPS} steps ({verdict})")

    if not can_plot("loss plots (learning-rates.png)"):
        return
    from chainrule import plots

    plt = plots.pyplot()
    fig, axes = plt.subplots(1, 3, figsize=(12, 3.6))
    for ax, (lr, losses) in zip(axes, runs.items()):
        ax.plot(range(len(losses)), losses, marker=".", color="black")
        plots.loss_axis(ax, losses, "MSE")
        ax.set_xlabel("step")
        ax.set_title(f"lr {lr}: " + ("too large, diverges" if losses[-1] > losses[0] else "converges"))
    fig.tight_layout()
    path = out / "learning-rates.png"
    fig.savefig(path, dpi=100)
    plt.close(fig)
    print(f"wrote {path}")


if __name__ == "__main__":
    main()
