"""XOR, the lesson's closing example: one sigmoid neuron fails, one hidden layer succeeds.

    python demos/03_xor_neuron_vs_mlp.py [OUT_DIR]

The training code is ``chainrule.lesson``'s (the same that ``chainrule lesson`` runs).
What to notice:
- the single neuron, trained exactly as in the lesson (lr 0.1, 10000 steps), ends with
  both weights and the bias at 0 (to 1e-15) and answers 0.5 for all four inputs: its loss is log 2 = 0.6931,
  and no line separates XOR's classes, so nothing better exists for one neuron;
- MLP(2, [4, 1]) with tanh hidden units gets all four right.
Writes OUT_DIR/xor-losses.png (default: chainrule-demos/, see demos/_common.py).
"""

from __future__ import annotations

import math

from _common import can_plot, output_dir

from chainrule.lesson import MLP_STEPS, NEURON_STEPS, Training, train_mlp, train_single_neuron
from nn.data import xor


def show(name: str, training: Training) -> None:
    X, y = xor()
    print(name)
    for x, target, a in zip(X, y, training.outputs):
        print(f"  x = ({x[0]:.0f}, {x[1]:.0f})  target {target}  output {a:.4f}")
    print(f"  accuracy {training.accuracy:.0%}, final loss {training.losses[-1]:.4f}")


def main() -> None:
    out = output_dir()
    neuron, single = train_single_neuron()
    show(f"one sigmoid neuron, {NEURON_STEPS} steps of lr 0.1 (the lesson's loop):", single)
    weights = ", ".join(f"{w.label} = {w.data:.1e}" for w in [*neuron.w, neuron.b])
    print(f"  its parameters went to zero: {weights}")
    print(f"  loss log 2 = {math.log(2):.4f}: the neuron says 0.5 to everything")
    print()
    _, deep = train_mlp()
    show(f"MLP(2, [4, 1]) with tanh, {MLP_STEPS} steps of lr 0.5:", deep)
    print()

    if not can_plot("loss plot (xor-losses.png)"):
        return
    from chainrule import plots

    plt = plots.pyplot()
    fig, ax = plt.subplots(figsize=(6, 3.5))
    ax.plot(single.losses, label="one sigmoid neuron")
    ax.plot(deep.losses, label="MLP(2, [4, 1])")
    ax.axhline(math.log(2), color="grey", linestyle=":", label="log 2")
    ax.set_xscale("log")
    ax.set_xlabel("step (log scale)")
    plots.loss_axis(ax, single.losses + deep.losses, "binary cross-entropy")
    ax.legend()
    fig.tight_layout()
    path = out / "xor-losses.png"
    fig.savefig(path, dpi=100)
    plt.close(fig)
    print(f"wrote {path}")


if __name__ == "__main__":
    main()
