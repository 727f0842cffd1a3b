"""``chainrule train``: train an MLP on a toy data set, then plot and save it.

Binary data sets (xor, moons, circles) get one output: a score whose sign is the class
(hinge loss on labels +-1, as in micrograd's demo) or a logit (``--loss bce``, or ``mse`` on
0/1 targets). ``blobs`` has three classes and one output per class, trained with
``cross_entropy``. Every epoch is one full-batch step, or with ``--batch-size N`` one step per
mini-batch of N shuffled samples (``nn.DataLoader``); the learning rate decays linearly per
epoch from ``lr`` to ``lr / 10`` over the run, micrograd's schedule. With ``--fast`` the loss is
traced once and each step runs the generated float code (``nn.CompiledLoss``): same numbers.
"""

from __future__ import annotations

import argparse
import math
import sys
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Union

import autograd
from autograd import Value
from chainrule.optional import missing_line, optional_import
from nn import data as datasets
from nn.compiled import CompiledLoss, compile_loss
from nn.data_loader import DataLoader
from nn.layers import MLP
from nn.losses import binary_cross_entropy_with_logits, cross_entropy, hinge, mse
from nn.optim import SGD, Adam, LambdaLR, Optimizer, RMSprop
from nn.record import TrainingRecorder
from nn.serialize import load, save

MAX_GRAPH = 10_000_000  # samples x parameters: one epoch's graph (about 75 bytes each, so under 1 GB)
MAX_FLIPBOOK = 20_000_000  # epochs x (2 x parameters + the grid's 900 points): the numbers a flipbook keeps
DEFAULT_LR = {"sgd": 0.5, "adam": 0.02, "rmsprop": 0.01}
Scores = list[Union[float, list[float]]]  # a model's outputs as numbers: one per sample, or a list each
LossFn = Callable[[list[Union[Value, list[Value]]]], Value]  # the loss of a batch's outputs


class TrainingError(Exception):
    """A combination of options that cannot work (a usage error, exit code 2), or a run that
    diverged (exit code 1)."""

    def __init__(self, message: str, exit_code: int = 2) -> None:
        super().__init__(message)
        self.exit_code = exit_code


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
    with autograd.no_grad():
        out = model(list(x))
    return predicted_class([o.data for o in out] if isinstance(out, list) else out.data, loss_name)


def predicted_class(score: float | list[float], loss_name: str) -> int:
    """The class picked by a model output: the largest of several, or a score over its threshold."""
    if isinstance(score, list):
        return max(range(len(score)), key=lambda k: score[k])
    threshold = 0.5 if loss_name == "mse" else 0.0  # mse learns 0/1 targets; the others a score
    return int(score > threshold)


def accuracy_of(scores: Scores, labels: Sequence[int], loss_name: str) -> float:
    """The fraction of ``labels`` that the outputs ``scores`` pick."""
    return sum(predicted_class(s, loss_name) == y for s, y in zip(scores, labels)) / len(labels)


def scores_of(outputs: Sequence[Value | list[Value]]) -> Scores:
    """The numbers in a model's outputs: one per sample, or a list per sample for several outputs."""
    return [[o.data for o in out] if isinstance(out, list) else out.data for out in outputs]


def make_optimizer(name: str, params: list[Value], lr: float) -> Optimizer:
    if name == "adam":
        return Adam(params, lr=lr)
    if name == "rmsprop":
        return RMSprop(params, lr=lr)
    return SGD(params, lr=lr)


def run_training(args: argparse.Namespace) -> None:
    """Train as the command line asks; print progress and the paths written."""
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
    batch_size = getattr(args, "batch_size", None)
    steps = -(-len(X) // batch_size) if batch_size else 1  # a flipbook frame per step
    check_size(len(X), len(model.parameters()), args.epochs, bool(getattr(args, "flipbook", None)), steps)
    loss_fn = make_loss(loss_name, classes, labels)
    lr = args.lr or DEFAULT_LR[args.optimizer]
    optimizer = make_optimizer(args.optimizer, model.parameters(), lr)
    schedule = LambdaLR(optimizer, lambda k: 1.0 - 0.9 * k / args.epochs)

    out = writable_folder(Path(args.out))  # before training: a bad --out fails in a second
    plot_file = out / f"{args.dataset}-training.png"
    recorder = TrainingRecorder(model, X, labels, health=True) if getattr(args, "flipbook", None) else None
    fast = bool(getattr(args, "fast", False))
    if batch_size is not None and fast:
        raise TrainingError(
            "--fast traces the loss of the whole data set once; it cannot be combined with --batch-size"
        )
    run = train_epochs(
        model, loss_fn, optimizer, schedule, X, labels, loss_name,
        epochs=args.epochs, fast=fast,
        description=f"{args.dataset} {args.optimizer}", recorder=recorder,
        batch_size=batch_size, batch_loss=lambda ys: make_loss(loss_name, classes, ys), seed=args.seed,
    )  # fmt: skip
    if run.diverged:  # plot the run with the last finite weights; write no model
        _write_plot(model, X, labels, run, loss_name, plot_file)
        raise TrainingError(f"{run.diverged} (lr {lr:g}); try a smaller --lr. No model written.", exit_code=1)

    model_path = out / f"{args.dataset}-model.json"
    save(model, model_path)
    print(f"final loss {loss_text(run.final_loss)}, accuracy {run.final_accuracy:.0%}")
    warning = divergence_warning([*run.losses, run.final_loss], lr)
    if warning:
        print(f"warning: {warning}")
    _write_plot(model, X, labels, run, loss_name, plot_file)
    print(f"wrote {model_path}")
    if recorder is not None:
        from autograd.see.flipbook import render_flipbook

        title = f"chainrule train {args.dataset}: {loss_name} loss, {args.optimizer}"
        print(f"wrote {render_flipbook(recorder.as_dict(), args.flipbook, title)}")


def check_size(samples: int, parameters: int, epochs: int, flipbook: bool, steps_per_epoch: int = 1) -> None:
    """Refuse a run whose graph (samples x parameters) or flipbook (a frame per step: one an epoch,
    or one per batch with --batch-size) is too large to hold in memory, naming the limit and the
    sizes, before anything is built."""
    if samples * parameters > MAX_GRAPH:
        raise TrainingError(
            f"{samples:,} samples x {parameters:,} parameters = {samples * parameters:,} graph entries "
            f"per epoch; the limit is {MAX_GRAPH:,}: use a smaller --samples or --hidden"
        )
    frames = epochs * steps_per_epoch
    numbers = frames * (2 * parameters + 900)
    if flipbook and numbers > MAX_FLIPBOOK:
        what = (
            f"{epochs:,} epochs"
            if steps_per_epoch == 1
            else f"{epochs:,} epochs x {steps_per_epoch:,} batches"
        )
        raise TrainingError(
            f"--flipbook would keep {what} x {2 * parameters + 900:,} numbers = {numbers:,}; "
            f"the limit is {MAX_FLIPBOOK:,}: use a smaller --epochs or --hidden"
            + ("" if steps_per_epoch == 1 else " or a larger --batch-size")
        )


def _write_plot(
    model: MLP, X: list[list[float]], labels: list[int], run: Run, loss_name: str, path: Path
) -> None:
    """Plot the run into ``path`` and say so; without matplotlib, say which extra brings it."""
    if optional_import("matplotlib") is None:
        print(missing_line("matplotlib", "training plot"))
    else:
        print(f"wrote {plot(model, X, labels, run.losses, run.accuracies, loss_name, path)}")


@dataclass
class Run:
    """What the epochs produced: a loss and an accuracy per finished epoch, those of the model
    after the last step, and why it stopped early if it diverged ('' when it did not)."""

    losses: list[float] = field(default_factory=list)
    accuracies: list[float] = field(default_factory=list)
    final_loss: float = math.nan
    final_accuracy: float = math.nan
    diverged: str = ""


def train_epochs(
    model: MLP,
    loss_fn: Callable[[list[Value | list[Value]]], Value],
    optimizer: Optimizer,
    schedule: LambdaLR,
    X: list[list[float]],
    labels: list[int],
    loss_name: str,
    *,
    epochs: int,
    fast: bool = False,
    description: str = "",
    recorder: TrainingRecorder | None = None,
    batch_size: int | None = None,
    batch_loss: Callable[[list[int]], LossFn] | None = None,
    seed: int = 0,
) -> Run:
    """``epochs`` epochs, stopping at the first loss or weight that is inf or nan.

    Full batch (``batch_size`` None): one step per epoch on all of ``X`` with ``loss_fn``.
    Mini-batches (``--batch-size``): each epoch the samples are shuffled by an
    ``nn.DataLoader(range(len(X)), batch_size, shuffle=True, seed=seed)`` and one step is taken
    per batch, on the loss ``batch_loss(labels of the batch)`` of that batch's outputs; the
    epoch's loss is the mean of the batch losses weighted by batch size, and its accuracy that of
    each sample's output in the forward pass of its batch (stochastic gradient descent: every
    batch sees the weights the previous batch's step left).

    ``fast``: the loss is traced once and replayed as generated float code (``--fast``).
    ``description`` names the run on the progress bar (shown when tqdm is installed).

    Each epoch's loss and accuracy are those of the step's own forward pass: both describe the
    weights the step started from, and the accuracy costs no second pass over the data.
    With a ``recorder``, each step's loss, weights and grads are kept for the flipbook.
    On such a stop the model is put back to its weights at the start of the failing epoch
    (all finite), so what is plotted is the last sound state and nothing non-finite is kept.
    """
    run = Run()
    # --fast: the loss traced once and replayed as generated float code (nn/compiled.py)
    compiled = None
    if fast:  # the model's outputs come back with the loss, for the accuracy
        loss_and_outputs = lambda: _loss_and_outputs(model, loss_fn, X)  # noqa: E731
        compiled = compile_loss(model.named_parameters(), loss_and_outputs, has_aux=True)
    progress = _progress_bar(epochs, description)

    loader = None
    if batch_size is not None:
        if batch_loss is None:
            raise TypeError("train_epochs: batch_size needs batch_loss, the loss for a batch's labels")
        loader = DataLoader(range(len(X)), batch_size=batch_size, shuffle=True, seed=seed)
    epoch = 0  # the epoch being run, read by step()

    def step() -> tuple[float, Scores]:
        with autograd.collector_paused():  # the step's graph is built and freed inside: never collected
            if loader is not None and batch_loss is not None:
                return _minibatch_epoch(model, batch_loss, optimizer, loader, X, labels, recorder, epoch + 1)
            return _step(model, loss_fn, optimizer, compiled, X, recorder)

    last_good = model.state_dict()
    for epoch in range(epochs):
        last_good = model.state_dict()
        result = _unless_diverged(run, f"at epoch {epoch + 1}", step)
        if result is None:
            model.load_state_dict(last_good)
            break
        loss, scores = result
        schedule.step()
        accuracy = accuracy_of(scores, labels, loss_name)
        run.losses.append(loss)
        run.accuracies.append(accuracy)
        if progress is not None:
            progress.update()
            progress.set_postfix(loss=f"{loss:.4f}", accuracy=f"{accuracy:.0%}")
        if not all(math.isfinite(p.data) for p in model.parameters()):
            run.diverged = f"the weights became inf or nan at epoch {epoch + 1}"
            model.load_state_dict(last_good)
            break
    if progress is not None:
        progress.close()
    if not run.diverged:  # the weights the last step left, the model to be saved
        final = _unless_diverged(run, f"after epoch {len(run.losses)}", lambda: _evaluate(model, loss_fn, X))
        if final is None:
            model.load_state_dict(last_good)
        else:
            run.final_loss, run.final_accuracy = final[0], accuracy_of(final[1], labels, loss_name)
    return run


def _unless_diverged(
    run: Run, when: str, compute: Callable[[], tuple[float, Scores]]
) -> tuple[float, Scores] | None:
    """``compute()``'s loss and outputs; or None, with ``run.diverged`` saying why, if the loss
    overflowed or is not finite ``when`` ('at epoch 3')."""
    try:
        loss, scores = compute()
    except ArithmeticError:  # e.g. pow overflowing once the weights are huge
        run.diverged = f"the loss overflowed {when}"
        return None
    if not math.isfinite(loss):
        run.diverged = f"loss became {loss} {when}"
        return None
    return loss, scores


def _minibatch_epoch(
    model: MLP,
    batch_loss: Callable[[list[int]], LossFn],
    optimizer: Optimizer,
    loader: DataLoader,
    X: list[list[float]],
    labels: list[int],
    recorder: TrainingRecorder | None,
    epoch: int,
) -> tuple[float, Scores]:
    """One epoch of mini-batch steps; the batch-size-weighted mean loss and each sample's output
    (from its batch's forward pass), in the order of ``X``. Stops at a loss that is not finite."""
    scores: Scores = [0.0] * len(X)
    total, seen = 0.0, 0
    for indices in loader:
        xs, ys = [X[i] for i in indices], [labels[i] for i in indices]
        loss, batch_scores = _step(model, batch_loss(ys), optimizer, None, xs, recorder, epoch=epoch)
        if not math.isfinite(loss):
            return loss, scores
        total += loss * len(indices)
        seen += len(indices)
        for i, score in zip(indices, batch_scores):
            scores[i] = score
    return total / seen, scores


def _evaluate(
    model: MLP, loss_fn: Callable[[list[Value | list[Value]]], Value], X: list[list[float]]
) -> tuple[float, Scores]:
    """The loss on ``X`` and the model's outputs, without recording a graph."""
    with autograd.no_grad():
        outputs = [model(x) for x in X]
        return loss_fn(outputs).data, scores_of(outputs)


def _step(
    model: MLP,
    loss_fn: Callable[[list[Value | list[Value]]], Value],
    optimizer: Optimizer,
    compiled: CompiledLoss | None,
    X: list[list[float]],
    recorder: TrainingRecorder | None,
    epoch: int | None = None,
) -> tuple[float, Scores]:
    """One step on the batch ``X`` (all the data, or a mini-batch); returns its loss and the
    model's outputs (as numbers) on ``X``. With ``epoch`` (mini-batches) the recorder's frame
    says which epoch the step belongs to.

    A loss that is not finite is returned before any update.
    """
    if compiled is not None:
        optimizer.zero_grad()
        loss_data, flat = compiled()  # the grads are already in p.grad
        loss = Value(loss_data)
        width = len(flat) // len(X)  # outputs per sample
        scores: Scores = (
            list(flat) if width == 1 else [list(flat[k : k + width]) for k in range(0, len(flat), width)]
        )
    else:
        outputs = [model(x) for x in X]
        loss = loss_fn(outputs)
        scores = scores_of(outputs)
    if not math.isfinite(loss.data):
        return loss.data, scores
    if compiled is None:
        optimizer.zero_grad()
        loss.backward()
    if recorder is not None:
        recorder.record(loss, epoch=epoch)  # this step's loss, weights and grads, before the update
    optimizer.step()
    return loss.data, scores


def _loss_and_outputs(
    model: MLP, loss_fn: Callable[[list[Value | list[Value]]], Value], X: list[list[float]]
) -> tuple[Value, list[Value]]:
    """The loss on ``X`` and, flattened, the model's outputs it was computed from (a trace's aux)."""
    outputs = [model(x) for x in X]
    return loss_fn(outputs), [o for out in outputs for o in (out if isinstance(out, list) else [out])]


def _progress_bar(epochs: int, description: str) -> Any:
    """A tqdm bar over the epochs, or None (saying which extra brings it) without tqdm.

    In a browser (Pyodide, the classroom) there is no terminal to draw a bar on and nothing to
    install: None, without the hint.
    """
    if sys.platform == "emscripten":
        return None
    tqdm = optional_import("tqdm")
    if tqdm is None:
        print(missing_line("tqdm", "progress bar"))
        return None
    return tqdm.tqdm(total=epochs, desc=description, unit="epoch")


def writable_folder(folder: Path) -> Path:
    """``folder``, created if need be, once a file could be written in it; else the OSError."""
    folder.mkdir(parents=True, exist_ok=True)
    try:
        with tempfile.TemporaryFile(dir=folder):
            pass
    except OSError as err:  # name the folder, not the probe file
        raise OSError(err.errno, err.strerror, str(folder)) from None
    return folder


def plot(
    model: MLP,
    X: list[list[float]],
    labels: list[int],
    losses: list[float],
    accuracies: list[float],
    loss_name: str,
    path: Path,
) -> Path:
    """Loss (and accuracy) per epoch on the left, decision regions with the data on the right."""
    from chainrule import plots

    plt = plots.pyplot()
    fig, (left, right) = plt.subplots(1, 2, figsize=(11, 4.5))
    left.plot(range(1, len(losses) + 1), losses, color="black", label=f"{loss_name} loss")
    left.set_xlabel("epoch")
    plots.loss_axis(left, losses, f"{loss_name} loss")
    twin = left.twinx()
    twin.plot(range(1, len(accuracies) + 1), accuracies, color="#CC79A7", linestyle="--", label="accuracy")
    twin.set_ylabel("accuracy")
    twin.set_ylim(0, 1.05)
    left.legend(handles=left.get_lines() + twin.get_lines(), loc="center right")
    left.set_title("training")
    classes = max(len(set(labels)), 2)
    classify = lambda u, v: predict(model, [u, v], loss_name)  # noqa: E731
    plots.decision_regions(right, classify, plots.bounds_of(X), classes)
    plots.scatter_classes(right, X, labels)
    right.legend(loc="upper right")
    right.set_title("decision regions and data")
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path


def loss_text(loss: float) -> str:
    """A loss in four decimals, or in four significant digits once it is large (9.38e+68)."""
    return f"{loss:.4f}" if abs(loss) < 1e4 else f"{loss:.4g}"


def divergence_warning(losses: list[float], lr: float) -> str | None:
    """A sentence for a full-batch run whose loss ended higher than it started (or not finite)."""
    first, last = losses[0], losses[-1]
    if last == last and last != float("inf") and last <= first:
        return None
    return (
        f"the loss grew from {first:.4g} to {last:.4g}: the learning rate {lr:g} is too large "
        f"for this model, so each step overshoots; try --lr {lr / 10:g}"
    )
