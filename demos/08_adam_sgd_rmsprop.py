"""SGD, Adam and RMSprop on the same problem, from the same starting weights.

    python demos/08_adam_sgd_rmsprop.py [OUT_DIR]

The problem: XOR with MLP(2, [4, 1]) (tanh hidden units, one logit out) and binary
cross-entropy with logits, 300 full-batch steps. Each optimizer gets an identical copy of the
initial weights (load_state_dict), so the step-0 losses are equal.
What to notice:
- the size of the very first step tells the optimizers apart: SGD moves each weight by
  lr × |grad|, so tiny gradients give tiny steps; Adam moves every weight whose gradient is
  not 0 by lr (0.05), whatever the size of that gradient; RMSprop (alpha = 0.99) by
  lr / sqrt(1 - 0.99) = 10 × lr (0.1);
- the loss columns side by side: which one gets to a small loss first, here, with these rates.
Writes OUT_DIR/optimizers.png (default: chainrule-demos/, see demos/_common.py).
"""

from __future__ import annotations

from _common import can_plot, output_dir

import nn

STEPS = 300
SHOW = (0, 1, 5, 10, 25, 50, 100, 200, 299)


def train(
    make_optimizer: type[nn.optim.Optimizer], lr: float, start: dict[str, float]
) -> tuple[list[float], float]:
    """Losses at every step, and the largest change of one weight in the first step."""
    X, y = nn.data.xor()
    model = nn.MLP(2, [4, 1], activation="tanh", seed=0)
    model.load_state_dict(start)
    optimizer = make_optimizer(model.parameters(), lr=lr)
    losses, first_step = [], 0.0
    for k in range(STEPS):
        loss = nn.binary_cross_entropy_with_logits([model(x) for x in X], y)
        optimizer.zero_grad()
        loss.backward()
        before = [p.data for p in model.parameters()]
        optimizer.step()
        if k == 0:
            first_step = max(abs(p.data - b) for p, b in zip(model.parameters(), before))
        losses.append(loss.data)
    return losses, first_step


def main() -> None:
    out = output_dir()
    start = nn.MLP(2, [4, 1], activation="tanh", seed=7).state_dict()
    runs = {
        "SGD lr 0.5": train(nn.SGD, 0.5, start),
        "Adam lr 0.05": train(nn.Adam, 0.05, start),
        "RMSprop lr 0.01": train(nn.RMSprop, 0.01, start),
    }
    print("largest change of one weight in the first step:")
    for name, (_, first) in runs.items():
        print(f"  {name:<16} {first:.4f}")
    print()
    print("step " + "".join(f"{name:>18}" for name in runs))
    for k in SHOW:
        print(f"{k:4d} " + "".join(f"{losses[k]:18.4f}" for losses, _ in runs.values()))

    if not can_plot("loss plot (optimizers.png)"):
        return
    from chainrule import plots

    plt = plots.pyplot()
    fig, ax = plt.subplots(figsize=(6, 3.5))
    for name, (losses, _) in runs.items():
        ax.plot(losses, label=name)
    ax.set_xlabel("step")
    plots.loss_axis(ax, [v for losses, _ in runs.values() for v in losses], "BCE with logits")
    ax.set_title("XOR, MLP(2, [4, 1]), same start")
    ax.legend()
    fig.tight_layout()
    path = out / "optimizers.png"
    fig.savefig(path, dpi=100)
    plt.close(fig)
    print(f"wrote {path}")


if __name__ == "__main__":
    main()
