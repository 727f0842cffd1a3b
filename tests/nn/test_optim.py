"""Optimizers against torch.optim in float64: the same start, the same gradients, N steps, 1e-12."""

import math
import random

import pytest

import nn
from autograd import Value

N_PARAMS, N_STEPS = 6, 25


def gradient_sequence(seed):
    rng = random.Random(seed)
    return [[rng.uniform(-2.0, 2.0) for _ in range(N_PARAMS)] for _ in range(N_STEPS)]


def run_both(ours, theirs, seed=0, schedule=None):
    """Apply the same gradients in both libraries; return both parameter lists after each step."""
    import torch

    rng = random.Random(seed + 100)
    start = [rng.uniform(-1.0, 1.0) for _ in range(N_PARAMS)]
    params = [Value(x) for x in start]
    tensor = torch.tensor(start, dtype=torch.float64, requires_grad=True)
    opt, t_opt = ours(params), theirs([tensor])
    sched = t_sched = None
    if schedule is not None:
        sched = nn.LambdaLR(opt, schedule)
        t_sched = torch.optim.lr_scheduler.LambdaLR(t_opt, schedule)
    history = []
    for grads in gradient_sequence(seed):
        opt.zero_grad()
        for p, g in zip(params, grads):
            p.grad = g
        opt.step()
        t_opt.zero_grad()
        tensor.grad = torch.tensor(grads, dtype=torch.float64)
        t_opt.step()
        if sched is not None:
            sched.step()
            t_sched.step()
            assert opt.lr == pytest.approx(t_sched.get_last_lr()[0], abs=1e-15)
        history.append(([p.data for p in params], tensor.detach().tolist()))
    return history


def assert_same_trajectory(history):
    for ours, theirs in history:
        for a, b in zip(ours, theirs):
            assert math.isclose(a, b, rel_tol=1e-12, abs_tol=1e-12), (a, b)
    assert history[-1][0] != history[0][0]


SGD_CASES = [
    {},
    {"momentum": 0.9},
    {"momentum": 0.9, "dampening": 0.3},
    {"momentum": 0.8, "nesterov": True},
    {"momentum": 0.5, "weight_decay": 0.1},
    {"weight_decay": 0.01},
]


@pytest.mark.torch
@pytest.mark.parametrize("kwargs", SGD_CASES)
def test_sgd_matches_torch(torch, kwargs):
    history = run_both(
        lambda ps: nn.SGD(ps, lr=0.05, **kwargs), lambda ts: torch.optim.SGD(ts, lr=0.05, **kwargs)
    )
    assert_same_trajectory(history)


ADAM_CASES = [{}, {"lr": 0.1, "betas": (0.8, 0.9)}, {"lr": 0.01, "eps": 1e-3, "weight_decay": 0.2}]


@pytest.mark.torch
@pytest.mark.parametrize("kwargs", ADAM_CASES)
def test_adam_matches_torch(torch, kwargs):
    history = run_both(lambda ps: nn.Adam(ps, **kwargs), lambda ts: torch.optim.Adam(ts, **kwargs))
    assert_same_trajectory(history)


RMSPROP_CASES = [
    {},
    {"lr": 0.001, "alpha": 0.9, "momentum": 0.7},
    {"eps": 1e-4, "weight_decay": 0.05, "centered": True},
    {"momentum": 0.5, "centered": True},
]


@pytest.mark.torch
@pytest.mark.parametrize("kwargs", RMSPROP_CASES)
def test_rmsprop_matches_torch(torch, kwargs):
    history = run_both(lambda ps: nn.RMSprop(ps, **kwargs), lambda ts: torch.optim.RMSprop(ts, **kwargs))
    assert_same_trajectory(history)


@pytest.mark.torch
def test_lambda_lr_matches_torch_with_micrograd_decay(torch):
    def decay(k):
        return 1.0 - 0.9 * k / 100

    history = run_both(
        lambda ps: nn.SGD(ps, lr=1.0, momentum=0.5),
        lambda ts: torch.optim.SGD(ts, lr=1.0, momentum=0.5),
        schedule=decay,
    )
    assert_same_trajectory(history)


def test_sgd_step_by_hand_and_settable_lr():
    p = Value(1.0)
    opt = nn.SGD([p], lr=0.1)
    p.grad = 2.0
    opt.step()
    assert p.data == pytest.approx(1.0 - 0.1 * 2.0)
    opt.lr = 0.5
    opt.step()
    assert p.data == pytest.approx(0.8 - 0.5 * 2.0)


def test_steps_build_no_graph_and_keep_leaves():
    model = nn.MLP(2, [3, 1], seed=0)
    for opt in (
        nn.SGD(model.parameters(), lr=0.1, momentum=0.9),
        nn.Adam(model.parameters()),
        nn.RMSprop(model.parameters(), momentum=0.5),
    ):
        model.zero_grad()
        model([1.0, -1.0]).backward()
        opt.step()
        assert all(p.is_leaf and p.op == "" and isinstance(p.data, float) for p in model.parameters())


def test_zero_grad():
    ps = [Value(1.0), Value(2.0)]
    ps[0].grad, ps[1].grad = 3.0, -1.0
    nn.Adam(ps).zero_grad()
    assert [p.grad for p in ps] == [0.0, 0.0]


def test_bad_hyperparameters_and_params():
    p = [Value(1.0)]
    with pytest.raises(ValueError, match="SGD: got an empty parameter list"):
        nn.SGD([], lr=0.1)
    with pytest.raises(TypeError, match="SGD: every parameter must be a Value, got float"):
        nn.SGD([1.0], lr=0.1)
    with pytest.raises(TypeError, match="params must be a list of Values"):
        nn.SGD(p[0], lr=0.1)
    with pytest.raises(ValueError, match="appears more than once"):
        nn.SGD(p + p, lr=0.1)
    with pytest.raises(ValueError, match="SGD: lr must be a finite number >= 0, got -0.1"):
        nn.SGD(p, lr=-0.1)
    with pytest.raises(ValueError, match="nesterov=True needs momentum > 0"):
        nn.SGD(p, lr=0.1, nesterov=True)
    with pytest.raises(ValueError, match="Adam: betas\\[1\\] must be in \\[0, 1\\), got 1.0"):
        nn.Adam(p, betas=(0.9, 1.0))
    with pytest.raises(ValueError, match="Adam: betas must be a pair"):
        nn.Adam(p, betas=(0.9,))
    with pytest.raises(TypeError, match="RMSprop: alpha must be a number, got str"):
        nn.RMSprop(p, alpha="0.9")
    with pytest.raises(ValueError, match="eps must be a finite number >= 0, got nan"):
        nn.Adam(p, eps=float("nan"))
    with pytest.raises(TypeError, match="LambdaLR: lr_lambda must be callable"):
        nn.LambdaLR(nn.SGD(p, lr=0.1), 0.5)
