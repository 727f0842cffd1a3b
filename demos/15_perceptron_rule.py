"""The perceptron rule: AND and OR learned in a few epochs, XOR never.

    python demos/15_perceptron_rule.py [OUT_DIR]

What to notice:
- a perceptron is y_hat = step(w1*x1 + w2*x2 + b); it learns with w += lr*(y - y_hat)*x and
  b += lr*(y - y_hat), one sample at a time. The step has no useful derivative, so no gradients;
- on AND and OR an epoch without a mistake comes after a few epochs: a line separates the classes;
- on XOR the weights at the end of an epoch come back to an earlier epoch's, and from there the
  same epochs repeat for ever: no line separates XOR. The lesson goes on with a sigmoid neuron
  (the step made smooth, trained by gradients: demo 03) and an MLP, which learns XOR.
Writes OUT_DIR/perceptron-and.png, -or.png and -xor.png: the decision line after each epoch.
"""

from __future__ import annotations

from _common import can_plot, output_dir

import nn
from chainrule.perceptron import line_text, plot_epochs


def main() -> None:
    out = output_dir()
    plot = can_plot("pictures of the decision lines (perceptron-*.png)")
    for gate in ("and", "or", "xor"):
        X, y = nn.data.logic_gate(gate)
        result = nn.Perceptron(2, lr=1.0).fit(X, y, epochs=50)
        last = result.epochs[-1]
        print(f"{gate.upper()}: labels {y}")
        for e in result.epochs[1:]:
            print(f"  epoch {e.epoch}: w = ({e.w[0]:g}, {e.w[1]:g}), b = {e.b:g}, mistakes {e.mistakes}")
        if result.converged:
            print(f"  converged after {last.epoch} epochs: {line_text(last.w, last.b)}")
        elif result.cycle is not None:
            j, k = result.cycle
            print(f"  cycles: the weights after epoch {k} are those after epoch {j}; it never converges")
        if plot:
            print(f"  wrote {plot_epochs(gate.upper(), X, y, result, out / f'perceptron-{gate}.png')}")


if __name__ == "__main__":
    main()
