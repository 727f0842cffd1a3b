"""nn.CompiledLoss: training on the traced loss gives the node engine's numbers, step by step."""

from __future__ import annotations

from collections.abc import Callable

import pytest

import nn
from autograd import Value


def train(
    compiled: bool, make_optimizer: Callable[[list[Value]], nn.optim.Optimizer], loss_name: str, steps: int
) -> tuple[list[float], list[float], int]:
    model = nn.MLP(2, [8, 8, 3 if loss_name == "cross_entropy" else 1], activation="relu", seed=4)
    if loss_name == "cross_entropy":
        X, labels = nn.data.make_blobs(30, centers=3, seed=2)

        def loss() -> Value:
            return nn.cross_entropy([model(x) for x in X], labels)  # type: ignore[arg-type]

    else:
        X, y01 = nn.data.make_moons(30, noise=0.1, seed=2)
        signs = [2.0 * t - 1.0 for t in y01]

        def loss() -> Value:
            return nn.hinge([model(x) for x in X], signs)

    optimizer = make_optimizer(model.parameters())
    step_loss = nn.compile_loss(model.named_parameters(), loss) if compiled else None
    losses = []
    for _ in range(steps):
        optimizer.zero_grad()
        if step_loss is not None:
            losses.append(step_loss())
        else:
            out = loss()
            out.backward()
            losses.append(out.data)
        optimizer.step()
    retraces = step_loss.retraces if step_loss is not None else 0
    return losses, [p.data for p in model.parameters()], retraces


@pytest.mark.slow  # it trains
@pytest.mark.parametrize("loss_name", ["hinge", "cross_entropy"])
@pytest.mark.parametrize("optimizer", ["sgd", "adam"])
def test_compiled_training_matches_the_node_engine(loss_name: str, optimizer: str) -> None:
    def make(params: list[Value]) -> nn.optim.Optimizer:
        return nn.SGD(params, lr=0.02, momentum=0.9) if optimizer == "sgd" else nn.Adam(params, lr=0.01)

    node_losses, node_params, _ = train(False, make, loss_name, 25)
    fast_losses, fast_params, _ = train(True, make, loss_name, 25)
    assert fast_losses == pytest.approx(node_losses, rel=1e-12, abs=1e-14)
    assert fast_params == pytest.approx(node_params, rel=1e-12, abs=1e-14)
    assert node_losses[-1] < node_losses[0]  # it did train


def test_a_flipped_comparison_retraces() -> None:
    w = Value(1.0)

    def loss() -> Value:
        return (w - 2.0) * (w - 2.0) if w > 0.0 else -w  # another path for w <= 0

    compiled = nn.CompiledLoss(loss, [w])
    assert compiled() == 1.0 and w.grad == -2.0  # d/dw (w - 2)^2 = 2(w - 2)
    w.data, w.grad = -3.0, 0.0
    assert compiled() == 3.0 and w.grad == -1.0
    assert compiled.retraces == 1


def test_parameter_paths_become_names_in_the_code() -> None:
    model = nn.MLP(2, [2, 1], seed=0)
    compiled = nn.compile_loss(model.named_parameters(), lambda: model([0.5, -1.0]) * 1.0)  # type: ignore[operator]
    source = compiled.source()
    assert source.startswith("def loss_value_and_grad(l0_n0_w0, l0_n0_w1, l0_n0_b, l0_n1_w0,")
    with pytest.raises(ValueError, match="2 names for 9 parameters"):
        nn.CompiledLoss(lambda: model([0.5, -1.0]), model.parameters(), ["a", "b"])  # type: ignore[arg-type,return-value]


def test_has_aux_returns_the_models_outputs_at_the_current_parameters() -> None:
    model = nn.MLP(2, [4, 1], activation="tanh", seed=2)
    X, y01 = nn.data.make_moons(10, noise=0.1, seed=3)
    signs = [2.0 * t - 1.0 for t in y01]

    def loss_and_outputs() -> tuple[Value, list[Value]]:
        outputs = [model(x) for x in X]
        return nn.hinge(outputs, signs), outputs  # type: ignore[arg-type,return-value]

    compiled = nn.compile_loss(model.named_parameters(), loss_and_outputs, has_aux=True)
    for p in model.parameters():
        p.data += 0.1  # not the traced parameters
    model.zero_grad()
    loss, scores = compiled()
    fast_grads = [p.grad for p in model.parameters()]
    model.zero_grad()
    outputs = [model(x) for x in X]
    expected = nn.hinge(outputs, signs)  # type: ignore[arg-type]
    expected.backward()
    assert loss == pytest.approx(expected.data, rel=1e-12)
    assert list(scores) == pytest.approx([o.data for o in outputs], rel=1e-12)  # type: ignore[union-attr]
    assert fast_grads == pytest.approx([p.grad for p in model.parameters()], rel=1e-12, abs=1e-15)
