"""Loss functions: one number saying how wrong the predictions are, built from Values.

Shapes. ``mse``, ``binary_cross_entropy``, ``binary_cross_entropy_with_logits`` and
``hinge`` take either one prediction and one target (``loss(model(x), 1.0)``) or equal-length
lists of them (``loss([model(x) for x in X], ys)``); ``mse`` also takes lists of rows (a
model with several outputs), rows and targets of matching lengths. ``cross_entropy`` takes
one row of logits with an int class, or a list of rows with a list of ints. Predictions may
be Values or numbers; targets are numbers.

Each per-element loss is summed in one ``sum`` node; ``reduction='mean'`` (the default)
then divides by the number of elements (of rows, for ``cross_entropy``), ``'sum'`` does not.

    mse                              (p - y)**2                               d/dp = 2 (p - y)
    binary_cross_entropy             -(y log p + (1 - y) log(1 - p))          d/dp = (p - y) / (p (1 - p))
    binary_cross_entropy_with_logits softplus(z) - y z                        d/dz = sigmoid(z) - y
    hinge                            max(0, 1 - y s),  y = +-1                d/ds = -y where 1 - y s > 0
    cross_entropy                    log sum_j e**z[j] - z[t]                d/dz[j] = softmax(z)[j] - [j=t]
"""

from __future__ import annotations

import numbers
import operator
from collections.abc import Sequence
from typing import TypeGuard, Union

import autograd
from autograd import Value
from autograd.value import to_float

Scalar = Union[Value, float]
# One sample, or a list whose items are samples or rows of them: a list of MLP outputs
# (``list[Value | list[Value]]``, as ``[model(x) for x in X]`` is typed) fits as it is.
Predictions = Union[Scalar, Sequence[Union[Scalar, Sequence[Scalar]]]]
Targets = Union[float, Sequence[Union[float, Sequence[float]]]]

REDUCTIONS = ("mean", "sum")


def mse(predictions: Predictions, targets: Targets, reduction: str = "mean") -> Value:
    """Mean squared error: mean of (p - y)**2 over all elements (PyTorch's ``mse_loss``)."""
    _check_reduction(reduction, "mse")
    pairs = _pairs(predictions, targets, "mse", allow_rows=True)
    terms = []
    for p, y in pairs:
        d = p - y
        terms.append(d * d)
    return _reduce(terms, reduction)


def binary_cross_entropy(
    probabilities: Predictions, targets: Targets, reduction: str = "mean", eps: float = 1e-12
) -> Value:
    """-(y log p + (1 - y) log(1 - p)) for probabilities p in [0, 1] and targets y in [0, 1].

    p is clamped to [eps, 1 - eps] first, so p = 0 or 1 gives a large finite loss, not inf.
    As with ``torch.clamp``, a clamped p passes no gradient back. To train a sigmoid output,
    prefer ``binary_cross_entropy_with_logits`` on the pre-sigmoid value: it never clamps.
    """
    _check_reduction(reduction, "binary_cross_entropy")
    lo, hi = eps, 1.0 - eps
    terms = []
    for p, y in _pairs(probabilities, targets, "binary_cross_entropy"):
        # Value comparisons, not reads of p.data: a trace guards them, so compiled code that meets
        # a p on the other side of the clamp stops with PathChanged instead of reusing the branch.
        if not 0.0 <= p <= 1.0:
            raise ValueError(f"binary_cross_entropy: probabilities must be in [0, 1], got {p.data!r}")
        _check_unit(y, "binary_cross_entropy")
        q = p if lo <= p <= hi else Value(lo if p < lo else hi)
        terms.append(-(y * q.log() + (1.0 - y) * (1.0 - q).log()))
    return _reduce(terms, reduction)


def binary_cross_entropy_with_logits(logits: Predictions, targets: Targets, reduction: str = "mean") -> Value:
    """BCE of sigmoid(z) against y, written as softplus(z) - y z so that it never overflows.

    log sigmoid(z) = -softplus(-z) and log(1 - sigmoid(z)) = -softplus(z), so
    -(y log sigmoid(z) + (1 - y) log(1 - sigmoid(z))) = softplus(z) - y z: finite and exact
    at z = +-1000, and its gradient sigmoid(z) - y is the lesson's ``dz = a - y``.
    """
    _check_reduction(reduction, "binary_cross_entropy_with_logits")
    terms = []
    for z, y in _pairs(logits, targets, "binary_cross_entropy_with_logits"):
        _check_unit(y, "binary_cross_entropy_with_logits")
        terms.append(z.softplus() - y * z)
    return _reduce(terms, reduction)


def hinge(scores: Predictions, labels: Targets, reduction: str = "mean") -> Value:
    """The max-margin loss of micrograd's moons demo: max(0, 1 - y s), labels y = -1 or +1."""
    _check_reduction(reduction, "hinge")
    terms = []
    for s, y in _pairs(scores, labels, "hinge"):
        if y not in (-1.0, 1.0):
            raise ValueError(f"hinge: labels must be -1 or +1, got {y!r}")
        terms.append((1.0 - y * s).relu())
    return _reduce(terms, reduction)


def cross_entropy(
    logits: Sequence[Scalar] | Sequence[Sequence[Scalar]],
    targets: int | Sequence[int],
    reduction: str = "mean",
) -> Value:
    """Softmax cross-entropy: -log softmax(z)[t] = log sum_j e**z[j] - z[t] (PyTorch's ``cross_entropy``).

    ``logits`` is one row of C scores with ``targets`` an int class in [0, C), or a list of
    rows with a list of ints. log-sum-exp is computed shifted by the row's largest score m:
    log sum_j e**(z[j] - m) + m, so no e** overflows. m is taken as a constant; that is
    exact, because the loss does not depend on the shift at all.
    """
    _check_reduction(reduction, "cross_entropy")
    if _is_class(targets):
        rows, classes = [logits], [targets]
    elif isinstance(targets, Sequence) and not isinstance(targets, (str, bytes)):
        rows, classes = list(logits), list(targets)  # type: ignore[arg-type]
        if len(rows) != len(classes):
            raise ValueError(f"cross_entropy: got {len(rows)} rows of logits but {len(classes)} targets")
    else:
        raise TypeError(f"cross_entropy: targets must be an int class or a list of them, got {targets!r}")
    if not rows:
        raise ValueError("cross_entropy: got no rows of logits")
    width = None
    terms = []
    for row, t in zip(rows, classes):
        zs = _row(row, "cross_entropy")
        if width is not None and len(zs) != width:
            raise ValueError(f"cross_entropy: rows of logits differ in length ({width} and {len(zs)})")
        width = len(zs)
        if not _is_class(t):
            raise TypeError(f"cross_entropy: each target must be an int class, got {t!r}")
        t = operator.index(t)  # a numpy int64 class becomes a Python int
        if not 0 <= t < width:
            raise ValueError(f"cross_entropy: target {t} is out of range for {width} classes")
        m = max(z.data for z in zs)
        shifted = [z - m for z in zs]
        terms.append(autograd.sum([s.exp() for s in shifted]).log() - shifted[t])
    return _reduce(terms, reduction)


# --- shapes and checks --------------------------------------------------------------------------


def _pairs(
    predictions: object, targets: object, where: str, allow_rows: bool = False
) -> list[tuple[Value, float]]:
    """(prediction, target) pairs from one of each, or two lists of equal length."""
    if _is_list(predictions) != _is_list(targets):
        raise ValueError(f"{where}: give one prediction and one target, or two lists of the same length")
    if not _is_list(predictions):
        return [(_scalar(predictions, where), to_float(targets, where))]
    ps, ys = list(predictions), list(targets)  # type: ignore[call-overload]
    if len(ps) != len(ys):
        raise ValueError(f"{where}: got {len(ps)} predictions but {len(ys)} targets")
    if not ps:
        raise ValueError(f"{where}: got no predictions")
    pairs: list[tuple[Value, float]] = []
    for p, y in zip(ps, ys):
        if _is_list(p) or _is_list(y):
            if not (allow_rows and _is_list(p) and _is_list(y)):
                raise ValueError(f"{where}: predictions and targets must be flat lists of numbers")
            row_p, row_y = list(p), list(y)
            if len(row_p) != len(row_y):
                raise ValueError(f"{where}: a row of {len(row_p)} predictions has {len(row_y)} targets")
            pairs.extend((_scalar(a, where), to_float(b, where)) for a, b in zip(row_p, row_y))
        else:
            pairs.append((_scalar(p, where), to_float(y, where)))
    return pairs


def _is_list(x: object) -> bool:
    return isinstance(x, Sequence) and not isinstance(x, (str, bytes))


def _scalar(x: object, where: str) -> Value:
    return x if isinstance(x, Value) else Value(to_float(x, where))


def _is_class(t: object) -> TypeGuard[int]:
    """An int class index: Python's int or any ``numbers.Integral`` (numpy's int64), never a bool."""
    return isinstance(t, numbers.Integral) and not isinstance(t, bool)


def _row(row: object, where: str) -> list[Value]:
    if not _is_list(row) or not row:
        raise ValueError(f"{where}: each row of logits must be a non-empty list, got {row!r}")
    return [_scalar(z, where) for z in row]  # type: ignore[attr-defined]


def _check_unit(y: float, where: str) -> None:
    if not 0.0 <= y <= 1.0:
        raise ValueError(f"{where}: targets must be in [0, 1], got {y!r}")


def _check_reduction(reduction: object, where: str) -> None:
    if reduction not in REDUCTIONS:
        raise ValueError(f"{where}: reduction must be one of {REDUCTIONS}, got {reduction!r}")


def _reduce(terms: list[Value], reduction: str) -> Value:
    total = autograd.sum(terms)
    return total / len(terms) if reduction == "mean" else total
