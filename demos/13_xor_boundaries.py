"""XOR's decision boundary: a straight line for one neuron, a curved one for the MLP.

    python demos/13_xor_boundaries.py [OUT_DIR]

A sigmoid neuron answers class 1 where w1*x1 + w2*x2 + b > 0: one side of a straight line.
No line puts (0, 1) and (1, 0) on one side and (0, 0), (1, 1) on the other, so at most three
of the four points can be right. The neuron is shown after NEURON_STEPS steps of the lesson's
loop from the lesson's starting weights, while its line still exists (trained to the end, its
weights shrink to 0 and the line dissolves into a = 0.5 everywhere). The MLP's hidden layer
bends the boundary around the points and gets all four right.
Writes OUT_DIR/xor-boundaries.png (default: chainrule-demos/, see demos/_common.py).
"""

from __future__ import annotations

from _common import can_plot, output_dir

from chainrule.lesson import plot_xor_boundaries, train_mlp, train_single_neuron

NEURON_STEPS = 100  # as chainrule lesson draws it (LINE_STEPS)


def main() -> None:
    out = output_dir()
    neuron, single = train_single_neuron(steps=NEURON_STEPS)
    (w1, w2), b = (w.data for w in neuron.w), neuron.b.data
    print(f"one neuron after {NEURON_STEPS} steps: class 1 where {w1:.4f}*x1 + {w2:.4f}*x2 + {b:.4f} > 0")
    print(f"  a straight line; accuracy {single.accuracy:.0%} (no line can do better than 75%)")
    mlp, deep = train_mlp()
    print(f"MLP(2, [4, 1]): accuracy {deep.accuracy:.0%}, a boundary bent by the hidden layer")

    if can_plot("plot of the boundaries (xor-boundaries.png)"):
        print(f"wrote {plot_xor_boundaries(neuron, single, mlp, deep, out / 'xor-boundaries.png')}")


if __name__ == "__main__":
    main()
