"""``chainrule lesson``: the seed lesson replayed with chainrule, step by step.

1. The lesson's network: one sigmoid neuron, a = sigmoid(w1 x1 + w2 x2 + b), trained on XOR
   with the lesson's update (dz = a - y, averaged over the four samples, lr 0.1, 10000 steps).
   It cannot learn XOR: no straight line puts (0,1) and (1,0) on one side and (0,0) and (1,1)
   on the other, so the best a single neuron can do is answer 0.5 everywhere.
2. One hidden layer fixes that: MLP(2, [4, 1]) with tanh hidden units learns XOR.
3. Pictures: the neuron's computation graph for one sample (data and grad on every node),
   the step-through page of its backward pass, and both loss curves.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import autograd
from autograd import Value
from nn.data import xor
from nn.layers import MLP, Neuron
from nn.losses import binary_cross_entropy, binary_cross_entropy_with_logits
from nn.module import Module
from nn.optim import SGD

NEURON_STEPS = 10_000  # the lesson's loop
MLP_STEPS = 1_000


@dataclass
class Training:
    """What one training run produced."""

    losses: list[float]
    outputs: list[float]  # the model's probability for each XOR input after training

    @property
    def accuracy(self) -> float:
        _, labels = xor()
        return sum((a > 0.5) == bool(y) for a, y in zip(self.outputs, labels)) / len(labels)


def train_single_neuron(steps: int = NEURON_STEPS, seed: int = 1) -> tuple[Neuron, Training]:
    """The lesson's sigmoid neuron on XOR: BCE of a = sigmoid(z), whose gradient in z is a - y."""
    X, y = xor()
    neuron = Neuron(2, activation="sigmoid", seed=seed)
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
    """One sample through the neuron and its loss, with labelled nodes, ready to draw."""
    inputs = [Value(xi, f"x{i + 1}") for i, xi in enumerate(x)]
    a = neuron(inputs)
    a.label = "a"
    a.inputs[0].label = "z"
    loss = binary_cross_entropy(a, target)
    loss.label = "loss"
    return loss


def run_lesson(out: Path) -> None:
    """Print the lesson's story and write its pictures into ``out``."""
    from chainrule.train import writable_folder

    writable_folder(out)  # a bad --out fails now, not after the training
    X, y = xor()

    print("1. The lesson's network: one sigmoid neuron, trained on XOR")
    print(f"   a = sigmoid(w1*x1 + w2*x2 + b); dz = a - y; lr 0.1; {NEURON_STEPS} steps")
    neuron, single = train_single_neuron()
    _print_predictions(X, y, single)
    print("   It fails, as the lesson warns: XOR is not linearly separable. No line puts (0,1)")
    print("   and (1,0) on one side and (0,0), (1,1) on the other, so the best one neuron can")
    print("   do is sit on the fence: w -> 0, b -> 0, a = 0.5 for every input (loss log 2 = 0.693).")
    print()
    print(f"2. Add a hidden layer: MLP(2, [4, 1]), tanh hidden units, {MLP_STEPS} steps")
    _, deep = train_mlp()
    _print_predictions(X, y, deep)
    print("   The hidden layer maps the four points to new features in which they are")
    print("   linearly separable, so the output neuron can draw its line there.")
    print()

    print("3. Pictures")
    from autograd.see.draw import GraphvizMissing

    loss = neuron_graph(neuron, X[1], y[1])
    paths = []
    try:
        paths.append(autograd.render_steps(loss, out / "neuron-steps.html"))  # runs backward
        paths.append(autograd.render(loss, out / "neuron-graph.svg", edge_labels=True))
    except GraphvizMissing as err:
        print(f"   (no graph pictures: {err})")
    paths.append(_plot_losses(single, deep, out / "loss-curves.png"))
    for path in paths:
        print(f"   wrote {path}")


def _print_predictions(X: list[list[float]], y: list[int], training: Training) -> None:
    for x, target, a in zip(X, y, training.outputs):
        print(f"   x = ({x[0]:.0f}, {x[1]:.0f})   target {target}   output {a:.4f}")
    print(f"   accuracy {training.accuracy:.0%}, final loss {training.losses[-1]:.4f}")


def _plot_losses(single: Training, deep: Training, path: Path) -> Path:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(7, 4))
    ax.plot(range(1, len(single.losses) + 1), single.losses, label="one sigmoid neuron (cannot learn XOR)")
    ax.plot(range(1, len(deep.losses) + 1), deep.losses, label="MLP(2, [4, 1]) with tanh")
    ax.axhline(math.log(2), color="grey", linestyle=":", label="log 2: answering 0.5 everywhere")
    ax.set_xscale("log")
    ax.set_xlabel("training step")
    ax.set_ylabel("binary cross-entropy")
    ax.set_title("XOR: one neuron vs one hidden layer")
    ax.legend()
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)
    return path
