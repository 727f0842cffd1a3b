"""``Perceptron``: Rosenblatt's perceptron, the lesson's first model, and its learning rule.

A perceptron is a weighted sum and a step:

    y_hat = step(w . x + b),   step(z) = 1 if z > 0 else 0

It learns one sample at a time with the perceptron rule (no loss, no gradients):

    w += lr * (y - y_hat) * x        b += lr * (y - y_hat)

A right answer (y - y_hat = 0) changes nothing; a wrong one moves the line w . x + b = 0 towards
the sample. The step has derivative 0 wherever it has one (and none at z = 0), so there is no
gradient to follow: that is why the rule is its own, and why its numbers are plain floats, not
``Value``s. Replace the step by a sigmoid and the rule becomes gradient descent on the
cross-entropy (dz = a - y): the sigmoid neuron of ``chainrule lesson``.

If the two classes can be split by a line (AND, OR), the rule finds such a line in a finite
number of epochs (Novikoff's convergence theorem): an epoch with no mistake ends training. If
they cannot (XOR), it never stops making mistakes. ``fit`` shows how: it visits the samples in
the same order every epoch, so the weights at the end of an epoch decide every later epoch; once
they are the same as at the end of an earlier epoch, training repeats that stretch of epochs
for ever. ``fit`` stops there and reports the cycle.

    p = nn.Perceptron(2)
    X, y = nn.data.logic_gate("and")
    result = p.fit(X, y)
    result.converged, result.epochs[-1].w, result.epochs[-1].b    # True, [2.0, 1.0], -2.0
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Sequence
from dataclasses import dataclass, field


@dataclass
class PerceptronEpoch:
    """The weights and bias at the end of an epoch, and how many samples it got wrong on the way.

    Epoch 0 is the start: the initial weights, before any sample (``mistakes`` 0). ``path`` is
    ``(w, b)`` after each sample of the epoch, in order: the line moving inside the epoch.
    """

    epoch: int
    w: list[float]
    b: float
    mistakes: int
    path: list[tuple[list[float], float]] = field(default_factory=list)


@dataclass
class PerceptronFit:
    """What ``Perceptron.fit`` did, epoch by epoch.

    ``epochs[0]`` is the start and ``epochs[k]`` the end of epoch k. ``converged``: the last epoch
    made no mistake. ``cycle``: ``(j, k)`` when the state after epoch k is the one after epoch j
    (j < k), so from there training repeats every k - j epochs and never converges; else None.
    """

    epochs: list[PerceptronEpoch] = field(default_factory=list)
    converged: bool = False
    cycle: tuple[int, int] | None = None


class Perceptron:
    """A perceptron with ``nin`` inputs: ``step(w . x + b)`` with step(z) = 1 if z > 0 else 0.

    ``lr`` (> 0) scales every update; ``w`` and ``b`` are the starting weights (zeros, the classic
    start, unless given). Trained by the perceptron rule, not by gradients (see the module).
    """

    def __init__(self, nin: int, lr: float = 1.0, w: Sequence[float] | None = None, b: float = 0.0) -> None:
        if isinstance(nin, bool) or not isinstance(nin, int):
            raise TypeError(f"Perceptron: nin must be an int, got {type(nin).__name__} {nin!r}")
        if nin < 1:
            raise ValueError(f"Perceptron: nin must be >= 1, got {nin}")
        self.nin = nin
        self.lr = _number(lr, "lr", positive=True)
        if w is None:
            self.w = [0.0] * nin
        else:
            if len(w) != nin:
                raise ValueError(f"Perceptron: w must have nin = {nin} weights, got {len(w)}: {list(w)!r}")
            self.w = [_number(wi, "w") for wi in w]
        self.b = _number(b, "b")

    def z(self, x: Sequence[float]) -> float:
        """The weighted sum w . x + b."""
        return sum(wi * xi for wi, xi in zip(self.w, x)) + self.b

    def __call__(self, x: Sequence[float]) -> int:
        """The class, 1 if w . x + b > 0 else 0."""
        return 1 if self.z(_sample(x, self.nin, "x")) > 0 else 0

    def update(self, x: Sequence[float], y: int) -> int:
        """One step of the rule on one sample; returns the error y - y_hat (-1, 0 or 1)."""
        x = _sample(x, self.nin, "x")
        error = _label(y, "y") - (1 if self.z(x) > 0 else 0)
        if error:
            self.w = [wi + self.lr * error * xi for wi, xi in zip(self.w, x)]
            self.b += self.lr * error
        return error

    def fit(self, X: Sequence[Sequence[float]], y: Sequence[int], epochs: int = 100) -> PerceptronFit:
        """Up to ``epochs`` passes over ``(X, y)`` in order, one ``update`` per sample.

        Stops after an epoch without a mistake (``converged``) or when the weights at the end of
        an epoch repeat an earlier epoch's (``cycle``: XOR). States are compared to 12 decimal
        places, so that the rounding of lr * x sums (lr = 0.1) cannot hide a cycle.
        """
        samples, labels = _dataset(X, y, self.nin)
        if isinstance(epochs, bool) or not isinstance(epochs, int) or epochs < 1:
            raise ValueError(f"Perceptron.fit: epochs must be an int >= 1, got {epochs!r}")
        result = PerceptronFit([PerceptronEpoch(0, list(self.w), self.b, 0)])
        seen = {self._state(): 0}
        for epoch in range(1, epochs + 1):
            mistakes, path = 0, []
            for x, t in zip(samples, labels):
                mistakes += self.update(x, t) != 0
                path.append((list(self.w), self.b))
            result.epochs.append(PerceptronEpoch(epoch, list(self.w), self.b, mistakes, path))
            if mistakes == 0:
                result.converged = True
                break
            state = self._state()
            if state in seen:
                result.cycle = (seen[state], epoch)
                break
            seen[state] = epoch
        return result

    def _state(self) -> tuple[float, ...]:
        return tuple(round(v, 12) + 0.0 for v in [*self.w, self.b])  # + 0.0: -0.0 is 0.0

    def __repr__(self) -> str:
        return f"Perceptron(nin={self.nin}, w={self.w}, b={self.b}, lr={self.lr})"


def _number(x: object, name: str, positive: bool = False) -> float:
    if isinstance(x, bool) or not isinstance(x, numbers.Real) or not math.isfinite(x):
        raise ValueError(f"Perceptron: {name} must be a finite number, got {x!r}")
    number = float(x)
    if positive and not number > 0:
        raise ValueError(f"Perceptron: {name} must be > 0, got {x!r}")
    return number


def _sample(x: object, nin: int, name: str) -> list[float]:
    """A point as nin floats: a list, a tuple or a 1-d numpy array."""
    if isinstance(x, (str, bytes)) or not hasattr(x, "__len__") or len(x) != nin:
        raise ValueError(f"Perceptron: {name} must be a sequence of nin = {nin} numbers, got {x!r}")
    return [_number(xi, name) for xi in x]  # type: ignore[attr-defined]


def _label(y: object, name: str) -> int:
    if isinstance(y, bool) or not isinstance(y, numbers.Real) or y not in (0, 1):
        raise ValueError(f"Perceptron: labels in {name} must be 0 or 1, got {y!r}")
    return 1 if float(y) == 1 else 0


def _dataset(X: Sequence[Sequence[float]], y: Sequence[int], nin: int) -> tuple[list[list[float]], list[int]]:
    """The samples and labels, checked: one label per sample, labels 0/1, both classes present."""
    if len(X) != len(y):
        raise ValueError(f"Perceptron.fit: X and y must have the same length, got {len(X)} and {len(y)}")
    if len(X) == 0:
        raise ValueError("Perceptron.fit: X is empty")
    samples = [_sample(x, nin, "X") for x in X]
    labels = [_label(t, "y") for t in y]
    if len(set(labels)) < 2:
        raise ValueError(
            f"Perceptron.fit: y has only class {labels[0]}; a perceptron separates two classes, "
            "so y needs both 0 and 1"
        )
    return samples, labels
