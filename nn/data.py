"""Small 2-D data sets for teaching, in pure Python, each seeded by its own ``random.Random``.

Every function returns ``(X, y)``: ``X`` a list of ``[x0, x1]`` points (floats) and ``y`` a
list of labels, ints 0 and 1 (or 0 .. centers-1 for ``make_blobs``), as in scikit-learn.
For the hinge loss of micrograd's demo use ``[2 * label - 1 for label in y]``.

    xor()            the four corners of the unit square; label = x0 XOR x1
    logic_gate(name) the same corners labelled by "and", "or", "nand", "nor" or "xor"
    make_moons       two interleaving half circles: (cos t, sin t) and (1 - cos t, 1/2 - sin t)
    make_circles     a circle of radius 1 (label 0) around one of radius ``factor`` (label 1)
    make_blobs       Gaussian clusters around ``centers`` random points in ``center_box``

``noise`` (or ``cluster_std``) is the standard deviation of Gaussian noise added to each
coordinate. Points are shuffled. The same ``seed`` always gives the same data, and it can be
rebuilt by hand: ``random.Random(seed)`` draws the blobs' centers (x then y, cluster by cluster),
then the noise of each point (x then y), label 0's points first, each curve by increasing t;
then ``shuffle`` of the indices 0 .. n-1 orders the points.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable

Dataset = tuple[list[list[float]], list[int]]


def xor() -> Dataset:
    """The lesson's XOR data: X = [[0,0], [0,1], [1,0], [1,1]], y = [0, 1, 1, 0]."""
    return [[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]], [0, 1, 1, 0]


GATES: dict[str, Callable[[bool, bool], bool]] = {
    "and": lambda a, b: a and b,
    "or": lambda a, b: a or b,
    "nand": lambda a, b: not (a and b),
    "nor": lambda a, b: not (a or b),
    "xor": lambda a, b: a != b,
}


def logic_gate(name: str) -> Dataset:
    """The four corners of the unit square, labelled by a logic gate: ``logic_gate("and")`` is
    X = [[0,0], [0,1], [1,0], [1,1]], y = [0, 0, 0, 1] (the perceptron's first data sets)."""
    if name not in GATES:
        raise ValueError(f"logic_gate: name must be one of {', '.join(GATES)}, got {name!r}")
    X, _ = xor()
    return X, [int(GATES[name](bool(a), bool(b))) for a, b in X]


def make_moons(n: int = 100, noise: float = 0.0, seed: int | None = None) -> Dataset:
    """Two half circles, n // 2 points on the upper (label 0) and the rest on the lower (label 1).

    Angles are evenly spaced over [0, pi]; the lower moon is shifted by (1, -1/2) and flipped.
    """
    n, noise = _count(n, "make_moons", 2), _std(noise, "make_moons", "noise")
    rng = random.Random(seed)
    n_upper = n // 2
    n_lower = n - n_upper
    points = [[math.cos(t), math.sin(t)] for t in _angles(n_upper, math.pi, endpoint=True)]
    points += [[1.0 - math.cos(t), 0.5 - math.sin(t)] for t in _angles(n_lower, math.pi, endpoint=True)]
    labels = [0] * n_upper + [1] * n_lower
    return _shuffled(_noisy(points, noise, rng), labels, rng)


def make_circles(n: int = 100, noise: float = 0.0, factor: float = 0.8, seed: int | None = None) -> Dataset:
    """n // 2 points on the unit circle (label 0), the rest on a circle of radius ``factor`` (label 1)."""
    n, noise = _count(n, "make_circles", 2), _std(noise, "make_circles", "noise")
    if isinstance(factor, bool) or not isinstance(factor, (int, float)) or not 0.0 <= factor < 1.0:
        raise ValueError(f"make_circles: factor must be in [0, 1), got {factor!r}")
    rng = random.Random(seed)
    n_outer = n // 2
    n_inner = n - n_outer
    points = [[math.cos(t), math.sin(t)] for t in _angles(n_outer, 2 * math.pi, endpoint=False)]
    points += [
        [factor * math.cos(t), factor * math.sin(t)] for t in _angles(n_inner, 2 * math.pi, endpoint=False)
    ]
    labels = [0] * n_outer + [1] * n_inner
    return _shuffled(_noisy(points, noise, rng), labels, rng)


def make_blobs(
    n: int = 100,
    centers: int = 3,
    cluster_std: float = 1.0,
    center_box: tuple[float, float] = (-10.0, 10.0),
    seed: int | None = None,
) -> Dataset:
    """``centers`` Gaussian clusters in the plane; cluster k gets label k and n // centers points
    (the first n % centers clusters one more). Centers are uniform in ``center_box`` per axis."""
    n = _count(n, "make_blobs", 1)
    k = _count(centers, "make_blobs", 1, what="centers")
    std = _std(cluster_std, "make_blobs", "cluster_std")
    lo, hi = center_box
    if not lo < hi:
        raise ValueError(f"make_blobs: center_box must be (low, high) with low < high, got {center_box!r}")
    rng = random.Random(seed)
    middles = [[rng.uniform(lo, hi), rng.uniform(lo, hi)] for _ in range(k)]
    points: list[list[float]] = []
    labels: list[int] = []
    for label, (cx, cy) in enumerate(middles):
        count = n // k + (1 if label < n % k else 0)
        points += [[cx, cy] for _ in range(count)]
        labels += [label] * count
    return _shuffled(_noisy(points, std, rng), labels, rng)


def _angles(count: int, stop: float, endpoint: bool) -> list[float]:
    """``count`` evenly spaced angles from 0 to ``stop`` (inclusive when ``endpoint``)."""
    if count == 1:
        return [0.0]
    steps = count - 1 if endpoint else count
    return [stop * i / steps for i in range(count)]


def _noisy(points: list[list[float]], std: float, rng: random.Random) -> list[list[float]]:
    if std == 0.0:
        return points
    return [[x + rng.gauss(0.0, std), y + rng.gauss(0.0, std)] for x, y in points]


def _shuffled(points: list[list[float]], labels: list[int], rng: random.Random) -> Dataset:
    order = list(range(len(points)))
    rng.shuffle(order)
    return [points[i] for i in order], [labels[i] for i in order]


def _count(n: object, where: str, minimum: int, what: str = "n") -> int:
    if isinstance(n, bool) or not isinstance(n, int):
        raise TypeError(f"{where}: {what} must be an int, got {type(n).__name__} {n!r}")
    if n < minimum:
        raise ValueError(f"{where}: {what} must be >= {minimum}, got {n}")
    return n


def _std(x: object, where: str, what: str) -> float:
    if isinstance(x, bool) or not isinstance(x, (int, float)):
        raise TypeError(f"{where}: {what} must be a number, got {type(x).__name__} {x!r}")
    if not (math.isfinite(x) and x >= 0):
        raise ValueError(f"{where}: {what} must be a finite number >= 0, got {x!r}")
    return float(x)
