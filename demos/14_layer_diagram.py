"""A layer diagram of the MLP that solves XOR, each weight drawn by colour (sign) and width (size).

    python demos/14_layer_diagram.py [OUT_DIR]

MLP(2, [4, 1]) as the lesson trains it: two inputs, four tanh hidden neurons, one output. Each
line joins an input to a neuron; blue lines are positive weights, orange dashed ones negative,
and the width grows with |w|. Each neuron circle shows its bias. What to notice: after training,
a few large weights carry the solution; each hidden neuron draws one line through the plane,
and the output neuron combines those lines.
Writes OUT_DIR/layer-diagram.png (default: chainrule-demos/, see demos/_common.py).
"""

from __future__ import annotations

import itertools

from _common import can_plot, output_dir

from chainrule.lesson import train_mlp


def main() -> None:
    out = output_dir()
    model, training = train_mlp()
    print(f"MLP(2, [4, 1]) after training: accuracy {training.accuracy:.0%}")
    sizes = [model.nin, *model.nouts]
    connections = sum(a * b for a, b in itertools.pairwise(sizes))
    print(f"layers {sizes}: {connections} weights, {sum(sizes[1:])} biases")
    for k, layer in enumerate(model.layers):
        weights = [w.data for neuron in layer.neurons for w in neuron.w]
        print(f"layer {k}: largest |w| {max(abs(w) for w in weights):.4f}")

    if not can_plot("layer diagram (layer-diagram.png)"):
        return
    from chainrule import plots

    plt = plots.pyplot()
    fig, ax = plt.subplots(figsize=(7, 4.5))
    place = {(k, j): (k, (n - 1) / 2 - j) for k, n in enumerate(sizes) for j in range(n)}
    largest = max(abs(w.data) for w in model.parameters())
    for k, layer in enumerate(model.layers):
        for j, neuron in enumerate(layer.neurons):
            for i, w in enumerate(neuron.w):
                (x0, y0), (x1, y1) = place[(k, i)], place[(k + 1, j)]
                ax.plot(
                    [x0, x1], [y0, y1],
                    color=plots.class_colour(0 if w.data > 0 else 1),
                    linestyle="-" if w.data > 0 else "--",
                    linewidth=0.5 + 6 * abs(w.data) / largest,
                    zorder=1,
                )  # fmt: skip
            x, y = place[(k + 1, j)]
            ax.annotate(
                f"b {neuron.b.data:+.2f}", (x, y), xytext=(0, -24), textcoords="offset points", ha="center"
            )
    for (k, j), (x, y) in place.items():
        ax.scatter([x], [y], s=900, color="white", edgecolors="black", zorder=2)
        ax.annotate(
            f"x{j + 1}" if k == 0 else ("out" if k == len(sizes) - 1 else f"h{j + 1}"),
            (x, y),
            ha="center",
            va="center",
            zorder=3,
        )
    ax.plot([], [], color=plots.class_colour(0), label="positive weight")
    ax.plot([], [], color=plots.class_colour(1), linestyle="--", label="negative weight")
    ax.legend(loc="lower right")
    ax.set_xticks(range(len(sizes)), ["inputs", "hidden (tanh)", "output (linear)"])
    ax.set_yticks([])
    ax.set_xlim(-0.4, len(sizes) - 0.6)
    ax.set_ylim(-2.4, 2.2)
    ax.set_title("MLP(2, [4, 1]) on XOR: width = |weight|")
    fig.tight_layout()
    path = out / "layer-diagram.png"
    fig.savefig(path, dpi=100)
    plt.close(fig)
    print(f"wrote {path}")


if __name__ == "__main__":
    main()
