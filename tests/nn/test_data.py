"""Teaching data sets: sizes, labels, geometry (known curves when noise = 0) and seeding."""

import math
import random

import pytest

import nn


def test_xor_truth_table():
    X, y = nn.data.xor()
    assert X == [[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]]
    assert y == [int(a) ^ int(b) for a, b in X]


def test_moons_lie_on_their_half_circles_without_noise():
    X, y = nn.data.make_moons(51, noise=0.0, seed=0)
    assert len(X) == len(y) == 51 and y.count(0) == 25 and y.count(1) == 26
    for (a, b), label in zip(X, y):
        if label == 0:  # (cos t, sin t), t in [0, pi]
            assert math.isclose(a * a + b * b, 1.0) and b >= -1e-12
        else:  # (1 - cos t, 1/2 - sin t)
            assert math.isclose((1 - a) ** 2 + (0.5 - b) ** 2, 1.0) and b <= 0.5 + 1e-12
    for end in ([0.0, 0.5], [2.0, 0.5]):  # both ends of the lower moon (t = 0 and t = pi)
        assert any(math.dist(p, end) < 1e-12 for p in X)


def test_circles_radii_without_noise():
    X, y = nn.data.make_circles(40, noise=0.0, factor=0.5, seed=1)
    for (a, b), label in zip(X, y):
        assert math.isclose(math.hypot(a, b), 1.0 if label == 0 else 0.5)
    assert y.count(0) == y.count(1) == 20


def test_blobs_are_gaussian_clusters_around_their_centers():
    X, y = nn.data.make_blobs(3000, centers=3, cluster_std=0.5, seed=2)
    assert sorted(set(y)) == [0, 1, 2] and [y.count(k) for k in range(3)] == [1000, 1000, 1000]
    rng = random.Random(2)
    centers = [[rng.uniform(-10, 10), rng.uniform(-10, 10)] for _ in range(3)]  # documented draw order
    for k, (cx, cy) in enumerate(centers):
        pts = [p for p, label in zip(X, y) if label == k]
        mx, my = sum(p[0] for p in pts) / 1000, sum(p[1] for p in pts) / 1000
        sx = math.sqrt(sum((p[0] - mx) ** 2 for p in pts) / 999)
        assert abs(mx - cx) < 0.1 and abs(my - cy) < 0.1  # 5 standard errors (0.5 / sqrt(1000))
        assert sx == pytest.approx(0.5, rel=0.1)


def test_noise_has_the_requested_standard_deviation():
    X1, y1 = nn.data.make_circles(2000, noise=0.1, seed=3)
    radial = [math.hypot(*p) - (1.0 if label == 0 else 0.8) for p, label in zip(X1, y1)]
    std = math.sqrt(sum(r * r for r in radial) / len(radial))
    assert std == pytest.approx(0.1, rel=0.1)


def test_seeded_and_independent_of_global_random():
    random.seed(0)
    a = nn.data.make_moons(30, noise=0.2, seed=9)
    state = random.getstate()
    b = nn.data.make_moons(30, noise=0.2, seed=9)
    assert a == b and random.getstate() == state
    assert nn.data.make_moons(30, noise=0.2, seed=10) != a


def test_bad_arguments():
    with pytest.raises(ValueError, match="make_moons: n must be >= 2, got 1"):
        nn.data.make_moons(1)
    with pytest.raises(TypeError, match="make_moons: n must be an int, got float"):
        nn.data.make_moons(10.0)
    with pytest.raises(ValueError, match="noise must be a finite number >= 0, got -0.1"):
        nn.data.make_circles(10, noise=-0.1)
    with pytest.raises(ValueError, match="factor must be in \\[0, 1\\), got 1.5"):
        nn.data.make_circles(10, factor=1.5)
    with pytest.raises(ValueError, match="centers must be >= 1, got 0"):
        nn.data.make_blobs(10, centers=0)


@pytest.mark.parametrize("n, noise, seed", [(7, 0.3, 4), (12, 0.0, 5), (2, 1.5, 6)])
def test_moons_rebuilt_by_hand_from_the_documented_draw_order(n, noise, seed):
    """The module docstring's recipe, with the stdlib only: the upper moon (cos t, sin t), then
    the lower (1 - cos t, 1/2 - sin t), t = pi * i / (count - 1); noise x then y; a shuffle."""
    upper, lower = n // 2, n - n // 2

    def angles(count: int) -> list[float]:
        return [0.0] if count == 1 else [math.pi * i / (count - 1) for i in range(count)]

    points = [[math.cos(t), math.sin(t)] for t in angles(upper)]
    points += [[1 - math.cos(t), 0.5 - math.sin(t)] for t in angles(lower)]
    rng = random.Random(seed)
    if noise:
        points = [[x + rng.gauss(0.0, noise), y + rng.gauss(0.0, noise)] for x, y in points]
    order = list(range(n))
    rng.shuffle(order)
    labels = [0] * upper + [1] * lower
    assert nn.data.make_moons(n, noise=noise, seed=seed) == ([points[i] for i in order], [labels[i] for i in order])


def test_circles_rebuilt_by_hand_from_the_documented_draw_order():
    n, noise, factor, seed = 9, 0.25, 0.4, 8
    outer, inner = n // 2, n - n // 2
    points = [[math.cos(2 * math.pi * i / outer), math.sin(2 * math.pi * i / outer)] for i in range(outer)]
    points += [[factor * math.cos(2 * math.pi * i / inner), factor * math.sin(2 * math.pi * i / inner)] for i in range(inner)]
    rng = random.Random(seed)
    points = [[x + rng.gauss(0.0, noise), y + rng.gauss(0.0, noise)] for x, y in points]
    order = list(range(n))
    rng.shuffle(order)
    labels = [0] * outer + [1] * inner
    got = nn.data.make_circles(n, noise=noise, factor=factor, seed=seed)
    assert got == ([points[i] for i in order], [labels[i] for i in order])
