"""The activation functions and their derivatives, drawn as curves; every derivative from backward().

    python demos/10_activation_curves.py [OUT_DIR]

What to notice:
- sigmoid squashes into (0, 1) and its slope s(1 - s) is at most 0.25, at z = 0;
- tanh squashes into (-1, 1), is steeper (slope 1 - tanh**2, at most 1), and is centred on 0;
- ReLU passes positive z unchanged (slope 1) and blocks negative z (slope 0);
- far from 0 the sigmoid and tanh slopes fade towards 0: a saturated neuron learns slowly.
Writes OUT_DIR/activations.png (default: chainrule-demos/, see demos/_common.py).
"""

from __future__ import annotations

from _common import can_plot, output_dir

from autograd import Value

ACTIVATIONS = ("sigmoid", "tanh", "relu")
GRID = [-5.0 + 0.05 * k for k in range(201)]


def value_and_slope(name: str, z: float) -> tuple[float, float]:
    """f(z) and f'(z) for one activation, the slope found by backward()."""
    v = Value(z, label="z")
    out = getattr(v, name)()
    out.backward()
    return out.data, v.grad


def main() -> None:
    out = output_dir()
    print("  z      " + "".join(f"{name:>10} {'slope':>8}" for name in ACTIVATIONS))
    for z in (-4.0, -1.0, 0.0, 1.0, 4.0):
        row = [value_and_slope(name, z) for name in ACTIVATIONS]
        print(f"{z:5.1f}   " + "".join(f"{f:10.4f} {d:8.4f}" for f, d in row))
    peaks = {name: max(value_and_slope(name, z)[1] for z in GRID) for name in ACTIVATIONS}
    print("steepest slope on [-5, 5]: " + ", ".join(f"{name} {peak:.4f}" for name, peak in peaks.items()))

    if not can_plot("plot of the curves (activations.png)"):
        return
    from chainrule import plots

    plt = plots.pyplot()
    fig, axes = plt.subplots(1, 3, figsize=(12, 3.6), sharex=True)
    for ax, name in zip(axes, ACTIVATIONS):
        curve = [value_and_slope(name, z) for z in GRID]
        ax.plot(GRID, [f for f, _ in curve], color=plots.class_colour(0), label=f"{name}(z)")
        ax.plot(
            GRID,
            [d for _, d in curve],
            color=plots.class_colour(1),
            linestyle="--",
            label="slope, by backward()",
        )
        ax.axhline(0, color="grey", linewidth=0.5)
        ax.set_title(name)
        ax.set_xlabel("z")
        ax.legend(loc="upper left")
    axes[0].set_ylabel("value and slope")
    fig.tight_layout()
    path = out / "activations.png"
    fig.savefig(path, dpi=100)
    plt.close(fig)
    print(f"wrote {path}")


if __name__ == "__main__":
    main()
