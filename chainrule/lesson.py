"""``chainrule lesson``: the seed lesson replayed with chainrule, step by step.

1. The lesson's network: one sigmoid neuron, a = sigmoid(w1 x1 + w2 x2 + b), trained on XOR
   with the lesson's update (dz = a - y, averaged over the four samples, lr 0.1, 10000 steps).
   It cannot learn XOR: no straight line puts (0,1) and (1,0) on one side and (0,0) and (1,1)
   on the other, so the best a single neuron can do is answer 0.5 everywhere.
2. One hidden layer fixes that: MLP(2, [4, 1]) with tanh hidden units learns XOR.
3. Pictures: the untrained neuron's computation graph for one sample at the lesson's starting
   weights (data and grad on every node, the chain rule on every edge), the same sample's loss
   with the neuron drawn as one box, the step-through page of its backward pass, and both
   loss curves.

The lesson's numpy program starts from ``np.random.seed(1); weights = np.random.randn(2, 1)``
and a zero bias; ``LESSON_WEIGHTS`` are those two numbers (numpy is not needed to run the
lesson: ``demos/lesson_numpy.py`` and the tests draw them from numpy and compare).
"""

from __future__ import annotations

import math
import textwrap
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import autograd
from autograd import Value
from chainrule.optional import DOT_HINT, missing_line, optional_import
from nn.data import xor
from nn.layers import MLP, Neuron
from nn.losses import binary_cross_entropy, binary_cross_entropy_with_logits
from nn.module import Module
from nn.optim import SGD

NEURON_STEPS = 10_000  # the lesson's loop
MLP_STEPS = 1_000
LESSON_WEIGHTS = (1.6243453636632417, -0.6117564136500754)  # np.random.seed(1); np.random.randn(2, 1)
LESSON_SAMPLE = 1  # the picture's sample: x = (0, 1), target 1
LINE_STEPS = 100  # the neuron drawn with its decision line (later its weights shrink to 0)


@dataclass
class Training:
    """What one training run produced."""

    losses: list[float]
    outputs: list[float]  # the model's probability for each XOR input after training

    @property
    def accuracy(self) -> float:
        _, labels = xor()
        return sum((a > 0.5) == bool(y) for a, y in zip(self.outputs, labels)) / len(labels)


def lesson_neuron() -> Neuron:
    """The lesson's sigmoid neuron at its starting weights, its parameters named as the lesson
    names them: w1, w2 and b."""
    neuron = Neuron(2, activation="sigmoid")
    for k, (w, start) in enumerate(zip(neuron.w, LESSON_WEIGHTS)):
        w.data, w.label = start, f"w{k + 1}"
    neuron.b.data = 0.0
    return neuron


def train_single_neuron(steps: int = NEURON_STEPS) -> tuple[Neuron, Training]:
    """The lesson's sigmoid neuron on XOR from its starting weights: mean BCE of a = sigmoid(z),
    whose gradient in z is the lesson's ``dz = a - y``, plain gradient descent with lr 0.1."""
    X, y = xor()
    neuron = lesson_neuron()
    return neuron, _train(neuron, lambda: binary_cross_entropy([neuron(x) for x in X], y), steps, lr=0.1)


def train_mlp(steps: int = MLP_STEPS, seed: int = 0) -> tuple[MLP, Training]:
    """MLP(2, [4, 1]) with tanh hidden units and a logit output, on BCE with logits."""
    X, y = xor()
    model = MLP(2, [4, 1], activation="tanh", seed=seed)
    training = _train(
        model, lambda: binary_cross_entropy_with_logits([model(x) for x in X], y), steps, lr=0.5
    )
    training.outputs = [1 / (1 + math.exp(-z)) for z in training.outputs]  # logits -> probabilities
    return model, training


def _train(model: Module, loss_fn: Callable[[], Value], steps: int, lr: float) -> Training:
    X, _ = xor()
    optimizer = SGD(model.parameters(), lr=lr)
    losses = []
    for _ in range(steps):
        loss = loss_fn()
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        losses.append(loss.data)
    with autograd.no_grad():
        outputs = [float(model(x)) for x in X]
    return Training(losses, outputs)


def neuron_graph(neuron: Neuron, x: list[float], target: float) -> Value:
    """One sample through the neuron and its loss, with labelled nodes, ready to draw.

    The loss is this sample's binary cross-entropy, written out as ``nn.binary_cross_entropy``
    computes it, -(y log a + (1 - y) log(1 - a)), but with the target a named input ``y`` of the
    graph (nn's losses take targets as numbers, which would be two unlinked constants, y and
    1 - y) and no batch to average over. So the live page can change ``y`` and every number
    that depends on it follows. Returns the loss; its graph holds x1, x2, y, the neuron's w1,
    w2, b, then z, a and the loss.
    """
    inputs = [Value(xi, f"x{i + 1}") for i, xi in enumerate(x)]
    a = neuron(inputs)
    a.label = "a"
    a.inputs[0].label = "z"
    if not 0.0 < a.data < 1.0:
        raise ValueError(f"neuron_graph: log a and log(1 - a) need the output a in (0, 1), got {a.data!r}")
    y = Value(target, "y")
    loss = -(y * a.log() + (1.0 - y) * (1.0 - a).log())
    loss.label = "loss"
    return loss


def neuron_output(loss: Value) -> Value:
    """The node ``a`` of a ``neuron_graph``: the neuron's output under the loss."""
    return next(node for node in autograd.topological_order(loss) if node.label == "a")


def run_lesson(out: Path) -> None:
    """Print the lesson's story and write its pictures into ``out``."""
    from chainrule.train import writable_folder

    writable_folder(out)  # a bad --out fails now, not after the training
    X, y = xor()

    print("1. The lesson's network: one sigmoid neuron, trained on XOR")
    print(f"   a = sigmoid(w1*x1 + w2*x2 + b); dz = a - y; lr 0.1; {NEURON_STEPS} steps")
    _, single = train_single_neuron()
    _print_predictions(X, y, single)
    print("   It fails, as the lesson warns: XOR is not linearly separable. No line puts (0,1)")
    print("   and (1,0) on one side and (0,0), (1,1) on the other, so the best one neuron can")
    print("   do is sit on the fence: w -> 0, b -> 0, a = 0.5 for every input (loss log 2 = 0.693).")
    for line in backward_lines():
        print(line)
    print()
    print(f"2. Add a hidden layer: MLP(2, [4, 1]), tanh hidden units, {MLP_STEPS} steps")
    mlp, deep = train_mlp()
    _print_predictions(X, y, deep)
    print("   The hidden layer maps the four points to new features in which they are")
    print("   linearly separable, so the output neuron can draw its line there.")
    print()

    print("3. Pictures")
    paths = _draw_pictures(out)
    if optional_import("matplotlib") is None:
        print(f"   ({missing_line('matplotlib', 'loss curves or decision boundaries')})")
    else:
        paths.append(_plot_losses(single, deep, out / "loss-curves.png"))
        early, early_training = train_single_neuron(steps=LINE_STEPS)
        path = plot_xor_boundaries(early, early_training, mlp, deep, out / "xor-boundaries.png")
        paths.append(
            (
                path,
                f"left, the neuron after {LINE_STEPS} steps: one straight line, so at most 3 of the 4 points "
                "right; right, the MLP: its hidden layer bends the boundary around them",
            )
        )
    for path, what in paths:
        print(f"   wrote {path}")
        print(textwrap.fill(what, width=96, initial_indent="      ", subsequent_indent="      "))


def backward_lines() -> list[str]:
    """The lesson's backward, line by line, at its first weights: dz = a - y, dw = Xᵀ·dz / m and
    db = Σ dz / m, each computed from the numbers and compared with the grads ``backward()`` adds
    up on the same neuron written with matrices of Values (the mean binary cross-entropy)."""
    X_rows, y = [[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]], [0.0, 1.0, 1.0, 0.0]
    m = len(X_rows)
    X = autograd.as_matrix(X_rows, "X")
    W = autograd.as_matrix([[w] for w in LESSON_WEIGHTS], "W")
    b = autograd.as_matrix([[0.0]], "b")
    Z = autograd.matrix_add(autograd.matmul(X, W), b)
    A = autograd.matrix_map(autograd.sigmoid, Z)
    rows = [[t * autograd.log(a) + (1 - t) * autograd.log(1 - a)] for t, (a,) in zip(y, A)]
    (-autograd.matrix_mean(rows)).backward()
    a = [row[0] for row in autograd.matrix_data(A)]
    dz = [ai - t for ai, t in zip(a, y)]
    dw = [math.fsum(X_rows[i][k] * dz[i] for i in range(m)) / m for k in range(2)]
    db = math.fsum(dz) / m
    ok_dz = all(abs(d - m * g) <= 1e-15 for d, (g,) in zip(dz, autograd.matrix_grad(Z)))
    ok_dw = all(abs(d - g) <= 1e-15 for d, (g,) in zip(dw, autograd.matrix_grad(W)))
    ok_db = abs(db - b[0][0].grad) <= 1e-15
    mse = [2 * (ai - t) * ai * (1 - ai) for ai, t in zip(a, y)]
    return [
        "   The lesson's backward, line by line (its first weights; matrices of Values, mean BCE):",
        f"   dz = a - y        = {_numbers(dz)}: m * dL/dz (matches: {ok_dz}),",
        f"                       sigma'(z) * dBCE/da simplified; MSE's would be {_numbers(mse)}",
        f"   dw = X.T @ dz / m = {_numbers(dw)}: each weight's four edges summed (matches: {ok_dw})",
        f"   db = sum(dz) / m  = {db:+.4f}: the bias is added to every row (matches: {ok_db})",
    ]


def _numbers(xs: list[float]) -> str:
    return "[" + ", ".join(f"{x:+.4f}" for x in xs) + "]"


def _draw_pictures(out: Path) -> list[tuple[Path, str]]:
    """The untrained neuron's graph, its loss, the step-through page and the graph's DOT source.

    Without Graphviz's ``dot`` program only the DOT source is written, and one line says how to
    install ``dot``.
    """
    X, y = xor()
    x, target = X[LESSON_SAMPLE], y[LESSON_SAMPLE]
    neuron = lesson_neuron()
    params = neuron.parameters()
    w1, w2 = (f"{w:.4f}" for w in LESSON_WEIGHTS)
    loss = neuron_graph(neuron, x, target)
    a = neuron_output(loss)
    paths: list[tuple[Path, str]] = []
    loss.backward()  # every grad is d(loss)/d(node), for the pictures (the page computes its own)
    try:
        # the neuron's weights also as a matrix row, W = the lesson's weights.T (1 × 2), then b
        row = {"weight": [list(neuron.w)], "bias": [neuron.b], "columns": ["x1", "x2"]}
        page = autograd.render_steps(
            loss, out / "neuron-steps.html", params=params, rankdir="auto", matrices={"the neuron": row}
        )
        paths.append(
            (
                page,
                "step through the backward pass one chain-rule step at a time; change an input or the "
                "target; w1, w2 and b also as a matrix row (the lesson's weights.T and bias)",
            )
        )
        graph = autograd.render(a, out / "neuron-graph.svg", edge_labels=True, params=params)
        paths.append(
            (
                graph,
                f"the untrained neuron (w1 = {w1}, w2 = {w2}, b = 0) on x = ({x[0]:.0f}, {x[1]:.0f}), "
                f"target {target}: parameters in blue, inputs in green; on each edge local derivative "
                "× upstream grad = what it adds; x1 = 0, so w1 gets no gradient on this sample",
            )
        )
        boxed = autograd.render(loss, out / "loss-graph.svg", edge_labels=True, model=neuron, collapse=True)
        paths.append(
            (boxed, "the loss of that sample with the neuron as one box: d(loss)/da = -1/a starts it")
        )
    except autograd.GraphvizMissing:
        print(f"   ({DOT_HINT})")
    source = out / "neuron-graph.dot"
    source.write_text(autograd.draw_dot(a, edge_labels=True, params=params).source, encoding="utf-8")
    paths.append((source, "the neuron's graph as DOT source, for Graphviz: dot -Tsvg neuron-graph.dot"))
    return paths


def _print_predictions(X: list[list[float]], y: list[int], training: Training) -> None:
    for x, target, a in zip(X, y, training.outputs):
        print(f"   x = ({x[0]:.0f}, {x[1]:.0f})   target {target}   output {a:.4f}")
    print(f"   accuracy {training.accuracy:.0%}, final loss {training.losses[-1]:.4f}")


def _plot_losses(single: Training, deep: Training, path: Path) -> tuple[Path, str]:
    from chainrule import plots

    plt = plots.pyplot()
    fig, ax = plt.subplots(figsize=(7, 4))
    ax.plot(range(1, len(single.losses) + 1), single.losses, label="one sigmoid neuron (cannot learn XOR)")
    ax.plot(range(1, len(deep.losses) + 1), deep.losses, label="MLP(2, [4, 1]) with tanh")
    ax.axhline(math.log(2), color="grey", linestyle=":", label="log 2: answering 0.5 everywhere")
    ax.set_xscale("log")
    ax.set_xlabel("training step (log scale)")
    plots.loss_axis(ax, single.losses + deep.losses, "binary cross-entropy")
    ax.set_title("XOR: one neuron vs one hidden layer")
    ax.legend()
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)
    return path, "the neuron's loss stops at log 2; the MLP's falls by orders of magnitude"


def plot_xor_boundaries(neuron: Neuron, single: Training, mlp: MLP, deep: Training, path: Path) -> Path:
    """The single neuron's straight decision line beside the MLP's bent boundary, on XOR.

    The neuron answers class 1 where a = sigmoid(w1 x1 + w2 x2 + b) > 0.5, i.e. on one side of
    the line w1 x1 + w2 x2 + b = 0; the MLP (a logit output) where its output is > 0.
    """
    from chainrule import plots

    X, y = xor()
    (w1, w2), b = (w.data for w in neuron.w), neuron.b.data
    plt = plots.pyplot()
    fig, axes = plt.subplots(1, 2, figsize=(10, 4.4))
    bounds = (-0.5, 1.5, -0.5, 1.5)
    with autograd.no_grad():
        plots.decision_regions(axes[0], lambda u, v: int(neuron([u, v]).data > 0.5), bounds, 2, steps=120)
        plots.decision_regions(axes[1], lambda u, v: int(_logit(mlp, u, v) > 0), bounds, 2, steps=120)
    if abs(w2) > 1e-12:
        ends = [-(b + w1 * u) / w2 for u in (-0.5, 1.5)]
        axes[0].plot([-0.5, 1.5], ends, color="black", label="its line, z = 0")
    axes[0].set_title(f"one sigmoid neuron: accuracy {single.accuracy:.0%}")
    axes[1].set_title(f"MLP(2, [4, 1]): accuracy {deep.accuracy:.0%}")
    for ax in axes:
        plots.scatter_classes(ax, X, y)
        ax.set_xlim(-0.5, 1.5)
        ax.set_ylim(-0.5, 1.5)
        ax.legend(loc="upper center", fontsize="small")
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)
    return path


def _logit(mlp: MLP, u: float, v: float) -> float:
    """The one output of an MLP whose last layer has width 1 (a bare Value)."""
    out = mlp([u, v])
    if isinstance(out, list):
        raise ValueError(f"plot_xor_boundaries: the MLP must have one output, got {len(out)}")
    return out.data
