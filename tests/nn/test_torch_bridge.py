"""MLP.to_torch / MLP.from_torch: same outputs and same parameter gradients on a batch, float64."""

import builtins
import math

import pytest

import nn
from autograd import Value

BATCH = [[0.5, -1.0, 2.0], [-0.3, 0.8, 0.1], [1.5, 1.5, -2.5], [0.0, 0.0, 0.0]]


def assert_close(a, b):
    assert math.isclose(a, b, rel_tol=1e-12, abs_tol=1e-12), (a, b)


@pytest.mark.torch
@pytest.mark.parametrize(
    "activation", [["relu", "relu", "linear"], ["tanh", "sigmoid", "tanh"], ["sigmoid", "linear", "sigmoid"]]
)
def test_to_torch_same_outputs_and_parameter_gradients(torch, activation):
    model = nn.MLP(3, [5, 4, 2], activation=activation, seed=11)
    seq = model.to_torch()
    assert isinstance(seq, torch.nn.Sequential)
    assert all(p.dtype == torch.float64 for p in seq.parameters())

    outputs = [model(x) for x in BATCH]
    loss = nn.mse(outputs, [[1.0, -1.0]] * len(BATCH))
    loss.backward()

    t_out = seq(torch.tensor(BATCH, dtype=torch.float64))
    t_loss = torch.nn.functional.mse_loss(
        t_out, torch.tensor([[1.0, -1.0]] * len(BATCH), dtype=torch.float64)
    )
    t_loss.backward()

    for row, t_row in zip(outputs, t_out.tolist()):
        for v, t in zip(row, t_row):
            assert_close(v.data, t)
    assert_close(loss.data, t_loss.item())
    linears = [m for m in seq if isinstance(m, torch.nn.Linear)]
    for layer, linear in zip(model.layers, linears):
        for j, neuron in enumerate(layer.neurons):
            for i, w in enumerate(neuron.w):
                assert_close(w.grad, linear.weight.grad[j, i].item())
            assert_close(neuron.b.grad, linear.bias.grad[j].item())


@pytest.mark.torch
def test_from_torch_round_trip_and_foreign_network(torch):
    torch.manual_seed(0)
    seq = torch.nn.Sequential(
        torch.nn.Linear(3, 4), torch.nn.Tanh(), torch.nn.Linear(4, 1), torch.nn.Identity()
    ).double()
    model = nn.MLP.from_torch(seq)
    assert model.nouts == [4, 1] and model.activations == ["tanh", "linear"]
    t_out = seq(torch.tensor(BATCH, dtype=torch.float64)).flatten().tolist()
    for x, t in zip(BATCH, t_out):
        assert_close(model(x).data, t)
    back = nn.MLP.from_torch(model.to_torch())
    assert [p.data for p in back.parameters()] == [p.data for p in model.parameters()]


@pytest.mark.torch
def test_from_torch_rejects_what_it_cannot_convert(torch):
    with pytest.raises(ValueError, match="module 1 is Dropout"):
        nn.MLP.from_torch(torch.nn.Sequential(torch.nn.Linear(2, 2), torch.nn.Dropout()))
    with pytest.raises(ValueError, match="module 1 takes 3 inputs but the layer before gives 2"):
        nn.MLP.from_torch(torch.nn.Sequential(torch.nn.Linear(2, 2), torch.nn.Linear(3, 1)))
    with pytest.raises(ValueError, match="without bias"):
        nn.MLP.from_torch(torch.nn.Sequential(torch.nn.Linear(2, 2, bias=False)))
    with pytest.raises(ValueError, match="must follow a Linear"):
        nn.MLP.from_torch(torch.nn.Sequential(torch.nn.ReLU(), torch.nn.Linear(2, 1)))
    with pytest.raises(TypeError, match="expected a torch.nn.Sequential, got Linear"):
        nn.MLP.from_torch(torch.nn.Linear(2, 1))


def test_without_torch_a_clear_import_error(monkeypatch):
    real_import = builtins.__import__

    def no_torch(name, *args, **kwargs):
        if name == "torch" or name.startswith("torch."):
            raise ImportError("No module named 'torch'")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_torch)
    with pytest.raises(ImportError, match="pip install torch"):
        nn.MLP(2, [1]).to_torch()
    with pytest.raises(ImportError, match="pip install torch"):
        nn.MLP.from_torch(None)
    assert isinstance(nn.MLP(2, [1], seed=0)([1.0, 2.0]), Value)  # the rest of nn never needs torch
