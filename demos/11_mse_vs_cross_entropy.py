"""MSE against cross-entropy on one sigmoid neuron: why cross-entropy learns faster when it is wrong.

    python demos/11_mse_vs_cross_entropy.py [OUT_DIR]

One neuron a = sigmoid(w*x + b) with x = 1 and target y = 1 starts confidently wrong: z = -4,
a = 0.018. backward() gives dL/dz for both losses:
- MSE, L = (a - y)**2:                 dL/dz = 2 (a - y) a (1 - a)  -> tiny, since a(1 - a) ~ 0.018
- cross-entropy, L = -log a (y = 1):   dL/dz = a - y                -> about -0.98
The sigmoid's own slope a(1 - a) cancels out of cross-entropy's gradient, and stays in MSE's.
Trained with the same learning rate, the cross-entropy neuron is right within a few steps; the
MSE neuron creeps along the flat tail first.
Writes OUT_DIR/mse-vs-cross-entropy.png (default: chainrule-demos/, see demos/_common.py).
"""

from __future__ import annotations

from _common import can_plot, output_dir

import nn
from autograd import Value

START = (-2.0, -2.0)  # w, b: z = w*1 + b = -4
LR = 0.5
STEPS = 60


def loss_of(name: str, a: Value) -> Value:
    return nn.mse(a, 1.0) if name == "mse" else nn.binary_cross_entropy(a, 1.0)


def gradient_at(name: str, z0: float) -> float:
    """dL/dz at z = z0 for target 1, by backward()."""
    z = Value(z0, label="z")
    loss_of(name, z.sigmoid()).backward()
    return z.grad


def train(name: str) -> list[float]:
    """a after each of STEPS plain gradient steps from START, for one loss."""
    w, b = Value(START[0], label="w"), Value(START[1], label="b")
    outputs = []
    for _ in range(STEPS):
        a = (w * 1.0 + b).sigmoid()
        outputs.append(a.data)
        loss = loss_of(name, a)
        w.grad = b.grad = 0.0
        loss.backward()
        w.data -= LR * w.grad
        b.data -= LR * b.grad
    return outputs


def main() -> None:
    out = output_dir()
    z0 = START[0] + START[1]
    mse, ce = gradient_at("mse", z0), gradient_at("cross_entropy", z0)
    a0 = Value(z0).sigmoid().data
    print(f"start: z = {z0}, a = {a0:.4f}, target 1 (confidently wrong)")
    print(f"dL/dz  mse {mse:.4f}   cross-entropy {ce:.4f}   ratio {ce / mse:.1f}")
    runs = {"mse": train("mse"), "cross_entropy": train("cross_entropy")}
    for name, outputs in runs.items():
        right = next((k for k, a in enumerate(outputs) if a > 0.5), None)
        print(f"{name:>13}: a after {STEPS} steps {outputs[-1]:.4f}; first step with a > 0.5: {right}")

    if not can_plot("plot (mse-vs-cross-entropy.png)"):
        return
    from chainrule import plots

    plt = plots.pyplot()
    fig, (left, right) = plt.subplots(1, 2, figsize=(11, 4))
    zs = [-8 + 0.1 * k for k in range(161)]
    for k, name in enumerate(runs):
        left.plot(zs, [abs(gradient_at(name, z)) for z in zs], color=plots.class_colour(k), label=name)
        right.plot(range(STEPS), runs[name], color=plots.class_colour(k), label=name)
    left.axvline(z0, color="grey", linestyle=":", label=f"start, z = {z0:g}")
    left.set_xlabel("z (target 1)")
    left.set_ylabel("|dL/dz|, by backward()")
    left.set_title("how hard each loss pushes")
    left.legend()
    right.axhline(0.5, color="grey", linestyle=":")
    right.set_xlabel(f"step (lr {LR})")
    right.set_ylabel("a = sigmoid(z)")
    right.set_title("the neuron's output while training")
    right.legend()
    fig.tight_layout()
    path = out / "mse-vs-cross-entropy.png"
    fig.savefig(path, dpi=100)
    plt.close(fig)
    print(f"wrote {path}")


if __name__ == "__main__":
    main()
