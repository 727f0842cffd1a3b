"""``chainrule train``'s accuracy per epoch: that of the weights each step started from, the same
weights as the epoch's loss, with and without ``--fast``; and the final line describes the saved model."""

from __future__ import annotations

import math
import re
from pathlib import Path

import pytest

import autograd
from autograd import Value
from chainrule.cli import main
from chainrule.train import (
    load_dataset,
    loss_text,
    make_loss,
    make_optimizer,
    predict,
    train_epochs,
)
from nn.layers import MLP
from nn.optim import LambdaLR
from nn.record import TrainingRecorder
from nn.serialize import load


def run(dataset: str, fast: bool, epochs: int = 12) -> tuple[list[float], list[float], list[list[float]]]:
    """Train a small model; return the losses, the accuracies and the weights each step started from."""
    X, labels, classes = load_dataset(dataset, 30, 1)
    loss_name = "cross_entropy" if classes > 2 else "hinge"
    model = MLP(2, [5, classes if classes > 2 else 1], activation="tanh", seed=1)
    optimizer = make_optimizer("sgd", model.parameters(), 0.3)
    schedule = LambdaLR(optimizer, lambda k: 1.0)
    recorder = TrainingRecorder(model)  # no X: it keeps the weights only
    loss_fn = make_loss(loss_name, classes, labels)
    result = train_epochs(
        model, loss_fn, optimizer, schedule, X, labels, loss_name, epochs=epochs, fast=fast, recorder=recorder
    )
    return result.losses, result.accuracies, [frame["params"] for frame in recorder.frames]


@pytest.mark.parametrize("dataset", ["moons", "blobs"])
def test_each_epochs_accuracy_is_that_of_the_weights_the_step_started_from(dataset: str) -> None:
    X, labels, classes = load_dataset(dataset, 30, 1)
    loss_name = "cross_entropy" if classes > 2 else "hinge"
    _, accuracies, weights = run(dataset, fast=False)
    probe = MLP(2, [5, classes if classes > 2 else 1], activation="tanh", seed=1)
    expected = []
    for params in weights:  # predict() is a separate forward pass, at those weights
        for p, w in zip(probe.parameters(), params):
            p.data = w
        expected.append(sum(predict(probe, x, loss_name) == y for x, y in zip(X, labels)) / len(X))
    assert accuracies == expected
    assert len(set(accuracies)) > 1  # the accuracy moves during the run: the check compares something


@pytest.mark.parametrize("dataset", ["moons", "blobs"])
def test_fast_gives_the_same_losses_and_accuracies(dataset: str) -> None:
    nodes = run(dataset, fast=False)
    fast = run(dataset, fast=True)
    assert fast[1] == nodes[1]
    assert fast[0] == pytest.approx(nodes[0], rel=1e-12)


def test_the_final_line_describes_the_saved_model(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    argv = [
        "train",
        "moons",
        "--samples",
        "30",
        "--hidden",
        "5",
        "--epochs",
        "8",
        "--lr",
        "0.3",
        "--out",
        str(tmp_path),
    ]
    assert main(argv) == 0
    printed = re.search(r"final loss (\S+), accuracy (\d+)%", capsys.readouterr().out)
    assert printed is not None
    model = load(tmp_path / "moons-model.json")
    X, labels, _ = load_dataset("moons", 30, 0)
    right = sum(predict(model, x, "hinge") == y for x, y in zip(X, labels))  # type: ignore[arg-type]
    assert int(printed.group(2)) == round(100 * right / len(X))
    signs = [2.0 * y - 1.0 for y in labels]
    hinge = sum(max(0.0, 1.0 - s * model(x).data) for x, s in zip(X, signs)) / len(X)  # type: ignore[union-attr]
    assert float(printed.group(1)) == pytest.approx(hinge, abs=5e-5)


def overflowing(outputs: list[Value]) -> Value:
    """A loss whose pow overflows (an OverflowError naming pow) once the outputs are huge."""
    return autograd.sum([o**4.0 for o in outputs])  # type: ignore[operator]


@pytest.mark.parametrize(
    "loss, lr, message",
    [(overflowing, 1e80, "the loss overflowed after epoch 1"),  # outputs ~1e160, ** 4: pow raises
     ("hinge", 1e300, "loss became nan after epoch 1")],  # weights ~1e300: inf - inf in the outputs
)  # fmt: skip
def test_a_last_step_that_blows_up_the_loss_is_a_divergence(loss: object, lr: float, message: str) -> None:
    """The final line describes the weights the last step left: if their loss is not a number,
    the run diverged there and the model goes back to the weights before that step."""
    X, labels, _ = load_dataset("moons", 10, 1)
    model = MLP(2, [3, 1], activation="relu", seed=1)
    before = model.state_dict()
    loss_fn = make_loss("hinge", 2, labels) if loss == "hinge" else loss
    optimizer = make_optimizer("sgd", model.parameters(), lr)
    run = train_epochs(
        model, loss_fn, optimizer, LambdaLR(optimizer, lambda k: 1.0), X, labels, "hinge", epochs=1
    )  # type: ignore[arg-type]
    assert run.diverged == message
    assert len(run.losses) == 1 and math.isfinite(run.losses[0])  # the step itself was sound
    assert model.state_dict() == before
    assert math.isnan(run.final_loss)


def test_a_huge_final_loss_is_printed_in_significant_digits() -> None:
    assert loss_text(0.08034) == "0.0803" and loss_text(9.38e68) == "9.38e+68"
