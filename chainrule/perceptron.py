"""``chainrule perceptron GATE``: the perceptron rule on AND, OR, ... and XOR, epoch by epoch.

Prints the weights and the mistakes after every epoch (``nn.Perceptron.fit``), says whether the
rule converged or cycles, and draws the decision line per epoch: one panel per epoch, the side
where the perceptron answers 1 shaded, the previous epoch's line dashed; for a gate it cannot
learn (XOR), one more panel with the line after each sample of the repeating epoch.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from chainrule.optional import missing_line, optional_import
from nn.data import logic_gate
from nn.perceptron import Perceptron, PerceptronEpoch, PerceptronFit

BOUNDS = (-0.5, 1.5, -0.5, 1.5)
MAX_PANELS = 12  # epochs drawn; a longer run draws its last ones


def run_perceptron(gate: str, epochs: int, lr: float, out: Path) -> PerceptronFit:
    """Train, print the table and the verdict, write the picture; returns the fit."""
    X, y = logic_gate(gate)
    result = Perceptron(2, lr=lr).fit(X, y, epochs=epochs)
    name = gate.upper()
    print(f"perceptron on {name}: y_hat = step(w1*x1 + w2*x2 + b), step(z) = 1 if z > 0 else 0")
    print(f"rule, one sample at a time: w += {lr:g}*(y - y_hat)*x, b += {lr:g}*(y - y_hat) (no gradients)")
    print(f"samples (x1, x2 -> y): {', '.join(f'({a:g}, {c:g} -> {t})' for (a, c), t in zip(X, y))}")
    print(f"{'epoch':>5}  {'w1':>7}  {'w2':>7}  {'b':>7}  mistakes")
    for e in result.epochs:
        mistakes = "-" if e.epoch == 0 else str(e.mistakes)
        print(f"{e.epoch:>5}  {e.w[0]:>7.4g}  {e.w[1]:>7.4g}  {e.b:>7.4g}  {mistakes}")
    print(verdict(name, result))
    if optional_import("matplotlib") is None:
        print(missing_line("matplotlib", "picture of the decision lines"))
    else:
        out.mkdir(parents=True, exist_ok=True)
        print(f"wrote {plot_epochs(name, X, y, result, out / f'perceptron-{gate}.png')}")
    return result


def verdict(name: str, result: PerceptronFit) -> str:
    """One paragraph: converged (and the line), cycling, or out of epochs."""
    last = result.epochs[-1]
    if result.converged:
        return (
            f"converged: epoch {last.epoch} made no mistake, so the weights stop changing; "
            f"the line {line_text(last.w, last.b)} separates the classes"
        )
    if result.cycle is not None:
        j, k = result.cycle
        inside = result.epochs[k]
        moves = "; ".join(f"{line_text(w, b)}" for w, b in inside.path)
        return (
            f"no convergence: the weights after epoch {k} are those after epoch {j}, and the samples come "
            f"in the same order, so training repeats every {k - j} epoch{'s' if k - j > 1 else ''} for ever, "
            f"with {inside.mistakes} mistakes each time. Inside epoch {k} the line moves: {moves}.\n"
            f"No straight line separates {name}; next, `chainrule lesson`: a sigmoid neuron fails on it "
            "too, and an MLP with one hidden layer solves it"
        )
    return f"not converged after {last.epoch} epochs ({last.mistakes} mistakes in the last); try --epochs"


def line_text(w: list[float], b: float) -> str:
    """``2*x1 + 1*x2 - 2 = 0``, or a note when w = 0 (no line)."""
    if w[0] == 0 and w[1] == 0:
        return f"(none: w = 0, z = {b:g} everywhere)"
    sign = "-" if b < 0 else "+"
    return f"{w[0]:g}*x1 + {w[1]:g}*x2 {sign} {abs(b):g} = 0"


def plot_epochs(name: str, X: list[list[float]], y: list[int], result: PerceptronFit, path: Path) -> Path:
    """One panel per epoch (the last MAX_PANELS), plus the moving line of a repeating epoch."""
    from chainrule import plots

    plt = plots.pyplot()
    shown = result.epochs[1:][-MAX_PANELS:]
    extra = 1 if result.cycle is not None else 0
    count = len(shown) + extra
    columns = min(count, 4)
    rows = -(-count // columns)
    fig, axes = plt.subplots(rows, columns, figsize=(3.2 * columns, 3.2 * rows), squeeze=False)
    flat = [ax for row in axes for ax in row]
    for ax, epoch in zip(flat, shown):
        _panel(ax, X, y, epoch, result.epochs[epoch.epoch - 1], plots)
    if result.cycle is not None:
        _inside(
            flat[len(shown)], X, y, result.epochs[result.cycle[1]], result.epochs[result.cycle[1] - 1], plots
        )
    for ax in flat[count:]:
        ax.set_visible(False)
    fig.suptitle(f"the perceptron rule on {name}: the decision line after each epoch")
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path


def _panel(
    ax: Any, X: list[list[float]], y: list[int], e: PerceptronEpoch, before: PerceptronEpoch, plots: Any
) -> None:
    step = lambda u, v: int(e.w[0] * u + e.w[1] * v + e.b > 0)  # noqa: E731
    plots.decision_regions(ax, step, BOUNDS, 2, steps=60)
    plots.decision_line(ax, before.w, before.b, BOUNDS, color="grey", linestyle="--", linewidth=1)
    plots.decision_line(ax, e.w, e.b, BOUNDS, color="black", linewidth=2)
    plots.scatter_classes(ax, X, y)
    ax.set_xlim(BOUNDS[0], BOUNDS[1])
    ax.set_ylim(BOUNDS[2], BOUNDS[3])
    ax.set_title(f"epoch {e.epoch}: {e.mistakes} mistake{'s' if e.mistakes != 1 else ''}")


def _inside(
    ax: Any, X: list[list[float]], y: list[int], e: PerceptronEpoch, before: PerceptronEpoch, plots: Any
) -> None:
    """The line after each sample of epoch ``e``, numbered, starting from the line before it."""
    plots.scatter_classes(ax, X, y)
    plots.decision_line(ax, before.w, before.b, BOUNDS, color="grey", linestyle="--", linewidth=1)
    for k, (w, b) in enumerate(e.path, start=1):
        label = f"{k}: {line_text(w, b)}"
        if not plots.decision_line(ax, w, b, BOUNDS, linewidth=1.5, label=label):
            ax.plot([], [], linewidth=1.5, label=label)  # no line to draw: still named in the legend
    ax.legend(
        loc="upper left", bbox_to_anchor=(1.02, 1.0), fontsize=8, title="line after sample", title_fontsize=8
    )
    ax.set_xlim(BOUNDS[0], BOUNDS[1])
    ax.set_ylim(BOUNDS[2], BOUNDS[3])
    ax.set_title(f"inside epoch {e.epoch}: it moves, returns")
