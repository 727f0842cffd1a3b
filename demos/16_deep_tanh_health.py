"""A deep tanh network that stops learning, and ``nn.health`` saying why.

    python demos/16_deep_tanh_health.py [OUT_DIR]

What to notice:
- two MLPs with six tanh layers of 8 units train on the same moons: one from Xavier's init, one
  with the same hidden weights ten times larger (a too-large init);
- ``nn.health(model, X, before=...)`` after the last step: in the large one most tanh units sit
  in the flat tails (|a| > 0.97), where tanh' = 1 - a**2 < 0.06, and each step changes the hidden
  weights by 1e-5 to 1e-4 of their size (1e-3 is a layer that learns): the hidden layers have all
  but stopped, and what the loss still gains comes from the output layer;
- ``explain()`` on a chain of four saturated tanh units: the first weight's gradient is one path,
  the product of the local derivatives along it, and each saturated unit multiplies by ~0.01.
OUT_DIR is accepted for symmetry with the other demos; nothing is written.
"""

from __future__ import annotations

import sys

import nn
from autograd import Value

STEPS = 60
SCALE = 10.0  # the too-large init: Xavier's hidden weights times this


def train(scale: float, X: list[list[float]], y: list[int]) -> tuple[nn.MLP, list[float], dict[str, float]]:
    """MLP(2, [8]*6 + [1]) tanh, hidden weights times ``scale``; returns the model, the losses and
    the parameters before the last step."""
    model = nn.MLP(2, [8] * 6 + [1], activation="tanh", init="xavier", seed=0)
    for layer in model.layers[:-1]:
        for p in layer.parameters():
            p.data *= scale
    optimizer = nn.SGD(model.parameters(), lr=0.05)
    losses, before = [], model.state_dict()
    for _ in range(STEPS):
        loss = nn.binary_cross_entropy_with_logits([model(x) for x in X], y)
        optimizer.zero_grad()
        loss.backward()
        before = model.state_dict()
        optimizer.step()
        losses.append(loss.data)
    return model, losses, before


def main() -> None:
    X, y = nn.data.make_moons(40, noise=0.1, seed=0)
    for name, scale in (("Xavier init", 1.0), (f"Xavier init x {SCALE:g}", SCALE)):
        model, losses, before = train(scale, X, y)
        report = nn.health(model, X, before=before)
        print(f"{name}: loss {losses[0]:.4f} -> {losses[-1]:.4f} after {STEPS} steps")
        print(report.table())
        for line in report.diagnosis():
            print(f"  - {line}")
        print()

    # One gradient through four saturated tanh units, as a product along its path.
    chain = nn.MLP(1, [1, 1, 1, 1, 1], activation="tanh", seed=0)
    for p in chain.parameters():
        p.data = 3.0 if p.label.startswith("w") else 0.0  # weights 3, biases 0: tanh(3) = 0.995
    first = chain.layers[0].neurons[0].w[0]
    first.label = "w_first"
    out = chain([Value(1.0, label="x")])
    assert isinstance(out, Value)
    out.label = "out"
    out.backward()
    print("a chain x -> 4 tanh units (weights 3) -> out: d out / d w_first, path by path")
    print(first.explain(out))
    print(f"d out / d w_first = {first.grad:.6e}")


if __name__ == "__main__":
    sys.exit(main())
