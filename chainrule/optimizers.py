"""``chainrule optimizers {xor,moons,neuron}``: one model, several optimizers, one page.

The model trains from the same start with each optimizer (``nn.compare_optimizers``); the page
(``autograd.see.optimizers``) shows the loss curves, the paths on the loss surface and each
optimizer's state for one parameter, step by step. The data sets and models:

- ``xor``: the four XOR points, ``MLP(2, [4, 1])`` with tanh (``--hidden``, ``--activation``);
- ``moons``: ``--samples`` points of two moons (noise 0.1), ``MLP(2, [16, 16, 1])`` with relu;
- ``neuron``: the lesson's single neuron z = w x + b on seven points of a line, two parameters,
  so the surface is the exact loss over (w, b). It starts at w = -1.5, b = 1.5, far from the
  minimum, so that the paths have somewhere to go.

Every model is trained on binary cross-entropy of its output as a logit (``nn.losses``).
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from autograd import Value
from autograd.see.optimizers import render_optimizers
from chainrule.train import MAX_GRAPH
from nn import data as datasets
from nn.compare import OPTIMIZERS, compare_optimizers
from nn.layers import MLP, Neuron
from nn.losses import binary_cross_entropy_with_logits
from nn.module import Module

MAX_PAGE_ENTRIES = 800_000  # steps x parameters x optimizers the page keeps (about 64 bytes each: 50 MB)

NEURON_X = [-2.0, -1.0, -0.5, 0.0, 0.5, 1.0, 2.0]
NEURON_Y = [0, 0, 1, 0, 1, 1, 1]  # not separable: the best (w, b) is finite


class OptimizersError(Exception):
    """A bad option (exit code 2)."""


def build_problem(args: argparse.Namespace) -> tuple[Module, Callable[[], Value], str]:
    """The model, its loss (a function of no arguments) and a title, for ``args.dataset``."""
    if args.dataset == "neuron":
        neuron = Neuron(1, activation="linear", seed=args.seed)
        neuron.w[0].data, neuron.b.data = -1.5, 1.5
        neuron.w[0].label, neuron.b.label = "w", "b"
        xs = [[x] for x in NEURON_X]
        return neuron, lambda: binary_cross_entropy_with_logits([neuron(x) for x in xs], NEURON_Y), "neuron"
    if args.dataset == "xor":
        X, y = datasets.xor()
        hidden, activation = args.hidden or [4], args.activation or "tanh"
    else:
        X, y = datasets.make_moons(args.samples, noise=0.1, seed=args.seed)
        hidden, activation = args.hidden or [16, 16], args.activation or "relu"
    model = MLP(2, [*hidden, 1], activation=activation, seed=args.seed)
    sizes = ",".join(map(str, hidden))
    title = f"{args.dataset}, MLP(2, [{sizes}, 1]) {activation}"
    return model, lambda: binary_cross_entropy_with_logits([model(x) for x in X], y), title


def optimizer_specs(names: list[str], rates: list[tuple[str, float]]) -> dict[str, dict[str, Any]]:
    """``{name: {"lr": ...}}`` from ``--optimizers`` and ``--lr NAME=X``; unknown names refused."""
    known = ", ".join(OPTIMIZERS)
    for name in names:
        if name not in OPTIMIZERS:
            raise OptimizersError(f"--optimizers: unknown optimizer {name!r}; known: {known}")
    if len(set(names)) != len(names):
        raise OptimizersError(f"--optimizers: an optimizer is named twice in {','.join(names)}")
    specs: dict[str, dict[str, Any]] = {name: {} for name in names}
    for name, lr in rates:
        if name not in specs:
            among = ", ".join(names)
            raise OptimizersError(f"--lr {name}={lr}: {name!r} is not among the optimizers ({among})")
        if not lr >= 0.0 or lr == float("inf"):
            raise OptimizersError(f"--lr {name}={lr}: the learning rate must be a finite number >= 0")
        specs[name]["lr"] = lr
    return specs


def check_size(samples: int, parameters: int, optimizers: int, steps: int) -> None:
    """Refuse, before training, a run whose graph or page is too large, naming the limit and the sizes.

    The graph of one step is ``samples x parameters`` entries (``chainrule train``'s limit); the
    page keeps every parameter's value, grad and optimizer state at every step of every optimizer.
    """
    if samples * parameters > MAX_GRAPH:
        raise OptimizersError(
            f"{samples:,} samples x {parameters:,} parameters = {samples * parameters:,} graph entries "
            f"per step; the limit is {MAX_GRAPH:,}: use a smaller --samples or --hidden"
        )
    entries = steps * parameters * optimizers
    if entries > MAX_PAGE_ENTRIES:
        raise OptimizersError(
            f"the page would keep {steps:,} steps x {parameters:,} parameters x {optimizers} optimizers = "
            f"{entries:,} parameter states; the limit is {MAX_PAGE_ENTRIES:,} (a page of about 50 MB): "
            "use a smaller --steps or --hidden, or fewer --optimizers"
        )


def run_optimizers(args: argparse.Namespace) -> list[str]:
    """Train, write the page; return the lines to print."""
    specs = optimizer_specs(args.optimizers, args.lr)
    if args.grid == 1:
        raise OptimizersError("--grid must be 0 (no surface) or >= 2, got 1")
    began = time.perf_counter()
    model, loss, title = build_problem(args)
    samples = len(NEURON_X) if args.dataset == "neuron" else 4 if args.dataset == "xor" else args.samples
    check_size(samples, len(model.parameters()), len(specs), args.steps)
    comparison = compare_optimizers(model, loss, specs, steps=args.steps, grid=args.grid)
    path = render_optimizers(comparison, Path(args.output), f"Optimizers on {title}")
    lines = [f"{title}: {len(comparison['names'])} parameters, {args.steps} steps from the same start"]
    for run in comparison["runs"]:
        taken, losses = run["steps_taken"], run["loss"]
        stopped = "" if taken == args.steps else f" (stopped at step {taken}: the loss is not finite)"
        rate = f"lr {run['hyper']['lr']:<6g}"
        lines.append(f"  {run['name']:<9} {rate} loss {losses[0]:.4f} -> {losses[-1]:.4f}{stopped}")
    surface = comparison["surface"]
    if surface is not None:
        share = 100 * surface["explained"]
        where = (
            "exact, over the two parameters"
            if surface["kind"] == "exact"
            else (
                f"on the plane of the paths' two main directions, which holds {share:.1f}% of their movement"
            )
        )
        passes, seconds = surface["evaluations"], surface["seconds"]
        lines.append(f"surface {args.grid}x{args.grid} ({where}): {passes} forward passes in {seconds:.1f} s")
    lines.append(f"wrote {path} in {time.perf_counter() - began:.1f} s")
    return lines
