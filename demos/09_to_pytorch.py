"""Train with chainrule, continue in PyTorch: ``MLP.to_torch()`` gives the same function.

    python demos/09_to_pytorch.py [OUT_DIR]

A small MLP(2, [8, 1]) with tanh learns make_circles (hinge loss, 100 steps of SGD with micrograd's
linear learning-rate decay from 1.0). Then
``model.to_torch()`` builds a float64 ``torch.nn.Sequential`` (Linear, Tanh, Linear) holding the
same weights, and both compute the same outputs on every point.
What to notice:
- the largest difference between chainrule's and PyTorch's outputs is at rounding level (1e-15);
- the gradients agree too: one loss, backward in both, compared weight by weight;
- ``MLP.from_torch(seq)`` goes the other way. PyTorch is optional: without it this demo
  trains, then says how to install torch, and stops.
Writes OUT_DIR/circles-model.json, the trained model (nn.save; default: chainrule-demos/,
see demos/_common.py).
"""

from __future__ import annotations

from _common import output_dir

import nn


def main() -> None:
    out = output_dir()
    X, labels = nn.data.make_circles(60, noise=0.05, factor=0.5, seed=3)
    y = [2.0 * label - 1.0 for label in labels]
    model = nn.MLP(2, [8, 1], activation="tanh", seed=3)  # Linear, Tanh, Linear in torch
    optimizer = nn.SGD(model.parameters(), lr=1.0)
    schedule = nn.LambdaLR(optimizer, lambda k: 1.0 - 0.9 * k / 100)
    for _ in range(100):
        loss = nn.hinge([model(x) for x in X], y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        schedule.step()
    scores = [model(x).data for x in X]  # type: ignore[union-attr]
    accuracy = sum((s > 0) == (t > 0) for s, t in zip(scores, y)) / len(y)
    print(f"chainrule: final hinge loss {loss.data:.4f}, accuracy {accuracy:.0%}")
    path = out / "circles-model.json"
    nn.save(model, path)
    print(f"wrote {path}")

    try:
        import torch
    except ImportError:
        print("PyTorch is not installed, so the model stays in chainrule: pip install torch")
        return
    seq = model.to_torch()
    print(seq)
    with torch.no_grad():
        torch_scores = seq(torch.tensor(X, dtype=torch.float64)).squeeze(1).tolist()
    worst = max(abs(a - b) for a, b in zip(scores, torch_scores))
    print(f"{len(X)} points: largest |chainrule - torch| output difference {worst:.1e}")

    # One more loss and backward pass in both, gradients compared weight by weight.
    model.zero_grad()
    loss = nn.hinge([model(x) for x in X], y)
    loss.backward()
    margins = torch.tensor(y, dtype=torch.float64) * seq(torch.tensor(X, dtype=torch.float64)).squeeze(1)
    torch_loss = torch.relu(1 - margins).mean()
    torch_loss.backward()
    linears = [m for m in seq if isinstance(m, torch.nn.Linear)]
    worst_grad = 0.0
    for layer, linear in zip(model.layers, linears):
        weight_grad, bias_grad = linear.weight.grad.tolist(), linear.bias.grad.tolist()
        for j, neuron in enumerate(layer.neurons):
            worst_grad = max(worst_grad, abs(neuron.b.grad - bias_grad[j]))
            for i, w in enumerate(neuron.w):
                worst_grad = max(worst_grad, abs(w.grad - weight_grad[j][i]))
    print(
        f"loss {loss.data:.6f} (chainrule) vs {torch_loss.item():.6f} (torch); "
        f"largest gradient difference {worst_grad:.1e}"
    )
    back = nn.MLP.from_torch(seq)
    print(f"MLP.from_torch(seq) gives back the same weights: {back.state_dict() == model.state_dict()}")


if __name__ == "__main__":
    main()
