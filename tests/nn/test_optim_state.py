"""``optimizer.state[p]`` against torch.optim's ``state`` in float64: the same keys, the same numbers.

A small MLP is trained for 50 steps on XOR by nn; after each backward, its gradients are given to
a torch.optim optimizer holding a float64 copy of the same weights (``mlp_to_torch``). After each
step every parameter and every entry of its state must agree to 1e-12, and the keys must be
exactly torch's.
"""

import math

import pytest

import nn
from autograd import Value

N_STEPS = 50

CASES = [
    ("SGD", {"lr": 0.1}),
    ("SGD", {"lr": 0.1, "momentum": 0.9}),
    ("SGD", {"lr": 0.1, "momentum": 0.9, "dampening": 0.2}),
    ("SGD", {"lr": 0.1, "momentum": 0.9, "nesterov": True}),
    ("SGD", {"lr": 0.1, "momentum": 0.9, "weight_decay": 0.05}),
    ("RMSprop", {"lr": 0.01}),
    ("RMSprop", {"lr": 0.01, "momentum": 0.5}),
    ("RMSprop", {"lr": 0.01, "momentum": 0.5, "centered": True, "weight_decay": 0.05}),
    ("Adam", {"lr": 0.05}),
    ("Adam", {"lr": 0.05, "betas": (0.8, 0.95), "eps": 1e-6}),
    ("Adam", {"lr": 0.05, "weight_decay": 0.1}),
]


def torch_slots(model, seq):
    """For each of nn's parameters, in model.parameters() order: (torch tensor, index in it)."""
    import torch

    linears = [m for m in seq if isinstance(m, torch.nn.Linear)]
    slots = []
    for layer, linear in zip(model.layers, linears):
        for j, neuron in enumerate(layer.neurons):
            slots.extend((linear.weight, (j, i)) for i in range(len(neuron.w)))
            slots.append((linear.bias, (j,)))
    return slots


def close(a, b):
    return math.isclose(a, b, rel_tol=1e-12, abs_tol=1e-12)


@pytest.mark.torch
@pytest.mark.parametrize(("name", "kwargs"), CASES)
def test_state_and_parameters_match_torch_for_50_steps(torch, name, kwargs):
    from nn.torch_bridge import mlp_to_torch

    model = nn.MLP(2, [3, 1], activation="tanh", seed=1)
    seq = mlp_to_torch(model)
    params = model.parameters()
    slots = torch_slots(model, seq)
    assert len(slots) == len(params)
    ours = getattr(nn, name)(params, **kwargs)
    theirs = getattr(torch.optim, name)(seq.parameters(), **kwargs)
    X, y = nn.data.xor()
    assert all(ours.state[p] == {} for p in params)  # empty before the first step, as in torch
    for _ in range(N_STEPS):
        ours.zero_grad()
        nn.mse([model(x) for x in X], y).backward()
        for tensor in seq.parameters():
            tensor.grad = torch.zeros_like(tensor)
        for p, (tensor, index) in zip(params, slots):
            tensor.grad[index] = p.grad  # the same gradients in both
        ours.step()
        theirs.step()
        for p, (tensor, index) in zip(params, slots):
            assert close(p.data, tensor.detach()[index].item())
            state, t_state = ours.state[p], theirs.state[tensor]
            assert set(state) == set(t_state), (state.keys(), t_state.keys())
            for key, value in t_state.items():
                expected = value.item() if value.dim() == 0 else value[index].item()
                assert close(state[key], expected), (key, state[key], expected)
    assert max(abs(p.data - q) for p, q in zip(params, [t[i].item() for t, i in slots])) < 1e-12
    moved = nn.MLP(2, [3, 1], activation="tanh", seed=1).parameters()
    assert any(abs(p.data - q.data) > 1e-3 for p, q in zip(params, moved))


def test_adam_state_by_hand_after_two_steps():
    """m, v and t after gradients 2 then -1, by hand; m_hat, v_hat and the step from them."""
    p = Value(1.0)
    opt = nn.Adam([p], lr=0.1, betas=(0.9, 0.99), eps=1e-8)
    p.grad = 2.0
    opt.step()
    assert opt.state[p] == {"step": 1, "exp_avg": pytest.approx(0.2), "exp_avg_sq": pytest.approx(0.04)}
    # first step: m_hat = 2, v_hat = 4, step = 0.1 * 2 / (2 + 1e-8)
    assert p.data == pytest.approx(1.0 - 0.1 * 2 / (2 + 1e-8), abs=1e-15)
    before = p.data
    p.grad = -1.0
    opt.step()
    m, v = 0.9 * 0.2 + 0.1 * -1.0, 0.99 * 0.04 + 0.01 * 1.0
    assert opt.state[p]["step"] == 2
    assert opt.state[p]["exp_avg"] == pytest.approx(m, abs=1e-15)
    assert opt.state[p]["exp_avg_sq"] == pytest.approx(v, abs=1e-15)
    m_hat, v_hat = m / (1 - 0.9**2), v / (1 - 0.99**2)
    assert p.data == pytest.approx(before - 0.1 * m_hat / (math.sqrt(v_hat) + 1e-8), abs=1e-14)


def test_state_keys_per_optimizer_without_torch():
    ps = [Value(0.5), Value(-0.5)]
    for opt, keys in (
        (nn.SGD(ps, lr=0.1), set()),
        (nn.SGD(ps, lr=0.1, momentum=0.9), {"momentum_buffer"}),
        (nn.Adam(ps), {"step", "exp_avg", "exp_avg_sq"}),
        (nn.RMSprop(ps), {"step", "square_avg"}),
        (nn.RMSprop(ps, momentum=0.3), {"step", "square_avg", "momentum_buffer"}),
        (nn.RMSprop(ps, centered=True), {"step", "square_avg", "grad_avg"}),
    ):
        for p in ps:
            p.grad = 1.0
        opt.step()
        assert [set(opt.state[p]) for p in ps] == [keys, keys]


def test_sgd_momentum_buffer_by_hand():
    p = Value(0.0)
    opt = nn.SGD([p], lr=0.5, momentum=0.9)
    for g, b in ((1.0, 1.0), (1.0, 1.9), (-2.0, -0.29)):
        p.grad = g
        opt.step()
        assert opt.state[p]["momentum_buffer"] == pytest.approx(b, abs=1e-15)


def test_lr_zero_moves_nothing_and_bad_lr_and_betas_are_named():
    p = Value(1.0)
    for opt in (nn.SGD([p], lr=0.0, momentum=0.9), nn.Adam([p], lr=0), nn.RMSprop([p], lr=0.0)):
        p.grad = 3.0
        opt.step()
        assert p.data == 1.0
    with pytest.raises(ValueError, match="Adam: lr must be a finite number >= 0, got -0.001"):
        nn.Adam([p], lr=-1e-3)
    with pytest.raises(ValueError, match="RMSprop: lr must be a finite number >= 0, got -1.0"):
        nn.RMSprop([p], lr=-1)
    with pytest.raises(ValueError, match=r"Adam: betas\[0\] must be in \[0, 1\), got 1.5"):
        nn.Adam([p], betas=(1.5, 0.9))
    with pytest.raises(ValueError, match=r"Adam: betas\[1\] must be in \[0, 1\), got -0.1"):
        nn.Adam([p], betas=(0.9, -0.1))
    with pytest.raises(ValueError, match=r"Adam: betas\[0\] must be in \[0, 1\), got nan"):
        nn.Adam([p], betas=(float("nan"), 0.9))
