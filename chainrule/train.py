"""``chainrule train``: train an MLP on a toy data set, then plot and save it.

Binary data sets (xor, moons, circles) get one output: a score whose sign is the class
(hinge loss on labels +-1, as in micrograd's demo) or a logit (``--loss bce``, or ``mse`` on
0/1 targets). ``blobs`` has three classes and one output per class, trained with
``cross_entropy``. Every epoch is one full-batch step; the learning rate decays linearly
from ``lr`` to ``lr / 10`` over the run, micrograd's schedule. With ``--fast`` the loss is
traced once and each step runs the generated float code (``nn.CompiledLoss``): same numbers.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable, Sequence
from pathlib import Path

import autograd
from autograd import Value
from nn import data as datasets
from nn.compiled import compile_loss
from nn.layers import MLP
from nn.losses import binary_cross_entropy_with_logits, cross_entropy, hinge, mse
from nn.optim import SGD, Adam, LambdaLR, Optimizer, RMSprop
from nn.serialize import load, save

DEFAULT_LR = {"sgd": 0.5, "adam": 0.02, "rmsprop": 0.01}


class TrainingError(Exception):
    """A combination of options that cannot work; reported as a usage error."""


def load_dataset(name: str, samples: int, seed: int) -> tuple[list[list[float]], list[int], int]:
    """``(X, labels, classes)`` for a data set name."""
    if name == "xor":
        X, y = datasets.xor()
        return X, y, 2
    if name == "moons":
        X, y = datasets.make_moons(samples, noise=0.1, seed=seed)
        return X, y, 2
    if name == "circles":
        X, y = datasets.make_circles(samples, noise=0.05, factor=0.5, seed=seed)
        return X, y, 2
    X, y = datasets.make_blobs(samples, centers=3, cluster_std=0.7, center_box=(-5.0, 5.0), seed=seed)
    return X, y, 3


def make_loss(
    loss_name: str, classes: int, labels: list[int]
) -> Callable[[list[Value | list[Value]]], Value]:
    """The loss on the model's outputs for the whole data set."""
    if classes > 2 and loss_name != "cross_entropy":
        raise TrainingError(
            f"--loss {loss_name} is for two classes; this data set has {classes}: use cross_entropy"
        )
    if loss_name == "hinge":
        signs = [2.0 * y - 1.0 for y in labels]
        return lambda outputs: hinge(outputs, signs)
    if loss_name == "bce":
        return lambda outputs: binary_cross_entropy_with_logits(outputs, labels)
    if loss_name == "mse":
        return lambda outputs: mse(outputs, labels)
    return lambda outputs: cross_entropy(outputs, labels)  # type: ignore[arg-type]


def predict(model: MLP, x: Sequence[float], loss_name: str) -> int:
    """The class the model picks for ``x``."""
    out = model(list(x))
    if isinstance(out, list):
        return max(range(len(out)), key=lambda k: out[k].data)
    threshold = 0.5 if loss_name == "mse" else 0.0  # mse learns 0/1 targets; the others a score
    return int(out.data > threshold)


def make_optimizer(name: str, params: list[Value], lr: float) -> Optimizer:
    if name == "adam":
        return Adam(params, lr=lr)
    if name == "rmsprop":
        return RMSprop(params, lr=lr)
    return SGD(params, lr=lr)


def run_training(args: argparse.Namespace) -> None:
    """Train as the command line asks; print progress and the paths written."""
    from tqdm import tqdm

    X, labels, classes = load_dataset(args.dataset, args.samples, args.seed)
    loss_name = args.loss or ("cross_entropy" if classes > 2 else "hinge")
    nout = classes if loss_name == "cross_entropy" else 1
    if args.load:
        model = load(args.load)
        if not isinstance(model, MLP) or model.nin != 2 or model.nouts[-1] != nout:
            raise TrainingError(
                f"--load {args.load}: the model does not take 2 inputs and give {nout} outputs"
            )
    else:
        hidden = args.hidden
        model = MLP(2, [*hidden, nout], activation=args.activation, seed=args.seed)
    loss_fn = make_loss(loss_name, classes, labels)
    optimizer = make_optimizer(args.optimizer, model.parameters(), args.lr or DEFAULT_LR[args.optimizer])
    schedule = LambdaLR(optimizer, lambda k: 1.0 - 0.9 * k / args.epochs)

    losses, accuracies = [], []
    # --fast: the loss traced once and replayed as generated float code (nn/compiled.py)
    compiled = (
        compile_loss(model.named_parameters(), lambda: loss_fn([model(x) for x in X])) if args.fast else None
    )
    progress = tqdm(range(args.epochs), desc=f"{args.dataset} {args.optimizer}", unit="epoch")
    for _ in progress:
        optimizer.zero_grad()
        if compiled is not None:
            loss = Value(compiled())  # grads already in p.grad
        else:
            loss = loss_fn([model(x) for x in X])
            loss.backward()
        optimizer.step()
        schedule.step()
        with autograd.no_grad():
            accuracy = sum(predict(model, x, loss_name) == y for x, y in zip(X, labels)) / len(X)
        losses.append(loss.data)
        accuracies.append(accuracy)
        progress.set_postfix(loss=f"{loss.data:.4f}", accuracy=f"{accuracy:.0%}")
    progress.close()

    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    model_path = out / f"{args.dataset}-model.json"
    save(model, model_path)
    plot_path = plot(model, X, labels, losses, accuracies, loss_name, out / f"{args.dataset}-training.png")
    print(f"final loss {losses[-1]:.4f}, accuracy {accuracies[-1]:.0%}")
    print(f"wrote {plot_path}")
    print(f"wrote {model_path}")


def plot(
    model: MLP,
    X: list[list[float]],
    labels: list[int],
    losses: list[float],
    accuracies: list[float],
    loss_name: str,
    path: Path,
) -> Path:
    """Loss curve on the left, decision regions with the data on the right."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    xs, ys = [p[0] for p in X], [p[1] for p in X]
    pad = 0.5
    x0, x1, y0, y1 = min(xs) - pad, max(xs) + pad, min(ys) - pad, max(ys) + pad
    steps = 60
    gx = [x0 + (x1 - x0) * i / (steps - 1) for i in range(steps)]
    gy = [y0 + (y1 - y0) * j / (steps - 1) for j in range(steps)]
    with autograd.no_grad():
        regions = [[predict(model, [u, v], loss_name) for u in gx] for v in gy]

    fig, (left, right) = plt.subplots(1, 2, figsize=(11, 4.5))
    left.plot(range(1, len(losses) + 1), losses, label=f"{loss_name} loss")
    left.plot(range(1, len(accuracies) + 1), accuracies, label="accuracy")
    left.set_xlabel("epoch")
    left.legend()
    left.set_title("training")
    right.contourf(gx, gy, regions, alpha=0.3, cmap="coolwarm", levels=len(set(labels)) - 1 or 1)
    right.scatter(xs, ys, c=labels, cmap="coolwarm", edgecolors="black", s=25)
    right.set_title("decision regions and data")
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path
