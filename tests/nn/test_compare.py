"""``nn.compare_optimizers``: runs equal to hand-written loops, the plane of the paths against
numpy's SVD, the surface against the loss computed with Values, and bad input named."""

import math
import random

import pytest

import nn
from autograd import Value, no_grad
from nn.compare import top_singular_vectors


def xor_problem(hidden=3, seed=2):
    X, y = nn.data.xor()
    model = nn.MLP(2, [hidden, 1], activation="tanh", seed=seed)
    return model, lambda: nn.binary_cross_entropy_with_logits([model(x) for x in X], y)


def hand_run(optimizer_of, steps, hidden=3, seed=2):
    """The textbook loop with Values: zero_grad, loss, backward, step; everything recorded."""
    model, loss = xor_problem(hidden, seed)
    params = model.parameters()
    opt = optimizer_of(params)
    losses, trajectory, grads, states = [], [[p.data for p in params]], [], []
    for _ in range(steps):
        opt.zero_grad()
        out = loss()
        out.backward()
        losses.append(out.data)
        grads.append([p.grad for p in params])
        opt.step()
        states.append({k: [opt.state[p][k] for p in params] for k in opt.state[params[0]]})
        trajectory.append([p.data for p in params])
    with no_grad():
        losses.append(loss().data)
    return losses, trajectory, grads, states


def assert_close_lists(a, b, tol=1e-12):
    assert len(a) == len(b)
    for x, y in zip(a, b):
        if isinstance(x, list):
            assert_close_lists(x, y, tol)
        else:
            assert math.isclose(x, y, rel_tol=tol, abs_tol=tol), (x, y)


HAND = {
    "sgd": lambda ps: nn.SGD(ps, lr=0.5),
    "momentum": lambda ps: nn.SGD(ps, lr=0.1, momentum=0.9),
    "nesterov": lambda ps: nn.SGD(ps, lr=0.1, momentum=0.9, nesterov=True),
    "rmsprop": lambda ps: nn.RMSprop(ps, lr=0.01),
    "adam": lambda ps: nn.Adam(ps, lr=0.02),
}


def test_each_run_is_the_hand_written_loop():
    model, loss = xor_problem()
    start = [p.data for p in model.parameters()]
    result = nn.compare_optimizers(model, loss, steps=12, grid=0)
    assert [p.data for p in model.parameters()] == start  # left at the start
    assert [r["name"] for r in result["runs"]] == list(HAND)
    assert result["names"] == [n for n, _ in model.named_parameters()]
    for run in result["runs"]:
        losses, trajectory, grads, states = hand_run(HAND[run["name"]], 12)
        assert_close_lists(run["loss"], losses)
        assert_close_lists(run["params"], trajectory)
        assert_close_lists(run["grads"], grads)
        assert [set(s) for s in run["state"]] == [set(s) for s in states]
        for ours, theirs in zip(run["state"], states):
            for key in ours:
                assert_close_lists(ours[key], theirs[key])
        assert run["steps_taken"] == 12
    adam = result["runs"][-1]
    assert adam["hyper"] == {"lr": 0.02, "betas": [0.9, 0.999], "eps": 1e-8, "weight_decay": 0.0}
    assert result["surface"] is None


def test_hyperparameters_replace_the_defaults():
    model, loss = xor_problem()
    result = nn.compare_optimizers(model, loss, {"adam": {"lr": 0.1, "betas": (0.8, 0.9)}}, steps=5, grid=0)
    (run,) = result["runs"]
    _, trajectory, _, _ = hand_run(lambda ps: nn.Adam(ps, lr=0.1, betas=(0.8, 0.9)), 5)
    assert_close_lists(run["params"], trajectory)
    assert run["hyper"]["betas"] == [0.8, 0.9]


def numpy_top2(rows):
    import numpy as np

    _, s, vt = np.linalg.svd(np.array(rows, dtype=float), full_matrices=False)
    return s[:2].tolist(), vt[:2].tolist()


@pytest.mark.parametrize(("n_rows", "n_cols", "seed"), [(30, 8, 0), (8, 30, 1), (101, 13, 2), (5, 2, 3)])
def test_top_singular_vectors_match_numpy(n_rows, n_cols, seed):
    pytest.importorskip("numpy")
    rng = random.Random(seed)
    scales = [3.0, 1.5] + [0.3] * (n_cols - 2)  # two clear directions, as a trajectory has
    rows = [[rng.gauss(0.0, 1.0) * scales[j] for j in range(n_cols)] for _ in range(n_rows)]
    sigmas, vectors = top_singular_vectors(rows, 2)
    np_sigmas, np_vectors = numpy_top2(rows)
    assert_close_lists(sigmas, np_sigmas, 1e-10)
    for v, w in zip(vectors, np_vectors):
        assert abs(abs(sum(a * b for a, b in zip(v, w))) - 1.0) < 1e-10  # the same line (sign is free)
        assert max(v, key=abs) > 0


def test_top_singular_vectors_of_a_trajectory_match_numpy():
    pytest.importorskip("numpy")
    model, loss = xor_problem(hidden=4)
    result = nn.compare_optimizers(model, loss, steps=30, grid=0)
    start = result["start"]
    rows = [[x - s for x, s in zip(t, start)] for run in result["runs"] for t in run["params"]]
    sigmas, vectors = top_singular_vectors(rows, 2)
    np_sigmas, np_vectors = numpy_top2(rows)
    assert_close_lists(sigmas, np_sigmas, 1e-9)
    for v, w in zip(vectors, np_vectors):
        assert abs(abs(sum(a * b for a, b in zip(v, w))) - 1.0) < 1e-9


def loss_with_values(model, loss, theta):
    for p, x in zip(model.parameters(), theta):
        p.data = x
    with no_grad():
        return loss().data


def test_pca_surface_is_the_loss_on_the_plane_of_the_paths():
    model, loss = xor_problem(hidden=3)
    result = nn.compare_optimizers(model, loss, ["sgd", "adam"], steps=20, grid=5)
    surface, start = result["surface"], result["start"]
    assert surface["kind"] == "pca" and surface["evaluations"] == 25 and surface["seconds"] >= 0
    d1, d2 = surface["directions"]
    assert abs(sum(a * b for a, b in zip(d1, d2))) < 1e-12
    assert math.isclose(sum(a * a for a in d1), 1.0) and math.isclose(sum(a * a for a in d2), 1.0)
    assert 0.0 < surface["explained"] <= 1.0 + 1e-12
    for j in (0, 2, 4):
        for i in (0, 3):
            a, b = surface["axes"][0][i], surface["axes"][1][j]
            theta = [s + a * x + b * y for s, x, y in zip(start, d1, d2)]
            assert math.isclose(surface["values"][j][i], loss_with_values(model, loss, theta), rel_tol=1e-12)
    for run, path in zip(result["runs"], surface["paths"]):
        assert path[0] == [0.0, 0.0]  # every path starts at the start
        last = [x - s for x, s in zip(run["params"][-1], start)]
        assert math.isclose(path[-1][0], sum(a * b for a, b in zip(last, d1)), abs_tol=1e-12)
        lo, hi = surface["axes"][0][0], surface["axes"][0][-1]
        assert all(lo <= x <= hi for x, _ in path)  # the grid covers the paths


def test_two_parameters_give_the_exact_surface():
    neuron = nn.Neuron(1, activation="linear", seed=0)
    xs, ys = [[-1.0], [0.0], [2.0]], [0, 1, 1]

    def loss():
        return nn.binary_cross_entropy_with_logits([neuron(x) for x in xs], ys)

    result = nn.compare_optimizers(neuron, loss, ["momentum"], steps=10, grid=4)
    surface = result["surface"]
    assert surface["kind"] == "exact" and surface["explained"] == 1.0
    assert surface["paths"][0] == result["runs"][0]["params"]  # the axes are (w, b) themselves
    w, b = surface["axes"][0][1], surface["axes"][1][2]
    by_hand = sum(math.log1p(math.exp(w * x[0] + b)) - y * (w * x[0] + b) for x, y in zip(xs, ys)) / 3
    assert math.isclose(surface["values"][2][1], by_hand, rel_tol=1e-12)


def test_a_run_that_diverges_stops_and_is_said():
    p = Value(1.0)

    class One(nn.Module):
        def __init__(self):
            self.w = p

    def loss():
        return (p * p) ** 3  # sgd with lr 1 overshoots without bound

    result = nn.compare_optimizers(One(), loss, {"sgd": {"lr": 1.0}}, steps=50, grid=0)
    run = result["runs"][0]
    assert run["steps_taken"] < 50
    assert not math.isfinite(run["loss"][-1])
    assert p.data == 1.0


def test_bad_input_is_named():
    model, loss = xor_problem()
    with pytest.raises(
        ValueError, match="unknown optimizer 'adamw'; known: sgd, momentum, nesterov, rmsprop, adam"
    ):
        nn.compare_optimizers(model, loss, ["sgd", "adamw"])
    with pytest.raises(ValueError, match="SGD: lr must be a finite number >= 0, got -0.1"):
        nn.compare_optimizers(model, loss, {"sgd": {"lr": -0.1}})
    with pytest.raises(ValueError, match=r"Adam: betas\[0\] must be in \[0, 1\), got 1.0"):
        nn.compare_optimizers(model, loss, {"adam": {"betas": (1.0, 0.9)}})
    with pytest.raises(ValueError, match="steps must be >= 1, got 0"):
        nn.compare_optimizers(model, loss, steps=0)
    with pytest.raises(ValueError, match="grid must be 0 \\(no surface\\) or >= 2, got 1"):
        nn.compare_optimizers(model, loss, grid=1)
    with pytest.raises(TypeError, match="steps must be an int, got float 10.0"):
        nn.compare_optimizers(model, loss, steps=10.0)
    with pytest.raises(ValueError, match="optimizer 'sgd' appears twice"):
        nn.compare_optimizers(model, loss, ["sgd", "sgd"])
    with pytest.raises(TypeError, match="optimizers must be a list of names"):
        nn.compare_optimizers(model, loss, "adam")
    with pytest.raises(TypeError, match="model must be an nn.Module, got list"):
        nn.compare_optimizers(model.parameters(), loss)
    with pytest.raises(ValueError, match="optimizers is empty"):
        nn.compare_optimizers(model, loss, [])


def test_lr_zero_leaves_the_path_at_the_start():
    model, loss = xor_problem()
    result = nn.compare_optimizers(model, loss, {"adam": {"lr": 0}}, steps=3, grid=0)
    assert result["runs"][0]["params"] == [result["start"]] * 4
