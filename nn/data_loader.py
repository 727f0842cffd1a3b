"""``DataLoader``: a data set served in mini-batches, after ``torch.utils.data.DataLoader``.

    loader = nn.DataLoader(list(zip(X, y)), batch_size=4, shuffle=True, seed=0)
    for epoch in range(10):
        for xs, ys in loader:              # one epoch: every sample once, in batches of 4
            loss = nn.mse([model(x) for x in xs], ys)
            optimizer.zero_grad(); loss.backward(); optimizer.step()

What an epoch is: ``len(dataset)`` samples split in order into batches of ``batch_size``; the
last batch holds the ``len(dataset) % batch_size`` left over, unless ``drop_last`` drops it. A
``batch_size`` larger than the data set gives one batch of all of it (none with ``drop_last``,
as in torch). With ``shuffle`` every epoch (every ``iter(loader)``) first draws a fresh order of
the samples from the loader's own ``random.Random(seed)``: the same seed gives the same orders,
epoch after epoch, and the global ``random`` module is never touched.

A batch is collated as torch's ``default_collate`` does for tuples: when every sample is a
tuple (``(x, y)`` from ``zip(X, y)``), the batch is a tuple of lists, one per field
(``(xs, ys)``); any other sample (a point ``[x0, x1]``, a number) is kept whole and the batch is
a list of samples.
"""

from __future__ import annotations

import math
import random
from collections.abc import Iterator, Sequence
from typing import Any


class DataLoader:
    """Batches of ``dataset`` (a sequence of samples), in order or shuffled each epoch.

    ``batch_size`` (an int >= 1) samples per batch; ``shuffle``: a new order each epoch from
    ``random.Random(seed)``; ``drop_last``: leave out a last batch smaller than ``batch_size``.
    ``len(loader)`` is the number of batches in an epoch: ceil(n / batch_size), or
    floor(n / batch_size) with ``drop_last``.
    """

    def __init__(
        self,
        dataset: Sequence[Any],
        batch_size: int = 1,
        shuffle: bool = False,
        seed: int | None = None,
        drop_last: bool = False,
    ) -> None:
        if not isinstance(dataset, Sequence) or isinstance(dataset, (str, bytes)):
            raise TypeError(
                "DataLoader: dataset must be a sequence of samples such as list(zip(X, y)), "
                f"got {type(dataset).__name__}"
            )
        if isinstance(batch_size, bool) or not isinstance(batch_size, int):
            raise TypeError(
                f"DataLoader: batch_size must be an int, got {type(batch_size).__name__} {batch_size!r}"
            )
        if batch_size < 1:
            raise ValueError(f"DataLoader: batch_size must be >= 1, got {batch_size}")
        if not isinstance(shuffle, bool):
            raise TypeError(f"DataLoader: shuffle must be True or False, got {shuffle!r}")
        if not isinstance(drop_last, bool):
            raise TypeError(f"DataLoader: drop_last must be True or False, got {drop_last!r}")
        self.dataset = dataset
        self.batch_size = batch_size
        self.shuffle = shuffle
        self.drop_last = drop_last
        self.rng = random.Random(seed)

    def __len__(self) -> int:
        n = len(self.dataset)
        return n // self.batch_size if self.drop_last else math.ceil(n / self.batch_size)

    def batch_indices(self) -> list[list[int]]:
        """One epoch's batches as lists of sample indices (draws the epoch's order when shuffling)."""
        order = list(range(len(self.dataset)))
        if self.shuffle:
            self.rng.shuffle(order)
        size = self.batch_size
        batches = [order[start : start + size] for start in range(0, len(order), size)]
        if self.drop_last and batches and len(batches[-1]) < size:
            batches.pop()
        return batches

    def __iter__(self) -> Iterator[Any]:
        for indices in self.batch_indices():
            yield collate([self.dataset[i] for i in indices])

    def __repr__(self) -> str:
        return (
            f"DataLoader({len(self.dataset)} samples, batch_size={self.batch_size}, "
            f"shuffle={self.shuffle}, drop_last={self.drop_last})"
        )


def collate(samples: list[Any]) -> Any:
    """A tuple of lists, field by field, when every sample is a tuple of one length; else the list."""
    if samples and all(isinstance(s, tuple) for s in samples):
        width = len(samples[0])
        if all(len(s) == width for s in samples):
            return tuple([s[k] for s in samples] for k in range(width))
    return samples
