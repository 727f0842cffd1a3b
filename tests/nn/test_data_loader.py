"""``nn.DataLoader``: batches and shuffles against a hand-written reference; mini-batch training
(``chainrule.train.train_epochs(batch_size=...)``) against a hand-written loop over the same batches."""

from __future__ import annotations

import random
from typing import Any

import pytest

from autograd import Value
from chainrule.train import load_dataset, make_loss, make_optimizer, train_epochs
from nn.data_loader import DataLoader
from nn.layers import MLP
from nn.optim import SGD, LambdaLR
from nn.record import TrainingRecorder


def reference_epochs(n: int, batch_size: int, shuffle: bool, seed: int, drop_last: bool, epochs: int) -> list:
    """The batches of index lists, written out: one Random(seed), one shuffle per epoch, cut in order."""
    rng = random.Random(seed)
    out = []
    for _ in range(epochs):
        order = list(range(n))
        if shuffle:
            rng.shuffle(order)
        batches = []
        start = 0
        while start < n:
            batch = order[start : start + batch_size]
            if len(batch) == batch_size or not drop_last:
                batches.append(batch)
            start += batch_size
        out.append(batches)
    return out


def test_in_order_batches_of_ten_by_four() -> None:
    loader = DataLoader(list(range(10)), batch_size=4)
    assert list(loader) == [[0, 1, 2, 3], [4, 5, 6, 7], [8, 9]]
    assert len(loader) == 3
    dropped = DataLoader(list(range(10)), batch_size=4, drop_last=True)
    assert list(dropped) == [[0, 1, 2, 3], [4, 5, 6, 7]]
    assert len(dropped) == 2


@pytest.mark.parametrize(
    "n,batch_size,drop_last", [(10, 3, False), (10, 3, True), (8, 4, True), (7, 1, False)]
)
def test_shuffled_batches_are_the_references(n: int, batch_size: int, drop_last: bool) -> None:
    loader = DataLoader([f"s{i}" for i in range(n)], batch_size, shuffle=True, seed=5, drop_last=drop_last)
    expected = reference_epochs(n, batch_size, True, 5, drop_last, epochs=3)
    for epoch in expected:
        assert list(loader) == [[f"s{i}" for i in batch] for batch in epoch]
    assert len(loader) == len(expected[0])


def test_each_epoch_is_a_new_permutation_and_the_seed_repeats_them() -> None:
    a = DataLoader(list(range(20)), batch_size=20, shuffle=True, seed=1)
    b = DataLoader(list(range(20)), batch_size=20, shuffle=True, seed=1)
    first, second = next(iter(a)), next(iter(a))
    assert sorted(first) == sorted(second) == list(range(20))
    assert first != second  # a fresh order each epoch
    assert next(iter(b)) == first and next(iter(b)) == second
    state = random.getstate()
    list(DataLoader(list(range(5)), shuffle=True, seed=0))
    assert random.getstate() == state  # the global generator is not touched


def test_tuples_are_collated_field_by_field() -> None:
    X, y = [[0.0, 1.0], [2.0, 3.0], [4.0, 5.0]], [0, 1, 1]
    batches = list(DataLoader(list(zip(X, y)), batch_size=2))
    assert batches == [([[0.0, 1.0], [2.0, 3.0]], [0, 1]), ([[4.0, 5.0]], [1])]
    assert next(iter(DataLoader(X, batch_size=2))) == [[0.0, 1.0], [2.0, 3.0]]  # points stay whole


def test_a_batch_larger_than_the_data_is_one_batch() -> None:
    assert list(DataLoader([1, 2, 3], batch_size=100)) == [[1, 2, 3]]
    assert list(DataLoader([1, 2, 3], batch_size=100, drop_last=True)) == []  # as torch


@pytest.mark.parametrize(
    "bad,error", [(0, ValueError), (-2, ValueError), (2.0, TypeError), (True, TypeError), ("4", TypeError)]
)
def test_a_bad_batch_size_is_named(bad: object, error: type[Exception]) -> None:
    with pytest.raises(
        error, match=f"batch_size.*{bad!r}" if error is TypeError else "batch_size must be >= 1"
    ):
        DataLoader([1, 2, 3], batch_size=bad)  # type: ignore[arg-type]


def test_a_dataset_that_is_not_a_sequence_is_named() -> None:
    with pytest.raises(TypeError, match="dataset must be a sequence.*generator"):
        DataLoader(x for x in range(3))  # type: ignore[arg-type]


@pytest.mark.torch
def test_in_order_batches_are_torchs(torch: Any) -> None:
    data = list(range(11))
    for batch_size, drop_last in [(3, False), (3, True), (20, False), (20, True)]:
        theirs = [
            b.tolist() for b in torch.utils.data.DataLoader(data, batch_size=batch_size, drop_last=drop_last)
        ]
        assert list(DataLoader(data, batch_size=batch_size, drop_last=drop_last)) == theirs
        assert len(DataLoader(data, batch_size=batch_size, drop_last=drop_last)) == len(theirs)


def test_minibatch_training_is_the_hand_written_loop() -> None:
    X, labels, _ = load_dataset("moons", 10, 3)
    epochs, batch_size, lr = 3, 4, 0.2

    model = MLP(2, [3, 1], activation="tanh", seed=2)
    optimizer = make_optimizer("sgd", model.parameters(), lr)
    recorder = TrainingRecorder(model)
    run = train_epochs(
        model, make_loss("hinge", 2, labels), optimizer, LambdaLR(optimizer, lambda k: 1.0), X, labels,
        "hinge", epochs=epochs, recorder=recorder, batch_size=batch_size,
        batch_loss=lambda ys: make_loss("hinge", 2, ys), seed=7,
    )  # fmt: skip

    hand = MLP(2, [3, 1], activation="tanh", seed=2)
    step_losses, epoch_losses = [], []
    for batches in reference_epochs(len(X), batch_size, True, 7, False, epochs):
        weighted = 0.0
        for batch in batches:
            # hinge by hand: mean of max(0, 1 - s * score), s = +-1
            scores = [hand([X[i][0], X[i][1]]) for i in batch]
            terms = [(1 - (2 * labels[i] - 1) * s).relu() for i, s in zip(batch, scores)]
            loss = sum(terms, Value(0.0)) / len(batch)
            for p in hand.parameters():
                p.grad = 0.0
            loss.backward()
            for p in hand.parameters():
                p.data -= lr * p.grad
            step_losses.append(loss.data)
            weighted += loss.data * len(batch)
        epoch_losses.append(weighted / len(X))

    assert len(recorder.frames) == epochs * 3  # 10 samples in batches of 4: 3 steps an epoch
    assert [f["epoch"] for f in recorder.frames] == [1, 1, 1, 2, 2, 2, 3, 3, 3]
    assert [f["loss"] for f in recorder.frames] == pytest.approx(step_losses, rel=1e-12)
    assert run.losses == pytest.approx(epoch_losses, rel=1e-12)
    assert [p.data for p in model.parameters()] == pytest.approx(
        [p.data for p in hand.parameters()], rel=1e-12
    )


def test_full_batch_frames_have_no_epoch() -> None:
    X, labels, _ = load_dataset("xor", 4, 0)
    model = MLP(2, [2, 1], seed=0)
    optimizer = SGD(model.parameters(), lr=0.1)
    recorder = TrainingRecorder(model)
    train_epochs(
        model, make_loss("hinge", 2, labels), optimizer, LambdaLR(optimizer, lambda k: 1.0), X, labels,
        "hinge", epochs=2, recorder=recorder,
    )  # fmt: skip
    assert [sorted(f) for f in recorder.frames] == [["grads", "loss", "params", "step"]] * 2
